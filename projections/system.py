"""The composition root: one ledger's backend, application, time index and read side, wired once.

The CLI, the web application and the bench open a ledger here and nowhere else. The store's
wiring (the library settings for the backend, the recorders with the time index, the mapper,
who records) is ``events_store.bootstrap.Ledger``; this adds the read side on the same
database, told its backend by the store rather than guessing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from events_store.bootstrap import Ledger, open_standby
from events_store.config import StoreConfig, resolve
from events_store.integrity import ChainStatus, ExpectedHead
from events_store.replica import ReplicaLag, lag, primary_position, replayed, wait_for
from ledger.errors import StoreError
from ledger.i18n import _
from projections.verification import load_export
from projections.views import ReadSide


class System(Ledger):
    """One ledger; with ``read_store``, reads go to a hot standby of its PostgreSQL primary."""

    def __init__(self, store: StoreConfig, *, read_store: StoreConfig | None = None, **options: Any) -> None:
        super().__init__(store, **options)
        if read_store is not None and not (store.is_postgres and read_store.is_postgres):
            raise StoreError(_("a read replica is a PostgreSQL standby of a PostgreSQL ledger: --read-url needs "
                               "postgresql:// URLs for both"))
        self.read_store = read_store

    @cached_property
    def replica(self) -> Ledger | None:
        """The standby the reads go to (None: reads go to the ledger itself)."""
        if self.read_store is None:
            return None
        return open_standby(self.read_store, user=self.user, clock=self.clock)

    def read_side(self, *, primary: bool = False) -> ReadSide:
        """A read side of its own (the web: one per request, each with its own read-model cursor),
        on the replica if there is one, unless ``primary`` (a reader who must see its own write)."""
        source = self if primary or self.replica is None else self.replica
        return ReadSide(source.app, source.index, postgres=source.store.is_postgres)

    def replica_lag(self) -> ReplicaLag | None:
        """How far the replica is behind the primary (None: no replica)."""
        return None if self.replica is None else lag(self.engine, self.replica.engine)

    def written_through(self, wait: float) -> str | None:
        """After a write: wait up to ``wait`` seconds for the replica to hold it. None when it does
        (or there is no replica); else the primary's position, for the writer's next reads to go
        to the primary until the replica has replayed it (``replica_holds``)."""
        if self.replica is None:
            return None
        position = primary_position(self.engine)
        return None if wait_for(self.replica.engine, position, wait) else position

    def replica_holds(self, position: str) -> bool:
        return self.replica is None or replayed(self.replica.engine, position)

    @cached_property
    def read(self) -> ReadSide:
        """The read side of a one-shot caller (a CLI verb, the bench)."""
        return self.read_side()

    def import_events(self, path: Path, expect: ExpectedHead | None = None) -> ChainStatus:
        """An export (``export-events``) loaded into this ledger, which must be empty; a truncated,
        edited or forged file is refused and nothing is written."""
        return load_export(self.app, self.index, path, expect)


def open_system(db: str | StoreConfig | None = None, *, user: str | None = None,
                clock: Callable[[], datetime] | None = None, create: bool = True,
                read_db: str | None = None) -> System:
    """``db``: a SQLite file or a ``postgresql://`` URL (default ``$RENJA_DB`` or ``./renja.db``),
    or a resolved store. ``create=False`` for a read: a missing SQLite file is an error, not a new
    empty ledger. ``read_db``: the URL of a hot standby of ``db`` to read from."""
    store = db if isinstance(db, StoreConfig) else resolve(db)
    read_store = resolve(read_db) if read_db else None
    return System(store, user=user, clock=clock, create=create, read_store=read_store)
