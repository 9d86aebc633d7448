"""The year as it is spent (issue 24), on SQLite and PostgreSQL: the synthetic anggaran kas,
LRA, evaluation and revision of tests/data/pelaksanaan_sintetis loaded beside the real
Mangkutana 2024 documents, read at several valid and system times."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke

DATA = Path(__file__).resolve().parents[1] / "data" / "pelaksanaan_sintetis"
FASILITASI, RAPAT = "7.01.01.2.06.08", "7.01.01.2.06.09"
RULES = ("kas-pagu", "kas-triwulan", "kas-below-realisasi", "revision-below-realisasi", "realisasi-above-pagu")


def answer(url: str, *args: str) -> Any:
    result = invoke(url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def execution_findings(url: str, *args: str) -> list[tuple[str, list[str]]]:
    found = answer(url, "check", *args)
    findings = found["findings"] if isinstance(found, dict) else found
    return sorted((f["rule"], f["kodes"]) for f in findings if f["rule"] in RULES)


def row(report: dict[str, Any], kode: str) -> dict[str, Any]:
    return next(each for each in report["rows"] if each["kode"] == kode)


@pytest.fixture
def spent(demo_url: str) -> str:
    for folder in ("anggaran_kas_murni", "lra_2024", "anggaran_kas_perubahan", "evaluasi_renja_2024", "revisi_2024_11"):
        result = invoke(demo_url, "import", str(DATA / folder))
        assert result.exit_code == 0, result.output
    return demo_url


def test_the_demo_alone_has_no_finding_of_the_year_as_spent(demo_url: str) -> None:
    assert execution_findings(demo_url) == []


def test_a_revision_below_what_was_realised_is_found_with_its_consequences(spent: str) -> None:
    assert execution_findings(spent) == [("kas-pagu", [FASILITASI]), ("realisasi-above-pagu", [FASILITASI]),
                                         ("revision-below-realisasi", [FASILITASI])]
    found = answer(spent, "check")
    findings = found["findings"] if isinstance(found, dict) else found
    revision = next(f for f in findings if f["rule"] == "revision-below-realisasi")
    assert (revision["stated"], revision["computed"]) == (150_000_000, 154_100_000)
    assert "Lampiran" in revision["sources"][0] and "1 November 2024" in revision["message"]
    # Before the revision took effect, nothing of the kind.
    assert execution_findings(spent, "--as-of", "2024-10-31") == []


def test_realisasi_and_anggaran_kas_at_any_valid_time(spent: str) -> None:
    october = row(answer(spent, "report", "pengukuran", "--as-of", "2024-10-31"), FASILITASI)
    assert october["bulan"][:9] == [15_000_000, 16_500_000, 17_200_000, 15_900_000, 16_000_000, 16_400_000, 8_000_000,
                                    24_500_000, 24_600_000]
    assert october["bulan"][9:] == [None, None, None]  # October's LRA is dated 10 November
    assert october["realisasi"] == 154_100_000 and october["alokasi"] == 200_710_000
    year = row(answer(spent, "report", "pengukuran", "--as-of", "2025-01-31"), FASILITASI)
    assert year["realisasi"] == 172_750_000 and year["alokasi"] == 150_000_000 and year["persen_realisasi"] == "115.17"
    assert year["realisasi_kinerja"] == {"nilai": "9350", "satuan": "Orang"}
    before_lra = row(answer(spent, "report", "pengukuran", "--as-of", "2024-01-31"), FASILITASI)
    assert before_lra["realisasi"] is None


def test_what_the_ledger_knew_before_the_lra_was_recorded(demo_url: str) -> None:
    assert invoke(demo_url, "import", str(DATA / "anggaran_kas_murni")).exit_code == 0
    before = datetime.now(UTC).isoformat()
    assert invoke(demo_url, "import", str(DATA / "lra_2024")).exit_code == 0
    then = answer(demo_url, "report", "pengukuran", "--as-of", "2025-01-31", "--known-at", before)
    now = answer(demo_url, "report", "pengukuran", "--as-of", "2025-01-31")
    assert row(then, FASILITASI)["realisasi"] is None and row(now, FASILITASI)["realisasi"] == 172_750_000


def test_the_evaluation_per_triwulan(spent: str) -> None:
    report = answer(spent, "report", "evaluasi", "--as-of", "2025-01-31")
    fasilitasi, rapat = row(report, FASILITASI), row(report, RAPAT)
    assert [slot["rp"] for slot in rapat["tw"]] == [32_700_000, 45_000_000, 60_400_000, 71_400_000]
    assert [slot["kinerja"]["nilai"] for slot in rapat["tw"]] == ["175", "190", "182", "170"]
    assert rapat["realisasi_kinerja"] == {"nilai": "717", "satuan": "Kali"} and rapat["tingkat_kinerja"] == "89.62"
    assert rapat["realisasi_rp"] == 209_500_000 and rapat["pagu"] == 217_880_000 and rapat["tingkat_rp"] == "96.15"
    assert fasilitasi["penghambat"] == "Anggaran dipangkas pada November"
    kegiatan = row(report, "7.01.01.2.06")
    assert kegiatan["realisasi_rp"] == 172_750_000 + 209_500_000  # the roll-up of its rows
    assert report["total"]["realisasi_rp"] == 382_250_000


def test_why_shows_what_was_realised_at_each_revision(spent: str) -> None:
    events = answer(spent, "why", FASILITASI)["events"]
    pagu = [event for event in events if event["kind"].startswith("pagu")]
    cut = next(event for event in pagu if event["effective_on"] == "2024-11-01" and event["stage"] == "perubahan")
    assert cut["realisasi_saat_itu"] == 154_100_000
    murni = next(event for event in pagu if event["effective_on"] == "2024-01-03" and event["stage"] == "murni")
    assert murni["realisasi_saat_itu"] == 0
    others = [event for event in events if event not in pagu or event["stage"] not in ("murni", "perubahan")]
    assert others and all("realisasi_saat_itu" not in event for event in others)


def test_pagu_says_what_was_realised_by_its_date(spent: str, demo_url: str) -> None:
    assert answer(spent, "pagu", FASILITASI, "--as-of", "2024-11-01")["realisasi"] == 154_100_000
    assert answer(spent, "pagu", FASILITASI, "--as-of", "2025-01-31")["realisasi"] == 172_750_000
    shown = invoke(spent, "pagu", FASILITASI, "--as-of", "2024-11-01")
    assert "realised by then: Rp 154.100.000" in shown.output
    assert "realisasi" not in answer(spent, "pagu", "7.01.01.2.06.01")  # a line that spent nothing stated says nothing


def test_tabel_2_1_as_printed(demo_url: str) -> None:
    report = answer(demo_url, "report", "tabel-2-1")
    program = report["rows"][0]
    assert program["kode"] == "7.01.01" and program["realisasi_tw2"] == "51.48" and program["realisasi_2023"] == "100"


@pytest.mark.parametrize(("table", "expected"), [
    ("row,kode,tahun,periode,nilai\n1,7.01.01.2.06.08,2024,TW V,1.000\n", "'periode'"),
    ("row,kode,tahun,periode,nilai\n1,7.01.01.2.06.08,2031,3,1.000\n", "realisasi-tahun"),
    ("row,kode,tahun,periode,nilai\n1,7.01.01,2024,3,1.000\n", "pelaksanaan-level"),
    ("row,kode,tahun,periode,nilai\n1,9.99.99.2.99.99,2024,3,1.000\n", "'kode'"),
    ("row,kode,tahun,periode,nilai,bukti\n1,7.01.01.2.06.08,2024,3,1.000,kuitansi\n", "'bukti'"),
])
def test_a_bad_realisasi_row_is_named_and_nothing_is_written(demo_url: str, tmp_path: Path, table: str,
                                                             expected: str) -> None:
    path = tmp_path / "lra.csv"
    path.write_text(table, encoding="utf-8")
    before = invoke(demo_url, "verify", "--head").stdout
    result = invoke(demo_url, "--opd", "Kecamatan Mangkutana", "--tahun", "2024", "import", str(path), "--layout",
                    "realisasi_keuangan", "--kind", "lra", "--tanggal", "2024-04-10")
    assert result.exit_code == 1 and expected in result.output and "lra.csv" in result.output, result.output
    assert invoke(demo_url, "verify", "--head").stdout == before


def test_the_web_shows_the_evaluation_and_the_realisasi_beside_each_revision(spent: str) -> None:
    from fastapi.testclient import TestClient

    from web.app import create_app

    client = TestClient(create_app(spent))
    line = client.get(f"/baris/Kecamatan%20Mangkutana/2024/{FASILITASI}")
    assert line.status_code == 200 and "Realisasi s.d. saat itu" in line.text and "154.100.000" in line.text
    evaluasi = client.get("/rencana/Kecamatan%20Mangkutana/2024/evaluasi", params={"as_of": "2025-01-31"})
    assert evaluasi.status_code == 200 and "172.750.000" in evaluasi.text and "Pendorong" in evaluasi.text
    workbook = client.get("/rencana/Kecamatan%20Mangkutana/2024/pengukuran", params={"format": "xlsx"})
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
