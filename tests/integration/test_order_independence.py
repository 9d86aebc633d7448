"""Valid time does not depend on recording order: the same documents, imported in every
order, give identical answers (apart from recording instants and event numbers).

Two sets: the Mangkutana documents (both orders), and a clearly synthetic set of four
documents of one plan (a murni Renja, a pergeseran, a Renja Perubahan, and a correction
printed on the same date as the perubahan), in all 24 orders on
SQLite and eight covering ones on PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import create_pg_database, drop_pg_database, invoke
from tests.integration.lamtim import LAMTIM, synthetic_dpa

MANGKUTANA = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "mangkutana_2024"
VOLATILE = {"recorded_at", "version", "known_at", "identity_events"}

HEADER = "row,level,kode,nama,indikator,target,pagu\n"
# Every document prints the hierarchy above its sub-kegiatan, as real ones do.
TOP = ["0a,urusan,7,URUSAN PEMERINTAHAN UMUM,,,", "0b,bidang,7.01,KECAMATAN,,,"]
SYNTHETIC = {  # folder -> (document.toml fields, table stage, rows)
    "murni": ("renja", "Renja Kecamatan Contoh Tahun 2025", "2025-01-06", "", "murni", [
        "1,program,7.01.01,Penunjang Urusan Pemerintahan,Capaian (%),100%,",
        "2,kegiatan,7.01.01.2.06,Administrasi Umum,Hasil (%),100%,",
        "3,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,Jumlah tamu (Orang),120 Orang,100.000.000",
        "4,sub_kegiatan,7.01.01.2.06.09,Rapat Koordinasi,Jumlah rapat (Kali),12 Kali,60.000.000",
        "5,sub_kegiatan,7.01.01.2.06.02,Penyediaan Peralatan,Jumlah paket (Paket),3 Paket,40.000.000",
        "6,total,,JUMLAH,,,200.000.000",
    ]),
    "pergeseran": ("pergeseran", "Pergeseran Anggaran Kecamatan Contoh Tahun 2025", "2025-04-14", "900/12/2025", "murni", [
        "1,program,7.01.01,Penunjang Urusan Pemerintahan,,,",
        "2,kegiatan,7.01.01.2.06,Administrasi Umum,,,",
        "3,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,,,90.000.000",
        "4,sub_kegiatan,7.01.01.2.06.09,Rapat Koordinasi,,,70.000.000",
    ]),
    "perubahan": ("renja_perubahan", "Renja Perubahan Kecamatan Contoh Tahun 2025", "2025-08-01", "", "perubahan", [
        "1,program,7.01.01,PENUNJANG URUSAN PEMERINTAHAN,Capaian (%),100%,",
        "2,kegiatan,7.01.01.2.06,Administrasi Umum,Hasil (%),100%,255.000.000",
        "3,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,Jumlah tamu (Orang),150 Orang,110.000.000",
        "4,sub_kegiatan,7.01.01.2.06.09,Rapat Koordinasi,Jumlah rapat (Kali),10 Kali,65.000.000",
        "5,sub_kegiatan,7.01.01.2.06.02,Penyediaan Peralatan,Jumlah paket (Paket),3 Paket,40.000.000",
        "6,sub_kegiatan,7.01.01.2.06.11,Dukungan Pelaksanaan Sistem Pemerintahan,Jumlah laporan (Laporan),4 Laporan,40.000.000",
        "7,total,,JUMLAH,,,255.000.000",
    ]),
    "ralat": ("ralat", "Ralat Renja Perubahan Kecamatan Contoh Tahun 2025", "2025-08-01", "ralat-1", "perubahan", [
        "1,program,7.01.01,PENUNJANG URUSAN PEMERINTAHAN,,,",
        "2,kegiatan,7.01.01.2.06,Administrasi Umum,,,",
        "3,sub_kegiatan,7.01.01.2.06.02,Penyediaan Peralatan Kantor,Jumlah paket (Paket),4 Paket,45.000.000",
    ]),
}
DATES = ("2025-02-01", "2025-05-01", "2025-08-01", "2025-12-31")
LINES = ("7.01.01.2.06.08", "7.01.01.2.06.09", "7.01.01.2.06.02", "7.01.01.2.06.11")


def write_synthetic(root: Path) -> dict[str, Path]:
    folders = {}
    for name, (kind, judul, tanggal, nomor, stage, rows) in SYNTHETIC.items():
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "document.toml").write_text(
            f'kind = "{kind}"\nnomor = "{nomor}"\njudul = "{judul}"\ntanggal = {tanggal}\n'
            f'opd = "Kecamatan Contoh"\ntahun = 2025\npenandatangan = "CAMAT CONTOH"\n'
            f'sumber = "synthetic example for the order-independence test"\n\n'
            f'[[tabel]]\nid = "Tabel"\nfile = "tabel.csv"\nlayout = "budget"\nstage = "{stage}"\n', encoding="utf-8")
        (folder / "tabel.csv").write_text(HEADER + "\n".join([*TOP, *rows]) + "\n", encoding="utf-8")
        folders[name] = folder
    return folders


def scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def answer(url: str, *args: str) -> Any:
    result = invoke(url, *args, "--format", "json")
    assert result.exit_code == 0, (args, result.output)
    return scrub(json.loads(result.stdout))


def snapshot(url: str, dates: tuple[str, ...], lines: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for as_of in dates:
        for kind in ("renja", "perubahan", "rencana-aksi", "tabel-2-3"):
            found[f"report {kind} {as_of}"] = answer(url, "report", kind, "--as-of", as_of)
        found[f"check {as_of}"] = answer(url, "check", "--as-of", as_of)
        for kode in lines:
            found[f"pagu {kode} {as_of}"] = answer(url, "pagu", kode, "--as-of", as_of)
    for kode in lines:
        found[f"history {kode}"] = answer(url, "history", kode)
    found["diff"] = answer(url, "diff", "--from", dates[0], "--to", dates[-1])
    found["report perubahan now"] = answer(url, "report", "perubahan")
    found["check now"] = answer(url, "check")
    return found


def ledger_for(backend: str, path: Path) -> str:
    return str(path) if backend == "sqlite" else create_pg_database()


def imported(backend: str, path: Path, folders: list[Path]) -> str:
    url = ledger_for(backend, path)
    for folder in folders:
        result = invoke(url, "import", str(folder))
        assert result.exit_code == 0, (folder, result.output)
    return url


def rincian_snapshot(url: str, dates: tuple[str, ...], lines: tuple[str, ...]) -> dict[str, Any]:
    """The account-level answers: DPA and DPPA, the checks, accounts' history, diff --rekening."""
    found: dict[str, Any] = {}
    for as_of in dates:
        for kind in ("dpa", "dppa", "perubahan"):
            found[f"report {kind} {as_of}"] = answer(url, "report", kind, "--as-of", as_of)
        found[f"check {as_of}"] = answer(url, "check", "--as-of", as_of)
    for ref in lines:
        found[f"history {ref}"] = answer(url, "history", ref)
        found[f"pagu {ref}"] = answer(url, "pagu", ref, "--as-of", dates[-1])
    found["diff"] = answer(url, "diff", "--from", dates[0], "--to", dates[-1], "--rekening")
    return found


