"""Tamper evidence: verify the hash chain, and export / import the event log.

The chain is recomputed from the stored events themselves (``stored_events``), so an
edit of any event's content, or of a hash in the index, is caught at the first broken
link. Export writes the events and their hashes as JSON lines with a trailer holding the
count and the chain head; import refuses a file whose chain or trailer does not verify,
before writing anything.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from events_store.chain import GENESIS, event_hash
from events_store.time_index import TimeIndex
from ledger.errors import ChainBroken, ImportFailed, LedgerError

BATCH = 5000
FORMAT = "renja-ledger/events-v1"


@dataclass(frozen=True)
class ChainStatus:
    count: int
    head: str


def verify_chain(index: TimeIndex) -> ChainStatus:
    head = GENESIS
    count = 0
    for link in index.chain(BATCH):
        notification_id, stored, prev_hash, stated = link.notification_id, link.stored, link.prev_hash, link.hash
        count += 1
        where = f"event #{notification_id} ({stored.topic.rsplit(':', 1)[-1]} v{stored.originator_version} of {stored.originator_id})"
        if stated is None:
            raise ChainBroken(f"chain broken at {where}: the event has no hash in the index (inserted outside the ledger?)")
        if prev_hash != head:
            raise ChainBroken(f"chain broken at {where}: its link to the previous event does not match "
                              f"(expected {head[:16]}..., index says {str(prev_hash)[:16]}...)")
        computed = event_hash(head, stored)
        if computed != stated:
            raise ChainBroken(f"chain broken at {where}: the stored event no longer matches its hash "
                              f"(recomputed {computed[:16]}..., recorded {stated[:16]}...): it was edited after it was recorded")
        head = computed
    indexed = index.count()
    if indexed != count:
        raise ChainBroken(f"chain broken: {indexed} index rows for {count} stored events (an event was deleted)")
    return ChainStatus(count, head)


def export_events(index: TimeIndex, path: Path) -> ChainStatus:
    head, count = GENESIS, 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"format": FORMAT}) + "\n")
        for link in index.chain(BATCH):
            notification_id, stored, stated = link.notification_id, link.stored, link.hash
            head = event_hash(head, stored)
            if stated != head:
                raise ChainBroken(f"refusing to export: event #{notification_id} does not verify; run `renja verify`")
            count += 1
            handle.write(json.dumps({
                "id": notification_id, "originator_id": str(stored.originator_id),
                "originator_version": stored.originator_version, "topic": stored.topic,
                "state": base64.b64encode(stored.state).decode(), "hash": head,
            }) + "\n")
        handle.write(json.dumps({"trailer": True, "count": count, "head": head}) + "\n")
    return ChainStatus(count, head)


def read_export(path: Path) -> tuple[list[StoredEvent], ChainStatus]:
    """Parse and verify a whole export file; raises before anything is written."""
    name = str(path)
    if not path.is_file():
        raise ImportFailed(name, None, None, "file not found")
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or _json(name, 1, lines[0]).get("format") != FORMAT:
        raise ImportFailed(name, 1, "format", f"not a renja-ledger event export (expected {FORMAT!r})", unit="line")
    events: list[StoredEvent] = []
    head = GENESIS
    trailer: dict[str, Any] | None = None
    for number, line in enumerate(lines[1:], start=2):
        record = _json(name, number, line)
        if trailer is not None:
            raise ImportFailed(name, number, None, "content after the trailer line", unit="line")
        if record.get("trailer"):
            trailer = record
            continue
        try:
            stored = StoredEvent(originator_id=UUID(record["originator_id"]),
                                 originator_version=int(record["originator_version"]), topic=str(record["topic"]),
                                 state=base64.b64decode(record["state"], validate=True))
        except (KeyError, ValueError, TypeError) as error:
            raise ImportFailed(name, number, None, f"malformed event record: {error}", unit="line") from None
        head = event_hash(head, stored)
        if record.get("hash") != head:
            raise ImportFailed(name, number, "hash", "does not match the event's content and its predecessors: "
                                                     "the file was edited or reordered", unit="line")
        events.append(stored)
    if trailer is None:
        raise ImportFailed(name, len(lines), None, "no trailer line: the file is truncated", unit="line")
    if trailer.get("count") != len(events) or trailer.get("head") != head:
        raise ImportFailed(name, len(lines), "trailer", f"says {trailer.get('count')} events and head "
                                                        f"{str(trailer.get('head'))[:16]}..., the file holds {len(events)} "
                                                        f"events ending at {head[:16]}...", unit="line")
    return events, ChainStatus(len(events), head)


def _json(name: str, number: int, line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise ImportFailed(name, number, None, f"not a JSON line ({error.msg}); the file is damaged or truncated",
                           unit="line") from None
    if not isinstance(value, dict):
        raise ImportFailed(name, number, None, "expected a JSON object", unit="line")
    return value


def ensure_empty(index: TimeIndex) -> None:
    count = index.count()
    if count:
        raise LedgerError(f"import-events needs an empty ledger; this one holds {count} events")
