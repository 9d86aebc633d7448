"""`renja serve`: start the web application on the same ledger.

The CLI and the web application never import each other: this verb hands uvicorn the web
application's factory by its import path, in its own process.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from cli.context import settings
from cli.safe import echo
from ledger.i18n import _
from projections.system import open_system

WEB_FACTORY = "web.app:create_app"


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Default 127.0.0.1: this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    read_url: Annotated[str | None, typer.Option("--read-url", envvar="RENJA_READ_DB", help=(
        "A hot standby of the PostgreSQL ledger (streaming replication) to read pages from; forms still write to "
        "--db. Every page says how far the standby is behind (docs/operations.md)."))] = None,
) -> None:
    """Start the web application (Indonesian) on this ledger: plans, forms at any date, histories, findings."""
    import uvicorn

    ctx_settings = settings(ctx)
    ctx_settings.ledger.check_reachable()  # a missing ledger or an unreachable server is said here, not in a page
    store = ctx_settings.store
    # The web process opens the same ledger: its URL travels in the environment, never on a command line.
    if read_url:  # a wrong or unreachable standby is said here, before anything is set for the web process
        open_system(store, read_db=read_url).replica_lag()
    os.environ["RENJA_DB"] = store.url.render_as_string(hide_password=False) if store.is_postgres else str(store.sqlite_path)
    if read_url:
        os.environ["RENJA_READ_DB"] = read_url
    echo(_("renja-ledger web application at http://{host}:{port}/ (Ctrl+C to stop)").format(host=host, port=port))
    uvicorn.run(WEB_FACTORY, factory=True, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
