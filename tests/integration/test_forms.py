"""The official forms on the Mangkutana demo ledger, read back as a reader would: the XLSX
with openpyxl (headers in the form's order, column numbers, paper, print titles, fonts, the
document's figure beside the computed one) and the PDF's text with pypdf."""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader
from typer.testing import CliRunner

from cli.app import app
from projections.render.html import form_html
from projections.system import open_system
from projections.tabular import Tabular
from projections.views import ReadSide

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
        assert sheet.page_setup.scale >= 60  # readable: a wide form goes on across pages (below)
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


# --- issue 26: the forms as the originals print them ----------------------------------------------

OPD = "Kecamatan Mangkutana"
RINCIAN = Path(__file__).resolve().parents[1] / "data" / "rincian_sintetis"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by `make test`")


@pytest.fixture(scope="module")
def with_rincian(demo: Path) -> Path:
    """A copy of the demo ledger with the synthetic DPA and DPPA (the other tests keep the demo as it is)."""
    db = demo.parent / "rincian.db"
    with closing(sqlite3.connect(demo)) as source, closing(sqlite3.connect(db)) as copy:
        source.backup(copy)  # the events still in the write-ahead log too
    for folder in ("dpa_2024", "dppa_2024"):
        done = CliRunner().invoke(app, ["--db", str(db), "import", str(RINCIAN / folder)])
        assert done.exit_code == 0, done.output
    return db


def write(db: Path, name: str, *args: str) -> Path:
    output = db.parent / name
    result = CliRunner().invoke(app, ["--db", str(db), *args, "--output", str(output)])
    assert result.exit_code == 0, (result.output, result.exception)
    return output


