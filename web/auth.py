"""Logging in to the web application: accounts (kept in the ledger), signed session cookies,
a CSRF token on every form, and a limit on failed logins.

A ledger that holds no account has one local user (as on the command line), so its pages
are open and `renja serve` listens on 127.0.0.1 only by default. Once the ledger has
accounts, every page but the login page asks for one.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

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
    """At most MAX_FAILURES failed logins per name and per address in WINDOW_SECONDS."""

    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        for key in keys:
            recent = self.failures[key]
            while recent and now - recent[0] > WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= MAX_FAILURES:
                return True
        return False

    def failed(self, *keys: str) -> None:
        for key in keys:
            self.failures[key].append(time.monotonic())


def has_accounts(ledger: Ledger) -> bool:
    return bool(accounts(ledger.index))


def authenticate(ledger: Ledger, name: str, password: str) -> Actor | None:
    found = ledger.app.repository.get(account_id(name)) if name else None
    if isinstance(found, Account) and verify_password(found.password_hash, password):
        return found.actor
    verify_password("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + "A" * 43, password)  # same time for an unknown name
    return None


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))
