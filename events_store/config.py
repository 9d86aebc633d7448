"""Turn a database URL into the eventsourcing library's persistence settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from eventsourcing.utils import get_topic
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from events_store.mapper import PydanticMapper
from ledger.errors import StoreError

DEFAULT_DB = "renja.db"
ENV_VAR = "RENJA_DB"


@dataclass(frozen=True)
class StoreConfig:
    url: URL

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @property
    def display(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.is_postgres else Path(self.url.database or DEFAULT_DB)

    def sqlalchemy_url(self) -> URL:
        if self.is_postgres:
            return self.url.set(drivername="postgresql+psycopg")
        return self.url

    def eventsourcing_env(self) -> dict[str, str]:
        env = {"MAPPER_TOPIC": get_topic(PydanticMapper)}
        if self.is_postgres:
            from events_store.postgres_recorder import RenjaPostgresRecorder

            query = dict(self.url.query)
            host = str(query.get("host") or self.url.host or "localhost")
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                APPLICATION_RECORDER_TOPIC=get_topic(RenjaPostgresRecorder),
                POSTGRES_DBNAME=self.url.database or "",
                POSTGRES_HOST=host,
                POSTGRES_PORT=str(self.url.port or query.get("port") or 5432),
                POSTGRES_USER=self.url.username or os.environ.get("USER", "postgres"),
                POSTGRES_PASSWORD=self.url.password or "",
                POSTGRES_POOL_SIZE="2",
                POSTGRES_CONNECT_TIMEOUT="5",  # an unreachable server fails in seconds, not half a minute
                POSTGRES_LOCK_TIMEOUT="30",
            )
        else:
            from events_store.sqlite_recorder import RenjaSQLiteRecorder

            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                APPLICATION_RECORDER_TOPIC=get_topic(RenjaSQLiteRecorder),
                SQLITE_DBNAME=self.url.database or DEFAULT_DB,
                SQLITE_LOCK_TIMEOUT="30",
            )
        return env


def resolve(db: str | None) -> StoreConfig:
    """``--db`` beats ``RENJA_DB`` beats ``renja.db`` in the working directory.

    A plain path means a SQLite file; otherwise a SQLAlchemy-style URL
    (``sqlite:///path.db``, ``postgresql://user@host:5432/name``, or a Unix socket with
    ``postgresql://user@/name?host=/run/dir``).
    """
    text = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" not in text:
        return StoreConfig(make_url(f"sqlite:///{Path(text)}"))
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise StoreError(f"cannot read database URL {text!r}: {error}") from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"database URL {text!r}: expected sqlite:///FILE or postgresql://..., got {backend!r}")
    if backend == "sqlite" and (not url.database or url.database == ":memory:"):
        raise StoreError("a ledger needs a SQLite file, e.g. sqlite:///renja.db")
    return StoreConfig(url)
