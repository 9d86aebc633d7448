"""An official form as an XLSX sheet that prints like the paper form.

Title block, header groups merged as on the form, the column-number row, hierarchy styles,
real numbers (zero printed "-", negatives in parentheses), explicit fonts, A4 or F4
landscape fitted to the page width, header rows repeated on every page, page numbers in
the footer, the ledger's check columns apart from the form, the legend and the signature
block. Text cells are inert: a value that starts like a formula is stored as text.
"""

from __future__ import annotations

import math
import re
import textwrap
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ledger.text import escaped
from projections.forms import BLOCK_STYLE, accounting_signs, unbreakable
from projections.render.layout import KEPT_WITH_SIGNATURE, header_cells, header_depth, number_cells
from projections.tabular import Column, Tabular, cell_text

FONT_NAME = "Arial"
# The number formats carry the Indonesian locale ([$-421], id-ID): 2.818.872.800 and 1,25 in any
# viewer, whatever the reader's own locale (an English one would otherwise show 2,818,872,800).
ID_LOCALE = "[$-421]"
RUPIAH = f'{ID_LOCALE}#,##0;{ID_LOCALE}(#,##0);"-"'
PERCENT = f'{ID_LOCALE}0.00;{ID_LOCALE}(0.00);"-"'
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
BOLD_STYLES = frozenset(ROW_STYLES)
LINE_HEIGHT = 12.0  # points per line of 9 pt text
HEADING_HEIGHT = 18.0  # a line of the 12 pt heading


class Paper(StrEnum):
    A4 = "a4"
    F4 = "f4"  # folio, 215 x 330 mm: what many offices print on

    @property
    def openpyxl_size(self) -> int:
        return {Paper.A4: 9, Paper.F4: 14}[self]  # 14: Folio 8.5 x 13 in

    @property
    def landscape_points(self) -> tuple[float, float]:
        """The sheet's width and height, landscape, in points."""
        return {Paper.A4: (842.0, 595.0), Paper.F4: (936.0, 612.0)}[self]

    @property
    def printable_points(self) -> float:
        """The width inside the margins (0.4 in each side), landscape."""
        return self.landscape_points[0] - 2 * 0.4 * 72

    @property
    def printable_height(self) -> float:
        """The height inside the margins (0.5 in at the top and the bottom), landscape."""
        return self.landscape_points[1] - 2 * 0.5 * 72


BOLD_WIDER = 1.12  # Arial bold is about this much wider than regular
NOWRAP = ("money", "number", "percent", "code")


def column_width(column: Column, tabular: Tabular) -> int:
    """At least the column's widest piece a line may not break inside (a word, cut only after '/'
    and '-'; a whole figure or kode), the header's words bold: no word is ever split."""
    texts = [(cell_text(row.get(column.key), column.kind), tabular.style(i)) for i, row in enumerate(tabular.rows)
             if tabular.style(i) != BLOCK_STYLE]
    lines = [(line, style) for text, style in texts for line in text.splitlines()]
    pieces = [(piece, style in BOLD_STYLES) for line, style in lines
              for piece in ([line] if column.kind in NOWRAP else unbreakable(line))]
    pieces += [(word, True) for word in unbreakable(column.header)]
    widest = max((len(piece) * (BOLD_WIDER if bold else 1.0) for piece, bold in pieces), default=0.0)
    if column.width:
        return max(column.width, math.ceil(widest) + 2)
    longest_line = max((len(line) for line, _ in lines), default=0)
    return max(min(longest_line + 2, 40), math.ceil(widest) + 2, 7)


