"""Evidence files: the table ``renja_evidence`` (events_store.evidence), on both backends.

Revision ID: 0002
Revises: 0001

Each file an event names (a proposal's, a decision's, a finding's follow-up: ledger.bukti) is kept
once, by the SHA-256 of its content, in the ledger's own database (so a backup carries it). The
statement is written out as the recorders run it for a new ledger, and creates only what is
missing. No event is touched; the events recorded before have no files (their ``berkas`` reads as
none). PostgreSQL's guard on the table (append-only for non-owners, a row's content hashing to its
name) is installed with the rest of the guard, by `renja db upgrade`.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATEMENT = ("CREATE TABLE IF NOT EXISTS renja_evidence (sha256 TEXT PRIMARY KEY, jenis TEXT NOT NULL, "
             "ukuran BIGINT NOT NULL, isi {blob} NOT NULL)")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(STATEMENT.format(blob="BYTEA" if postgres else "BLOB"))


def downgrade() -> None:
    raise NotImplementedError("a ledger is upgraded only; restore the copy made before the upgrade to go back")
