"""Reference measurements for `renja bench`, in a fresh database of the ledger's kind.

* the ``eventsourcing`` library's own bulk save: its built-in ``eventsourcing.sqlite`` /
  ``eventsourcing.postgres`` application recorder and default mapper, saving aggregates of
  100 minimal events each (the ceiling our stack allows), interleaved with the ledger's import
  in chunks (``LibraryReference``), then its read of every notification with decoding (the
  ceiling a projection allows);
* a raw ``sqlite3`` / ``psycopg`` ``executemany`` of as many rows of the same size in one
  transaction, and a raw keyset read of them back (the physical reference).

The minimal events carry one string padded so that their stored state has the same mean
size as the ledger's events. Each reference database is dropped afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from sqlalchemy.engine import URL

from events_store.config import StoreConfig

SAVE_EVENTS = 100  # events per save: one aggregate, created and then noted 99 times
# The library's PostgreSQL recorder sends a save's inserts in one pipeline; measured here, a
# save of about 1,000 events of 740 bytes never returned (the server waiting in ClientRead),
# while 400 did (see ../shared/notes/eventsourcing.md). Its saves are kept to this size on
# PostgreSQL, and the figure says how many events each transaction held.
LIBRARY_PG_SAVE_MAX = 400
READ_BATCH = 1000
RAW_CHUNK = 5000  # rows per executemany inside the one transaction (a larger PostgreSQL pipeline hung here)
RAW_TOPIC = "cli.bench.references:Minimal.Noted"


class Minimal(Aggregate):
    @event("Created")
    def __init__(self) -> None:
        pass

    @event("Noted")
    def note(self, data: str) -> None:
        pass


class ReferenceApp(Application[Any]):
    name = "BenchReference"


@dataclass(frozen=True)
class Figure:
    what: str
    count: int
    seconds: float
    bytes_per_item: int
    cpu_seconds: float = 0.0  # this process's CPU time (time.process_time), beside the wall time
    per_transaction: int = 0  # events per transaction, where the reference chose it

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "per_second": round(self.per_second, 1)}


def _pg_conninfo(url: URL, database: str | None = None) -> dict[str, Any]:
    query = dict(url.query)
    return {"dbname": database or url.database, "user": url.username or "postgres", "password": url.password or None,
            "host": str(query.get("host") or url.host or "localhost"), "port": int(str(url.port or query.get("port") or 5432)),
            "autocommit": True}


@contextmanager
def scratch_database(store: StoreConfig, near: Path | None = None) -> Iterator[StoreConfig]:
    """A fresh, empty database of the same kind as ``store`` (same server / same disk), dropped afterwards."""
    if store.is_postgres:
        import psycopg

        name = f"renja_bench_ref_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(**_pg_conninfo(store.url)) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield StoreConfig(store.url.set(database=name))
        finally:
            with psycopg.connect(**_pg_conninfo(store.url)) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    folder = Path(tempfile.mkdtemp(prefix="renja-bench-ref-", dir=near))
    try:
        yield StoreConfig(store.url.set(database=str(folder / "reference.db")))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def library_env(store: StoreConfig) -> dict[str, str]:
    """The built-in recorder and default mapper of the library, on the scratch database."""
    env = store.eventsourcing_env()
    for ours in ("MAPPER_TOPIC", "APPLICATION_RECORDER_TOPIC"):
        env.pop(ours, None)
    return env


def padding_for(app: ReferenceApp, state_bytes: int) -> str:
    probe = Minimal()
    probe.note("")
    overhead = len(app.mapper.to_stored_event(probe.collect_events()[-1]).state)
    return "x" * max(0, state_bytes - overhead)


class LibraryReference:
    """The library's own save, run beside the ledger's import chunk by chunk (ledger, library,
    ledger, library ...) in its own database of the same kind, so that both sides meet the
    same machine load and the same database size; then its read of every event it saved."""

    def __init__(self, store: StoreConfig) -> None:
        self.app = ReferenceApp(env=library_env(store))

    def save(self, events: int, state_bytes: int, per_transaction: int) -> Figure:
        """``events`` events of ``state_bytes`` each, saved with as many events per transaction
        as the ledger's import committed meanwhile (aggregates of SAVE_EVENTS, saved together)."""
        if self.app.factory.__class__.__module__.endswith("postgres"):
            per_transaction = min(per_transaction, LIBRARY_PG_SAVE_MAX)
        pad = padding_for(self.app, state_bytes)
        written = 0
        started, cpu = time.perf_counter(), time.process_time()
        while written < events:
            batch: list[Minimal] = []
            goal = min(max(1, per_transaction), events - written)
            while goal > 0:
                size = min(SAVE_EVENTS, goal)
                aggregate = Minimal()
                for _ in range(size - 1):
                    aggregate.note(pad)
                batch.append(aggregate)
                goal -= size
                written += size
            self.app.save(*batch)
        return Figure("library save", written, time.perf_counter() - started, state_bytes,
                      round(time.process_time() - cpu, 3), per_transaction)

    def read(self, state_bytes: int) -> Figure:
        """Every notification it saved, read and decoded (the ceiling a projection allows)."""
        read, position = 0, 0
        started, cpu = time.perf_counter(), time.process_time()
        while True:
            notifications = self.app.recorder.select_notifications(position, READ_BATCH, inclusive_of_start=False)
            if not notifications:
                break
            for notification in notifications:
                self.app.mapper.to_domain_event(notification)
            read += len(notifications)
            position = notifications[-1].id
        return Figure("library read + decode", read, time.perf_counter() - started, state_bytes,
                      round(time.process_time() - cpu, 3))

    def close(self) -> None:
        self.app.close()


