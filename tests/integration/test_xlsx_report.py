"""The XLSX reports on the Mangkutana demo ledger, read back with openpyxl: title block, merged headers, Rupiah cells."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from cli.app import app

RUNS = {
    "rencana-aksi": "2024-03-01",
    "tabel-2-3": "2024-09-01",
    "perubahan": "2024-09-01",
}


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Worksheet]:
    tmp = tmp_path_factory.mktemp("xlsx")
    db = tmp / "ledger.db"
    runner = CliRunner()
    demo = runner.invoke(app, ["--db", str(db), "demo", "--fresh"])
    assert demo.exit_code == 0, demo.output
    found = {}
    for kind, as_of in RUNS.items():
        output = tmp / f"{kind}.xlsx"
        args = ["--db", str(db), "report", kind, "--as-of", as_of, "--format", "xlsx", "--output", str(output)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (result.output, result.exception)
        sheet = load_workbook(output).active
        assert isinstance(sheet, Worksheet)
        found[kind] = sheet
    return found


def cells(sheet: Worksheet) -> list[tuple[int, int, Any]]:
    return [(c.row, c.column, c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def find(sheet: Worksheet, value: Any) -> list[tuple[int, int]]:
    return [(r, c) for r, c, v in cells(sheet) if v == value]


def header_row(sheet: Worksheet) -> int:
    """The first header row: the one holding the name column's heading."""
    return min(r for r, _, v in cells(sheet) if isinstance(v, str) and v.startswith("Program / Kegiatan"))


def row_of(sheet: Worksheet, nama: str) -> dict[str, Any]:
    """A data row by its name, keyed 'group/header' as the two header rows read."""
    top = header_row(sheet)
    rows = [r for r, _, v in cells(sheet) if v == nama and r > top + 1]
    assert len(rows) == 1, (nama, rows)
    keyed = {}
    for col in range(1, sheet.max_column + 1):
        group, header = merged_value(sheet, top, col), sheet.cell(top + 1, col).value
        keyed[f"{group}/{header}" if header else group] = sheet.cell(rows[0], col).value
    return keyed


def merged_value(sheet: Worksheet, row: int, col: int) -> Any:
    """A cell's value as a reader sees it: inside a merged range, the range's top-left value."""
    for span in sheet.merged_cells.ranges:
        if span.min_row <= row <= span.max_row and span.min_col <= col <= span.max_col:
            return sheet.cell(span.min_row, span.min_col).value
    return sheet.cell(row, col).value


