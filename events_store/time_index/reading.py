"""Reading the time index: ``TimeIndex``, every query on its tables, filtered on both time axes in SQL."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Engine, text

from events_store.mapper import decode_event
from events_store.tables import events_table, stored_events_id_column
from events_store.time_index.tables import (
    INDEX_TABLE,
    LINE_COLUMNS,
    LINES_TABLE,
    RARE,
    RARE_NAMES,
    RARE_TYPES,
    REGISTER,
    TIMELESS,
)
from events_store.time_index.writing import INDEXED_FIELDS
from ledger.document import DocumentRegistered
from ledger.events import DomainEvent
from ledger.instants import format_instant

CHUNK = 500  # originators per IN (...) list
STREAM_ROWS = 5000  # rows fetched at a time by a streamed read


@dataclass(frozen=True)
class LineRow:
    """A line as the register knows it."""

    line_id: str
    key: str
    kode: str | None
    nama: str
    level: str

    @property
    def reference(self) -> str:
        """As ``LineState.reference``: an account (level rekening) by its key, others by kode."""
        return self.key if self.level == "rekening" else self.kode or self.key


@dataclass(frozen=True)
class RegisteredDocument:
    """A plan's document with the index columns its time filters read."""

    notification_id: int
    effective_on: str
    recorded_at: str
    event: DocumentRegistered
    chain: str  # the index row's chained hash: the whole history up to this document


@dataclass(frozen=True)
class IndexedEvent:
    """A decoded event with its index row: when it was recorded and its place in the chain."""

    event: DomainEvent
    notification_id: int
    recorded_at: str
    hash: str


@dataclass(frozen=True)
class ChainLink:
    notification_id: int
    stored: StoredEvent
    prev_hash: str | None
    hash: str | None
    indexed: tuple[Any, ...] | None = None  # the index row's own columns, as INDEXED_FIELDS


@dataclass(frozen=True)
class Counts:
    events: int
    documents: int
    lines: int


def _time_filter(as_of: date | None, known_at: datetime | None, params: dict[str, Any]) -> str:
    clauses = []
    if as_of is not None:
        # Identity events (a kode) are not decisions that take force on a date: once the
        # ledger knows them they apply at every valid time (ledger.events.TIMELESS_EVENTS).
        clauses.append(f"(i.effective_on <= :as_of OR i.event_type IN ({TIMELESS}))")
        params["as_of"] = as_of.isoformat()
    if known_at is not None:
        clauses.append("i.recorded_at <= :known_at")
        params["known_at"] = format_instant(known_at)
    return " AND ".join(clauses) or "1=1"


