"""A period of the budget year: a month (1-12) or a triwulan (TW I-IV).

Realisasi is reported by month (SP2D, the monthly LRA) or by triwulan (the evaluation of the
Renja, Permendagri 86/2017); the anggaran kas plans by month. One value type reads every
spelling the forms print and keeps one canonical key: ``01``..``12`` for months, ``TW1``..``TW4``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.errors import InvalidValue
from ledger.i18n import N_, _

MONTHS = (N_("Januari"), N_("Februari"), N_("Maret"), N_("April"), N_("Mei"), N_("Juni"), N_("Juli"), N_("Agustus"),
          N_("September"), N_("Oktober"), N_("November"), N_("Desember"))
ROMAN = ("I", "II", "III", "IV")
_MONTH_NAMES = {name.casefold(): number for number, name in enumerate(MONTHS, start=1)}
_TRIWULAN = re.compile(r"^(?:tw|triwulan|trw|q)\s*\.?\s*([1-4]|i{1,3}|iv)$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Periode:
    """``triwulan`` False: month ``nomor`` (1-12); True: triwulan ``nomor`` (1-4)."""

    triwulan: bool
    nomor: int

    @classmethod
    def parse(cls, text: str) -> Periode:
        cleaned = " ".join(text.split())
        if cleaned.isascii() and cleaned.isdigit() and 1 <= int(cleaned) <= 12:
            return cls(False, int(cleaned))
        if cleaned.casefold() in _MONTH_NAMES:
            return cls(False, _MONTH_NAMES[cleaned.casefold()])
        found = _TRIWULAN.match(cleaned)
        if found:
            number = found.group(1).upper()
            return cls(True, int(number) if number.isdigit() else ROMAN.index(number) + 1)
        raise InvalidValue(N_("periode"), text, _("a month 1-12 (or its name, e.g. Agustus) or a triwulan TW I-IV"))

    @classmethod
    def of_key(cls, key: str) -> Periode:
        return cls(True, int(key[2:])) if key.startswith("TW") else cls(False, int(key))

    @property
    def key(self) -> str:
        """The canonical form kept in events: ``08`` for August, ``TW3`` for the third triwulan."""
        return f"TW{self.nomor}" if self.triwulan else f"{self.nomor:02d}"

    @property
    def months(self) -> tuple[int, ...]:
        """The months it covers: a triwulan its three."""
        return tuple(range(3 * self.nomor - 2, 3 * self.nomor + 1)) if self.triwulan else (self.nomor,)

    @property
    def last_month(self) -> int:
        return self.months[-1]

    @property
    def label(self) -> str:
        return f"TW {ROMAN[self.nomor - 1]}" if self.triwulan else _(MONTHS[self.nomor - 1])


def triwulan_of(month: int) -> int:
    return (month - 1) // 3 + 1