def merged(sheet: Worksheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


@pytest.mark.parametrize("kind", list(RUNS))
def test_title_block(sheets: dict[str, Worksheet], kind: str) -> None:
    sheet = sheets[kind]
    top = header_row(sheet)
    block = {
        str(sheet.cell(r, 1).value): " ".join(str(v) for rr, c, v in cells(sheet) if rr == r and c > 1)
        for r in range(2, top)
        if sheet.cell(r, 1).value
    }
    assert "Kecamatan Mangkutana" in block["OPD"]
    assert "2024" in block["Tahun"]
    assert RUNS[kind] in block["Keadaan per (as-of)"]
    assert any("known-at" in label for label in block)
    assert sheet.cell(1, 1).font.bold
    assert f"A1:{get_column_letter(sheet.max_column)}1" in merged(sheet)


@pytest.mark.parametrize("kind", list(RUNS))
def test_frozen_panes_and_print_setup(sheets: dict[str, Worksheet], kind: str) -> None:
    sheet = sheets[kind]
    top = header_row(sheet)
    name_col = next(c for r, c, v in cells(sheet) if r == top and str(v).startswith("Program / Kegiatan"))
    assert sheet.freeze_panes == sheet.cell(top + 2, name_col + 1).coordinate
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1


def test_rencana_aksi_headers(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["rencana-aksi"]
    top = header_row(sheet)
    ranges = merged(sheet)
    for roman in ("I", "II", "III", "IV"):
        [(row, col)] = find(sheet, f"TRIWULAN {roman}")
        assert row == top
        span = f"{sheet.cell(row, col).coordinate}:{sheet.cell(row, col + 1).coordinate}"
        assert span in ranges
        assert [sheet.cell(top + 1, col).value, sheet.cell(top + 1, col + 1).value] == ["Target", "Rp"]
        assert sheet.cell(row, col).font.bold and sheet.cell(row, col).alignment.horizontal == "center"
    [(row, col)] = find(sheet, "Akhir Tahun")
    assert f"{sheet.cell(row, col).coordinate}:{sheet.cell(row, col + 1).coordinate}" in ranges
    [(row, col)] = find(sheet, "Penanggung Jawab")  # ungrouped: merged over both header rows
    assert f"{sheet.cell(row, col).coordinate}:{sheet.cell(row + 1, col).coordinate}" in ranges
    assert sheet.cell(top, 2).value == "Program / Kegiatan / Sub Kegiatan"
    assert f"B{top}:B{top + 1}" in ranges


def test_rencana_aksi_numbers(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["rencana-aksi"]
    total = row_of(sheet, "JUMLAH (dihitung)")
    assert total["Akhir Tahun/Rp"] == 2818872800
    assert total["TRIWULAN I/Rp"] == 1026870386
    [(row, _)] = find(sheet, "JUMLAH (dihitung)")
    money = next(c for c in sheet[row] if c.value == 2818872800)
    assert type(money.value) is int
    assert "#,##0" in money.number_format
    assert money.alignment.horizontal == "right"
    assert money.font.bold
    stated = row_of(sheet, "tertulis: Total")
    assert stated["TRIWULAN I/Rp"] == 992370386
    assert stated["Akhir Tahun/Rp"] == 2818872800
    tamu = row_of(sheet, "Fasilitasi Kunjungan Tamu")
    assert tamu["Akhir Tahun/Rp"] == 129435000
    assert tamu["TRIWULAN I/Rp"] == 50415000
    assert tamu["TRIWULAN I/Target"] == "24 Orang"  # a target is text, as printed
    assert tamu["Penanggung Jawab"] == "MANSYUR, S.Sos"


def test_rencana_aksi_row_styles(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["rencana-aksi"]
    [(program, _)] = find(sheet, "KOORDINASI KETENTRAMAN DAN KETERTIBAN UMUM")
    [(kegiatan, _)] = find(sheet, "Koordinasi Penerapan dan Penegakan Peraturan Daerah dan Peraturan Kepala Daerah")
    [(sub, _)] = find(sheet, "Fasilitasi Kunjungan Tamu")
    [(stated, _)] = find(sheet, "tertulis: Total")
    assert sheet.cell(program, 2).font.bold and not sheet.cell(program, 2).font.italic
    assert sheet.cell(kegiatan, 2).font.bold and sheet.cell(kegiatan, 2).font.italic
    assert not sheet.cell(sub, 2).font.bold
    assert sheet.cell(sub, 2).alignment.wrap_text
    assert sheet.cell(stated, 2).fill.fgColor.rgb.endswith("FFF2CC")  # differs from the computed TW I: flagged


def test_tabel_2_3(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["tabel-2-3"]
    top = header_row(sheet)
    ranges = merged(sheet)
    [(row, col)] = find(sheet, "Rancangan Perubahan RKPD")
    assert row == top and f"{sheet.cell(row, col).coordinate}:{sheet.cell(row, col + 3).coordinate}" in ranges
    assert [sheet.cell(top + 1, c).value for c in range(col, col + 4)] == [
        "Lokasi",
        "Indikator Kinerja",
        "Target Capaian",
        "Pagu Indikatif",
    ]
    values = [v for _, _, v in cells(sheet)]
    for stated in (2788872800, 3065872800):
        assert stated in values
        assert all(type(v) is int for v in values if v == stated)
    total = row_of(sheet, "JUMLAH (dihitung)")
    assert total["Rancangan Perubahan RKPD/Pagu Indikatif"] == 2779992800
    assert total["Hasil Analisis Kebutuhan/Kebutuhan Dana"] == 3065872800
    assert total["Selisih"] == 285880000
    tamu = row_of(sheet, "Fasilitasi Kunjungan Tamu")
    assert tamu["Hasil Analisis Kebutuhan/Kebutuhan Dana"] == 200710000


def test_perubahan(sheets: dict[str, Worksheet]) -> None:
    sheet = sheets["perubahan"]
    top = header_row(sheet)
    [(row, col)] = find(sheet, "Prakiraan Maju 2025")
    assert row == top and f"{sheet.cell(row, col).coordinate}:{sheet.cell(row, col + 1).coordinate}" in merged(sheet)
    tamu = row_of(sheet, "Fasilitasi Kunjungan Tamu")
    assert tamu["Pagu Indikatif (Rp)"] == 200710000
    assert tamu["Kode"] is not None and str(tamu["Kode"]).startswith("7.01.01.")
    assert 3065872800 in [v for _, _, v in cells(sheet)]
    assert row_of(sheet, "JUMLAH (dihitung)")["Pagu Indikatif (Rp)"] == 2947602179