def pieces(text: str) -> set[str]:
    """Every way a whole word of the source may print: itself, or its parts where a line may break
    (after '/', '-' or '.'), each part and each run of parts."""
    found = set()
    for token in text.split():
        parts = [p for p in re.split(r"(?<=[/.-])", token) if p]
        found |= {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    return found


def source_words(tabular: Tabular) -> set[str]:
    """Every word the form prints: its HTML's text (headings, headers, cells, legend, signature)."""
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", form_html(tabular), flags=re.S))
    return pieces(html.unescape(text)) | pieces("Halaman dari " + " ".join(str(n) for n in range(1, 100)))


def printed_words(pdf: Path) -> list[str]:
    """The PDF's words, as poppler finds them (a word cut across two lines is two words)."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [html.unescape(word) for word in re.findall(r"<word [^>]*>(.*?)</word>", boxes)]


@contextmanager
def read_side(db: Path) -> Iterator[ReadSide]:
    system = open_system(str(db), create=False)
    try:
        yield system.read_side()
    finally:
        system.app.close()


# Each at a date: a form of "today" prints the minute it was read, which the PDF, read later, may not share.
FORMS = [("renja", "2024-03-01"), ("perubahan", "2024-09-01"), ("rencana-aksi", "2024-03-01"), ("tabel-2-3", "2024-09-01"),
         ("dpa", "2024-12-31"), ("dppa", "2024-12-31"), ("evaluasi", "2024-12-31"), ("tabel-2-1", "2024-12-31"),
         ("pengukuran", "2024-12-31")]


@needs_poppler
def test_no_word_of_any_form_is_cut_across_two_lines_in_the_pdf(with_rincian: Path) -> None:
    with read_side(with_rincian) as read:
        forms = {kind: (read.report(kind, OPD, 2024, as_of=date.fromisoformat(as_of)).tabular,
                        ["report", kind, "--as-of", as_of]) for kind, as_of in FORMS}
        forms["check"] = (read.check(OPD, 2024, as_of=date(2024, 12, 31)).rendered().tabular, ["check", "--as-of", "2024-12-31"])
        forms["diff"] = (read.diff(OPD, 2024, date(2024, 1, 3), date(2024, 8, 1)).tabular,
                         ["diff", "--from", "2024-01-03", "--to", "2024-08-01"])
    for kind, (tabular, args) in forms.items():
        pdf = write(with_rincian, f"words-{kind}.pdf", *args, "--format", "pdf")
        allowed = source_words(tabular)
        cut = sorted({word for word in printed_words(pdf) if word not in allowed})
        assert not cut, (kind, cut[:20])


def test_the_renja_murni_prints_every_column_the_ledger_knows_with_urusan_rows_and_column_numbers(demo: Path) -> None:
    done = CliRunner().invoke(app, ["--db", str(demo), "report", "renja", "--format", "json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    sheet = load_workbook(write(demo, "renja-today.xlsx", "report", "renja", "--format", "xlsx")).active
    assert isinstance(sheet, Worksheet)
    top = find_row(sheet, "Kode")
    numbers = [v for v in row_values(sheet, top + 3) if v is not None]
    assert numbers[:15] == list(range(1, 16))  # the number row under the three header rows
    for row in payload["rows"]:
        if row["level"] != "sub_kegiatan" or not row.get("lokasi"):
            continue
        cells = row_values(sheet, find_row(sheet, row["nama"]))
        assert row["lokasi"] in cells and row["sumber_dana"] in cells, row["kode"]
        assert row["prakiraan_maju"]["pagu"] in cells and row["prakiraan_maju"].get("indikator") in cells, row["kode"]
        if row["indikator_keluaran"]:
            assert any(isinstance(v, str) and row["indikator_keluaran"] in v for v in cells)  # Keluaran Sub Kegiatan
    # Above the first program: its urusan (7) and bidang urusan (7.01) rows, as the form prints them.
    program = find_row(sheet, PROGRAM.split(" ", 1)[1])
    assert [row_values(sheet, program - 2)[:2], row_values(sheet, program - 1)[:2]] == [["7", None], ["7", "01"]]


def test_an_early_renja_murni_still_has_its_urusan_rows_from_the_program_kodes(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["renja"]  # 1 March 2024: only the Rencana Aksi, which prints no urusan row
    program = find_row(sheet, PROGRAM.split(" ", 1)[1])
    assert row_values(sheet, program - 1)[:2] == ["7", "01"] and row_values(sheet, program - 2)[:2] == ["7", None]
    total = row_values(sheet, find_row(sheet, "TOTAL"))
    pagu = next(i for i, v in enumerate(total) if isinstance(v, int))
    assert row_values(sheet, program - 1)[pagu] == total[pagu]  # the bidang's programs, summed: the one bidang's


def test_xlsx_numbers_carry_the_indonesian_locale_and_print_readably_across_pages(sheets: dict[str, Worksheet]) -> None:
    for kind, sheet in sheets.items():
        money = [sheet.cell(r, c) for r, c, v in values(sheet) if isinstance(v, int) and v > 1000]
        assert money and all(cell.number_format.startswith("[$-421]#,##0") for cell in money), kind
        assert not sheet.sheet_properties.pageSetUpPr.fitToPage and 60 <= sheet.page_setup.scale <= 100, kind
        assert sheet.print_title_rows and sheet.print_title_cols, kind
    assert sheets["perubahan"].print_title_cols == "$A:$F"  # the kode and the name, repeated on every page across


def test_the_signature_prints_on_the_page_of_the_last_rows_with_rank_and_nip(demo: Path) -> None:
    for kind, last in (("rencana-aksi", "Total tertulis di dokumen"), ("perubahan", "TOTAL")):
        pages = [" ".join(page.extract_text().split()) for page in PdfReader(export(demo, kind, "pdf")).pages]
        [signed] = [text for text in pages if "NIP. 19840710 201001 1 026" in text]
        assert last in signed and "ZULKIFLI ADI SAPUTRA, ST" in signed and "Penata" in signed, kind


def test_rencana_aksi_total_shows_and_marks_the_stated_triwulan_totals(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["rencana-aksi"]
    total, stated, difference = (max(r for r, _, v in values(sheet) if v == label) for label in
                                 ("Total", "Total tertulis di dokumen", "Selisih (tertulis - dihitung)"))
    assert (stated, difference) == (total + 1, total + 2)
    assert {992_370_386, 849_484_807, 2_818_872_800} <= set(row_values(sheet, stated))  # as check reads them
    top = find_row(sheet, "TRIWULAN I")
    tw1 = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(top + 1, c).value == "Rp")
    for column in (tw1, tw1 + 2, tw1 + 8):  # triwulan I, II and the year
        assert sheet.cell(difference, column).value == sheet.cell(stated, column).value - sheet.cell(total, column).value
    assert (sheet.cell(difference, tw1).value, sheet.cell(difference, tw1 + 2).value) == (-34_500_000, -13_510_000)
    assert sheet.cell(total, tw1).fill.fgColor.rgb.endswith("FFE699")  # I differs: marked
    assert not sheet.cell(total, tw1 + 4).fill.fgColor.rgb.endswith("FFE699")  # III agrees


def test_the_check_form_prints_every_signed_figure_one_way(demo: Path) -> None:
    pdf = write(demo, "signs.pdf", "check", "--format", "pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "(159.729.379)" in text and "-159.729.379" not in text
    assert "8.880.000" in text and "+8.880.000" not in text


def test_the_dpa_and_dppa_print_the_sipd_header_block_of_each_sub_kegiatan(with_rincian: Path) -> None:
    for kind, masukan in (("dpa", "Rp 104.711.949"), ("dppa", "Rp 104.711.949 sebelum perubahan; Rp 105.095.949 setelah")):
        sheet = load_workbook(write(with_rincian, f"{kind}.xlsx", "report", kind, "--format", "xlsx")).active
        assert isinstance(sheet, Worksheet)
        block: dict[Any, Any] = {}
        for r in range(1, sheet.max_row + 1):  # the first sub-kegiatan's block: Fasilitasi Kunjungan Tamu
            block.setdefault(sheet.cell(r, 1).value, sheet.cell(r, 2).value)
        assert block["Program"] == PROGRAM and block["Kegiatan"].startswith("7.01.01.2.06 ")
        assert block["Sumber Pendanaan"] and block["Lokasi"] and "Waktu Pelaksanaan" in block and "Kelompok Sasaran" in block
        assert block["Keluaran"].startswith("Jumlah tamu yang difasilitasi kunjungannya") and "; target " in block["Keluaran"]
        assert block["Capaian Program"] and block["Hasil"] and str(block["Masukan"]).startswith(masukan), kind
