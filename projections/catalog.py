"""Which plans and lines the ledger holds (from the line register)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from ledger.errors import InvalidValue, LedgerError, NotFound
from ledger.kode import Kode
from ledger.matching import match_line


def list_plans(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT DISTINCT opd, tahun FROM renja_lines ORDER BY opd, tahun"))
        return [(row[0], int(row[1])) for row in rows]


@dataclass(frozen=True)
class LineRow:
    line_id: str
    key: str
    kode: str | None
    nama: str
    level: str


def _lines(engine: Engine, opd: str, tahun: int, kode: str | None = None) -> list[LineRow]:
    sql = "SELECT line_id, line_key, kode, nama, level FROM renja_lines WHERE opd = :opd AND tahun = :tahun"
    params: dict[str, object] = {"opd": opd, "tahun": tahun}
    if kode is not None:
        sql += " AND kode = :kode"
        params["kode"] = kode
    with engine.connect() as connection:
        return [LineRow(r[0], r[1], r[2], r[3], r[4]) for r in connection.execute(text(sql), params)]


def find_line(engine: Engine, opd: str, tahun: int, ref: str) -> LineRow:
    """A line of the plan by kode (dotted or spaced), key, or name."""
    try:
        kode: str | None = str(Kode.parse(ref))
    except InvalidValue:
        kode = None
    if kode is not None:
        found = _lines(engine, opd, tahun, kode)  # the usual case, answered by the (opd, tahun, kode) index
        if len(found) == 1:
            return found[0]
    found = match_line(ref, _lines(engine, opd, tahun))
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise LedgerError(f"{ref!r} matches {len(found)} lines of {opd} {tahun}: give the kode")
    raise NotFound("line", ref, f"no line of {opd} {tahun} has this kode or name (see `renja report perubahan`)")
