"""Read one table file (CSV or XLSX) into rows of text, checking its columns."""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ledger.application.importing.layouts import LAYOUTS
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.errors import ImportFailed, InvalidValue, rejected
from ledger.i18n import _
from ledger.text import MAX_CELL, check_text

# Bounds, checked before the work: a planning table has hundreds of rows (a DPA's rincian of a
# whole OPD a few thousand), never hundreds of thousands, and its file is a few megabytes.
MAX_ROWS = 50_000
MAX_TABLE_BYTES = 50 * 2**20


def _too_many_rows(file: str) -> ImportFailed:
    return ImportFailed(file, None, None, _("more than {limit} rows: not a planning table (split it, or check that "
                                            "the sheet holds no junk below the table)").format(limit=f"{MAX_ROWS:,}"))


def _check_workbook_xml(path: Path) -> None:
    """Refuse a workbook whose XML declares a DOCTYPE (entities: the 'billion laughs', external
    files): no spreadsheet application writes one, and the XML reader must never expand them."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if info.filename.lower().endswith((".xml", ".rels"))]
            if sum(info.file_size for info in members) > 4 * MAX_TABLE_BYTES:
                raise ImportFailed(str(path), None, None, _("the workbook unpacks to more than {limit} MB").format(
                    limit=4 * MAX_TABLE_BYTES // 2**20))
            for info in members:
                with archive.open(info) as member:
                    if b"<!DOCTYPE" in member.read().upper():
                        raise ImportFailed(str(path), None, None, _("{member} declares a DOCTYPE (XML entities), "
                                                                    "which no spreadsheet writes: refused").format(
                            member=info.filename))
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # not a zip at all: the workbook reader says so, naming what it found


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    _check_workbook_xml(path)
    try:
        return _read_xlsx(path, sheet)
    except ImportFailed:
        raise
    except Exception as error:  # openpyxl raises many kinds of error for a malformed sheet, also while reading rows
        raise ImportFailed(str(path), None, None, f"not a readable .xlsx workbook ({type(error).__name__})") from None


def _read_xlsx(path: Path, sheet: str | None) -> list[list[str]]:
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
        if len(rows) > MAX_ROWS + 1:
            raise _too_many_rows(str(path))
    return rows


def _csv_rows(path: Path) -> list[list[str]]:
    file = str(path)
    rows: list[list[str]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for values in csv.reader(handle, strict=True):
                rows.append(values)
                if len(rows) > MAX_ROWS + 1:
                    raise _too_many_rows(file)
    except UnicodeDecodeError as error:
        raise ImportFailed(file, None, None, f"not UTF-8 text: {error}") from None
    except csv.Error as error:  # a NUL byte, an unclosed quote, a field larger than csv's limit (128 KiB)
        broken = quote_problem(path.read_text(encoding="utf-8-sig"), rows[0] if rows else [])
        if broken is not None:
            raise broken.failure(file) from None
        raise ImportFailed(file, len(rows) + 1, None, _("not a readable CSV table: {error}").format(error=error),
                           unit="line") from None
    return rows


@dataclass(frozen=True)
class BrokenQuote:
    """Where a CSV's quoting breaks: the line and column of the quoted field's opening quote."""

    line: int
    column: int
    field: int  # the field's number in its record, from 1
    name: str | None  # its column's name in the header, when the header was read
    after: str | None  # what follows its closing quote; None: the quote is never closed

    def failure(self, file: str) -> ImportFailed:
        where = _("the quoted field that starts at column {column} (field {field}{name})").format(
            column=self.column, field=self.field, name=f", {self.name!r}" if self.name else "")
        if self.after is None:
            message = _("{where} is never closed: a closing '\"' is missing (a quote inside a field is written "
                        "twice, \"\")").format(where=where)
        else:
            message = _("{where} is closed, then followed by {after!r}; after a closing '\"' comes a comma or the "
                        "end of the line (a quote inside a field is written twice, \"\")").format(where=where, after=self.after)
        return ImportFailed(file, self.line, None, message, unit="line")


def quote_problem(text: str, header: list[str]) -> BrokenQuote | None:
    """The first quoted field that is not closed, or whose closing quote is followed by more text, read
    as csv's strict reader reads (a field is quoted when it starts with '"'; '""' inside is one quote)."""
    line, column, field, at_start, opened = 1, 0, 1, True, None
    position = 0
    while position < len(text):
        char = text[position]
        column += 1
        if opened is not None:
            if char == '"' and text[position + 1:position + 2] == '"':
                position, column = position + 2, column + 1
                continue
            if char == '"':
                after = text[position + 1:position + 2]
                if after not in ("", ",", "\r", "\n"):
                    return BrokenQuote(*opened, after=after)
                opened = None
        elif char == '"' and at_start:
            name = header[field - 1] if line > 1 and field <= len(header) else None
            opened = (line, column, field, name)
        elif char == ",":
            field += 1
        elif char == "\n":
            field = 1
        at_start = char in ",\n\r" and opened is None
        if char == "\n":
            line, column = line + 1, 0
        position += 1
    return BrokenQuote(*opened, after=None) if opened is not None else None


def read_table(spec: TableSpec) -> list[Row]:
    file = str(spec.path)
    if not spec.path.is_file():
        raise ImportFailed(file, None, None, "file not found")
    if spec.path.stat().st_size > MAX_TABLE_BYTES:
        raise ImportFailed(file, None, None, _("larger than {limit} MB: not a planning table").format(
            limit=MAX_TABLE_BYTES // 2**20))
    if spec.path.suffix.lower() == ".xlsx":
        raw = _xlsx_rows(spec.path, spec.sheet)
    elif spec.path.suffix.lower() == ".csv":
        raw = _csv_rows(spec.path)
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
    if layout.one_of and not any(column in header for column in layout.one_of):
        missing = sorted([*missing, layout.one_of[0]], key=layout.columns.index)
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
        check_row_number(file, line_number, row_id)
        if row_id in seen:
            raise ImportFailed(file, row_id, "row", "row number used twice")
        seen.add(row_id)
        rows.append(Row(file=spec.path.name, row=row_id, cells=cells))
    if not rows:
        raise ImportFailed(file, None, None, "no rows after the header: nothing to import (the document is not registered)")
    return rows


# A row's number as a form prints it: 12, 3a, 1.2, IV. Not a formula (=1+1), not a spreadsheet's
# placeholder (NaN), not a digit of another script (½).
ROW_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./-]{0,19}$", re.ASCII)
NOT_A_NUMBER = {"nan", "none", "null", "inf", "infinity", "true", "false"}


def check_row_number(file: str, line_number: int, row_id: str) -> None:
    if not ROW_NUMBER.match(row_id) or row_id.casefold() in NOT_A_NUMBER:
        raise ImportFailed(file, f"line {line_number}", "row", _("{row!r} is not a row number as a form prints it "
                                                                 "(12, 3a, 1.2, IV)").format(row=row_id[:30]))


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
    """Every cell under the ledger's one text policy (ledger.text); every bad cell of the line named."""
    problems = []
    for position, value in enumerate(values):
        try:
            check_text(value, "cell", limit=MAX_CELL)
        except InvalidValue as error:
            name = header[position] if position < len(header) and header[position] else f"column {position + 1}"
            problems.append(ImportFailed(file, f"line {line_number}", name, error.expected))
    if problems:
        raise rejected(problems)
