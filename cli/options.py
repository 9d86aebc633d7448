"""Shared option types: one parser, one error path and exit code 2 for every bad date or instant."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.render import Format, Paper


def date_value(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2024-08-01") from None


def instant_value(text: str) -> datetime:
    """A system-time instant; a bare date means the end of that day (UTC)."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            moment = datetime.fromisoformat(raw).replace(hour=23, minute=59, second=59, microsecond=999999)
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an instant; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[+zone]") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


AsOfOpt = Annotated[date | None, typer.Option("--as-of", parser=date_value, metavar="YYYY-MM-DD",
                                              help="Valid time: the plan as in force on this date. Default: today.")]
KnownAtOpt = Annotated[datetime | None, typer.Option("--known-at", parser=instant_value, metavar="INSTANT",
                                                     help="System time: what the ledger knew at this instant. Default: now.")]
FromOpt = Annotated[date, typer.Option("--from", parser=date_value, metavar="YYYY-MM-DD", help="Valid-time date before.")]
ToOpt = Annotated[date, typer.Option("--to", parser=date_value, metavar="YYYY-MM-DD", help="Valid-time date after.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why: the legal basis or decision, in words.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="table, csv, json, xlsx or pdf (xlsx and pdf need --output).")]
PaperOpt = Annotated[Paper, typer.Option("--paper", help="Paper of the xlsx/pdf form: a4 or f4 (folio 215 x 330 mm).")]
CsvSepOpt = Annotated[str, typer.Option("--csv-sep", help="CSV field separator: ',' or ';' (spreadsheets set to Indonesian).")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of the terminal.")]
