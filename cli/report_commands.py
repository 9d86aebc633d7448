"""`renja report KIND` and `renja projections rebuild`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from cli.options import parse_date, parse_instant
from cli.render import Format, emit
from ledger.errors import LedgerError
from projections.reports import KINDS, build_report
from projections.views import plan_view_for

AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Valid time: the plan as in force on this date (YYYY-MM-DD). Default: today.")]
KnownAtOpt = Annotated[str | None, typer.Option("--known-at", help="System time: what the ledger knew at this instant. Default: now.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="table, csv, json or xlsx.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of the terminal.")]


def report(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="renja | perubahan | rencana-aksi | tabel-2-3")],
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
) -> None:
    """Rebuild an official table from the events, as it stood at any point in time."""
    if kind not in KINDS:
        raise typer.BadParameter(f"{kind!r}; expected one of {', '.join(KINDS)}", param_hint="KIND")
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    view = plan_view_for(ctx_settings, opd, tahun, as_of=parse_date(as_of, "--as-of") if as_of else None,
                         known_at=parse_instant(known_at) if known_at else None)
    if not view.lines:
        raise LedgerError(f"the ledger knew no line of {opd} {tahun} at that point in time")
    emit(build_report(kind, view), fmt, output)


projections_app = typer.Typer(help="Read models: rebuild them from the events.", no_args_is_help=True)


@projections_app.command("rebuild")
def rebuild(ctx: typer.Context) -> None:
    """Drop the read models and rebuild them from the events, with a progress bar."""
    from projections.current import CurrentStateProjection

    ctx_settings = settings(ctx)
    processed = CurrentStateProjection(ctx_settings.app, ctx_settings.engine).rebuild(progress=True)
    typer.echo(f"rebuilt the current-state read model from {processed} events")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.add_typer(projections_app, name="projections")