def _rows(count: int, state_bytes: int) -> Iterator[tuple[str, int, str, bytes]]:
    state = b'{"data":"' + b"x" * max(0, state_bytes - 11) + b'"}'
    aggregate = uuid.uuid4()
    for index in range(count):
        if index % SAVE_EVENTS == 0:
            aggregate = uuid.uuid4()
        yield str(aggregate), index % SAVE_EVENTS + 1, RAW_TOPIC, state


def raw_insert_and_read(store: StoreConfig, rows: int, state_bytes: int) -> tuple[Figure, Figure]:
    if store.is_postgres:
        return _raw_postgres(store, rows, state_bytes)
    return _raw_sqlite(store, rows, state_bytes)


def _raw_sqlite(store: StoreConfig, rows: int, state_bytes: int) -> tuple[Figure, Figure]:
    import sqlite3

    connection = sqlite3.connect(str(store.url.database), isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")  # as the library's recorder sets it
        connection.execute("CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                           "state BLOB, PRIMARY KEY (originator_id, originator_version))")
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO raw_events VALUES (?, ?, ?, ?)", _rows(rows, state_bytes))
        connection.execute("COMMIT")
        inserted = Figure("raw executemany", rows, time.perf_counter() - started, state_bytes)
        started, read, last = time.perf_counter(), 0, 0
        while batch := connection.execute("SELECT rowid, originator_id, originator_version, topic, state FROM raw_events "
                                          "WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, RAW_CHUNK)).fetchall():
            read, last = read + len(batch), batch[-1][0]
        return inserted, Figure("raw read", read, time.perf_counter() - started, state_bytes)
    finally:
        connection.close()


def _raw_postgres(store: StoreConfig, rows: int, state_bytes: int) -> tuple[Figure, Figure]:
    import psycopg

    with psycopg.connect(**_pg_conninfo(store.url)) as connection:
        connection.execute("CREATE TABLE raw_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
                           "topic text, state bytea, notification_id bigserial, "
                           "PRIMARY KEY (originator_id, originator_version))")
        connection.execute("CREATE UNIQUE INDEX raw_events_notification ON raw_events (notification_id)")
        generated = _rows(rows, state_bytes)
        started = time.perf_counter()
        with connection.transaction(), connection.cursor() as cursor:
            while chunk := [row for _, row in zip(range(RAW_CHUNK), generated, strict=False)]:
                cursor.executemany("INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                                   "VALUES (%s, %s, %s, %s)", chunk)
        inserted = Figure("raw executemany", rows, time.perf_counter() - started, state_bytes)
        started, read, last = time.perf_counter(), 0, 0
        with connection.cursor() as cursor:
            while batch := cursor.execute("SELECT notification_id, originator_id, originator_version, topic, state "
                                          "FROM raw_events WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
                                          (last, RAW_CHUNK)).fetchall():
                read, last = read + len(batch), batch[-1][0]
        return inserted, Figure("raw read", read, time.perf_counter() - started, state_bytes)


def measure_raw(store: StoreConfig, events: int, state_bytes: int, near: Path | None = None) -> dict[str, Figure]:
    """The physical reference, in its own fresh database of the ledger's kind."""
    with scratch_database(store, near) as scratch:
        raw_insert, raw_read = raw_insert_and_read(scratch, events, state_bytes)
    return {"raw_insert": raw_insert, "raw_read": raw_read}
