"""Rincian belanja at account level, on SQLite and PostgreSQL: the DPA and DPPA of the
clearly labelled synthetic dataset (tests/data/rincian_sintetis) loaded on the Mangkutana
demo; account pergeseran of every level, with a fitting basis (recorded, both sides and the
sub-kegiatan totals right) and an unfitting one (refused, nothing written); the DPPA report
at two dates; history, diff --rekening and the checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke
from tests.integration.test_bad_input import forge, state_of, with_state

DATA = Path(__file__).resolve().parents[1] / "data" / "rincian_sintetis"
TAMU, RAPAT = "7.01.01.2.06.08", "7.01.01.2.06.09"
TAMU_MURNI, TAMU_PERUBAHAN, RAPAT_PERUBAHAN = 104_711_949, 105_095_949, 82_731_000


@pytest.fixture
def rincian_url(demo_url: str) -> Iterator[str]:
    for folder in ("dpa_2024", "dppa_2024"):
        done = invoke(demo_url, "import", str(DATA / folder))
        assert done.exit_code == 0, done.output
    yield demo_url


def as_json(url: str, *args: str) -> Any:
    done = invoke(url, *args, "--format", "json")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def findings(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every finding of `renja check`, by rule (one run: a check reads the whole plan)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for each in as_json(url, "check")["findings"]:
        found.setdefault(each["rule"], []).append(each)
    return found


def section(report: dict[str, Any], kode: str) -> dict[str, Any]:
    return next(s for s in report["sub_kegiatan"] if s["kode"] == kode)


def account(report: dict[str, Any], sub: str, rekening: str) -> dict[str, Any]:
    return next(r for r in section(report, sub)["rows"] if r.get("kode_rekening") == rekening and r["level"] == "rekening")


def test_the_dppa_states_every_account_before_and_after_and_the_checks_find_the_one_mismatch(rincian_url: str) -> None:
    report = as_json(rincian_url, "report", "dppa")
    tamu = section(report, TAMU)
    assert (tamu["sebelum"], tamu["setelah"]) == (TAMU_MURNI, TAMU_PERUBAHAN)
    assert (tamu["pagu_sebelum_dinyatakan"], tamu["pagu_setelah_dinyatakan"]) == (TAMU_MURNI, TAMU_PERUBAHAN)
    new = account(report, TAMU, "5.1.02.01.01.0035")  # new in the DPPA
    assert (new["sebelum"], new["setelah"], new["bertambah_berkurang"]) == (None, 3_000_000, 3_000_000)
    gone = account(report, TAMU, "5.1.02.02.04.0036")  # reduced to 0
    assert (gone["sebelum"], gone["setelah"]) == (7_500_000, 0)
    atk = account(report, TAMU, "5.1.02.01.01.0024")
    assert [k["setelah"]["jumlah"] for k in atk["komponen"]] == [210_000, 92_324]
    assert atk["komponen"][1]["setelah"]["ppn"] == "11%"
    # The DPA's one deliberate mismatch: a jenis total 100.000 above its accounts.
    found = findings(rincian_url)
    [level] = found["rincian-level-total"]
    assert (level["stated"], level["computed"], level["difference"]) == (65_859_000, 65_759_000, 100_000)
    assert level["kodes"] == [RAPAT]
    for rule in ("rincian-jumlah", "rincian-rollup", "rincian-change", "rincian-not-restated", "shift-basis"):
        assert rule not in found, rule


# (giver, taker, the lowest decision that fits, one that does not, the level's words)
LEVELS = [
    (f"{TAMU}/5.1.02.01.01.0024", f"{TAMU}/5.1.02.01.01.0026", "ppkd", None, "sub rincian objek"),
    (f"{TAMU}/5.1.02.02.01.0026", f"{TAMU}/5.1.02.02.04.0036", "ppkd", None, "rincian objek"),
    (f"{TAMU}/5.1.02.01.01.0053", f"{TAMU}/5.1.02.02.01.0026", "sekda", "ppkd", "objek of one jenis"),
    (f"{TAMU}/5.1.01.03.07.0001", f"{TAMU}/5.1.02.01.01.0024", "perda", "sekda", "jenis belanja"),
    (f"{TAMU}/5.1.02.01.01.0053", f"{RAPAT}/5.1.02.01.01.0052", "perda", "perkada", "between sub-kegiatan"),
]


@pytest.mark.parametrize(("giver", "taker", "fitting", "unfitting", "words"), LEVELS)
def test_an_account_pergeseran_of_each_level_needs_its_decision(rincian_url: str, giver: str, taker: str, fitting: str,
                                                                 unfitting: str | None, words: str) -> None:
    head = invoke(rincian_url, "verify", "--head").stdout
    before = as_json(rincian_url, "report", "dppa")
    refused = invoke(rincian_url, "shift", giver, taker, "100.000", "--effective", "2024-10-01", "--reason", "uji",
                     *(("--dasar", unfitting) if unfitting else ()))
    assert refused.exit_code == 1, refused.output
    assert "needs" in refused.output and words in refused.output and "nothing was written" in refused.output
    assert invoke(rincian_url, "verify", "--head").stdout == head

    done = invoke(rincian_url, "shift", giver, taker, "100.000", "--effective", "2024-10-01", "--reason",
                  "Pergeseran untuk uji", "--dasar", fitting, "--nomor-dasar", "Nomor 900/77/2024")
    assert done.exit_code == 0, done.output
    after = as_json(rincian_url, "report", "dppa")
    (give_sub, give_rek), (take_sub, take_rek) = (ref.split("/") for ref in (giver, taker))
    assert account(after, give_sub, give_rek)["setelah"] == account(before, give_sub, give_rek)["setelah"] - 100_000
    assert account(after, take_sub, take_rek)["setelah"] == account(before, take_sub, take_rek)["setelah"] + 100_000
    [leg] = [leg for leg in account(after, give_sub, give_rek)["pergeseran"]]
    assert (leg["dasar"], leg["nomor"], leg["jumlah"]) == (fitting, "Nomor 900/77/2024", -100_000)
    # The sub-kegiatan's own pagu moved with its accounts: every total still reconciles.
    found = findings(rincian_url)
    for rule in ("rincian-rollup", "shift-net", "shift-basis"):
        assert rule not in found, rule
    plan = as_json(rincian_url, "report", "perubahan")
    pagu = {row["kode"]: row["pagu"] for row in plan["rows"]}
    moved = 100_000 if give_sub != take_sub else 0
    assert pagu[TAMU] == TAMU_PERUBAHAN - moved
    assert pagu[RAPAT] == RAPAT_PERUBAHAN + moved
    # What remains to be seen: the two accounts stand apart from their komponen until a DPPA restates them.
    assert {f["kodes"][0] for f in found["rincian-not-restated"]} == {giver, taker}


def test_the_dppa_at_two_dates_shows_the_move_with_its_basis(rincian_url: str) -> None:
    done = invoke(rincian_url, "shift", f"{TAMU}/5.1.02.01.01.0053", f"{TAMU}/5.1.02.02.01.0026", "1.250.000",
                  "--effective", "2024-10-01", "--reason", "Tambah tenaga administrasi", "--dasar", "sekda",
                  "--nomor-dasar", "Persetujuan Sekda 900/12/2024")
    assert done.exit_code == 0, done.output
    early = as_json(rincian_url, "report", "dppa", "--as-of", "2024-09-30")
    late = as_json(rincian_url, "report", "dppa", "--as-of", "2024-10-31")
    assert account(early, TAMU, "5.1.02.02.01.0026")["setelah"] == 24_000_000
    assert account(early, TAMU, "5.1.02.02.01.0026")["pergeseran"] == []
    moved = account(late, TAMU, "5.1.02.02.01.0026")
    assert moved["setelah"] == 25_250_000
    assert moved["pergeseran"][0]["nomor"] == "Persetujuan Sekda 900/12/2024"
    assert moved["pergeseran"][0]["tingkat"] == "objek"
    table = invoke(rincian_url, "report", "dppa", "--as-of", "2024-10-31")
    assert "Persetujuan Sekda 900/12/2024" in table.stdout.replace("\n", " ") or "900/12/2024" in table.stdout
    csv = invoke(rincian_url, "report", "dppa", "--as-of", "2024-10-31", "--format", "csv")
    assert "25.250.000" in csv.stdout or "25250000" in csv.stdout
    history = as_json(rincian_url, "history", f"{TAMU}/5.1.02.02.01.0026")
    [shift] = [e for e in history["events"] if e["event"] == "RekeningShifted"]
    assert shift["reason"] == "Tambah tenaga administrasi" and "900/12/2024" in shift["kind"]
    diff = as_json(rincian_url, "diff", "--from", "2024-09-30", "--to", "2024-10-31", "--rekening")
    rows = [row for program in diff["programs"] for row in program["rows"]]
    assert [row["kode"] for row in rows if row["level"] == "rekening"] == ["5.1.02.01.01.0053", "5.1.02.02.01.0026"]
    assert diff["total"]["bertambah_berkurang"] == 0


def test_a_shift_recorded_without_its_basis_is_reported(rincian_url: str, tmp_path: Path) -> None:
    """A log written by other means (import-events) may hold a pergeseran without a decision:
    `check` names it and what its level requires."""
    done = invoke(rincian_url, "shift", f"{TAMU}/5.1.02.01.01.0024", f"{TAMU}/5.1.02.01.01.0026", "10.000",
                  "--effective", "2024-10-01", "--reason", "uji", "--dasar", "ppkd")
    assert done.exit_code == 0, done.output
    exported = tmp_path / "events.jsonl"
    assert invoke(rincian_url, "export-events", str(exported)).exit_code == 0

    def without_decision(record: dict[str, object]) -> dict[str, object]:
        if not str(record["topic"]).endswith("RekeningShifted"):
            return record
        return with_state(record, {**state_of(record), "authority": None})

    target = tmp_path / "forged.db"
    loaded = invoke(str(target), "import-events", str(forge(exported, tmp_path / "forged.jsonl", without_decision)))
    assert loaded.exit_code == 0, loaded.output
    [basis] = findings(str(target))["shift-basis"]
    assert "needs approval of the PPKD" in basis["message"] and "its basis is no decision" in basis["message"]


def test_a_bad_rincian_row_is_named_and_nothing_is_written(demo_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "dpa"
    folder.mkdir()
    (folder / "document.toml").write_text((DATA / "dpa_2024" / "document.toml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (folder / "sub_kegiatan.csv").write_text((DATA / "dpa_2024" / "sub_kegiatan.csv").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    rows = (DATA / "dpa_2024" / "rincian_belanja.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    cells = rows[3].split(",")
    bad_kode = list(cells)
    bad_kode[header.index("kode_rekening")] = "5.1.2.01.01.0024"
    bad_sub = list(rows[4].split(","))
    bad_sub[header.index("sub_kegiatan")] = "7.01.01.2.06.99"
    (folder / "rincian_belanja.csv").write_text("\n".join([rows[0], rows[1], ",".join(bad_kode), ",".join(bad_sub)])
                                                + "\n", encoding="utf-8")
    head = invoke(demo_url, "verify", "--head").stdout
    refused = invoke(demo_url, "import", str(folder))
    assert refused.exit_code == 1
    assert "rincian_belanja.csv" in refused.output
    assert "kode_rekening" in refused.output and "jenis part '2' is malformed" in refused.output
    assert "sub_kegiatan" in refused.output and "7.01.01.2.06.99" in refused.output
    assert invoke(demo_url, "verify", "--head").stdout == head


def test_the_web_shows_the_dppa_in_indonesian_with_its_downloads_and_an_accounts_history(rincian_url: str) -> None:
    from urllib.parse import quote

    from fastapi.testclient import TestClient

    from web.app import create_app

    client = TestClient(create_app(rincian_url))
    plan = f"{quote('Kecamatan Mangkutana')}/2024"
    page = client.get(f"/rencana/{plan}/dppa")
    assert page.status_code == 200, page.text
    for text in ("DOKUMEN PELAKSANAAN PERUBAHAN ANGGARAN", "Sebelum Perubahan", "Bertambah/(Berkurang)",
                 "104.711.949", "105.095.949", "Belanja Barang dan Jasa", f"{TAMU}/5.1.02.01.01.0024"):
        assert text in page.text, text
    for fmt, kind in (("xlsx", "spreadsheetml"), ("pdf", "application/pdf"), ("csv", "text/csv")):
        download = client.get(f"/rencana/{plan}/dppa", params={"format": fmt})
        assert download.status_code == 200 and kind in download.headers["content-type"], fmt
    history = client.get(f"/baris/{plan}/{TAMU}/5.1.02.01.01.0024")
    assert history.status_code == 200, history.text
    assert "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor" in history.text
    assert "Pulpen" in history.text


def test_an_account_pergeseran_through_the_web_is_previewed_then_saved_with_its_decision(rincian_url: str) -> None:
    from fastapi.testclient import TestClient

    from tests.integration.test_web_write import PLAN, preview, save, text_of, token
    from web.app import create_app

    client = TestClient(create_app(rincian_url))
    form = client.get(f"/catat/{PLAN}/pergeseran")
    assert form.status_code == 200 and "persetujuan Sekretaris Daerah" in form.text
    data = {"csrf": token(form.text), "from_line": f"{TAMU}/5.1.02.01.01.0053", "to_line": f"{TAMU}/5.1.02.02.01.0026",
            "stage": "perubahan", "rupiah": "250.000", "effective_on": "2024-10-01", "reason": "Tambah tenaga",
            "authority": "ppkd", "decision": "Persetujuan PPKD 900/5/2024"}
    refused = client.post(f"/catat/{PLAN}/pergeseran", data={**data, "action": "pratinjau"})
    assert "persetujuan Sekretaris Daerah" in text_of(refused.text) and "tidak ada yang dicatat" in text_of(refused.text)
    data = {**data, "authority": "sekda", "decision": "Persetujuan Sekda 900/5/2024"}
    shown = preview(client, "pergeseran", data)
    assert as_json(rincian_url, "report", "dppa")["total"]["setelah"] == TAMU_PERUBAHAN + RAPAT_PERUBAHAN
    saved = save(client, "pergeseran", data, shown)
    assert saved.status_code in (302, 303), getattr(saved, "text", "")  # type: ignore[attr-defined]
    moved = account(as_json(rincian_url, "report", "dppa"), TAMU, "5.1.02.02.01.0026")
    assert moved["setelah"] == 24_250_000 and moved["pergeseran"][0]["nomor"] == "Persetujuan Sekda 900/5/2024"


def test_before_the_dppa_the_setelah_is_the_murni_in_force_and_the_csv_keeps_each_kode_rekening(rincian_url: str) -> None:
    march = as_json(rincian_url, "report", "dppa", "--as-of", "2024-03-01")
    assert march["total"]["setelah"] == march["total"]["sebelum"] == TAMU_MURNI + section(march, RAPAT)["sebelum"]
    assert march["total"]["bertambah_berkurang"] == 0
    csv = invoke(rincian_url, "report", "dppa", "--format", "csv").stdout.splitlines()
    assert csv[0].lstrip("\ufeff").startswith("Tingkat,Kode Rekening,Uraian")
    assert any(line.startswith("rekening,5.1.02.01.01.0024,") for line in csv)
    assert any(line.startswith("rekening_jenis,5.1.02,Belanja Barang dan Jasa,") for line in csv)


def test_accounts_are_named_as_printed_and_a_sub_kegiatan_with_accounts_shifts_through_them(rincian_url: str) -> None:
    spaced = as_json(rincian_url, "pagu", "7 01 01 2.06 08/5 . 1 . 02 . 01 . 01 . 0024")
    assert spaced["pagu"] == 302_324
    head = invoke(rincian_url, "verify", "--head").stdout
    plain = invoke(rincian_url, "shift", TAMU, RAPAT, "1.000", "--effective", "2024-10-01", "--reason", "uji")
    assert plain.exit_code == 1 and "shift between its accounts" in plain.output, plain.output
    dasar = invoke(rincian_url, "shift", "7.01.01.2.01.01", "7.01.01.2.01.02", "1.000", "--effective", "2024-10-01",
                   "--reason", "uji", "--dasar", "perda")
    assert dasar.exit_code == 1 and "between accounts" in dasar.output, dasar.output
    assert invoke(rincian_url, "verify", "--head").stdout == head


def test_an_account_left_below_zero_by_a_later_restatement_is_reported(demo_url: str, tmp_path: Path) -> None:
    """A pergeseran in March out of an account that a ralat dated February then restates lower:
    each is valid when written, together they leave the account below zero, and `check` says so."""
    assert invoke(demo_url, "import", str(DATA / "dpa_2024")).exit_code == 0
    giver = f"{TAMU}/5.1.02.01.01.0053"
    moved = invoke(demo_url, "shift", giver, f"{TAMU}/5.1.02.02.01.0026", "5.000.000", "--stage", "murni",
                   "--effective", "2024-03-01", "--reason", "uji", "--dasar", "sekda")
    assert moved.exit_code == 0, moved.output
    ralat = tmp_path / "ralat"
    ralat.mkdir()
    (ralat / "document.toml").write_text(
        'kind = "ralat"\njudul = "Ralat DPA (CONTOH SINTETIS)"\ntanggal = 2024-02-01\nopd = "Kecamatan Mangkutana"\n'
        'tahun = 2024\npenandatangan = "CONTOH SINTETIS"\n\n[[tabel]]\nid = "Ralat rincian"\nfile = "rincian.csv"\n'
        'layout = "rincian"\nstage = "murni"\n', encoding="utf-8")
    (ralat / "rincian.csv").write_text("row,sub_kegiatan,kode_rekening,komponen,jumlah\n"
                                       f"1,{TAMU},5.1.02.01.01.0053,Jamuan tamu,1.000.000\n", encoding="utf-8")
    assert invoke(demo_url, "import", str(ralat)).exit_code == 0
    found = findings(demo_url)
    [negative] = found["negative-pagu"]
    assert negative["kodes"] == [giver] and negative["stated"] == -4_000_000
    assert any(f["kodes"] == [giver] for f in found["negative-balance"])


def test_one_rincian_table_loads_alone_on_the_cli_and_by_upload(demo_url: str, tmp_path: Path) -> None:
    """A DPA's rincian table without its folder: the plan already holds the sub-kegiatan."""
    table = tmp_path / "rincian_tamu.csv"
    table.write_text("row,sub_kegiatan,kode_rekening,nama_rekening,komponen,koefisien,satuan,harga,jumlah\n"
                     f"1,{TAMU},5.1.02.01.01.0024,Belanja Alat Tulis Kantor,Kertas HVS,10,Rim,55.000,550.000\n"
                     f"2,{TAMU},5.1.02.01.01.0024,Belanja Alat Tulis Kantor,Map,20,Buah,2.500,50.000\n",
                     encoding="utf-8")
    plan = ("--opd", "Kecamatan Mangkutana", "--tahun", "2024")
    done = invoke(demo_url, *plan, "import", str(table), "--kind", "dpa", "--tanggal", "2024-01-15", "--stage", "murni",
                  "--layout", "rincian", "--table", "Rincian Belanja", "--judul", "DPA (contoh sintetis)")
    assert done.exit_code == 0, done.output
    assert as_json(demo_url, "pagu", f"{TAMU}/5.1.02.01.01.0024", "--stage", "murni")["pagu"] == 600_000
    wrong = invoke(demo_url, *plan, "import", str(table), "--kind", "dpa", "--tanggal", "2024-01-16", "--layout", "rinci")
    assert wrong.exit_code == 1 and "--layout" in wrong.output and "rincian" in wrong.output

    from fastapi.testclient import TestClient

    from tests.integration.test_web_write import text_of, upload
    from web.app import create_app

    client = TestClient(create_app(demo_url))
    page = upload(client, "rincian_rapat.csv", table.read_bytes().replace(TAMU.encode(), RAPAT.encode()),
                  opd="Kecamatan Mangkutana", tahun="2024", kind="dpa", tanggal="2024-01-17", stage="murni",
                  layout="rincian", table="Rincian")
    text = text_of(page.text)  # type: ignore[attr-defined]
    assert "2 baris dari 1 tabel" in text, text[:2000]
    assert as_json(demo_url, "pagu", f"{RAPAT}/5.1.02.01.01.0024", "--stage", "murni")["pagu"] == 600_000
