"""Least privilege on a shared PostgreSQL ledger (docs/postgresql-roles.md): the schema owner
creates the tables; a writer role may only SELECT and INSERT the events, the time index and
the line register (and keep the rebuildable read model); a reader role may only SELECT. The
ledger runs under the writer, records the writer's role as `recorded_by`, and the database
itself refuses the writer's UPDATE, DELETE or TRUNCATE of the events."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import _psycopg_conninfo, invoke

PROTECTED = ("renjaledger_events", "renja_event_index", "renja_lines")  # the record: insert-only
FASILITASI = "7.01.01.2.06.08"


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


@pytest.fixture
def roles(demo_url: str, backend: str) -> Iterator[tuple[str, str]]:
    if backend != "postgres":
        pytest.skip("roles and grants are PostgreSQL's")
    assert invoke(demo_url, "projections", "rebuild").exit_code == 0  # the owner creates the read model too
    suffix = str(make_url(demo_url).database)[-8:]
    writer, reader = f"renja_writer_{suffix}", f"renja_reader_{suffix}"
    with psycopg.connect(**_psycopg_conninfo(demo_url)) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        for role in (writer, reader):
            connection.execute(f'CREATE ROLE "{role}" LOGIN')
        for table in tables:
            rights = "SELECT, INSERT" if table in PROTECTED else "SELECT, INSERT, UPDATE, DELETE"
            connection.execute(f'GRANT {rights} ON "{table}" TO "{writer}"')
            connection.execute(f'GRANT SELECT ON "{table}" TO "{reader}"')
        connection.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{writer}"')
    try:
        yield as_role(demo_url, writer), as_role(demo_url, reader)
    finally:
        with psycopg.connect(**_psycopg_conninfo(demo_url)) as connection:
            for role in (writer, reader):
                connection.execute(f'DROP OWNED BY "{role}"')
                connection.execute(f'DROP ROLE "{role}"')


def test_the_writer_role_records_as_itself_and_cannot_rewrite(roles: tuple[str, str]) -> None:
    writer, _reader = roles
    revised = invoke(writer, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan",
                     "--effective", "2024-10-01", "--reason", "SK Bupati 99/2024")
    assert revised.exit_code == 0, revised.output
    pagu = json.loads(invoke(writer, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json").stdout)
    role = str(make_url(writer).username)
    assert pagu["pagu"] == 210_000_000 and pagu["set_by"]["recorded_by"] == role
    refused = invoke(writer, "--user", "someone-else", "revise-pagu", FASILITASI, "1", "--stage", "perubahan",
                     "--effective", "2024-10-01", "--reason", "x")
    assert refused.exit_code == 1 and "not accepted on PostgreSQL" in refused.output
    conninfo = _psycopg_conninfo(writer)
    for statement in ("UPDATE renjaledger_events SET state = state", "DELETE FROM renja_event_index",
                      "TRUNCATE renja_lines", "UPDATE renja_event_index SET effective_on = '2099-01-01'"):
        with psycopg.connect(**conninfo) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)
    assert invoke(writer, "verify").exit_code == 0


def test_the_reader_role_reads_and_verifies_but_cannot_record(roles: tuple[str, str]) -> None:
    _writer, reader = roles
    head = invoke(reader, "verify", "--head")
    assert head.exit_code == 0, head.output
    report = invoke(reader, "report", "perubahan", "--format", "json")
    assert report.exit_code == 0 and "2.947.602.179" in report.stdout.replace("2947602179", "2.947.602.179"), report.output
    refused = invoke(reader, "revise-pagu", FASILITASI, "1", "--stage", "perubahan", "--effective", "2024-10-01",
                     "--reason", "x")
    assert refused.exit_code == 1 and "permission denied" in refused.output and "internal error" not in refused.output
    assert invoke(reader, "verify", "--head").stdout == head.stdout
