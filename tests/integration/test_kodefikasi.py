"""Documents of any era, on SQLite and PostgreSQL: the clearly labelled synthetic RKPA 2017 in the
codes of Permendagri 13/2006 (tests/data/rkpa_2017_sintetis) imports with its codes as printed,
its rincian under each kegiatan; `report dppa` shows sebelum, setelah and bertambah; `pagu`,
`history` and `shift` name KEGIATAN/REKENING; and a 13/2006 code in a 2024 document without
`kodefikasi` is refused, naming the field, with nothing written."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke

RKPA = Path(__file__).resolve().parents[1] / "data" / "rkpa_2017_sintetis" / "rkpa_2017"
OPD = "Badan Lingkungan Hidup (CONTOH SINTETIS)"
SURAT, LAYANAN = "1.08.1.08.01.01.01.", "1.08.01.02."  # the two kegiatan, as the RKPA prints them
PLAN = ("--opd", OPD, "--tahun", "2017")


@pytest.fixture
def rkpa_url(db_url: str) -> Iterator[str]:
    done = invoke(db_url, "import", str(RKPA))
    assert done.exit_code == 0, done.output
    yield db_url


def as_json(url: str, *args: str) -> Any:
    done = invoke(url, *args, "--format", "json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def section(report: dict[str, Any], kode: str) -> dict[str, Any]:
    return next(s for s in report["sub_kegiatan"] if s["kode"] == kode)


def rows(report: dict[str, Any], kode: str) -> dict[str, dict[str, Any]]:
    return {row["kode_rekening"]: row for row in section(report, kode)["rows"]}


def test_the_13_2006_rkpa_imports_as_printed_and_the_dppa_shows_before_after_and_change(rkpa_url: str) -> None:
    plan = as_json(rkpa_url, "report", "perubahan")
    assert [(row["kode"], row["level"], row["pagu"]) for row in plan["rows"]] == [
        ("1.08.1.08.01.01", "program", 35_335_000), (SURAT, "kegiatan", 10_135_000), (LAYANAN, "kegiatan", 25_200_000)]

    dppa = as_json(rkpa_url, "report", "dppa")
    assert [(s["kode"], s["level"], s["sebelum"], s["setelah"], s["bertambah_berkurang"]) for s in dppa["sub_kegiatan"]] \
        == [(SURAT, "kegiatan", 9_800_000, 10_135_000, 335_000), (LAYANAN, "kegiatan", 22_800_000, 25_200_000, 2_400_000)]
    assert dppa["total"] == {"sebelum": 32_600_000, "setelah": 35_335_000, "bertambah_berkurang": 2_735_000}
    surat = rows(dppa, SURAT)
    assert (surat["5.2"]["level"], surat["5.2"]["nama"]) == ("rekening_kelompok", "BELANJA LANGSUNG")  # not 2024's "belanja modal"
    assert (surat["5.2.2"]["setelah"], surat["5.2.2"]["setelah_tertulis"]) == (6_535_000, 6_535_000)
    materai = surat["5.2.2.01.04"]
    assert (materai["level"], materai["sebelum"], materai["setelah"], materai["bertambah_berkurang"]) == (
        "rekening", 3_700_000, 3_560_000, -140_000)
    assert [(k["sebelum"]["jumlah"], k["setelah"]["jumlah"]) for k in materai["komponen"]] == [(700_000, 560_000),
                                                                                             (3_000_000, 3_000_000)]
    air = rows(dppa, LAYANAN)["5.2.2.03.02"]  # new in the perubahan
    assert (air["sebelum"], air["setelah"], air["bertambah_berkurang"]) == (None, 1_200_000, 1_200_000)

    table = invoke(rkpa_url, "report", "dppa")
    assert table.exit_code == 0, table.output
    for shown in ("RINCIAN BELANJA KEGIATAN", "Sebelum", "Setelah", "Bertambah/(Berkurang)", f"{SURAT}",
                  "Kegiatan: Penyediaan jasa surat", "BELANJA LANGSUNG", "(140.000)", "35.335.000", "2.735.000"):
        assert shown in table.stdout, shown
    checked = as_json(rkpa_url, "check")
    assert checked["summary"]["by_severity"]["error"] == 0, checked["findings"]


@pytest.mark.parametrize("named", ["1.08.01.01", SURAT, "1.08 . 1.08.01 . 01 . 01", "Penyediaan jasa surat menyurat"])
def test_pagu_and_history_name_a_kegiatan_and_its_accounts_however_printed(rkpa_url: str, named: str) -> None:
    assert as_json(rkpa_url, "pagu", named)["pagu"] == 10_135_000
    atk = as_json(rkpa_url, "pagu", f"{named}/5.2.2.01.01")
    assert atk["pagu"] == 1_475_000
    assert as_json(rkpa_url, "pagu", f"{named}/5 . 2 . 2 . 01 . 01", "--stage", "murni")["pagu"] == 1_250_000
    story = invoke(rkpa_url, "history", f"{named}/5.2.2.01.04")
    assert story.exit_code == 0, story.output
    assert "Materai 6000" in story.stdout and "80 Lembar" in story.stdout and "100 Lembar" in story.stdout


# (giver, taker, the lowest decision that fits, one that does not, the level's words)
SHIFTS = [
    ("1.08.01.01/5.2.2.01.01", "1.08.01.01/5.2.2.01.04", "ppkd", None, "rincian objek of one objek"),
    ("1.08.01.01/5.2.2.01.01", "1.08.01.01/5.2.2.06.02", "sekda", "ppkd", "objek of one jenis"),
    ("1.08.01.01/5.2.1.01.05", "1.08.01.01/5.2.2.01.01", "perda", "sekda", "jenis belanja"),
    ("1.08.01.01/5.2.2.01.01", "1.08.01.02/5.2.2.03.01", "perda", "perkada", "between kegiatan"),
]


@pytest.mark.parametrize(("giver", "taker", "fitting", "unfitting", "words"), SHIFTS)
def test_a_pergeseran_between_13_2006_accounts_needs_the_decision_of_its_level(
        rkpa_url: str, giver: str, taker: str, fitting: str, unfitting: str | None, words: str) -> None:
    head = invoke(rkpa_url, "verify", "--head").stdout
    refused = invoke(rkpa_url, "shift", giver, taker, "100.000", "--effective", "2017-10-02", "--reason", "uji",
                     *(("--dasar", unfitting) if unfitting else ()))
    assert refused.exit_code == 1 and words in refused.output and "nothing was written" in refused.output, refused.output
    assert invoke(rkpa_url, "verify", "--head").stdout == head

    before = {ref: as_json(rkpa_url, "pagu", ref)["pagu"] for ref in (giver, taker)}
    done = invoke(rkpa_url, "shift", giver, taker, "100.000", "--effective", "2017-10-02", "--reason", "Pergeseran uji",
                  "--dasar", fitting)
    assert done.exit_code == 0, done.output
    assert as_json(rkpa_url, "pagu", giver)["pagu"] == before[giver] - 100_000
    assert as_json(rkpa_url, "pagu", taker)["pagu"] == before[taker] + 100_000
    kegiatan = {row["kode"]: row["pagu"] for row in as_json(rkpa_url, "report", "perubahan")["rows"]}
    moved = 100_000 if giver.split("/")[0] != taker.split("/")[0] else 0
    assert (kegiatan[SURAT], kegiatan[LAYANAN]) == (10_135_000 - moved, 25_200_000 + moved)  # they move with their accounts
    found = {finding["rule"] for finding in as_json(rkpa_url, "check")["findings"]}
    assert not found & {"rincian-rollup", "shift-net", "shift-basis"}, found


def test_an_account_printed_after_its_kegiatan_code_reads_as_the_account(rkpa_url: str, tmp_path: Path) -> None:
    """A Penjabaran of the era prints urusan . organisasi . program . kegiatan . rekening."""
    ralat = tmp_path / "ralat.csv"
    ralat.write_text("row,kegiatan,kode_rekening,nama_rekening,komponen,koefisien,satuan,harga,jumlah\n"
                     "1,1.08.01.01,1.08 . 1.08.01 . 01 . 01 . 5 . 2 . 2 . 01 . 01,Belanja alat tulis kantor,"
                     "Kertas HVS A4 80 gram,30,Rim,45.000,1.350.000\n", encoding="utf-8")
    done = invoke(rkpa_url, *PLAN, "import", str(ralat), "--kind", "ralat", "--tanggal", "2017-10-05",
                  "--stage", "perubahan", "--layout", "rincian", "--table", "Ralat rincian", "--judul", "Ralat (sintetis)")
    assert done.exit_code == 0, done.output
    assert as_json(rkpa_url, "pagu", "1.08.01.01/5.2.2.01.01")["pagu"] == 1_350_000

    other = tmp_path / "other.csv"
    other.write_text(ralat.read_text(encoding="utf-8").replace(" . 01 . 5 .", " . 02 . 5 ."), encoding="utf-8")
    refused = invoke(rkpa_url, *PLAN, "import", str(other), "--kind", "ralat", "--tanggal", "2017-10-06",
                     "--stage", "perubahan", "--layout", "rincian", "--table", "Ralat", "--judul", "Ralat 2 (sintetis)")
    assert refused.exit_code == 1 and "printed under 1.08.01.02" in refused.output, refused.output


def test_a_single_2017_table_takes_the_13_2006_codes_by_its_year_and_can_be_told_otherwise(db_url: str,
                                                                                          tmp_path: Path) -> None:
    table = tmp_path / "renja_2017.csv"
    table.write_text("row,level,kode,nama,pagu\n1,program,1.08.01.,Pelayanan Administrasi Perkantoran,\n"
                     "2,kegiatan,1.08.01.01.,Penyediaan jasa surat menyurat,9.800.000\n", encoding="utf-8")
    args = ("import", str(table), "--kind", "renja", "--tanggal", "2017-01-05", "--stage", "murni")
    told = invoke(db_url, *PLAN, *args, "--kodefikasi", "permendagri-90-2019")
    assert told.exit_code == 1 and 'kodefikasi = "permendagri-13-2006"' in told.output, told.output
    bad = invoke(db_url, *PLAN, *args, "--kodefikasi", "13/2006")
    assert bad.exit_code == 1 and "permendagri-13-2006, permendagri-90-2019" in bad.output, bad.output
    assert invoke(db_url, *PLAN, *args).exit_code == 0
    assert as_json(db_url, "pagu", "1.08.01.01")["pagu"] == 9_800_000
    rows_shown = as_json(db_url, "report", "renja")["rows"]
    assert [row["kode"] for row in rows_shown] == ["1.08.01.", "1.08.01.01."]


def test_a_13_2006_code_in_a_2024_document_is_refused_naming_the_field(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "rkpa_2024"
    shutil.copytree(RKPA, folder)
    manifest = folder / "document.toml"
    text = manifest.read_text(encoding="utf-8").replace("tahun = 2017", "tahun = 2024")
    text = text.replace("tanggal = 2017-09-20", "tanggal = 2024-09-20").replace('kodefikasi = "permendagri-13-2006"\n', "")
    manifest.write_text(text, encoding="utf-8")
    refused = invoke(db_url, "import", str(folder))
    assert refused.exit_code == 1
    assert "kegiatan.csv" in refused.output and "1.08" in refused.output
    assert 'set kodefikasi = "permendagri-13-2006" in its document.toml' in refused.output, refused.output
    kegiatan = folder / "kegiatan.csv"  # without the urusan row, the kegiatan's code is refused the same way
    kegiatan.write_text("\n".join(line for line in kegiatan.read_text(encoding="utf-8").splitlines()
                                  if not line.startswith(("1,", "2,"))) + "\n", encoding="utf-8")
    again = invoke(db_url, "import", str(folder))
    assert again.exit_code == 1 and "(got 7 parts)" in again.output and "kodefikasi" in again.output, again.output
    head = invoke(db_url, "verify", "--head")  # nothing written: an empty ledger, or (SQLite) no ledger file at all
    assert head.stdout.startswith("0 ") or ("no ledger at" in head.output and not Path(db_url).exists())
    rincian = folder / "rincian_belanja.csv"  # a rincian alone: its kegiatan column, its five-part accounts
    alone = invoke(db_url, "--opd", OPD, "--tahun", "2024", "import", str(rincian), "--kind", "rka_perubahan",
                   "--tanggal", "2024-09-20", "--stage", "perubahan", "--layout", "rincian")
    assert alone.exit_code == 1 and "lists its accounts per sub-kegiatan" in alone.output, alone.output
    assert 'set kodefikasi = "permendagri-13-2006"' in alone.output

    manifest.write_text(text.replace("tahun = 2024", 'tahun = 2024\nkodefikasi = "permendagri-13-2006"'), encoding="utf-8")
    kegiatan.write_text((RKPA / "kegiatan.csv").read_text(encoding="utf-8"), encoding="utf-8")
    said = invoke(db_url, "import", str(folder))  # a document may say otherwise than its year
    assert said.exit_code == 0, said.output


def test_the_upload_form_takes_the_kodefikasi(rkpa_url: str) -> None:
    from fastapi.testclient import TestClient

    from tests.integration.test_web_write import text_of, upload
    from web.app import create_app

    content = b"row,level,kode,nama,pagu\n1,program,1.08.01,Pelayanan Administrasi Perkantoran,\n" \
              b"2,kegiatan,1.08.01.01,Penyediaan jasa surat menyurat,9.800.000\n"
    client = TestClient(create_app(rkpa_url))
    fields = {"opd": OPD, "tahun": "2024", "kind": "renja", "tanggal": "2024-01-05", "stage": "murni", "layout": "budget"}
    refused = upload(client, "renja.csv", content, **fields)
    assert refused.status_code == 400 and "permendagri-13-2006" in text_of(refused.text)  # type: ignore[attr-defined]
    done = upload(client, "renja.csv", content, **fields, kodefikasi="permendagri-13-2006")
    assert done.status_code == 200, text_of(done.text)[:2000]  # type: ignore[attr-defined]
    assert as_json(rkpa_url, "--opd", OPD, "--tahun", "2024", "pagu", "1.08.01.01")["pagu"] == 9_800_000
