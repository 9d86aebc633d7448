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

from events_store.bootstrap import Ledger
from events_store.config import StoreConfig, resolve
from events_store.integrity import ChainStatus, ExpectedHead
from projections.verification import load_export
from projections.views import ReadSide


class System(Ledger):
    def read_side(self) -> ReadSide:
        """A read side of its own (the web: one per request, each with its own read-model cursor)."""
        return ReadSide(self.app, self.index, postgres=self.store.is_postgres)

    @cached_property
    def read(self) -> ReadSide:
        """The read side of a one-shot caller (a CLI verb, the bench)."""
        return self.read_side()

    def import_events(self, path: Path, expect: ExpectedHead | None = None) -> ChainStatus:
        """An export (``export-events``) loaded into this ledger, which must be empty; a truncated,
        edited or forged file is refused and nothing is written."""
        return load_export(self.app, self.index, path, expect)


def open_system(db: str | StoreConfig | None = None, *, user: str | None = None,
                clock: Callable[[], datetime] | None = None, create: bool = True) -> System:
    """``db``: a SQLite file or a ``postgresql://`` URL (default ``$RENJA_DB`` or ``./renja.db``),
    or a resolved store. ``create=False`` for a read: a missing SQLite file is an error, not a new
    empty ledger."""
    store = db if isinstance(db, StoreConfig) else resolve(db)
    return System(store, user=user, clock=clock, create=create)
