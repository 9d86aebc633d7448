"""SQLAlchemy engines on the ledger database, for the read side (the time index, the read models)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event

from events_store.config import StoreConfig


def engine_for(store: StoreConfig) -> Engine:
    if store.is_postgres:
        # The read side only reads, one statement at a time: in autocommit no BEGIN goes with a
        # query and no ROLLBACK with a connection's return to the pool, so a lookup is one
        # round trip (measured: pagu --as-of p50 1.68 -> 1.35 ms without the reset alone).
        return create_engine(store.sqlalchemy_url(), future=True, isolation_level="AUTOCOMMIT",
                             pool_reset_on_return=None)
    engine = create_engine(store.sqlalchemy_url(), future=True)
    if not store.is_postgres:
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.close()
    return engine
