"""A read replica: a PostgreSQL hot standby fed by streaming replication from the primary.

The web reads from it and writes to the primary (``renja serve --read-url``, docs/operations.md).
What this module knows is WAL positions: where the primary has written to, how far the
standby has replayed, and so how far behind it is and whether it holds a given write yet.
PostgreSQL's own functions answer each (``pg_current_wal_lsn``, ``pg_last_wal_replay_lsn``,
``pg_last_xact_replay_timestamp``); nothing here is a copy of the data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from ledger.errors import StoreError
from ledger.i18n import _

POLL_SECONDS = 0.05


@dataclass(frozen=True)
class ReplicaLag:
    """How far the standby is behind the primary, when asked."""

    behind_bytes: int  # WAL the primary has written that the standby has not replayed
    seconds: float | None  # since the standby replayed its last transaction, when it is behind; None when it is not
    standby: bool  # the read server is in recovery (a standby), as it should be

    @property
    def current(self) -> bool:
        return self.behind_bytes <= 0


def primary_position(primary: Engine) -> str:
    """The primary's WAL position now: every transaction committed so far lies before it. The
    insert position, not the write position: with ``synchronous_commit = off`` a commit's record
    may not be written out yet when its transaction returns."""
    try:
        with primary.connect() as connection:
            return str(connection.execute(text("SELECT pg_current_wal_insert_lsn()::text")).scalar_one())
    except SQLAlchemyError as error:
        raise StoreError(_("cannot ask the primary server its WAL position: {error}").format(
            error=str(error).splitlines()[0])) from None


def replayed(replica: Engine, position: str) -> bool:
    """Whether the standby has replayed the WAL up to ``position`` (a position of the primary)."""
    with replica.connect() as connection:
        return bool(connection.execute(
            text("SELECT coalesce(pg_last_wal_replay_lsn() >= CAST(:position AS pg_lsn), NOT pg_is_in_recovery())"),
            {"position": position}).scalar_one())


def wait_for(replica: Engine, position: str, timeout: float) -> bool:
    """Wait (at most ``timeout`` seconds) until the standby has replayed up to ``position``."""
    deadline = time.monotonic() + timeout
    while not replayed(replica, position):
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def lag(primary: Engine, replica: Engine) -> ReplicaLag:
    """How far the standby is behind the primary now. Its time behind is how long ago it
    replayed its last transaction, and only while it is behind: an idle primary sends nothing,
    so that time grows on an up-to-date standby too."""
    position = primary_position(primary)
    with replica.connect() as connection:
        row = connection.execute(text(
            "SELECT pg_is_in_recovery(), "
            "coalesce(pg_wal_lsn_diff(CAST(:position AS pg_lsn), pg_last_wal_replay_lsn()), 0), "
            "extract(epoch FROM now() - pg_last_xact_replay_timestamp())"), {"position": position}).one()
    behind = max(int(row[1]), 0)
    seconds = max(float(row[2]), 0.0) if behind and row[2] is not None else None
    return ReplicaLag(behind, seconds, bool(row[0]))


def check_standby(replica: Engine, display: str) -> None:
    """A read URL must name a server in recovery (a standby) or the primary itself; anything it
    cannot reach is said at start, with its cause."""
    try:
        with replica.connect() as connection:
            connection.execute(text("SELECT pg_is_in_recovery()")).scalar_one()
    except SQLAlchemyError as error:
        raise StoreError(_("cannot reach the read replica {replica}: {error}").format(
            replica=display, error=" ".join(str(error).split())[:200])) from None
