"""A form as CSV: the form's Indonesian headers, the kode and level of every row, whole Rupiah,
and a BOM (``csv_document``: what the CLI and the web application write)."""

from __future__ import annotations

import csv
import io
from typing import Any

from projections.render.layout import path as header_path
from projections.render.xlsx import inert
from projections.tabular import MOMENTS, Tabular, cell_text


def csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return str(int(value))  # whole Rupiah, no separators (Rupiah's own str() prints dots)
    if kind == "percent" and not isinstance(value, str):
        return str(value)
    if kind in MOMENTS:
        return str(value)  # ISO, as the JSON: a spreadsheet reads it as a date in any locale
    return inert(cell_text(value, kind))  # a printed name may start like a formula


def csv_text(tabular: Tabular, separator: str) -> str:
    """Indonesian headers as on the form, the kode and level of every row, whole Rupiah."""
    columns = [c for c in tabular.columns if not (c.kind == "code" and c.key.startswith("kode_"))]
    keyed = {c.key for c in columns}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    # Every row's kode and level first, for sorting and filtering (when the rows have them).
    lead = [(name, key) for name, key in (("Kode", "kode"), ("Tingkat", "level"))
            if key not in keyed and any(key in row for row in tabular.rows)]
    writer.writerow([*(name for name, _ in lead), *(" / ".join(part for part in header_path(c) if part) for c in columns)])
    for row in tabular.rows:
        first = [inert(str(row.get(key) or "")) for _, key in lead]
        writer.writerow([*first, *(csv_value(row.get(c.key), c.kind) for c in columns)])
    return buffer.getvalue()


def csv_document(tabular: Tabular, separator: str = ",") -> str:
    """The CSV as written: a BOM first, so that spreadsheet programs read it as UTF-8."""
    return "\ufeff" + csv_text(tabular, separator)
