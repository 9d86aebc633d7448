"""Writing the time index: its rows, produced from the domain events in hand (``index_fields``,
the one producer), and the chain's links, inserted by the recorder in the events' transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent

from events_store.chain import GENESIS, event_hash
from events_store.mapper import decode_event
from events_store.time_index.tables import INDEX_COLUMNS, INDEX_TABLE, LINE_COLUMNS, LINES_TABLE
from ledger.events import DomainEvent
from ledger.instants import format_instant
from ledger.line_events import KodeRecorded, LineOpened


def index_fields(event: DomainEvent) -> dict[str, Any]:
    """What the index needs of one event: the one producer of index rows."""
    # pydantic keeps fields in __dict__; getattr on a missing field is slow (it raises inside).
    data = event.__dict__
    stage, level = data.get("stage"), data.get("level")
    return {"event_type": type(event).__name__, "stage": stage.value if stage is not None else None,
            "effective_on": data["basis"].effective_on.isoformat(), "recorded_at": format_instant(data["timestamp"]),
            "opd": data.get("opd"), "tahun": data.get("tahun"), "key": data.get("key"), "kode": data.get("kode"),
            "level": level.value if level is not None else None, "nama": data.get("nama"),
            "parent_key": data.get("parent_key")}


@dataclass(frozen=True)
class IndexBatch:
    index_rows: list[tuple[Any, ...]]
    line_rows: list[tuple[Any, ...]]
    kode_updates: list[tuple[str, str]]  # (kode, line_id)
    head: str


def build_batch(stored_events: Sequence[StoredEvent], ids: Sequence[int], prev_hash: str,
                domain_events: Sequence[DomainEvent] | None = None) -> IndexBatch:
    """Index rows, line register rows and the chain for a batch of stored events. Without
    the domain events in hand (``import-events``), each is decoded from its stored form."""
    index_rows: list[tuple[Any, ...]] = []
    line_rows: list[tuple[Any, ...]] = []
    kode_updates: list[tuple[str, str]] = []
    head = prev_hash
    for position, (stored, notification_id) in enumerate(zip(stored_events, ids, strict=True)):
        event = domain_events[position] if domain_events is not None else decode_event(stored.topic, stored.state)
        fields = index_fields(event)
        new_hash = event_hash(head, stored)
        originator = str(stored.originator_id)
        index_rows.append((notification_id, originator, stored.originator_version, fields["event_type"], fields["stage"],
                           fields["effective_on"], fields["recorded_at"], head, new_hash))
        if isinstance(event, LineOpened):
            line_rows.append((originator, fields["opd"], fields["tahun"], fields["key"], fields["kode"],
                              fields["level"], fields["nama"], fields["parent_key"]))
        elif isinstance(event, KodeRecorded):
            kode_updates.append((fields["kode"], originator))
        head = new_hash
    return IndexBatch(index_rows, line_rows, kode_updates, head)


# Inserts rows into a table inside the recorder's transaction: (cursor, table, columns, rows).
# SQLite takes ``executemany``; PostgreSQL streams them with COPY (postgres_recorder.copy_rows).
RowInserter = Callable[[Any, str, Sequence[str], list[tuple[Any, ...]]], None]


def executemany_inserter(mark: str) -> RowInserter:
    def insert(cursor: Any, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "
                           f"VALUES ({', '.join([mark] * len(columns))})", rows)
    return insert


def write_index(cursor: Any, mark: str, stored_events: Sequence[StoredEvent], ids: Sequence[int],
                domain_events: Sequence[DomainEvent] | None, insert: RowInserter | None = None) -> None:
    """Insert a batch's index and register rows with a DB-API cursor, inside the recorder's
    transaction (after the event rows, so the chain head cannot move under us)."""
    insert = insert or executemany_inserter(mark)
    cursor.execute(f"SELECT hash FROM {INDEX_TABLE} ORDER BY notification_id DESC LIMIT 1")
    row = cursor.fetchone()
    head = GENESIS if row is None else (row["hash"] if isinstance(row, dict) else row[0])
    batch = build_batch(stored_events, ids, head, domain_events)
    insert(cursor, INDEX_TABLE, INDEX_COLUMNS, batch.index_rows)
    if batch.line_rows:
        insert(cursor, LINES_TABLE, LINE_COLUMNS, batch.line_rows)
    if batch.kode_updates:
        cursor.executemany(f"UPDATE {LINES_TABLE} SET kode = {mark} WHERE line_id = {mark}", batch.kode_updates)


# What an index row says of its event, besides the chain: each is derived from the event itself.
INDEXED_FIELDS = ("originator_id", "originator_version", "event_type", "stage", "effective_on", "recorded_at")


def derived_index_row(stored: StoredEvent, event: DomainEvent) -> tuple[Any, ...]:
    fields = index_fields(event)
    return (str(stored.originator_id), stored.originator_version, fields["event_type"], fields["stage"],
            fields["effective_on"], fields["recorded_at"])


def derived_register(events: Iterable[tuple[str, DomainEvent]]) -> dict[str, tuple[Any, ...]]:
    """The line register as the events say it: every opened line, with the last kode recorded."""
    register: dict[str, tuple[Any, ...]] = {}
    for originator, event in events:
        fields = index_fields(event)
        if isinstance(event, LineOpened):
            register[originator] = (fields["opd"], fields["tahun"], fields["key"], fields["kode"], fields["level"],
                                    fields["nama"], fields["parent_key"])
        elif isinstance(event, KodeRecorded) and originator in register:
            register[originator] = (*register[originator][:3], fields["kode"], *register[originator][4:])
    return register
