"""What the pages of the web application share: who is visiting, and bad input shown as a page."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import singledispatch
from urllib.parse import quote

from ledger.access import Actor
from ledger.i18n import _
from ledger.tanggal import ZONES, parse_tanggal, tanggal, waktu, zone_name
from projections.system import System


@dataclass(frozen=True)
class Visitor:
    """Who a request acts as (the logged-in account, or the ledger's local user when it has no
    accounts), whether they logged in, and the CSRF token of the forms on the page."""

    actor: Actor | None
    logged_in: bool
    token: str | None


NOBODY = Visitor(None, False, None)
CURRENT: ContextVar[Visitor] = ContextVar("renja_current", default=NOBODY)


def channel_of(ledger: System) -> str:
    """How what the web records reached the ledger: the server's own identity (``web (role)``),
    beside the logged-in user who records it (docs: README, "Who records")."""
    return f"web ({ledger.app.user})"


class PageError(Exception):
    """Bad input a user can give in the address bar: shown as a page, never a traceback."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def attachment(filename: str) -> str:
    """A download's Content-Disposition: an ASCII name (an OPD name may hold any character) and the
    exact name for browsers that read RFC 5987."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


@singledispatch
def in_words(value: object) -> object:
    """The templates' ``tanggal`` filter: a date (``1 Agustus 2024``) or an instant (``7 Desember 2026
    12.15 WITA``) in the visitor's language; any other value as it is."""
    return value


@in_words.register
def _date_in_words(value: date) -> str:
    return tanggal(value)


@in_words.register
def _instant_in_words(value: datetime) -> str:
    return waktu(value)


def parse_date(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return parse_tanggal(text)  # the same forms as the CLI's date options
    except ValueError as error:
        raise PageError(400, f"{field}: {error}") from None


def parse_instant(text: str | None, field: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PageError(400, _("{field}: {value!r} is not a date and time (YYYY-MM-DDTHH:MM)").format(
            field=field, value=text)) from None
    # A time typed without a zone is the office's: the plan's zone on a plan's page (WITA for
    # Mangkutana), as the page then prints it, not the server's.
    return moment if moment.tzinfo else moment.replace(tzinfo=ZONES[zone_name()])


