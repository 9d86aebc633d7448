"""Read one table file (CSV or XLSX) into rows of text, checking its columns."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ledger.application.importing.layouts import LAYOUTS
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.errors import ImportFailed


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        # Twice: the values a spreadsheet application computed and saved, and the cells' own
        # content, to tell an empty cell from a formula whose value was never computed.
        workbook = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of error for a file that is not a workbook
        raise ImportFailed(str(path), None, None, f"not a readable .xlsx workbook ({type(error).__name__})") from None
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        formula_sheet = formulas[sheet] if sheet else formulas.worksheets[0]
    except (KeyError, IndexError):
        raise ImportFailed(str(path), None, None, f"no sheet named {sheet!r}" if sheet else "no worksheet") from None
    rows: list[list[str]] = []
    for values, written in zip(worksheet.iter_rows(values_only=True), formula_sheet.iter_rows(values_only=True),
                               strict=False):
        cells = []
        for column, (value, content) in enumerate(zip(values, written, strict=False), start=1):
            if value is None and isinstance(content, str) and content.startswith("="):
                raise ImportFailed(str(path), len(rows) + 1, f"column {column}",
                                   f"a formula ({content[:40]}) with no saved value: open and save the file in a "
                                   "spreadsheet application, or type the figure as printed")
            if isinstance(value, float):
                if not value.is_integer():
                    raise ImportFailed(str(path), len(rows) + 1, None,
                                       f"cell {value!r} holds a fraction; type figures as text exactly as printed")
                value = int(value)
            cells.append("" if value is None else str(value))
        rows.append(cells)
    return rows


def read_table(spec: TableSpec) -> list[Row]:
    file = str(spec.path)
    if not spec.path.is_file():
        raise ImportFailed(file, None, None, "file not found")
    if spec.path.suffix.lower() == ".xlsx":
        raw = _xlsx_rows(spec.path, spec.sheet)
    elif spec.path.suffix.lower() == ".csv":
        try:
            with spec.path.open(encoding="utf-8-sig", newline="") as handle:
                raw = list(csv.reader(handle))
        except UnicodeDecodeError as error:
            raise ImportFailed(file, None, None, f"not UTF-8 text: {error}") from None
        except csv.Error as error:  # a NUL byte, a field larger than csv's limit (128 KiB)
            raise ImportFailed(file, None, None, f"not a readable CSV table: {error}") from None
    else:
        raise ImportFailed(file, None, None, "expected a .csv or .xlsx file")
    if not raw:
        raise ImportFailed(file, None, None, "empty file: expected a header row")
    header = [h.strip() for h in raw[0]]
    check_header(file, header, raw)
    layout = LAYOUTS[spec.layout]
    allowed = layout.columns
    unknown = [h for h in header if h and h not in allowed]
    if unknown:
        raise ImportFailed(file, None, unknown[0], f"unknown column for layout {spec.layout!r}; expected some of: {', '.join(allowed)}")
    missing = [c for c in layout.required if c not in header]
    if missing:
        raise ImportFailed(file, None, missing[0], f"required column missing (layout {spec.layout!r})")
    rows: list[Row] = []
    seen: set[str] = set()
    for line_number, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        check_cells(file, line_number, header, values)
        if len(values) > len(header):
            raise ImportFailed(file, f"line {line_number}", None, f"{len(values)} cells but the header has {len(header)}")
        cells = dict(zip(header, values, strict=False))
        row_id = cells.get("row", "").strip()
        if not row_id:
            raise ImportFailed(file, f"line {line_number}", "row", "empty; every row needs its row number")
        if row_id in seen:
            raise ImportFailed(file, row_id, "row", "row number used twice")
        seen.add(row_id)
        rows.append(Row(file=spec.path.name, row=row_id, cells=cells))
    if not rows:
        raise ImportFailed(file, None, None, "no rows after the header: nothing to import (the document is not registered)")
    return rows


# C0/C1 controls other than tab, newline and carriage return, and the bidi overrides: never
# part of a printed figure or name, and unsafe on a terminal or in a spreadsheet.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_header(file: str, header: list[str], raw: list[list[str]]) -> None:
    """Each column named once; a column without a name holds no data (it would be dropped)."""
    named = [h for h in header if h]
    doubled = sorted({h for h in named if named.count(h) > 1})
    if doubled:
        raise ImportFailed(file, None, doubled[0], "this column appears twice in the header; keep one")
    for position, name in enumerate(header):
        if name:
            continue
        filled = next((number for number, values in enumerate(raw[1:], start=2)
                       if position < len(values) and values[position].strip()), None)
        if filled is not None:
            raise ImportFailed(file, f"line {filled}", f"column {position + 1}",
                               "holds data but has no name in the header; name it or remove it")


def check_cells(file: str, line_number: int, header: list[str], values: list[str]) -> None:
    for position, value in enumerate(values):
        found = CONTROL.search(value)
        if found:
            name = header[position] if position < len(header) and header[position] else f"column {position + 1}"
            raise ImportFailed(file, f"line {line_number}", name,
                               f"holds the control character U+{ord(found.group()):04X}; remove it")
