"""The composition root: a database URL in, a wired ledger out.

The CLI (and the web entry point) open a ledger here and nowhere else: the application
gets the library settings for the chosen backend (recorders with the time index, the
pydantic mapper); the read side gets an engine and the time index on the same database.
Everything is created lazily, so a command that only parses its arguments touches no
database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from sqlalchemy import Engine

from events_store.config import StoreConfig, resolve
from events_store.engine import engine_for
from events_store.time_index import TimeIndex
from ledger.application import RenjaLedger


class Ledger:
    def __init__(self, store: StoreConfig, *, user: str | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.user = user
        self.clock = clock

    @cached_property
    def app(self) -> RenjaLedger:
        return RenjaLedger(self.store.eventsourcing_env(), display=self.store.display, user=self.user, clock=self.clock)

    @cached_property
    def engine(self) -> Engine:
        self.app  # noqa: B018 - opening the application creates the tables the engine reads
        return engine_for(self.store)

    @cached_property
    def index(self) -> TimeIndex:
        return TimeIndex(self.engine)


def open_ledger(db: str | None = None, *, user: str | None = None,
                clock: Callable[[], datetime] | None = None) -> Ledger:
    """``db``: a SQLite file or a ``postgresql://`` URL; default ``$RENJA_DB`` or ``./renja.db``."""
    return Ledger(resolve(db), user=user, clock=clock)
