"""The read side of one ledger: the point-in-time views and the current-state read model.

``plan_view`` chooses the read path: the read model for the plan as it stands now, the
time index for any other point in time. Both give the same ``PlanView``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cached_property

from eventsourcing.persistence import PersistenceError

from events_store.time_index import LineRow, TimeIndex
from ledger.application import RenjaLedger
from ledger.plan import plan_id
from projections.catalog import find_line
from projections.current import CurrentStateProjection
from projections.timeline import PlanView, plan_view, visible


class ReadSide:
    def __init__(self, app: RenjaLedger, index: TimeIndex, *, postgres: bool) -> None:
        self.app = app
        self.index = index
        self.postgres = postgres  # the backend, as the composition root (projections.system) knows it

    @cached_property
    def current(self) -> CurrentStateProjection:
        return CurrentStateProjection.of(self.app, self.index, postgres=self.postgres)

    def plan_view(self, opd: str, tahun: int, *, as_of: date | None = None,
                  known_at: datetime | None = None, rekening: bool = True) -> PlanView:
        """``rekening``: with the accounts of the rincian belanja (DPA/DPPA forms, checks)."""
        if as_of is not None or known_at is not None:
            return plan_view(self.index, opd, tahun, as_of=as_of, known_at=known_at, rekening=rekening)
        now = datetime.now(UTC)
        try:
            lines = self.current.plan_lines(opd, tahun, rekening=rekening)
        except PersistenceError:
            # A reader role may not write the read model to bring it up to date: the time index
            # answers the same question (every event, every valid time).
            return plan_view(self.index, opd, tahun, as_of=None, known_at=None, rekening=rekening)
        plan_events = self.index.plan_statements(plan_id(opd, tahun))
        view = PlanView(opd, tahun, now.date(), now, plan_events=plan_events)
        view.set_lines(visible(lines))
        view.documents = self.index.documents(opd, tahun)
        return view

    def line(self, opd: str, tahun: int, ref: str) -> LineRow:
        return find_line(self.index, opd, tahun, ref)
