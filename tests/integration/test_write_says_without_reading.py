"""A write verb says what changed from the state the command left its lines in (``Recorded``),
without reading the plan again: counted on the database with SQLAlchemy's event hooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from events_store.time_index import LINES_TABLE
from tests.conftest import invoke

FASILITASI, RAPAT = "7.01.01.2.06.08", "7.01.01.2.06.09"
PLAN = ("--opd", "Kecamatan Mangkutana", "--tahun", "2024")


@pytest.fixture
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def hook(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", hook)
    yield seen
    event.remove(Engine, "before_cursor_execute", hook)


def test_a_shift_says_its_now_figures_without_reading_the_plan(demo_url: str, statements: list[str]) -> None:
    done = invoke(demo_url, *PLAN, "shift", FASILITASI, RAPAT, "1.000.000", "--effective", "2024-10-01",
                  "--reason", "SK 12/2024")
    assert done.exit_code == 0, done.output
    assert "now" in done.output and FASILITASI in done.output and RAPAT in done.output
    # The plan's lines (the register), its own statements and its read model: read twice to say it, before.
    plan_reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")
                  and (LINES_TABLE in s or "originator_id =" in s or "plan)s" in s or ":plan" in s)]
    assert plan_reads == [], plan_reads
    # ... and a verb that looks a line up is counted (the hook sees the read side's SQL):
    shown = invoke(demo_url, *PLAN, "pagu", FASILITASI)
    assert shown.exit_code == 0 and any(f"FROM {LINES_TABLE}" in s for s in statements), statements
    history = invoke(demo_url, "history", FASILITASI, "--format", "json")
    assert history.exit_code == 0
