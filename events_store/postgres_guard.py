"""PostgreSQL's own guard on the record: identity, rights and the chain, checked by the database.

Why: the application decides who records and what they may record (``ledger.access``), and it
writes the hash chain under a lock. But a writer role needs INSERT on the record, and with it a
plain SQL ``INSERT`` skips the application: an event under someone else's name, for a plan not
its own, with its chain hash computed by hand, and ``verify`` passes, because the chain is
tamper evidence, not authorization. So on a shared PostgreSQL ledger the database checks the
same things itself, with triggers the schema owner creates together with the tables. The
application's rules stay the first line (they explain, and they check the business rules);
this is the second, and no plain INSERT gets past it:

* every INSERT into the events table first takes the writers' transaction advisory lock
  (``LOCK_KEY``), so a hand-written insert is serialized with the application's writers and
  the chain has one order (the notification ids are drawn under the lock);
* at commit (a deferred constraint trigger: by then the event, its index row and its register
  row are all there), each event written by a role that does not own the tables must be an
  event of this ledger whose body names its own aggregate and version, follow its aggregate's
  previous version, come after every event already recorded, have its time-index row with the
  right columns, link and SHA-256 (as ``events_store.chain`` computes it), name the connection's
  role as ``recorded_by`` (or come through a registered channel, the web application, as
  ``web (<its role>)``), and be allowed to its recorder's account by the one access policy
  (``ledger.access.Actor.may``, tabulated from Python here, not written a second time);
* an index row or line-register row written by such a role must belong to a recorded event
  and agree with the events;
* and should such a role ever be granted UPDATE, DELETE or TRUNCATE on the record by mistake,
  the record stays append-only all the same.

The owner is exempt: it may ALTER or disable triggers anyway, and the trigger's WHEN clause
skips its rows before they are queued, so its bulk imports (the bench, ``make test``) cost one
membership test per row. A refusal raises SQLSTATE 42501 (insufficient_privilege) with
``renja: ...`` in English for whoever wrote the SQL, and the refusal's key and values as JSON
in DETAIL, from which ``refusal_of`` makes the user's message in their language. The whole
transaction is rolled back: nothing of it is written.

Installing takes DROP/CREATE TRIGGER's ACCESS EXCLUSIVE lock on the tables, so it runs only when
the SQL changed (its fingerprint is kept as the comment of the event check function), not every
time the owner opens the ledger; the recorder runs it under the advisory lock it creates the
tables under, so two processes starting at once install it once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.utils import get_topic, resolve_topic

from events_store.chain import GENESIS
from events_store.integrity import ledger_topics
from events_store.time_index import INDEX_TABLE, LINES_TABLE, RARE_TYPES
from ledger.access import AccessRole, Actor, Permission
from ledger.accounts import ACCOUNT_EVENTS, Account, AccountOpened, RoleChanged
from ledger.errors import RuleViolated, StoreError
from ledger.events import Aggregate
from ledger.i18n import N_, _
from ledger.line_events import EventCorrected, KodeRecorded, LineOpened

LOCK_KEY = 72817002  # the writers' transaction advisory lock (RenjaPostgresRecorder._lock_table)
CHANNELS_TABLE = "renja_channels"
REFUSED = "42501"  # insufficient_privilege
CHANNELS_DDL = f"CREATE TABLE IF NOT EXISTS {CHANNELS_TABLE} (role TEXT PRIMARY KEY)"

# What each event needs of its recorder's account, as ``ledger.application.handlers.PERMISSIONS``
# says of the commands that record them; every other event of the ledger is a plan's (WRITE_PLAN).
EVENT_PERMISSIONS: dict[type[Any], Permission] = {
    **{cls: Permission.MANAGE_ACCOUNTS for cls in ACCOUNT_EVENTS},
    EventCorrected: Permission.CORRECT,
}

# Every refusal: its English text is the message id, shown translated by ``refusal_of`` and
# raised as is by the database (placeholders filled from the same values).
REFUSALS: dict[str, str] = {
    "isolation": N_("event #{event} was written in {isolation} isolation; the ledger records in read committed"),
    "topic": N_("event #{event}: {topic} is not an event of this ledger"),
    "body": N_("event #{event}: its body is not the JSON of a ledger event of its own aggregate and version"),
    "sequence": N_("event #{event}: its number was not drawn from the ledger's sequence"),
    "version": N_("event #{event}: version {version} of {aggregate} does not follow its previous version "
                  "(an aggregate's first event opens it)"),
    "no-index": N_("event #{event} has no row in the time index"),
    "link": N_("event #{event}: its link to the previous event does not match the chain "
               "(expected {expected}..., given {given}...)"),
    "hash": N_("event #{event}: its hash in the time index is not the hash of the event (expected {expected}..., "
               "given {given}...)"),
    "order": N_("event #{event} was inserted before events already recorded"),
    "index-row": N_("event #{event}: its index row says {column} {given}, the event says {wanted}"),
    "register": N_("line {line}: its row in the line register does not agree with its events"),
    "identity": N_("event #{event} names {who} as who recorded it, but the database role writing it is {role}"),
    "channel": N_("event #{event} says it came through {channel}, but {role} is not a channel registered in "
                  "renja_channels, or the channel is not 'web ({role})'"),
    "no-account": N_("event #{event}: {who} has no account on this ledger (an admin opens it with `renja users add`; "
                     "the schema owner opens the first)"),
    "rights": N_("event #{event}: {who} ({role}) may not record {type} for {opd}"),
    "orphan-index": N_("index row #{event} names no recorded event"),
    "append-only": N_("the record is append-only: {role} may not {operation} {table}"),
}


class RecordRefused(StoreError):
    """The database refused what a connection wrote to the record (identity, rights, chain)."""


def refusal_of(error: BaseException) -> RecordRefused | None:
    """The guard's refusal behind a database error (the library wraps psycopg's), as the user's
    one-line message in their language; None for any other error."""
    cause = error if isinstance(error, psycopg.Error) else error.__cause__
    if not isinstance(cause, psycopg.Error) or cause.diag.sqlstate != REFUSED:
        return None
    try:
        detail = json.loads(cause.diag.message_detail or "")
    except ValueError:
        return None
    if not isinstance(detail, dict) or detail.get("refusal") not in REFUSALS:
        return None
    # The values may come from a hand-written row: one line each, and not a page of it.
    values = {str(key): "-" if value is None else " ".join(str(value).split())[:80] for key, value in detail.items()}
    reason = _(REFUSALS[values["refusal"]]).format(**values)
    return RecordRefused(_("the database refused the write ({reason}); nothing was recorded").format(reason=reason))


# --- the policy, from the domain's own code ----------------------------------------------

SCOPES = {"own": "A", "other": "B", "none": None}  # the event's OPD: one of the account's, another, none


def account_roles() -> list[AccessRole]:
    """The roles an account can hold (``Account.check_role_scope`` refuses the others)."""
    held = []
    for role in AccessRole:
        try:
            Account.check_role_scope("x", role, ("A",))
        except RuleViolated:
            continue
        held.append(role)
    return held


def policy_rows() -> list[tuple[str, str, str]]:
    """(role, permission, scope) for every case ``Actor.may`` allows: the access policy as a table."""
    rows: list[tuple[str, str, str]] = []
    for role in account_roles():
        actor = Actor("x", role, frozenset({"A"}))
        rows.extend((role.value, permission.value, scope) for permission in Permission
                    for scope, opd in SCOPES.items() if actor.may(permission, opd))
    return rows


@dataclass(frozen=True)
class TopicRule:
    topic: str
    permission: Permission
    opens: bool  # the aggregate's first event (version 1)
    has_opd: bool  # names the OPD its aggregate belongs to


def topic_rules() -> list[TopicRule]:
    rules = []
    for topic in sorted(ledger_topics()):
        cls = resolve_topic(topic)
        rules.append(TopicRule(topic, EVENT_PERMISSIONS.get(cls, Permission.WRITE_PLAN),
                               issubclass(cls, Aggregate.Created), "opd" in cls.model_fields))
    return rules


# --- the SQL ---------------------------------------------------------------------------------

def literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def values(rows: list[tuple[Any, ...]]) -> str:
    return ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)


def fill(template: str, **parts: object) -> str:
    """``<<name>>`` placeholders: the SQL itself is full of braces, quotes and percent signs."""
    for name, part in parts.items():
        template = template.replace(f"<<{name}>>", str(part))
    assert "<<" not in template, template
    return template


@dataclass(frozen=True)
class Names:
    """The guarded objects, schema-qualified as found at install time."""

    schema: str  # of the time index, the register and the guard's functions
    events: str
    index: str
    lines: str
    channels: str
    sequence: str
    owner: int  # the events table's owner (oid): exempt


REFUSE = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_refuse(refusal text, args jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $renja$
DECLARE
  rendered text;
  item record;
BEGIN
  SELECT t.message INTO rendered FROM (VALUES <<messages>>) AS t(refusal, message) WHERE t.refusal = $1;
  FOR item IN SELECT a.key, a.value FROM jsonb_each_text(args) AS a LOOP
    rendered := replace(rendered, '{' || item.key || '}', coalesce(item.value, '-'));
  END LOOP;
  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'renja: ' || coalesce(rendered, $1),
    DETAIL = (jsonb_build_object('refusal', $1) || args)::text, HINT = 'see docs/postgresql-roles.md';
END
$renja$"""