def compare_orders(backend: str, tmp_path: Path, orders: list[list[Path]], dates: tuple[str, ...],
                   lines: tuple[str, ...], take: Any = snapshot) -> None:
    first: dict[str, Any] | None = None
    for number, order in enumerate(orders):
        url = imported(backend, tmp_path / f"order{number}.db", order)
        try:
            got = take(url, dates, lines)
        finally:
            if backend == "postgres":
                drop_pg_database(url)
        if first is None:
            first = got
            continue
        differing = [key for key in first if first[key] != got[key]]
        assert not differing, f"order {[p.name for p in order]} differs from {[p.name for p in orders[0]]} in {differing}"


@pytest.mark.xdist_group("order")
def test_mangkutana_in_either_order(backend: str, tmp_path: Path) -> None:
    folders = [MANGKUTANA / "rencana_aksi_2024", MANGKUTANA / "renja_perubahan_2024"]
    compare_orders(backend, tmp_path, [folders, folders[::-1]], ("2024-03-01", "2024-09-01"),
                   ("7.01.01.2.06.08", "7.01.01.2.08.04", "Pengadaan Pakaian Dinas Beserta Atribut Kelengkapannya"))


def covering_orders(items: list[Path]) -> list[list[Path]]:
    """Eight of the orders: each rotation and its reverse. Every document comes at every position
    twice and every pair comes in both relative orders."""
    rotations = [items[start:] + items[:start] for start in range(len(items))]
    return [*rotations, *(order[::-1] for order in rotations)]


def test_four_synthetic_documents_in_every_order(backend: str, tmp_path: Path) -> None:
    """All 24 orders on SQLite. The order-free rule is in the domain and is the same on both
    backends; on PostgreSQL, which runs the same SQL paths, eight orders cover every position and
    pair in both directions (all 24 took three minutes of the suite's fifteen)."""
    folders = write_synthetic(tmp_path / "documents")
    if backend == "sqlite":
        orders = [list(order) for order in itertools.permutations(folders.values())]
        assert len(orders) == 24
    else:
        orders = covering_orders(list(folders.values()))
        assert len({tuple(order) for order in orders}) == 8
    compare_orders(backend, tmp_path, orders, DATES, LINES)


