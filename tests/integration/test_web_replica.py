"""The web on a primary and a hot standby (streaming replication; scripts/with-postgres.sh starts
the pair, throwaway, beside the suite's own server): pages are read from the standby, forms write to the primary, the writer reads
its own write even while the standby is behind, and every page says where it was read and how
far the standby lags. The standby's replay is paused to make it lag on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from events_store.config import resolve
from events_store.engine import engine_for
from events_store.replica import primary_position, wait_for
from projections.system import open_system
from tests.conftest import _psycopg_conninfo, create_pg_database, drop_pg_database, invoke
from tests.integration.test_web_write import FASILITASI, PLAN, preview, revision, save, text_of, token
from web.app import create_app

pytestmark = pytest.mark.xdist_group("standby")  # one worker: pausing replay pauses the whole standby
REPORT = f"/rencana/{PLAN}/perubahan"


@pytest.fixture(scope="module")
def replica_servers() -> tuple[str, str]:
    """(admin URL of the replica pair's primary, admin URL of its standby)."""
    primary = os.environ.get("RENJA_TEST_PG_REPLICA_PRIMARY_URL")
    standby = os.environ.get("RENJA_TEST_PG_STANDBY_URL")
    if not (primary and standby):
        if os.environ.get("CI"):
            pytest.fail("the replica pair's URLs are not set: scripts/with-postgres.sh starts the pair")
        pytest.skip("no primary + hot standby pair: run the suite with `make test`, which starts one")
    return primary, standby


@pytest.fixture(scope="module")
def demo_on_primary(replica_servers: tuple[str, str]) -> Iterator[str]:
    """The Mangkutana demo built once on the pair's primary, the template of each test's copy."""
    url = create_pg_database(admin=replica_servers[0])
    # In a subprocess, so that no connection stays open on the template database.
    done = subprocess.run([sys.executable, "-m", "cli.app", "--db", url, "demo"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    yield url
    drop_pg_database(url)


@pytest.fixture
def pair(replica_servers: tuple[str, str], demo_on_primary: str,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(primary URL, standby URL) of one private copy of the demo ledger."""
    primary_server, standby_server = replica_servers
    monkeypatch.setenv("RENJA_REPLICA_WAIT_SECONDS", "0.3")
    primary = create_pg_database(template=make_url(demo_on_primary).database, admin=primary_server)
    try:
        standby = make_url(standby_server).set(database=make_url(primary).database).render_as_string(hide_password=False)
        # The new database reaches the standby by replication: wait for it through the admin
        # database, which is there already (a WAL position is the whole server's).
        position = primary_position(engine_for(resolve(primary)))
        assert wait_for(engine_for(resolve(standby_server)), position, 30), "the standby did not catch up"
        yield primary, standby
    finally:
        drop_pg_database(primary)


def replay(standby: str, paused: bool) -> None:
    """Pause or resume the standby's replay of the primary's WAL (its port is in the URL's query)."""
    with psycopg.connect(**_psycopg_conninfo(standby)) as connection:
        connection.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")


def test_pages_are_read_from_the_standby_and_say_how_far_it_lags(pair: tuple[str, str]) -> None:
    primary, standby = pair
    reader = TestClient(create_app(primary, read_db=standby))
    first = reader.get(REPORT, params={"as_of": "2024-12-31"})
    assert first.status_code == 200 and "200.710.000" in first.text
    # (Up to date, or a few KB behind: the other tests keep the server's WAL moving.)
    assert "Dibaca dari replika" in text_of(first.text)
    replay(standby, paused=True)
    try:
        revised = invoke(primary, "revise-pagu", FASILITASI, "210000000", "--stage", "perubahan",
                         "--effective", "2024-10-01", "--reason", "SK Bupati 99/2024")
        assert revised.exit_code == 0, revised.output
        behind = reader.get(REPORT, params={"as_of": "2024-12-31"})
        # Read from the standby: the write is not there yet, and the page says the standby is behind.
        assert "210.000.000" not in behind.text and "200.710.000" in behind.text
        assert "KB perubahan di belakang server utama" in text_of(behind.text)
    finally:
        replay(standby, paused=False)
    assert open_system(primary, read_db=standby).written_through(30) is None
    caught_up = reader.get(REPORT, params={"as_of": "2024-12-31"})
    assert "210.000.000" in caught_up.text and "Dibaca dari replika" in text_of(caught_up.text)


def test_a_writer_reads_its_own_write_while_the_standby_is_behind(pair: tuple[str, str]) -> None:
    primary, standby = pair
    writer, other = TestClient(create_app(primary, read_db=standby)), TestClient(create_app(primary, read_db=standby))
    form = writer.get(f"/catat/{PLAN}/revisi-pagu", params={"line": FASILITASI})
    data = revision(token(form.text))
    shown = preview(writer, "revisi-pagu", data)
    replay(standby, paused=True)
    try:
        saved = save(writer, "revisi-pagu", data, shown)
        assert saved.status_code == 303, text_of(saved.text)[:2000]  # type: ignore[attr-defined]
        assert "renja_wal" in saved.cookies  # type: ignore[attr-defined]
        # The writer's next pages come from the primary, and say so; anyone else still reads the standby.
        page = writer.get(saved.headers["location"])  # type: ignore[attr-defined]
        assert "Tercatat: 1 peristiwa" in page.text
        assert "Dibaca dari server utama" in text_of(page.text)
        assert "210.000.000" in writer.get(REPORT, params={"as_of": "2024-12-31"}).text
        assert "210.000.000" not in other.get(REPORT, params={"as_of": "2024-12-31"}).text
    finally:
        replay(standby, paused=False)
    assert open_system(primary, read_db=standby).written_through(30) is None
    again = writer.get(REPORT, params={"as_of": "2024-12-31"})
    assert "210.000.000" in again.text and "Dibaca dari replika" in text_of(again.text)


def test_a_read_url_that_is_not_a_standby_of_postgres_is_refused(pair: tuple[str, str], tmp_path: Path) -> None:
    primary, _standby = pair
    (tmp_path / "renja.db").touch()  # a SQLite ledger (an empty file becomes one)
    wrong = invoke(str(tmp_path / "renja.db"), "serve", "--read-url", primary)
    assert wrong.exit_code == 1 and "postgresql://" in wrong.output
    unreachable = invoke(primary, "serve", "--read-url", "postgresql://postgres@/nowhere?host=/nonexistent&port=5499")
    assert unreachable.exit_code == 1 and "read replica" in unreachable.output


def test_the_bench_samples_how_far_the_standby_lags_under_its_import(replica_servers: tuple[str, str],
                                                                    tmp_path: Path) -> None:
    primary_server, standby_server = replica_servers
    primary = create_pg_database(admin=primary_server)
    try:
        standby = make_url(standby_server).set(database=make_url(primary).database).render_as_string(hide_password=False)
        assert wait_for(engine_for(resolve(standby_server)), primary_position(engine_for(resolve(primary))), 30)
        out = tmp_path / "bench.json"
        done = invoke(primary, "bench", "--case", "ledger", "--events", "1500", "--read-url", standby, "--json", str(out))
        assert done.exit_code == 0, done.output
        lagged = json.loads(out.read_text(encoding="utf-8"))["replica"]
        assert lagged["catch_up_s"] is not None and lagged["catch_up_s"] >= 0  # the standby held the whole import
        assert lagged["failed_samples"] == 0 and lagged["behind_kb"]["n"] == lagged["samples"]
        assert lagged["behind_kb"]["max"] >= lagged["behind_kb"]["p50"] >= 0
        assert "read replica during the import" in done.output
    finally:
        drop_pg_database(primary)
    sqlite = invoke(str(tmp_path / "bench.db"), "bench", "--case", "ledger", "--events", "100", "--read-url", standby)
    assert sqlite.exit_code == 1 and "postgresql://" in sqlite.output  # a replica is PostgreSQL's, said in words
