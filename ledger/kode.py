"""Permendagri 90/2019 codes: urusan.bidang.program.kegiatan.sub-kegiatan.

``7.01.01.2.06.08`` is urusan 7, bidang 01, program 01, kegiatan 2.06, sub-kegiatan 08.
The seeds print the same code spaced: ``7 01 01 2.06 08``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from ledger.errors import InvalidValue


class Level(StrEnum):
    URUSAN = "urusan"
    BIDANG = "bidang"
    PROGRAM = "program"
    KEGIATAN = "kegiatan"
    SUB_KEGIATAN = "sub_kegiatan"
    # An account (kode rekening) of a sub-kegiatan's rincian belanja (DPA/DPPA, RKA/RKPA): a line
    # below the sub-kegiatan, keyed "<sub-kegiatan key>/<kode rekening>" (ledger.rekening).
    REKENING = "rekening"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


_PART_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("urusan", re.compile(r"^[1-9X]$")),
    ("bidang", re.compile(r"^[0-9]{2}$")),
    ("program", re.compile(r"^[0-9]{2}$")),
    ("kegiatan (kelompok)", re.compile(r"^[1-2]$")),
    ("kegiatan", re.compile(r"^[0-9]{2}$")),
    ("sub-kegiatan", re.compile(r"^[0-9]{2,4}$")),
)
# Number of dotted parts at each level; a kegiatan code has two parts (2.06).
_LEVEL_BY_PARTS = {1: Level.URUSAN, 2: Level.BIDANG, 3: Level.PROGRAM, 5: Level.KEGIATAN, 6: Level.SUB_KEGIATAN}
_EXPECTED = "a Permendagri 90/2019 code such as 7.01.01.2.06.08 or '7 01 01 2.06 08'"


@dataclass(frozen=True, order=True)
class Kode:
    parts: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Kode:
        raw = text.strip()
        if not raw:
            raise InvalidValue("kode", text, _EXPECTED)
        parts = tuple(p for p in re.split(r"[.\s]+", raw) if p)
        if len(parts) not in _LEVEL_BY_PARTS:
            raise InvalidValue("kode", text, _EXPECTED + f" (got {len(parts)} parts)")
        for (name, rule), part in zip(_PART_RULES, parts, strict=False):
            if not rule.match(part):
                raise InvalidValue("kode", text, f"{_EXPECTED}; the {name} part {part!r} is malformed")
        return cls(parts)

    @property
    def level(self) -> Level:
        return _LEVEL_BY_PARTS[len(self.parts)]

    @property
    def parent(self) -> Kode | None:
        if self.level is Level.URUSAN:
            return None
        drop = 2 if self.level is Level.KEGIATAN else 1
        return Kode(self.parts[:-drop])

    def __str__(self) -> str:
        return ".".join(self.parts)

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
            raise InvalidValue("kode", repr(value), _EXPECTED)

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )
