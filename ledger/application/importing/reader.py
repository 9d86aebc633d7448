"""Read one table file (CSV or XLSX) into rows of text, checking its columns."""

from __future__ import annotations

import csv
from pathlib import Path

from ledger.application.importing.layouts import LAYOUTS
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.errors import ImportFailed


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error for a file that is not a workbook
        raise ImportFailed(str(path), None, None, f"not a readable .xlsx workbook ({type(error).__name__})") from None
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    except KeyError:
        raise ImportFailed(str(path), None, None, f"no sheet named {sheet!r}") from None
    rows: list[list[str]] = []
    for values in worksheet.iter_rows(values_only=True):
        cells = []
        for value in values:
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
    else:
        raise ImportFailed(file, None, None, "expected a .csv or .xlsx file")
    if not raw:
        raise ImportFailed(file, None, None, "empty file: expected a header row")
    header = [h.strip() for h in raw[0]]
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
    return rows
