"""Reports on a real terminal: `renja` runs in a pseudo-terminal 80 and 120 columns wide, and
every amount of the report's JSON must appear whole in what the planner sees."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import pytest

from ledger.money import format_rupiah
from tests.e2e.test_cli import renja

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
REPORTS = {"tabel-2-3": "2024-09-01", "perubahan": "2024-09-01", "rencana-aksi": "2024-03-01", "renja": "2024-03-01"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("terminal") / "renja.db"
    done = renja("--db", str(db), "demo", "--fresh")
    assert done.returncode == 0, done.stderr
    return db


def on_terminal(columns: int, *args: str) -> str:
    """What `renja ARGS` prints on a terminal of this width (escape codes removed)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    script = Path(sys.executable).with_name("renja")
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    process = subprocess.Popen([str(script), *args], stdin=follower, stdout=follower, stderr=follower, env=env,
                               close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            raise AssertionError("no output for 120 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r", "")


def amounts(payload: Any) -> set[int]:
    """Every whole-Rupiah amount in a report's JSON."""
    found: set[int] = set()
    if isinstance(payload, dict):
        for key, value in payload.items():
            if isinstance(value, int) and not isinstance(value, bool) and key not in ("tahun", "ke") and abs(value) >= 1000:
                found.add(value)
            else:
                found |= amounts(value)
    elif isinstance(payload, list):
        for value in payload:
            found |= amounts(value)
    return found


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("kind", list(REPORTS))
def test_every_amount_appears_whole(ledger: Path, kind: str, columns: int) -> None:
    payload = json.loads(renja("--db", str(ledger), "report", kind, "--as-of", REPORTS[kind], "--format", "json").stdout)
    screen = on_terminal(columns, "--db", str(ledger), "report", kind, "--as-of", REPORTS[kind])
    assert max(len(line) for line in screen.splitlines()) <= columns
    words = set(re.findall(r"\(?-?[\d.]+\)?", screen))
    missing = sorted(a for a in amounts(payload)
                     if format_rupiah(abs(a)) not in words and f"({format_rupiah(abs(a))})" not in words)
    assert not missing, f"{kind} at {columns} columns misses {missing[:5]}"


def test_a_narrow_terminal_says_which_columns_it_hides_or_stacks(ledger: Path) -> None:
    screen = on_terminal(120, "--db", str(ledger), "report", "tabel-2-3", "--as-of", "2024-09-01")
    assert "disembunyikan" in screen or "PAGU INDIKATIF:" in screen


def test_history_is_one_block_per_event(ledger: Path) -> None:
    screen = on_terminal(80, "--db", str(ledger), "history", "7.01.01.2.06.08")
    assert max(len(line) for line in screen.splitlines()) <= 80
    assert "129.435.000" in screen and "200.710.000" in screen


def test_a_pipe_gets_the_whole_table(ledger: Path) -> None:
    piped = renja("--db", str(ledger), "report", "perubahan", "--as-of", "2024-09-01")
    assert piped.returncode == 0
    assert "2.982.102.179" in piped.stdout and "Pagu Indikatif (Rp.)" in piped.stdout and "│││" not in piped.stdout
    payload = json.loads(renja("--db", str(ledger), "report", "perubahan", "--as-of", "2024-09-01", "--format", "json").stdout)
    assert all(format_rupiah(abs(a)) in piped.stdout for a in amounts(payload))
