"""The composition root: a database URL in, a wired ledger out.

The CLI (and the web entry point) open a ledger here and nowhere else: the application
gets the library settings for the chosen backend (recorders with the time index, the
pydantic mapper); the read side gets an engine and the time index on the same database.
Everything is created lazily, so a command that only parses its arguments touches no
database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, text

from events_store.config import StoreConfig, resolve
from events_store.engine import engine_for
from events_store.tables import POSTGRES_EVENTS_TABLE
from events_store.time_index import TimeIndex
from ledger.access import AccessRole, Actor
from ledger.accounts import Account, AccountOpened, account_id
from ledger.application import RenjaLedger
from ledger.application.app import default_user
from ledger.errors import StoreError
from ledger.i18n import _


class Ledger:
    def __init__(self, store: StoreConfig, *, user: str | None = None,
                 clock: Callable[[], datetime] | None = None, create: bool = True, read_only: bool = False) -> None:
        self.store = store
        self.user = user
        self.clock = clock
        self.create = create  # a read opens an existing ledger only: it never leaves an empty file behind
        self.read_only = read_only  # a hot standby: nothing may be created or written there

    @cached_property
    def app(self) -> RenjaLedger:
        owned = self.check_reachable()
        env = self.store.eventsourcing_env()
        if owned is False or self.read_only:
            env["CREATE_TABLE"] = "no"  # a writer or reader role, or a standby: the schema owner created the tables
        app = RenjaLedger(env, display=self.store.display, clock=self.clock,
                          actor=Actor.local(self.user or default_user()))
        if self.store.is_postgres:
            app.actor = self.postgres_actor(app)
            app.user = app.actor.name
        return app

    def postgres_actor(self, app: RenjaLedger) -> Actor:
        """On a shared PostgreSQL ledger who records is the connection's database role, not a
        name typed on the command line; its rights are its account's, once the ledger has accounts."""
        engine = engine_for(self.store)
        try:
            with engine.connect() as connection:
                role = str(connection.execute(text("SELECT session_user")).scalar())
            if self.user and self.user != role:
                raise StoreError(_("--user {user!r} is not accepted on PostgreSQL: what is recorded is the database "
                                   "role of the connection ({role})").format(user=self.user, role=role))
            accounts = TimeIndex(engine).events_of_types([AccountOpened.__name__])
        finally:
            engine.dispose()
        if not accounts:
            return Actor.local(role)  # no account yet: the ledger's first user sets them up
        account = app.repository.get(account_id(role)) if any(e.name == role for _, e in accounts
                                                               if isinstance(e, AccountOpened)) else None
        return account.actor if isinstance(account, Account) else Actor(role, AccessRole.TAMU)

    def check_reachable(self) -> bool | None:
        """Refuse a ledger that cannot be opened, with its cause. On PostgreSQL, whether the
        connection's role owns the schema (``probe_postgres``); None on SQLite."""
        path = self.store.sqlite_path
        if path is not None:
            if not self.create and not path.exists():
                raise StoreError(_("no ledger at {path}: run `renja demo` or `renja import` to make one, "
                                   "or give --db (or $RENJA_DB) for an existing ledger").format(path=path))
            check_sqlite_file(path)
            return None
        return probe_postgres(self.store)

    @cached_property
    def engine(self) -> Engine:
        self.app  # noqa: B018 - opening the application creates the tables the engine reads
        return engine_for(self.store)

    @cached_property
    def index(self) -> TimeIndex:
        return TimeIndex(self.engine)


SQLITE_MAGIC = b"SQLite format 3\x00"


def check_sqlite_file(path: Path) -> None:
    """An existing --db file must be a SQLite database (an empty file becomes one); anything else
    is refused before the library or SQLAlchemy try to open it."""
    try:
        if path.is_dir():
            raise StoreError(_("{path} is a folder, not a ledger file").format(path=path))
        if not path.exists() or path.stat().st_size == 0:
            return
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise StoreError(_("cannot read {path}: {error}").format(path=path, error=error.strerror or error)) from None
    if magic != SQLITE_MAGIC:
        raise StoreError(_("{path} is not a ledger: not an SQLite database file").format(path=path))


def probe_postgres(store: StoreConfig) -> bool | None:
    """One quick connection, so that an unreachable server is reported in seconds with its cause.
    On it, whether the connection's role owns the ledger's tables (None: there are none yet): only
    the owner creates and tunes them; writer and reader roles use them as granted
    (docs/postgresql-roles.md)."""
    import psycopg

    env = store.eventsourcing_env()
    try:
        with psycopg.connect(host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]), dbname=env["POSTGRES_DBNAME"],
                             user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
                             connect_timeout=int(env["POSTGRES_CONNECT_TIMEOUT"])) as connection:
            row = connection.execute(
                "SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename = %s", (POSTGRES_EVENTS_TABLE,)).fetchone()
    except psycopg.OperationalError as error:
        text = " ".join(str(error).split()) or type(error).__name__
        lowered = text.lower()
        cause = (_("refused") if "refused" in lowered else _("timed out") if "timeout" in lowered or "timed out" in lowered
                 else _("authentication failed") if "authentication" in lowered or "password" in lowered
                 else _("failed: the database does not exist") if "does not exist" in lowered else _("failed"))
        raise StoreError(_("cannot reach PostgreSQL at {host}:{port} (database {database!r}): connection {cause} "
                           "({detail})").format(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
                                                database=env["POSTGRES_DBNAME"], cause=cause, detail=text)) from None
    return None if row is None else bool(row[0])


def open_ledger(db: str | None = None, *, user: str | None = None,
                clock: Callable[[], datetime] | None = None, create: bool = True) -> Ledger:
    """``db``: a SQLite file or a ``postgresql://`` URL; default ``$RENJA_DB`` or ``./renja.db``.
    ``create=False`` for a read: a missing SQLite file is an error, not a new empty ledger."""
    return Ledger(resolve(db), user=user, clock=clock, create=create)


def open_standby(store: StoreConfig, *, user: str | None = None, clock: Callable[[], datetime] | None = None) -> Ledger:
    """A hot standby of a PostgreSQL ledger, to read from (``renja serve --read-url``): nothing
    is created or written there; it must be reachable."""
    from events_store.replica import check_standby

    standby = Ledger(store, user=user, clock=clock, create=False, read_only=True)
    try:
        standby.app  # noqa: B018 - reached and opened now, not in the first page
    except StoreError as error:
        raise StoreError(_("the read replica {replica}: {error}").format(replica=store.display, error=error)) from None
    check_standby(standby.engine, store.display)
    return standby
