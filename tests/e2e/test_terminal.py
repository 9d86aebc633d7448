"""Reports on a real terminal: `renja` runs in a pseudo-terminal 80 to 300 columns wide, and
every amount of the report's JSON must appear whole in what the planner sees: a table when
every column fits readably, compact blocks for a wide form on a narrow screen."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import sqlite3
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
# Every report kind, at a date its demo plan fills: (kind, --as-of). dpa and dppa read the
# synthetic rincian imported into a copy of the demo ledger.
REPORTS = {"tabel-2-3": "2024-09-01", "perubahan": "2024-09-01", "rencana-aksi": "2024-03-01", "renja": "2024-03-01",
           "tabel-2-1": "2024-09-01", "evaluasi": "2025-01-31", "pengukuran": "2025-01-31", "dpa": "2024-03-01",
           "dppa": "2024-10-01"}
RINCIAN = ("dpa", "dppa")
WIDTHS = (80, 120, 160, 220, 300)
RINCIAN_DATA = Path(__file__).resolve().parents[1] / "data" / "rincian_sintetis"
WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("terminal") / "renja.db"
    done = renja("--db", str(db), "demo", "--fresh")
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def rincian_ledger(ledger: Path) -> Path:
    """The demo ledger with the synthetic DPA and DPPA rincian: a copy, so that the other
    reports keep the demo's figures."""
    db = ledger.with_name("rincian.db")
    with sqlite3.connect(ledger) as source, sqlite3.connect(db) as target:
        source.backup(target)
    for document in ("dpa_2024", "dppa_2024"):
        done = renja("--db", str(db), "import", str(RINCIAN_DATA / document))
        assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def payloads() -> dict[str, Any]:
    """Each report's JSON, read once per module (the cache fills as the kinds are asked for)."""
    return {}


def report_args(kind: str, ledger: Path, rincian_ledger: Path) -> tuple[str, ...]:
    db = rincian_ledger if kind in RINCIAN else ledger
    return "--db", str(db), "report", kind, "--as-of", REPORTS[kind]


def payload_of(kind: str, payloads: dict[str, Any], ledger: Path, rincian_ledger: Path) -> Any:
    if kind not in payloads:
        done = renja(*report_args(kind, ledger, rincian_ledger), "--format", "json")
        assert done.returncode == 0, done.stderr
        payloads[kind] = json.loads(done.stdout)
    return payloads[kind]


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


def amounts(payload: Any, skip: frozenset[str] = frozenset()) -> set[int]:
    """Every whole-Rupiah amount in a report's JSON (but those under the keys to skip)."""
    found: set[int] = set()
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in skip:
                continue
            if isinstance(value, int) and not isinstance(value, bool) and key not in ("tahun", "ke") and abs(value) >= 1000:
                found.add(value)
            else:
                found |= amounts(value, skip)
    elif isinstance(payload, list):
        for value in payload:
            found |= amounts(value, skip)
    return found


# The DPPA's JSON keeps the "before" figure a document stated, which its official form has no
# column for (the form's check columns compare the "after" figure): no renderer prints it.
NOT_IN_FORM = frozenset({"sebelum_tertulis"})
FIGURE = re.compile(r"\(?-?\d[\d.]*(?:,\d+)?\)?")


def decimals(payload: Any) -> set[str]:
    """Every decimal figure of a report's JSON (a percentage such as "51.48"), as printed: 51,48."""
    if isinstance(payload, dict):
        return set().union(*(decimals(value) for value in payload.values()))
    if isinstance(payload, list):
        return set().union(*(decimals(value) for value in payload))
    return {payload.replace(".", ",")} if isinstance(payload, str) and re.fullmatch(r"\d+\.\d+", payload) else set()


def expected_figures(payload: Any) -> set[str]:
    """The amounts of the JSON as the forms print them; a report without money (Tabel 2.1):
    its decimal figures."""
    money = {format_rupiah(abs(a)) for a in amounts(payload, skip=NOT_IN_FORM)}
    return money or decimals(payload)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("kind", list(REPORTS))
