"""The library's SQLite recorder, plus the time index and hash chain in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from events_store import web_sessions
from events_store.time_index import ddl, write_index


class RenjaSQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *ddl("INTEGER"), *web_sessions.ddl()]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        # The event rows go first: the INSERT takes SQLite's write lock, so the chain head
        # read by write_index cannot move under us.
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        write_index(c, "?", stored_events, ids, kwargs.get("index_events"))
        return ids
