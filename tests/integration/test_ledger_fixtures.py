"""A ledger made by an earlier release opens, upgrades and answers the same with today's code, on
SQLite and PostgreSQL: the fixtures under tests/data/ledgers/release-*/ were written by that
release's own code (scripts/make_ledger_fixtures.py; tests/data/ledgers/README.md).

Before the upgrade today's code reads it (the same head, the same reports as that release
printed) and refuses to write to it, naming `renja db upgrade`; the upgrade records its
revision without recreating anything (SQLite: after a copy beside the file); after it, `verify`
passes with the same head, the reports are the same, and a write is accepted."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from events_store.schema import HEAD
from tests.conftest import create_pg_database, drop_pg_database, invoke

LEDGERS = Path(__file__).resolve().parents[1] / "data" / "ledgers"
RELEASES = sorted(path for path in LEDGERS.glob("release-*") if path.is_dir())
WRITE = ("revise-pagu", "Fasilitasi Kunjungan Tamu", "140.000.000", "--stage", "murni", "--effective", "2024-05-01",
         "--reason", "after the upgrade")


def restore_plain_dump(url: str, dump: Path) -> None:
    parsed = make_url(url)
    psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
    done = subprocess.run([psql, "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--host", str(parsed.query["host"]),
                           "--username", str(parsed.username), "--dbname", str(parsed.database), "--file", str(dump)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(params=RELEASES, ids=[path.name for path in RELEASES])
def release(request: pytest.FixtureRequest) -> Path:
    return Path(request.param)


@pytest.fixture
def old_ledger(backend: str, release: Path, tmp_path: Path) -> Iterator[str]:
    """A private copy of the release's ledger on the backend."""
    if backend == "sqlite":
        copy = tmp_path / "ledger.sqlite"
        shutil.copy(release / "ledger.sqlite", copy)
        yield str(copy)
        return
    url = create_pg_database()
    try:
        restore_plain_dump(url, release / "ledger.pg.sql")
        yield url
    finally:
        drop_pg_database(url)


def stamped_revision(release: Path) -> str | None:
    """The revision the release stamped on its ledger (None: a release before schema versions)."""
    with sqlite3.connect(f"file:{release / 'ledger.sqlite'}?mode=ro", uri=True) as connection:
        if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchall():
            return None
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def ok(url: str, *args: str) -> str:
    result = invoke(url, *args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def reports(url: str, expected: dict[str, Any]) -> dict[str, Any]:
    """The reports the release printed, asked again at the same --as-of and --known-at."""
    return {name: json.loads(ok(url, "report", name, "--format", "json", "--as-of", "2024-12-31",
                                "--known-at", expected["known_at"])) for name in expected["reports"]}


def unsaid(old: Any, new: Any, path: str = "") -> list[str]:
    """Where ``new`` no longer says what the release said (``old``): a later release may add
    keys to a report's JSON, but every figure, name and row the release gave must stay."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return [path or "/"]
        return [gone for key, value in old.items()
                for gone in ([f"{path}/{key}"] if key not in new else unsaid(value, new[key], f"{path}/{key}"))]
    if isinstance(old, list):
        if not isinstance(new, list) or len(old) != len(new):
            return [path or "/"]
        return [gone for i, (a, b) in enumerate(zip(old, new, strict=True)) for gone in unsaid(a, b, f"{path}/{i}")]
    return [] if old == new else [f"{path}: {old!r} -> {new!r}"]


def current_report(url: str) -> dict[str, Any]:
    """The current plan, as the read model answers it (without the instant it was asked at)."""
    answer = json.loads(ok(url, "report", "rencana-aksi", "--format", "json"))
    assert answer.pop("known_at")
    return dict(answer)


def test_a_ledger_of_an_earlier_release_upgrades_with_the_same_head_and_answers(
        backend: str, release: Path, old_ledger: str, tmp_path: Path) -> None:
    expected = json.loads((release / "expected.json").read_text(encoding="utf-8"))["postgresql" if backend == "postgres"
                                                                                   else "sqlite"]
    status = invoke(old_ledger, "db", "status", "--check")
    stamped = stamped_revision(release)
    assert status.exit_code == 1 and "upgrade needed: yes" in status.stdout
    assert ("none recorded" if stamped is None else f"schema revision of the ledger: {stamped}\n") in status.stdout

    # Today's code reads it as the release did ...
    assert ok(old_ledger, "verify", "--head").strip() == expected["head"]
    assert unsaid(expected["reports"], reports(old_ledger, expected)) == []
    current = current_report(old_ledger)  # the read model's answer
    # ... and writes nothing to it before the upgrade.
    refused = invoke(old_ledger, *WRITE)
    assert refused.exit_code == 1 and "renja db upgrade" in refused.output and "nothing was written" in refused.output
    assert ok(old_ledger, "verify", "--head").strip() == expected["head"]

    upgraded = ok(old_ledger, "db", "upgrade")
    assert f"to {HEAD} in one transaction" in upgraded and expected["head"] in upgraded
    if backend == "sqlite":
        copies = list(tmp_path.glob("ledger.sqlite.before-upgrade-*"))
        assert len(copies) == 1 and str(copies[0].name) in upgraded
        assert ok(str(copies[0]), "verify", "--head").strip() == expected["head"]
        assert invoke(str(copies[0]), "db", "status", "--check").exit_code == 1  # the copy is the ledger as it was

    assert invoke(old_ledger, "db", "status", "--check").exit_code == 0
    assert ok(old_ledger, "verify").splitlines()[0] == f"chain intact: {expected['head'].replace(' ', ' events, head ')}"
    assert ok(old_ledger, "verify", "--head").strip() == expected["head"]
    assert unsaid(expected["reports"], reports(old_ledger, expected)) == []
    assert current_report(old_ledger) == current
    assert "nothing to upgrade" in ok(old_ledger, "db", "upgrade")

    ok(old_ledger, *WRITE)
    count, head = expected["head"].split()
    assert ok(old_ledger, "verify", "--expect", f"{count}:{head}").startswith(f"chain intact: {int(count) + 1} events")
