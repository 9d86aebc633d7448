"""Which plans and lines the ledger holds (from the line register of the time index)."""

from __future__ import annotations

from events_store.time_index import LineRow, TimeIndex
from ledger.errors import InvalidValue, LedgerError, NotFound
from ledger.kode import Kode, kode_identity
from ledger.matching import match_line
from ledger.plan import is_rekening_ref, rekening_key
from ledger.rekening import KodeRekening

__all__ = ["LineRow", "find_line"]


def find_line(index: TimeIndex, opd: str, tahun: int, ref: str) -> LineRow:
    """A line of the plan by kode (dotted or spaced), key, or name; an account by
    ``<sub-kegiatan kode, key or name>/<kode rekening>`` (dotted or spaced), as the write side
    reads it (``Plan.rekening_line``)."""
    if is_rekening_ref(ref):  # (an account's key is such a reference too: its sub-kegiatan's key/rekening)
        return find_rekening_line(index, opd, tahun, ref)
    kode = plain_kode(ref)
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


def plain_kode(ref: str) -> str | None:
    """The kode a reference gives in normal form, when it is a kode (not an account, key or name)."""
    if is_rekening_ref(ref):
        return None
    try:
        return str(Kode.parse(ref))
    except InvalidValue:
        return None


def find_rekening_line(index: TimeIndex, opd: str, tahun: int, ref: str) -> LineRow:
    sub_ref, _slash, rekening = ref.strip().rpartition("/")
    sub = find_line(index, opd, tahun, sub_ref)
    kode = KodeRekening.read(rekening)
    keys = {rekening_key(part, kode) for part in (kode_identity(sub.kode) if sub.kode else None, sub.key) if part}
    found = [line for line in index.lines(opd, tahun, str(kode)) if line.key in keys]
    if not found:
        raise NotFound("rekening", ref, f"no account {kode} under {sub.reference} in {opd} {tahun} "
                                        "(see `renja report dpa`)")
    return found[0]
