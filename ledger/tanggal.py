"""Dates and instants as a person reads and types them, in the active language.

Shown: ``1 Agustus 2024`` (``1 August 2024`` in English), and an instant in the office's time
zone with the zone named, ``7 Desember 2026 12.15 WITA``. Typed: ``2024-12-31``, ``31/12/2024``
or ``31-12-2024``, day first as Indonesians write it. JSON, CSV and the stored events keep ISO
dates and UTC instants: these are the words for people only.

The office's zone is the one fact an instant needs: the zone of the plan being read (its
documents state it: ``zona_waktu`` in document.toml; set for a command or a web request, each in
a context of its own, with ``set_zone``), else ``$RENJA_ZONA_WAKTU`` (WIB, WITA or WIT), else WIB. The zone is always
printed, so a reader never has to guess which one was used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ledger.errors import LedgerError
from ledger.i18n import N_, _, active_language
from ledger.periode import MONTHS

# The month names of each language, as data: Indonesian ones are those the official forms print.
MONTH_NAMES = {"id": tuple(MONTHS),
               "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December")}

# Indonesia's three zones, by the name Indonesians give them.
ZONES = {"WIB": ZoneInfo("Asia/Jakarta"), "WITA": ZoneInfo("Asia/Makassar"), "WIT": ZoneInfo("Asia/Jayapura")}
DEFAULT_ZONE = "WIB"

DATE_FORMS = N_("YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY, e.g. 31/12/2024")
_DAY_FIRST = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")


def tanggal(day: date) -> str:
    """``1 Agustus 2024`` (``1 August 2024``)."""
    return f"{day.day} {MONTH_NAMES[active_language()][day.month - 1]} {day.year}"


# The zone of the plan being read, for the time of one web request or one command (None: none known).
_PLAN_ZONE: ContextVar[str | None] = ContextVar("plan_zone", default=None)


def check_zone(name: str) -> str:
    """A zone as a document or a setting names it (WIB, WITA, WIT; any case), or refused."""
    chosen = name.strip().upper()
    if chosen not in ZONES:
        raise LedgerError(_("{zone!r} is not a time zone of Indonesia: expected one of {zones}").format(
            zone=name, zones=", ".join(ZONES)))
    return chosen


def set_zone(name: str | None) -> None:
    """The plan's zone for the rest of this command (the CLI runs one command per process) or
    of this web request (each runs in a context of its own)."""
    _PLAN_ZONE.set(name)


def zone_name(environ: Mapping[str, str] | None = None) -> str:
    """The office's zone: the plan's, else ``$RENJA_ZONA_WAKTU``, else WIB; an unknown name is refused,
    not guessed."""
    if (plan_zone := _PLAN_ZONE.get()) is not None:
        return plan_zone
    chosen = (os.environ if environ is None else environ).get("RENJA_ZONA_WAKTU", "").strip() or DEFAULT_ZONE
    try:
        return check_zone(chosen)
    except LedgerError:
        raise LedgerError(_("RENJA_ZONA_WAKTU={zone}: expected one of {zones}").format(
            zone=chosen.upper(), zones=", ".join(ZONES))) from None


def waktu(moment: datetime, zone: str | None = None) -> str:
    """``7 Desember 2026 12.15 WITA`` (``7 December 2026 12:15 WITA``): to the minute, in the office's zone."""
    name = zone or zone_name()
    local = moment.astimezone(ZONES[name])
    clock = f"{local:%H.%M}" if active_language() == "id" else f"{local:%H:%M}"
    return f"{tanggal(local.date())} {clock} {name}"


def office_date(moment: datetime) -> date:
    """The date an instant falls on in the office's zone: at 03.00 WITA Mangkutana is already on
    the next day while UTC (and a server kept on it) is still on the day before."""
    return moment.astimezone(ZONES[zone_name()]).date()


def parse_tanggal(text: str) -> date:
    """A typed date: ISO, or day first with slashes or dashes. ``ValueError`` names the accepted forms."""
    raw = text.strip()
    day_first = _DAY_FIRST.fullmatch(raw)
    try:
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            return date(year, month, day)
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("{value!r} is not a date; expected {forms}").format(value=text, forms=_(DATE_FORMS))) from None
