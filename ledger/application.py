"""The application: get -> act -> save, on the eventsourcing library.

Commands run inside a unit of work that loads each aggregate once and saves every
changed aggregate in one ``save(...)``, i.e. one transaction: an import or a pergeseran
is written whole or not at all.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, PersistenceError, Recording

from events_store.chain import format_instant
from events_store.config import StoreConfig
from ledger.basis import Basis
from ledger.errors import ConcurrentUpdate, NotFound, StoreError
from ledger.events import Aggregate, recording_at
from ledger.kode import Kode, Level
from ledger.line import BudgetLine, line_id
from ledger.plan import LineRef, Plan, plan_id

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)


def default_user() -> str:
    return os.environ.get("RENJA_USER") or getpass.getuser()


class UnitOfWork:
    def __init__(self, app: RenjaLedger) -> None:
        self.app = app
        self.loaded: dict[UUID, Aggregate] = {}
        self.order: list[UUID] = []

    def get(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if aggregate_id not in self.loaded:
            try:
                aggregate: Aggregate = self.app.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
            self.track(aggregate)
        found = self.loaded[aggregate_id]
        assert isinstance(found, cls)
        return found

    def track(self, aggregate: A) -> A:
        if aggregate.id not in self.loaded:
            self.loaded[aggregate.id] = aggregate
            self.order.append(aggregate.id)
        return aggregate

    def plan(self, opd: str, tahun: int) -> Plan:
        plan = self.get(Plan, plan_id(opd, tahun))
        if plan is None:
            raise NotFound("plan", f"{opd} {tahun}", "import a document first (renja import / renja demo)")
        return plan

    def plan_or_open(self, opd: str, tahun: int, basis: Basis) -> Plan:
        plan = self.get(Plan, plan_id(opd, tahun))
        return plan if plan is not None else self.track(Plan.open(opd, tahun, basis))

    def line(self, plan: Plan, ref: str) -> BudgetLine:
        found = plan.resolve(ref)
        line = self.get(BudgetLine, found.line_id)
        if line is None:  # pragma: no cover - the plan and its lines are saved together
            raise NotFound("line", ref)
        return line

    def open_line(self, plan: Plan, *, key: str, kode: str | None, level: Level, nama: str,
                  parent_key: str | None, basis: Basis) -> BudgetLine:
        ref = LineRef(key=key, line_id=line_id(plan.opd, plan.tahun, key), kode=kode, level=level, nama=nama,
                      parent_key=parent_key)
        plan.register_line(ref, basis)
        return self.track(BudgetLine.open(opd=plan.opd, tahun=plan.tahun, key=key, kode=kode, level=level,
                                          nama=nama, parent_key=parent_key, basis=basis))

    def record_kode(self, plan: Plan, line: BudgetLine, kode: Kode, basis: Basis) -> None:
        plan.record_kode(line.state.key, str(kode), basis)
        line.record_kode(str(kode), basis)

    def pending(self) -> list[Aggregate]:
        return [self.loaded[i] for i in self.order if self.loaded[i].pending_events]


def index_fields_of(event: Any) -> dict[str, Any]:
    # pydantic keeps fields in __dict__; getattr on a missing field is slow (it raises inside).
    data = event.__dict__
    stage, level = data.get("stage"), data.get("level")
    return {"stage": stage.value if stage is not None else None, "effective_on": data["basis"].effective_on.isoformat(),
            "recorded_at": format_instant(data["timestamp"]), "opd": data.get("opd"), "tahun": data.get("tahun"),
            "key": data.get("key"), "kode": data.get("kode"), "level": level.value if level is not None else None,
            "nama": data.get("nama"), "parent_key": data.get("parent_key")}


class RenjaLedger(Application):
    name = "RenjaLedger"

    def __init__(self, config: StoreConfig, *, clock: Callable[[], datetime] | None = None,
                 user: str | None = None) -> None:
        self.config = config
        self.clock = clock or (lambda: datetime.now(UTC))
        self.user = user or default_user()
        try:
            super().__init__(env=config.eventsourcing_env())
        except (PersistenceError, OSError) as error:
            raise StoreError(f"cannot open ledger {config.display}: {error}") from None

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        uow = UnitOfWork(self)
        with recording_at(self.clock()):
            yield uow
        self.commit(uow)

    def commit(self, uow: UnitOfWork) -> int:
        aggregates = uow.pending()
        count = sum(len(a.pending_events) for a in aggregates)
        if not aggregates:
            return 0
        try:
            self.save(*aggregates)
        except IntegrityError as error:
            names = ", ".join(getattr(a, "label", str(a.id)) if isinstance(a, BudgetLine) else type(a).__name__
                              for a in aggregates[:3])
            raise ConcurrentUpdate(names, str(error).splitlines()[0][:120]) from None
        except PersistenceError as error:
            raise StoreError(f"cannot write to {self.config.display}: {error}") from None
        return count

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # Hand the recorder what the time index needs, from the events in hand, so it need
        # not parse every stored event back.
        fields = [index_fields_of(event) for event in processing_event.events]
        return self.events.put(processing_event.events, tracking=processing_event.tracking,
                               index_fields=fields, **processing_event.saved_kwargs)

    def execute(self, command: Callable[[UnitOfWork], T], *, retries: int = 0) -> T:
        """Run a command in a fresh unit of work; on a concurrent write, re-run it from
        fresh state up to ``retries`` times (only for commands whose effect composes)."""
        attempt = 0
        while True:
            uow = UnitOfWork(self)
            try:
                with recording_at(self.clock()):
                    result = command(uow)
                self.commit(uow)
                return result
            except ConcurrentUpdate:
                attempt += 1
                if attempt > retries:
                    raise

    def basis(self, *, effective_on: Any, reason: str, source: Any) -> Basis:
        return Basis(effective_on=effective_on, recorded_by=self.user, reason=reason, source=source)
