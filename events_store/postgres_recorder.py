"""The library's PostgreSQL recorder, plus the time index, the hash chain and the evidence files a
save carries (events_store.evidence) in one transaction, and the database's own guard on them
(``events_store.postgres_guard``).

``insert_events`` is replaced (not extended) because the library's version pipelines the
statements, and the chain needs the previous hash read after the table lock is held. The
events, their index rows and register rows are streamed with ``COPY`` (measured 1.4-1.7x the
library's ``INSERT ... SELECT unnest(composite[])``, whose text escaping in psycopg was most of
its cost, and no pipeline: a single statement over about 8 MB hung in one here,
docs/eventsourcing-notes.md). ``COPY`` returns no ids, so the save draws them from the table's
own sequence first, under the writers' lock: ids rise in the order of recording and of commit,
as the library's ``LOCK TABLE`` ensures for its own inserts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import PersistenceError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from events_store import evidence, postgres_guard, schema, web_sessions
from events_store.time_index import INDEX_TABLE, LINES_TABLE, ddl, write_index
from ledger.errors import StoreError
from ledger.i18n import _

EVENT_COLUMNS = ("notification_id", "originator_id", "originator_version", "topic", "state")
CREATE_LOCK = 72817001  # the session advisory lock the schema owner creates (and upgrades) the tables under


class RenjaPostgresRecorder(PostgresApplicationRecorder):
    stores_evidence = True  # a save's evidence files are written with its events (events_store.evidence)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Keep planner statistics fresh as the index grows, as the library does for its own
        # table: a stale estimate after a bulk import made point lookups 3x slower.
        tuning = [f"ALTER TABLE {table} SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000)"
                  for table in (INDEX_TABLE, LINES_TABLE)]
        # The web's session table too, so that whatever the schema owner runs first creates it.
        statements = [*ddl("BIGINT"), *tuning, postgres_guard.CHANNELS_DDL, *web_sessions.ddl(), *evidence.ddl("BYTEA")]
        self.sql_create_statements.extend(SQL(statement).format() for statement in statements)
        self.qualified_events_table = f"{postgres_guard.identifier(self.datastore.schema)}." \
                                      f"{postgres_guard.identifier(self.events_table_name)}"
        self.write_check = schema.WriteCheck(postgres=True, events_table=self.qualified_events_table)
        self._sequence: str | None = None  # the events table's notification id sequence, once known

    def create_table(self) -> None:
        # Two writers starting on a new database would race on CREATE TYPE/TABLE
        # ("tuple concurrently updated"); a session advisory lock serializes them. The guard's
        # triggers are created under it too, once the tables they guard exist, and a new
        # ledger's revision is stamped in the same transaction. A ledger at another revision
        # than the head is left as it is, for `renja db upgrade` (which installs the guard too).
        with self.datastore.get_connection() as connection:
            connection.execute(f"SELECT pg_advisory_lock({CREATE_LOCK})")
            try:
                with self.datastore.transaction(commit=False) as curs:
                    state = schema.cursor_state(curs, postgres=True, events_table=self.qualified_events_table)
                if state.has_ledger and not state.at_head:
                    self.datastore.register_type_adapters()
                    return
                super().create_table()
                with self.datastore.transaction(commit=True) as curs:
                    postgres_guard.install(curs, self.datastore.schema, self.events_table_name)
                    if not state.has_ledger:
                        schema.stamp(curs, postgres=True)
            finally:
                connection.execute(f"SELECT pg_advisory_unlock({CREATE_LOCK})")

    def _lock_table(self, curs: Any) -> None:
        # The library serializes writers with LOCK TABLE ... IN EXCLUSIVE MODE, which PostgreSQL
        # allows only to roles that may UPDATE, DELETE or TRUNCATE the table. A transaction-level
        # advisory lock gives the same order (every insert of this ledger goes through here, and
        # holds it until commit) to a writer role that may only SELECT and INSERT.
        # (The guard's statement trigger takes the same lock for a hand-written INSERT.)
        curs.execute(f"SELECT pg_advisory_xact_lock({postgres_guard.LOCK_KEY})")

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        try:
            with self.datastore.transaction(commit=True) as curs:
                self._lock_table(curs)
                self.write_check(curs)
                ids = self._draw_ids(curs, len(stored_events))
                self._copy_events(curs, stored_events, ids)
                write_index(curs, "%s", stored_events, ids, kwargs.get("index_events"), insert=copy_rows)
                evidence.write_evidence(curs, "%s", kwargs.get("evidence", ()))
                # As the library's own insert does, so that its LISTEN-based subscribe() sees our writes.
                self._notify_channel(curs)
        except PersistenceError as error:
            # The guard refuses at commit (identity, rights, chain): the user reads why, in one
            # line of their language, not the database's wrapped error.
            refused = postgres_guard.refusal_of(error)
            if refused is None:
                raise
            raise refused from None
        return ids

    def _draw_ids(self, curs: Any, count: int) -> list[int]:
        if self._sequence is None:
            curs.execute("SELECT pg_get_serial_sequence(%s, 'notification_id')", (self.qualified_events_table,))
            found = curs.fetchone()["pg_get_serial_sequence"]
            if found is None:  # the column's sequence was dropped or disowned by hand: nothing can be numbered
                raise StoreError(_("{table}.notification_id has no sequence of its own: this is not a ledger's "
                                   "events table as renja created it").format(table=self.qualified_events_table))
            self._sequence = str(found)
        curs.execute("SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)", (self._sequence, count))
        return sorted(row["id"] for row in curs.fetchall())

    def _copy_events(self, curs: Any, stored_events: Sequence[StoredEvent], ids: Sequence[int]) -> None:
        # Binary COPY: the state goes as bytes, with no hex or escaping on either side.
        as_uuid = self.datastore.originator_id_type == "uuid"
        statement = SQL("COPY {schema}.{table} ({columns}) FROM STDIN (FORMAT BINARY)").format(
            schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name),
            columns=SQL(", ").join(Identifier(column) for column in EVENT_COLUMNS))
        with curs.copy(statement) as copy:
            copy.set_types(["int8", "uuid" if as_uuid else "text", "int8", "text", "bytea"])
            for notification_id, stored in zip(ids, stored_events, strict=True):
                originator = stored.originator_id if as_uuid else str(stored.originator_id)
                copy.write_row((notification_id, originator, stored.originator_version, stored.topic, stored.state))


def copy_rows(curs: Any, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """The time index's row inserter on PostgreSQL (time_index.RowInserter): one COPY per table."""
    with curs.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
