"""Dates and instants on the official forms: in Indonesian words whatever the reader's language
(the forms are Indonesian documents), by the one rule of ``ledger.tanggal``."""

from __future__ import annotations

from datetime import date, datetime

from ledger import tanggal as words
from ledger.i18n import using_language


def tanggal(day: date) -> str:
    """``3 Januari 2024``."""
    with using_language("id"):
        return words.tanggal(day)


def waktu(moment: datetime) -> str:
    """``30 November 2026 05.12 WIB``: system time, to the minute, in the office's zone."""
    with using_language("id"):
        return words.waktu(moment)
