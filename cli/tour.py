"""The demo's short tour of what the ledger now knows."""

from __future__ import annotations

from rich.console import Console
from sqlalchemy import text

from cli.context import Settings

console = Console()


def tour(ctx_settings: Settings) -> None:
    with ctx_settings.engine.connect() as connection:
        events = connection.execute(text("SELECT COUNT(*) FROM renja_event_index")).scalar_one()
        documents = connection.execute(
            text("SELECT COUNT(*) FROM renja_event_index WHERE event_type = 'DocumentRegistered'")).scalar_one()
        lines = connection.execute(text("SELECT COUNT(*) FROM renja_lines")).scalar_one()
    console.print(f"\n{documents} documents, {lines} budget lines, {events} events in the ledger")
