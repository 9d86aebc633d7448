"""The official forms on the Mangkutana demo ledger, read back as a reader would: the XLSX
with openpyxl (headers in the form's order, column numbers, paper, print titles, fonts, the
document's figure beside the computed one) and the PDF's text with pypdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader
from typer.testing import CliRunner

from cli.app import app

RUNS = {"rencana-aksi": "2024-03-01", "tabel-2-3": "2024-09-01", "perubahan": "2024-09-01", "renja": "2024-03-01"}
PROGRAM = "7.01.01 PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("forms") / "ledger.db"
    result = CliRunner().invoke(app, ["--db", str(db), "demo", "--fresh"])
    assert result.exit_code == 0, result.output
    return db


def export(db: Path, kind: str, fmt: str, *extra: str) -> Path:
    output = db.parent / f"{kind}{'-'.join(extra)}.{fmt}"
    args = ["--db", str(db), "report", kind, "--as-of", RUNS[kind], "--format", fmt, "--output", str(output), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, (result.output, result.exception)
    return output


@pytest.fixture(scope="module")
def sheets(demo: Path) -> dict[str, Worksheet]:
    found = {}
    for kind in RUNS:
        sheet = load_workbook(export(demo, kind, "xlsx")).active
        assert isinstance(sheet, Worksheet)
        found[kind] = sheet
    return found


def values(sheet: Worksheet) -> list[tuple[int, int, Any]]:
    return [(c.row, c.column, c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def row_values(sheet: Worksheet, row: int) -> list[Any]:
    return [sheet.cell(row, col).value for col in range(1, sheet.max_column + 1)]


def find_row(sheet: Worksheet, text: str) -> int:
    rows = [r for r, _, v in values(sheet) if v == text]
    assert rows, text
    return rows[0]


def test_tabel_2_3_is_the_forms_twelve_columns_with_their_numbers(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["tabel-2-3"]
    top = find_row(sheet, "NO")
    assert [v for v in row_values(sheet, top)[:12] if v] == ["NO", "RANCANGAN PERUBAHAN RKPD", "HASIL ANALISIS KEBUTUHAN",
                                                               "CATATAN PENTING"]
    assert row_values(sheet, top + 1)[1:11] == ["PROGRAM / KEGIATAN", "LOKASI", "INDIKATOR KINERJA", "TARGET CAPAIAN",
                                                 "PAGU INDIKATIF", "PROGRAM / KEGIATAN", "LOKASI", "INDIKATOR KINERJA",
                                                 "TARGET CAPAIAN", "KEBUTUHAN DANA"]
    assert row_values(sheet, top + 2)[:12] == list(range(1, 13))
    assert sheet.print_title_rows == f"${top}:${top + 2}"
    assert [sheet.cell(r, 1).value for r in range(1, 4)] == ["Tabel 2.3", "Reviu terhadap Rancangan Perubahan RKPD Tahun 2024",
                                                            "KECAMATAN MANGKUTANA"]


def test_tabel_2_3_program_row_shows_the_computed_and_the_stated_pagu(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["tabel-2-3"]
    program = find_row(sheet, PROGRAM)
    cells = row_values(sheet, program)
    assert cells[5] == 2_652_303_450  # PAGU INDIKATIF, computed from the sub-kegiatan
    assert 2_661_183_450 in cells[12:] and 8_880_000 in cells[12:]  # the document's figure and the difference, outside the form
    assert sheet.cell(program, 6).fill.fgColor.rgb.endswith("FFE699")  # only the differing cell is marked
    assert not sheet.cell(program, 11).fill.fgColor.rgb.endswith("FFE699")
    assert any(isinstance(v, str) and v.startswith("Sel bertanda") for _, _, v in values(sheet))


def test_every_sheet_prints_on_a4_landscape_with_page_numbers_and_named_fonts(sheets: dict[str, Worksheet]) -> None:
    for sheet in sheets.values():
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert {sheet.cell(r, c).font.name for r, c, _ in values(sheet)} == {"Arial"}
        assert len(sheet.title) <= 31 and sheet.print_title_rows


def test_f4_paper_is_selectable(demo: Path) -> None:
    sheet = load_workbook(export(demo, "perubahan", "xlsx", "--paper", "f4")).active
    assert sheet is not None and sheet.page_setup.paperSize == 14


def test_tabel_3_2_splits_the_kode_and_groups_its_columns_as_the_form(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["perubahan"]
    top = find_row(sheet, "Kode")
    assert [v for v in row_values(sheet, top) if v][:6] == ["Kode", "Urusan/ Bidang Urusan/ Program/ Kegiatan/ Sub Kegiatan",
                                                             "Indikator Kinerja", "Rencana Tahun 2024", "Catatan Penting",
                                                             "Prakiraan Maju Rencana Tahun 2025"]
    assert [v for v in row_values(sheet, top + 1) if v][:5] == ["Capaian Program", "Keluaran Sub Kegiatan", "Hasil Kegiatan",
                                                                 "Lokasi Output Kegiatan", "Target Capaian Kinerja"]
    tamu = find_row(sheet, "Fasilitasi Kunjungan Tamu")
    assert row_values(sheet, tamu)[:5] == ["7", "01", "01", "2.06", "08"]
    assert 200_710_000 in row_values(sheet, tamu)
    total = find_row(sheet, "TOTAL")
    assert 2_982_102_179 in row_values(sheet, total) and 3_065_872_800 in row_values(sheet, total)  # computed, stated


def test_rencana_aksi_has_the_forms_columns_dashes_and_signature(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["rencana-aksi"]
    top = find_row(sheet, "No")
    assert [v for v in row_values(sheet, top) if v][:11] == [
        "No", "Sasaran", "Indikator", "Target", "Program / Kegiatan", "Indikator Kinerja Program dan Kegiatan",
        "TRIWULAN I", "TRIWULAN II", "TRIWULAN III", "TRIWULAN IV", "Kondisi Kinerja pada akhir tahun"]
    numbers = [v for v in row_values(sheet, top + 2) if v is not None]
    assert numbers[:12] == list(range(1, 13))
    everything = [v for _, _, v in values(sheet)]
    assert "Mangkutana, 3 Januari 2024" in everything and "ZULKIFLI ADI SAPUTRA, ST" in everything
    assert "NIP. 19840710 201001 1 026" in everything
    assert "Meningkatnya Kemampuan Pelayanan Publik Penyelenggaraan Urusan Pemerintahan Kecamatan" in everything
    total = find_row(sheet, "Total")
    assert 2_818_872_800 in row_values(sheet, total)
    zero = [sheet.cell(r, c) for r, c, v in values(sheet) if v == 0]
    assert all(cell.number_format.endswith('"-"') for cell in zero)  # zero prints "-"


def test_text_that_looks_like_a_formula_stays_text(demo: Path, tmp_path: Path) -> None:
    from projections.render.xlsx import inert

    assert inert('=HYPERLINK("x")') == "'=HYPERLINK(\"x\")" and inert("-") == "-" and inert("+55,07%") == "+55,07%"
    assert inert("-1+2").startswith("'") and inert("-12.000.000") == "-12.000.000"
    assert inert("-cmd|' /C calc'!A0").startswith("'") and inert("@SUM(A1)").startswith("'")


def test_the_pdf_is_the_form_with_its_totals(demo: Path) -> None:
    tabel = PdfReader(export(demo, "tabel-2-3", "pdf"))
    text = " ".join(" ".join(page.extract_text().split()) for page in tabel.pages)
    for heading in ("RANCANGAN PERUBAHAN RKPD", "HASIL ANALISIS KEBUTUHAN", "KEBUTUHAN DANA", "CATATAN PENTING"):
        assert heading in text
    assert "2.779.992.800" in text and "3.065.872.800" in text and "2.788.872.800" in text
    assert "Halaman 1 dari" in text
    plan = PdfReader(export(demo, "perubahan", "pdf"))
    plan_text = " ".join(" ".join(page.extract_text().split()) for page in plan.pages)
    assert "RUMUSAN PERUBAHAN RENCANA PROGRAM DAN KEGIATAN" in plan_text and "2.982.102.179" in plan_text
    box = plan.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape


def test_csv_has_the_forms_headers_kode_level_whole_rupiah_and_the_chosen_separator(demo: Path) -> None:
    args = ["--db", str(demo), "report", "perubahan", "--as-of", "2024-09-01", "--format", "csv", "--csv-sep", ";"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeffKode;Tingkat;Urusan/ Bidang Urusan/ Program/ Kegiatan/ Sub Kegiatan;")
    tamu = next(line for line in result.stdout.splitlines() if line.startswith("7.01.01.2.06.08;sub_kegiatan;"))
    assert ";200710000;" in tamu


def test_every_report_and_the_check_print_as_pdf(demo: Path) -> None:
    output = demo.parent / "check.pdf"
    result = CliRunner().invoke(app, ["--db", str(demo), "check", "--format", "pdf", "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(output).pages)
    assert "PEMERIKSAAN KONSISTENSI" in text and "kebutuhan-pagu" in text


def test_csv_cells_never_start_a_formula() -> None:
    from projections.render.csvfile import csv_text
    from projections.tabular import Column, Tabular

    tabular = Tabular("t", [Column("nama", "Nama"), Column("pagu", "Pagu", "money")],
                      [{"kode": "=1+1", "level": "program", "nama": '=HYPERLINK("http://x/","klik")', "pagu": -5}])
    text = csv_text(tabular, ",")
    assert "'=1+1" in text and "\"'=HYPERLINK(\"\"http://x/\"\",\"\"klik\"\")\"" in text and ",-5" in text
