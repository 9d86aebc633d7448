"""Schema versions: which revision of the stored schema a ledger is at, and who may write to it.

Every table this project creates is described by the Alembic revisions under
``events_store/migrations/versions`` (docs/operations.md): the library's stored events and
tracking tables, the time index, the line register, the channels and web sessions, the
evidence files (revision 0002) and the read model. Alembic's own table ``alembic_version`` holds the revision a ledger is at:

* a **new** ledger is created by the recorders at the head revision and stamped with it, in
  the same lock that creates its tables (``stamp``);
* a ledger **made before schema versions** (no version table) has the baseline schema: it is
  read as before, and ``renja db upgrade`` records its revision (runs the baseline, whose
  statements only create what is missing), without recreating anything;
* a ledger **behind** the head, or unversioned, may be read, but the recorders refuse to
  write to it (``check_writable``, inside the writing transaction) until it is upgraded;
* a ledger at a revision this program does not know was upgraded by a later release: it may
  be read, never written by this one.

``HEAD`` and ``REVISIONS`` are constants so that opening a ledger does not load Alembic;
tests/unit/test_schema_revisions.py fails when they differ from the revisions on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, inspect, text

from ledger.errors import StoreError
from ledger.i18n import _

VERSION_TABLE = "alembic_version"  # Alembic's own name for it
BASELINE = "0001"
REVISIONS = ("0001", "0002", "0003")  # oldest first; the last is the head
HEAD = REVISIONS[-1]
# Alembic's own DDL for its table (what `alembic stamp` would create), kept readable by every
# role on PostgreSQL: a writer role checks the revision before it writes.
VERSION_DDL = (f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL, "
               f"CONSTRAINT {VERSION_TABLE}_pkc PRIMARY KEY (version_num))")
POSTGRES_GRANT = f"GRANT SELECT ON {VERSION_TABLE} TO PUBLIC"


class SchemaOutOfDate(StoreError):
    """A write to a ledger whose schema is not the one this program writes."""


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands: does it hold a ledger, and at which revision."""

    has_ledger: bool  # the stored events table exists
    versioned: bool  # the version table exists
    revision: str | None  # the revision recorded (None: none recorded)

    @property
    def effective(self) -> str | None:
        """The revision whose schema it has: an unversioned ledger has the baseline's."""
        if not self.has_ledger:
            return None
        return self.revision if self.revision is not None else BASELINE

    @property
    def at_head(self) -> bool:
        return self.has_ledger and self.revision == HEAD

    @property
    def known(self) -> bool:
        """False when a later release upgraded it to a revision this program does not know."""
        return self.revision is None or self.revision in REVISIONS

    @property
    def needs_upgrade(self) -> bool:
        return self.has_ledger and self.known and self.revision != HEAD


def describe_revision(state: SchemaState) -> str:
    if not state.has_ledger:
        return _("none: the database holds no ledger yet")
    if state.revision is None:
        return _("none recorded: made before schema versions, it has the baseline schema {baseline}").format(
            baseline=BASELINE)
    if not state.known:
        return _("{revision} (unknown to this program: a later release upgraded the ledger)").format(
            revision=state.revision)
    return state.revision


def refusal(state: SchemaState) -> str | None:
    """Why this program may not write to the ledger (None: it may)."""
    if state.at_head or not state.has_ledger:
        return None
    if not state.known:
        return _("this ledger's schema is at revision {revision}, which this program does not know (a later "
                 "release upgraded it): write with that release or a later one; nothing was written").format(
            revision=state.revision)
    if state.revision is None:
        return _("this ledger was made before schema versions: run `renja db upgrade` once (it records the "
                 "schema's version and changes no event); nothing was written")
    return _("this ledger's schema is at revision {revision}, this program writes revision {head}: run "
             "`renja db upgrade`; nothing was written").format(revision=state.revision, head=HEAD)


# --- reading the state -----------------------------------------------------------------

def read_state(connection: Connection, events_table: str) -> SchemaState:
    """The state of the database behind a SQLAlchemy connection."""
    names = set(inspect(connection).get_table_names())
    versioned = VERSION_TABLE in names
    revision = None
    if versioned:
        rows = [str(row[0]) for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))]
        revision = rows[0] if len(rows) == 1 else None
    return SchemaState(events_table in names, versioned, revision)


def _first(row: Any) -> Any:
    if row is None:
        return None
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


def cursor_state(cursor: Any, *, postgres: bool, events_table: str) -> SchemaState:
    """The same with a DB-API cursor of the library's recorders, inside their transaction (no
    statement here fails, so a PostgreSQL transaction is never aborted by it)."""
    if postgres:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL AS has_ledger, to_regclass(%s) IS NOT NULL AS versioned",
                       (events_table, VERSION_TABLE))
        row = cursor.fetchone()
        has_ledger, versioned = (row["has_ledger"], row["versioned"]) if isinstance(row, dict) else tuple(row)
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", (events_table, VERSION_TABLE))
        found = {_first(row) for row in cursor.fetchall()}
        has_ledger, versioned = events_table in found, VERSION_TABLE in found
    revision = None
    if versioned:
        cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
        rows = cursor.fetchall()
        revision = str(_first(rows[0])) if len(rows) == 1 else None
    return SchemaState(bool(has_ledger), bool(versioned), revision)


class WriteCheck:
    """Refuses, inside the writing transaction, a write to a ledger whose schema is not the head:
    the transaction is rolled back and nothing is written. One per recorder: once the version
    table was seen, a check is one statement. (On PostgreSQL it runs after the writers' lock, which
    ``renja db upgrade`` takes too, so an upgrade and a write never interleave.)"""

    def __init__(self, *, postgres: bool, events_table: str) -> None:
        self.postgres = postgres
        self.events_table = events_table
        self.versioned = False  # the version table was seen (it is never dropped)

    def __call__(self, cursor: Any) -> None:
        if self.versioned:
            cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
            rows = cursor.fetchall()
            state = SchemaState(True, True, str(_first(rows[0])) if len(rows) == 1 else None)
        else:
            found = cursor_state(cursor, postgres=self.postgres, events_table=self.events_table)
            state = SchemaState(True, found.versioned, found.revision)
            self.versioned = found.versioned
        reason = refusal(state)
        if reason is not None:
            raise SchemaOutOfDate(reason)


def stamp(cursor: Any, *, postgres: bool) -> None:
    """Record the head revision of a ledger created just now (inside the creating transaction)."""
    cursor.execute(VERSION_DDL)
    cursor.execute(f"DELETE FROM {VERSION_TABLE}")
    cursor.execute(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES ({'%s' if postgres else '?'})", (HEAD,))
    if postgres:
        cursor.execute(POSTGRES_GRANT)