def test_every_amount_appears_whole(ledger: Path, rincian_ledger: Path, payloads: dict[str, Any], kind: str,
                                    columns: int) -> None:
    expected = expected_figures(payload_of(kind, payloads, ledger, rincian_ledger))
    assert expected, f"{kind}: the demo plan gives this report no figure to look for"
    screen = on_terminal(columns, *report_args(kind, ledger, rincian_ledger))
    assert max(len(line) for line in screen.splitlines()) <= columns
    words = set(FIGURE.findall(screen))
    missing = sorted(f for f in expected if f not in words and f"({f})" not in words)
    assert not missing, f"{kind} at {columns} columns misses {missing[:5]}"


def test_a_wide_form_on_a_narrow_terminal_is_compact(ledger: Path) -> None:
    """Tabel 3.2 at 80 columns: each row its kode and name, then its figures side by side, not
    one line per cell (which took 966 lines)."""
    screen = on_terminal(80, "--db", str(ledger), "report", "perubahan", "--as-of", "2024-09-01")
    lines = screen.splitlines()
    assert len(lines) <= 300, f"{len(lines)} lines"
    assert "Text and target columns are not shown here" in screen
    program = lines.index("7.01.01 PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA")
    assert "2.798.503.329" in lines[program + 1] and "3.243.771.617" in lines[program + 1]


def test_a_narrow_form_is_still_one_line_per_cell(ledger: Path) -> None:
    screen = on_terminal(80, "--db", str(ledger), "history", "7.01.01.2.06.08")
    assert not re.search(r"^[A-Z]  ", screen, re.MULTILINE)  # no compact legend


@pytest.mark.parametrize(("kind", "name", "kodes"), [("perubahan", "Penyusunan Dokumen", ["7", "01", "01", "2.01", "01"]),
                                                     ("tabel-2-3", "7.01.01.2.01.01 Penyusunan", [])])
def test_a_wide_terminal_shows_a_readable_table(ledger: Path, kind: str, name: str, kodes: list[str]) -> None:
    """At 300 columns the table keeps its kode and name columns readable (they were squeezed
    to one character while a figure at the right edge was cut)."""
    screen = on_terminal(300, "--db", str(ledger), "report", kind, "--as-of", REPORTS[kind])
    row = next(line for line in screen.splitlines() if name in line)
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    named = next(index for index, cell in enumerate(cells) if cell.startswith(name))
    assert len(cells[named]) >= 24, cells
    assert cells[named - len(kodes):named] == kodes, cells  # each kode whole, just before the name
    assert any(re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cell) for cell in cells), cells  # an amount, whole
    assert not [line for line in screen.splitlines() if "│" in line and "…" in line]  # rich's mark of a cut cell


def test_a_narrow_terminal_says_which_columns_it_hides(ledger: Path) -> None:
    screen = on_terminal(220, "--db", str(ledger), "report", "perubahan", "--as-of", "2024-09-01")
    assert "┃" in screen and "columns hidden: " in screen and "Lokasi Output Kegiatan" in screen


@pytest.mark.parametrize("args", [("--help",), ("report", "--help"), ("revise-pagu", "--help"), ("history", "--help"),
                                  ("check", "--help"), ("shift", "--help"), ("import", "--help"), ("pagu", "--help")])
def test_help_breaks_no_word_at_80_columns(args: tuple[str, ...]) -> None:
    """Every word of a help screen at 80 columns is a word of the same screen at 400 (where
    nothing needs breaking): none is cut in two."""
    narrow, wide = on_terminal(80, *args), on_terminal(400, *args)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    broken = set(WORD.findall(narrow)) - set(WORD.findall(wide))
    assert not broken, f"renja {' '.join(args)}: {sorted(broken)}"


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