def line_count(text: str, width: int) -> int:
    if not text:
        return 1
    # Arial 9 pt puts about 1.1 characters in one unit of column width, less the cell's margin.
    return sum(max(1, len(textwrap.wrap(part, max(int(width * 1.1) - 1, 4)))) for part in text.splitlines())


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
        widths = [column_width(c, tabular) if c else 2 for c in self.columns]
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

    def columns_within(self, width: float) -> int:
        """How many leading columns of the form are together at least ``width`` wide (all, at most)."""
        total = 0.0
        for count, each in enumerate(self.widths[: self.form_width], start=1):
            total += each
            if total >= width:
                return count
        return self.form_width

    def title_block(self, paper: Paper) -> int:
        # The heading is centred over what the first page shows, not over a form that goes on across pages.
        first_page = self.columns_within(paper.printable_points * 100 / print_scale(self.widths, paper) / POINTS_PER_WIDTH)
        first_page = min(self.form_width, max(first_page - 1, 1))
        row = 1
        for line in self.tabular.heading or [self.tabular.title]:
            self.cell(row, 1, line, Font(name=FONT_NAME, size=12, bold=True)).alignment = Alignment(horizontal="center")
            self.merge(row, 1, 1, first_page)
            row += 1
        row += 1
        label_span = self.columns_within(max((len(label) * BOLD_WIDER + 2 for label, _ in self.tabular.meta), default=0))
        label_span = min(label_span, max(self.form_width - 1, 1))
        for label, value in self.tabular.meta:
            self.cell(row, 1, label, BOLD)
            self.merge(row, 1, 1, label_span)
            self.cell(row, label_span + 1, f": {value}")
            self.merge(row, label_span + 1, 1, max(first_page - label_span, 1))
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
            if style == BLOCK_STYLE:
                self.block_row(row, values)
                continue
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

    def block_row(self, row: int, values: dict[str, Any]) -> None:
        """A header block's row: its label in the first column, its value across the rest of the form."""
        form = self.tabular.form_columns
        label = cell_text(values.get(form[0].key), form[0].kind)
        value = next((cell_text(values.get(c.key), c.kind) for c in form[1:] if values.get(c.key) is not None), "")
        self.cell(row, 1, label or None, BOLD).alignment = Alignment(vertical="top", wrap_text=True)
        self.cell(row, 2, value or None).alignment = Alignment(vertical="top", wrap_text=True)
        self.merge(row, 2, 1, self.form_width - 1)
        for col in range(1, self.form_width + 1):
            self.sheet.cell(row=row, column=col).border = Border(left=THIN, right=THIN)
        lines = max(line_count(label, self.widths[0]), line_count(value, sum(self.widths[1:self.form_width])))
        self.sheet.row_dimensions[row].height = LINE_HEIGHT * min(lines, 12) + 3

    def write(self, row: int, col: int, value: Any, column: Column, font: Font, level: Any) -> int:
        """One data cell as its kind asks; returns how many text lines it needs."""
        target = self.cell(row, col, font=font)
        if (column.kind in ("money", "number", "percent") and isinstance(value, int | float) and not isinstance(value, bool)) \
                or (column.kind == "percent" and value is not None and not isinstance(value, str)):
            target.value = float(value) if column.kind == "percent" else int(value)
            target.number_format = PERCENT if column.kind == "percent" else RUPIAH
            target.alignment = Alignment(horizontal="right", vertical="top")
            return 1
        text = cell_text(value, column.kind)
        text = (accounting_signs(text) if column.accounting else text) or column.empty
        target.value = inert(text) if text else None
        horizontal = "center" if column.kind in ("target", "code") or text == "-" else "left"
        indent = INDENT.get(str(level), 0) if column.key == "nama" else 0
        target.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True, indent=indent)
        return line_count(text, self.widths[col - 1])

    def closing(self, row: int) -> int:
        """The legend, the notes and the signature under the table (which ends before ``row``); the
        sheet's last row written."""
        last = row - 1
        row += 1
        for line in [*self.tabular.legend, *self.tabular.notes]:
            self.cell(row, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
            self.merge(row, 1, 1, self.form_width)
            self.sheet.row_dimensions[row].height = LINE_HEIGHT * line_count(line, sum(self.widths[: self.form_width]))
            last, row = row, row + 1
        signature = self.tabular.signature
        if signature is None:
            return last
        row += 1
        span = max(3, self.form_width // 4)
        first = max(1, self.form_width - span + 1)
        for line in signature.lines():
            self.cell(row, first, line or None, BOLD if line == signature.nama else BODY).alignment = Alignment(horizontal="center")
            self.merge(row, first, 1, span)
            row += 1
        return row - 1

    def fix_heights(self, last: int) -> dict[int, float]:
        """A height for every row: a row left at the default is as tall as the program's own font
        makes it (about 12.8 points in LibreOffice, 15 in Excel), so that the pages would end
        elsewhere in each; with every height set, where they end can be computed. Each row's height."""
        headings = len(self.tabular.heading or [self.tabular.title])
        heights = {}
        for row in range(1, last + 1):
            dimension = self.sheet.row_dimensions[row]
            if dimension.height is None:
                dimension.height = HEADING_HEIGHT if row <= headings else LINE_HEIGHT + 3
            heights[row] = float(dimension.height)
        return heights

    def keep_signature_company(self, paper: Paper, titles: tuple[int, int], body: tuple[int, int],
                               heights: dict[int, float]) -> None:
        """A page break before the table's last rows when, printed, the signature could otherwise
        begin a page without them (as the PDF keeps them: ``KEPT_WITH_SIGNATURE``). A spreadsheet
        has no "keep with next", so the pages are laid out here as the sheet prints them: each
        row's height at the print scale, the header rows repeated on every page after the first.
        A program may fit a little more or less on a page than the margins leave (a footer's own
        room, its rounding), and over many pages that drifts; so the break is made when a page of
        any height from 5 % shorter to 2 % taller would part them: the last rows and the signature
        then open the next page together (a break made needlessly only ends a page early)."""
        if self.tabular.signature is None:
            return
        body_top, body_end = body
        keep = max(body_top + 1, body_end - KEPT_WITH_SIGNATURE)  # never before the first body row
        if keep >= body_end:
            return
        last = max(heights)
        repeated = sum(heights[row] for row in range(titles[0], titles[1] + 1))
        room = paper.printable_height * 100 / (self.sheet.page_setup.scale or 100)

        def pages(capacity: float) -> dict[int, int]:
            page, used, page_of = 0, 0.0, {}
            for row in range(1, last + 1):
                if used + heights[row] > capacity and used > (repeated if page else 0):
                    page, used = page + 1, repeated
                used += heights[row]
                page_of[row] = page
            return page_of

        heights_tried = (room * (0.95 + step / 400) for step in range(29))  # 95 % to 102 %, by 0.25 %
        if any(page_of[keep] != page_of[last] for page_of in map(pages, heights_tried)):
            self.sheet.row_breaks.append(Break(id=keep - 1))  # the break comes after the row before

    def title_columns(self) -> int:
        """How many leading columns name a row (the kode and the name): they are repeated on every
        page across, unless they would take most of the page."""
        names = [i for i, c in enumerate(self.columns, start=1) if c is not None and c.key in NAME_KEYS]
        last = names[0] if names else 1
        return last if sum(self.widths[:last]) <= 0.4 * sum(self.widths[: self.form_width]) else 1

    def page_setup(self, paper: Paper, header_top: int, body_top: int) -> None:
        sheet = self.sheet
        titles = self.title_columns()
        sheet.freeze_panes = f"{get_column_letter(titles + 1)}{body_top}"  # a coordinate: that cell may be merged
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = paper.openpyxl_size
        # Printed at a readable scale: a form wider than the page goes on across pages (the kode and
        # name columns and the header rows repeated on each), never shrunk below 60 %.
        sheet.sheet_properties.pageSetUpPr.fitToPage = False
        sheet.page_setup.scale = print_scale(self.widths, paper)
        sheet.print_title_cols = f"A:{get_column_letter(titles)}"
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.oddFooter.center.text = "Halaman &P dari &N"
        sheet.oddFooter.center.font = FONT_NAME
        sheet.oddFooter.right.text = self.tabular.title[:60]
        sheet.oddFooter.right.font = FONT_NAME
        sheet.oddFooter.right.size = 7


NAME_KEYS = ("nama", "uraian", "rkpd_nama")
MIN_SCALE = 60
POINTS_PER_WIDTH = 6.2  # one unit of column width in points, as LibreOffice prints it (Excel: about 5.25)
CELL_MARGIN = 3.75  # the cell's own margin, in points


def print_scale(widths: list[int], paper: Paper) -> int:
    """The largest scale, at most 100 % and never below 60 %, at which the sheet fits one page
    across; below 60 % it goes on across pages instead."""
    needed = sum(widths) * POINTS_PER_WIDTH + len(widths) * CELL_MARGIN
    return max(MIN_SCALE, min(100, math.floor(100 * paper.printable_points / needed)))


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
    header_top = form.title_block(paper)
    body_top = form.header(header_top)
    end = form.body(body_top)
    last = form.closing(end)
    form.page_setup(paper, header_top, body_top)
    heights = form.fix_heights(last)
    form.keep_signature_company(paper, (header_top, body_top - 1), (body_top, end), heights)
    workbook.save(path)
