"""Pydantic event base classes on the eventsourcing library's aggregate protocol.

Events are frozen pydantic models (``extra="forbid"``). The library's ``timestamp`` is the
recorded time (system time, UTC); the business date lives in ``basis.effective_on``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import BaseAggregate, CanInitAggregate, CanMutateAggregate, datetime_now_with_tzinfo

from ledger.basis import Basis, Frozen

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://renja-ledger/ids")

# One recorded time for every event of one command, so that a --known-at instant never
# falls inside an import and shows half of it.
_recording_time: ContextVar[datetime | None] = ContextVar("recording_time", default=None)


@contextmanager
def recording_at(moment: datetime) -> Iterator[None]:
    token = _recording_time.set(moment)
    try:
        yield
    finally:
        _recording_time.reset(token)


class DomainEvent(Frozen):
    originator_id: UUID
    originator_version: int
    timestamp: datetime
    basis: Basis

    @property
    def recorded_at(self) -> datetime:
        return self.timestamp

    @property
    def effective_on(self) -> date:
        return self.basis.effective_on


class Aggregate(BaseAggregate[UUID]):
    """Aggregate whose events are pydantic models. Each event's ``apply`` calls the
    aggregate's ``when`` so state changes are written once, in the aggregate."""

    class Event(DomainEvent, CanMutateAggregate[UUID]):
        @staticmethod
        def create_timestamp() -> datetime:
            return _recording_time.get() or datetime_now_with_tzinfo()

        def apply(self, aggregate: Any) -> None:
            aggregate.when(self)

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str

    def when(self, event: DomainEvent) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class Procedure(Aggregate):
    """An aggregate whose events are the steps of a procedure (a proposal, a finding's follow-up):
    it keeps them in order as its trail, and each step's own rule (``step``, dispatched by the
    subclass on the event's class) says where the procedure stands."""

    def __init__(self) -> None:
        self.trail: list[DomainEvent] = []

    def when(self, event: DomainEvent) -> None:
        self.trail.append(event)
        self.step(event)

    def step(self, event: DomainEvent) -> None:  # pragma: no cover - each procedure dispatches its own
        raise TypeError(f"{type(event).__name__} is not a step of {type(self).__name__}")


def replay(events: Iterable[DomainEvent]) -> Any:
    """An aggregate as its events leave it, by the library's own replay (as a repository does):
    the read side's way to fold a proposal or a follow-up from the events it read."""
    aggregate: Any = None
    for event in events:
        aggregate = cast(Any, event).mutate(aggregate)
    return aggregate


def stable_id(*parts: object) -> UUID:
    """Deterministic aggregate id, so two writers opening the same thing collide."""
    return uuid5(LEDGER_NAMESPACE, "|".join(str(p) for p in parts))


_PREFIX = re.compile(r"^(sub\s+kegiatan|kegiatan|program)\s+", re.IGNORECASE)


def name_key(nama: str) -> str:
    """The key of a line whose kode is printed nowhere: its normalized name."""
    text = unicodedata.normalize("NFKD", nama).encode("ascii", "ignore").decode()
    text = _PREFIX.sub("", text.strip())
    text = re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()
    return "nama:" + text
