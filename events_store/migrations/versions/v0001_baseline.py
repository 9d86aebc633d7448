"""Baseline: the schema of the release before schema versions (commit 5ea54ce), on both backends.

Revision ID: 0001
Revises: (none)

Every statement is written out as that release's code ran it (the library's recorders, the time
index, the line register, the channels, the web sessions, the tracking table and the read model
``renja_line_state_v7``), and each creates only what is missing. So on an empty database it builds
the schema, and on a ledger made before schema versions it records the revision without
recreating anything (at most an index or table an older release did not have yet).

The tracking table is created as the library creates it, with its own marker row
(``__migration__``, the library's single-row tracking format); the read model's rows are not
migrated by any revision: it is rebuilt from the events when its name (version) changes
(``projections.current.NAME``). PostgreSQL's guard (triggers and functions generated from the
domain, ``events_store.postgres_guard``) is not part of a revision either: ``renja db upgrade``
and the schema owner's opening of a ledger at the head install it whenever its fingerprint differs.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

RARE = "WHERE event_type IN ('AccountOpened', 'DocumentRegistered', 'PasswordChanged', 'RoleChanged')"

SQLITE = [
    # the library's stored events (eventsourcing 9.5, SQLiteApplicationRecorder)
    "CREATE TABLE IF NOT EXISTS stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
    "PRIMARY KEY (originator_id, originator_version))",
    # the time index and the line register (events_store.time_index)
    "CREATE TABLE IF NOT EXISTS renja_event_index (notification_id INTEGER PRIMARY KEY, originator_id TEXT NOT NULL, "
    "originator_version INTEGER NOT NULL, event_type TEXT NOT NULL, stage TEXT, effective_on TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS renja_event_index_time ON renja_event_index "
    "(originator_id, effective_on, recorded_at, originator_version)",
    "CREATE TABLE IF NOT EXISTS renja_lines (line_id TEXT PRIMARY KEY, opd TEXT NOT NULL, tahun INTEGER NOT NULL, "
    "line_key TEXT NOT NULL, kode TEXT, level TEXT NOT NULL, nama TEXT NOT NULL, parent_key TEXT)",
    "CREATE INDEX IF NOT EXISTS renja_lines_plan ON renja_lines (opd, tahun, kode)",
    f"CREATE INDEX IF NOT EXISTS renja_event_index_rare ON renja_event_index (event_type, notification_id) {RARE}",
    # the web's sessions (events_store.web_sessions)
    "CREATE TABLE IF NOT EXISTS renja_web_sessions (id_sha256 TEXT PRIMARY KEY, account TEXT NOT NULL, "
    "account_version INTEGER NOT NULL, opened_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT)",
    "CREATE INDEX IF NOT EXISTS renja_web_sessions_account ON renja_web_sessions (account)",
    # the read model (projections.current), rebuilt from the events, not migrated
    "CREATE TABLE IF NOT EXISTS renja_line_state_v7 (line_id TEXT PRIMARY KEY, opd TEXT NOT NULL, tahun INTEGER NOT NULL, "
    "line_key TEXT NOT NULL, level TEXT NOT NULL, state_json TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS renja_line_state_v7_plan ON renja_line_state_v7 (opd, tahun)",
]
SQLITE_TRACKING = [
    "CREATE TABLE IF NOT EXISTS tracking (application_name TEXT, notification_id INTEGER, PRIMARY KEY (application_name)) "
    "WITHOUT ROWID",
    "INSERT INTO tracking VALUES ('__migration__', 1)",
]

AUTOVACUUM = ("WITH (    autovacuum_enabled = true,    autovacuum_vacuum_threshold = 100000000,    "
              "autovacuum_vacuum_scale_factor = 0.5,    autovacuum_analyze_threshold = 1000,    "
              "autovacuum_analyze_scale_factor = 0.01)")
POSTGRES = [
    # the library's stored events (eventsourcing 9.5, PostgresApplicationRecorder, application RenjaLedger)
    'CREATE TABLE IF NOT EXISTS "public"."renjaledger_events" (originator_id "uuid" NOT NULL, originator_version bigint '
    "NOT NULL, topic text, state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version)) "
    + AUTOVACUUM,
    # (the library creates its type in a transaction of its own, ignoring "already exists")
    "DO $renja$ BEGIN "
    'CREATE TYPE "public"."stored_event_uuid" AS (originator_id "uuid", originator_version bigint, topic text, state bytea); '
    "EXCEPTION WHEN duplicate_object THEN NULL; END $renja$",
    'CREATE UNIQUE INDEX IF NOT EXISTS "renjaledger_events_notification_id_idx" ON "public"."renjaledger_events" '
    "(notification_id ASC)",
    'CREATE OR REPLACE FUNCTION "public"."es_insert_events_uuid"(events "public"."stored_event_uuid"[]) RETURNS SETOF '
    "bigint LANGUAGE plpgsql AS $BODY$BEGIN    SET LOCAL lock_timeout = '30s';    NOTIFY \"renjaledger_events\";    "
    'RETURN QUERY    INSERT INTO "public"."renjaledger_events" AS t (    originator_id, originator_version, topic, state)'
    "    SELECT originator_id, originator_version, topic, state    FROM unnest(events)    RETURNING notification_id;"
    "END;$BODY$",
    # the time index and the line register (events_store.time_index), tuned by the recorder
    "CREATE TABLE IF NOT EXISTS renja_event_index (notification_id BIGINT PRIMARY KEY, originator_id TEXT NOT NULL, "
    "originator_version INTEGER NOT NULL, event_type TEXT NOT NULL, stage TEXT, effective_on TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS renja_event_index_time ON renja_event_index "
    "(originator_id, effective_on, recorded_at, originator_version)",
    "CREATE TABLE IF NOT EXISTS renja_lines (line_id TEXT PRIMARY KEY, opd TEXT NOT NULL, tahun INTEGER NOT NULL, "
    "line_key TEXT NOT NULL, kode TEXT, level TEXT NOT NULL, nama TEXT NOT NULL, parent_key TEXT)",
    "CREATE INDEX IF NOT EXISTS renja_lines_plan ON renja_lines (opd, tahun, kode)",
    f"CREATE INDEX IF NOT EXISTS renja_event_index_rare ON renja_event_index (event_type, notification_id) {RARE}",
    "ALTER TABLE renja_event_index SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000)",
    "ALTER TABLE renja_lines SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000)",
    # the web application's channel roles (events_store.postgres_guard) and its sessions
    "CREATE TABLE IF NOT EXISTS renja_channels (role TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS renja_web_sessions (id_sha256 TEXT PRIMARY KEY, account TEXT NOT NULL, "
    "account_version INTEGER NOT NULL, opened_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT)",
    "CREATE INDEX IF NOT EXISTS renja_web_sessions_account ON renja_web_sessions (account)",
    # the read model (projections.current), rebuilt from the events, not migrated
    "CREATE TABLE IF NOT EXISTS renja_line_state_v7 (line_id TEXT PRIMARY KEY, opd TEXT NOT NULL, tahun INTEGER NOT NULL, "
    "line_key TEXT NOT NULL, level TEXT NOT NULL, state_json TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS renja_line_state_v7_plan ON renja_line_state_v7 (opd, tahun)",
    # every role may read which revision the ledger is at (a writer checks it before writing)
    "GRANT SELECT ON alembic_version TO PUBLIC",
]
POSTGRES_TRACKING = [
    'CREATE TABLE IF NOT EXISTS "public"."renjaledger_tracking" (application_name text, notification_id bigint, '
    "PRIMARY KEY (application_name))" + AUTOVACUUM,
    """INSERT INTO "public"."renjaledger_tracking" VALUES ('__migration__', 1)""",
]


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    # The tracking table as the library makes it: its marker row only in a table created here
    # (one the library made earlier is the library's to migrate).
    tracking = "renjaledger_tracking" if postgres else "tracking"
    has_tracking = inspect(bind).has_table(tracking, schema="public" if postgres else None)
    for statement in POSTGRES if postgres else SQLITE:
        op.execute(statement)
    if not has_tracking:
        for statement in POSTGRES_TRACKING if postgres else SQLITE_TRACKING:
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("a ledger is upgraded only; restore the copy made before the upgrade to go back")
