"""The one rendering helper: a report as a rich table, CSV, JSON or XLSX."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from cli.xlsx import write_xlsx
from ledger.errors import LedgerError
from projections.tabular import Column, Rendered, Tabular, cell_text

__all__ = ["Column", "Format", "Rendered", "Tabular", "cell_text", "emit"]


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


def csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return str(value)
    return cell_text(value, kind)


_STYLE = {"program": "bold", "kegiatan": "bold dim", "total": "bold reverse", "flag": "yellow", "bad": "red"}


def rich_table(tabular: Tabular) -> Table:
    table = Table(title=tabular.title, show_lines=False, header_style="bold", expand=False,
                  caption="\n".join(f"{k}: {v}" for k, v in tabular.meta) or None)
    for column in tabular.columns:
        header = f"{column.group}\n{column.header}" if column.group else column.header
        numeric = column.kind in ("money", "number", "percent")
        table.add_column(header, justify="right" if numeric else "left", overflow="fold",
                         max_width=column.width or (None if numeric else 48), no_wrap=numeric or column.kind == "code",
                         min_width=None if numeric else min(column.width or 12, 20))
    for index, row in enumerate(tabular.rows):
        style = tabular.styles[index] if index < len(tabular.styles) else None
        table.add_row(*(cell_text(row.get(c.key), c.kind) for c in tabular.columns), style=_STYLE.get(style or ""))
    return table


def emit(rendered: Rendered, fmt: Format, output: Path | None = None) -> None:
    if fmt is Format.XLSX:
        if output is None:
            raise LedgerError("--format xlsx writes a file: give --output FILE.xlsx")
        write_xlsx(rendered.tabular, output)
        Console(stderr=True).print(f"wrote {output}")
        return
    if fmt is Format.JSON:
        text = json.dumps(rendered.payload, ensure_ascii=False, indent=2, default=str) + "\n"
    elif fmt is Format.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = rendered.tabular.columns
        writer.writerow([c.key for c in columns])
        for row in rendered.tabular.rows:
            writer.writerow([csv_value(row.get(c.key), c.kind) for c in columns])
        text = buffer.getvalue()
    else:
        # Wide official tables: use the terminal's width, or 200 columns when not on a terminal.
        width = shutil.get_terminal_size((200, 40)).columns if output is None and sys.stdout.isatty() else 200
        console = Console(file=output.open("w", encoding="utf-8") if output else None, width=width)
        console.print(rich_table(rendered.tabular))
        for note in rendered.tabular.notes:
            console.print(note)
        return
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
