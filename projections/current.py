"""The current-state read model: one row per line with its folded state, kept up to date
incrementally with the eventsourcing tracking machinery.

Each catch-up reads new notifications after the tracked position, refolds only the lines
they touch, and writes the rows and the new tracking position in one transaction, so a
crash can neither lose nor double-apply an event. Reports of the current plan read these
rows and never replay history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import Tracking
from pydantic import TypeAdapter
from rich.progress import Progress
from sqlalchemy import Engine, text

from ledger.application import RenjaLedger
from ledger.line_state import LineState, fold_line
from projections.timeline import PlanView, line_events_bulk

NAME = "renja_line_current"
BATCH = 5000
REBUILD_LINES = 500
STATE = TypeAdapter(LineState)

DDL = (
    f"CREATE TABLE IF NOT EXISTS {NAME} (line_id TEXT PRIMARY KEY, opd TEXT NOT NULL, tahun INTEGER NOT NULL, "
    "line_key TEXT NOT NULL, state_json TEXT NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {NAME}_plan ON {NAME} (opd, tahun)",
)


def dump_state(state: LineState) -> str:
    return STATE.dump_json(state).decode()


def load_state(data: str) -> LineState:
    return STATE.validate_python(json.loads(data))


class CurrentStateProjection:
    def __init__(self, app: RenjaLedger, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        # The backend's tracking recorder: its datastore lets the rows and the tracking
        # position be written in one transaction.
        self.tracking: Any = app.factory.tracking_recorder()
        self.is_postgres = engine.dialect.name == "postgresql"
        self.mark = "%s" if self.is_postgres else "?"
        with engine.begin() as connection:
            for statement in DDL:
                connection.execute(text(statement))

    def position(self) -> int:
        return self.tracking.max_tracking_id(NAME) or 0

    def catch_up(self, progress: Progress | None = None, task: Any = None) -> int:
        recorder = self.app.recorder
        processed = 0
        while True:
            notifications = recorder.select_notifications(self.position(), BATCH, inclusive_of_start=False)
            if not notifications:
                return processed
            touched = {str(n.originator_id) for n in notifications}
            self._write(touched, notifications[-1].id)
            processed += len(notifications)
            if progress is not None:
                progress.advance(task, len(notifications))

    def _rows(self, originators: Iterable[str], upto: int) -> tuple[list[tuple[Any, ...]], int]:
        events = line_events_bulk(self.engine, list(originators), upto=upto)
        rows = []
        for line_id, line_events in events.items():
            state = fold_line(line_events)
            if state.line_id:
                rows.append((line_id, state.opd, state.tahun, state.key, dump_state(state)))
        return rows, sum(len(e) for e in events.values())

    @property
    def _upsert(self) -> str:
        return (f"INSERT INTO {NAME} (line_id, opd, tahun, line_key, state_json) VALUES ({', '.join([self.mark] * 5)}) "
                "ON CONFLICT (line_id) DO UPDATE SET state_json = excluded.state_json, line_key = excluded.line_key")

    def _write(self, originators: Iterable[str], last_id: int) -> None:
        rows, _ = self._rows(originators, last_id)
        with self.tracking.datastore.transaction(commit=True) as cursor:
            if rows:
                cursor.executemany(self._upsert, rows)
            self.tracking._insert_tracking(cursor, Tracking(application_name=NAME, notification_id=last_id))

    def _refold(self, line_ids: list[str], upto: int) -> int:
        rows, count = self._rows(line_ids, upto)
        with self.tracking.datastore.transaction(commit=True) as cursor:
            if rows:
                cursor.executemany(self._upsert, rows)
        return count

    def rebuild(self, progress: bool = False) -> int:
        """Drop the rows and refold every line once, reading each line's events once.

        The tracking position is written last: a rebuild that stops halfway leaves the
        position at zero, and the next catch-up simply redoes the work (rows are upserts).
        """
        with self.tracking.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {NAME}")
            table = getattr(self.tracking, "tracking_table_name", "tracking")
            cursor.execute(f"DELETE FROM {table} WHERE application_name = {self.mark}", (NAME,))
        upto = self.app.recorder.max_notification_id() or 0
        with self.engine.connect() as connection:
            line_ids = [row[0] for row in connection.execute(text("SELECT line_id FROM renja_lines ORDER BY line_id"))]
        with Progress(transient=True, disable=not progress) as bar:
            task = bar.add_task("rebuilding read models", total=upto)
            for start in range(0, len(line_ids), REBUILD_LINES):
                chunk = line_ids[start:start + REBUILD_LINES]
                written = self._refold(chunk, upto)
                bar.advance(task, written)
            with self.tracking.datastore.transaction(commit=True) as cursor:
                self.tracking._insert_tracking(cursor, Tracking(application_name=NAME, notification_id=upto))
            return upto + self.catch_up()

    def plan_lines(self, opd: str, tahun: int) -> dict[str, LineState]:
        with self.engine.connect() as connection:
            rows = connection.execute(text(f"SELECT line_key, state_json FROM {NAME} WHERE opd = :opd AND tahun = :tahun"),
                                      {"opd": opd, "tahun": tahun})
            return {row[0]: load_state(row[1]) for row in rows}


def current_view(app: RenjaLedger, engine: Engine, opd: str, tahun: int, plan_events: list[Any]) -> PlanView:
    projection = CurrentStateProjection(app, engine)
    projection.catch_up()
    now = datetime.now(UTC)
    return PlanView(opd, tahun, now.date(), now, projection.plan_lines(opd, tahun), plan_events)
