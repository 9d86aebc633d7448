"""Kode rekening: the account codes of a document's kodefikasi (``ledger.kodefikasi``).

Permendagri 90/2019 (Lampiran, "klasifikasi, kodefikasi dan nomenklatur"), e.g.
``5.1.02.01.01.0024``, has six levels, each a part of the code: akun (``5`` belanja; ``4``
pendapatan, ``6`` pembiayaan), kelompok (``5.1`` belanja operasi), jenis (``5.1.02`` belanja
barang dan jasa), objek (``5.1.02.01``), rincian objek (``5.1.02.01.01``) and sub rincian objek
(``5.1.02.01.01.0024``). Permendagri 13/2006 has the first five, under the same names
(``5.2.1.01.05``: akun 5 belanja, kelompok 5.2 belanja langsung, jenis 5.2.1 belanja pegawai,
objek 5.2.1.01, rincian objek 5.2.1.01.05); its account is the rincian objek. Documents print
a code dotted, or spaced as ``5 . 1 . 02 . 01 . 01 . 0024``; both read the same. A pergeseran is
classified by the level at which two accounts part (``shift_level``), which decides the legal
basis it needs; the level names are the same in both eras.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ledger.errors import InvalidValue
from ledger.kodefikasi import READING_ORDER, Kodefikasi, KodeRules, RekeningLevel

__all__ = ["LEVELS", "KodeRekening", "RekeningLevel", "shift_level"]

LEVELS = tuple(RekeningLevel)
_DEFAULT = Kodefikasi.PERMENDAGRI_90_2019


@dataclass(frozen=True, order=True)
class KodeRekening:
    parts: tuple[str, ...]
    kodefikasi: Kodefikasi = field(default=_DEFAULT, compare=False)

    @classmethod
    def parse(cls, text: str, kodefikasi: Kodefikasi = _DEFAULT) -> KodeRekening:
        """A kode rekening under the rules of its document's kodefikasi."""
        rules = kodefikasi.rules
        raw = text.strip()
        if not raw or len(raw) > 40:
            raise InvalidValue("kode rekening", raw[:40], rules.rekening_expected)
        parts = tuple(part for part in re.split(r"[.\s]+", raw) if part)
        if not 1 <= len(parts) <= len(rules.rekening):
            raise InvalidValue("kode rekening", raw, rules.rekening_expected)
        for (level, rule), part in zip(rules.rekening_patterns, parts, strict=False):
            if not rule.match(part):
                raise InvalidValue("kode rekening", raw, f"{rules.rekening_expected}; the {level.value.replace('_', ' ')} "
                                                         f"part {part!r} is malformed")
        return cls(parts, kodefikasi)

    @classmethod
    def read(cls, text: str) -> KodeRekening:
        """A kode rekening stored or typed without its document: under the first kodefikasi whose
        shape it has (a 13/2006 account, ``5.2.1.01.05``, is no 90/2019 code: its jenis has one digit)."""
        return _read(text)

    @classmethod
    def _read_uncached(cls, text: str) -> KodeRekening:
        errors = []
        for each in READING_ORDER:
            try:
                return cls.parse(text, each)
            except InvalidValue as error:
                errors.append(error)
        raise errors[0]

    @property
    def rules(self) -> KodeRules:
        return self.kodefikasi.rules

    @property
    def level(self) -> RekeningLevel:
        return LEVELS[len(self.parts) - 1]

    @property
    def is_account(self) -> bool:
        """A full code: the level komponen are stated under (an account line), not a level's total."""
        return len(self.parts) == len(self.rules.rekening)

    @property
    def parent(self) -> KodeRekening | None:
        return KodeRekening(self.parts[:-1], self.kodefikasi) if len(self.parts) > 1 else None

    def at(self, level: RekeningLevel) -> KodeRekening:
        """This code cut to a higher level (its jenis, its objek ...)."""
        depth = LEVELS.index(level) + 1
        if depth > len(self.parts):
            raise ValueError(f"{self} has no {level.value} part")
        return KodeRekening(self.parts[:depth], self.kodefikasi)

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


# A DPPA reads the kode of each of its ~900 accounts on every request, and the accounts of all
# plans share a few thousand kodes: parsed once each (a KodeRekening is frozen; a bad kode still
# raises every time, errors are not cached).
@functools.lru_cache(maxsize=16384)
def _read(text: str) -> KodeRekening:
    return KodeRekening._read_uncached(text)
