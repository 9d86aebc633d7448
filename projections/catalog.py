"""Which plans and lines the ledger holds (from the line register of the time index)."""

from __future__ import annotations

from events_store.time_index import LineRow, TimeIndex
from ledger.errors import InvalidValue, LedgerError, NotFound
from ledger.kode import Kode
from ledger.matching import match_line

__all__ = ["LineRow", "find_line"]


def find_line(index: TimeIndex, opd: str, tahun: int, ref: str) -> LineRow:
    """A line of the plan by kode (dotted or spaced), key, or name."""
    try:
        kode: str | None = str(Kode.parse(ref))
    except InvalidValue:
        kode = None
    if kode is not None:
        found = index.lines(opd, tahun, kode)  # the usual case, answered by the (opd, tahun, kode) index
        if len(found) == 1:
            return found[0]
    found = match_line(ref, index.lines(opd, tahun))
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise LedgerError(f"{ref!r} matches {len(found)} lines of {opd} {tahun}: give the kode")
    raise NotFound("line", ref, f"no line of {opd} {tahun} has this kode or name (see `renja report perubahan`)")
