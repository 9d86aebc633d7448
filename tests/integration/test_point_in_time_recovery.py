"""Point-in-time recovery with PostgreSQL's WAL archiving, as docs/operations.md describes it: a
base backup, WAL archived by `archive_command`, two imports, then a recovery to an instant between
them: the recovered ledger verifies with the head it had after the first import, and answers as then.

It runs a throwaway PostgreSQL cluster of its own (initdb, as the `postgres` user when run as
root), in a temporary folder removed afterwards, listening on a Unix socket only."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import _admin_dsn, invoke

DATASET = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "mangkutana_2024"
RENCANA_AKSI, PERUBAHAN = str(DATASET / "rencana_aksi_2024"), str(DATASET / "renja_perubahan_2024")


def server_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True) or \
        ([shutil.which("initdb")] if shutil.which("initdb") else [])
    if not found or found[0] is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found")
    return Path(found[0]).parent


class Cluster:
    """A throwaway cluster: its data folder, its WAL archive and its socket, in one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = server_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.archive = root / "archive"
        self.running: Path | None = None

    def run(self, *command: str) -> str:
        done = subprocess.run([*self.as_postgres, *command], capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{command}: {done.stderr}"
        return done.stdout

    def initdb(self, data: Path) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.run("mkdir", "-p", str(self.archive))
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"wal_level = replica\narchive_mode = on\narchive_command = 'cp %p {self.archive}/%f'\n")

    def start(self, data: Path) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                 "-o", f"-c listen_addresses='' -k {self.root} -c fsync=off -c full_page_writes=on", "start")
        self.running = data

    def stop(self) -> None:
        if self.running is not None:
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.running), "-m", "fast", "-w", "stop")
            self.running = None

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.root}"

    def sql(self, statement: str, database: str = "postgres") -> object:
        with psycopg.connect(dbname=database, user="postgres", host=str(self.root), autocommit=True) as connection:
            cursor = connection.execute(statement)
            row = cursor.fetchone() if cursor.description else None
        return None if row is None else row[0]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    _admin_dsn()  # skipped (or failed in CI) like every PostgreSQL suite without `make test`
    root = Path(tempfile.mkdtemp(prefix="renja-pitr."))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    root.chmod(0o700)
    made = Cluster(root)
    try:
        yield made
    finally:
        try:
            made.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


def report(url: str) -> object:
    result = invoke(url, "report", "rencana-aksi", "--format", "json", "--as-of", "2024-12-31",
                    "--known-at", "2099-01-01T00:00:00Z")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def head(url: str) -> str:
    result = invoke(url, "verify", "--head")
    assert result.exit_code == 0, result.output
    return str(result.stdout).strip()


def test_recovery_to_an_instant_between_two_imports(cluster: Cluster) -> None:
    primary, base, recovered = cluster.root / "primary", cluster.root / "base", cluster.root / "recovered"
    cluster.initdb(primary)
    cluster.start(primary)
    cluster.sql("CREATE DATABASE ledger")
    url = cluster.url("ledger")
    # The base backup, taken while the ledger is running (here: before anything is in it).
    cluster.run(str(cluster.bin / "pg_basebackup"), "-D", str(base), "-h", str(cluster.root), "-U", "postgres",
                "-X", "stream", "--checkpoint=fast")

    assert invoke(url, "import", RENCANA_AKSI).exit_code == 0
    after_first, answer = head(url), report(url)
    time.sleep(0.3)
    target = cluster.sql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
    time.sleep(0.3)
    assert invoke(url, "import", PERUBAHAN).exit_code == 0
    after_second = head(url)
    assert after_second != after_first
    # The last WAL segment goes to the archive too; then the server (the "lost" primary) stops.
    segment = cluster.sql("SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + 30
    while not (cluster.archive / str(segment)).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (cluster.archive / str(segment)).exists(), "the WAL segment was not archived"
    cluster.stop()

    # Recovery: the base backup, the archive's WAL replayed up to the target instant, then promoted.
    cluster.run("cp", "-a", str(base), str(recovered))
    cluster.run("touch", str(recovered / "recovery.signal"))
    settings = (f"archive_mode = off\nrestore_command = 'cp {cluster.archive}/%f %p'\n"
                f"recovery_target_time = '{target}'\nrecovery_target_action = 'promote'\n")
    cluster.run("sh", "-c", f"printf \"%s\" \"{settings}\" >> {recovered / 'postgresql.auto.conf'}")
    cluster.start(recovered)
    deadline = time.monotonic() + 60
    while cluster.sql("SELECT pg_is_in_recovery()") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cluster.sql("SELECT pg_is_in_recovery()") is False

    assert head(url) == after_first
    assert invoke(url, "verify").exit_code == 0
    assert report(url) == answer
