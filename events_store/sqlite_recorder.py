"""The library's SQLite recorder, plus the time index, the hash chain and the evidence files a save
carries (events_store.evidence) in the same transaction, and the schema's revision
(``events_store.schema``): a new ledger is stamped with the head revision when its tables are
created, and no write reaches a ledger of another revision."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from events_store import evidence, schema, web_sessions
from events_store.time_index import ddl, write_index


class RenjaSQLiteRecorder(SQLiteApplicationRecorder):
    stores_evidence = True  # a save's evidence files are written with its events (events_store.evidence)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.write_check = schema.WriteCheck(postgres=False, events_table=self.events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *ddl("INTEGER"), *web_sessions.ddl(),
                *evidence.ddl("BLOB")]

    def create_table(self) -> None:
        """Create the tables of a new ledger and stamp it with the head revision, in one
        transaction that holds the write lock from its start (two processes creating one file
        at once: the second finds the first's ledger). An existing ledger at the head gets what
        is missing, as before (the statements only create what is not there, and take no lock
        when nothing is: opening a ledger never waits for a writer); one at another revision is
        left as it is, for `renja db upgrade`."""
        with self.datastore.transaction(commit=False) as cursor:
            found = schema.cursor_state(cursor, postgres=False, events_table=self.events_table_name)
        if found.has_ledger:
            if found.at_head:
                super().create_table()
            return
        with self.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                state = schema.cursor_state(cursor, postgres=False, events_table=self.events_table_name)
                if not state.has_ledger or state.at_head:
                    for statement in self.create_table_statements:
                        cursor.execute(statement)
                if not state.has_ledger:
                    schema.stamp(cursor, postgres=False)
                connection.commit()
            except sqlite3.Error as error:
                connection.rollback()
                raise OperationalError(error) from error
            except BaseException:
                connection.rollback()
                raise

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        # The event rows go first: the INSERT takes SQLite's write lock, so the chain head
        # read by write_index (and the revision read here) cannot move under us.
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        self.write_check(c)
        write_index(c, "?", stored_events, ids, kwargs.get("index_events"))
        evidence.write_evidence(c, "?", kwargs.get("evidence", ()))
        return ids
