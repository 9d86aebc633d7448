"""Point-in-time views of a plan, answered from the time index.

Only the plan's own events are read, filtered in SQL on both time axes:
``effective_on <= as_of`` (valid time) and ``recorded_at <= known_at`` (system time).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, text

from events_store.chain import format_instant
from ledger.basis import Source, Stage
from ledger.events import DomainEvent
from ledger.kode import Level
from ledger.line_state import LineState, fold_line
from ledger.mapper import decode_event
from ledger.plan import TotalStated, plan_id
from projections.database import events_join


@dataclass
class PlanView:
    opd: str
    tahun: int
    as_of: date | None
    known_at: datetime | None
    lines: dict[str, LineState] = field(default_factory=dict)  # by line key
    plan_events: list[DomainEvent] = field(default_factory=list)

    @property
    def totals(self) -> list[TotalStated]:
        return [e for e in self.plan_events if isinstance(e, TotalStated)]

    def by_kode(self, kode: str) -> LineState | None:
        return next((line for line in self.lines.values() if line.kode == kode), None)


@dataclass(frozen=True)
class StatedTotal:
    """An OPD total a document states: a total row (TotalStated) or the bidang/urusan row."""

    label: str
    rupiah: int | None
    triwulan: tuple[int | None, ...] | None
    source: Source
    line: LineState | None = None


def stated_totals(view: PlanView, stage: Stage) -> list[StatedTotal]:
    found = [StatedTotal(e.label, e.rupiah, e.triwulan, e.basis.source) for e in view.totals if e.stage is stage]
    heads = sorted((line for line in view.lines.values() if line.level in (Level.URUSAN, Level.BIDANG)),
                   key=lambda line: line.kode or line.key)
    for line in heads:
        figures = line.figures(stage)
        found.extend(StatedTotal(f"{line.kode or ''} {line.nama}".strip(), statement.rupiah, None, statement.source, line)
                     for statement in (figures.statements if figures else []))
    return found


def _select(engine: Engine, where: str, params: dict[str, Any]) -> list[tuple[str, str, bytes]]:
    sql = text(f"SELECT i.originator_id, s.topic, s.state FROM renja_event_index i {events_join(engine)} "
               f"WHERE {where} ORDER BY i.notification_id")
    with engine.connect() as connection:
        return [(row[0], row[1], bytes(row[2])) for row in connection.execute(sql, params)]


def time_filter(as_of: date | None, known_at: datetime | None, params: dict[str, Any]) -> str:
    clauses = []
    if as_of is not None:
        # A kode identifies a line; it is not a decision that takes force on a date. Once the
        # ledger knows it, it applies at every valid time.
        clauses.append("(i.effective_on <= :as_of OR i.event_type IN ('KodeRecorded', 'LineKodeRecorded'))")
        params["as_of"] = as_of.isoformat()
    if known_at is not None:
        clauses.append("i.recorded_at <= :known_at")
        params["known_at"] = format_instant(known_at)
    return " AND ".join(clauses) or "1=1"


def plan_view(engine: Engine, opd: str, tahun: int, *, as_of: date | None, known_at: datetime | None) -> PlanView:
    params: dict[str, Any] = {"opd": opd, "tahun": tahun, "plan": str(plan_id(opd, tahun))}
    # One IN over a UNION, not IN ... OR =: an OR here makes PostgreSQL scan the whole index.
    where = ("i.originator_id IN (SELECT line_id FROM renja_lines WHERE opd = :opd AND tahun = :tahun "
             "UNION ALL SELECT :plan) AND " + time_filter(as_of, known_at, params))
    grouped: dict[str, list[DomainEvent]] = defaultdict(list)
    view = PlanView(opd, tahun, as_of, known_at)
    for originator, topic, state in _select(engine, where, params):
        event = decode_event(topic, state)
        if originator == params["plan"]:
            view.plan_events.append(event)
        else:
            grouped[originator].append(event)
    for events in grouped.values():
        line = fold_line(events)
        if line.line_id:  # a line opened after the instant asked about has no LineOpened yet
            view.lines[line.key] = line
    return view


def line_events(engine: Engine, line_id: str, *, as_of: date | None = None,
                known_at: datetime | None = None) -> list[tuple[DomainEvent, dict[str, Any]]]:
    """One line's events with their index row (recorded time, hashes), in recording order."""
    params: dict[str, Any] = {"line": line_id}
    where = "i.originator_id = :line AND " + time_filter(as_of, known_at, params)
    sql = text("SELECT s.topic, s.state, i.notification_id, i.recorded_at, i.hash FROM renja_event_index i "
               f"{events_join(engine)} WHERE {where} ORDER BY i.notification_id")
    with engine.connect() as connection:
        rows = connection.execute(sql, params).all()
    return [(decode_event(r[0], bytes(r[1])), {"notification_id": r[2], "recorded_at": r[3], "hash": r[4]}) for r in rows]


def line_events_bulk(engine: Engine, originators: list[str], *, upto: int) -> dict[str, list[DomainEvent]]:
    """All events (up to a notification id) of several aggregates, grouped by aggregate."""
    grouped: dict[str, list[DomainEvent]] = defaultdict(list)
    for start in range(0, len(originators), 500):
        chunk = originators[start:start + 500]
        params: dict[str, Any] = {f"o{i}": o for i, o in enumerate(chunk)}
        params["upto"] = upto
        names = ", ".join(f":o{i}" for i in range(len(chunk)))
        for originator, topic, state in _select(engine, f"i.originator_id IN ({names}) AND i.notification_id <= :upto", params):
            grouped[originator].append(decode_event(topic, state))
    return grouped


def plan_events_only(engine: Engine, opd: str, tahun: int, *, as_of: date | None = None,
                     known_at: datetime | None = None) -> list[DomainEvent]:
    params: dict[str, Any] = {"plan": str(plan_id(opd, tahun))}
    where = "i.originator_id = :plan AND " + time_filter(as_of, known_at, params)
    return [decode_event(topic, state) for _, topic, state in _select(engine, where, params)]
