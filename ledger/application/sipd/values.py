"""SIPD's values read as the ledger's: money stored as DOUBLE, targets as text plus a satuan,
codes with SIPD's own prefixes. A value that cannot be read fails with its table row and column."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ledger.errors import ImportFailed, InvalidValue
from ledger.i18n import _
from ledger.kode import Kode, Level
from ledger.kodefikasi import Kodefikasi
from ledger.money import Rupiah
from ledger.numbers import RUPIAH_CEILING
from ledger.rekening import KodeRekening
from ledger.target import Satuan, Target, parse_satuan

Record = dict[str, str | None]
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
PENUNJANG = "X.XX"  # SIPD's program penunjang: valid for every urusan, the row's bidang in its place


class Cell:
    """One row of one table, read column by column."""

    def __init__(self, where: str, record: Record) -> None:
        self.where = where
        self.record = record

    def text(self, column: str) -> str | None:
        value = self.record.get(column)
        return value.strip() if value is not None and value.strip() else None

    def fail(self, column: str | None, message: str) -> ImportFailed:
        table, _sep, row = self.where.partition(" ")
        return ImportFailed(table, row or None, column, message)

    def number(self, column: str) -> Decimal | None:
        text = self.text(column)
        if text is None:
            return None
        text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
        if not _NUMBER.match(text):
            raise self.fail(column, _("{value!r} is not a number").format(value=text))
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise self.fail(column, _("{value!r} is not a number").format(value=text)) from None

    def rupiah(self, column: str) -> Rupiah | None:
        """A DOUBLE(20,2) of Rupiah: whole, or refused; never rounded."""
        value = self.number(column)
        if value is None:
            return None
        if value != value.to_integral_value():
            raise self.fail(column, _("{value} has a fraction of a Rupiah; SIPD's money is whole (.00): correct it in "
                                      "SIPD, it is not rounded here").format(value=self.text(column)))
        if value < 0 or value > RUPIAH_CEILING:
            raise self.fail(column, _("{value} is not an amount of Rupiah a plan can hold").format(value=self.text(column)))
        return Rupiah(int(value))

    def active(self) -> bool:
        """``active = 0`` is a row SIPD no longer holds; NULL or 1 is held."""
        return self.text("active") not in ("0",)

    def instant(self, column: str) -> datetime | None:
        text = self.text(column)
        if text is None or text.startswith("0000-00-00"):
            return None
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(column, _("{value!r} is not a date and time").format(value=text)) from None

    def target(self, value: str, satuan: str, printed: str | None = None) -> Target | None:
        """A target from its value column and satuan column (the printed text when the value is empty)."""
        number = self.number(value) if self.text(value) is not None else None
        unit_text = self.text(satuan)
        if number is None:
            if printed is None or self.text(printed) is None:
                return None
            try:
                return Target.parse(self.text(printed) or "", default_satuan=parse_satuan(unit_text) if unit_text else None)
            except InvalidValue as error:
                raise self.fail(printed, str(error)) from None
        try:
            unit = parse_satuan(unit_text) if unit_text else Satuan.TANPA
        except InvalidValue as error:
            raise self.fail(satuan, str(error)) from None
        # As a person writes it: 100, not 100.00 nor 1E+2; 2.5 keeps its fraction.
        nilai = Decimal(int(number)) if number == number.to_integral_value() else number.normalize()
        return Target(nilai=nilai, satuan=unit)

    def kode(self, column: str, level: Level, kodefikasi: Kodefikasi, bidang: str | None) -> Kode:
        text = self.text(column)
        if text is None:
            raise self.fail(column, _("empty; SIPD names every {level} by its code").format(level=level.value))
        if text.upper().startswith(PENUNJANG) and bidang:
            text = bidang + text[len(PENUNJANG):]
        try:
            kode = Kode.parse(text, kodefikasi)
        except InvalidValue as error:
            raise self.fail(column, str(error)) from None
        if kode.level is not level:
            raise self.fail(column, _("{kode} is a code of a {found}, the column names a {level}").format(
                kode=text, found=kode.level.value, level=level.value))
        return kode

    def rekening(self, column: str, kodefikasi: Kodefikasi) -> KodeRekening:
        """``kode_akun``: six parts; a code printed after its sub-kegiatan is read from its last six."""
        text = self.text(column)
        if text is None:
            raise self.fail(column, _("empty; a komponen belongs to an account"))
        parts = [part for part in text.split(".") if part]
        size = len(kodefikasi.rules.rekening)
        if len(parts) > size:
            text = ".".join(parts[-size:])
        try:
            rekening = KodeRekening.parse(text, kodefikasi)
        except InvalidValue as error:
            raise self.fail(column, str(error)) from None
        if not rekening.is_account:
            raise self.fail(column, _("{kode} is not a full account code (a komponen belongs to an account of {size} "
                                      "parts)").format(kode=text, size=size))
        return rekening
