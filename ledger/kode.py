"""The codes of the program structure: urusan, (bidang,) program, kegiatan, (sub-kegiatan).

``7.01.01.2.06.08`` is, in the codes of Permendagri 90/2019, urusan 7, bidang 01, program 01,
kegiatan 2.06, sub-kegiatan 08; the seeds print the same code spaced: ``7 01 01 2.06 08``.
``1.08.01.01`` is, in the codes of Permendagri 13/2006, urusan 1.08, program 01, kegiatan 01,
also printed with the SKPD and a final dot: ``1.08.1.08.01.01.01.``. Each era's rules are data
(``ledger.kodefikasi.RULES``); a document's kodefikasi decides which apply to its rows.

A ``Kode`` is its identity (the dotted parts, without the SKPD) and, for an era whose codes are
shown as printed, the text the document printed (``shown``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from ledger.errors import InvalidValue
from ledger.kodefikasi import READING_ORDER, Kodefikasi, KodeRules, Level

__all__ = ["Kode", "Level", "holds_money", "kode_identity"]

_DEFAULT = Kodefikasi.PERMENDAGRI_90_2019


@dataclass(frozen=True, order=True)
class Kode:
    parts: tuple[str, ...]
    kodefikasi: Kodefikasi = field(default=_DEFAULT, compare=False)
    printed: str | None = field(default=None, compare=False)  # as the document printed it (whitespace joined)

    @classmethod
    def parse(cls, text: str, kodefikasi: Kodefikasi | None = None) -> Kode:
        """A code under the rules of ``kodefikasi``; without one, under the first kodefikasi whose
        shape it has (a stored kode, a reference a person types: ledger.kodefikasi)."""
        if kodefikasi is not None:
            return cls._parse(text, kodefikasi)
        errors = []
        for each in READING_ORDER:
            try:
                return cls._parse(text, each)
            except InvalidValue as error:
                errors.append(error)
        raise errors[0]

    @classmethod
    def read(cls, text: str, level: Level) -> Kode:
        """A stored kode as its line's level: the first kodefikasi in which it is a code of that
        level (``1.08`` is a 13/2006 urusan and a 90/2019 bidang), else as ``parse`` reads it."""
        for each in READING_ORDER:
            try:
                kode = cls._parse(text, each)
            except InvalidValue:
                continue
            if kode.level is level:
                return kode
        return cls.parse(text)

    @classmethod
    def _parse(cls, text: str, kodefikasi: Kodefikasi) -> Kode:
        rules = kodefikasi.rules
        raw = text.strip()
        if not raw:
            raise InvalidValue("kode", text, rules.expected)
        parts = tuple(p for p in re.split(r"[.\s]+", raw) if p)
        shapes = rules.shapes.get(len(parts))
        if not shapes:
            raise InvalidValue("kode", text, rules.expected + f" (got {len(parts)} parts)")
        malformed = []
        for shape in shapes:
            bad = next(((name, part) for (name, rule), part in zip(shape.parts, parts, strict=True)
                        if not rule.match(part)), None)
            if bad is None:
                printed = " ".join(raw.split()) if rules.keeps_printed else None
                return cls(tuple(parts[i] for i in shape.identity), kodefikasi, printed)
            malformed.append(bad)
        name, part = malformed[0]
        raise InvalidValue("kode", text, f"{rules.expected}; the {name} part {part!r} is malformed")

    @property
    def rules(self) -> KodeRules:
        return self.kodefikasi.rules

    @property
    def level(self) -> Level:
        return self.rules.shapes[len(self.parts)][0].level

    @property
    def parent(self) -> Kode | None:
        if self.level is self.rules.levels[0]:
            return None
        return Kode(self.parts[:-self.rules.parent_drop(self.level)], self.kodefikasi)

    def at(self, level: Level) -> Kode | None:
        """This code's line of a higher level (its program, its kegiatan), or None when it has none."""
        kode: Kode | None = self
        while kode is not None and kode.level.rank > level.rank:
            kode = kode.parent
        return kode if kode is not None and kode.level is level else None

    def __str__(self) -> str:
        return ".".join(self.parts)

    @property
    def shown(self) -> str:
        """The kode as the ledger shows it: as printed where its era's documents print it in many
        ways (13/2006: ``1.08.1.08.01.01.16.``), else dotted (``7.01.01.2.06.08``)."""
        return self.printed if self.rules.keeps_printed and self.printed else str(self)

    @property
    def spaced(self) -> str:
        """The printed form of the source tables: '7 01 01 2.06 08'."""
        head = list(self.parts[:3])
        if len(self.parts) >= 5:
            head.append(f"{self.parts[3]}.{self.parts[4]}")
        if len(self.parts) == 6:
            head.append(self.parts[5])
        return " ".join(head)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        def validate(value: Any) -> Kode:
            if isinstance(value, Kode):
                return value
            if isinstance(value, str):
                return cls.parse(value)
            raise InvalidValue("kode", repr(value), _DEFAULT.rules.expected)

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


@lru_cache(maxsize=65536)
def kode_identity(text: str) -> str:
    """Which line a kode names, as stored or typed: its dotted identity (``1.08.1.08.01.01.01.`` and
    ``1.08 . 1.08.01 . 01 . 01`` both name ``1.08.01.01``); a text that is no kode, trimmed."""
    try:
        return str(Kode.parse(text))
    except InvalidValue:
        return text.strip()


def holds_money(level: Level, kode: str | None) -> bool:
    """Whether a line is of the lowest level of the program structure, the one that holds money
    and lists its accounts (a rincian belanja): a sub-kegiatan, or a line of the level its kode's
    kodefikasi lists accounts under (a 13/2006 kegiatan). A line without a kode is taken in the
    current codes."""
    if level is Level.SUB_KEGIATAN:
        return True
    if not kode or level is Level.REKENING:
        return False
    try:
        return Kode.read(kode, level).rules.account_parent is level
    except InvalidValue:
        return False
