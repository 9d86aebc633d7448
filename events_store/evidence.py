"""The evidence files' table, ``renja_evidence``: each file's content once, by its SHA-256.

One table on both backends (``isi`` a BLOB on SQLite, a BYTEA on PostgreSQL), in the ledger's own
database, so that everything the ledger holds is in one place: `renja backup` and `renja
restore` carry the files with the events (docs/operations.md).

The recorders write a save's files (``evidence``, ledger.application.evidence) **in the
transaction of its events**, after the time index (``write_evidence``). A content kept already
is left as it is (``ON CONFLICT DO NOTHING``: storing the same file twice stores it once, and
needs no right to change a row). Nothing of the ledger changes or deletes a row; on PostgreSQL
the guard keeps the table append-only for every role but the owner and checks that a row a
non-owner writes hashes to its name (events_store.postgres_guard).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from ledger.application.evidence import StoredFile
from ledger.bukti import Lampiran
from ledger.errors import StoreError
from ledger.i18n import _

EVIDENCE_TABLE = "renja_evidence"
COLUMNS = ("sha256", "jenis", "ukuran", "isi")


def ddl(blob_type: str) -> list[str]:
    """The table; ``blob_type`` is the dialect's type of raw bytes (BLOB, BYTEA)."""
    return [f"CREATE TABLE IF NOT EXISTS {EVIDENCE_TABLE} (sha256 TEXT PRIMARY KEY, jenis TEXT NOT NULL, "
            f"ukuran BIGINT NOT NULL, isi {blob_type} NOT NULL)"]


def insert_sql(mark: str) -> str:
    return (f"INSERT INTO {EVIDENCE_TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))}) "
            "ON CONFLICT (sha256) DO NOTHING")


def rows(files: Sequence[Lampiran]) -> list[tuple[Any, ...]]:
    unique = {item.berkas.sha256: item for item in files}
    return [(sha256, item.berkas.jenis, len(item.isi), item.isi) for sha256, item in unique.items()]


def write_evidence(cursor: Any, mark: str, files: Sequence[Lampiran]) -> None:
    """Store a save's files with a DB-API cursor, inside the recorder's transaction."""
    for row in rows(files):
        cursor.execute(insert_sql(mark), row)


class SqlEvidenceStore:
    """``ledger.application.evidence.EvidenceStore`` over the ledger's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._exists: bool | None = None

    def exists(self) -> bool:
        """Whether the table is there (a ledger of revision 0001, not upgraded, has none, and no file)."""
        if not self._exists:  # (asked again until found: an upgrade may create it meanwhile)
            self._exists = inspect(self.engine).has_table(EVIDENCE_TABLE)
        return bool(self._exists)

    def get(self, sha256: str) -> StoredFile | None:
        try:
            if not self.exists():
                return None
            with self.engine.connect() as connection:
                row = connection.execute(text(f"SELECT sha256, jenis, ukuran, isi FROM {EVIDENCE_TABLE} "
                                              "WHERE sha256 = :sha256"), {"sha256": sha256}).first()
        except SQLAlchemyError as error:
            raise StoreError(_("cannot read the evidence files: {error}").format(
                error=" ".join(str(getattr(error, "orig", None) or error).split())[:200])) from None
        return None if row is None else StoredFile(str(row[0]), str(row[1]), int(row[2]), bytes(row[3]))
