"""The year as it is spent, read from a plan's view: each line's anggaran kas and realisasi
(``ledger.pelaksanaan``) at the view's valid and system time, and the pagu a line had at
each date, to set a revision against what was already spent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from events_store.time_index import TimeIndex
from ledger.basis import PLAN_STAGES, Source, Stage
from ledger.line_state import LineState
from ledger.pelaksanaan import PELAKSANAAN_EVENTS, Pelaksanaan, fold_pelaksanaan
from ledger.plan import plan_id
from projections.timeline import PlanView


def line_execution(index: TimeIndex, opd: str, tahun: int, line_key: str, *, as_of: date | None = None,
                   known_at: datetime | None = None) -> Pelaksanaan | None:
    """One line's execution, read from its plan's execution statements only."""
    events = index.originator_events_of_types(plan_id(opd, tahun), [cls.__name__ for cls in PELAKSANAAN_EVENTS],
                                              as_of=as_of, known_at=known_at)
    return fold_pelaksanaan(events, as_of).get(line_key)


def realised_at(index: TimeIndex, opd: str, tahun: int, line_key: str, *, as_of: date | None = None,
                known_at: datetime | None = None) -> int | None:
    """Money a line realised in its plan year, as stated by ``as_of`` (every statement when None)
    and known at ``known_at``; None when it has no realisasi at all."""
    done = line_execution(index, opd, tahun, line_key, as_of=as_of, known_at=known_at)
    return done.realised_upto(tahun) if done is not None and done.keuangan else None


def execution(view: PlanView) -> dict[str, Pelaksanaan]:
    """Every line's execution at the view's time, by line key."""
    return fold_pelaksanaan(view.plan_events, view.as_of)


@dataclass(frozen=True)
class PaguChange:
    """The pagu in force of a line from ``day`` on, and the statement or pergeseran that set it."""

    day: date
    stage: Stage
    pagu: int
    source: Source


def pagu_changes(line: LineState) -> list[PaguChange]:
    """Each date the pagu in force changed (a statement of the murni or perubahan pagu, or a
    pergeseran), in valid time. On one date, statements apply before pergeseran (a shift is
    decided on the figures of that day's documents), as the fold orders commands after documents."""
    steps: list[tuple[date, int, int, Stage, int, Source]] = []  # (day, order, version, stage, value, source)
    for stage in PLAN_STAGES:
        figures = line.figures(stage)
        if figures is None:
            continue
        steps += [(s.effective_on, 0, s.version, stage, int(s.rupiah), s.source) for s in figures.statements]
        steps += [(leg.effective_on, 1, 0, stage, leg.delta, leg.source) for leg in figures.shifts
                  if leg.effective_on is not None]
    pagu: dict[Stage, int] = {}
    changes: list[PaguChange] = []
    for day, order, _version, stage, value, source in sorted(steps, key=lambda step: step[:3]):
        pagu[stage] = value if order == 0 else pagu.get(stage, 0) + value
        in_force = Stage.PERUBAHAN if Stage.PERUBAHAN in pagu else Stage.MURNI
        changes.append(PaguChange(day, in_force, pagu[in_force], source))
    return changes
