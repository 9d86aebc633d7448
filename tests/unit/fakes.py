"""An in-memory unit of work, as cosmicpython's FakeUnitOfWork: handlers run against it
with no database. It is a real subclass of the unit of work the application uses; only
where aggregates come from and go to differs. The evidence files a command carries are kept
in a dict, as the application keeps them: with the command's events, or not at all."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from uuid import UUID

from ledger.access import Actor
from ledger.application.commands import BaseCommand
from ledger.application.evidence import StoredFile, files_of
from ledger.application.handlers import COMMAND_HANDLERS, authorize
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis, Source, Stage
from ledger.bukti import Lampiran
from ledger.events import Aggregate, DomainEvent
from ledger.kode import Level
from ledger.line import BudgetLine, line_id
from ledger.money import Rupiah


class InMemoryUnitOfWork(UnitOfWork):
    def __init__(self, store: dict[UUID, Aggregate], recorded_by: str = "tester") -> None:
        super().__init__(recorded_by)
        self.store = store
        self.committed: list[DomainEvent] = []

    def _load(self, aggregate_id: UUID) -> Aggregate | None:
        # A copy, as a repository rebuilds an aggregate: a refused command leaves the store untouched.
        found = self.store.get(aggregate_id)
        return copy.deepcopy(found) if found is not None else None

    def trial(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store, self.recorded_by)

    def commit(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for aggregate in self.pending():
            events.extend(aggregate.collect_events())  # type: ignore[arg-type]
            self.store[aggregate.id] = aggregate
        self.committed.extend(events)
        return events


class DictEvidenceStore:
    """``ledger.application.evidence.EvidenceStore`` over a dict: content-addressed, a content
    kept already is left as it is."""

    def __init__(self) -> None:
        self.files: dict[str, StoredFile] = {}

    def get(self, sha256: str) -> StoredFile | None:
        return self.files.get(sha256)

    def put(self, files: Sequence[Lampiran]) -> None:
        for item in files:
            self.files.setdefault(item.berkas.sha256, StoredFile(item.berkas.sha256, item.berkas.jenis, len(item.isi),
                                                                 item.isi))


class InMemoryLedger:
    """handle(command) -> events, like the application, over a dict of aggregates (and a dict of
    evidence files, kept only when the command records its events)."""

    def __init__(self, actor: Actor | None = None) -> None:
        self.store: dict[UUID, Aggregate] = {}
        self.evidence = DictEvidenceStore()
        self.actor = actor or Actor.local("tester")

    def run(self, work, recorded_by: str = "tester", files: Sequence[Lampiran] = ()) -> list[DomainEvent]:  # type: ignore[no-untyped-def]
        uow = InMemoryUnitOfWork(self.store, recorded_by)
        work(uow)
        events = uow.commit()
        if events:
            self.evidence.put(files)
        return events

    def handle(self, command: BaseCommand, actor: Actor | None = None) -> list[DomainEvent]:
        """As the application's ``handle``: as ``actor`` (default: the ledger's own user)."""
        handler = COMMAND_HANDLERS[type(command)]
        who = actor or self.actor
        authorize(who, command)
        return self.run(lambda uow: handler(uow, command), who.name, files_of(command))

    def line(self, kode: str) -> BudgetLine:
        found = self.store[line_id(OPD, TAHUN, kode)]
        assert isinstance(found, BudgetLine)
        return found


OPD, TAHUN = "Kecamatan Contoh", 2024
KODES = [("7.01", Level.BIDANG, None), ("7.01.01", Level.PROGRAM, "7.01"),
         ("7.01.01.2.06", Level.KEGIATAN, "7.01.01"), ("7.01.01.2.06.08", Level.SUB_KEGIATAN, "7.01.01.2.06"),
         ("7.01.01.2.06.09", Level.SUB_KEGIATAN, "7.01.01.2.06")]


def seeded_ledger(pagu: int = 1_000_000) -> InMemoryLedger:
    """A synthetic plan: one program, one kegiatan, two sub-kegiatan with a murni and a perubahan pagu."""
    ledger = InMemoryLedger()
    basis = Basis(effective_on=date(2024, 1, 3), recorded_by="tester", reason="seed", source=Source(command="seed"))

    def seed(uow: UnitOfWork) -> None:
        plan = uow.plan_or_open(OPD, TAHUN, basis)
        for kode, level, parent in KODES:
            line = uow.open_line(plan, key=kode, kode=kode, level=level, nama=f"line {kode}", parent_key=parent,
                                 basis=basis)
            if level is Level.SUB_KEGIATAN:
                line.set_pagu(Stage.MURNI, Rupiah(pagu), basis)
                line.set_pagu(Stage.PERUBAHAN, Rupiah(pagu), basis.model_copy(update={"effective_on": date(2024, 8, 1)}))

    ledger.run(seed)
    return ledger
