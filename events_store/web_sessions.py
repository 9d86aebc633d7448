"""Sessions of the web application, kept by the server in the ledger's database.

A login opens a record in ``renja_web_sessions``: the SHA-256 of a random session id, the
account's name and its version at login, when the record was opened, when it expires and
when it ended. The session id itself lives only in the browser's (signed) cookie, so a copy
of this table opens no session. Every request looks its record up: an unknown, ended or
expired record is no session. Logging out ends the record; a new event of the account (a
changed password or role) ends every record of the account opened before it.

Why these are not events of the ledger: a session is operational state of the web server,
not a plan fact or a decision anyone answers for. The hash chain proves what the ledger was
told and when, and it is kept forever: logins would add rows on every visit that could never
be pruned without breaking the chain, and the chain would then prove nothing more about the
plans. What is accountable about access (an account opened, a password or role changed) is
already in the chain, as the account's events.

The table is this module's own, beside the time index's: created idempotently by the schema
owner (``create``), used by a web role that was granted SELECT, INSERT, UPDATE and DELETE
on it (docs/postgresql-roles.md).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, inspect, text

from ledger.instants import format_instant

SESSIONS_TABLE = "renja_web_sessions"
CREATE_LOCK = 72817003  # a PostgreSQL advisory lock key, beside the recorder's 72817001 and 72817002


def ddl() -> list[str]:
    """The table and its index, the same on SQLite and PostgreSQL (times are fixed-width UTC text,
    as in the time index, so text order is time order)."""
    return [
        f"CREATE TABLE IF NOT EXISTS {SESSIONS_TABLE} ("
        "id_sha256 TEXT PRIMARY KEY, account TEXT NOT NULL, account_version INTEGER NOT NULL, "
        "opened_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT)",
        f"CREATE INDEX IF NOT EXISTS {SESSIONS_TABLE}_account ON {SESSIONS_TABLE} (account)",
    ]


def digest(session_id: str) -> str:
    """What the table keeps of a session id: its SHA-256 (the id is random, so no salt is needed)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LiveSession:
    """A session that holds (not ended, not expired): whose, and the account's version at login."""

    account: str
    account_version: int


class WebSessions:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    def _now(self) -> str:
        return format_instant(self.clock())

    def _write(self, sql: str, params: dict[str, Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(sql), params)

    # --- the table ---------------------------------------------------------------------
    def exists(self) -> bool:
        return inspect(self.engine).has_table(SESSIONS_TABLE)

    def create(self) -> None:
        """Create the table if it is missing (the schema owner only)."""
        postgres = self.engine.dialect.name == "postgresql"
        with self.engine.connect() as connection:
            # Two servers starting on one new database would race on CREATE TABLE
            # ("tuple concurrently updated"), as the recorders would: a session lock orders them.
            if postgres:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": CREATE_LOCK})
            try:
                for statement in ddl():
                    connection.execute(text(statement))
                connection.commit()
            finally:
                if postgres:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": CREATE_LOCK})

    # --- sessions ----------------------------------------------------------------------
    def open(self, account: str, account_version: int, lifetime: timedelta) -> str:
        """A new session of the account; its id, for the cookie (the table keeps only its hash)."""
        session_id = secrets.token_urlsafe(32)
        opened = self.clock()
        self._write(f"INSERT INTO {SESSIONS_TABLE} (id_sha256, account, account_version, opened_at, expires_at) "
                    "VALUES (:id, :account, :version, :opened, :expires)",
                    {"id": digest(session_id), "account": account, "version": account_version,
                     "opened": format_instant(opened), "expires": format_instant(opened + lifetime)})
        return session_id

    def live(self, session_id: str) -> LiveSession | None:
        """The session if it holds; None when it is unknown, ended or expired."""
        with self.engine.connect() as connection:
            row = connection.execute(text(f"SELECT account, account_version FROM {SESSIONS_TABLE} "
                                          "WHERE id_sha256 = :id AND ended_at IS NULL AND expires_at > :now"),
                                     {"id": digest(session_id), "now": self._now()}).first()
        return None if row is None else LiveSession(str(row[0]), int(row[1]))

    def end(self, session_id: str) -> None:
        self._write(f"UPDATE {SESSIONS_TABLE} SET ended_at = :now WHERE id_sha256 = :id AND ended_at IS NULL",
                    {"id": digest(session_id), "now": self._now()})

    def end_account(self, account: str, *, before_version: int | None = None) -> None:
        """End the account's sessions: all of them, or those opened before it reached a version."""
        params: dict[str, Any] = {"account": account, "now": self._now()}
        older = ""
        if before_version is not None:
            older, params["version"] = " AND account_version < :version", before_version
        self._write(f"UPDATE {SESSIONS_TABLE} SET ended_at = :now WHERE account = :account AND ended_at IS NULL{older}", params)

    def prune(self) -> None:
        """Forget ended and expired sessions: they open nothing, and nothing else reads them."""
        self._write(f"DELETE FROM {SESSIONS_TABLE} WHERE ended_at IS NOT NULL OR expires_at <= :now", {"now": self._now()})
