"""Backup and restore on SQLite and PostgreSQL: backup, destroy, restore, verify (the same head
and the same answers); a restore only into an empty ledger, of a file that matches its head
file; and a backup taken while another process writes is consistent (its chain verifies and
holds exactly the events its head file counts)."""

from __future__ import annotations

import json
import multiprocessing
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from events_store.backup import head_path
from events_store.bootstrap import open_ledger
from events_store.schema import HEAD
from ledger.application.commands import RevisePagu
from ledger.basis import Source, Stage
from ledger.money import Rupiah
from tests.conftest import _admin_dsn, _psycopg_conninfo, create_pg_database, drop_pg_database, invoke

CONTEXT = multiprocessing.get_context("spawn")


def ok(url: str, *args: str) -> str:
    result = invoke(url, *args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def destroy(url: str, backend: str) -> None:
    """The ledger is gone: the file removed, or the database dropped and made again, empty."""
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url + suffix).unlink(missing_ok=True)
        return
    drop_pg_database(url)
    with psycopg.connect(**_psycopg_conninfo(_admin_dsn())) as connection:
        connection.execute(f'CREATE DATABASE "{make_url(url).database}"')


def holds_no_ledger(url: str, backend: str) -> bool:
    """(Asked without creating one: `verify` would make an empty ledger in an empty database.)"""
    status = invoke(url, "db", "status")
    if backend == "sqlite":
        return status.exit_code == 1 and "no ledger at" in status.output and not Path(url).exists()
    return status.exit_code == 0 and "the database holds no ledger yet" in status.stdout


def report(url: str) -> Any:
    return json.loads(ok(url, "report", "perubahan", "--format", "json", "--as-of", "2024-09-01",
                         "--known-at", "2099-01-01T00:00:00Z"))


@pytest.fixture
def empty_target(backend: str, tmp_path: Path) -> Any:
    if backend == "sqlite":
        yield str(tmp_path / "restored.db")
        return
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def test_backup_destroy_restore_verify(demo_url: str, backend: str, tmp_path: Path) -> None:
    head = ok(demo_url, "verify", "--head").strip()
    answer = report(demo_url)
    dest = tmp_path / ("ledger.backup" if backend == "sqlite" else "ledger.dump")
    made = ok(demo_url, "backup", str(dest))
    count, digest = head.split()
    assert f"{count} events, head {digest}" in made and str(head_path(dest)) in made
    recorded = json.loads(head_path(dest).read_text(encoding="utf-8"))
    assert (recorded["count"], recorded["head"], recorded["revision"]) == (int(count), digest, HEAD)
    assert recorded["backend"] == ("sqlite" if backend == "sqlite" else "postgresql")

    destroy(demo_url, backend)
    assert holds_no_ledger(demo_url, backend)

    restored = ok(demo_url, "restore", str(dest))
    assert f"before: {dest} is the file its head file describes: {count} events, head {digest}" in restored
    assert f"holds {count} events with head {digest}, the same head as the backup" in restored
    assert ok(demo_url, "verify", "--head").strip() == head
    assert invoke(demo_url, "verify").exit_code == 0
    assert report(demo_url) == answer
    assert invoke(demo_url, "db", "status", "--check").exit_code == 0
    ok(demo_url, "revise-pagu", "7.01.01.2.06.08", "210.000.000", "--stage", "perubahan", "--effective", "2024-10-01",
       "--reason", "after the restore")


def test_a_restore_goes_into_an_empty_ledger_from_a_file_that_matches_its_head(
        demo_url: str, backend: str, empty_target: str, tmp_path: Path) -> None:
    dest = tmp_path / "ledger.backup"
    ok(demo_url, "backup", str(dest))
    assert invoke(demo_url, "backup", str(dest)).exit_code == 1  # never over an earlier backup
    head = ok(demo_url, "verify", "--head").strip()

    into_full = invoke(demo_url, "restore", str(dest))
    assert into_full.exit_code == 1 and "is not empty" in into_full.output
    assert ok(demo_url, "verify", "--head").strip() == head

    damaged = tmp_path / "damaged.backup"
    content = bytearray(dest.read_bytes())
    content[len(content) // 2] ^= 0xFF
    damaged.write_bytes(bytes(content))
    head_path(damaged).write_bytes(head_path(dest).read_bytes())
    refused = invoke(empty_target, "restore", str(damaged))
    assert refused.exit_code == 1 and "SHA-256 differs" in refused.output and "nothing was restored" in refused.output
    assert holds_no_ledger(empty_target, backend)

    head_path(dest).unlink()
    assert "--expect" in invoke(empty_target, "restore", str(dest)).output  # no head file: the head must be given
    count, digest = head.split()
    wrong = invoke(empty_target, "restore", str(dest), "--expect", f"{count}:{'0' * 64}")
    assert wrong.exit_code == 1 and "do not use it" in wrong.output
    if backend == "sqlite":
        assert not Path(empty_target).exists()  # the refused copy was not left in place
    else:
        destroy(empty_target, backend)
    restored = ok(empty_target, "restore", str(dest), "--expect", f"{count}:{digest}")
    assert "before: the head given is" in restored and "the same head as the backup" in restored
    assert ok(empty_target, "verify", "--head").strip() == head


def _keep_writing(url: str, stop: Any, written: Any) -> None:
    app = open_ledger(url, user="writer" if "://" not in url else None).app
    amount = 200_000_000
    while not stop.is_set():
        amount += 1000
        app.handle(RevisePagu(line="7.01.01.2.06.08", stage=Stage.PERUBAHAN, rupiah=Rupiah(amount), opd="Kecamatan Mangkutana",
                              tahun=2024, effective_on=date(2024, 10, 1), reason="writer", source=Source(command="test")))
        with written.get_lock():
            written.value += 1


def test_a_backup_while_another_process_writes_is_consistent(demo_url: str, backend: str, tmp_path: Path) -> None:
    first = int(ok(demo_url, "verify", "--head").split()[0])
    stop, written = CONTEXT.Event(), CONTEXT.Value("i", 0)
    writer = CONTEXT.Process(target=_keep_writing, args=(demo_url, stop, written))
    writer.start()
    counts = []
    try:
        deadline = time.monotonic() + 60
        while written.value < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        for number in range(3):
            dest = tmp_path / f"during-{number}.backup"
            ok(demo_url, "backup", str(dest))
            counts.append(json.loads(head_path(dest).read_text(encoding="utf-8"))["count"])
            time.sleep(0.2)
    finally:
        stop.set()
        writer.join(60)
    assert writer.exitcode == 0 and written.value >= 3
    assert first < counts[0] <= counts[1] <= counts[2] <= first + written.value
    for number, count in enumerate(counts):
        target = tmp_path / f"restored-{number}.db" if backend == "sqlite" else create_pg_database()
        try:
            restored = ok(str(target), "restore", str(tmp_path / f"during-{number}.backup"))
            assert f"holds {count} events" in restored
            assert invoke(str(target), "verify").exit_code == 0
        finally:
            if backend != "sqlite":
                drop_pg_database(str(target))
