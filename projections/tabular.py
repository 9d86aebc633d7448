"""A report in neutral form: the JSON contract plus a table that any renderer can draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.money import format_rupiah


@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"  # text | money | target | number | percent
    group: str | None = None  # a merged header above this column (xlsx and table)
    width: int | None = None


@dataclass
class Tabular:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    meta: list[tuple[str, str]] = field(default_factory=list)
    styles: list[str | None] = field(default_factory=list)  # per row: "program", "kegiatan", "total", "flag"
    notes: list[str] = field(default_factory=list)


@dataclass
class Rendered:
    payload: Any  # the JSON contract
    tabular: Tabular


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return format_rupiah(value)
    if kind == "target" and isinstance(value, dict):
        nilai = _quantity(str(value.get("nilai", "")))
        satuan = value.get("satuan", "")
        if satuan == "%":
            return f"{nilai}%"
        return nilai if satuan == "tanpa satuan" else f"{nilai} {satuan}".strip()
    if kind == "percent" and value != "":
        return str(value)
    return str(value)


def _quantity(text: str) -> str:
    """'100.00' -> '100', '51.48' -> '51,48' (Indonesian decimal comma)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    return format(number.normalize(), "f").replace(".", ",")
