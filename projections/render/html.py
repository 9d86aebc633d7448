"""An official form as HTML: the printed form for the PDF, and the page the web application
shows. Jinja2 autoescapes every value, so text from a document is never markup."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from projections.forms import BLOCK_STYLE, accounting_signs, unbreakable
from projections.render.layout import KEPT_WITH_SIGNATURE, header_cells, header_depth, number_cells
from projections.tabular import Column, Tabular, cell_text

_ENV = Environment(loader=PackageLoader("projections.render", "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
NUMERIC = ("money", "number", "percent")


@dataclass(frozen=True)
class Cell:
    text: str
    css: str = ""
    rowspan: int = 1
    colspan: int = 1


def stylesheet() -> str:
    return (resources.files("projections.render") / "templates" / "form.css").read_text(encoding="utf-8")


def money_text(value: Any, column: Column) -> str:
    """As the printed forms show money: 2.788.872.800, negatives in parentheses, zero as '-'."""
    if column.kind == "percent" and not isinstance(value, str) and value is not None and value == 0:
        return "-"
    if isinstance(value, int) and column.kind == "money":
        if value == 0:
            return "-"
        text = cell_text(abs(value), "money")
        return f"({text})" if value < 0 else text
    text = cell_text(value, column.kind)
    return (accounting_signs(text) if column.accounting else text) or column.empty


def header_rows(tabular: Tabular) -> list[list[Cell]]:
    form, checks = tabular.form_columns, tabular.check_columns
    depth = max(header_depth(form), header_depth(checks) if checks else 1)
    rows: list[list[Cell]] = [[] for _ in range(depth)]
    parts = [(form, "")] + ([(checks, "check")] if checks else [])
    for number, (columns, css) in enumerate(parts):
        if number:
            rows[0].append(Cell("", "gap", rowspan=depth + (1 if tabular.column_numbers else 0)))
        own_depth = header_depth(columns)
        for item in header_cells(columns):
            rowspan = depth - item.row if item.row + item.rowspan == own_depth else item.rowspan
            rows[item.row].append(Cell(item.text, css, rowspan, item.colspan))
    return rows


def number_row(tabular: Tabular) -> list[Cell]:
    if not tabular.column_numbers:
        return []
    cells = []
    position = 0
    for col, span, number in number_cells(tabular.form_columns):
        if col > position:
            cells.append(Cell("", "", colspan=col - position))
        cells.append(Cell(str(number), "", colspan=span))
        position = col + span
    if position < len(tabular.form_columns):
        cells.append(Cell("", "", colspan=len(tabular.form_columns) - position))
    if tabular.check_columns:
        cells.append(Cell("", "check", colspan=len(tabular.check_columns)))
    return cells


def block_cells(tabular: Tabular, values: dict[str, Any]) -> list[Cell]:
    """A header block's row: its label, then its value across the rest of the form."""
    form = tabular.form_columns
    value = next((cell_text(values.get(c.key), c.kind) for c in form[1:] if values.get(c.key) is not None), "")
    return [Cell(cell_text(values.get(form[0].key), form[0].kind), "text block-label"),
            Cell(value, "text block-value", colspan=len(form) - 1)]


def form_cells(tabular: Tabular, index: int, values: dict[str, Any]) -> list[Cell]:
    flagged = tabular.flagged(index)
    level = f"level-{values.get('level')}" if values.get("level") else ""
    cells = []
    for column in tabular.form_columns:
        css = [column.kind if column.kind in (*NUMERIC, "target", "code") else "text", level, column.key]
        if column.key in flagged:
            css.append("flag")
        cells.append(Cell(money_text(values.get(column.key), column), " ".join(c for c in css if c)))
    return cells


def body_rows(tabular: Tabular) -> list[dict[str, Any]]:
    rows = []
    for index, values in enumerate(tabular.rows):
        block = tabular.style(index) == BLOCK_STYLE
        cells = block_cells(tabular, values) if block else form_cells(tabular, index, values)
        if tabular.check_columns:
            cells.append(Cell("", "gap"))
            cells += [Cell(money_text(values.get(c.key), c) if values.get(c.key) is not None else "", f"{c.kind} check")
                      for c in tabular.check_columns]
        rows.append({"style": tabular.style(index) or "", "cells": cells})
    return rows


