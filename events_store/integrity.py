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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import TopicError, get_topic
from pydantic import ValidationError

from events_store.chain import GENESIS, event_hash
from events_store.mapper import decode_event
from events_store.time_index import (
    INDEXED_FIELDS,
    LINE_COLUMNS,
    ChainLink,
    TimeIndex,
    derived_index_row,
    derived_register,
)
from ledger import accounts, document, line_events, plan, tindak_lanjut, usulan
from ledger.bukti import Berkas, Lampiran
from ledger.errors import ChainBroken, ImportFailed, LedgerError
from ledger.events import DomainEvent
from ledger.line_events import KodeRecorded, LineOpened
from ledger.line_fold import fold_line

BATCH = 5000
EVENT_MODULES = {module.__name__ for module in (accounts, document, line_events, plan, tindak_lanjut, usulan)}
# v2: the evidence files the events name follow the events, each as one line (v1 files still load).
FORMAT = "renja-ledger/events-v2"
FORMATS = ("renja-ledger/events-v1", FORMAT)


@dataclass(frozen=True)
class ChainStatus:
    count: int
    head: str


@dataclass(frozen=True)
class ExpectedHead:
    """An auditor's written-down head: the first ``count`` events hash to ``head``."""

    count: int
    head: str

    @classmethod
    def parse(cls, text: str) -> ExpectedHead:
        count, _, head = text.strip().partition(":")
        if not (count.isascii() and count.isdigit() and int(count) > 0 and len(head) == 64
                and all(c in "0123456789abcdef" for c in head)):
            raise LedgerError(f"--expect {text!r}: expected N:HEAD, a count and the 64 hex digits "
                              "`renja verify --head` printed")
        return cls(int(count), head)


def verify_chain(index: TimeIndex, expect: ExpectedHead | None = None) -> ChainStatus:
    """Recompute the chain over every stored event, and check that what the answers read beside
    the events (each index row's own columns, the line register) is what the events say.
    With ``expect``: the first N events must still hash to the head written down then."""
    head = GENESIS
    count = 0
    lines: list[tuple[str, DomainEvent]] = []
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
        if expect is not None and count == expect.count and head != expect.head:
            raise ChainBroken(f"the first {count} events hash to {head}, not to the expected {expect.head}: "
                              "the log was rewritten after that head was written down")
        event = _decoded(stored, where)
        check_index_row(link, stored, event, where)
        if isinstance(event, (LineOpened, KodeRecorded)):
            lines.append((str(stored.originator_id), event))
    indexed = index.count()
    if indexed != count:
        raise ChainBroken(f"chain broken: {indexed} index rows for {count} stored events (an event was deleted)")
    if expect is not None and count < expect.count:
        raise ChainBroken(f"the ledger holds {count} events, fewer than the {expect.count} of the expected head: "
                          "events were removed")
    check_register(derived_register(lines), index.register())
    return ChainStatus(count, head)


def _decoded(stored: StoredEvent, where: str) -> DomainEvent:
    try:
        return cast(DomainEvent, decode_event(stored.topic, stored.state))
    except (ValueError, TypeError, AttributeError, ImportError, TopicError) as error:
        raise ChainBroken(f"{where} cannot be read as a ledger event ({type(error).__name__}): "
                          "it was not recorded by this ledger") from None


def check_index_row(link: ChainLink, stored: StoredEvent, event: DomainEvent, where: str) -> None:
    """The index row's columns are derived from the event: any edit of one is caught here."""
    expected = derived_index_row(stored, event)
    for name, found, wanted in zip(INDEXED_FIELDS, link.indexed or (None,) * len(INDEXED_FIELDS), expected, strict=True):
        if found != wanted:
            raise ChainBroken(f"index row of {where} was edited: {name} is {found!r}, the event says {wanted!r}")


