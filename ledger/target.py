"""Targets: a Decimal value plus a normalized satuan (unit)."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from ledger.errors import InvalidValue
from ledger.numbers import parse_decimal


class Satuan(StrEnum):
    PERSEN = "%"
    DOKUMEN = "Dokumen"
    ORANG = "Orang"
    EKSEMPLAR = "Eksemplar"
    LEMBAR = "Lembar"
    REKENING = "Rekening"
    KALI = "Kali"
    KASUS = "Kasus"
    DESA = "Desa"
    JENIS = "Jenis"
    UNIT = "Unit"
    SURAT = "Surat"
    LAPORAN = "Laporan"
    KEGIATAN = "Kegiatan"
    STEL = "Stel"
    PAKET = "Paket"
    INDEKS = "Indeks"
    # The document printed a bare number and nothing names its unit. Kept, not guessed,
    # and reported by the unit check.
    TANPA = "tanpa satuan"


# Every spelling seen in the sources, lower-cased, mapped to its unit. "Dokume" and
# "Rekenin" are words cut short by the PDF extraction.
_SPELLINGS: dict[str, Satuan] = {
    "%": Satuan.PERSEN, "persen": Satuan.PERSEN,
    "dok": Satuan.DOKUMEN, "dokumen": Satuan.DOKUMEN, "dokume": Satuan.DOKUMEN,
    "org": Satuan.ORANG, "orang": Satuan.ORANG,
    "exp": Satuan.EKSEMPLAR, "eks": Satuan.EKSEMPLAR, "examplar": Satuan.EKSEMPLAR,
    "eksemplar": Satuan.EKSEMPLAR, "eksamplar": Satuan.EKSEMPLAR,
    "lbr": Satuan.LEMBAR, "lembar": Satuan.LEMBAR,
    "rek": Satuan.REKENING, "rekening": Satuan.REKENING, "rekenin": Satuan.REKENING,
    "kali": Satuan.KALI, "kasus": Satuan.KASUS, "desa": Satuan.DESA,
    "jenis": Satuan.JENIS, "unit": Satuan.UNIT, "surat": Satuan.SURAT,
    "laporan": Satuan.LAPORAN, "keg": Satuan.KEGIATAN, "kegiatan": Satuan.KEGIATAN,
    "stel": Satuan.STEL, "paket": Satuan.PAKET, "indeks": Satuan.INDEKS,
}


def infer_satuan(indicator: str) -> Satuan | None:
    """The unit an indicator names: '(Orang)' at its end, or 'Persentase ...' meaning %."""
    found = re.findall(r"\(([^()]*)\)", indicator)
    for candidate in reversed(found):
        cleaned = candidate.strip(" '\"")
        if cleaned in ("%", "'%", "''%"):
            return Satuan.PERSEN
        try:
            return parse_satuan(cleaned)
        except InvalidValue:
            continue
    if indicator.strip().lower().startswith("persentase"):
        return Satuan.PERSEN
    return None


def parse_satuan(text: str) -> Satuan:
    key = re.sub(r"\s+", " ", text.strip()).lower().strip(".")
    try:
        return _SPELLINGS[key]
    except KeyError:
        known = ", ".join(sorted({s.value for s in Satuan} - {Satuan.TANPA.value}))
        raise InvalidValue("satuan", text, f"a known unit ({known})") from None


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    nilai: Decimal
    satuan: Satuan

    @classmethod
    def parse(cls, text: str, *, default_satuan: Satuan | None = None) -> Target:
        """Read '2 Dok', '9.237 Org', '100%', '100 %', '12' (with a default unit)."""
        raw = re.sub(r"\s+", " ", text.strip())
        match = re.match(r"^([\d.,]+)\s*(.*)$", raw)
        if not match:
            raise InvalidValue("target", text, "a value and a satuan, e.g. '2 Dokumen' or '100%'")
        number, unit = match.group(1), match.group(2).strip()
        if not unit:
            satuan = default_satuan or Satuan.TANPA
        else:
            satuan = parse_satuan(unit)
        return cls(nilai=parse_decimal(number, kind="target value"), satuan=satuan)

    def __str__(self) -> str:
        value = format(self.nilai.normalize(), "f") if self.nilai == self.nilai.to_integral_value() else str(self.nilai)
        value = value.replace(".", ",")
        if self.satuan is Satuan.PERSEN:
            return f"{value}%"
        return value if self.satuan is Satuan.TANPA else f"{value} {self.satuan.value}"
