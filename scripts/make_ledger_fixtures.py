"""Make the ledger fixtures of one release: a small SQLite ledger and a plain-SQL dump of the same
ledger on PostgreSQL, each made by that release's own code, with what that release answered.

    scripts/with-postgres.sh .venv/bin/python scripts/make_ledger_fixtures.py [--commit COMMIT]

The release's code is taken with `git archive COMMIT` into a temporary folder and run from there
(with this checkout's virtualenv: the same libraries), so the fixtures are what that release
wrote, whatever the working tree holds now. It writes tests/data/ledgers/release-<short>/:

* ``ledger.sqlite``: the SQLite ledger (vacuumed, rollback journal: one self-contained file);
* ``ledger.pg.sql``: ``pg_dump --format=plain --no-owner`` of the same steps on PostgreSQL;
* ``expected.json``: per backend, the `renja verify --head` of the ledger and the JSON of two
  reports at a fixed ``--as-of`` and ``--known-at``, as that release printed them.

The steps: the Rencana Aksi 2024 of Kecamatan Mangkutana imported, one pagu revised, one
reallocation between triwulan, and a report (so the read model has caught up).
tests/integration/test_ledger_fixtures.py opens and upgrades every release-*/ folder with today's code.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELEASE = "5ea54ce"  # the last release before schema versions
DATASET = "ledger/datasets/mangkutana_2024/rencana_aksi_2024"
STEPS = [
    ["import", DATASET],
    ["revise-pagu", "Fasilitasi Kunjungan Tamu", "135.000.000", "--stage", "murni", "--effective", "2024-03-01",
     "--reason", "Fixture: revisi pagu"],
    ["reallocate", "Fasilitasi Kunjungan Tamu", "--from-tw", "4", "--to-tw", "2", "--rupiah", "1.000.000",
     "--effective", "2024-04-01", "--reason", "Fixture: realokasi triwulan"],
    ["report", "rencana-aksi", "--format", "json"],
]
REPORTS = {"rencana-aksi": ["report", "rencana-aksi", "--format", "json", "--as-of", "2024-12-31"],
           "renja": ["report", "renja", "--format", "json", "--as-of", "2024-12-31"]}


def renja(release: Path, db: str, *args: str) -> str:
    env = {**os.environ, "RENJA_USER": "fixture", "RENJA_LANG": "en", "PYTHONPATH": str(release)}
    done = subprocess.run([sys.executable, "-m", "cli.app", "--db", db, *args], cwd=release, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"renja {' '.join(args)} failed on {db}:\n{done.stderr}")
    return done.stdout


def answers(release: Path, db: str) -> dict[str, object]:
    for step in STEPS:
        renja(release, db, *step)
    known_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return {"head": renja(release, db, "verify", "--head").strip(), "known_at": known_at,
            "reports": {name: json.loads(renja(release, db, *args, "--known-at", known_at)) for name, args in REPORTS.items()}}


def export(commit: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    probe = subprocess.run([sys.executable, "-c", "import cli; print(cli.__file__)"], cwd=into,
                           env={**os.environ, "PYTHONPATH": str(into)}, capture_output=True, text=True, check=True)
    assert probe.stdout.strip().startswith(str(into)), f"the release's code is not the one imported: {probe.stdout}"


def sqlite_fixture(release: Path, out: Path) -> dict[str, object]:
    path = release / "ledger.sqlite"
    found = answers(release, str(path))
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("VACUUM")
    connection.close()
    (out / "ledger.sqlite").write_bytes(path.read_bytes())
    return found


def postgres_fixture(release: Path, out: Path) -> dict[str, object]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = os.environ.get("RENJA_TEST_PG_URL")
    if not admin:
        raise SystemExit("RENJA_TEST_PG_URL is not set: run under scripts/with-postgres.sh")
    url = make_url(admin)
    host = url.query.get("host") or url.host
    name = f"fixture_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname=url.database, user=url.username, host=host, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        db = url.set(database=name).render_as_string(hide_password=False)
        found = answers(release, db)
        dump = subprocess.run(["pg_dump", "--format=plain", "--no-owner", "--host", str(host), "--username",
                               str(url.username), name], capture_output=True, text=True, check=True).stdout
        (out / "ledger.pg.sql").write_text(dump, encoding="utf-8")
    finally:
        with psycopg.connect(dbname=url.database, user=url.username, host=host, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=RELEASE, help=f"the release's commit (default {RELEASE})")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "ledgers")
    options = parser.parse_args()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", options.commit], capture_output=True, text=True,
                            check=True).stdout.strip()
    out = options.out / f"release-{commit[:7]}"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        release = Path(work)
        export(commit, release)
        expected = {"release": commit, "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "steps": [" ".join(step) for step in STEPS],
                    "sqlite": sqlite_fixture(release, out), "postgresql": postgres_fixture(release, out)}
    (out / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"fixtures of {commit[:7]} written to {out}")


if __name__ == "__main__":
    main()
