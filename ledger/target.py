"""Targets: a Decimal value plus a normalized satuan (unit)."""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from ledger.errors import InvalidValue
from ledger.numbers import parse_decimal


class Satuan:
    """The units the sources use, each in one normalized spelling. The vocabulary is open:
    any other unit is kept as printed (trimmed, its case normalized) and never replaced;
    ``renja check`` points out units outside this list and units seen once (``unit-unknown``)."""

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
    PERDA = "Perda"
    PERGUB = "Pergub"
    PERBUP = "Perbup"
    NASKAH = "Naskah"
    BERKAS = "Berkas"
    BUAH = "Buah"
    BULAN = "Bulan"
    TAHUN = "Tahun"
    BUKU = "Buku"
    LAYANAN = "Layanan"
    M2 = "M2"
    KM = "Km"
    LS = "Ls"
    # The document printed a bare number and nothing names its unit. Kept, not guessed,
    # and reported by the unit check.
    TANPA = "tanpa satuan"


KNOWN_SATUAN = frozenset(value for name, value in vars(Satuan).items() if name.isupper()) - {Satuan.TANPA}

# Every spelling seen in the sources, lower-cased, mapped to its unit. "Dokume" and
# "Rekenin" are words cut short by the PDF extraction.
_SPELLINGS: dict[str, str] = {
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
    **{value.lower(): value for value in (Satuan.PERDA, Satuan.PERGUB, Satuan.PERBUP, Satuan.NASKAH, Satuan.BERKAS,
                                          Satuan.BUAH, Satuan.BULAN, Satuan.TAHUN, Satuan.BUKU, Satuan.LAYANAN,
                                          Satuan.M2, Satuan.KM, Satuan.LS)},
    "m²": Satuan.M2, "bln": Satuan.BULAN, "thn": Satuan.TAHUN, "bh": Satuan.BUAH, "ls.": Satuan.LS,
}


def infer_satuan(indicator: str) -> str | None:
    """The unit an indicator names: '(Orang)' at its end, or 'Persentase ...' meaning %."""
    found = re.findall(r"\(([^()]*)\)", indicator)
    for candidate in reversed(found):
        cleaned = candidate.strip(" '\"")
        if cleaned in ("%", "'%", "''%"):
            return Satuan.PERSEN
        known = _SPELLINGS.get(cleaned.lower().strip("."))
        if known is not None:
            return known
    if indicator.strip().lower().startswith("persentase"):
        return Satuan.PERSEN
    return None


def parse_satuan(text: str) -> str:
    """A known spelling gives its normalized unit; any other unit is kept as printed, trimmed,
    with an all-upper or all-lower word given an initial capital (``PERDA`` -> ``Perda``)."""
    printed = re.sub(r"\s+", " ", text.strip())
    if not printed:
        return Satuan.TANPA
    if len(printed) > 40 or not any(ch.isalpha() or ch in "%²" for ch in printed):
        raise InvalidValue("satuan", text, "a unit such as Dokumen, Orang, %, Perda or M2 (at most 40 characters)")
    known = _SPELLINGS.get(printed.lower().strip("."))
    if known is not None:
        return known
    if (printed.isupper() and len(printed) > 2) or printed.islower():
        return printed[0].upper() + printed[1:].lower()
    return printed


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    nilai: Decimal
    satuan: str

    @classmethod
    def parse(cls, text: str, *, default_satuan: str | None = None) -> Target:
        """Read '2 Dok', '9.237 Org', '100%', '100 %', '12' (with a default unit)."""
        raw = re.sub(r"\s+", " ", text.strip())
        match = re.match(r"^([0-9.,]+)\s*(.*)$", raw)
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
        if self.satuan == Satuan.PERSEN:
            return f"{value}%"
        return value if self.satuan == Satuan.TANPA else f"{value} {self.satuan}"
