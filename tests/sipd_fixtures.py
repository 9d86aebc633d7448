"""pytest fixtures for the SIPD sync tests: a throwaway MariaDB server per worker and a fresh
wp-sipd database per test (see tests/sipd_mariadb.py). Registered in tests/conftest.py with
`pytest_plugins = ["tests.sipd_fixtures"]`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.sipd_mariadb import MariaDB, MariaDBUnavailable, create_wp_sipd, start_mariadb


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDB]:
    """One MariaDB server for this pytest process (so one per xdist worker), started on first use."""
    try:
        server = start_mariadb(tmp_path_factory.mktemp("mariadb"))
    except MariaDBUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def wp_sipd_url(mariadb: MariaDB) -> Iterator[str]:
    """URL of a new database, with the (empty) wp-sipd tables, on the worker's MariaDB server;
    dropped after the test."""
    name = f"wp_sipd_{uuid.uuid4().hex[:12]}"
    url = mariadb.url(name)
    create_wp_sipd(url)
    yield url
    engine = sa.create_engine(make_url(url).set(database="").render_as_string(hide_password=False), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        engine.dispose()
