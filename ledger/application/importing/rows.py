"""A row of a source table, as text, and the typed values read from its cells.

Every figure is parsed here, through the one number parser, and a bad cell fails with the
file, the row and the column. A bad figure does not stop the row: it is kept in ``problems``
(and read as empty), so that every bad field of a row is listed, not the first only; the
importer reports them all and records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from ledger.errors import ImportFailed, InvalidValue
from ledger.money import Rupiah
from ledger.numbers import is_empty, parse_decimal
from ledger.target import Target

T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    file: str
    row: str
    cells: dict[str, str]
    problems: list[ImportFailed] = field(default_factory=list, compare=False, repr=False)

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def fail(self, column: str | None, message: str) -> ImportFailed:
        return ImportFailed(self.file, self.row, column, message)

    def note(self, problem: ImportFailed) -> None:
        """A bad field of this row, kept so that its other fields are read (and reported) too."""
        if all(str(problem) != str(known) for known in self.problems):
            self.problems.append(problem)

    def _read(self, column: str, parse: Callable[[str], T]) -> T | None:
        text = self.get(column)
        if is_empty(text):
            return None
        try:
            return parse(text)
        except InvalidValue as error:
            self.note(self.fail(column, str(error)))
            return None

    def rupiah(self, column: str) -> Rupiah | None:
        return self._read(column, Rupiah.from_printed)

    def decimal(self, column: str) -> Decimal | None:
        return self._read(column, parse_decimal)

    def target(self, column: str, default: str | None) -> Target | None:
        return self._read(column, lambda text: Target.parse(text, default_satuan=default))
