"""A report in neutral form: the JSON contract plus the official form any renderer can draw.

One ``Tabular`` per form: its title block, its columns (with the header groups above them
and the form's column-number row), its rows with their hierarchy styles, the cells that
disagree with what a document stated, and its signature block. The terminal, CSV, XLSX,
HTML and PDF renderers all draw this one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.money import format_rupiah
from ledger.tanggal import tanggal, waktu


@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"  # text | money | target | number | percent | code | date | instant
    group: str | tuple[str, ...] | None = None  # the merged headers above this column, outermost first
    width: int | None = None
    number: int | None = None  # its number in the form's column-number row (sub-columns share their group's)
    check: bool = False  # not a column of the form: the ledger's comparison, drawn apart from the form
    drop: int = 0  # terminal: columns with a higher value are hidden first when the screen is narrow (0: never)
    empty: str = ""  # what the form prints in an empty cell of this column ("-" for an empty triwulan)
    accounting: bool = False  # text whose signed figures print as the form's money does: -5 as (5) (PDF, XLSX)

    @property
    def groups(self) -> tuple[str, ...]:
        if self.group is None:
            return ()
        return (self.group,) if isinstance(self.group, str) else self.group


@dataclass(frozen=True)
class Signature:
    """The form's closing block: place and date, the office held, the name, rank and NIP."""

    tempat_tanggal: str
    jabatan: str | None
    nama: str | None
    pangkat: str | None = None
    nip: str | None = None

    def lines(self) -> list[str]:
        found = [self.tempat_tanggal, f"{self.jabatan}," if self.jabatan else None, "", "",
                 self.nama, self.pangkat, f"NIP. {self.nip}" if self.nip else None]
        return [line for line in found if line is not None]


@dataclass
class Tabular:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    meta: list[tuple[str, str]] = field(default_factory=list)
    styles: list[str | None] = field(default_factory=list)  # per row: "program", "kegiatan", "total", "flag", ...
    notes: list[str] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)  # the form's own title lines, as printed
    column_numbers: bool = False  # the form prints a row 1, 2, 3 ... under its header
    flags: list[frozenset[str]] = field(default_factory=list)  # per row: keys of cells that disagree with a document
    legend: list[str] = field(default_factory=list)
    signature: Signature | None = None
    sheet: str | None = None  # a short name for a spreadsheet tab
    stacked: bool = False  # on a terminal, one block per row (a history reads better so)
    block_title: tuple[str, ...] = ("kode", "nama")  # the keys that head a row's block when stacked

    def flagged(self, index: int) -> frozenset[str]:
        return self.flags[index] if index < len(self.flags) else frozenset()

    def style(self, index: int) -> str | None:
        return self.styles[index] if index < len(self.styles) else None

    @property
    def form_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.check]

    @property
    def check_columns(self) -> list[Column]:
        return [c for c in self.columns if c.check]


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
        return target_text(value)
    if kind == "target" and isinstance(value, list):
        return "\n".join(target_text(each) if isinstance(each, dict) else str(each) for each in value)
    if kind == "percent" and isinstance(value, Decimal | float):
        return f"{value:+.2f}%".replace(".", ",")
    if kind in MOMENTS:
        return moment_text(value, kind)
    return str(value)


# A date or an instant is kept in the rows as the JSON has it (ISO: CSV keeps it so) and shown to
# people in words: ``3 Januari 2024``, ``7 Desember 2026 20.31 WITA`` (ledger.tanggal).
MOMENTS = ("date", "instant")


def moment_text(value: Any, kind: str) -> str:
    try:
        if kind == "date":
            return tanggal(value if isinstance(value, date) else date.fromisoformat(str(value)[:10]))
        return waktu(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)  # not a date after all: as it is


def target_text(value: dict[str, Any]) -> str:
    nilai = quantity_text(str(value.get("nilai", "")))
    satuan = value.get("satuan", "")
    if satuan == "%":
        return f"{nilai}%"
    return nilai if satuan == "tanpa satuan" else f"{nilai} {satuan}".strip()


def quantity_text(text: str) -> str:
    """'100.00' -> '100', '51.48' -> '51,48' (Indonesian decimal comma)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    return format(number.normalize(), "f").replace(".", ",")