class TimeIndex:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.join = (f"JOIN {events_table(engine)} s "
                     f"ON s.{stored_events_id_column(engine)} = i.notification_id")
        # Every plan's documents, decoded once per process (see ``documents``), and a lock for the web's threads.
        self._documents: list[RegisteredDocument] = []
        self._documents_lock = threading.Lock()

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params))

    # --- the register --------------------------------------------------------------
    def plans(self) -> list[tuple[str, int]]:
        rows = self._rows(f"SELECT DISTINCT opd, tahun FROM {LINES_TABLE} ORDER BY opd, tahun", {})
        return [(row[0], int(row[1])) for row in rows]

    def lines(self, opd: str, tahun: int, kode: str | None = None) -> list[LineRow]:
        sql = f"SELECT line_id, line_key, kode, nama, level FROM {LINES_TABLE} WHERE opd = :opd AND tahun = :tahun"
        params: dict[str, Any] = {"opd": opd, "tahun": tahun}
        if kode is not None:
            sql += " AND kode = :kode"
            params["kode"] = kode
        return [LineRow(r[0], r[1], r[2], r[3], r[4]) for r in self._rows(sql, params)]

    def line_ids(self) -> list[str]:
        return [row[0] for row in self._rows(f"SELECT line_id FROM {LINES_TABLE} ORDER BY line_id", {})]

    def counts(self) -> Counts:
        documents = DocumentRegistered.__name__
        row = self._rows(f"SELECT (SELECT COUNT(*) FROM {INDEX_TABLE}), "
                         f"(SELECT COUNT(*) FROM {INDEX_TABLE} WHERE event_type IN ({RARE_TYPES}) AND event_type = :documents), "
                         f"(SELECT COUNT(*) FROM {LINES_TABLE})", {"documents": documents})[0]
        return Counts(int(row[0]), int(row[1]), int(row[2]))

    # --- events ----------------------------------------------------------------------
    def _events(self, where: str, params: dict[str, Any]) -> list[tuple[str, DomainEvent]]:
        rows = self._rows(f"SELECT i.originator_id, s.topic, s.state FROM {INDEX_TABLE} i {self.join} "
                          f"WHERE {where} ORDER BY i.notification_id", params)
        return [(str(row[0]), decode_event(row[1], bytes(row[2]))) for row in rows]

    def plan_events(self, opd: str, tahun: int, plan_id: UUID, *, as_of: date | None,
                    known_at: datetime | None, rekening: bool = True) -> list[tuple[str, DomainEvent]]:
        """(originator, event) of every line of a plan and of the plan itself, in recording order.
        Without ``rekening``, the accounts of the rincian belanja are left out (most of a plan's
        lines where a DPA is loaded, and no Renja form prints them)."""
        params: dict[str, Any] = {"opd": opd, "tahun": tahun, "plan": str(plan_id)}
        accounts = "" if rekening else " AND level <> 'rekening'"
        # One IN over a UNION, not IN ... OR =: an OR here makes PostgreSQL scan the whole index.
        where = (f"i.originator_id IN (SELECT line_id FROM {LINES_TABLE} WHERE opd = :opd AND tahun = :tahun{accounts} "
                 f"UNION ALL SELECT :plan) AND {REGISTER} AND " + _time_filter(as_of, known_at, params))
        return self._events(where, params)

    def plan_instants(self, opd: str, tahun: int, plan_id: UUID, *, after: datetime) -> list[str]:
        """The recording instants (system time, as stored) of the plan's own and its lines' events
        after ``after``, oldest first: each is one command's or one import's, whole."""
        params: dict[str, Any] = {"opd": opd, "tahun": tahun, "plan": str(plan_id), "after": format_instant(after)}
        rows = self._rows(f"SELECT DISTINCT i.recorded_at FROM {INDEX_TABLE} i WHERE i.originator_id IN (SELECT line_id "
                          f"FROM {LINES_TABLE} WHERE opd = :opd AND tahun = :tahun UNION ALL SELECT :plan) "
                          "AND i.recorded_at > :after ORDER BY i.recorded_at", params)
        return [str(row[0]) for row in rows]

    def events_recorded_at(self, opd: str, tahun: int, plan_id: UUID, instant: str) -> list[DomainEvent]:
        """The plan's events recorded at one instant (one command's)."""
        params: dict[str, Any] = {"opd": opd, "tahun": tahun, "plan": str(plan_id), "at": instant}
        where = (f"i.originator_id IN (SELECT line_id FROM {LINES_TABLE} WHERE opd = :opd AND tahun = :tahun "
                 "UNION ALL SELECT :plan) AND i.recorded_at = :at")
        return [event for _, event in self._events(where, params)]

    def plan_statements(self, plan_id: UUID) -> list[DomainEvent]:
        """What a plan states of itself (totals, sasaran ...), without its register of lines."""
        params: dict[str, Any] = {"plan": str(plan_id)}
        return [event for _, event in self._events(f"i.originator_id = :plan AND {REGISTER}", params)]

    def plan_event_count(self, opd: str, tahun: int, plan_id: UUID) -> int:
        """How many events the plan and its lines hold (the Beranda's count per plan)."""
        rows = self._rows(f"SELECT COUNT(*) FROM {INDEX_TABLE} i WHERE i.originator_id IN (SELECT line_id FROM "
                          f"{LINES_TABLE} WHERE opd = :opd AND tahun = :tahun UNION ALL SELECT :plan)",
                          {"opd": opd, "tahun": tahun, "plan": str(plan_id)})
        return int(rows[0][0])

    def documents(self, opd: str, tahun: int, *, as_of: date | None = None,
                  known_at: datetime | None = None) -> list[DocumentRegistered]:
        """The documents registered for a plan, on both time axes as ``_time_filter`` says in SQL.
        A document names its plan in its body only, so every plan's documents are read; they are
        few and never change, so they are decoded once per process and then only the new ones are
        read (decoding all of them on every page grew with the ledger: 5,000 documents at 5M events)."""
        on = as_of.isoformat() if as_of is not None else None
        known = format_instant(known_at) if known_at is not None else None
        return [each.event for each in self._all_documents()
                if (each.event.opd, each.event.tahun) == (opd, tahun)
                and (on is None or each.effective_on <= on) and (known is None or each.recorded_at <= known)]

    def _all_documents(self) -> list[RegisteredDocument]:
        params: dict[str, Any] = {"documents": DocumentRegistered.__name__}
        where = f"{RARE} AND i.event_type = :documents"
        seen = known = self._documents  # before the query: a newer list another thread reads meanwhile is no restore
        last = known[-1] if known else None
        # One query, without the lock (lookups in the partial index and by id), so that a slow read
        # never holds up another thread's page: the newest document, how many there are, and the
        # chained hash now at this cache's last document. The hash covers the whole history up to
        # it, so an equal hash there means the same documents up to it (a restore of another
        # ledger, or of this one as it was, holds another); the lock is only taken to read more.
        found = self._rows(f"SELECT i.notification_id, (SELECT COUNT(*) FROM {INDEX_TABLE} i WHERE {where}), "
                           f"(SELECT j.hash FROM {INDEX_TABLE} j WHERE j.notification_id = :last) "
                           f"FROM {INDEX_TABLE} i WHERE {where} ORDER BY i.notification_id DESC LIMIT 1",
                           {**params, "last": last.notification_id if last else 0})
        newest, count, chain = (int(found[0][0]), int(found[0][1]), found[0][2]) if found else (0, 0, None)
        intact = last is None or chain == last.chain
        if intact and count == len(known) and newest == (last.notification_id if last else 0):
            return known

        def after(start: int) -> list[RegisteredDocument]:
            rows = self._rows(f"SELECT i.notification_id, i.effective_on, i.recorded_at, s.topic, s.state, i.hash "
                              f"FROM {INDEX_TABLE} i {self.join} WHERE {where} AND i.notification_id > :start "
                              "ORDER BY i.notification_id", {**params, "start": start})
            return [RegisteredDocument(int(row[0]), str(row[1]), str(row[2]), decode_event(row[3], bytes(row[4])),
                                       str(row[5])) for row in rows]

        with self._documents_lock:
            if self._documents is not seen:  # another thread has just read them
                return self._documents
            if not intact or last is None or newest < last.notification_id:
                known = after(0)  # not the documents this cache holds (a restore): read them all
            else:
                known = [*known, *after(last.notification_id)]
            if len(known) != count:  # written between the two reads, or not this cache's: read them all
                known = after(0)
            self._documents = [each for each in known if isinstance(each.event, DocumentRegistered)]
            return self._documents

    def events_of_types(self, types: Iterable[str]) -> list[tuple[str, DomainEvent]]:
        """(originator, event) of every event of these types, in recording order (accounts: few)."""
        names = sorted(types)
        params: dict[str, Any] = {f"t{i}": name for i, name in enumerate(names)}
        where = f"i.event_type IN ({', '.join(f':t{i}' for i in range(len(names)))})"
        if set(names) <= RARE_NAMES:
            where = f"{RARE} AND {where}"
        return self._events(where, params)

    def originator_events(self, originator: UUID | str, *, as_of: date | None = None,
                          known_at: datetime | None = None) -> list[DomainEvent]:
        params: dict[str, Any] = {"originator": str(originator)}
        where = "i.originator_id = :originator AND " + _time_filter(as_of, known_at, params)
        return [event for _, event in self._events(where, params)]

    def originator_events_of_types(self, originator: UUID | str, types: Iterable[str], *, as_of: date | None = None,
                                   known_at: datetime | None = None) -> list[DomainEvent]:
        """Some kinds of events of one aggregate (a plan's execution statements among its many)."""
        params: dict[str, Any] = {"originator": str(originator)}
        names = sorted(types)
        params.update({f"type{n}": name for n, name in enumerate(names)})
        where = (f"i.originator_id = :originator AND i.event_type IN ({', '.join(f':type{n}' for n in range(len(names)))}) "
                 "AND " + _time_filter(as_of, known_at, params))
        return [event for _, event in self._events(where, params)]

    def line_events(self, line_id: str, *, as_of: date | None = None,
                    known_at: datetime | None = None) -> list[IndexedEvent]:
        """One line's events with their index rows, in recording order."""
        params: dict[str, Any] = {"line": line_id}
        where = "i.originator_id = :line AND " + _time_filter(as_of, known_at, params)
        rows = self._rows(f"SELECT s.topic, s.state, i.notification_id, i.recorded_at, i.hash FROM {INDEX_TABLE} i "
                          f"{self.join} WHERE {where} ORDER BY i.notification_id", params)
        return [IndexedEvent(decode_event(r[0], bytes(r[1])), int(r[2]), r[3], r[4]) for r in rows]

    def kode_line_events(self, opd: str, tahun: int, kode: str, *, as_of: date | None = None,
                         known_at: datetime | None = None) -> tuple[LineRow, list[IndexedEvent]] | None:
        """The line of a plan with this kode and its events (as ``line_events`` gives them), in
        one query (one round trip: the usual `pagu --as-of`); None unless one line has the kode."""
        params: dict[str, Any] = {"opd": opd, "tahun": tahun, "kode": kode}
        rows = self._rows(f"SELECT l.line_id, l.line_key, l.kode, l.nama, l.level, s.topic, s.state, "
                          f"i.notification_id, i.recorded_at, i.hash FROM {LINES_TABLE} l LEFT JOIN {INDEX_TABLE} i "
                          f"ON i.originator_id = l.line_id AND {_time_filter(as_of, known_at, params)} "
                          f"LEFT {self.join} "  # (two plain joins: SQLite materializes a parenthesized one whole)
                          "WHERE l.opd = :opd AND l.tahun = :tahun AND l.kode = :kode ORDER BY i.notification_id", params)
        if len({row[0] for row in rows}) != 1:
            return None
        first = rows[0]
        line = LineRow(first[0], first[1], first[2], first[3], first[4])
        return line, [IndexedEvent(decode_event(r[5], bytes(r[6])), int(r[7]), r[8], r[9]) for r in rows if r[5] is not None]

    def events_of(self, originators: Iterable[str], *, upto: int) -> dict[str, list[DomainEvent]]:
        """All events (up to a notification id) of several aggregates, grouped by aggregate."""
        return {originator: [decode_event(topic, body) for topic, body in stored]
                for originator, stored in self.bodies_of(originators, upto=upto).items()}

    def bodies_of(self, originators: Iterable[str], *, upto: int) -> dict[str, list[tuple[str, bytes]]]:
        """The stored (topic, body) of every event (up to a notification id) of several
        aggregates, grouped by aggregate in recording order, not decoded."""
        grouped: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
        wanted = list(originators)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            params: dict[str, Any] = {f"o{i}": o for i, o in enumerate(chunk)}
            params["upto"] = upto
            names = ", ".join(f":o{i}" for i in range(len(chunk)))
            for row in self._rows(f"SELECT i.originator_id, s.topic, s.state FROM {INDEX_TABLE} i {self.join} "
                                  f"WHERE i.originator_id IN ({names}) AND i.notification_id <= :upto "
                                  "ORDER BY i.notification_id", params):
                grouped[str(row[0])].append((row[1], bytes(row[2])))
        return grouped

    def line_bodies(self, *, upto: int, lines: int) -> Iterator[dict[str, list[tuple[str, bytes]]]]:
        """Every budget line's stored (topic, body), up to a notification id, in recording order,
        in batches of ``lines`` lines: a rebuild's one pass. One streamed read ordered by line (a
        server-side cursor on PostgreSQL, in one repeatable-read snapshot) instead of a query per
        ``CHUNK`` lines: measured 1.3x on PostgreSQL's rebuild at 200k (the README's bench section)."""
        sql = (f"SELECT i.originator_id, s.topic, s.state FROM {INDEX_TABLE} i {self.join} "
               f"JOIN {LINES_TABLE} l ON l.line_id = i.originator_id "
               "WHERE i.notification_id <= :upto ORDER BY i.originator_id, i.originator_version")
        batch: dict[str, list[tuple[str, bytes]]] = {}
        with self.engine.connect() as connection:
            if self.engine.dialect.name == "postgresql":  # a server-side cursor lives in a transaction
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                rows = connection.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(
                    text(sql), {"upto": upto})
                for originator, topic, state in rows:
                    key = str(originator)
                    if key not in batch and len(batch) >= lines:
                        yield batch
                        batch = {}
                    batch.setdefault(key, []).append((topic, bytes(state)))
        if batch:
            yield batch

    def register(self) -> dict[str, tuple[Any, ...]]:
        """The line register as stored, keyed like ``derived_register``."""
        rows = self._rows(f"SELECT line_id, {', '.join(LINE_COLUMNS[1:])} FROM {LINES_TABLE}", {})
        return {str(row[0]): (row[1], int(row[2]), *row[3:]) for row in rows}

    # --- the chain ---------------------------------------------------------------------
    def count(self) -> int:
        return int(self._rows(f"SELECT COUNT(*) FROM {INDEX_TABLE}", {})[0][0])

    def chain(self, batch: int = 5000) -> Iterator[ChainLink]:
        """Every stored event in order with its link; the index columns are None where an
        event has no index row (inserted outside the ledger)."""
        column, table = stored_events_id_column(self.engine), events_table(self.engine)
        last = 0
        while True:
            indexed = ", ".join(f"i.{name}" for name in INDEXED_FIELDS)
            rows = self._rows(
                f"SELECT s.{column}, s.originator_id, s.originator_version, s.topic, s.state, i.prev_hash, i.hash, "
                f"{indexed} FROM {table} s LEFT JOIN {INDEX_TABLE} i ON i.notification_id = s.{column} "
                f"WHERE s.{column} > :last ORDER BY s.{column} LIMIT {batch}", {"last": last})
            if not rows:
                return
            for row in rows:
                originator = row[1] if isinstance(row[1], UUID) else UUID(str(row[1]))
                stored = StoredEvent(originator_id=originator, originator_version=row[2], topic=row[3],
                                     state=bytes(row[4]))
                own = tuple(row[7:])
                yield ChainLink(int(row[0]), stored, row[5], row[6],
                                None if own[0] is None else (str(own[0]), int(own[1]), *own[2:]))
            last = rows[-1][0]
