"""Logging in to the web application: accounts (kept in the ledger), signed session cookies,
a CSRF token on every form, and a limit on failed logins.

A ledger that holds no account has one local user (as on the command line), so its pages
are open and `renja serve` listens on 127.0.0.1 only by default. Once the ledger has
accounts, every page but the login page asks for one.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from eventsourcing.application import AggregateNotFoundError
from starlette.requests import Request

from events_store.bootstrap import Ledger
from ledger.access import Actor
from ledger.accounts import Account, account_id
from ledger.passwords import verify_password
from projections.accounts import accounts

OPEN_PATHS = ("/masuk", "/static/", "/sehat")
MAX_FAILURES = 5
WINDOW_SECONDS = 300.0


@dataclass
class LoginLimiter:
    """At most MAX_FAILURES login attempts that did not succeed, per name and per address, in
    WINDOW_SECONDS. An attempt counts when it starts (under a lock), and a success forgives it."""

    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempt(self, *keys: str) -> bool:
        """Record an attempt; False (and nothing recorded) when a key is over its limit."""
        now = time.monotonic()
        with self.lock:
            for key in [k for k, recent in self.failures.items() if recent and now - recent[-1] > WINDOW_SECONDS]:
                del self.failures[key]  # forget the quiet ones: names tried once cannot pile up forever
            for key in keys:
                recent = self.failures[key]
                while recent and now - recent[0] > WINDOW_SECONDS:
                    recent.popleft()
                if len(recent) >= MAX_FAILURES:
                    return False
            for key in keys:
                self.failures[key].append(now)
            return True

    def succeeded(self, key: str) -> None:
        with self.lock:
            self.failures.pop(key, None)


def has_accounts(ledger: Ledger) -> bool:
    return bool(accounts(ledger.index))


def account(ledger: Ledger, name: str) -> Account | None:
    try:
        found = ledger.app.repository.get(account_id(name)) if name.strip() else None
    except AggregateNotFoundError:
        return None
    return found if isinstance(found, Account) else None


def authenticate(ledger: Ledger, name: str, password: str) -> Account | None:
    found = account(ledger, name)  # an unknown name is answered as a wrong password, in the same time
    if found is not None and verify_password(found.password_hash, password):
        return found
    verify_password("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + "A" * 43, password)  # same time for an unknown name
    return None


def session_actor(ledger: Ledger, request: Request) -> Actor | None:
    """The logged-in user as the account is now, or None when the session no longer holds:
    a changed password or role (any new event of the account) ends every session opened before."""
    name, version = request.session.get("user"), request.session.get("account_version")
    found = account(ledger, str(name)) if name else None
    if found is None or found.version != version:
        return None
    return found.actor


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))
