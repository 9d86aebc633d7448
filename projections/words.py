"""Dates and instants in Indonesian words, as the forms print them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ledger.periode import MONTHS  # the printed forms' month names (Indonesian in every language)


def tanggal(day: date) -> str:
    """``3 Januari 2024``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def waktu(moment: datetime) -> str:
    """``30 November 2026 pukul 05.12 UTC``: system time, to the minute."""
    moment = moment.astimezone(UTC)
    return f"{tanggal(moment.date())} pukul {moment:%H.%M} UTC"
