"""The Alembic migrations of the ledger's schema (docs/operations.md, "Schema versions").

``env.py`` runs on the connection it is handed (``upgrade``), inside the caller's transaction:
one transaction on PostgreSQL, and on SQLite one that holds the write lock, after a copy of the
file (``events_store.upgrade``). Only `renja db upgrade` imports this package: opening a ledger
does not load Alembic (``events_store.schema`` holds the revisions as constants).

A new revision: ``.venv/bin/alembic -c events_store/migrations/alembic.ini revision -m "what"``,
then its statements for both dialects, its id in ``events_store.schema.REVISIONS``, and the same
change in the code that creates a new ledger (tests/integration/test_schema_versions.py compares
a new ledger's schema with one built by the migrations).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

HERE = Path(__file__).resolve().parent


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def revisions() -> list[str]:
    """The revisions on disk, oldest first."""
    scripts = ScriptDirectory.from_config(config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def heads() -> list[str]:
    return list(ScriptDirectory.from_config(config()).get_heads())


def upgrade(connection: Connection, target: str = "head") -> None:
    """Run every pending revision on this connection, in its transaction (the caller commits)."""
    command.upgrade(config(connection), target)
