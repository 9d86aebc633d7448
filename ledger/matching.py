"""How a reference a person types (or a row prints) finds a budget line.

One rule for the write model (the plan's register), the read model (the line register
table) and the importer: a kode first, then the line's key, then the normalized name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from ledger.errors import InvalidValue
from ledger.events import name_key
from ledger.kode import Kode, kode_identity


class NamedLine(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def kode(self) -> str | None: ...

    @property
    def nama(self) -> str: ...


L = TypeVar("L", bound=NamedLine)


def named(match: str, lines: Iterable[L]) -> list[L]:
    """Lines whose key or normalized name is ``match`` (a ``name_key``)."""
    return [line for line in lines if line.key == match or name_key(line.nama) == match]


def match_line(ref: str, lines: Sequence[L]) -> list[L]:
    """The lines ``ref`` names; the first rule that matches anything decides."""
    try:
        kode: str | None = str(Kode.parse(ref))
    except InvalidValue:
        kode = None
    wanted = name_key(ref)
    tests: tuple[Callable[[L], bool], ...] = (
        # The identity: a 13/2006 line keeps its kode as printed (1.08.1.08.01.01.01.), named as 1.08.01.01 too.
        lambda line: kode is not None and line.kode is not None and (line.kode == kode or kode_identity(line.kode) == kode),
        lambda line: line.key == ref.strip(),
    )
    for test in tests:
        found = [line for line in lines if test(line)]
        if found:
            return found
    return named(wanted, lines)
