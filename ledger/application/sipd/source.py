"""Where SIPD's tables are read from: a live wp-sipd database (any SQLAlchemy URL, read only) or
a snapshot folder of one CSV per table. Both give every row of a table for one year as text
(``None`` for NULL), so everything after reading is the same for both."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, Integer, MetaData, Table, create_engine, inspect, select, type_coerce
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ledger.application.sipd.tables import SipdTable
from ledger.errors import ImportFailed, InvalidValue, LedgerError
from ledger.i18n import _
from ledger.text import MAX_CELL, check_text

Record = dict[str, str | None]
MAX_CSV_BYTES = 2 * 2**30  # a province's data_rka is large; still a limit, not a memory hazard: rows stream


class SipdSourceError(LedgerError):
    """The SIPD source cannot be opened or read."""


class SipdSource(Protocol):
    description: str

    def has(self, table: SipdTable) -> bool: ...

    def rows(self, table: SipdTable, tahun: int) -> Iterator[tuple[str, Record]]:
        """(where, row) of ``table`` for ``tahun``, in SIPD's order; ``where`` names the row."""
        ...


def open_source(text: str) -> SipdSource:
    """A folder path, or a database URL (``mysql+pymysql://…``)."""
    if "://" in text:
        return DatabaseSource(text)
    folder = Path(text)
    if not folder.is_dir():
        raise SipdSourceError(_("{path}: no such folder; give a snapshot folder of CSV files (data_sub_keg_bl.csv, …) "
                                "or a database URL such as mysql+pymysql://user@host/wordpress").format(path=text))
    return CsvFolder(folder)


def _cell(text: str, file: str, where: str, column: str) -> str:
    """A cell under the ledger's one text policy, as a document's cells are (importing.reader)."""
    try:
        return check_text(text, "cell", limit=MAX_CELL)
    except InvalidValue as error:
        raise ImportFailed(file, where, column, error.expected) from None


class CsvFolder:
    """A snapshot: ``<table>.csv`` per table, header row = the table's column names, empty = NULL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.description = str(folder)

    def path(self, table: SipdTable) -> Path:
        return self.folder / f"{table.name}.csv"

    def has(self, table: SipdTable) -> bool:
        return self.path(table).is_file()

    def rows(self, table: SipdTable, tahun: int) -> Iterator[tuple[str, Record]]:
        path = self.path(table)
        file = str(path)
        if path.stat().st_size > MAX_CSV_BYTES:
            raise ImportFailed(file, None, None, _("larger than {limit} GB").format(limit=MAX_CSV_BYTES // 2**30))
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle, strict=True)
                header = [name.strip() for name in next(reader, [])]
                check_columns(table, header, file)
                for number, values in enumerate(reader, start=2):
                    if not any(value.strip() for value in values):
                        continue
                    if len(values) != len(header):
                        raise ImportFailed(file, number, None, _("{count} cells, but the header has {columns}").format(
                            count=len(values), columns=len(header)), unit="line")
                    record: Record = {name: (_cell(value, file, str(number), name) if value != "" else None)
                                      for name, value in zip(header, values, strict=True) if name in table.columns}
                    if _year(record, table) == tahun:
                        yield f"{table.name} {_named(table, record, number)}", record
        except UnicodeDecodeError as error:
            raise ImportFailed(file, None, None, _("not UTF-8 text: {error}").format(error=error)) from None
        except csv.Error as error:
            raise ImportFailed(file, None, None, _("not a readable CSV table: {error}").format(error=error)) from None


class DatabaseSource:
    """A live wp-sipd database: only SELECT statements, streamed."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
            self.description = parsed.render_as_string(hide_password=True)
            self.engine: Engine = create_engine(parsed, pool_pre_ping=False)
            self.tables = set(inspect(self.engine).get_table_names())
        except (ArgumentError, NoSuchModuleError, ValueError) as error:
            raise SipdSourceError(_("not a database URL that can be read: {error}").format(error=error)) from None
        except SQLAlchemyError as error:
            raise SipdSourceError(_("cannot read the SIPD database {url}: {error}").format(
                url=self.description, error=str(error).splitlines()[0][:200])) from None

    def has(self, table: SipdTable) -> bool:
        return table.name in self.tables

    def rows(self, table: SipdTable, tahun: int) -> Iterator[tuple[str, Record]]:
        try:
            meta = Table(table.name, MetaData(), autoload_with=self.engine)
            check_columns(table, [column.name for column in meta.columns], table.name)
            wanted = [meta.c[name] for name in table.columns if name in meta.c]
            order = [meta.c[name] for name in (table.order_by, "id") if name in meta.c]
            query = select(*wanted).where(type_coerce(meta.c[table.year], Integer) == tahun).order_by(*order)
            with self.engine.connect() as connection:
                result = connection.execution_options(stream_results=True, yield_per=2000).execute(query)
                for number, row in enumerate(result, start=1):
                    record = {name: _text(value) for name, value in row._mapping.items()}
                    for name, value in record.items():
                        if value is not None:
                            _cell(value, table.name, str(number), name)
                    yield f"{table.name} {_named(table, record, number)}", record
        except SQLAlchemyError as error:
            raise SipdSourceError(_("cannot read table {table} of {url}: {error}").format(
                table=table.name, url=self.description, error=str(error).splitlines()[0][:200])) from None


def check_columns(table: SipdTable, header: list[str], file: str) -> None:
    missing = [name for name in table.required if name not in header]
    if missing:
        raise ImportFailed(file, None, missing[0], _("table {table} lacks the column {column} (wp-sipd tabel.sql); "
                                                     "export the table with all its columns").format(
            table=table.name, column=", ".join(missing)))
    seen = set()
    for name in header:
        if name in seen and name in table.columns:
            raise ImportFailed(file, None, name, _("the column appears twice in the header"))
        seen.add(name)


def _text(value: Any) -> str | None:
    """A database value as the text a CSV export would hold."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)  # the shortest text that is the same double: 5266550.0, 0.1
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (date, Decimal, int)):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _year(record: Record, table: SipdTable) -> int | None:
    text = (record.get(table.year) or "").strip()
    return int(text) if text.isdigit() else None


def _named(table: SipdTable, record: Record, number: int) -> str:
    for column in table.names_row:
        if record.get(column):
            return f"{column}={record[column]}"
    return _("row {row}").format(row=number)
