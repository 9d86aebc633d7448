"""An official form as an XLSX sheet that prints like the paper form.

Title block, header groups merged as on the form, the column-number row, hierarchy styles,
real numbers (zero printed "-", negatives in parentheses), explicit fonts, A4 or F4
landscape fitted to the page width, header rows repeated on every page, page numbers in
the footer, the ledger's check columns apart from the form, the legend and the signature
block. Text cells are inert: a value that starts like a formula is stored as text.
"""

from __future__ import annotations

import re
import textwrap
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ledger.text import escaped
from projections.render.layout import header_cells, header_depth, number_cells
from projections.tabular import Column, Tabular, cell_text

FONT_NAME = "Arial"
RUPIAH = '#,##0;(#,##0);"-"'  # the thousands separator follows the reader's locale: 2.818.872.800 in id-ID
PERCENT = '0.00;(0.00);"-"'
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_BORDER = Border(left=THIN, right=THIN, top=Side(style="medium"), bottom=Side(style="medium"))
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
CHECK_FILL = PatternFill("solid", fgColor="EDEDED")
FLAG_FILL = PatternFill("solid", fgColor="FFE699")
ROW_STYLES = {"urusan": Font(name=FONT_NAME, size=9, bold=True), "program": Font(name=FONT_NAME, size=9, bold=True),
              "kegiatan": Font(name=FONT_NAME, size=9, bold=True, italic=True),
              "total": Font(name=FONT_NAME, size=9, bold=True), "sasaran": Font(name=FONT_NAME, size=9, italic=True)}
BODY = Font(name=FONT_NAME, size=9)
BOLD = Font(name=FONT_NAME, size=9, bold=True)
INDENT = {"kegiatan": 1, "sub_kegiatan": 2}
LINE_HEIGHT = 12.0  # points per line of 9 pt text


class Paper(StrEnum):
    A4 = "a4"
    F4 = "f4"  # folio, 215 x 330 mm: what many offices print on

    @property
    def openpyxl_size(self) -> int:
        return {Paper.A4: 9, Paper.F4: 14}[self]  # 14: Folio 8.5 x 13 in


def column_width(column: Column, rows: list[dict[str, Any]]) -> int:
    if column.width:
        return column.width
    texts = [cell_text(row.get(column.key), column.kind) for row in rows]
    longest_line = max((len(line) for t in texts for line in t.splitlines()), default=0)
    widest = max([longest_line, *(len(w) for w in column.header.split()), 5])
    return min(widest + 2, 40)


def line_count(text: str, width: int) -> int:
    if not text:
        return 1
    return sum(max(1, len(textwrap.wrap(part, max(width - 2, 4)))) for part in text.splitlines())


NUMBER_LIKE = re.compile(r"[+-]?[\d.,%\s]*")


def inert(text: str) -> str:
    """A text cell never becomes a formula when a spreadsheet opens it: one that starts like a
    formula (=, @, or a sign before anything but a number) is stored with a leading quote. A
    control character (in text recorded before the ledger refused them) is shown as an escape:
    a workbook cannot hold it."""
    text = escaped(text)
    if text.startswith(("=", "@")) or (text.startswith(("+", "-")) and not NUMBER_LIKE.fullmatch(text)):
        return "'" + text
    return text