# The register row of a line, as the events say it (events_store.time_index.derived_register):
# its LineOpened, with the kode of its last KodeRecorded.
AGREES = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_register_agrees(line text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $renja$
DECLARE
  opened jsonb;
  latest_kode text;
  registered record;
BEGIN
  IF line IS NULL OR line !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RETURN false;
  END IF;
  SELECT convert_from(o.state, 'UTF8')::jsonb INTO opened FROM <<events>> o
   WHERE o.originator_id = line::uuid AND o.originator_version = 1 AND o.topic = <<line_opened>>;
  SELECT convert_from(k.state, 'UTF8')::jsonb ->> 'kode' INTO latest_kode FROM <<events>> k
   WHERE k.originator_id = line::uuid AND k.topic = <<kode_recorded>> ORDER BY k.originator_version DESC LIMIT 1;
  SELECT l.* INTO registered FROM <<lines>> l WHERE l.line_id = line;
  RETURN opened IS NOT NULL AND registered.line_id IS NOT NULL AND coalesce(
    registered.opd = opened ->> 'opd' AND registered.tahun::text = opened ->> 'tahun'
    AND registered.line_key = opened ->> 'key' AND registered.level = opened ->> 'level'
    AND registered.nama = opened ->> 'nama' AND registered.parent_key IS NOT DISTINCT FROM opened ->> 'parent_key'
    AND registered.kode IS NOT DISTINCT FROM coalesce(latest_kode, opened ->> 'kode'), false);
END
$renja$"""

LOCK = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_lock() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  PERFORM pg_advisory_xact_lock(<<lock>>);
  RETURN NULL;
END
$renja$"""

# SECURITY DEFINER: the checks read as the owner (a writer needs no grant for them to work, and
# cannot hide rows from them); session_user stays the role that logged in. Every name is
# schema-qualified and the search path pinned, so a writer's temporary table cannot stand in.
EVENT = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $renja$
DECLARE
  event_no text := NEW.notification_id::text;
  kind text := split_part(NEW.topic, ':', 2);
  rule record;
  body jsonb;
  recorded text;
  opening jsonb;
  opening_topic text;
  opd text;
  link record;
  previous text;
  computed text;
  mismatch record;
  who text;
  channel text;
  account_uuid uuid;
  account jsonb;
  reach text;
  unfollowed boolean;
BEGIN
  -- The chain check below reads what others committed: a snapshot older than the lock would not.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM <<refuse>>('isolation', jsonb_build_object('event', event_no,
                                                       'isolation', current_setting('transaction_isolation')));
  END IF;
  SELECT t.permission, t.opens INTO rule FROM (VALUES <<topics>>) AS t(topic, permission, opens) WHERE t.topic = NEW.topic;
  IF NOT FOUND THEN
    PERFORM <<refuse>>('topic', jsonb_build_object('event', event_no, 'topic', left(coalesce(NEW.topic, '-'), 80)));
  END IF;
  BEGIN
    body := convert_from(NEW.state, 'UTF8')::jsonb;
    recorded := to_char((body ->> 'timestamp')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  EXCEPTION WHEN data_exception THEN
    body := NULL;
  END;
  IF body IS NULL OR jsonb_typeof(body) <> 'object' OR jsonb_typeof(body -> 'basis') IS DISTINCT FROM 'object'
     OR body ->> 'originator_id' IS DISTINCT FROM NEW.originator_id::text
     OR body ->> 'originator_version' IS DISTINCT FROM NEW.originator_version::text THEN
    PERFORM <<refuse>>('body', jsonb_build_object('event', event_no));
  END IF;
  -- An id above the sequence would sit after every event the application records next.
  IF NEW.notification_id > coalesce(pg_sequence_last_value(<<sequence>>::regclass), 0) THEN
    PERFORM <<refuse>>('sequence', jsonb_build_object('event', event_no));
  END IF;
  -- (A CASE inside IF would end the condition at its first THEN: PL/pgSQL's parser.)
  unfollowed := CASE WHEN rule.opens THEN NEW.originator_version <> 1
                     ELSE NEW.originator_version < 2 OR NOT EXISTS (
                       SELECT 1 FROM <<events>> p WHERE p.originator_id = NEW.originator_id
                          AND p.originator_version = NEW.originator_version - 1) END;
  IF unfollowed THEN
    PERFORM <<refuse>>('version', jsonb_build_object('event', event_no, 'version', NEW.originator_version,
                                                     'aggregate', NEW.originator_id));
  END IF;

  -- The chain: this event's own row of the time index, linked to the row before it and to the
  -- one after it (only this transaction's own, which then links back to it).
  SELECT i.* INTO link FROM <<index>> i WHERE i.notification_id = NEW.notification_id;
  IF NOT FOUND THEN
    PERFORM <<refuse>>('no-index', jsonb_build_object('event', event_no));
  END IF;
  SELECT i.hash INTO previous FROM <<index>> i WHERE i.notification_id < NEW.notification_id
   ORDER BY i.notification_id DESC LIMIT 1;
  previous := coalesce(previous, <<genesis>>);
  IF link.prev_hash IS DISTINCT FROM previous THEN
    PERFORM <<refuse>>('link', jsonb_build_object('event', event_no, 'expected', left(previous, 16),
                                                  'given', left(link.prev_hash, 16)));
  END IF;
  computed := encode(sha256(convert_to(link.prev_hash || '|' || NEW.originator_id::text || '|'
                                       || NEW.originator_version::text || '|' || NEW.topic || '|', 'UTF8')
                            || NEW.state), 'hex');
  IF link.hash IS DISTINCT FROM computed THEN
    PERFORM <<refuse>>('hash', jsonb_build_object('event', event_no, 'expected', left(computed, 16),
                                                  'given', left(link.hash, 16)));
  END IF;
  IF EXISTS (SELECT 1 FROM (SELECT i.prev_hash FROM <<index>> i WHERE i.notification_id > NEW.notification_id
                            ORDER BY i.notification_id LIMIT 1) AS following
             WHERE following.prev_hash IS DISTINCT FROM link.hash) THEN
    PERFORM <<refuse>>('order', jsonb_build_object('event', event_no));
  END IF;
  -- The rest of the index row is derived from the event (events_store.time_index.index_fields).
  SELECT c.name, c.given, c.wanted INTO mismatch FROM (VALUES
      ('originator_id', link.originator_id, NEW.originator_id::text),
      ('originator_version', link.originator_version::text, NEW.originator_version::text),
      ('event_type', link.event_type, kind),
      ('stage', link.stage, body ->> 'stage'),
      ('effective_on', link.effective_on, body -> 'basis' ->> 'effective_on'),
      ('recorded_at', link.recorded_at, recorded)) AS c(name, given, wanted)
   WHERE c.given IS DISTINCT FROM c.wanted LIMIT 1;
  IF FOUND THEN
    PERFORM <<refuse>>('index-row', jsonb_build_object('event', event_no, 'column', mismatch.name,
                                                       'given', mismatch.given, 'wanted', mismatch.wanted));
  END IF;
  IF NEW.topic IN (<<line_opened>>, <<kode_recorded>>)
     AND <<schema>>.renja_guard_register_agrees(NEW.originator_id::text) IS NOT TRUE THEN
    PERFORM <<refuse>>('register', jsonb_build_object('line', NEW.originator_id));
  END IF;

  -- Identity: who recorded it is the role that logged in, unless that role is a registered
  -- channel (the web application) recording for its logged-in user.
  who := body -> 'basis' ->> 'recorded_by';
  channel := body -> 'basis' ->> 'channel';
  IF channel IS NULL THEN
    IF who IS DISTINCT FROM session_user::text THEN
      PERFORM <<refuse>>('identity', jsonb_build_object('event', event_no, 'who', who, 'role', session_user::text));
    END IF;
  ELSIF channel IS DISTINCT FROM 'web (' || session_user::text || ')'
        OR NOT EXISTS (SELECT 1 FROM <<channels>> c WHERE c.role = session_user::text) THEN
    PERFORM <<refuse>>('channel', jsonb_build_object('event', event_no, 'channel', channel, 'role', session_user::text));
  END IF;

  -- Rights: the recorder's account as it stood before this event (its AccountOpened by name,
  -- then its latest role), and the OPD of the event's aggregate (named by its opening event).
  SELECT e.originator_id INTO account_uuid FROM <<index>> a JOIN <<events>> e ON e.notification_id = a.notification_id
   WHERE a.event_type IN (<<rare_types>>) AND a.event_type = <<account_opened_type>>
     AND e.topic = <<account_opened>> AND a.notification_id < NEW.notification_id
     AND convert_from(e.state, 'UTF8')::jsonb ->> 'name' = who
   ORDER BY a.notification_id LIMIT 1;
  IF NOT FOUND THEN
    PERFORM <<refuse>>('no-account', jsonb_build_object('event', event_no, 'who', who));
  END IF;
  SELECT convert_from(e.state, 'UTF8')::jsonb INTO account FROM <<events>> e
   WHERE e.originator_id = account_uuid AND e.topic IN (<<account_opened>>, <<role_changed>>)
     AND e.notification_id < NEW.notification_id
   ORDER BY e.originator_version DESC LIMIT 1;
  IF NEW.originator_version = 1 THEN
    opening := body;
    opening_topic := NEW.topic;
  ELSE
    SELECT convert_from(o.state, 'UTF8')::jsonb, o.topic INTO opening, opening_topic FROM <<events>> o
     WHERE o.originator_id = NEW.originator_id AND o.originator_version = 1;
  END IF;
  IF opening_topic IN (<<opd_topics>>) THEN
    opd := opening ->> 'opd';
  END IF;
  reach := CASE WHEN opd IS NULL THEN 'none'
                WHEN jsonb_typeof(account -> 'opds') = 'array' AND (account -> 'opds') ? opd THEN 'own'
                ELSE 'other' END;
  IF NOT EXISTS (SELECT 1 FROM (VALUES <<policy>>) AS p(role, permission, scope)
                  WHERE p.role = account ->> 'role' AND p.permission = rule.permission AND p.scope = reach) THEN
    PERFORM <<refuse>>('rights', jsonb_build_object('event', event_no, 'who', who, 'role', account ->> 'role',
                                                    'type', kind, 'opd', coalesce(opd, '-')));
  END IF;
  RETURN NULL;
END
$renja$"""

INDEX = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_index() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  -- The event itself is checked by its own trigger, index row included; a row without one is refused.
  IF NOT EXISTS (SELECT 1 FROM <<events>> e WHERE e.notification_id = NEW.notification_id) THEN
    PERFORM <<refuse>>('orphan-index', jsonb_build_object('event', NEW.notification_id));
  END IF;
  RETURN NULL;
END
$renja$"""

REGISTER = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_register() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  IF <<schema>>.renja_guard_register_agrees(NEW.line_id) IS NOT TRUE THEN
    PERFORM <<refuse>>('register', jsonb_build_object('line', NEW.line_id));
  END IF;
  RETURN NULL;
END
$renja$"""

# Should a writer ever be granted more than SELECT and INSERT on the record, the record stays
# append-only all the same (a kode of the register is changed, and checked, as the events say).
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  PERFORM <<refuse>>('append-only', jsonb_build_object('role', session_user::text, 'operation', TG_OP,
                                                       'table', TG_TABLE_NAME));
  RETURN NULL;
END
$renja$"""

# The constraint triggers' WHEN is evaluated as each row is written: the owner's rows are never
# queued. (Not a setting a writer could change: a catalog fact about the logged-in role.)
TRIGGERS = """
DROP TRIGGER IF EXISTS renja_guard_lock ON <<events>>;
CREATE TRIGGER renja_guard_lock BEFORE INSERT ON <<events>>
  FOR EACH STATEMENT EXECUTE FUNCTION <<schema>>.renja_guard_lock();
DROP TRIGGER IF EXISTS renja_guard ON <<events>>;
CREATE CONSTRAINT TRIGGER renja_guard AFTER INSERT ON <<events>> DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_event();
DROP TRIGGER IF EXISTS renja_guard ON <<index>>;
CREATE CONSTRAINT TRIGGER renja_guard AFTER INSERT ON <<index>> DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_index();
DROP TRIGGER IF EXISTS renja_guard ON <<lines>>;
CREATE CONSTRAINT TRIGGER renja_guard AFTER INSERT OR UPDATE ON <<lines>> DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_register();
DROP TRIGGER IF EXISTS renja_guard_append_only ON <<events>>;
CREATE TRIGGER renja_guard_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON <<events>>
  FOR EACH STATEMENT WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_append_only();
DROP TRIGGER IF EXISTS renja_guard_append_only ON <<index>>;
CREATE TRIGGER renja_guard_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON <<index>>
  FOR EACH STATEMENT WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_append_only();
DROP TRIGGER IF EXISTS renja_guard_append_only ON <<lines>>;
CREATE TRIGGER renja_guard_append_only BEFORE DELETE OR TRUNCATE ON <<lines>>
  FOR EACH STATEMENT WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_append_only()"""


def guard_sql(names: Names) -> list[str]:
    """The statements that install the guard, in order (each one statement)."""
    rules = topic_rules()
    parts: dict[str, object] = {
        "schema": names.schema, "events": names.events, "index": names.index, "lines": names.lines,
        "channels": names.channels, "sequence": literal(names.sequence), "lock": LOCK_KEY,
        "refuse": f"{names.schema}.renja_guard_refuse", "genesis": literal(GENESIS),
        "messages": values(sorted(REFUSALS.items())),
        "topics": values([(rule.topic, rule.permission.value, rule.opens) for rule in rules]),
        "opd_topics": ", ".join(literal(rule.topic) for rule in rules if rule.opens and rule.has_opd),
        "policy": values(policy_rows()),
        "rare_types": RARE_TYPES, "account_opened_type": literal(AccountOpened.__name__),
        "account_opened": literal(get_topic(AccountOpened)), "role_changed": literal(get_topic(RoleChanged)),
        "line_opened": literal(get_topic(LineOpened)), "kode_recorded": literal(get_topic(KodeRecorded)),
        "guarded": f"NOT pg_has_role(session_user, {names.owner}::oid, 'MEMBER')",
    }
    functions = [fill(template, **parts).strip() for template in (REFUSE, AGREES, LOCK, EVENT, INDEX, REGISTER,
                                                                     APPEND_ONLY)]
    triggers = [statement.strip() for statement in fill(TRIGGERS, **parts).split(";")]
    return [*functions, *triggers]


def fingerprint(statements: list[str]) -> str:
    return "renja guard " + hashlib.sha256("\n;\n".join(statements).encode()).hexdigest()[:32]


# One catalog read: the guarded tables, schema-qualified as found (the library qualifies its
# events table, the time index's are in the current schema), the events table's owner and
# sequence, and the fingerprint of the guard installed beside the time index (if any).
RESOLVE = """
SELECT t.position, c.relowner AS owner, quote_ident(n.nspname) AS schema,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name,
       CASE WHEN t.position = 1 THEN pg_get_serial_sequence(c.oid::regclass::text, 'notification_id') END AS sequence,
       obj_description(to_regprocedure(quote_ident(n.nspname) || '.renja_guard_event()'), 'pg_proc') AS mark
FROM unnest(%s::text[]) WITH ORDINALITY AS t(wanted, position)
LEFT JOIN pg_class c ON c.oid = to_regclass(t.wanted) LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
ORDER BY t.position"""


def resolve_names(cursor: Any, events_schema: str, events_table: str) -> tuple[Names, str | None]:
    """The guarded objects, and the fingerprint of the guard installed now (None: none)."""
    wanted = [f"{identifier(events_schema)}.{identifier(events_table)}", INDEX_TABLE, LINES_TABLE, CHANNELS_TABLE]
    cursor.execute(RESOLVE, (wanted,))
    rows = [dict(row) if isinstance(row, dict) else dict(zip(("position", "owner", "schema", "name", "sequence", "mark"),
                                                              row, strict=True))
            for row in cursor.fetchall()]
    missing = [name for name, row in zip(wanted, rows, strict=True) if row["name"] is None]
    if missing:
        raise StoreError(_("cannot guard the ledger: table {table} does not exist").format(table=missing[0]))
    events, index, lines, channels = rows
    names = Names(index["schema"], events["name"], index["name"], lines["name"], channels["name"], str(events["sequence"]),
                  int(events["owner"]))
    return names, index["mark"]


def install(cursor: Any, events_schema: str, events_table: str) -> bool:
    """Install (or bring up to date) the guard inside the caller's transaction; False when the
    one installed is this one already, which costs one catalog read."""
    names, installed = resolve_names(cursor, events_schema, events_table)
    statements = guard_sql(names)
    mark = fingerprint(statements)
    if installed == mark:
        return False
    for statement in statements:
        cursor.execute(statement)
    cursor.execute(f"COMMENT ON FUNCTION {names.schema}.renja_guard_event() IS {literal(mark)}")
    return True
