"""The current-state read model: one row per line with its folded state, kept up to date
incrementally through the library's tracking recorders.

The view is a tracking recorder of the backend (``SQLiteLineStateView`` or
``PostgresLineStateView``, as the library's own projection examples subclass them): its
table is created with the tracking table, once, and each catch-up writes the refolded rows
and the new tracking position in one transaction, so a crash can neither lose nor
double-apply an event. Reports of the current plan read these rows and never replay history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, PersistenceError, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from psycopg.errors import InsufficientPrivilege, ReadOnlySqlTransaction
from psycopg.sql import SQL
from pydantic import TypeAdapter
from rich.progress import Progress

from events_store.mapper import decode_event
from events_store.time_index import TimeIndex
from ledger.application import RenjaLedger
from ledger.errors import ChainBroken, StoreError
from ledger.i18n import _
from ledger.line_fold import fold_line
from ledger.line_state import LineState
from projections.stored_fold import Folded, Unfoldable, fold_bodies, is_line_topic

NAME = "renja_line_state_v7"  # a new name when the stored state changes: the next catch-up rebuilds it
BATCH = 5000
REBUILD_LINES = 2000  # lines per transaction of a rebuild: fewer, larger commits
STATE = TypeAdapter(LineState)

DDL = (
    f"CREATE TABLE IF NOT EXISTS {NAME} (line_id TEXT PRIMARY KEY, opd TEXT NOT NULL, tahun INTEGER NOT NULL, "
    "line_key TEXT NOT NULL, level TEXT NOT NULL, state_json TEXT NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {NAME}_plan ON {NAME} (opd, tahun)",
)
Row = tuple[str, str, int, str, str, str]  # line id, opd, tahun, line key, level, state


Stored = tuple[str, int, str, str, str]  # opd, tahun, line key, level, state JSON


def _first_difference(have: Stored, want: Stored) -> str:
    for name, found, wanted in zip(("opd", "tahun", "line_key", "level"), have[:4], want[:4], strict=True):
        if found != wanted:
            return f"{name} is {found!r}, the events say {wanted!r}"
    try:
        stored, folded = json.loads(have[4]), json.loads(want[4])
    except ValueError:
        return "its state is not valid JSON"
    keys = sorted(stored.keys() | folded.keys()) if isinstance(stored, dict) else []
    name = next((k for k in keys if stored.get(k) != folded.get(k)), "state")
    return f"{name} is {json.dumps(stored.get(name) if isinstance(stored, dict) else stored)[:80]}, " \
           f"the events say {json.dumps(folded.get(name))[:80]}"


def denied(error: PersistenceError) -> bool:
    """The database refused this role a write of the read model (PostgreSQL's grants,
    docs/postgresql-roles.md), or the server is a read replica (a hot standby, where the
    primary keeps the read model): the library wraps psycopg's error."""
    return isinstance(error.__cause__, InsufficientPrivilege | ReadOnlySqlTransaction)


def dump_state(state: LineState) -> str:
    return STATE.dump_json(state).decode()


def load_state(data: str) -> LineState:
    return STATE.validate_json(data)


def folded_row(state: LineState) -> Folded | None:
    """A read-model row's columns from a state folded by ``fold_line``; None for an unopened line."""
    return Folded(state.opd, state.tahun, state.key, state.level.value, dump_state(state)) if state.line_id else None


