"""The application: command -> handler -> get, act, save, on the eventsourcing library.

``handle(command)`` is the one write entry: it runs the command's handler in a fresh unit
of work and commits every changed aggregate in one ``save(...)`` (one transaction), then
returns the new events, from which callers say what changed. Persistence is not chosen
here: the composition root (``events_store.bootstrap``) hands over the library settings
(recorders, mapper) as ``env``.
"""

from __future__ import annotations

import getpass
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, PersistenceError, Recording

from ledger.access import Actor
from ledger.application.commands import BaseCommand
from ledger.application.evidence import files_of
from ledger.application.handlers import COMMAND_HANDLERS, authorize
from ledger.application.unit_of_work import UnitOfWork
from ledger.bukti import Lampiran
from ledger.errors import ConcurrentUpdate, LedgerError, StoreError
from ledger.events import Aggregate, DomainEvent, recording_at
from ledger.i18n import _
from ledger.line import BudgetLine
from ledger.line_state import LineState

T = TypeVar("T")
RETRY_PAUSE = 0.003  # seconds: the first retry waits up to twice this, the sixth and later up to 0.2 s


def default_user() -> str:
    return os.environ.get("RENJA_USER") or getpass.getuser()


class Recorded(list[DomainEvent]):
    """The events a command recorded (a list, as before), and each touched line as the unit of
    work left it: enough to say what changed without reading the plan again."""

    def __init__(self, events: list[DomainEvent], lines: dict[str, BudgetLine]) -> None:
        super().__init__(events)
        self.lines = lines  # by line id

    def state(self, line_id: str) -> LineState | None:
        """The line's state after the command; folded only when asked (an import touches thousands)."""
        line = self.lines.get(line_id)
        return line.state if line is not None else None


@dataclass(frozen=True)
class Preview:
    """What a command would record, computed without writing, and the versions it read."""

    events: list[DomainEvent]
    versions: dict[UUID, int]


