"""Where a report goes: the terminal, CSV, JSON, XLSX or PDF, all from its one form definition.

The terminal never cuts a figure, a kode or a name. A table is printed only when every column
it shows fits at a readable width (figures and kodes whole, the name column at least
``READABLE_NAME`` wide); low-priority text columns are hidden first (and the screen says which).
Otherwise each row is a block: for a wide form a compact one (kode and name, then the figures in
aligned slots), for a narrow form every filled cell on its own line. Pipes and files get the
whole table, as wide as it needs.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import textwrap
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from string import ascii_uppercase
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.safe import markup_safe, shown
from ledger.errors import LedgerError
from ledger.i18n import _
from projections.render.csvfile import csv_document
from projections.render.html import money_text
from projections.render.layout import path as header_path
from projections.render.xlsx import Paper, write_xlsx
from projections.tabular import Column, Rendered, Tabular, cell_text

__all__ = ["Column", "Format", "Paper", "Rendered", "Tabular", "cell_text", "emit"]


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"


FILE_FORMATS = (Format.XLSX, Format.PDF)
NUMERIC = ("money", "number", "percent")
WHOLE = (*NUMERIC, "code", "target")  # never wrapped: a figure, a kode or a target is read whole
_STYLE = {"urusan": "bold", "program": "bold", "kegiatan": "bold italic", "total": "bold reverse", "flag": "yellow",
          "bad": "red", "sasaran": "italic"}
BORDER = 3  # a column's share of the table's borders and padding
READABLE_NAME = 24  # the name column is never narrower (unless every name is shorter)
READABLE_TEXT = 24  # another text column wraps at word boundaries, at most this wide at its narrowest
COMPACT_AFTER = 6  # a form with more columns than this is printed as compact blocks, not one line per cell
INDENT = 2  # a block's lines under its heading
GAP = 3  # between two figures of a compact block
FLAG = " [!]"  # a cell that disagrees with what a document stated


# --- the terminal --------------------------------------------------------------------------------

def texts(tabular: Tabular, column: Column) -> list[str]:
    return [money_text(row.get(column.key), column) if row.get(column.key) is not None else "" for row in tabular.rows]


def longest_line(cells: list[str]) -> int:
    return max((len(line) for text in cells for line in text.splitlines()), default=0)


def name_column(tabular: Tabular) -> Column | None:
    """The form's name column (program / kegiatan / uraian): its first text column never hidden."""
    return next((c for c in tabular.columns if c.kind == "text" and c.drop == 0), None)


