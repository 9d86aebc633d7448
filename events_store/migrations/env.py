"""Alembic's environment: always run on a connection handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from events_store.schema import VERSION_TABLE

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the project never runs Alembic offline
    raise SystemExit("renja's migrations run through `renja db upgrade`, on a live connection")
context.configure(connection=connection, version_table=VERSION_TABLE, transaction_per_migration=False)
with context.begin_transaction():  # the caller's transaction is open: this adds none of its own
    context.run_migrations()
