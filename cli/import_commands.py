"""`renja import`: a document folder, or one table described by options."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cli.context import settings
from ledger.application.commands import ImportDocument
from ledger.application.importing.importer import ImportSummary
from ledger.application.importing.manifest import load_manifest
from ledger.application.importing.spec import DocumentSpec, TableSpec
from ledger.basis import Stage
from ledger.document import DocumentKind
from ledger.errors import ImportFailed
from ledger.i18n import _

console = Console()


def spec_for(path: Path, *, kind: str | None, judul: str | None, tanggal: str | None, opd: str | None,
             tahun: int | None, penandatangan: str | None, stage: Stage, table: str, nomor: str) -> DocumentSpec:
    """A folder with document.toml, or one CSV/XLSX file described by options."""
    if path.is_dir():
        spec = load_manifest(path)
        # --opd/--tahun name a plan; a folder names its own in document.toml. They must agree.
        for option, given, stated in (("--opd", opd, spec.opd), ("--tahun", tahun, spec.tahun)):
            if given is not None and given != stated:
                raise ImportFailed(str(path / "document.toml"), None, option.lstrip("-"),
                                   f"the document is for {stated!r}, but {option} {given!r} was given")
        return spec
    if not path.exists():
        raise ImportFailed(str(path), None, None, "no such file or folder")
    missing = [name for name, value in (("--kind", kind), ("--tanggal", tanggal), ("--opd", opd), ("--tahun", tahun))
               if not value]
    if missing:
        raise ImportFailed(str(path), None, None, f"a single table file needs {', '.join(missing)} (or a folder with document.toml)")
    try:
        signed = date.fromisoformat(str(tanggal))
    except ValueError:
        raise ImportFailed(str(path), None, "--tanggal", f"{tanggal!r} is not a date YYYY-MM-DD") from None
    try:
        document_kind = DocumentKind(str(kind))
    except ValueError:
        raise ImportFailed(str(path), None, "--kind", f"expected one of {', '.join(k.value for k in DocumentKind)}") from None
    assert opd is not None and tahun is not None
    return DocumentSpec(kind=document_kind, judul=judul or path.stem, tanggal=signed, opd=opd, tahun=tahun,
                        penandatangan=penandatangan, nomor=nomor,
                        tables=(TableSpec(id=table, path=path, layout="budget", stage=stage),))


def print_summary(summary: ImportSummary) -> None:
    console.print(f"[bold]{escape(summary.document)}[/]: " + escape(_(
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
) -> None:
    """Import a document's tables as events (all or nothing; a document is imported once)."""
    ctx_settings = settings(ctx)
    spec = spec_for(path, kind=kind, judul=judul, tanggal=tanggal, opd=ctx_settings.opd, tahun=ctx_settings.tahun,
                    penandatangan=penandatangan, stage=stage, table=table, nomor=nomor)
    print_summary(ImportSummary.of(ctx_settings.app.handle(ImportDocument(spec=spec))))


def register(app: typer.Typer) -> None:
    app.command("import")(import_document)