class LineStateRows:
    """The view's own SQL, shared by both backends (``mark`` is the driver's placeholder)."""

    mark = "?"
    datastore: Any
    tracking_table: str = "tracking"

    def save(self, rows: Sequence[Row], tracking: Tracking | None) -> None:
        upsert = (f"INSERT INTO {NAME} (line_id, opd, tahun, line_key, level, state_json) "
                  f"VALUES ({', '.join([self.mark] * 6)}) ON CONFLICT (line_id) DO UPDATE SET "
                  "state_json = excluded.state_json, line_key = excluded.line_key, level = excluded.level")
        with self.datastore.transaction(commit=True) as cursor:
            if rows:
                cursor.executemany(upsert, rows)
            if tracking is not None:
                self._insert_tracking(cursor, tracking)  # type: ignore[attr-defined]  # the library recorder's

    def clear(self) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {NAME}")
            cursor.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = {self.mark}", (NAME,))

    def plan_rows(self, opd: str, tahun: int, rekening: bool = True) -> list[tuple[str, str]]:
        accounts = "" if rekening else " AND level <> 'rekening'"
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT line_key, state_json FROM {NAME} WHERE opd = {self.mark} AND tahun = {self.mark}"
                           f"{accounts}", (opd, tahun))
            return [(row[0], row[1]) if not isinstance(row, dict) else (row["line_key"], row["state_json"])
                    for row in cursor.fetchall()]


    def all_rows(self) -> dict[str, Stored]:
        """Every stored row: line id -> (opd, tahun, line key, level, state JSON)."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT line_id, opd, tahun, line_key, level, state_json FROM {NAME}")
            found = [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in cursor.fetchall()]
        return {str(row[0]): (str(row[1]), int(row[2]), str(row[3]), str(row[4]), str(row[5])) for row in found}


class SQLiteLineStateView(LineStateRows, SQLiteTrackingRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *DDL]


class PostgresLineStateView(LineStateRows, PostgresTrackingRecorder):
    mark = "%s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tracking_table = self.tracking_table_name
        self.sql_create_statements.extend(SQL(statement).format() for statement in DDL)  # type: ignore[arg-type]


class CurrentStateProjection:
    def __init__(self, recorder: ApplicationRecorder, view: LineStateRows, index: TimeIndex) -> None:
        self.recorder = recorder
        self.view = view
        self.index = index
        self.writable = True  # until the database refuses this role a write of the read model

    @classmethod
    def of(cls, app: RenjaLedger, index: TimeIndex, *, postgres: bool) -> CurrentStateProjection:
        """The view of the application's backend (``postgres``, as its store says), its table created once."""
        view_class: type[Any] = PostgresLineStateView if postgres else SQLiteLineStateView
        view: LineStateRows = app.factory.tracking_recorder(view_class)  # type: ignore[assignment]
        return cls(app.recorder, view, index)

    def position(self) -> int:
        return self.view.max_tracking_id(NAME) or 0  # type: ignore[attr-defined]

    def positions(self) -> tuple[int, int]:
        """The read model's tracked position and the log's last notification id."""
        return self.position(), self.recorder.max_notification_id() or 0

    def catch_up(self, progress: Progress | None = None, task: Any = None) -> int:
        """Refold the lines of every event after the tracked position; returns how many events
        of budget lines it read (a plan's or a document's events have no row here)."""
        read = 0
        while True:
            notifications = self.recorder.select_notifications(self.position(), BATCH, inclusive_of_start=False)
            if not notifications:
                return read
            last = notifications[-1].id
            rows, events = self._rows({str(n.originator_id) for n in notifications}, last)
            self.view.save(rows, Tracking(application_name=NAME, notification_id=last))
            read += events
            if progress is not None:
                progress.advance(task, len(notifications))

    def _rows(self, originators: Iterable[str], upto: int) -> tuple[list[Row], int]:
        """The rows of these lines and how many events of lines were read (``_folded``)."""
        return self._folded(self.index.bodies_of(originators, upto=upto))

    @staticmethod
    def _folded(bodies_by_line: dict[str, list[tuple[str, bytes]]]) -> tuple[list[Row], int]:
        """The rows of these lines, folded by ``fold_bodies`` from the stored bodies (the same
        state as ``fold_line``, several times faster; a body it does not expect is folded by
        ``fold_line``), and how many events of lines were read."""
        rows, read = [], 0
        for line_id, bodies in bodies_by_line.items():
            if not is_line_topic(bodies[0][0]):
                continue  # a plan or a document: the read model holds lines
            read += len(bodies)
            try:
                folded = fold_bodies(bodies)
            except Unfoldable:
                folded = folded_row(fold_line([decode_event(topic, body) for topic, body in bodies]))
            if folded is not None:
                rows.append((line_id, *folded))
        return rows, read

    def _reference_rows(self, originators: Iterable[str], upto: int) -> list[Row]:
        """The rows as ``fold_line`` itself makes them: what ``verify`` compares against."""
        rows = []
        for line_id, line_events in self.index.events_of(originators, upto=upto).items():
            folded = folded_row(fold_line(line_events))
            if folded is not None:
                rows.append((line_id, *folded))
        return rows

    def rebuild(self, progress: bool = False) -> int:
        """Drop the rows and refold every line once, reading each line's events once; returns
        how many events it read (the lines' own, not the plans' and documents').

        The tracking position is written last: a rebuild that stops halfway leaves the
        position at zero, and the next catch-up simply redoes the work (rows are upserts).
        """
        try:
            self.view.clear()
        except PersistenceError as error:
            if not denied(error):
                raise
            raise StoreError(_("the read model is kept by the schema owner (or a projector role); this database "
                               "role may only read it: run `renja projections rebuild` as the owner")) from None
        upto = self.recorder.max_notification_id() or 0
        with Progress(transient=True, disable=not progress) as bar:
            task = bar.add_task("rebuilding read models", total=self.index.counts().lines)
            read = 0
            for batch in self.index.line_bodies(upto=upto, lines=REBUILD_LINES):
                rows, events = self._folded(batch)
                self.view.save(rows, None)
                bar.advance(task, len(batch))
                read += events
            self.view.save([], Tracking(application_name=NAME, notification_id=upto))
            return read + self.catch_up()

    def verify(self) -> int:
        """Refold every line the read model holds, up to the position it has caught up to, and
        compare row by row; ChainBroken names the first line that differs. Lines checked."""
        position, last = self.positions()
        if position > last:
            raise ChainBroken(f"read model {NAME}: its tracking position #{position} is ahead of the log's last event "
                              f"#{last}: the tracking table was edited, or events were removed; rebuild it "
                              "(`renja projections rebuild`) and compare the log with a head written down earlier")
        stored = self.view.all_rows()
        if not position:
            if stored:
                raise ChainBroken(f"read model {NAME}: {len(stored)} rows, but no position: rebuild it "
                                  "(`renja projections rebuild`)")
            return 0
        line_ids = self.index.line_ids()
        checked = 0
        for start in range(0, len(line_ids), REBUILD_LINES):
            rows = self._reference_rows(line_ids[start:start + REBUILD_LINES], position)
            for line_id, opd, tahun, key, level, data in rows:
                have = stored.pop(line_id, None)
                if have is None:
                    raise ChainBroken(f"read model {NAME}: line {key} ({line_id}) is missing")
                if have != (opd, tahun, key, level, data):
                    raise ChainBroken(f"read model {NAME}: line {key} ({line_id}) differs from its events "
                                      f"({_first_difference(have, (opd, tahun, key, level, data))}); "
                                      "rebuild it (`renja projections rebuild`)")
                checked += 1
        if stored:
            line_id, have = sorted(stored.items())[0]
            raise ChainBroken(f"read model {NAME}: line {have[2]} ({line_id}) is there, but no event up to "
                              f"#{position} opened it")
        return checked

    def plan_lines(self, opd: str, tahun: int, rekening: bool = True) -> dict[str, LineState]:
        pending: list[Row] = []
        if self.writable:
            try:
                self.catch_up()
            except PersistenceError as error:
                if not denied(error):
                    raise
                self.writable = False  # a writer or reader role: the read model is the owner's (or a projector's)
        if not self.writable:
            # What a catch-up would write, folded here and laid over the rows as stored: the same
            # answer as the owner's caught-up read model, with nothing written.
            pending = self.pending_rows()
        rows = dict(self.view.plan_rows(opd, tahun, rekening))
        rows.update((key, data) for _line, row_opd, row_tahun, key, level, data in pending
                    if (row_opd, row_tahun) == (opd, tahun) and (rekening or level != "rekening"))
        return {key: load_state(data) for key, data in rows.items()}

    def pending_rows(self) -> list[Row]:
        """The rows a catch-up would write now (every line with an event after the tracked
        position, refolded), without writing them."""
        position, originators = self.position(), set[str]()
        while notifications := self.recorder.select_notifications(position, BATCH, inclusive_of_start=False):
            originators.update(str(n.originator_id) for n in notifications)
            position = notifications[-1].id
        return self._rows(originators, position)[0] if originators else []