class StoredUnitOfWork(UnitOfWork):
    """A unit of work over the application's repository."""

    def __init__(self, app: RenjaLedger, actor: Actor, channel: str | None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        super().__init__(actor.name, channel, progress)
        self.app, self.actor = app, actor
        self.repository = app.repository

    def trial(self) -> StoredUnitOfWork:
        return StoredUnitOfWork(self.app, self.actor, self.channel)

    def _load(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate


class RenjaLedger(Application):
    name = "RenjaLedger"

    def __init__(self, env: Mapping[str, str], *, display: str = "the ledger",
                 clock: Callable[[], datetime] | None = None, user: str | None = None,
                 actor: Actor | None = None) -> None:
        self.display = display
        self.clock = clock or (lambda: datetime.now(UTC))
        # Who records: the composition root establishes it (ledger.access); recorded_by is its name.
        self.actor = actor or Actor.local(user or default_user())
        self.user = self.actor.name
        try:
            super().__init__(env=env)
        except LedgerError:
            raise
        except (PersistenceError, OSError) as error:
            raise StoreError(f"cannot open ledger {display}: {error}") from None

    # --- the write entry -------------------------------------------------------
    def handle(self, command: BaseCommand, *, actor: Actor | None = None, channel: str | None = None,
               expect: Mapping[UUID, int] | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> Recorded:
        """Run one command; returns the events it recorded (none when nothing changed), with the
        state each touched line was left in.

        ``actor`` is who records when it is not the application's own user (the web
        application's logged-in user, arriving through ``channel``). ``expect`` holds the
        versions a preview read: if any changed since, nothing is written (StaleState).
        A command whose effect composes with a concurrent writer's (``retries`` > 0: a
        pergeseran, a reallocation) is re-run from fresh state on a conflict. The evidence files a
        command carries (``lampiran``) are stored with its events, in the same transaction
        (ledger.application.evidence)."""
        handler = COMMAND_HANDLERS[type(command)]
        who = actor or self.actor
        authorize(who, command)
        files = files_of(command)

        def work(uow: UnitOfWork) -> None:
            authorize(uow.actor_now(who), command)
            handler(uow, command)
            if expect is not None:
                uow.check_unchanged(dict(expect))

        return self.run_unit_of_work(work, retries=command.retries, actor=who, channel=channel, progress=progress,
                                     files=files)[1]

    def preview(self, command: BaseCommand, *, actor: Actor | None = None, channel: str | None = None) -> Preview:
        """What ``handle(command)`` would record now, computed on the unsaved events: the same
        rules run, nothing is written."""
        handler = COMMAND_HANDLERS[type(command)]
        who = actor or self.actor
        authorize(who, command)
        uow = StoredUnitOfWork(self, who, channel)
        authorize(uow.actor_now(who), command)
        with recording_at(self.clock()):
            handler(uow, command)
        return Preview(uow.pending_events(), uow.versions_read())

    def preview_changes(self, commands: Sequence[BaseCommand]) -> tuple[list[DomainEvent], dict[int, LedgerError]]:
        """What the commands would record together, each on top of those before it, on a unit of
        work that is never saved (a what-if: the plan with its open proposals). A command whose
        rules do not hold on top of the others is left out, with its refusal by position. A read:
        no one's rights are asked, and nothing is written."""
        refused: dict[int, LedgerError] = {}
        while True:
            uow = StoredUnitOfWork(self, self.actor, None)
            position = -1
            try:
                with recording_at(self.clock()):
                    for position, command in enumerate(commands):
                        if position not in refused:
                            COMMAND_HANDLERS[type(command)](uow, command)
            except LedgerError as error:  # left out; the others are tried again without it
                refused[position] = error
                continue
            return uow.pending_events(), refused

    def run_unit_of_work(self, work: Callable[[UnitOfWork], T], *, retries: int = 0, actor: Actor | None = None,
                         channel: str | None = None, progress: Callable[[str, int, int], None] | None = None,
                         files: Sequence[Lampiran] = ()) -> tuple[T, Recorded]:
        """The primitive under ``handle``: ``work`` acts on aggregates, then everything it
        changed is saved at once, with ``files`` (the evidence its events name). Also used by the
        synthetic bench writer, which acts on aggregates directly as an import does."""
        attempt = 0
        while True:
            uow = StoredUnitOfWork(self, actor or self.actor, channel, progress)
            try:
                with recording_at(self.clock()):
                    result = work(uow)
                uow.progress("saving", 0, 0)
                return result, self.commit(uow, files)
            except ConcurrentUpdate:
                attempt += 1
                if attempt > retries:
                    raise
                # Writers that collided would collide again in lockstep: each waits a random
                # moment, doubling with each attempt (full jitter), before re-reading.
                time.sleep(random.uniform(0, RETRY_PAUSE * 2 ** min(attempt, 6)))

    def commit(self, uow: UnitOfWork, files: Sequence[Lampiran] = ()) -> Recorded:
        aggregates, events = uow.pending(), uow.pending_events()
        lines = {str(aggregate.id): aggregate for aggregate in aggregates if isinstance(aggregate, BudgetLine)}
        if not aggregates:
            return Recorded(events, lines)  # nothing recorded: no file is kept either
        if files and not getattr(self.recorder, "stores_evidence", False):
            raise StoreError(_("{ledger} cannot keep evidence files (its recorder does not store them); nothing was "
                               "written").format(ledger=self.display))
        try:
            self._save_aggregates(aggregates, files)
        except IntegrityError as error:
            names = ", ".join(a.label if isinstance(a, BudgetLine) else type(a).__name__ for a in aggregates[:3])
            raise ConcurrentUpdate(names, str(error).splitlines()[0][:120]) from None
        except PersistenceError as error:
            raise StoreError(f"cannot write to {self.display}: {error}") from None
        return Recorded(events, lines)

    def _save_aggregates(self, aggregates: list[Aggregate], files: Sequence[Lampiran] = ()) -> None:
        """``Application.save`` (eventsourcing 9.5) for aggregates known to be ours: the same
        steps (record in one transaction, snapshots, notify), without checking each aggregate
        against the library's runtime-checkable protocols, which cost about 8 µs per event of a
        bulk import (measured, spread over a save's aggregates). The deprecated ``notify(events)``
        hook is not called: nothing here overrides it. ``files`` go to the recorder with the
        events, as a save's keyword arguments do (the library's own way to write more in the
        same transaction): it stores them beside the events."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in aggregates:
            processing_event.events.extend(aggregate.collect_events())
            processing_event.aggregates[aggregate.id] = aggregate
        if files:
            processing_event.saved_kwargs["evidence"] = tuple(files)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # The recorder writes the time index in the same transaction; it reads the index
        # fields from the domain events in hand rather than parsing every stored event back.
        kwargs = {**processing_event.saved_kwargs, "index_events": processing_event.events}
        return self.events.put(processing_event.events, tracking=processing_event.tracking, **kwargs)

