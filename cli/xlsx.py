"""A report as an XLSX workbook in the official layout: title block, merged two-row header, Rupiah cells."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from projections.tabular import Column, Tabular, cell_text

RUPIAH = "#,##0"  # the thousands separator follows the reader's locale: 2.818.872.800 in id-ID
NUMERIC = ("money", "number")
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_BORDER = Border(left=THIN, right=THIN, top=Side(style="medium"), bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
FLAG_FILL = PatternFill("solid", fgColor="FFF2CC")
ROW_FONTS = {"program": Font(bold=True), "kegiatan": Font(bold=True, italic=True), "total": Font(bold=True)}
LINE_HEIGHT = 15.0  # points per line of 11 pt text


def column_width(column: Column, rows: list[dict[str, Any]]) -> int:
    """Column.width when set, else fitted to the widest cell (as printed) within sensible bounds."""
    if column.width:
        return column.width
    texts = [cell_text(row.get(column.key), column.kind) for row in rows]
    widest = max([len(t) for t in texts] + [len(w) for w in column.header.split()] + [6])
    return min(widest + 2, 40)


def line_count(text: str, width: int) -> int:
    """How many lines a wrapped cell of this width needs (an estimate: spreadsheets do not fit merged rows)."""
    if not text:
        return 1
    return sum(max(1, len(textwrap.wrap(part, max(width - 2, 4)))) for part in text.splitlines())


def write_cell(sheet: Worksheet, row: int, col: int, value: Any, column: Column) -> str:
    """Write one data cell with the alignment its kind asks for; returns the text as printed."""
    cell = sheet.cell(row=row, column=col)
    if column.kind in NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = RUPIAH if isinstance(value, int) else "#,##0.00"
        cell.alignment = Alignment(horizontal="right", vertical="top")
        return ""
    text = cell_text(value, column.kind)
    cell.value = text or None
    horizontal = "center" if column.kind == "target" else ("right" if column.kind in NUMERIC else "left")
    cell.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=column.kind == "text")
    return text


def write_title_block(sheet: Worksheet, tabular: Tabular, widths: list[int]) -> int:
    """Title (merged over the table, bold) and the meta rows (label : value); returns the next free row."""
    last = max(len(widths), 2)
    sheet.cell(row=1, column=1, value=tabular.title).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet.row_dimensions[1].height = 22.0 * line_count(tabular.title, int(sum(widths) / 1.3))
    label_width = max((len(label) for label, _ in tabular.meta), default=0) + 2
    span, covered = 1, widths[0] if widths else 0
    while covered < label_width and span < last - 1:
        covered += widths[span]
        span += 1
    row = 2
    for label, value in tabular.meta:
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=row, column=span + 1, value=f": {value}")
        if span > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        sheet.merge_cells(start_row=row, start_column=span + 1, end_row=row, end_column=last)
        row += 1
    return row + 1  # one blank row before the table


def write_header(sheet: Worksheet, columns: list[Column], top: int, widths: list[int]) -> None:
    """Two header rows: a group merged over its columns, an ungrouped column merged over both rows."""
    font, align = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col in range(1, len(columns) + 1):
        for row in (top, top + 1):
            cell = sheet.cell(row=row, column=col)
            cell.font, cell.alignment, cell.border, cell.fill = font, align, GRID, HEADER_FILL
    first, second, both, start = 1, 1, 1, 0
    while start < len(columns):
        group, end = columns[start].group, start
        while group is not None and end + 1 < len(columns) and columns[end + 1].group == group:
            end += 1
        if group is None:
            sheet.cell(row=top, column=start + 1, value=columns[start].header)
            sheet.merge_cells(start_row=top, start_column=start + 1, end_row=top + 1, end_column=start + 1)
            both = max(both, line_count(columns[start].header, widths[start]))
        else:
            sheet.cell(row=top, column=start + 1, value=group)
            if end > start:
                sheet.merge_cells(start_row=top, start_column=start + 1, end_row=top, end_column=end + 1)
            first = max(first, line_count(group, sum(widths[start : end + 1])))
            for index in range(start, end + 1):
                sheet.cell(row=top + 1, column=index + 1, value=columns[index].header)
                second = max(second, line_count(columns[index].header, widths[index]))
        start = end + 1
    sheet.row_dimensions[top].height = LINE_HEIGHT * first + 4
    sheet.row_dimensions[top + 1].height = LINE_HEIGHT * max(second, both - first) + 4


def write_rows(sheet: Worksheet, tabular: Tabular, top: int, widths: list[int]) -> int:
    """The data rows with their row styles; returns the next free row."""
    for offset, values in enumerate(tabular.rows):
        row = top + offset
        style = tabular.styles[offset] if offset < len(tabular.styles) else None
        lines = 1
        for col, column in enumerate(tabular.columns, start=1):
            text = write_cell(sheet, row, col, values.get(column.key), column)
            if column.kind == "text":
                lines = max(lines, line_count(text, widths[col - 1]))
            cell = sheet.cell(row=row, column=col)
            cell.border = TOTAL_BORDER if style == "total" else GRID
            if style in ROW_FONTS:
                cell.font = ROW_FONTS[style]
            if style == "flag":
                cell.fill = FLAG_FILL
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines + 1
    return top + len(tabular.rows)


def write_xlsx(tabular: Tabular, path: Path) -> None:
    """Write the report as one sheet that prints like the official table (landscape, one page wide)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    name = tabular.title.split(" - ")[0].split("(")[0].split(":")[0]  # e.g. "Rencana Aksi"
    sheet.title = textwrap.shorten("".join(ch for ch in name if ch not in "[]*?/\\"), 31, placeholder="") or "Laporan"
    widths = [column_width(c, tabular.rows) for c in tabular.columns]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = write_title_block(sheet, tabular, widths)
    write_header(sheet, tabular.columns, header, widths)
    end = write_rows(sheet, tabular, header + 2, widths)
    for offset, note in enumerate(tabular.notes, start=1):
        sheet.cell(row=end + offset, column=1, value=note).alignment = Alignment(vertical="top")
    nama = next((i for i, c in enumerate(tabular.columns, start=1) if c.key == "nama"), 0)
    sheet.freeze_panes = sheet.cell(row=header + 2, column=nama + 1)
    sheet.print_title_rows = f"{header}:{header + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    workbook.save(path)
