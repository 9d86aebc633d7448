"""The unit of work: the aggregates one command touches, loaded once and saved together.

Handlers see only this: they get aggregates, act on them, and ask it for the basis of what
they record (who records, from the unit of work; when and why, from the command). The
application commits every changed aggregate in one ``save(...)``, so an import or a
pergeseran is written whole or not at all. Tests give handlers an in-memory subclass.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from typing import TypeVar, cast
from uuid import UUID

from ledger.access import AccessRole, Actor
from ledger.accounts import Account, account_id
from ledger.basis import Basis, Source
from ledger.errors import NotFound, StaleState
from ledger.events import Aggregate, DomainEvent
from ledger.i18n import _
from ledger.kode import Kode, Level
from ledger.line import BudgetLine, line_id
from ledger.plan import LineRef, Plan, plan_id
from ledger.usulan import Usulan, short_id

A = TypeVar("A", bound=Aggregate)


class UnitOfWork(ABC):
    def __init__(self, recorded_by: str, channel: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        self.recorded_by = recorded_by
        self.channel = channel
        # Told (phase, done, total) as a long unit of work goes (an import of many rows).
        self.progress = progress or (lambda phase, done, total: None)
        self.loaded: dict[UUID, Aggregate] = {}
        self.order: list[UUID] = []

    @abstractmethod
    def _load(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate as saved, or None when it was never saved."""

    @abstractmethod
    def trial(self) -> UnitOfWork:
        """A unit of work over the same store, as the same person, that is never saved: a
        command's rules are tried on it (a proposal is refused when its change does not fit now)."""

    # --- aggregates ------------------------------------------------------------
    def get(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if aggregate_id not in self.loaded:
            aggregate = self._load(aggregate_id)
            if aggregate is None:
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

    def pending(self) -> list[Aggregate]:
        return [self.loaded[i] for i in self.order if self.loaded[i].pending_events]

    def pending_events(self) -> list[DomainEvent]:
        """The events the work has made and not saved, aggregate by aggregate in the order first
        touched: what a save records, a preview shows and a what-if folds."""
        return [cast(DomainEvent, event) for aggregate in self.pending() for event in aggregate.pending_events]

    def versions_read(self) -> dict[UUID, int]:
        """The version of every aggregate this unit read or created, as it was before the work
        acted on it: what a preview saw, to be found unchanged when the same command is saved."""
        return {i: self.loaded[i].version - len(self.loaded[i].pending_events) for i in self.order}

    def check_unchanged(self, expected: dict[UUID, int]) -> None:
        """Refuse to save when anything a preview read is no longer as it was (StaleState)."""
        now = self.versions_read()
        for aggregate_id, version in expected.items():
            if now.get(aggregate_id) != version:
                found = self.loaded.get(aggregate_id)
                label = getattr(found, "label", None) or str(aggregate_id)
                raise StaleState(label, version, now.get(aggregate_id))

    def actor_now(self, actor: Actor) -> Actor:
        """The acting user's rights as its account stands in this unit of work, not as they were
        when the session or the connection began: a role taken away since is no longer held."""
        if actor.role in (AccessRole.LOKAL, AccessRole.TAMU):
            return actor
        account = self._load(account_id(actor.name))  # read, not tracked: this unit does not change it
        return account.actor if isinstance(account, Account) else Actor(actor.name, AccessRole.TAMU)

    # --- the basis of what a handler records -------------------------------------
    def basis(self, *, effective_on: date, reason: str, source: Source) -> Basis:
        return Basis(effective_on=effective_on, recorded_by=self.recorded_by, reason=reason, source=source,
                     channel=self.channel)

    # --- plans and their lines ---------------------------------------------------
    def plan(self, opd: str, tahun: int) -> Plan:
        plan = self.get(Plan, plan_id(opd, tahun))
        if plan is None:
            raise NotFound("plan", f"{opd} {tahun}", "import a document first (renja import / renja demo)")
        return plan

    def usulan(self, usulan_id: UUID) -> Usulan:
        found = self.get(Usulan, usulan_id)
        if found is None:
            raise NotFound("usulan", short_id(usulan_id), _("renja usul list shows the proposals of a plan"))
        return found

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
        plan.record_kode(line.state.key, kode.shown, basis)  # as printed where its era keeps it (ledger.kode)
        line.record_kode(kode.shown, basis)