def test_the_synthetic_answers_are_the_documents_figures(tmp_path: Path) -> None:
    """The order-free answers are also the right ones: later valid time wins, and on the
    same date the correction (ralat) applies after the perubahan it corrects."""
    folders = write_synthetic(tmp_path / "documents")
    url = imported("sqlite", tmp_path / "ledger.db", [folders["ralat"], folders["perubahan"], folders["murni"],
                                                      folders["pergeseran"]])
    assert answer(url, "pagu", "7.01.01.2.06.08", "--as-of", "2025-02-01")["pagu"] == 100_000_000
    assert answer(url, "pagu", "7.01.01.2.06.08", "--as-of", "2025-05-01")["pagu"] == 90_000_000
    assert answer(url, "pagu", "7.01.01.2.06.02", "--as-of", "2025-09-01")["pagu"] == 45_000_000
    march = answer(url, "report", "renja", "--as-of", "2025-03-01")
    assert [row["kode"] for row in march["rows"]] == ["7.01.01", "7.01.01.2.06", "7.01.01.2.06.02", "7.01.01.2.06.08",
                                                      "7.01.01.2.06.09"]  # .11 is printed only in August
    assert march["rows"][0]["nama"] == "Penunjang Urusan Pemerintahan"  # the name printed first in valid time
    diff = answer(url, "diff", "--from", "2025-02-01", "--to", "2025-09-01")
    assert diff["total"]["sebelum"] == 200_000_000 and diff["total"]["sesudah"] == 260_000_000


def test_a_before_after_form_and_the_documents_around_it_in_either_order(backend: str, tmp_path: Path) -> None:
    """The second real dataset (a before/after RKPA), with a synthetic DPA of the same office
    dated before it: its murni restated by the RKPA, loaded in both orders."""
    dpa = synthetic_dpa(tmp_path)
    compare_orders(backend, tmp_path, [[dpa, LAMTIM], [LAMTIM, dpa]], ("2022-02-01", "2022-09-22"), ("4.02.01.2.06",))


def test_the_rincian_belanja_in_any_order(backend: str, tmp_path: Path) -> None:
    """The synthetic DPA and DPPA (tests/data/rincian_sintetis) with the Renja Perubahan whose
    sub-kegiatan they detail: accounts opened by whichever document comes first."""
    rincian = Path(__file__).resolve().parents[1] / "data" / "rincian_sintetis"
    renja, dpa, dppa = MANGKUTANA / "renja_perubahan_2024", rincian / "dpa_2024", rincian / "dppa_2024"
    compare_orders(backend, tmp_path, [[renja, dpa, dppa], [dppa, dpa, renja], [dpa, renja, dppa]],
                   ("2024-01-31", "2024-08-15", "2024-12-31"),
                   ("7.01.01.2.06.08/5.1.02.01.01.0024", "7.01.01.2.06.09/5.1.02.02.01.0003"), take=rincian_snapshot)


def execution_snapshot(url: str, dates: tuple[str, ...], lines: tuple[str, ...]) -> dict[str, Any]:
    """The year as it is spent: its forms and checks at each date, and each line's story."""
    found: dict[str, Any] = {}
    for as_of in dates:
        for kind in ("evaluasi", "pengukuran", "perubahan"):
            found[f"report {kind} {as_of}"] = answer(url, "report", kind, "--as-of", as_of)
        found[f"check {as_of}"] = answer(url, "check", "--as-of", as_of)
    for ref in lines:
        found[f"why {ref}"] = answer(url, "why", ref)
    return found


def test_the_year_as_it_is_spent_in_any_order(backend: str, tmp_path: Path) -> None:
    """The synthetic anggaran kas, LRA, evaluation and revision (tests/data/pelaksanaan_sintetis)
    after the Renja Perubahan that gives their lines' kodes, in three orders."""
    data = Path(__file__).resolve().parents[1] / "data" / "pelaksanaan_sintetis"
    ra, rp = MANGKUTANA / "rencana_aksi_2024", MANGKUTANA / "renja_perubahan_2024"
    kas, kas_p, lra, evaluasi, revisi = (data / name for name in ("anggaran_kas_murni", "anggaran_kas_perubahan",
                                                                   "lra_2024", "evaluasi_renja_2024", "revisi_2024_11"))
    compare_orders(backend, tmp_path, [[ra, rp, kas, kas_p, lra, evaluasi, revisi],
                                       [rp, revisi, evaluasi, lra, kas_p, kas, ra],
                                       [rp, ra, lra, kas_p, revisi, kas, evaluasi]],
                   ("2024-06-30", "2024-10-31", "2025-01-31"), ("7.01.01.2.06.08", "7.01.01.2.06.09"),
                   take=execution_snapshot)
