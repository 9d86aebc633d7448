"""`renja backup DEST` and `renja restore SOURCE`: a consistent copy of a ledger with its chain
head written beside it, and a restore that checks that head before and after.

* **SQLite**: SQLite's online backup API copies the file in one step, inside one read
  transaction, so the copy is the ledger as of one instant even while writers run (WAL mode:
  they are not blocked). The chain is then recomputed over the copy itself (``verify_chain``).
* **PostgreSQL**: ``pg_dump --format=custom`` reads a snapshot exported by a repeatable-read
  transaction of ours, in which the chain's head as recorded (count, last hash) is read too: the
  dump and the head describe the same instant. Writers commit in the order of their events
  (they hold the writers' lock until commit), so the dump holds the first N events of the log;
  ``verify_chain`` then recomputes the live ledger's chain and proves that its first N events
  hash to that head.

Beside ``DEST`` goes ``DEST.head.json``: the count and head (the ``N HEAD`` that `renja verify
--head` prints), the backup file's SHA-256, the schema revision and when it was made. A restore
goes into an empty ledger only; before, it checks the file against its head file (SHA-256);
after, it recomputes the restored ledger's chain and requires the same N and HEAD.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from events_store import postgres_guard, schema
from events_store.bootstrap import SQLITE_MAGIC, check_sqlite_file, probe_postgres
from events_store.config import StoreConfig
from events_store.engine import engine_for
from events_store.integrity import ChainStatus, ExpectedHead, verify_chain
from events_store.schema import SchemaState
from events_store.tables import POSTGRES_EVENTS_TABLE
from events_store.time_index import STORED_HEAD, TimeIndex, stored_head
from ledger.errors import ChainBroken, StoreError
from ledger.i18n import _

FORMAT = "renja-ledger/backup-v1"
HEAD_SUFFIX = ".head.json"
PG_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_EVENTS_TABLE = "stored_events"


@dataclass(frozen=True)
class BackupHead:
    """What ``DEST.head.json`` says of a backup."""

    backend: str  # "sqlite" or "postgresql"
    count: int
    head: str
    file: str  # the backup file's name (beside this file)
    sha256: str
    revision: str | None  # the schema revision of the ledger backed up
    made_at: str
    source: str  # the ledger backed up (a PostgreSQL URL without its password)

    @property
    def expected(self) -> ExpectedHead:
        return ExpectedHead(self.count, self.head)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps({"format": FORMAT, **asdict(self)}, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> BackupHead:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}")
            return cls(str(data["backend"]), int(data["count"]), str(data["head"]), str(data["file"]), str(data["sha256"]),
                       None if data.get("revision") is None else str(data["revision"]), str(data["made_at"]),
                       str(data["source"]))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise StoreError(_("{path} is not the head file of a backup ({error})").format(
                path=path, error=f"{type(error).__name__}: {error}")) from None


def head_path(backup: Path) -> Path:
    return backup.with_name(backup.name + HEAD_SUFFIX)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def sqlite_copy(source: Path, dest: Path) -> None:
    """Copy a SQLite database with the online backup API, in one step (one read transaction: a
    consistent copy while writers run), into a self-contained file (rollback journal, not WAL)."""
    try:
        reader = sqlite3.connect(str(source), timeout=30)
        try:
            writer = sqlite3.connect(str(dest))
            try:
                reader.backup(writer)
                writer.execute("PRAGMA journal_mode=DELETE")
            finally:
                writer.close()
        finally:
            reader.close()
    except sqlite3.Error as error:
        raise StoreError(_("cannot copy {source} to {dest}: {error}").format(source=source, dest=dest, error=error)) from None


def sqlite_chain(path: Path) -> tuple[ChainStatus, SchemaState]:
    """The chain recomputed over a SQLite file, and its schema state."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            state = schema.read_state(connection, SQLITE_EVENTS_TABLE)
        return verify_chain(TimeIndex(engine)), state
    finally:
        engine.dispose()


# --- PostgreSQL's client programs -------------------------------------------------------------

def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on the PATH (Debian's wrapper picks the server's version), else the newest installed."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise StoreError(_("{program} not found: install the PostgreSQL client programs (Debian package "
                           "postgresql-client)").format(program=name))
    return found