def check_register(derived: dict[str, tuple[Any, ...]], stored: dict[str, tuple[Any, ...]]) -> None:
    """The line register is derived from the lines' opening and kode events, row by row."""
    for line_id in sorted(derived.keys() | stored.keys()):
        wanted, found = derived.get(line_id), stored.get(line_id)
        if found is None:
            raise ChainBroken(f"line register: line {line_id} ({wanted[2] if wanted else ''}) is missing")
        if wanted is None:
            raise ChainBroken(f"line register: line {line_id} ({found[2]}) was added; no event opened it")
        for name, have, want in zip(LINE_COLUMNS[1:], found, wanted, strict=True):
            if have != want:
                raise ChainBroken(f"line register: {name} of line {line_id} ({want if name == 'line_key' else wanted[2]}) "
                                  f"is {have!r}, the events say {want!r}")


def export_events(index: TimeIndex, path: Path, files: Callable[[], Iterable[Lampiran]] = tuple) -> ChainStatus:
    """Every event with its hash, then ``files`` (the evidence files the events name, each once),
    then a trailer with the count of each and the chain's head."""
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
        kept = 0
        for item in files():
            handle.write(json.dumps({"berkas": item.berkas.model_dump(mode="json"),
                                     "isi": base64.b64encode(item.isi).decode()}) + "\n")
            kept += 1
        handle.write(json.dumps({"trailer": True, "count": count, "head": head, "files": kept}) + "\n")
    return ChainStatus(count, head)


def file_record(name: str, number: int, record: dict[str, Any]) -> Lampiran:
    """An evidence file of an export, its content checked against its hash, type and size."""
    try:
        return Lampiran(berkas=Berkas(**record["berkas"]), isi=base64.b64decode(record["isi"], validate=True))
    except (KeyError, TypeError, ValueError, LedgerError) as error:  # pydantic's ValidationError is a ValueError
        reason = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
        raise ImportFailed(name, number, "berkas", f"malformed evidence file record: {reason}", unit="line") from None


def read_export(path: Path, expect: ExpectedHead | None = None) -> tuple[list[StoredEvent], ChainStatus, list[Lampiran]]:
    """Parse and verify a whole export file (its events and the evidence files after them);
    raises before anything is written."""
    name = str(path)
    if not path.is_file():
        raise ImportFailed(name, None, None, "file not found")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise ImportFailed(name, None, None, "not a text file (not UTF-8): not a renja-ledger event export") from None
    except OSError as error:
        raise ImportFailed(name, None, None, f"cannot be read: {error.strerror or error}") from None
    if not lines or _json(name, 1, lines[0]).get("format") not in FORMATS:
        raise ImportFailed(name, 1, "format", f"not a renja-ledger event export (expected {FORMAT!r})", unit="line")
    events: list[StoredEvent] = []
    files: list[Lampiran] = []
    head = GENESIS
    trailer: dict[str, Any] | None = None
    for number, line in enumerate(lines[1:], start=2):
        record = _json(name, number, line)
        if trailer is not None:
            raise ImportFailed(name, number, None, "content after the trailer line", unit="line")
        if record.get("trailer"):
            trailer = record
            continue
        if "berkas" in record:
            files.append(file_record(name, number, record))
            continue
        if files:
            raise ImportFailed(name, number, None, "an event after the evidence files", unit="line")
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
        if expect is not None and len(events) == expect.count and head != expect.head:
            raise ImportFailed(name, number, "hash", f"the first {expect.count} events hash to {head[:16]}..., not to "
                                                     f"the expected {expect.head[:16]}...: the file was rewritten",
                               unit="line")
    if trailer is None:
        raise ImportFailed(name, len(lines), None, "no trailer line: the file is truncated", unit="line")
    if trailer.get("files", 0) != len(files):
        raise ImportFailed(name, len(lines), "trailer", f"says {trailer.get('files')} evidence files, the file holds "
                                                        f"{len(files)}", unit="line")
    if trailer.get("count") != len(events) or trailer.get("head") != head:
        raise ImportFailed(name, len(lines), "trailer", f"says {trailer.get('count')} events and head "
                                                        f"{str(trailer.get('head'))[:16]}..., the file holds {len(events)} "
                                                        f"events ending at {head[:16]}...", unit="line")
    if expect is not None and len(events) < expect.count:
        raise ImportFailed(name, None, None, f"holds {len(events)} events, fewer than the {expect.count} expected")
    check_events(name, events)
    return events, ChainStatus(len(events), head), files


