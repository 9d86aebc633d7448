"""Logging in to the web application: accounts (kept in the ledger), sessions kept by the server
(``events_store.web_sessions``), a CSRF token on every form, and a limit on failed logins.

A ledger that holds no account has one local user (as on the command line), so its pages
are open and `renja serve` listens on 127.0.0.1 only by default. Once the ledger has
accounts, every page but the login page asks for one.

The session cookie is signed (Starlette's SessionMiddleware) and holds a random session id and
the forms' CSRF token; who is logged in is the server's record of that id, so logging out (or a
changed password or role) ends the session even in a copy of the cookie taken before.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from starlette.datastructures import FormData
from starlette.requests import Request

from events_store.bootstrap import Ledger
from events_store.web_sessions import SESSIONS_TABLE, WebSessions
from ledger.access import AccessRole, Actor
from ledger.accounts import Account
from ledger.errors import InvalidValue, StoreError
from ledger.i18n import _
from ledger.passwords import verify_password
from projections.views import ReadSide
from web.common import CURRENT, PageError

OPEN_PATHS = ("/masuk", "/static/", "/sehat")
SESSION_LIFETIME = timedelta(hours=8)  # a working day: then log in again, whatever was done meanwhile


# --- the limit on failed logins -------------------------------------------------------------

@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins a window allows: per name low (a guessed password), per address
    higher (an office behind one NAT address shares it)."""

    per_name: int = 5
    per_address: int = 30
    window_seconds: float = 300.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> LoginLimits:
        return cls(per_name=positive(environ, "RENJA_LOGIN_MAX_PER_NAME", cls.per_name),
                   per_address=positive(environ, "RENJA_LOGIN_MAX_PER_ADDRESS", cls.per_address),
                   window_seconds=positive(environ, "RENJA_LOGIN_WINDOW_SECONDS", int(cls.window_seconds)))


def positive(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidValue(f"${name}", raw, _("a whole number of at least 1"))
    return int(raw)


@dataclass(frozen=True)
class LoginAttempt:
    """Whom a login names and where it comes from: the two keys the limits count on."""

    name: str
    address: str

    @classmethod
    def of(cls, name: str, address: str) -> LoginAttempt:
        return cls(f"name:{name.strip().casefold()}", f"address:{address}")  # name variants are one name

    @property
    def keys(self) -> tuple[str, str]:
        return self.name, self.address


@dataclass
class LoginLimiter:
    """Counts failed logins per name and per address; a success clears both counts.

    An attempt is let through before its (slow) password check only if the failures in the
    window *plus the attempts still being checked* stay under each limit: N guesses sent at
    once cannot all pass the check before the first of them has failed."""

    limits: LoginLimits = field(default_factory=LoginLimits)
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    in_flight: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, attempt: LoginAttempt) -> bool:
        """Let an attempt through (and count it in flight), or False when a key is at its limit."""
        now = time.monotonic()
        with self.lock:
            self._forget_quiet(now)
            if self._full(attempt.name, self.limits.per_name, now) or self._full(attempt.address, self.limits.per_address, now):
                return False
            self.in_flight.update(attempt.keys)
            return True

    def finish(self, attempt: LoginAttempt, *, succeeded: bool) -> None:
        """Every started attempt ends here: a failure counts on both keys, a success clears them."""
        now = time.monotonic()
        with self.lock:
            self.in_flight.subtract(attempt.keys)
            for key in attempt.keys:
                if self.in_flight[key] <= 0:
                    del self.in_flight[key]
                if succeeded:
                    self.failures.pop(key, None)
                else:
                    self.failures[key].append(now)

    def _full(self, key: str, limit: int, now: float) -> bool:
        recent = self.failures.get(key)
        while recent and now - recent[0] > self.limits.window_seconds:
            recent.popleft()
        return len(recent or ()) + self.in_flight[key] >= limit

    def _forget_quiet(self, now: float) -> None:
        # Names tried once and never again cannot pile up in memory forever.
        quiet = [key for key, recent in self.failures.items() if not recent or now - recent[-1] > self.limits.window_seconds]
        for key in quiet:
            del self.failures[key]


# --- accounts ---------------------------------------------------------------------------------

def has_accounts(read: ReadSide) -> bool:
    return bool(read.accounts())


def authenticate(read: ReadSide, name: str, password: str) -> Account | None:
    found = read.account(name)  # an unknown name is answered as a wrong password, in the same time
    if found is not None and verify_password(found.password_hash, password):
        # A disabled account is refused as a wrong password is: nothing tells a guesser it exists.
        return None if found.role is AccessRole.NONAKTIF else found
    verify_password("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + "A" * 43, password)  # same time for an unknown name
    return None


# --- sessions ---------------------------------------------------------------------------------

def open_sessions(ledger: Ledger) -> WebSessions:
    """The server's session records on the ledger's database, their table created if missing.
    Only the schema owner creates it (as the ledger's other tables); a web role that does not own
    the schema finds it there, or is told to have it created."""
    sessions = WebSessions(ledger.engine)
    if not sessions.exists():
        if ledger.check_reachable() is False:
            raise StoreError(_("the table {table} of the web sessions does not exist, and this database role does not "
                               "own the ledger's tables: start `renja serve` once as the schema owner "
                               "(docs/postgresql-roles.md)").format(table=SESSIONS_TABLE))
        sessions.create()
    return sessions


def log_in(sessions: WebSessions, request: Request, found: Account) -> None:
    """Open a session of the account for this browser, with a fresh CSRF token."""
    previous = request.session.get("sid")
    if previous:
        sessions.end(str(previous))  # this browser's earlier session is over, whoever it was
    sessions.end_account(found.name, before_version=found.version)  # sessions of a password or role since changed
    sessions.prune()
    session_id = sessions.open(found.name, found.version, SESSION_LIFETIME)
    request.session.clear()
    request.session.update({"sid": session_id, "csrf": secrets.token_urlsafe(32)})


def log_out(sessions: WebSessions, request: Request) -> None:
    session_id = request.session.get("sid")
    if session_id:
        sessions.end(str(session_id))
    request.session.clear()


def session_actor(read: ReadSide, sessions: WebSessions, request: Request) -> Actor | None:
    """The logged-in user as the account is now, or None when the session does not hold: unknown,
    ended (logged out), expired, or opened before the account's last event (a changed password or
    role), whose sessions then all end."""
    session_id = request.session.get("sid")
    live = sessions.live(str(session_id)) if session_id else None
    if live is None:
        return None
    found = read.account(live.account)
    if found is None or found.version != live.account_version:
        sessions.end_account(live.account, before_version=found.version if found else None)
        return None
    return found.actor


# --- forms ------------------------------------------------------------------------------------

def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))


async def signed_form(request: Request, opd: str) -> tuple[FormData, Actor]:
    """A posted form that records as the logged-in user: its form token checked, its user known
    (a visitor with no account records nothing)."""
    data = await request.form()
    if not csrf_valid(request, str(data.get("csrf", ""))):
        raise PageError(403, _("The form has expired; open the page again."))
    actor = CURRENT.get().actor
    if actor is None:
        raise PageError(403, _("{who} may not record this for {opd}.").format(who=_("nobody"), opd=opd))
    return data, actor
