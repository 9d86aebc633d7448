"""The time index's tables: their names, columns and DDL, and the predicates its queries repeat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from events_store.chain import GENESIS
from ledger.accounts import ACCOUNT_EVENTS
from ledger.document import DocumentRegistered
from ledger.plan import LineKodeRecorded, LineRegistered
from ledger.timeless import TIMELESS_EVENTS
from ledger.tindak_lanjut import FOLLOW_UP_EVENTS
from ledger.usulan import USULAN_EVENTS

INDEX_TABLE = "renja_event_index"
LINES_TABLE = "renja_lines"
INDEX_COLUMNS = ("notification_id", "originator_id", "originator_version", "event_type", "stage",
                 "effective_on", "recorded_at", "prev_hash", "hash")
LINE_COLUMNS = ("line_id", "opd", "tahun", "line_key", "kode", "level", "nama", "parent_key")
TIMELESS = ", ".join(f"'{cls.__name__}'" for cls in TIMELESS_EVENTS)
# Event types found by type rather than by aggregate (a plan's documents, the accounts): few
# among many, so a partial index holds just them. Queries repeat its predicate word for word,
# which is how SQLite (and PostgreSQL, with literals) know they may use it.
# (Schema revision 0003 added the proposals' and the follow-ups' events: their listings read them by type.)
RARE_NAMES = {DocumentRegistered.__name__, *(cls.__name__ for cls in (*ACCOUNT_EVENTS, *USULAN_EVENTS, *FOLLOW_UP_EVENTS))}
RARE_TYPES = "'" + "', '".join(sorted(RARE_NAMES)) + "'"
RARE = f"i.event_type IN ({RARE_TYPES})"
# The plan's own register of its lines (one event per line, accounts included): the register
# table holds the same, and no view reads them, so reading a plan leaves them out.
REGISTER = f"i.event_type NOT IN ('{LineRegistered.__name__}', '{LineKodeRecorded.__name__}')"


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
        f"CREATE INDEX IF NOT EXISTS {INDEX_TABLE}_rare ON {INDEX_TABLE} (event_type, notification_id) "
        f"WHERE event_type IN ({RARE_TYPES})",
    ]


# The chain's head as recorded: how many events are indexed and the hash of the last (`verify`
# recomputes it from the events; a backup and an upgrade compare it before and after).
STORED_HEAD = (f"SELECT COUNT(*), (SELECT hash FROM {INDEX_TABLE} ORDER BY notification_id DESC LIMIT 1) "
               f"FROM {INDEX_TABLE}")


def stored_head(row: Sequence[Any] | None) -> tuple[int, str]:
    """(count, head) from the row ``STORED_HEAD`` returns."""
    if row is None:
        return 0, GENESIS
    return int(row[0]), str(row[1]) if row[1] is not None else GENESIS
