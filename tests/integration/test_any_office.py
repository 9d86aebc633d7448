"""Another office's documents: the second real dataset (RKPA 2022, Setwan Lampung Timur) and a
clearly labeled synthetic before/after form with two keluaran indicators on one line.

They exercise what the Mangkutana documents do not: a *sebelum / setelah perubahan* form
imported in one step, several indicators per line, a unit outside the known list kept as
printed, and money stated only at kegiatan level."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.conftest import invoke
from tests.integration.lamtim import LAMTIM, synthetic_dpa

KEGIATAN = "4.02.01.2.06"


def run_json(url: str, *args: str) -> Any:
    result = invoke(url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def row(report: dict[str, Any], kode: str) -> dict[str, Any]:
    return next(r for r in report["rows"] if r["kode"] == kode)


def event_count(url: str) -> int:
    if "://" not in url and not Path(url).exists():
        return 0  # a refused first import leaves no SQLite file
    return int(invoke(url, "verify", "--head").stdout.split()[0])


# --- the second real dataset ------------------------------------------------------------------

def test_the_rkpa_loads_its_sebelum_as_murni_and_its_sesudah_as_perubahan(db_url: str) -> None:
    imported = invoke(db_url, "import", str(LAMTIM))
    assert imported.exit_code == 0, imported.output
    perubahan = run_json(db_url, "report", "perubahan")
    murni = run_json(db_url, "report", "renja")
    assert row(perubahan, KEGIATAN)["pagu"] == 1_882_880_000 and row(murni, KEGIATAN)["pagu"] == 1_695_000_000
    # Only the kegiatan states money (its sub-kegiatan's amounts are not visible): it counts by its own statement.
    assert perubahan["total"]["pagu"] == 1_882_880_000 and murni["total"]["pagu"] == 1_695_000_000
    assert row(perubahan, "4.02.01")["pagu"] == 1_882_880_000 and row(perubahan, "4.02.01.2.06.01")["pagu"] is None
    indicators = {(i["peran"], i["teks"], i["target"]["nilai"], i["target"]["satuan"])
                  for i in row(perubahan, KEGIATAN)["indikator"]}
    assert indicators == {
        ("own", "Terlaksananya kegiatan administrasi perkantoran sesuai aturan", "100", "%"),
        ("program", "Nilai Indeks Kepuasan Masyarakat terhadap layanan perangkat daerah", "65", "%"),
        ("keluaran", "Pelaksanaan kegiatan perkantoran sesuai aturan", "12", "Bulan"),
    }


def test_the_sebelum_figures_say_they_are_restated_by_the_rkpa(db_url: str) -> None:
    assert invoke(db_url, "import", str(LAMTIM)).exit_code == 0
    history = run_json(db_url, "history", KEGIATAN)
    murni = [e for e in history["events"] if e["event"] == "PaguSet" and e["stage"] == "murni"]
    assert len(murni) == 1 and murni[0]["after"] == "1.695.000.000"
    assert murni[0]["source"]["table"] == "RKPA - Rincian Belanja SKPD (halaman 1), sebelum perubahan"
    assert murni[0]["reason"].startswith("restated by") and murni[0]["effective_on"] == "2022-09-22"
    # The diff of the day the RKPA is dated counts the kegiatan-only figure.
    diff = run_json(db_url, "diff", "--from", "2022-09-21", "--to", "2022-09-22")
    assert diff["total"]["sesudah"] == 1_882_880_000
    assert [r["kode"] for p in diff["programs"] for r in p["rows"] if r["sesudah"]] == [KEGIATAN]


# --- a synthetic before/after form (not a real document) ---------------------------------------

SYNTHETIC_COLUMNS = ["row", "level", "kode", "nama", "indikator", "target", "pagu", "pagu_sebelum", "target_sebelum"]


def synthetic_rkpa(folder: Path, rows: list[dict[str, str]], tanggal_sebelum: str | None = "2021-01-04") -> Path:
    """SYNTHETIC: an RKPA-like form of an invented office, with a sub-kegiatan that prints two
    keluaran indicators (regulations in Perda, decrees in Pergub) on two rows."""
    folder.mkdir()
    before = f"tanggal_sebelum = {tanggal_sebelum}\n" if tanggal_sebelum else ""
    (folder / "document.toml").write_text(
        'kind = "rkpa"\njudul = "SINTETIS: RKPA Biro Contoh 2021"\nopd = "Biro Contoh"\ntahun = 2021\n'
        'tanggal = 2021-09-15\n\n[[tabel]]\nid = "RKPA"\nfile = "rkpa.csv"\nlayout = "budget"\nstage = "perubahan"\n'
        + before, encoding="utf-8")
    with (folder / "rkpa.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=SYNTHETIC_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return folder


PROGRAM = {"row": "1", "level": "program", "kode": "4.01.05", "nama": "FASILITASI DAN KOORDINASI HUKUM"}
KEGIATAN_ROW = {"row": "2", "level": "kegiatan", "kode": "4.01.05.1.01", "nama": "Fasilitasi Penyusunan Perundang-Undangan"}
PERDA = {"row": "3", "level": "sub_kegiatan", "kode": "4.01.05.1.01.01", "nama": "Fasilitasi Penyusunan Produk Hukum",
         "indikator": "Jumlah Peraturan Daerah yang terbentuk", "target": "12 Perda", "target_sebelum": "10 Perda",
         "pagu": "509.547.700", "pagu_sebelum": "1.165.317.200"}
PERGUB = {"row": "4", "level": "sub_kegiatan", "kode": "4.01.05.1.01.01", "nama": "Fasilitasi Penyusunan Produk Hukum",
          "indikator": "Jumlah Peraturan Gubernur yang terbentuk", "target": "40 Pergub", "target_sebelum": "40 Pergub"}
SUB = "4.01.05.1.01.01"


def test_a_before_after_form_with_two_indicators_on_one_line(db_url: str, tmp_path: Path) -> None:
    imported = invoke(db_url, "import", str(synthetic_rkpa(tmp_path / "rkpa", [PROGRAM, KEGIATAN_ROW, PERDA, PERGUB])))
    assert imported.exit_code == 0, imported.output
    perubahan = run_json(db_url, "report", "perubahan")
    keluaran = [(i["ke"], i["teks"], i["target"]) for i in row(perubahan, SUB)["indikator"] if i["peran"] == "own"]
    assert keluaran == [(1, "Jumlah Peraturan Daerah yang terbentuk", {"nilai": "12", "satuan": "Perda"}),
                        (2, "Jumlah Peraturan Gubernur yang terbentuk", {"nilai": "40", "satuan": "Pergub"})]
    assert row(perubahan, SUB)["pagu"] == 509_547_700
    # The sebelum figures took effect on the date the manifest gives: the murni of January.
    january = run_json(db_url, "report", "renja", "--as-of", "2021-02-01")
    assert row(january, SUB)["pagu"] == 1_165_317_200 and row(january, SUB)["target"] == {"nilai": "10", "satuan": "Perda"}
    diff = run_json(db_url, "diff", "--from", "2021-02-01", "--to", "2021-09-15")
    [changed] = [r for p in diff["programs"] for r in p["rows"]]
    assert (changed["sebelum"], changed["sesudah"]) == (1_165_317_200, 509_547_700)
    kinds = [e["kind"] for e in run_json(db_url, "history", SUB)["events"]]
    assert "indicator set (own 2)" in kinds and "target set (own 2)" in kinds and "target set (own)" in kinds


def test_perda_round_trips_through_set_target_reports_and_history(db_url: str, tmp_path: Path) -> None:
    assert invoke(db_url, "import", str(synthetic_rkpa(tmp_path / "rkpa", [PROGRAM, KEGIATAN_ROW, PERDA, PERGUB]))).exit_code == 0
    changed = invoke(db_url, "set-target", SUB, "14", "Perda", "--stage", "perubahan", "--effective", "2021-10-01",
                     "--reason", "ralat target Perda")
    assert changed.exit_code == 0, changed.output
    assert "14 Perda" in changed.output and "was 12 Perda" in changed.output
    second = invoke(db_url, "set-target", SUB, "41", "pergub", "--ke", "2", "--stage", "perubahan",
                    "--effective", "2021-10-01", "--reason", "satu Pergub lagi")
    assert second.exit_code == 0, second.output
    perubahan = run_json(db_url, "report", "perubahan")
    assert row(perubahan, SUB)["target"] == {"nilai": "14", "satuan": "Perda"}
    assert [i["target"] for i in row(perubahan, SUB)["indikator"]] == [{"nilai": "14", "satuan": "Perda"},
                                                                       {"nilai": "41", "satuan": "Pergub"}]
    assert "14 Perda" in invoke(db_url, "report", "perubahan").stdout  # the terminal's Target column
    exported = list(csv.DictReader(io.StringIO(invoke(db_url, "report", "perubahan", "--format", "csv").stdout
                                               .lstrip("\ufeff"), newline="")))
    sub = next(r for r in exported if r["Kode"] == SUB)
    assert sub["Rencana Tahun 2021 / Target Capaian Kinerja / Keluaran Sub Kegiatan"] == "14 Perda\n41 Pergub"
    assert sub["Indikator Kinerja / Keluaran Sub Kegiatan"] == ("Jumlah Peraturan Daerah yang terbentuk\n"
                                                               "Jumlah Peraturan Gubernur yang terbentuk")
    workbook = tmp_path / "perubahan.xlsx"
    assert invoke(db_url, "report", "perubahan", "--format", "xlsx", "--output", str(workbook)).exit_code == 0
    cells = [str(c.value) for sheet in load_workbook(workbook) for r in sheet.iter_rows() for c in r if c.value]
    assert any("Perda" in c for c in cells) and any("41 Pergub" in c for c in cells)
    history = run_json(db_url, "history", SUB)
    assert [e["after"] for e in history["events"] if e["kind"] == "target changed (own)"] == ["14 Perda"]
    assert [e["after"] for e in history["events"] if e["kind"] == "target changed (own 2)"] == ["41 Pergub"]


def test_a_repeated_row_that_restates_the_money_differently_is_refused(db_url: str, tmp_path: Path) -> None:
    conflicting = {**PERGUB, "pagu": "500.000.000"}
    result = invoke(db_url, "import", str(synthetic_rkpa(tmp_path / "rkpa", [PROGRAM, KEGIATAN_ROW, PERDA, conflicting])))
    assert result.exit_code == 1
    assert "rkpa.csv, row 4, field 'pagu'" in result.output and "row 3" in result.output
    assert event_count(db_url) == 0


def test_without_a_date_for_the_sebelum_figures_they_are_restated_on_the_forms_date(db_url: str, tmp_path: Path) -> None:
    folder = synthetic_rkpa(tmp_path / "rkpa", [PROGRAM, KEGIATAN_ROW, PERDA], tanggal_sebelum=None)
    assert invoke(db_url, "import", str(folder)).exit_code == 0
    assert run_json(db_url, "pagu", SUB, "--stage", "murni", "--as-of", "2021-09-14")["pagu"] is None
    assert row(run_json(db_url, "report", "renja", "--as-of", "2021-09-15"), SUB)["pagu"] == 1_165_317_200


def test_changing_an_indicator_names_it_by_number(db_url: str, tmp_path: Path) -> None:
    assert invoke(db_url, "import", str(synthetic_rkpa(tmp_path / "rkpa", [PROGRAM, KEGIATAN_ROW, PERDA, PERGUB]))).exit_code == 0
    gap = invoke(db_url, "change-indicator", SUB, "Jumlah Pergub", "--ke", "4", "--stage", "perubahan",
                 "--effective", "2021-10-01", "--reason", "x")
    assert gap.exit_code == 1 and "indicator-number" in gap.output
    replaced = invoke(db_url, "change-indicator", SUB, "Jumlah Peraturan Gubernur yang ditetapkan", "--ke", "2",
                      "--stage", "perubahan", "--effective", "2021-10-01", "--reason", "wording of the DPPA")
    assert replaced.exit_code == 0, replaced.output
    texts = [i["teks"] for i in row(run_json(db_url, "report", "perubahan"), SUB)["indikator"]]
    assert texts == ["Jumlah Peraturan Daerah yang terbentuk", "Jumlah Peraturan Gubernur yang ditetapkan"]


def test_a_shift_into_the_parent_kegiatan_is_refused_and_nothing_is_recorded(db_url: str, tmp_path: Path) -> None:
    assert invoke(db_url, "import", str(synthetic_rkpa(tmp_path / "rkpa", [PROGRAM, KEGIATAN_ROW, PERDA]))).exit_code == 0
    before = event_count(db_url)
    refused = invoke(db_url, "shift", SUB, "4.01.05.1.01", "10.000.000", "--effective", "2021-10-01",
                     "--reason", "ke kegiatan")
    assert refused.exit_code == 1 and "[shift-level]" in refused.output and "-> 4.01.05.1.01 " in refused.output
    assert event_count(db_url) == before
    assert run_json(db_url, "report", "perubahan")["total"]["pagu"] == 509_547_700


def test_another_kode_for_a_line_the_plan_holds_is_refused_with_both_sources(db_url: str, tmp_path: Path) -> None:
    assert invoke(db_url, "import", str(synthetic_rkpa(tmp_path / "rkpa", [PROGRAM, KEGIATAN_ROW, PERDA]))).exit_code == 0
    before = event_count(db_url)
    recoded = {**PERDA, "kode": "4.01.05.1.01.02"}
    second = synthetic_rkpa(tmp_path / "dppa", [PROGRAM, KEGIATAN_ROW, recoded])
    (second / "document.toml").write_text((second / "document.toml").read_text(encoding="utf-8")
                                          .replace("2021-09-15", "2021-10-20").replace('"rkpa"', '"dppa"'), encoding="utf-8")
    refused = invoke(db_url, "import", str(second))
    assert refused.exit_code == 1, refused.output
    assert "rkpa.csv, row 3, field 'kode'" in refused.output and "4.01.05.1.01.02" in refused.output
    assert "as 4.01.05.1.01.01 (SINTETIS: RKPA Biro Contoh 2021 (2021-09-15), RKPA, row 3" in refused.output
    assert event_count(db_url) == before


def test_a_restated_murni_that_differs_from_the_dpa_is_a_finding(db_url: str, tmp_path: Path) -> None:
    dpa = synthetic_dpa(tmp_path)
    for folder in (LAMTIM, dpa):
        assert invoke(db_url, "import", str(folder)).exit_code == 0
    [found] = [f for f in run_json(db_url, "check")["findings"] if f["rule"] == "restatement-pagu"]
    assert (found["stated"], found["computed"], found["kodes"]) == (1_600_000_000, 1_695_000_000, [KEGIATAN])
    diff = run_json(db_url, "diff", "--from", "2022-02-01", "--to", "2022-09-22")
    assert (diff["total"]["sebelum"], diff["total"]["sesudah"]) == (1_600_000_000, 1_882_880_000)
