"""`renja check` on the demo ledger finds the inconsistencies of the two Mangkutana documents.

Every amount below was confirmed by reading the seed texts (/work/shared/seeds/*.txt) and the
notes written while transcribing them (docs/seed-notes-*.md); the note and seed line of
each is given next to it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.app import app
from projections.checks import registered

RKPD = "Tabel 2.3 (Rancangan Perubahan RKPD)"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("checks") / "demo.db"
    result = CliRunner().invoke(app, ["--db", str(path), "demo", "--fresh"])
    assert result.exit_code == 0, result.output
    return path


def check(path: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--db", str(path), "check", *args])


@pytest.fixture(scope="module")
def report(ledger: Path) -> dict[str, Any]:
    result = check(ledger, "--format", "json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def of(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == rule]


def amounts(report: dict[str, Any], rule: str) -> set[tuple[str | None, int | None, int | None]]:
    """(first kode, stated, computed) of each finding of a rule."""
    return {(f["kodes"][0] if f["kodes"] else None, f["stated"], f["computed"]) for f in of(report, rule)}


def one(report: dict[str, Any], rule: str, kode: str | None, **expected: Any) -> dict[str, Any]:
    found = [f for f in of(report, rule) if (f["kodes"][0] if f["kodes"] else None) == kode
             and all(f[key] == value for key, value in expected.items())]
    assert len(found) == 1, f"{rule} {kode} {expected}: {of(report, rule)}"
    return found[0]


# --- roll-ups ---------------------------------------------------------------------------------

def test_tabel_2_3_rkpd_kegiatan_subtotals_that_do_not_add_up(report: dict[str, Any]) -> None:
    # seed-notes-renja-perubahan-2 §1: Administrasi Kepegawaian (line 682), Pemeliharaan BMD (line 955).
    kepegawaian = one(report, "rollup", "7.01.01.2.05", stated=25_294_550)
    assert (kepegawaian["computed"], kepegawaian["difference"]) == (18_994_550, 6_300_000)
    assert f"{RKPD}, row 15" in kepegawaian["sources"][0]
    pemeliharaan = one(report, "rollup", "7.01.01.2.09", stated=63_630_000)
    assert (pemeliharaan["computed"], pemeliharaan["difference"]) == (61_050_000, 2_580_000)


def test_every_stated_subtotal_that_differs_from_its_rows_and_no_other(report: dict[str, Any]) -> None:
    assert amounts(report, "rollup") == {
        # Tabel 2.3 RKPD side: two kegiatan, and the program that carries them up (+8.880.000).
        ("7.01.01.2.05", 25_294_550, 18_994_550), ("7.01.01.2.09", 63_630_000, 61_050_000),
        ("7.01.01", 2_661_183_450, 2_652_303_450),
        # Tabel 3.2 pagu 2024 (seed-notes-renja-perubahan-3 §1a): program 7 01 01 (line 1529),
        # kegiatan 2.07 (2248, the missing kendaraan 34.500.000), 2.08 (2888), 2.04 and program 7 01 02.
        ("7.01.01", 2_659_273_950, 2_819_003_329), ("7.01.01.2.07", 80_855_379, 46_355_379),
        ("7.01.01.2.08", 147_029_800, 126_529_800), ("7.01.02.2.04", 4_240_011, 5_266_550),
        ("7.01.02", 4_240_011, 5_266_550),
    }


def test_stated_opd_totals_against_the_programs(report: dict[str, Any]) -> None:
    assert amounts(report, "rollup-total") == {
        (None, 2_788_872_800, 2_779_992_800),  # Tabel 2.3 RKPD Jumlah, top and bottom rows (lines 504, 1323)
        (None, 3_065_872_800, 2_841_846_261),  # Tabel 3.2 TOTAL (line 3444)
        ("7.01", 2_818_872_800, 2_841_846_261),  # Tabel 3.2 7 01 KECAMATAN (line 1519)
    }
    assert len(of(report, "rollup-total")) == 4


def test_tabel_3_2_kecamatan_row_and_total_disagree(report: dict[str, Any]) -> None:
    found = one(report, "total-agreement", "7.01", stated=2_818_872_800, computed=3_065_872_800)
    assert found["difference"] == -247_000_000 and found["severity"] == "error"
    assert "row 2" in found["message"] and "row 59" in found["message"]


def test_prakiraan_maju_rollups(report: dict[str, Any]) -> None:
    # seed-notes-renja-perubahan-3 §1b: kegiatan 2.06 prints 19,009,500 (line 1984) over rows of 419,009,500.
    administrasi_umum = one(report, "forward-rollup", "7.01.01.2.06", stated=19_009_500)
    assert (administrasi_umum["computed"], administrasi_umum["difference"]) == (419_009_500, -400_000_000)
    assert amounts(report, "forward-rollup") == {
        ("7.01.01", 3_337_425_306, 2_889_521_617), ("7.01.01.2.05", 40_750_000, 25_500_000),
        ("7.01.01.2.06", 19_009_500, 419_009_500), ("7.01.01.2.07", 102_500_000, 72_000_000),
    }
    assert amounts(report, "forward-rollup-total") == {(None, 3_503_806_132, 3_410_152_443),
                                                       ("7.01", 3_503_806_132, 3_410_152_443)}


# --- triwulan ---------------------------------------------------------------------------------

def test_rencana_aksi_footer_against_the_rows(report: dict[str, Any]) -> None:
    # seed-notes-rencana-aksi §3, footer at L845.
    tw1 = one(report, "triwulan-rollup", None, stated=992_370_386)
    assert (tw1["computed"], tw1["difference"]) == (1_026_870_386, -34_500_000)
    assert "triwulan I total" in tw1["message"] and "Rencana Aksi, row 57" in tw1["sources"][0]
    one(report, "triwulan-rollup", None, stated=849_484_807, computed=862_994_807)
    footer = one(report, "triwulan-sum", None, stated=2_818_872_800)
    assert (footer["computed"], footer["difference"]) == (2_770_862_800, 48_010_000)


def test_rencana_aksi_parent_triwulan(report: dict[str, Any]) -> None:
    # seed-notes-rencana-aksi §1 and §2: the Pengadaan kegiatan (row 42) and program Penunjang (row 21).
    assert amounts(report, "triwulan-rollup") == {
        ("7.01.01", 932_750_961, 980_760_961), ("7.01.01", 800_622_382, 814_132_382),
        ("7.01.01.2.07", 48_010_000, 34_500_000), ("7.01.01.2.07", 0, 13_510_000),
        (None, 992_370_386, 1_026_870_386), (None, 849_484_807, 862_994_807),
    }
    one(report, "triwulan-sum", "7.01.01", stated=2_659_273_950, computed=2_611_263_950)


def test_the_pengadaan_money_sits_in_no_quarterly_total(report: dict[str, Any]) -> None:
    found = one(report, "triwulan-unallocated", "7.01.01.2.07", stated=48_010_000)
    assert found["kodes"] == ["7.01.01.2.07", "7.01.01"]
    assert "footer" in found["message"] and "48.010.000" in found["message"]


def test_triwulan_targets_that_agree_neither_as_running_total_nor_as_level(report: dict[str, Any]) -> None:
    # seed-notes-rencana-aksi §4: the 22 inconsistent sub-kegiatan, and the Pengadaan kegiatan (row 42).
    rows = {f["sources"][0].split("row ")[-1] for f in of(report, "triwulan-target")}
    assert rows == {str(r) for r in (3, 6, 7, 10, 11, 13, 20, 34, 37, 39, 40, 41, 42, 43, 44, 45, 46, 48, 49, 50,
                                      51, 54, 55)}
    kunjungan = one(report, "triwulan-target", "7.01.01.2.06.08")
    assert "9237 Orang" in kunjungan["message"] and "96 Orang" in kunjungan["message"]


# --- restatements and units --------------------------------------------------------------------

def test_tabel_3_2_and_tabel_2_3_pagu_that_disagree(report: dict[str, Any]) -> None:
    # seed-notes-renja-perubahan-3 §2: 7 sub-kegiatan and 5 subtotals (Pemeliharaan Mebel has no
    # kebutuhan dana in Tabel 2.3, so nothing to compare). One document contradicting itself: errors.
    pelayanan = one(report, "kebutuhan-pagu", "7.01.01.2.08.04")
    assert pelayanan["severity"] == "error"
    assert (pelayanan["stated"], pelayanan["computed"], pelayanan["difference"]) == (42_000_000, 57_000_000, -15_000_000)
    assert "Tabel 3.2 row 32" in pelayanan["message"] and "Tabel 2.3 (Hasil Analisis Kebutuhan) row 35" in pelayanan["message"]
    assert {(f["kodes"][0], f["difference"]) for f in of(report, "kebutuhan-pagu")} == {
        ("7.01.01.2.02.01", -61_750_621), ("7.01.01.2.08.03", -5_500_000), ("7.01.01.2.08.04", -15_000_000),
        ("7.01.01.2.09.02", -50_000), ("7.01.01.2.09.06", -1_520_000), ("7.01.01.2.09.09", -1_700_000),
        ("7.01.01.2.09.10", -250_000), ("7.01.01", -223_000_000), ("7.01.01.2.02", -61_750_621),
        ("7.01.01.2.09", -1_520_000), ("7.01.02", -1_026_539), ("7.01.02.2.04", -1_026_539),
    }


def test_rows_one_table_states_without_a_pagu(report: dict[str, Any]) -> None:
    # Pemeliharaan Mebel: Tabel 3.2 line 2620 gives 2,000,000; Tabel 2.3 prints the row with only `0` (line 989).
    # Pengadaan Kendaraan: Tabel 2.3 line 847 gives 34.500.000; Tabel 3.2 has no such row.
    assert amounts(report, "kebutuhan-missing") == {("7.01.01.2.09.05", 2_000_000, None), (None, 34_500_000, None)}


def test_targets_restated_with_another_number(report: dict[str, Any]) -> None:
    # seed-notes-renja-perubahan-3 §3a (rows whose number differs, same unit).
    kunjungan = one(report, "kebutuhan-target", "7.01.01.2.06.08")
    assert "4285 Orang" in kunjungan["message"] and "660 Orang" in kunjungan["message"]
    # ... and those whose satuan differs (§3a again): 9 in all.
    assert {f["kodes"][0] for f in of(report, "kebutuhan-target")} == {
        "7.01.01.2.06.08", "7.01.01.2.08.02", "7.01.01.2.08.04", "7.01.01.2.09.05", "7.01.02.2.04.01",
        "7.01.03.2.01.01", "7.01.01.2.06.01", "7.01.04.2.01.01", "7.01.04.2.01.02"}
    assert of(report, "restatement-pagu") == of(report, "restatement-target") == of(report, "restatement-missing") == []


def test_targets_whose_satuan_changes(report: dict[str, Any]) -> None:
    # §3a again: the rows whose unit differs between Tabel 3.2 and Tabel 2.3 (kebutuhan).
    sinergitas = one(report, "kebutuhan-target", "7.01.04.2.01.01")
    assert "8 Kali" in sinergitas["message"] and "4 Dokumen" in sinergitas["message"]
    stages = one(report, "unit-stage-change", "7.01.04.2.01.01")["message"]
    assert "4 Dokumen (kebutuhan)" in stages and "8 Kali (perubahan)" in stages
    # seed-notes-renja-perubahan-2 §2: Tabel 2.3 line 1158, `4 Dokumen` for an indicator counting (Kasus).
    sinergitas_units = [f["message"] for f in of(report, "unit-indicator") if f["kodes"] == ["7.01.04.2.01.01"]]
    assert any("4 Dokumen" in m and "counted in Kasus" in m for m in sinergitas_units)
    assert len(sinergitas_units) == 3 and len(of(report, "unit-indicator")) == 8


def test_lines_known_only_by_name_and_a_bare_target(report: dict[str, Any]) -> None:
    names = {f["message"].split(" (no kode)")[0].split(" ", 1)[1] for f in of(report, "kode-missing")}
    assert "Pengadaan Kendaraan Perorangan Dinas atau Kendaraan Dinas" in names and len(names) == 6
    assert {f["severity"] for f in of(report, "kode-missing")} == {"info"}
    assert "triwulan I target 1" in of(report, "unit-missing")[0]["message"]


# --- the contract ------------------------------------------------------------------------------

def test_json_contract_and_summary(report: dict[str, Any]) -> None:
    assert set(report) == {"findings", "summary"}
    summary = report["summary"]
    assert set(summary["by_rule"]) == {each.id for each in registered()}
    assert sum(summary["by_rule"].values()) == summary["total"] == len(report["findings"])
    assert set(summary["by_severity"]) == {"error", "warning", "info"}
    assert sum(summary["by_severity"].values()) == summary["total"]
    assert (summary["opd"], summary["tahun"]) == ("Kecamatan Mangkutana", 2024)
    for finding in report["findings"]:
        assert set(finding) == {"rule", "severity", "kodes", "sources", "message", "stated", "computed", "difference", "id"}


def test_exit_codes(ledger: Path) -> None:
    assert check(ledger).exit_code == 0
    assert check(ledger, "--strict").exit_code == 1
    assert check(ledger, "--as-of", "2024-13-01").exit_code == 2
    assert check(ledger, "--format", "docx").exit_code == 2
    assert check(ledger, "--format", "pdf").exit_code == 1  # a file format without --output


def test_csv_has_one_row_per_finding(ledger: Path, report: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["--db", str(ledger), "--lang", "id", "check", "--format", "csv"])
    assert result.stdout.startswith("\ufeff")  # a BOM: spreadsheet programs read the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert len(rows) == len(report["findings"])
    assert list(rows[0]) == ["Tingkat", "Aturan", "Kode", "Temuan", "Tertulis", "Dihitung / pembanding", "Selisih", "Sumber"]
    assert {row["Tingkat"] for row in rows} == {"galat", "peringatan", "info"}
    assert all(row["Tertulis"].lstrip("-").isdigit() for row in rows if row["Tertulis"])  # whole Rupiah


def test_as_of_january_only_the_rencana_aksi_is_checked(ledger: Path) -> None:
    result = check(ledger, "--as-of", "2024-03-01", "--format", "json")
    assert result.exit_code == 0, result.output
    early = json.loads(result.stdout)
    by_rule = early["summary"]["by_rule"]
    assert by_rule["triwulan-sum"] == 2 and by_rule["triwulan-rollup"] == 6
    assert by_rule["rollup"] == by_rule["kebutuhan-pagu"] == by_rule["forward-rollup"] == 0
    assert all("Renja" not in source for f in early["findings"] for source in f["sources"])
