"""Kode rekening: the account codes of the Permendagri 90/2019 classification (Lampiran,
"klasifikasi, kodefikasi dan nomenklatur"), e.g. ``5.1.02.01.01.0024``.

Six levels, each a part of the code: akun (``5`` belanja; ``4`` pendapatan, ``6`` pembiayaan),
kelompok (``5.1`` belanja operasi), jenis (``5.1.02`` belanja barang dan jasa), objek
(``5.1.02.01``), rincian objek (``5.1.02.01.01``) and sub rincian objek
(``5.1.02.01.01.0024``). Documents print it dotted, or spaced as ``5 . 1 . 02 . 01 . 01 .
0024``; both read the same. A pergeseran is classified by the level at which two accounts
part (``shift_level``), which decides the legal basis it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ledger.errors import InvalidValue


class RekeningLevel(StrEnum):
    AKUN = "akun"
    KELOMPOK = "kelompok"
    JENIS = "jenis"
    OBJEK = "objek"
    RINCIAN_OBJEK = "rincian_objek"
    SUB_RINCIAN_OBJEK = "sub_rincian_objek"


LEVELS = tuple(RekeningLevel)
# The width of each part, in order; the first two are one digit, the last four.
_PARTS = (re.compile(r"^[4-6]$"), re.compile(r"^[0-9]$"), re.compile(r"^[0-9]{2}$"), re.compile(r"^[0-9]{2}$"),
          re.compile(r"^[0-9]{2}$"), re.compile(r"^[0-9]{4}$"))
_EXPECTED = "a kode rekening such as 5.1.02.01.01.0024 (akun.kelompok.jenis.objek.rincian objek.sub rincian objek)"


@dataclass(frozen=True, order=True)
class KodeRekening:
    parts: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> KodeRekening:
        raw = text.strip()
        if not raw or len(raw) > 40:
            raise InvalidValue("kode rekening", raw[:40], _EXPECTED)
        parts = tuple(part for part in re.split(r"[.\s]+", raw) if part)
        if not 1 <= len(parts) <= len(_PARTS):
            raise InvalidValue("kode rekening", raw, _EXPECTED)
        for level, (part, rule) in enumerate(zip(parts, _PARTS, strict=False)):
            if not rule.match(part):
                raise InvalidValue("kode rekening", raw, f"{_EXPECTED}; the {LEVELS[level].value.replace('_', ' ')} "
                                                         f"part {part!r} is malformed")
        return cls(parts)

    @property
    def level(self) -> RekeningLevel:
        return LEVELS[len(self.parts) - 1]

    @property
    def parent(self) -> KodeRekening | None:
        return KodeRekening(self.parts[:-1]) if len(self.parts) > 1 else None

    def at(self, level: RekeningLevel) -> KodeRekening:
        """This code cut to a higher level (its jenis, its objek ...)."""
        depth = LEVELS.index(level) + 1
        if depth > len(self.parts):
            raise ValueError(f"{self} has no {level.value} part")
        return KodeRekening(self.parts[:depth])

    def __str__(self) -> str:
        return ".".join(self.parts)


def shift_level(giver: KodeRekening, taker: KodeRekening) -> RekeningLevel | None:
    """The highest level at which two accounts differ: a pergeseran between two sub rincian
    objek of one rincian objek is at ``sub_rincian_objek``; between two jenis at ``jenis``.
    None when they are the same account."""
    for depth, (mine, theirs) in enumerate(zip(giver.parts, taker.parts, strict=False)):
        if mine != theirs:
            return LEVELS[depth]
    return None if len(giver.parts) == len(taker.parts) else LEVELS[min(len(giver.parts), len(taker.parts))]


# The names of the upper levels of the classification (Permendagri 90/2019, as updated by
# Kepmendagri 050-5889/2021), for the header rows of a rincian belanja. Lower levels are
# named only by the documents; a name a document prints for a level prevails.
UPPER_NAMES: dict[str, str] = {
    "4": "PENDAPATAN DAERAH", "5": "BELANJA DAERAH", "6": "PEMBIAYAAN DAERAH",
    "5.1": "BELANJA OPERASI", "5.2": "BELANJA MODAL", "5.3": "BELANJA TIDAK TERDUGA", "5.4": "BELANJA TRANSFER",
    "5.1.01": "Belanja Pegawai", "5.1.02": "Belanja Barang dan Jasa", "5.1.03": "Belanja Bunga",
    "5.1.04": "Belanja Subsidi", "5.1.05": "Belanja Hibah", "5.1.06": "Belanja Bantuan Sosial",
    "5.2.01": "Belanja Modal Tanah", "5.2.02": "Belanja Modal Peralatan dan Mesin",
    "5.2.03": "Belanja Modal Gedung dan Bangunan", "5.2.04": "Belanja Modal Jalan, Jaringan, dan Irigasi",
    "5.2.05": "Belanja Modal Aset Tetap Lainnya", "5.2.06": "Belanja Modal Aset Lainnya",
    "5.3.01": "Belanja Tidak Terduga", "5.4.01": "Belanja Bagi Hasil", "5.4.02": "Belanja Bantuan Keuangan",
}