class FormSheet:
    """One form on one sheet, drawn top to bottom."""

    def __init__(self, sheet: Worksheet, tabular: Tabular) -> None:
        self.sheet = sheet
        self.tabular = tabular
        form, checks = tabular.form_columns, tabular.check_columns
        # The ledger's check columns sit to the right of the form, one narrow empty column apart.
        self.columns: list[Column | None] = [*form, *([None, *checks] if checks else [])]
        self.form_width = len(form)
        widths = [column_width(c, tabular.rows) if c else 2 for c in self.columns]
        self.widths = widths
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def cell(self, row: int, col: int, value: Any = None, font: Font = BODY) -> Any:
        target = self.sheet.cell(row=row, column=col)
        if value is not None:
            target.value = inert(value) if isinstance(value, str) else value
        target.font = font
        return target

    def merge(self, row: int, col: int, rowspan: int, colspan: int) -> None:
        if rowspan > 1 or colspan > 1:
            self.sheet.merge_cells(start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1)

    def title_block(self) -> int:
        row = 1
        for line in self.tabular.heading or [self.tabular.title]:
            self.cell(row, 1, line, Font(name=FONT_NAME, size=12, bold=True)).alignment = Alignment(horizontal="center")
            self.merge(row, 1, 1, self.form_width)
            row += 1
        row += 1
        for label, value in self.tabular.meta:
            self.cell(row, 1, label, BOLD)
            self.merge(row, 1, 1, 2)
            self.cell(row, 3, f": {value}")
            self.merge(row, 3, 1, max(self.form_width - 2, 1))
            row += 1
        return row + 1

    def header(self, top: int) -> int:
        parts: list[tuple[list[Column], int]] = [(self.tabular.form_columns, 1)]
        if self.tabular.check_columns:
            parts.append((self.tabular.check_columns, self.form_width + 2))
        depth = max(header_depth(columns) for columns, _ in parts)
        align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for columns, first in parts:
            fill = CHECK_FILL if first > 1 else HEADER_FILL
            for offset in range(len(columns)):
                for level in range(depth + (1 if self.tabular.column_numbers else 0)):
                    blank = self.cell(top + level, first + offset, font=BOLD)
                    blank.border, blank.fill, blank.alignment = GRID, fill, align
            for item in header_cells(columns):
                rowspan = depth - item.row if item.row + item.rowspan == header_depth(columns) else item.rowspan
                self.cell(top + item.row, first + item.col, item.text, BOLD)
                self.merge(top + item.row, first + item.col, rowspan, item.colspan)
            if self.tabular.column_numbers and first == 1:
                for col, span, number in number_cells(columns):
                    self.cell(top + depth, first + col, number, BOLD)
                    self.merge(top + depth, first + col, 1, span)
        for level in range(depth):
            self.sheet.row_dimensions[top + level].height = LINE_HEIGHT * 2 + 4
        bottom = top + depth + (1 if self.tabular.column_numbers else 0)
        self.sheet.print_title_rows = f"{top}:{bottom - 1}"
        return bottom

    def body(self, top: int) -> int:
        for index, values in enumerate(self.tabular.rows):
            row = top + index
            style = self.tabular.style(index)
            flagged = self.tabular.flagged(index)
            font = ROW_STYLES.get(style or "", BODY)
            lines = 1
            for col, column in enumerate(self.columns, start=1):
                if column is None:
                    continue
                value = values.get(column.key)
                lines = max(lines, self.write(row, col, value, column, font, values.get("level")))
                target = self.sheet.cell(row=row, column=col)
                target.border = TOTAL_BORDER if style == "total" else GRID
                if column.key in flagged:
                    target.fill = FLAG_FILL
                elif column.check and value is not None:
                    target.fill = CHECK_FILL
            self.sheet.row_dimensions[row].height = LINE_HEIGHT * min(lines, 12) + 3
        return top + len(self.tabular.rows)

    def write(self, row: int, col: int, value: Any, column: Column, font: Font, level: Any) -> int:
        """One data cell as its kind asks; returns how many text lines it needs."""
        target = self.cell(row, col, font=font)
        if (column.kind in ("money", "number", "percent") and isinstance(value, int | float) and not isinstance(value, bool)) \
                or (column.kind == "percent" and value is not None and not isinstance(value, str)):
            target.value = float(value) if column.kind == "percent" else int(value)
            target.number_format = PERCENT if column.kind == "percent" else RUPIAH
            target.alignment = Alignment(horizontal="right", vertical="top")
            return 1
        text = cell_text(value, column.kind) or column.empty
        target.value = inert(text) if text else None
        horizontal = "center" if column.kind in ("target", "code") or text == "-" else "left"
        indent = INDENT.get(str(level), 0) if column.key == "nama" else 0
        target.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True, indent=indent)
        return line_count(text, self.widths[col - 1])

    def closing(self, row: int) -> None:
        row += 1
        for line in [*self.tabular.legend, *self.tabular.notes]:
            self.cell(row, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
            self.merge(row, 1, 1, self.form_width)
            self.sheet.row_dimensions[row].height = LINE_HEIGHT * line_count(line, sum(self.widths[: self.form_width]))
            row += 1
        signature = self.tabular.signature
        if signature is None:
            return
        row += 1
        span = max(3, self.form_width // 4)
        first = max(1, self.form_width - span + 1)
        for line in signature.lines():
            self.cell(row, first, line or None, BOLD if line == signature.nama else BODY).alignment = Alignment(horizontal="center")
            self.merge(row, first, 1, span)
            row += 1

    def page_setup(self, paper: Paper, header_top: int, body_top: int) -> None:
        sheet = self.sheet
        nama = next((i for i, c in enumerate(self.columns, start=1) if c is not None and c.key == "nama"), 0)
        sheet.freeze_panes = sheet.cell(row=body_top, column=nama + 1)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = paper.openpyxl_size
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.oddFooter.center.text = "Halaman &P dari &N"
        sheet.oddFooter.center.font = FONT_NAME
        sheet.oddFooter.right.text = self.tabular.title[:60]
        sheet.oddFooter.right.font = FONT_NAME
        sheet.oddFooter.right.size = 7


def sheet_name(tabular: Tabular) -> str:
    name = tabular.sheet or tabular.title.split(" - ")[0]
    cleaned = "".join(ch for ch in name if ch not in "[]*?/\\:")
    return cleaned[:31].rstrip() or "Laporan"


def write_xlsx(tabular: Tabular, path: Path, paper: Paper = Paper.A4) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_name(tabular)
    form = FormSheet(sheet, tabular)
    header_top = form.title_block()
    body_top = form.header(header_top)
    end = form.body(body_top)
    form.closing(end)
    form.page_setup(paper, header_top, body_top)
    workbook.save(path)
