"""Shared option types: one parser, one error path and exit code 2 for every bad date or instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from cli.render import Format, Paper
from ledger.bukti import Lampiran
from ledger.i18n import N_, _
from ledger.tanggal import DATE_FORMS, parse_tanggal


def date_value(text: str) -> date:
    """A date option: 2024-12-31, 31/12/2024 or 31-12-2024 (click names the option in its error)."""
    try:
        return parse_tanggal(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def instant_value(text: str) -> datetime:
    """A system-time instant; a bare date (in any form a date option takes) means the end of that day (UTC)."""
    raw = text.strip()
    try:
        return datetime.combine(parse_tanggal(raw), time.max, tzinfo=UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(_("{value!r} is not an instant; expected a date ({forms}) or YYYY-MM-DDTHH:MM:SS[+zone]").format(
            value=text, forms=_(DATE_FORMS))) from None
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


# The evidence files of a step (`renja usul`, `renja temuan answer|act`) or of a document (`renja import`).
FilesOpt = Annotated[list[Path] | None, typer.Option("--berkas", help=N_(
    "An evidence file that goes with this step (PDF, JPEG, PNG or XLSX, at most 20 MB), kept by its SHA-256 and "
    "named in the event; repeat for more files."), metavar="PATH")]


DocumentFilesOpt = Annotated[list[Path] | None, typer.Option("--berkas", help=N_(
    "The document's scan (the signed PDF) or a file that goes with it (PDF, JPEG, PNG or XLSX, at most 20 MB), "
    "kept by its SHA-256 and named by the document's registration; repeat for more files. A folder may list "
    "them in document.toml as berkas."), metavar="PATH")]


def read_files(paths: list[Path] | None) -> tuple[Lampiran, ...]:
    """The files given with --berkas, each read and checked (type, size, name) before anything is recorded."""
    return tuple(Lampiran.read(path) for path in paths or ())
