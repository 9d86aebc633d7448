"""The partial index of rare event types also holds the proposals' and the follow-ups' events.

Revision ID: 0003
Revises: 0002

Proposals (usulan) and the follow-up of findings (tindak lanjut) are found by their event
types across every plan, as documents and accounts are: few among many line events. Without
them in the partial index ``renja_event_index_rare``, listing a person's inbox or a plan's
follow-ups read the whole time index. The index is made again with the wider predicate, the
same on both backends, and the same as a new ledger's (``events_store.time_index.RARE_TYPES``;
tests/unit/test_schema_revisions.py compares them). No event is touched.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TYPES = ("AccountOpened", "DocumentRegistered", "PasswordChanged", "RoleChanged", "TemuanDibuka", "TemuanDiikuti",
         "TemuanDitanggapi", "TemuanDitutup", "TindakLanjutDicatat", "UsulanDiajukan", "UsulanDiajukanKembali",
         "UsulanDibatalkan", "UsulanDikembalikan", "UsulanDitetapkan", "UsulanDiverifikasi")
PREDICATE = "event_type IN (" + ", ".join(f"'{name}'" for name in TYPES) + ")"


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS renja_event_index_rare")
    op.execute(f"CREATE INDEX renja_event_index_rare ON renja_event_index (event_type, notification_id) WHERE {PREDICATE}")


def downgrade() -> None:
    raise NotImplementedError("a ledger is upgraded only; restore the copy made before the upgrade to go back")
