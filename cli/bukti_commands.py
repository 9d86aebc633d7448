"""`renja bukti`: the evidence files the ledger's events name (ledger.bukti): list them, and get
one back by its hash, its content checked against it.

Files are given to the steps that carry them with `--berkas PATH` (`renja usul <verb>`, `renja
usul decide`, `renja temuan answer`, `renja temuan act`); `renja verify` checks every one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from cli.render import Format, emit
from cli.safe import echo
from ledger.errors import LedgerError
from ledger.i18n import N_, _

bukti = typer.Typer(help=N_("Evidence files (bukti): the files the ledger's steps carry (an SK, a DPPA, minutes), kept by "
                            "their SHA-256: list them, or get one back."), no_args_is_help=True)

FormatOpt = Annotated[Format, typer.Option("--format", help=N_("table, json, csv, xlsx or pdf."))]
ListOutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=N_("Write to this file."))]


@bukti.command("list")
def list_files(ctx: typer.Context, fmt: FormatOpt = Format.TABLE, output: ListOutputOpt = None) -> None:
    """Every file the ledger's events name: its hash, name, size and type, and the step that names it
    (of the plan --opd/--tahun name, when given)."""
    ctx_settings = settings(ctx)
    emit(ctx_settings.read.evidence_list(ctx_settings.opd, ctx_settings.tahun), fmt, output)


@bukti.command("get")
def get(ctx: typer.Context,
        sha256: Annotated[str, typer.Argument(help=N_("The file's SHA-256 (or its first 8 or more digits), as `renja "
                                                      "bukti list` shows it."), metavar="SHA256")],
        output: Annotated[Path, typer.Option("--output", "-o", help=N_("Write the file here."))]) -> None:
    """Write a file an event names, exactly as it was stored: refused when the store no longer holds
    it, or holds another content under its hash."""
    ctx_settings = settings(ctx)
    berkas, content = ctx_settings.read.evidence(sha256, ctx_settings.opd, ctx_settings.tahun)
    try:
        output.write_bytes(content)
    except OSError as error:
        raise LedgerError(_("cannot write {path}: {error}").format(path=output, error=error.strerror or error)) from None
    echo(_("wrote {path}: {name} ({size} bytes, {type}), its content the one its SHA-256 {hash}... names").format(
        path=output, name=berkas.nama, size=berkas.ukuran, type=berkas.jenis, hash=berkas.short))


def register(app: typer.Typer) -> None:
    app.add_typer(bukti, name="bukti")
