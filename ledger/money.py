"""Rupiah: whole Rupiah, integer-backed, never float."""

from __future__ import annotations

from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from ledger.errors import InvalidValue
from ledger.numbers import RUPIAH_CEILING, check_ceiling, parse_typed_whole, parse_whole


class Rupiah(int):
    """A whole amount of Rupiah. Arithmetic with Rupiah or int stays Rupiah."""

    def __new__(cls, value: int | str = 0) -> Rupiah:
        # The common case first (every stored amount decoded, every sum): a plain int in range.
        if type(value) is int and -RUPIAH_CEILING <= value <= RUPIAH_CEILING:
            return super().__new__(cls, value)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise InvalidValue("Rupiah amount", repr(value), "a whole number of Rupiah (never a float)")
        if isinstance(value, str):
            value = parse_whole(value)  # which checks the ceiling
        elif abs(value) > RUPIAH_CEILING:  # (the figure is written out only to say it is too large)
            check_ceiling(value, str(value)[:30])
        return super().__new__(cls, value)

    @classmethod
    def parse(cls, text: str) -> Rupiah:
        """An amount a person types: one unambiguous form (``ledger.numbers.parse_typed_whole``)."""
        return cls(parse_typed_whole(text))

    @classmethod
    def from_printed(cls, text: str) -> Rupiah:
        """An amount as a document prints it, in any of the spellings the sources use."""
        return cls(parse_whole(text))

    def __add__(self, other: int) -> Rupiah:  # type: ignore[override]
        return Rupiah(int(self) + int(other))

    __radd__ = __add__

    def __sub__(self, other: int) -> Rupiah:  # type: ignore[override]
        return Rupiah(int(self) - int(other))

    def __rsub__(self, other: int) -> Rupiah:  # type: ignore[override]
        return Rupiah(int(other) - int(self))

    def __neg__(self) -> Rupiah:
        return Rupiah(-int(self))

    def __abs__(self) -> Rupiah:
        return Rupiah(abs(int(self)))

    def __repr__(self) -> str:
        return f"Rupiah({int(self)})"

    def __str__(self) -> str:
        return format_rupiah(self)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.int_schema(strict=True),
            serialization=core_schema.plain_serializer_function_ser_schema(int),
        )


def format_rupiah(amount: int) -> str:
    """Indonesian grouping: 2788872800 -> '2.788.872.800'."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", ".")


def percent_change(before: int, after: int) -> str:
    """Change as a percentage of ``before``, Indonesian decimal comma; '' when undefined."""
    if before == 0:
        return ""
    pct = (after - before) * 100 / before
    return f"{pct:+.2f}".replace(".", ",") + "%"
