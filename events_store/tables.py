"""Names of the library's tables, which differ between the two backends."""

from __future__ import annotations

from sqlalchemy import Engine


def stored_events_id_column(engine: Engine) -> str:
    """The column that holds the notification id of the events table."""
    return "notification_id" if engine.dialect.name == "postgresql" else "rowid"


POSTGRES_EVENTS_TABLE = "renjaledger_events"  # the library names it after the application


def events_table(engine: Engine) -> str:
    """The library names its PostgreSQL table after the application; SQLite's is fixed."""
    return POSTGRES_EVENTS_TABLE if engine.dialect.name == "postgresql" else "stored_events"


def events_join(engine: Engine) -> str:
    """SQL joining the time index ``i`` to the stored events ``s``."""
    return f"JOIN {events_table(engine)} s ON s.{stored_events_id_column(engine)} = i.notification_id"
