"""A row of a source table, as text, and the typed values read from its cells.

Every figure is parsed here, through the one number parser, and a bad cell fails with the
file, the row and the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ledger.errors import ImportFailed, InvalidValue
from ledger.money import Rupiah
from ledger.numbers import is_empty, parse_decimal
from ledger.target import Target


@dataclass(frozen=True)
class Row:
    file: str
    row: str
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def fail(self, column: str | None, message: str) -> ImportFailed:
        return ImportFailed(self.file, self.row, column, message)

    def rupiah(self, column: str) -> Rupiah | None:
        text = self.get(column)
        if is_empty(text):
            return None
        try:
            return Rupiah.from_printed(text)
        except InvalidValue as error:
            raise self.fail(column, str(error)) from None

    def decimal(self, column: str) -> Decimal | None:
        text = self.get(column)
        if is_empty(text):
            return None
        try:
            return parse_decimal(text)
        except InvalidValue as error:
            raise self.fail(column, str(error)) from None

    def target(self, column: str, default: str | None) -> Target | None:
        text = self.get(column)
        if is_empty(text):
            return None
        try:
            return Target.parse(text, default_satuan=default)
        except InvalidValue as error:
            raise self.fail(column, str(error)) from None
