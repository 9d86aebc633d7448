"""Shared option types."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer

from ledger.errors import InvalidValue

EffectiveOpt = Annotated[str, typer.Option("--effective", help="Date the decision took force (YYYY-MM-DD).")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why: the legal basis or decision, in words.")]
DocumentOpt = Annotated[str | None, typer.Option("--document", help="Reference of the document that decided it (nomor / judul).")]


def parse_date(text: str, option: str = "--effective") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"date for {option}", text, "a date as YYYY-MM-DD, e.g. 2024-08-01") from None


def parse_instant(text: str | None, option: str = "--known-at") -> datetime:
    """A system-time instant; a bare date means the end of that day (UTC)."""
    if text is None:
        return datetime.now(UTC)
    raw = text.strip()
    try:
        if len(raw) == 10:
            moment = datetime.fromisoformat(raw).replace(hour=23, minute=59, second=59, microsecond=999999)
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue(f"instant for {option}", text, "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[+zone]") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
