"""`renja db`, `backup` and `restore` as a user runs them (a real subprocess, SQLite): a backup and
a restore beside each other on disk, and every refusal one line on stderr, exit 1, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import renja

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "tests" / "data" / "rincian_sintetis" / "dpa_2024"


def refused(done: object, words: str) -> None:
    stderr = str(done.stderr)  # type: ignore[attr-defined]
    assert done.returncode == 1, stderr  # type: ignore[attr-defined]
    assert stderr.startswith("renja: ") and words in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr


def test_status_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    ledger, backup, restored = tmp_path / "renja.db", tmp_path / "renja.backup", tmp_path / "restored.db"
    refused(renja("--lang", "en", "--db", str(ledger), "db", "status"), "no ledger at")
    assert not ledger.exists()  # asking did not make one
    assert renja("--db", str(ledger), "import", str(DOCUMENT)).returncode == 0

    made = renja("--lang", "en", "--db", str(ledger), "backup", str(backup))
    assert made.returncode == 0, made.stderr
    head = json.loads(backup.with_name("renja.backup.head.json").read_text(encoding="utf-8"))
    written_down = f"{head['count']} {head['head']}"
    assert f"{head['count']} events, head {head['head']}" in made.stdout

    refused(renja("--lang", "en", "--db", str(restored), "restore", str(DOCUMENT / "document.toml")),
            "is not a SQLite database")
    done = renja("--lang", "en", "--db", str(restored), "restore", str(backup))
    assert done.returncode == 0 and "the same head as the backup" in done.stdout, done.stderr
    assert renja("--db", str(restored), "verify", "--head").stdout.strip() == written_down
    assert renja("--db", str(ledger), "verify", "--head").stdout.strip() == written_down
