"""The web on a primary and a read replica: pages read from the standby, forms write to the
primary, and whoever has just written reads their own write.

After a POST the response waits (at most ``RENJA_REPLICA_WAIT_SECONDS``, default 2) until the
standby has replayed it. If it has not by then, the writer's browser keeps the primary's WAL
position in a cookie, and its pages are read from the primary until the standby has replayed
that far. Every page says where it was read and how far the standby is behind.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar

from starlette.requests import Request
from starlette.responses import Response

from ledger.errors import LedgerError
from ledger.i18n import _
from projections.system import System

POSITION_COOKIE = "renja_wal"
LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
# Whether this request reads from the primary (its visitor wrote what the replica lacks yet).
READ_PRIMARY: ContextVar[bool] = ContextVar("read_primary", default=False)


def replica_wait() -> float:
    return float(os.environ.get("RENJA_REPLICA_WAIT_SECONDS", "2"))


def choose_reader(ledger: System, request: Request) -> None:
    """This request reads from the primary when its visitor wrote what the replica lacks yet."""
    position = request.cookies.get(POSITION_COOKIE, "")
    READ_PRIMARY.set(ledger.replica is not None and bool(LSN.match(position)) and not ledger.replica_holds(position))


def after_write(ledger: System, request: Request, response: Response) -> None:
    """A POST that succeeded may have written: its redirect waits for the replica to hold it, or
    sends the writer's next reads to the primary."""
    if ledger.replica is None or request.method != "POST" or response.status_code >= 400:
        return
    position = ledger.written_through(replica_wait())
    if position is not None:
        response.set_cookie(POSITION_COOKIE, position, max_age=600, samesite="strict", httponly=True)
    elif POSITION_COOKIE in request.cookies:
        response.delete_cookie(POSITION_COOKIE)


def where_read(ledger: System) -> str | None:
    """What every page says of where it was read (None: a ledger without a replica)."""
    if ledger.replica is None:
        return None
    if READ_PRIMARY.get():
        return _("Read from the primary server: the replica does not hold your last change yet.")
    try:
        behind = ledger.replica_lag()
    except LedgerError as error:
        return _("Read from the replica; its lag is unknown ({error}).").format(error=error)
    if behind is None or behind.current:
        return _("Read from the replica: up to date.")
    seconds = _("{seconds:.1f} s").format(seconds=behind.seconds) if behind.seconds is not None else "?"
    return _("Read from the replica: {kb} KB of changes behind the primary (last replayed {seconds} ago).").format(
        kb=max(behind.behind_bytes // 1024, 1), seconds=seconds)