@dataclass(frozen=True)
class Widths:
    """Each column's narrowest readable width and the width it would like, measured once
    (each measure reads every row)."""

    floor: dict[str, int]
    ideal: dict[str, int]

    @classmethod
    def of(cls, tabular: Tabular) -> Widths:
        name = name_column(tabular)
        floor: dict[str, int] = {}
        ideal: dict[str, int] = {}
        for column in tabular.columns:
            cells = texts(tabular, column)
            header = max((len(word) for word in " ".join(header_path(column)).split()), default=1)
            if column.kind in WHOLE:  # figures, kodes and targets are never wrapped
                floor[column.key] = ideal[column.key] = max(header, longest_line(cells))
                continue
            longest = longest_line(cells)
            words = max((len(word) for text in cells for word in text.split()), default=1)
            readable = min(longest, READABLE_NAME) if column is name else min(words, READABLE_TEXT)
            floor[column.key] = max(header, words if column is name else 0, readable)
            ideal[column.key] = max(floor[column.key], min(longest, column.width or READABLE_TEXT * 2))
        return cls(floor, ideal)

    def spread(self, columns: list[Column], width: int, name: Column | None) -> dict[str, int]:
        """The floors, and the room left over: to the name column first (it is what a row is
        found by), then shared among the other columns that would like more."""
        spare = width - table_width(columns, self.floor)
        growth = {c.key: self.ideal[c.key] - self.floor[c.key] for c in columns}
        if name is not None and name in columns:
            first = min(growth[name.key], spare)
            spare -= first
            growth[name.key] -= first
        wanted = sum(growth.values())
        if wanted <= spare:
            return {c.key: self.ideal[c.key] for c in columns}
        return {c.key: self.ideal[c.key] - growth[c.key] + growth[c.key] * spare // wanted for c in columns}

    def unbounded(self, columns: list[Column]) -> dict[str, int]:
        """For a pipe or a file: as wide as each column likes, a header label unbroken when it can be."""
        return {c.key: max(self.ideal[c.key], min(max(len(p) for p in header_path(c)), READABLE_TEXT * 2))
                for c in columns}


def table_width(columns: list[Column], width: dict[str, int]) -> int:
    return sum(width[c.key] + BORDER for c in columns) + 1


def fitting_columns(tabular: Tabular, width: int, floor: dict[str, int]) -> tuple[list[Column], list[Column]]:
    """The columns that fit the width (and those hidden), dropping whole low-priority columns."""
    kept = list(tabular.columns)
    hidden: list[Column] = []
    while table_width(kept, floor) > width:
        droppable = [c for c in kept if c.drop > 0 and c.kind not in NUMERIC]  # a figure is never hidden
        if not droppable:
            break
        victim = max(droppable, key=lambda c: c.drop)
        kept.remove(victim)
        hidden.append(victim)
    return kept, hidden


def header_text(column: Column, width: int) -> str:
    """The header's labels, each wrapped at word boundaries to the column's width (rich would
    otherwise size a figure's column by its unbroken header, squeezing the others)."""
    return "\n".join(textwrap.fill(p, width, break_long_words=False) for p in header_path(column) if p)


def rich_table(tabular: Tabular, columns: list[Column], width: dict[str, int]) -> Table:
    caption = "\n".join(f"{k}: {v}" for k, v in tabular.meta)
    table = Table(title=markup_safe("\n".join(tabular.heading) or tabular.title), header_style="bold", expand=False,
                  caption=markup_safe(caption) if caption else None)
    for column in columns:
        table.add_column(markup_safe(header_text(column, width[column.key])),
                         justify="right" if column.kind in NUMERIC else "left", overflow="fold",
                         no_wrap=column.kind in WHOLE, width=width[column.key])
    for index, row in enumerate(tabular.rows):
        flagged = tabular.flagged(index)
        cells = [Text(shown(money_text(row.get(c.key), c)) if row.get(c.key) is not None else c.empty,
                      style="on yellow" if c.key in flagged else "") for c in columns]
        table.add_row(*cells, style=_STYLE.get(tabular.style(index) or ""))
    return table


def title_keys(tabular: Tabular, row: dict[str, Any]) -> tuple[str, ...]:
    """The cells that head a row's block: its kode and name, or else the form's first kode
    and first filled text (a rincian's rekening and uraian, a sasaran's number and text)."""
    if any(row.get(key) for key in tabular.block_title):
        return tabular.block_title
    code = next((c.key for c in tabular.columns if c.kind == "code" and row.get(c.key)), None)
    text = next((c.key for c in tabular.columns if c.kind == "text" and row.get(c.key)), None)
    return tuple(key for key in (code, text) if key)


def row_title(tabular: Tabular, index: int) -> str:
    row = tabular.rows[index]
    kinds = {column.key: column.kind for column in tabular.columns}
    return shown(" ".join(cell_text(row.get(key), kinds.get(key, "text")) for key in title_keys(tabular, row)
                          if row.get(key))) or f"({index + 1})"


def heading_style(tabular: Tabular, index: int) -> str:
    return _STYLE.get(tabular.style(index) or "", "bold")


def block_heading(tabular: Tabular, index: int, console: Console) -> tuple[str, ...]:
    console.print(Text(row_title(tabular, index), style=heading_style(tabular, index)))
    return title_keys(tabular, tabular.rows[index])


def form_heading(tabular: Tabular, console: Console) -> None:
    console.print(Text(shown("\n".join(tabular.heading) or tabular.title), style="bold"))
    for label, fact in tabular.meta:
        console.print(Text(shown(f"{label}: {fact}")))


def stacked(tabular: Tabular, console: Console) -> None:
    """One block per row: its name, then each filled cell as 'header: value'."""
    form_heading(tabular, console)
    for index, row in enumerate(tabular.rows):
        console.print()
        keys = block_heading(tabular, index, console)
        for column in tabular.columns:
            if column.key in keys or column.key.startswith("kode_"):
                continue
            value = row.get(column.key)
            if value is None or value == "":
                continue
            mark = FLAG if column.key in tabular.flagged(index) else ""
            label = " / ".join(p for p in header_path(column) if p)
            console.print(Text(shown(f"  {label}: {money_text(value, column)}{mark}")))


def code_and_name(tabular: Tabular) -> list[Column]:
    """The columns a block's heading already shows."""
    name = name_column(tabular)
    return [c for c in tabular.columns if c.kind == "code" or c is name]


def figure_columns(tabular: Tabular) -> list[Column]:
    return [c for c in tabular.columns if c.kind in NUMERIC]


def wide(tabular: Tabular) -> bool:
    """A form whose block would run to many lines a row, and that has figures to show instead."""
    return bool(figure_columns(tabular)) and len(tabular.columns) > COMPACT_AFTER


def letter(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: the short name of a figure column in the compact blocks."""
    return letter(index // 26 - 1) + ascii_uppercase[index % 26] if index >= 26 else ascii_uppercase[index]


@dataclass(frozen=True)
class Slots:
    """The aligned slots of the compact blocks: a letter, the figure right-aligned, its flag."""

    letters: int
    figures: int
    flags: int

    @property
    def size(self) -> int:
        return self.letters + 1 + self.figures + self.flags

    def line_width(self, count: int) -> int:
        return count * (self.size + GAP) - GAP

    def per_line(self, width: int) -> int:
        return max(1, (width - INDENT + GAP) // (self.size + GAP))

    def slot(self, name: str, value: str, flagged: bool) -> str:
        if value in ("", "-") and not flagged:  # nothing, or the form's zero: a blank slot keeps the eye on figures
            return " " * self.size
        return f"{name:<{self.letters}} {shown(value):>{self.figures}}{(FLAG if flagged else ''):<{self.flags}}"


def compact(tabular: Tabular, console: Console, width: int) -> None:
    """One short block per row: its kode and name, then its figures in aligned slots, each
    named by a letter the legend above spells out; on a screen wide enough, the figures stand
    beside the name, one row a line. The text columns are left to the whole form."""
    figures = figure_columns(tabular)
    names = {c.key: letter(i) for i, c in enumerate(figures)}
    values = {c.key: texts(tabular, c) for c in figures}
    slots = Slots(max(len(n) for n in names.values()), max(longest_line(v) for v in values.values()),
                  len(FLAG) if any(tabular.flags) else 0)
    form_heading(tabular, console)
    compact_legend(tabular, figures, names, slots, console, width)
    per_line = slots.per_line(width)
    titles = [row_title(tabular, index) for index in range(len(tabular.rows))]
    beside = heading_room(titles, width - GAP - slots.line_width(len(figures))) if per_line >= len(figures) else 0
    if beside:
        console.print()
    for index, title in enumerate(titles):
        flagged = tabular.flagged(index)
        lines = [line.rstrip() for first in range(0, len(figures), per_line)
                 if (line := (" " * GAP).join(slots.slot(names[c.key], values[c.key][index], c.key in flagged)
                                              for c in figures[first:first + per_line])).strip()]
        style = heading_style(tabular, index)
        if beside:
            heading = textwrap.wrap(title, beside, subsequent_indent=" " * INDENT, break_long_words=False) or [""]
            first = Text.assemble((f"{heading[0]:<{beside}}", style), " " * GAP, *lines[:1])
            first.rstrip()
            console.print(first)
            for more in heading[1:]:
                console.print(Text(more, style=style))
            continue
        console.print()
        console.print(Text(title, style=style))
        for line in lines:
            console.print(Text(" " * INDENT + line))


def heading_room(titles: list[str], room: int) -> int:
    """How wide the names may be beside every figure of a row: 0 when that would squeeze them."""
    longest_word = max((len(word) for title in titles for word in title.split()), default=0) + INDENT
    if room < max(READABLE_NAME, longest_word):
        return 0
    return min(room, max(len(title) for title in titles))


def compact_legend(tabular: Tabular, figures: list[Column], names: dict[str, str], slots: Slots, console: Console,
                   width: int) -> None:
    console.print()
    console.print(Text(_("The figures of each row:"), style="bold"))
    hanging = " " * (slots.letters + 2)
    for column in figures:
        label = f"{names[column.key]:<{slots.letters}}  {' / '.join(p for p in header_path(column) if p)}"
        console.print(Text(textwrap.fill(shown(label), width, subsequent_indent=hanging, break_long_words=False)))
    if len(tabular.columns) > len(figures) + len(code_and_name(tabular)):
        console.print(Text(_("Text and target columns are not shown here; the whole form: a wider terminal, "
                             "--format xlsx or pdf, or a pipe (| less -S)."), style="dim"))


def on_screen(tabular: Tabular, console: Console, width: int) -> None:
    """A table when every column it keeps fits readably; else a block per row."""
    widths = Widths.of(tabular)
    kept, hidden = fitting_columns(tabular, width, widths.floor)
    if tabular.stacked or table_width(kept, widths.floor) > width:
        if wide(tabular) and not tabular.stacked:
            compact(tabular, console, width)
        else:
            stacked(tabular, console)
        return
    console.print(rich_table(tabular, kept, widths.spread(kept, width, name_column(tabular))))
    if hidden:
        names = "; ".join(" / ".join(p for p in header_path(c) if p) for c in hidden)
        console.print(Text(_("… columns hidden: {columns}; the whole form: --format xlsx or pdf, or a pipe.")
                           .format(columns=names), style="dim"))


def print_table(tabular: Tabular, output: Path | None) -> None:
    if output is None and sys.stdout.isatty():
        width = shutil.get_terminal_size((120, 40)).columns
        console = Console(width=width)
        on_screen(tabular, console, width)
        tabular_notes(tabular, console)
        return
    # A pipe or a file: the whole table, as wide as its columns need; nothing is cut.
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, force_terminal=False)
    if tabular.stacked:
        stacked(tabular, console)
    else:
        unbounded = Widths.of(tabular).unbounded(tabular.columns)
        console.width = max(80, table_width(tabular.columns, unbounded))
        console.print(rich_table(tabular, tabular.columns, unbounded))
    tabular_notes(tabular, console)
    if output is None:
        sys.stdout.write(buffer.getvalue())
    else:
        output.write_text(buffer.getvalue(), encoding="utf-8")


def tabular_notes(tabular: Tabular, console: Console) -> None:
    if tabular.legend and any(tabular.flags):
        for line in tabular.legend:
            console.print(Text(line, style="dim"))
    for note in tabular.notes:
        console.print(Text(shown(note)))


# --- the one entry -------------------------------------------------------------------------------

def emit(rendered: Rendered, fmt: Format, output: Path | None = None, *, paper: Paper = Paper.A4,
         csv_separator: str = ",") -> None:
    if fmt in FILE_FORMATS:
        if output is None:
            raise LedgerError(_("--format {format} writes a file: give --output FILE.{format}").format(format=fmt.value))
        if fmt is Format.XLSX:
            write_xlsx(rendered.tabular, output, paper)
        else:
            from projections.render.pdf import write_pdf

            write_pdf(rendered.tabular, output, paper.value)
        Console(stderr=True).print(Text(_("wrote {path}").format(path=output)))
        return
    if fmt is Format.TABLE:
        print_table(rendered.tabular, output)
        return
    if fmt is Format.JSON:
        text = json.dumps(rendered.payload, ensure_ascii=False, indent=2, default=str) + "\n"
        encoding = "utf-8"
    else:
        text = csv_document(rendered.tabular, csv_separator)
        encoding = "utf-8"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding=encoding)
