"""Schema versions on SQLite and PostgreSQL: a new ledger is stamped with the head revision; the
migrations build the same schema as a new ledger has; a ledger of another revision is read but
never written, by the CLI and the web alike; a failed upgrade leaves the ledger as it was.
(The upgrade of a ledger made by an earlier release: test_ledger_fixtures.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from events_store import migrations
from events_store.config import resolve
from events_store.engine import engine_for
from events_store.schema import HEAD, REVISIONS
from events_store.upgrade import sqlite_engine
from tests.conftest import create_pg_database, drop_pg_database, invoke
from tests.integration.test_accounts import event_count
from tests.integration.test_web_write import FASILITASI, PLAN, hidden, preview, revision, save, text_of, token
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
WRITE = ("revise-pagu", "7.01.01.2.06.08", "210.000.000", "--stage", "perubahan", "--effective", "2024-10-01",
         "--reason", "SK 12/2024")


def execute(url: str, *statements: str) -> None:
    engine = engine_for(resolve(url))
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> Any:
    engine = engine_for(resolve(url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def normalized(sql: str | None) -> str:
    return re.sub(r"\s*([(),])\s*", r"\1", " ".join((sql or "").split())).replace("IF NOT EXISTS ", "")


def schema_of(engine: Engine) -> dict[str, Any]:
    """Every table, column, index, type and routine of the database, and the version stamp (the
    guard's functions and triggers aside: the guard is generated from the domain, not a revision)."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            objects = {(row[0], row[1]): normalized(row[2]) for row in connection.execute(text(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))}
        else:
            objects = {("column", f"{row[0]}.{row[1]}"): row[2:] for row in connection.execute(text(
                "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
                "WHERE table_schema = 'public'"))}
            objects |= {("index", row[0]): row[1] for row in connection.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"))}
            objects |= {("relation", row[0]): (row[1], str(row[2]), str(row[3])) for row in connection.execute(text(
                "SELECT c.relname, c.relkind, c.reloptions, c.relacl FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'public'"))}
            objects |= {("routine", row[0]): row[1] for row in connection.execute(text(
                "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.proname NOT LIKE 'renja_guard%'"))}
            objects |= {("type", row[0]): row[0] for row in connection.execute(text(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype = 'c' AND t.typrelid IN (SELECT oid FROM pg_class WHERE relkind = 'c')"))}
        tracking = "tracking" if engine.dialect.name == "sqlite" else "renjaledger_tracking"
        marker = connection.execute(text(f"SELECT notification_id FROM {tracking} WHERE application_name = '__migration__'"))
        stamped = [row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))]
    return {"objects": objects, "tracking marker": [row[0] for row in marker], "stamped": stamped}


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp_path / "migrated.db")
        return
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def test_the_revisions_build_the_schema_a_new_ledger_has(demo_url: str, empty_url: str, backend: str) -> None:
    """The demo ledger was created by today's code (and stamped); the other database only by the
    migrations. A change to the tables without a revision (or the other way round) fails here."""
    assert invoke(demo_url, "report", "renja", "--format", "json").exit_code == 0  # the read model exists
    store = resolve(empty_url)
    engine = sqlite_engine(store.sqlite_path) if store.sqlite_path else create_engine(store.sqlalchemy_url())
    try:
        with engine.connect() as connection, connection.begin():
            migrations.upgrade(connection)
        migrated = schema_of(engine)
    finally:
        engine.dispose()
    created = resolve(demo_url)
    engine = engine_for(created)
    try:
        new = schema_of(engine)
    finally:
        engine.dispose()
    assert new["stamped"] == migrated["stamped"] == [HEAD]
    assert new["tracking marker"] == migrated["tracking marker"] == [1]
    assert set(new["objects"]) == set(migrated["objects"])
    differing = {name: (new["objects"][name], migrated["objects"][name]) for name in new["objects"]
                 if new["objects"][name] != migrated["objects"][name]}
    assert not differing
    assert migrations.revisions() == list(REVISIONS) and migrations.heads() == [HEAD]


def test_a_new_ledger_is_stamped_with_the_head_revision(db_url: str) -> None:
    assert invoke(db_url, "import", str(ROOT / "tests" / "data" / "rincian_sintetis" / "dpa_2024")).exit_code == 0
    status = invoke(db_url, "db", "status", "--check")
    assert status.exit_code == 0, status.output
    assert f"schema revision of the ledger: {HEAD}\n" in status.stdout and "upgrade needed: no" in status.stdout
    assert "nothing to upgrade" in invoke(db_url, "db", "upgrade").stdout


def test_a_ledger_upgraded_by_a_later_release_is_read_but_not_written(demo_url: str) -> None:
    execute(demo_url, "UPDATE alembic_version SET version_num = '9999'")
    before = event_count(demo_url)
    refused = invoke(demo_url, *WRITE)
    assert refused.exit_code == 1 and "revision 9999, which this program does not know" in refused.output
    assert "Traceback" not in refused.output and event_count(demo_url) == before
    assert invoke(demo_url, "verify").exit_code == 0
    assert invoke(demo_url, "pagu", "7.01.01.2.06.08").exit_code == 0
    status = invoke(demo_url, "db", "status", "--check")
    assert status.exit_code == 1 and "9999 (unknown to this program" in status.stdout
    upgrade = invoke(demo_url, "db", "upgrade")
    assert upgrade.exit_code == 1 and "cannot upgrade it" in upgrade.output
    assert scalar(demo_url, "SELECT version_num FROM alembic_version") == "9999"


def test_the_web_refuses_a_write_to_a_ledger_made_before_schema_versions(demo_url: str) -> None:
    execute(demo_url, "DROP TABLE alembic_version")
    before = event_count(demo_url)
    client = TestClient(create_app(demo_url))
    form = client.get(f"/catat/{PLAN}/revisi-pagu", params={"line": FASILITASI})
    assert form.status_code == 200  # reading goes on ...
    data = revision(token(form.text))
    shown = preview(client, "revisi-pagu", data)  # ... and so does a preview, which writes nothing
    assert hidden(shown, "versions")
    answer = save(client, "revisi-pagu", data, shown)
    page = text_of(answer.text)  # type: ignore[attr-defined]
    assert answer.status_code == 400 and "renja db upgrade" in page and "tidak ada yang ditulis" in page  # type: ignore[attr-defined]
    assert event_count(demo_url) == before
    assert invoke(demo_url, "db", "upgrade").exit_code == 0
    assert save(client, "revisi-pagu", data, preview(client, "revisi-pagu", data)).status_code == 303  # type: ignore[attr-defined]
    assert event_count(demo_url) == before + 1


def test_a_failed_upgrade_is_rolled_back_whole(demo_url: str, backend: str) -> None:
    """A ledger without a version table whose sessions table lost a column: the baseline creates
    the missing partial index first, then fails on the sessions' index. Nothing of it stays."""
    execute(demo_url, "DROP TABLE alembic_version", "DROP INDEX renja_event_index_rare", "DROP TABLE renja_web_sessions",
            "CREATE TABLE renja_web_sessions (id_sha256 TEXT PRIMARY KEY)")
    head = invoke(demo_url, "verify", "--head").stdout
    failed = invoke(demo_url, "db", "upgrade")
    assert failed.exit_code == 1 and "the upgrade failed and was rolled back" in failed.output, failed.output
    assert "account" in failed.output and "Traceback" not in failed.output
    if backend == "sqlite":
        copies = list(Path(demo_url).parent.glob(f"{Path(demo_url).name}.before-upgrade-*"))
        assert len(copies) == 1 and copies[0].name in failed.output
    tables = ("SELECT count(*) FROM sqlite_master WHERE name = '{}'" if backend == "sqlite"
              else "SELECT count(*) FROM pg_class WHERE relname = '{}'")
    assert scalar(demo_url, tables.format("alembic_version")) == 0
    assert scalar(demo_url, tables.format("renja_event_index_rare")) == 0
    assert invoke(demo_url, "verify", "--head").stdout == head
    assert invoke(demo_url, "db", "status", "--check").exit_code == 1