MM = 72 / 25.4
PADDING = 1.6 * MM + 1.5  # a cell's padding on both sides, its border and a little air (form.css)
INDENT = {"kegiatan": 2.2 * MM, "sub_kegiatan": 5.2 * MM}  # the name column's deeper left padding (form.css)
BOLD_STYLES = frozenset({"urusan", "program", "kegiatan", "total"})
NOWRAP = ("money", "number", "percent", "code")  # never broken: a figure or a kode is read whole
GAP = 2 * MM  # the empty column before the ledger's check columns
PAGE_POINTS = {"a4": 277 * MM, "f4": 310 * MM}  # printable width, landscape, 10 mm margins
SIZES = [round(8.0 - step / 10, 1) for step in range(36)]  # 8 pt down to 4.5 pt
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
FONT_FILES = {False: ("DejaVuSansCondensed.ttf", "DejaVuSans.ttf"),
              True: ("DejaVuSansCondensed-Bold.ttf", "DejaVuSans-Bold.ttf")}  # the order of form.css's font-family


@lru_cache(maxsize=2)
def advances(bold: bool) -> tuple[dict[int, int], int] | None:
    """The advance width of every character of the form's font (from its file, as WeasyPrint
    lays it out), and its units per em; None where the font is not installed."""
    from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

    for name in FONT_FILES[bold]:
        for folder in FONT_DIRS:
            path = Path(folder) / name
            if path.exists():
                font = TTFont(path, lazy=True)
                metrics = font["hmtx"].metrics
                return ({point: metrics[glyph][0] for point, glyph in font.getBestCmap().items()},
                        int(font["head"].unitsPerEm))
    return None


@lru_cache(maxsize=8192)
def em_width(text: str, bold: bool) -> float:
    """How wide ``text`` prints, in em of the form's font."""
    found = advances(bold)
    if found is None:
        return len(text) * (0.7 if bold else 0.62)  # DejaVu Sans, about: wider than most fonts
    widths, per_em = found
    fallback = widths.get(ord("M"), per_em)
    return sum(widths.get(ord(char), fallback) for char in text) / per_em


@dataclass
class Measure:
    """What one column needs: its widest piece that may not break (per left padding: the name
    column indents kegiatan and sub-kegiatan), and the widest line it would like to show whole."""

    kind: str
    pieces: dict[float, float]  # extra left padding (pt) -> widest unbreakable piece (em)
    line: float = 0.0  # widest whole line (em)
    comfortable: float = 0.0  # a text column's comfortable width (em)

    def need(self, size: float) -> float:
        return max((em * size + PADDING + pad for pad, em in self.pieces.items()), default=PADDING)

    def want(self, size: float) -> float:
        if self.kind == "text":
            return max(self.need(size), min(self.line, self.comfortable) * size + PADDING)
        return max(self.need(size), self.line * size + PADDING)

    def add(self, text: str, bold: bool, pad: float, wraps: bool, whole: bool = True) -> None:
        """``whole``: the text would like a line of its own (a cell; a header wraps freely)."""
        for line in text.splitlines():
            if whole:
                self.line = max(self.line, em_width(line, bold) + pad / 8)
            pieces = unbreakable(line) if wraps else [line]
            widest = max((em_width(piece, bold) for piece in pieces), default=0.0)
            self.pieces[pad] = max(self.pieces.get(pad, 0.0), widest)


def measure(tabular: Tabular, column: Column) -> Measure:
    """The column's header (bold) and every cell as the form prints it, bold rows bold."""
    found = Measure(column.kind, {}, comfortable=(column.width or 20) * 0.6)
    found.add(column.header, True, 0.0, True, whole=False)
    for index, row in enumerate(tabular.rows):
        style = tabular.style(index)
        if style == BLOCK_STYLE:  # a header block's label and value wrap at words, the value spans the form
            found.add(money_text(row.get(column.key), column) if column.key == label_key(tabular) else "", False, 0.0, True)
            continue
        text = money_text(row.get(column.key), column)
        if not text:
            continue
        pad = INDENT.get(str(row.get("level")), 0.0) if column.key == "nama" else 0.0
        found.add(text, style in BOLD_STYLES, pad, column.kind not in NOWRAP)
    return found


