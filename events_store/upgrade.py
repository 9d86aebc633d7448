"""`renja db status` and `renja db upgrade`: where a ledger's schema stands, and bringing it to the head.

The upgrade runs Alembic's pending revisions (``events_store.migrations``) in one transaction:

* on PostgreSQL, as the schema owner, under the lock new ledgers are created under and the
  writers' lock (a write waits for the upgrade, then finds the new revision); the guard is
  brought up to date in the same transaction. Anything failing rolls all of it back.
* on SQLite, in a transaction that holds the write lock from its start; inside it, before any
  change, the file is copied with SQLite's online backup API beside the ledger (named in the
  output): the copy is the ledger exactly as it was before the upgrade.

The chain's head as recorded (count and last hash) is read before and after the revisions, in
the same transaction: a revision that changed it would be rolled back (none touches an event).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from events_store import postgres_guard, schema
from events_store.backup import sqlite_copy
from events_store.bootstrap import check_sqlite_file, probe_postgres
from events_store.config import StoreConfig
from events_store.engine import engine_for
from events_store.postgres_recorder import CREATE_LOCK
from events_store.schema import SchemaState
from events_store.tables import POSTGRES_EVENTS_TABLE
from events_store.time_index import STORED_HEAD, stored_head
from ledger.errors import StoreError
from ledger.i18n import _

SQLITE_EVENTS_TABLE = "stored_events"


def events_table_of(store: StoreConfig) -> str:
    return POSTGRES_EVENTS_TABLE if store.is_postgres else SQLITE_EVENTS_TABLE


def existing_sqlite(store: StoreConfig) -> Path:
    """The ledger file, which must exist: status and upgrade never create one."""
    path = store.sqlite_path
    assert path is not None
    if not path.exists():
        raise StoreError(_("no ledger at {path}: nothing to read or upgrade there").format(path=path))
    check_sqlite_file(path)
    return path


def sqlite_engine(path: Path) -> Engine:
    """An engine whose transactions begin with BEGIN IMMEDIATE: the write lock from the start, and
    DDL inside the transaction (the driver's own transaction handling is switched off)."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"isolation_level": None, "timeout": 30})

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def status(store: StoreConfig) -> SchemaState:
    """Where the ledger's schema stands; nothing is created or written."""
    if store.is_postgres:
        probe_postgres(store)
        engine = engine_for(store)
    else:
        engine = create_engine(f"sqlite:///{existing_sqlite(store)}")
    try:
        with engine.connect() as connection:
            return schema.read_state(connection, events_table_of(store))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Upgraded:
    before: SchemaState
    revision: str  # the revision it is at now
    head: tuple[int, str]  # the chain's head as recorded, the same before and after
    backup: Path | None  # SQLite: the copy made before the upgrade

    @property
    def changed(self) -> bool:
        return self.before.revision != self.revision


class UpgradeFailed(StoreError):
    """A revision failed: everything it did was rolled back."""


def utc_stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def backup_path_for(path: Path, now: datetime) -> Path:
    candidate = path.with_name(f"{path.name}.before-upgrade-{utc_stamp(now)}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.before-upgrade-{utc_stamp(now)}-{number}")
    return candidate


def upgrade(store: StoreConfig, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Upgraded:
    """Bring the ledger to the head revision (see the module's docstring)."""
    found = status(store)
    if not found.has_ledger:
        raise StoreError(_("{ledger} holds no ledger: nothing to upgrade (a new ledger is created at the head "
                           "revision by `renja import` or `renja demo`)").format(ledger=store.display))
    if not found.known:
        raise schema.SchemaOutOfDate(_("this ledger's schema is at revision {revision}, which this program does not "
                                       "know (a later release upgraded it): this program cannot upgrade it").format(
            revision=found.revision))
    if store.is_postgres:
        return _upgrade_postgres(store)
    return _upgrade_sqlite(store, clock())


def _run(connection: Connection, store: StoreConfig, before: SchemaState,
         finish: Callable[[Connection], None] | None = None) -> tuple[str, tuple[int, str]]:
    """The revisions and the head check, inside the caller's transaction."""
    from events_store import migrations  # Alembic is loaded by the upgrade only

    if not before.known:  # (upgraded by a later release since the first look)
        raise UpgradeFailed(_("this ledger's schema is at revision {revision}, which this program does not know (a later "
                              "release upgraded it): this program cannot upgrade it").format(revision=before.revision))
    head_before = stored_head(connection.execute(text(STORED_HEAD)).first())
    migrations.upgrade(connection)
    if finish is not None:
        finish(connection)
    after = schema.read_state(connection, events_table_of(store))
    head_after = stored_head(connection.execute(text(STORED_HEAD)).first())
    if head_after != head_before or after.revision != schema.HEAD:
        raise UpgradeFailed(_("the upgrade would have changed the chain's head ({before} -> {after}) or not reached "
                              "revision {head}; it was rolled back").format(
            before=f"{head_before[0]} {head_before[1]}", after=f"{head_after[0]} {head_after[1]}", head=schema.HEAD))
    return schema.HEAD, head_before


def with_copy(message: str, copy: Path | None) -> str:
    return message if copy is None else message + "; " + _("the copy made before it is {path}").format(path=copy)


def _failed(error: BaseException, copy: Path | None) -> UpgradeFailed:
    detail = " ".join(str(getattr(error, "orig", None) or error).split())[:300]
    return UpgradeFailed(with_copy(_("the upgrade failed and was rolled back: the ledger is as it was ({error})").format(
        error=detail), copy))


def _upgrade_sqlite(store: StoreConfig, now: datetime) -> Upgraded:
    path = existing_sqlite(store)
    engine = sqlite_engine(path)
    copy: Path | None = None
    try:
        with engine.connect() as connection, connection.begin():
            # Under the write lock: no writer can commit between the copy and the revisions.
            before = schema.read_state(connection, SQLITE_EVENTS_TABLE)
            if before.at_head:
                return Upgraded(before, schema.HEAD, stored_head(connection.execute(text(STORED_HEAD)).first()), None)
            copy = backup_path_for(path, now)
            sqlite_copy(path, copy)
            revision, head = _run(connection, store, before)
        return Upgraded(before, revision, head, copy)
    except UpgradeFailed as error:
        raise UpgradeFailed(with_copy(str(error), copy)) from None
    except (SQLAlchemyError, OSError, sqlite3.Error) as error:
        raise _failed(error, copy) from None
    finally:
        engine.dispose()


def _upgrade_postgres(store: StoreConfig) -> Upgraded:
    owned = probe_postgres(store)
    if owned is False:
        raise StoreError(_("only the schema owner may upgrade the ledger: this connection's role does not own its "
                           "tables (docs/postgresql-roles.md)"))
    engine = create_engine(store.sqlalchemy_url())

    def guard(connection: Connection) -> None:
        # The guard is generated from the domain, so it is brought up to date here, not by a revision.
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        postgres_guard.install(cursor, "public", POSTGRES_EVENTS_TABLE)

    try:
        with engine.connect() as connection, connection.begin():
            # The creators' lock, then the writers': no ledger is created or written meanwhile.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CREATE_LOCK})
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": postgres_guard.LOCK_KEY})
            before = schema.read_state(connection, POSTGRES_EVENTS_TABLE)
            if before.at_head:
                return Upgraded(before, schema.HEAD, stored_head(connection.execute(text(STORED_HEAD)).first()), None)
            revision, head = _run(connection, store, before, guard)
        return Upgraded(before, revision, head, None)
    except UpgradeFailed:
        raise
    except (SQLAlchemyError, psycopg.Error) as error:
        raise _failed(error, None) from None
    finally:
        engine.dispose()
