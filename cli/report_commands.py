"""`renja report KIND` and `renja projections rebuild`."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.context import settings
from cli.options import AsOfOpt, CsvSepOpt, FormatOpt, KnownAtOpt, OutputOpt, PaperOpt
from cli.render import Format, Paper, emit
from cli.safe import echo
from ledger.i18n import N_, _
from projections.reports import REPORTS, ReportKind

KindArg = Annotated[ReportKind, typer.Argument(
    help="; ".join(f"{definition.kind.value}: {definition.title}" for definition in REPORTS.values()))]


def report(
    ctx: typer.Context,
    kind: KindArg,
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    paper: PaperOpt = Paper.A4,
    csv_sep: CsvSepOpt = ",",
    with_proposals: Annotated[bool, typer.Option("--dengan-usulan", help=N_(
        "What-if: the plan with the changes of its open proposals, as if decided now (marked as such)."))] = False,
) -> None:
    """Rebuild an official table from the events, as it stood at any point in time."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    emit(ctx_settings.read.report(kind, opd, tahun, as_of=as_of, known_at=known_at, with_proposals=with_proposals),
         fmt, output, paper=paper, csv_separator=csv_sep)


projections_app = typer.Typer(help="Read models: rebuild them from the events.", no_args_is_help=True)


@projections_app.command("rebuild")
def rebuild(ctx: typer.Context) -> None:
    """Drop the read models and rebuild them from the events, with a progress bar."""
    processed = settings(ctx).read.rebuild(progress=True)
    echo(_("rebuilt the current-state read model from the {count} events of the budget lines").format(count=processed))


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.add_typer(projections_app, name="projections")