def _not_canonical(given: Any, canonical: Any, path: str = "") -> str | None:
    """The first field of a stored body written otherwise than the ledger writes the same
    event (both parsed exactly, by ``json``), or None. The read model folds stored bodies as
    written (projections.stored_fold), so each field must be in the ledger's own form, keys in
    their order, whole numbers within 64 bits. A field left out, at any depth, is the one
    difference allowed: it takes its default (a body written before the field existed), and
    the fast fold leaves such a body to ``fold_line``."""
    if isinstance(given, dict) and isinstance(canonical, dict):
        if list(given) != [key for key in canonical if key in given]:
            return path or "the body"  # a key unknown, or out of order
        for key, value in given.items():
            found = _not_canonical(value, canonical[key], f"{path}.{key}" if path else key)
            if found is not None:
                return found
        return None
    if isinstance(given, list) and isinstance(canonical, list) and len(given) == len(canonical):
        for number, (value, wanted) in enumerate(zip(given, canonical, strict=True)):
            found = _not_canonical(value, wanted, f"{path}[{number}]")
            if found is not None:
                return found
        return None
    if isinstance(given, int) and not -(2**63) <= given < 2**63:
        return path or "the body"
    return None if type(given) is type(canonical) and given == canonical else path or "the body"


def ledger_topics() -> set[str]:
    """The topic of every concrete event class of the ledger (the leaves under DomainEvent in its
    event modules: lines, plans, documents, accounts): nothing else may enter it."""
    found: set[str] = set()
    pending: list[type] = [DomainEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__ in EVENT_MODULES and not cls.__subclasses__() and "." not in cls.__qualname__:
            found.add(get_topic(cls))  # (Account.Created and the like are the library's, never recorded)
    return found


def check_events(name: str, events: list[StoredEvent]) -> None:
    """An export trusts nothing it was not shown to be: each event of a topic of this ledger,
    its body valid for its model, every aggregate's versions in order from 1, and every line
    refolded without a figure below zero. The first failure is named (line of the file)."""
    topics = ledger_topics()
    versions: dict[str, int] = {}
    lines: dict[str, list[DomainEvent]] = {}
    for number, stored in enumerate(events, start=2):
        aggregate = str(stored.originator_id)
        if stored.topic not in topics:
            raise ImportFailed(name, number, "topic", f"{stored.topic[:60]!r} is not an event of this ledger", unit="line")
        try:
            event = cast(DomainEvent, decode_event(stored.topic, stored.state))
        except (ValueError, TypeError) as error:
            detail = str(error).splitlines()
            raise ImportFailed(name, number, "state", f"not a valid {stored.topic.rsplit(':', 1)[-1]}: "
                                                      f"{' '.join(detail[:3])[:200]}", unit="line") from None
        odd = _not_canonical(json.loads(stored.state), json.loads(event.model_dump_json()))
        if odd is not None:
            raise ImportFailed(name, number, "state", f"{odd} is not written as this ledger writes it (its own JSON "
                                                      "form: a figure as a string, an id in lower case ...)", unit="line")
        if (event.originator_id, event.originator_version) != (stored.originator_id, stored.originator_version):
            raise ImportFailed(name, number, "originator", "the event's body names another aggregate or version",
                               unit="line")
        expected = versions.get(aggregate, 0) + 1
        if stored.originator_version != expected:
            raise ImportFailed(name, number, "originator_version", f"{stored.originator_version} where the aggregate's "
                                                                   f"next version is {expected}", unit="line")
        versions[aggregate] = expected
        if expected == 1 and not isinstance(event, CanInitAggregate):  # the model's own creation event
            raise ImportFailed(name, number, "topic", "an aggregate's first event must open it", unit="line")
        if isinstance(event, LineOpened) or aggregate in lines:  # a budget line's events
            lines.setdefault(aggregate, []).append(event)
    for line_id, its_events in lines.items():
        state = fold_line(its_events)
        if state.negatives:
            below = state.negatives[0]
            raise ImportFailed(name, None, None, f"line {state.kode or state.key} ({line_id}): the {below.stage.value} "
                                                 f"{below.what} would be {below.value} from {below.day.isoformat()}, "
                                                 "which the ledger's rules forbid")


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
