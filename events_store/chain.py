"""The time index and the tamper-evidence hash chain.

For every stored event the recorder writes, in the same transaction, one row of
``renja_event_index``: (notification id, aggregate, version, event type, stage,
effective_on, recorded_at, prev_hash, hash). ``hash`` is SHA-256 over the previous hash
and the event as stored (originator id, version, topic, state bytes), so editing any
stored event breaks the chain from that event on.

``renja_lines`` registers each budget line (opd, tahun, kode, key) so the index can be
queried per plan without replaying anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import StoredEvent

GENESIS = "0" * 64
INDEX_TABLE = "renja_event_index"
LINES_TABLE = "renja_lines"

INDEX_COLUMNS = (
    "notification_id", "originator_id", "originator_version", "event_type", "stage",
    "effective_on", "recorded_at", "prev_hash", "hash",
)
LINE_COLUMNS = ("line_id", "opd", "tahun", "line_key", "kode", "level", "nama", "parent_key")


def ddl(id_type: str) -> list[str]:
    """Tables and indexes; ``id_type`` is the notification id column type of the dialect."""
    return [
        f"CREATE TABLE IF NOT EXISTS {INDEX_TABLE} ("
        f"notification_id {id_type} PRIMARY KEY, originator_id TEXT NOT NULL, "
        "originator_version INTEGER NOT NULL, event_type TEXT NOT NULL, stage TEXT, "
        "effective_on TEXT NOT NULL, recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL, "
        "hash TEXT NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {INDEX_TABLE}_time ON {INDEX_TABLE} "
        "(originator_id, effective_on, recorded_at, originator_version)",
        f"CREATE TABLE IF NOT EXISTS {LINES_TABLE} ("
        "line_id TEXT PRIMARY KEY, opd TEXT NOT NULL, tahun INTEGER NOT NULL, line_key TEXT NOT NULL, "
        "kode TEXT, level TEXT NOT NULL, nama TEXT NOT NULL, parent_key TEXT)",
        f"CREATE INDEX IF NOT EXISTS {LINES_TABLE}_plan ON {LINES_TABLE} (opd, tahun, kode)",
    ]


def format_instant(moment: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order in every database."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(prev_hash: str, stored: StoredEvent) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode())
    digest.update(f"|{stored.originator_id}|{stored.originator_version}|{stored.topic}|".encode())
    digest.update(bytes(stored.state))
    return digest.hexdigest()


@dataclass(frozen=True)
class IndexBatch:
    index_rows: list[tuple[Any, ...]]
    line_rows: list[tuple[Any, ...]]
    kode_updates: list[tuple[str, str]]  # (kode, line_id)
    head: str


def index_fields(state: dict[str, Any]) -> dict[str, Any]:
    """What the index needs of one event, read from its stored JSON (import-events path)."""
    return {"stage": state.get("stage"), "effective_on": state["basis"]["effective_on"],
            "recorded_at": format_instant(datetime.fromisoformat(state["timestamp"])),
            **{key: state.get(key) for key in ("opd", "tahun", "key", "kode", "level", "nama", "parent_key")}}


def build_index(stored_events: Sequence[StoredEvent], ids: Sequence[int], prev_hash: str,
                fields: Sequence[dict[str, Any]] | None = None) -> IndexBatch:
    """Index rows, line register rows and the chain for a batch. ``fields`` (one dict per
    event, as ``index_fields`` returns) saves parsing the JSON when the application has
    the events in hand."""
    index_rows: list[tuple[Any, ...]] = []
    line_rows: list[tuple[Any, ...]] = []
    kode_updates: list[tuple[str, str]] = []
    head = prev_hash
    for position, (stored, notification_id) in enumerate(zip(stored_events, ids, strict=True)):
        state = fields[position] if fields is not None else index_fields(json.loads(stored.state))
        event_type = stored.topic.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
        new_hash = event_hash(head, stored)
        originator = str(stored.originator_id)
        index_rows.append((notification_id, originator, stored.originator_version, event_type, state["stage"],
                           state["effective_on"], state["recorded_at"], head, new_hash))
        if event_type == "LineOpened":
            line_rows.append((originator, state["opd"], state["tahun"], state["key"], state["kode"],
                              state["level"], state["nama"], state["parent_key"]))
        elif event_type == "KodeRecorded":
            kode_updates.append((state["kode"], originator))
        head = new_hash
    return IndexBatch(index_rows, line_rows, kode_updates, head)
