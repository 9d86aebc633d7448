"""`renja import`: a document folder, or one table described by options; with ``--preview`` what it
would record and which figures in force it would replace, nothing written."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.context import Settings, settings
from cli.options import DocumentFilesOpt, read_files
from cli.safe import echo, markup_safe
from cli.write_commands import PreviewOpt, show_preview
from ledger.application.commands import ImportDocument
from ledger.application.importing import starter
from ledger.application.importing.importer import ImportSummary
from ledger.application.importing.manifest import document_spec
from ledger.basis import Stage
from ledger.document import DocumentKind
from ledger.i18n import _
from ledger.money import format_rupiah
from projections.preview import PreviewReport

console = Console()


def print_summary(summary: ImportSummary) -> None:
    console.print(f"[bold]{markup_safe(summary.document)}[/]: " + markup_safe(_(
        "{rows} rows from {tables} tables, {lines} lines opened, {kodes} kodes recorded, {events} events").format(
        rows=summary.rows, tables=len(summary.tables), lines=summary.lines_opened, kodes=summary.kodes_recorded,
        events=summary.events)) + (markup_safe(_(", {count} evidence files kept").format(count=summary.files))
                                   if summary.files else ""))


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
    berkas: DocumentFilesOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """Import a document's tables as events (all or nothing; a document is imported once)."""
    ctx_settings = settings(ctx)
    spec = document_spec(path, kind=kind, judul=judul, tanggal=tanggal, opd=ctx_settings.opd, tahun=ctx_settings.tahun,
                    penandatangan=penandatangan, stage=stage, table=table, nomor=nomor, layout=layout,
                    kodefikasi=kodefikasi)
    if berkas:
        spec = replace(spec, lampiran=(*spec.lampiran, *read_files(berkas)))
    with no_file_left(ctx_settings, keep=not preview):
        if preview:
            show_import_preview(ctx_settings.read.preview(ImportDocument(spec=spec)).report)
            return
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


def show_import_preview(report: PreviewReport) -> None:
    """The preview every write verb shows, then the figures in force the document would replace."""
    show_preview(report)
    if not report.replaced:
        echo(_("It replaces no figure in force."))
        return
    echo(_("Figures in force it would replace ({count}):").format(count=len(report.replaced)))
    for line, figure in report.replaced:
        assert figure.before is not None  # a replaced figure was in force
        after = "-" if figure.after is None else format_rupiah(figure.after)
        echo(f"  {line.reference} {line.nama}: pagu {figure.stage.label} {format_rupiah(figure.before)} -> {after}")


@contextmanager
def no_file_left(ctx_settings: Settings, *, keep: bool) -> Iterator[None]:
    """A first import into a new SQLite file creates it: when the import is refused (or only
    previewed, ``keep`` False) the file and its journals are removed, so nothing is left behind."""
    path = ctx_settings.store.sqlite_path
    created = path is not None and not path.exists()
    try:
        yield
    except BaseException:
        if created and path is not None:
            remove_ledger_file(ctx_settings, path)
        raise
    if created and path is not None and not keep:
        remove_ledger_file(ctx_settings, path)


def remove_ledger_file(ctx_settings: Settings, path: Path) -> None:
    ctx_settings.app.close()
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        path.with_name(name).unlink(missing_ok=True)


StarterKind = StrEnum("StarterKind", {kind.name: kind.value for kind in starter.KINDS})  # type: ignore[misc]


def init_document(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The new folder (it must not exist, or be empty).")],
    kind: Annotated[StarterKind, typer.Option("--kind", help="The document kind.")],
) -> None:
    """Start a new office's document folder: a commented document.toml and its table with the required columns
    and one example row, which `renja import FOLDER` reads as it is (--opd and --tahun fill in its plan)."""
    ctx_settings = settings(ctx)
    opd = ctx_settings.opd or "Kecamatan Contoh"  # a placeholder, in the document's own words
    tahun = ctx_settings.tahun or date.today().year
    for path in starter.write_starter(folder, DocumentKind(kind.value), opd, tahun):
        echo(_("written: {path}").format(path=path))
    echo(_("Fill it in, then `renja import {folder} --preview` and `renja import {folder}`.").format(folder=folder))


def register(app: typer.Typer) -> None:
    app.command("import")(import_document)
    app.command("init-dokumen")(init_document)
