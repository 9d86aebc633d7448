"""The library's SQLite recorder, plus the time index and hash chain in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from events_store.chain import GENESIS, INDEX_COLUMNS, INDEX_TABLE, LINE_COLUMNS, LINES_TABLE, build_index, ddl


class RenjaSQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *ddl("INTEGER")]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        # The event rows go first: the INSERT takes SQLite's write lock, so the chain head
        # read below cannot move under us.
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        c.execute(f"SELECT hash FROM {INDEX_TABLE} ORDER BY notification_id DESC LIMIT 1")
        row = c.fetchone()
        batch = build_index(stored_events, ids, row[0] if row else GENESIS, kwargs.get("index_fields"))
        c.executemany(
            f"INSERT INTO {INDEX_TABLE} ({', '.join(INDEX_COLUMNS)}) VALUES ({', '.join('?' * len(INDEX_COLUMNS))})",
            batch.index_rows,
        )
        if batch.line_rows:
            c.executemany(
                f"INSERT INTO {LINES_TABLE} ({', '.join(LINE_COLUMNS)}) VALUES ({', '.join('?' * len(LINE_COLUMNS))})",
                batch.line_rows,
            )
        if batch.kode_updates:
            c.executemany(f"UPDATE {LINES_TABLE} SET kode = ? WHERE line_id = ?", batch.kode_updates)
        return ids