HEADER_LINES = 5  # a header label wraps to at most about this many lines


def header_spans(tabular: Tabular) -> list[tuple[int, int, float]]:
    """(first column, columns, em) of every header label: the width it needs, its widest word
    or a fifth of its length, whichever is more (in the bold font)."""
    found = []
    form, checks = tabular.form_columns, tabular.check_columns
    for columns, offset in ((form, 0), *(((checks, len(form) + 1),) if checks else ())):
        for cell in header_cells(columns):
            widest = max((em_width(piece, True) for piece in unbreakable(cell.text)), default=0.0)
            found.append((offset + cell.col, cell.colspan, max(widest, em_width(cell.text, True) / HEADER_LINES)))
    return found


def label_key(tabular: Tabular) -> str:
    return tabular.form_columns[0].key


def fitted(tabular: Tabular, paper: str) -> tuple[list[float], float]:
    """Column widths (percent of the page) and a font size (pt): the largest size, from 8 pt
    down to 4.5 pt, at which every column holds its widest unbreakable piece (a word, a figure, a
    kode); the room left goes first to figures and targets shown on one line, then to the text
    columns, in proportion to what they would like. No word is ever cut."""
    form, checks = tabular.form_columns, tabular.check_columns
    measures: list[Measure | None] = [measure(tabular, c) for c in form]
    if checks:
        measures += [None, *(measure(tabular, c) for c in checks)]
    page = PAGE_POINTS.get(paper, PAGE_POINTS["a4"]) * 0.99  # the table's outer borders

    spans = header_spans(tabular)

    def needs(size: float) -> list[float]:
        found = [m.need(size) if m is not None else GAP for m in measures]
        for first, count, em in spans:  # a header over several columns: they widen together to hold it
            short = em * size + PADDING - sum(found[first:first + count])
            for i in range(first, first + count):
                found[i] += max(short, 0.0) / count
        return found
    size = next((s for s in SIZES if sum(needs(s)) <= page), SIZES[-1])
    widths = needs(size)
    wants = [m.want(size) if m is not None else GAP for m in measures]
    for text_turn in (False, True):
        room = page - sum(widths)
        turn = [i for i, m in enumerate(measures) if m is not None and (m.kind == "text") == text_turn]
        short = sum(wants[i] - widths[i] for i in turn)
        if room <= 0 or short <= 0:
            continue
        share = min(1.0, room / short)
        for i in turn:
            widths[i] += (wants[i] - widths[i]) * share
    # What is still left goes to the text columns by how long their text is (an empty column keeps its header's width).
    room = page - sum(widths)
    lines = [m.line if m is not None and m.kind == "text" else 0.0 for m in measures]
    longest: float = sum(lines)
    if room > 0 and longest > 0:
        for i, line in enumerate(lines):
            widths[i] += room * line / longest
    whole = sum(widths)
    return [round(100 * w / whole, 3) for w in widths], size


def context(tabular: Tabular, paper: str = "a4", paged: bool = False) -> dict[str, Any]:
    """``paged``: printed on pages (the PDF), where the last rows keep the signature company."""
    widths, size = fitted(tabular, paper)
    body = body_rows(tabular)
    keep = len(body) - min(KEPT_WITH_SIGNATURE, len(body)) if paged else len(body)
    return {"tabular": tabular, "header_rows": header_rows(tabular), "numbers": number_row(tabular),
            "body": body[:keep], "tail": body[keep:], "flagged": any(tabular.flags), "paper": paper, "css": stylesheet(),
            "widths": widths, "font_size": size, "paged": paged}


def form_html(tabular: Tabular, paper: str = "a4") -> str:
    """A whole printable page of one form."""
    return _ENV.get_template("form.html").render(**context(tabular, paper, paged=True))


def form_fragment(tabular: Tabular) -> str:
    """The form alone, for a page of the web application."""
    return _ENV.get_template("form_body.html").render(**context(tabular))
