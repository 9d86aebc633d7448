"""`renja import`: a document folder, or one table described by options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.context import settings
from cli.safe import markup_safe
from ledger.application.commands import ImportDocument
from ledger.application.importing.importer import ImportSummary
from ledger.application.importing.manifest import document_spec
from ledger.basis import Stage
from ledger.i18n import _

console = Console()


def print_summary(summary: ImportSummary) -> None:
    console.print(f"[bold]{markup_safe(summary.document)}[/]: " + markup_safe(_(
        "{rows} rows from {tables} tables, {lines} lines opened, {kodes} kodes recorded, {events} events").format(
        rows=summary.rows, tables=len(summary.tables), lines=summary.lines_opened, kodes=summary.kodes_recorded,
        events=summary.events)))


def import_document(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A folder with document.toml and its table files, or one CSV/XLSX table.")],
    kind: Annotated[str | None, typer.Option("--kind", help="For a single file: the document kind (renja, renja_perubahan, rencana_aksi, rkpd, rka, rka_perubahan, dpa, dppa, pergeseran, ralat, ...).")] = None,
    judul: Annotated[str | None, typer.Option("--judul", help="For a single file: the document title.")] = None,
    tanggal: Annotated[str | None, typer.Option("--tanggal", help="For a single file: date signed (YYYY-MM-DD).")] = None,
    penandatangan: Annotated[str | None, typer.Option("--penandatangan", help="For a single file: who signed it (if printed).")] = None,
    stage: Annotated[Stage, typer.Option("--stage", help="For a single file: the stage of its figures.")] = Stage.MURNI,
    table: Annotated[str, typer.Option("--table", help="For a single file: the table's name.")] = "Tabel",
    nomor: Annotated[str, typer.Option("--nomor", help="For a single file: the document number.")] = "",
    layout: Annotated[str, typer.Option("--layout", help="For a single file: its columns (budget, rincian, realisasi, "
                                                         "sasaran, indikator_tahunan; docs/dataset-layout.md).")] = "budget",
    kodefikasi: Annotated[str | None, typer.Option("--kodefikasi", help="For a single file: the codes it prints, permendagri-13-2006 or permendagri-90-2019. Default: by --tahun (before 2020 the 13/2006 codes).")] = None,
) -> None:
    """Import a document's tables as events (all or nothing; a document is imported once)."""
    ctx_settings = settings(ctx)
    spec = document_spec(path, kind=kind, judul=judul, tanggal=tanggal, opd=ctx_settings.opd, tahun=ctx_settings.tahun,
                    penandatangan=penandatangan, stage=stage, table=table, nomor=nomor, layout=layout,
                    kodefikasi=kodefikasi)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(_("reading rows"), total=None)

        def progress(phase: str, done: int, total: int) -> None:
            if phase == "rows":
                bar.update(task, completed=done, total=total)
            else:  # the rows are read; the one transaction is written
                bar.update(task, description=_("writing, all or nothing"))

        events = ctx_settings.app.handle(ImportDocument(spec=spec), progress=progress)
    print_summary(ImportSummary.of(events))


def register(app: typer.Typer) -> None:
    app.command("import")(import_document)