def libpq(store: StoreConfig) -> tuple[list[str], dict[str, str]]:
    """The connection options of the client programs, and their environment (the password)."""
    env = store.eventsourcing_env()
    options = ["--host", env["POSTGRES_HOST"], "--port", env["POSTGRES_PORT"], "--username", env["POSTGRES_USER"],
               "--no-password"]
    environ = dict(os.environ)
    if env["POSTGRES_PASSWORD"]:
        environ["PGPASSWORD"] = env["POSTGRES_PASSWORD"]
    return options, environ


def psycopg_connect(store: StoreConfig, *, autocommit: bool) -> psycopg.Connection[Any]:
    env = store.eventsourcing_env()
    return psycopg.connect(host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]), dbname=env["POSTGRES_DBNAME"],
                           user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
                           connect_timeout=int(env["POSTGRES_CONNECT_TIMEOUT"]), autocommit=autocommit)


def run_tool(command: list[str], environ: dict[str, str], program: str) -> None:
    done = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[-400:] or f"exit status {done.returncode}"
        raise StoreError(_("{program} failed: {detail}").format(program=program, detail=detail))


# --- backup -----------------------------------------------------------------------------------

def now_text(clock: Callable[[], datetime]) -> str:
    return clock().astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def backup(store: StoreConfig, dest: Path, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> BackupHead:
    """Back the ledger up into ``dest`` (a new file) and write its head beside it."""
    if dest.exists() or head_path(dest).exists():
        raise StoreError(_("{path} exists already: a backup is written to a new file").format(
            path=dest if dest.exists() else head_path(dest)))
    if not dest.parent.is_dir():
        raise StoreError(_("the folder {path} does not exist").format(path=dest.parent))
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if store.is_postgres:
            count, head, revision = _backup_postgres(store, partial)
        else:
            count, head, revision = _backup_sqlite(store, partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    made = BackupHead("postgresql" if store.is_postgres else "sqlite", count, head, dest.name, sha256_of(dest), revision,
                      now_text(clock), store.display)
    made.write(head_path(dest))
    return made


def _backup_sqlite(store: StoreConfig, partial: Path) -> tuple[int, str, str | None]:
    path = store.sqlite_path
    assert path is not None
    if not path.exists():
        raise StoreError(_("no ledger at {path}: nothing to back up").format(path=path))
    check_sqlite_file(path)
    sqlite_copy(path, partial)
    status, state = sqlite_chain(partial)
    if not state.has_ledger:
        raise StoreError(_("{path} holds no ledger: nothing to back up").format(path=path))
    return status.count, status.head, state.revision


def _backup_postgres(store: StoreConfig, partial: Path) -> tuple[int, str, str | None]:
    probe_postgres(store)
    options, environ = libpq(store)
    dbname = store.eventsourcing_env()["POSTGRES_DBNAME"]
    with psycopg_connect(store, autocommit=False) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        exported = connection.execute("SELECT pg_export_snapshot()").fetchone()
        assert exported is not None
        snapshot = str(exported[0])
        with connection.cursor() as cursor:
            state = schema.cursor_state(cursor, postgres=True, events_table=f"public.{POSTGRES_EVENTS_TABLE}")
            if not state.has_ledger:
                raise StoreError(_("{ledger} holds no ledger: nothing to back up").format(ledger=store.display))
            cursor.execute(STORED_HEAD)
            count, head = stored_head(cursor.fetchone())
        # The dump reads the same snapshot, while this transaction keeps it alive; then the chain
        # is recomputed in that snapshot too: over exactly the events the dump holds.
        run_tool([pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--file", str(partial), *options, dbname],
                 environ, "pg_dump")
        engine = snapshot_engine(store, snapshot)
        try:
            status = verify_chain(TimeIndex(engine), ExpectedHead(count, head) if count else None)
        finally:
            engine.dispose()
        connection.rollback()
    if (status.count, status.head) != (count, head):
        raise ChainBroken(_("the chain recomputed in the backup's snapshot ({found}) is not the head recorded in it "
                            "({recorded})").format(found=f"{status.count} {status.head}", recorded=f"{count} {head}"))
    return count, head, state.revision


def snapshot_engine(store: StoreConfig, snapshot: str) -> Engine:
    """An engine whose every transaction reads the exported snapshot (read only)."""
    engine = create_engine(store.sqlalchemy_url(), poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _in_snapshot(connection: Any) -> None:
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")

    return engine


# --- restore ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Restored:
    expected: ExpectedHead  # the head the backup's head file (or --expect) states
    checked_file: bool  # the backup file's SHA-256 matched its head file before the restore
    after: ChainStatus  # the restored ledger's chain, recomputed
    state: SchemaState  # the restored ledger's schema


def restore(store: StoreConfig, source: Path, expect: ExpectedHead | None = None) -> Restored:
    """Restore a backup into an empty ledger; refuses a non-empty target, a file that does not
    match its head file, and a restored ledger whose chain does not hash to the same head."""
    if not source.is_file():
        raise StoreError(_("no backup at {path}").format(path=source))
    with source.open("rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    if store.is_postgres and not magic.startswith(PG_MAGIC):
        raise StoreError(_("{path} is not a pg_dump archive: a PostgreSQL ledger is restored from a backup of a "
                           "PostgreSQL ledger").format(path=source))
    if not store.is_postgres and magic != SQLITE_MAGIC:
        raise StoreError(_("{path} is not a SQLite database: a SQLite ledger is restored from a backup of a SQLite "
                           "ledger").format(path=source))
    recorded = BackupHead.read(head_path(source)) if head_path(source).exists() else None
    if recorded is None and expect is None:
        raise StoreError(_("no head file {path} beside the backup: give the head written down with --expect N:HEAD").format(
            path=head_path(source)))
    if recorded is not None and sha256_of(source) != recorded.sha256:
        raise ChainBroken(_("{path} is not the file its head file was written for (its SHA-256 differs): the backup was "
                            "damaged or replaced; nothing was restored").format(path=source))
    if recorded is not None and expect is not None and (recorded.count, recorded.head) != (expect.count, expect.head):
        raise ChainBroken(_("the backup's head file says {recorded}, but --expect says {expected}: nothing was "
                            "restored").format(recorded=f"{recorded.count} {recorded.head}",
                                               expected=f"{expect.count} {expect.head}"))
    expected = expect or (recorded.expected if recorded else None)
    assert expected is not None
    if store.is_postgres:
        after, state = _restore_postgres(store, source)
    else:
        after, state = _restore_sqlite(store, source, expected)
    if (after.count, after.head) != (expected.count, expected.head):
        raise ChainBroken(_("the restored ledger holds {count} events with head {head}, but the backup's head is {expected}: "
                            "do not use it").format(count=after.count, head=after.head,
                                                    expected=f"{expected.count} {expected.head}"))
    return Restored(expected, recorded is not None, after, state)


def _restore_sqlite(store: StoreConfig, source: Path, expected: ExpectedHead) -> tuple[ChainStatus, SchemaState]:
    target = store.sqlite_path
    assert target is not None
    leftovers = [path for path in (target, Path(f"{target}-wal"), Path(f"{target}-journal"))
                 if path.exists() and (path != target or target.stat().st_size > 0)]
    if leftovers:
        raise StoreError(_("{path} is not empty: a backup is restored into a new ledger only (a new SQLite file, or an "
                           "empty PostgreSQL database)").format(path=leftovers[0]))
    if not target.parent.is_dir():
        raise StoreError(_("the folder {path} does not exist").format(path=target.parent))
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        sqlite_copy(source, partial)
        after, state = sqlite_chain(partial)
        if (after.count, after.head) != (expected.count, expected.head):
            return after, state  # refused by the caller; the partial copy is removed below
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return after, state


def _restore_postgres(store: StoreConfig, source: Path) -> tuple[ChainStatus, SchemaState]:
    probe_postgres(store)
    with psycopg_connect(store, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
            "AND n.nspname NOT LIKE 'pg_temp%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')").fetchone()
    if row and row[0]:
        raise StoreError(_("{ledger} is not empty: a backup is restored into a new ledger only (a new SQLite file, or "
                           "an empty PostgreSQL database)").format(ledger=store.display))
    options, environ = libpq(store)
    dbname = store.eventsourcing_env()["POSTGRES_DBNAME"]
    run_tool([pg_tool("pg_restore"), "--exit-on-error", "--single-transaction", "--no-owner", *options,
              "--dbname", dbname, str(source)], environ, "pg_restore")
    engine = engine_for(store)
    try:
        with engine.connect() as sa_connection:
            state = schema.read_state(sa_connection, POSTGRES_EVENTS_TABLE)
        after = verify_chain(TimeIndex(engine))
    finally:
        engine.dispose()
    if state.at_head:
        # The guard names the tables' owner: the restoring role now, maybe not the one that made the backup.
        with psycopg_connect(store, autocommit=False) as connection, connection.cursor() as cursor:
            postgres_guard.install(cursor, "public", POSTGRES_EVENTS_TABLE)
            connection.commit()
    return after, state
