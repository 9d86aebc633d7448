"""Where a report goes: the terminal, CSV, JSON, XLSX or PDF, all from its one form definition.

The terminal never cuts a figure, a kode or a name. A table that does not fit the screen
hides its low-priority text columns first (and says which); if it still does not fit, it is
printed as one block per row. Pipes and files get the whole table, as wide as it needs.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from enum import StrEnum
from pathlib import Path

from rich.console import Console
from rich.measure import Measurement
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
_STYLE = {"urusan": "bold", "program": "bold", "kegiatan": "bold italic", "total": "bold reverse", "flag": "yellow",
          "bad": "red", "sasaran": "italic"}
BORDER = 3  # a column's share of the table's borders and padding


# --- the terminal --------------------------------------------------------------------------------

def texts(tabular: Tabular, column: Column) -> list[str]:
    return [money_text(row.get(column.key), column) if row.get(column.key) is not None else "" for row in tabular.rows]


def min_width(tabular: Tabular, column: Column) -> int:
    """The narrowest a column may be without cutting anything: figures, kodes and targets whole,
    text wrapped at word boundaries."""
    cells = texts(tabular, column)
    header = max((len(word) for word in " ".join(header_path(column)).split()), default=1)
    if column.kind in (*NUMERIC, "code", "target"):
        return max([header, *(len(line) for text in cells for line in text.splitlines())])
    words = [len(word) for text in cells for word in text.split()]
    return max(header, min(max(words, default=1), 24))


def floors(tabular: Tabular) -> dict[str, int]:
    """Every column's narrowest width, measured once (each measure reads every row)."""
    return {column.key: min_width(tabular, column) for column in tabular.columns}


def table_width(columns: list[Column], floor: dict[str, int]) -> int:
    return sum(floor[c.key] + BORDER for c in columns) + 1


def fitting_columns(tabular: Tabular, width: int, floor: dict[str, int]) -> tuple[list[Column], list[Column]]:
    """The columns that fit the width (and those hidden), dropping whole low-priority columns."""
    shown = list(tabular.columns)
    hidden: list[Column] = []
    while table_width(shown, floor) > width:
        droppable = [c for c in shown if c.drop > 0]  # text only: a figure is never hidden
        if not droppable:
            break
        victim = max(droppable, key=lambda c: c.drop)
        shown.remove(victim)
        hidden.append(victim)
    return shown, hidden


def rich_table(tabular: Tabular, columns: list[Column], floor: dict[str, int]) -> Table:
    caption = "\n".join(f"{k}: {v}" for k, v in tabular.meta)
    table = Table(title=markup_safe("\n".join(tabular.heading) or tabular.title), header_style="bold", expand=False,
                  caption=markup_safe(caption) if caption else None)
    for column in columns:
        numeric = column.kind in NUMERIC
        whole = numeric or column.kind in ("code", "target")
        table.add_column(markup_safe("\n".join(p for p in header_path(column) if p)), justify="right" if numeric else "left",
                         overflow="fold", no_wrap=whole, min_width=floor[column.key],
                         max_width=None if whole else max(floor[column.key], column.width or 40))
    for index, row in enumerate(tabular.rows):
        flagged = tabular.flagged(index)
        cells = [Text(shown(money_text(row.get(c.key), c)) if row.get(c.key) is not None else c.empty,
                      style="on yellow" if c.key in flagged else "") for c in columns]
        table.add_row(*cells, style=_STYLE.get(tabular.style(index) or ""))
    return table


def stacked(tabular: Tabular, console: Console) -> None:
    """One block per row: its name, then each filled cell as 'header: value'."""
    console.print(Text(shown("\n".join(tabular.heading) or tabular.title), style="bold"))
    for label, fact in tabular.meta:
        console.print(Text(shown(f"{label}: {fact}")))
    for index, row in enumerate(tabular.rows):
        title = " ".join(str(row.get(key)) for key in tabular.block_title if row.get(key))
        console.print()
        console.print(Text(shown(title) or f"({index + 1})", style=_STYLE.get(tabular.style(index) or "", "bold")))
        for column in tabular.columns:
            if column.key in tabular.block_title or column.key.startswith("kode_"):
                continue
            value = row.get(column.key)
            if value is None or value == "":
                continue
            mark = "  [!]" if column.key in tabular.flagged(index) else ""
            label = " / ".join(p for p in header_path(column) if p)
            console.print(Text(shown(f"  {label}: {money_text(value, column)}{mark}")))


def print_table(tabular: Tabular, output: Path | None) -> None:
    if output is None and sys.stdout.isatty():
        width = shutil.get_terminal_size((120, 40)).columns
        console = Console(width=width)
        floor = floors(tabular)
        shown, hidden = fitting_columns(tabular, width, floor)
        if table_width(shown, floor) > width or tabular.stacked:
            stacked(tabular, console)
        else:
            console.print(rich_table(tabular, shown, floor))
            if hidden:
                names = ", ".join(" ".join(header_path(c)) for c in hidden)
                console.print(Text(f"… kolom {names} disembunyikan; --format xlsx/pdf untuk bentuk lengkap", style="dim"))
        tabular_notes(tabular, console)
        return
    # A pipe or a file: the whole table, as wide as its columns need; nothing is cut.
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, force_terminal=False)
    if tabular.stacked:
        stacked(tabular, console)
    else:
        table = rich_table(tabular, tabular.columns, floors(tabular))
        console.width = max(80, Measurement.get(Console(width=100_000), Console(width=100_000).options, table).maximum)
        console.print(table)
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
