"""`renja demo`: the Mangkutana 2024 ledger, imported in date order, with a short tour."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.context import settings
from cli.import_commands import print_summary
from cli.safe import markup_safe
from cli.tour import tour
from ledger.application.commands import ImportDocument
from ledger.application.importing.importer import ImportSummary
from ledger.application.importing.manifest import load_manifest
from ledger.errors import AlreadyRecorded, LedgerError
from ledger.i18n import _

console = Console()
DATASET = "mangkutana_2024"


def dataset_folders() -> list[Path]:
    root = Path(str(resources.files("ledger.datasets") / DATASET))
    specs = sorted((load_manifest(folder) for folder in root.iterdir() if (folder / "document.toml").is_file()),
                   key=lambda spec: spec.tanggal)
    return [spec.tables[0].path.parent for spec in specs]


def demo(
    ctx: typer.Context,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start from an empty ledger file (SQLite only).")] = False,
) -> None:
    """Load the Kecamatan Mangkutana 2024 documents and show what the ledger knows."""
    ctx_settings = settings(ctx)
    store = ctx_settings.store
    if fresh:
        if store.is_postgres:
            raise LedgerError("--fresh only removes a SQLite ledger file; use an empty PostgreSQL database instead")
        database = Path(store.url.database or "renja.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    app = ctx_settings.app
    console.print(f"[bold]renja demo[/] - ledger {markup_safe(store.display)}")
    for folder in dataset_folders():
        spec = load_manifest(folder)
        try:
            print_summary(ImportSummary.of(app.handle(ImportDocument(spec=spec))))
        except AlreadyRecorded:
            console.print(_("{document}: already in the ledger").format(document=markup_safe(spec.reference)))
    tour(ctx_settings)
    console.print(_("Web application: `renja serve`, then open http://127.0.0.1:8000/ in a browser."))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
