"""Shared fixtures: a real SQLite file, and a real PostgreSQL database on the throwaway
server that `make test` starts (scripts/with-postgres.sh sets RENJA_TEST_PG_URL).

The suite reads messages in English (the message ids); tests/unit/test_i18n.py and the
e2e tests that ask for it check the Indonesian the users see by default."""

from __future__ import annotations

import functools
import os
from contextlib import contextmanager

os.environ["RENJA_LANG"] = "en"  # before ledger.i18n is imported: it reads the language once
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cli.app import app

# CliRunner.invoke has typer build the click command from every verb's signature each time (about
# 0.1 s: most of a quick command's time, and over half of the order-independence tests'). The app
# does not change during a run, so the command is built once. (`renja` itself builds it once per
# process, in cli.app.renja_command, which translates its help and so builds its own.)
typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]

pytest_plugins = ["tests.sipd_fixtures"]  # a throwaway MariaDB server for the SIPD sync tests
BACKENDS = ("sqlite", "postgres")
_templates: dict[str, str] = {}


def _admin_dsn() -> str:
    url = os.environ.get("RENJA_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("RENJA_TEST_PG_URL is not set: CI must run the PostgreSQL suites (use `make test`)")
        pytest.skip("no PostgreSQL server: run the suite with `make test`, which starts one")
    return url


def _psycopg_conninfo(url: str) -> dict[str, Any]:
    parsed = make_url(url)
    port = parsed.port or parsed.query.get("port") or 5432  # a socket URL names its port in the query
    return {"dbname": parsed.database, "user": parsed.username or "postgres",
            "host": parsed.query.get("host") or parsed.host, "port": int(str(port)), "autocommit": True}


def create_pg_database(template: str | None = None, admin: str | None = None) -> str:
    """A new database on the test server (or on the server of ``admin``, a URL of its admin database)."""
    import psycopg

    admin = admin or _admin_dsn()
    name = f"renja_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**_psycopg_conninfo(admin)) as connection:
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    import psycopg

    name = make_url(url).database
    admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)  # its own server
    with psycopg.connect(**_psycopg_conninfo(admin)) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty ledger on the backend."""
    if backend == "sqlite":
        yield str(tmp_path / "renja.db")
        return
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def invoke(url: str, *args: str) -> Any:
    result = CliRunner().invoke(app, ["--db", url, *args])
    return result


def _demo_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend not in _templates:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("demo") / "demo.db"
            url = str(path)
        else:
            url = create_pg_database()
        # In a subprocess, so that no connection stays open on the template database.
        done = subprocess.run([sys.executable, "-m", "cli.app", "--db", url, "demo"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        _templates[backend] = url
    return _templates[backend]


@contextmanager
def demo_copy(backend: str, folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private copy of the Mangkutana demo ledger in ``folder`` (SQLite) or a new database."""
    template = _demo_template(backend, tmp_path_factory)
    if backend == "sqlite":
        copy = folder / "demo.db"
        for suffix in ("", "-wal", "-shm"):
            if Path(template + suffix).exists():
                shutil.copy(template + suffix, str(copy) + suffix)
        yield str(copy)
        return
    url = create_pg_database(template=make_url(template).database)
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture
def demo_url(backend: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private copy of the Mangkutana demo ledger (built once per backend and worker)."""
    with demo_copy(backend, tmp_path, tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def shared_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One demo ledger per backend and test module, for the tests that only read it."""
    with demo_copy(str(request.param), tmp_path_factory.mktemp("shared"), tmp_path_factory) as url:
        yield url


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Every test starts in English, whatever language an earlier test in this worker chose."""
    from ledger.i18n import set_language

    set_language("en")
    yield
    set_language("en")
