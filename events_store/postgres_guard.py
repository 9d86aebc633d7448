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
* an evidence file such a role stores (``renja_evidence``, events_store.evidence) must hash to
  the name it is stored under, with its size;
* and should such a role ever be granted UPDATE, DELETE or TRUNCATE on the record (the evidence
  files included) by mistake, the record stays append-only all the same.

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
from events_store.evidence import EVIDENCE_TABLE
from events_store.integrity import ledger_topics
from events_store.postgres_guard_sql import (
    AGREES,
    APPEND_ONLY,
    EVENT,
    EVIDENCE,
    INDEX,
    LOCK,
    REFUSE,
    REGISTER,
    TRIGGERS,
)
from events_store.time_index import INDEX_TABLE, LINES_TABLE, RARE_TYPES
from ledger.access import Actor, Permission
from ledger.accounts import ACCOUNT_EVENTS, AccountOpened, RoleChanged, holdable_roles
from ledger.errors import StoreError
from ledger.events import Aggregate
from ledger.i18n import N_, _
from ledger.line_events import EventCorrected, KodeRecorded, LineOpened
from ledger.tindak_lanjut import TemuanDibuka, TemuanDiikuti, TemuanDitanggapi, TemuanDitutup, TindakLanjutDicatat
from ledger.usulan import UsulanDikembalikan, UsulanDitetapkan, UsulanDiverifikasi

LOCK_KEY = 72817002  # the writers' transaction advisory lock (RenjaPostgresRecorder._lock_table)
CHANNELS_TABLE = "renja_channels"
REFUSED = "42501"  # insufficient_privilege
CHANNELS_DDL = f"CREATE TABLE IF NOT EXISTS {CHANNELS_TABLE} (role TEXT PRIMARY KEY)"

# What each event needs of its recorder's account, as ``ledger.application.handlers.PERMISSIONS``
# says of the commands that record them; every other event of the ledger is a plan's (WRITE_PLAN).
EVENT_PERMISSIONS: dict[type[Any], Permission] = {
    **{cls: Permission.MANAGE_ACCOUNTS for cls in ACCOUNT_EVENTS},
    EventCorrected: Permission.CORRECT,
    UsulanDiverifikasi: Permission.VERIFY, UsulanDikembalikan: Permission.VERIFY, UsulanDitetapkan: Permission.DECIDE,
    TemuanDiikuti: Permission.FOLLOW_UP, TemuanDitanggapi: Permission.FOLLOW_UP, TindakLanjutDicatat: Permission.FOLLOW_UP,
    TemuanDitutup: Permission.AUDIT, TemuanDibuka: Permission.AUDIT,
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
    "evidence": N_("evidence file {sha256}...: its content does not hash to its name, or its size is not the "
                   "content's"),
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
# An account assigned no OPD (a verifikator or penetap of every OPD, an auditor): the event's OPD
# is then "unassigned" (the account's reach is decided by its role alone, as Actor.covers says).
UNASSIGNED = "unassigned"


def policy_rows() -> list[tuple[str, str, str]]:
    """(role, permission, scope) for every case ``Actor.may`` allows: the access policy as a table."""
    rows: list[tuple[str, str, str]] = []
    for role in holdable_roles():
        actor, unassigned = Actor("x", role, frozenset({"A"})), Actor("x", role)
        rows.extend((role.value, permission.value, scope) for permission in Permission
                    for scope, opd in SCOPES.items() if actor.may(permission, opd))
        rows.extend((role.value, permission.value, UNASSIGNED) for permission in Permission
                    if unassigned.may(permission, "B"))
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
    evidence: str
    sequence: str
    owner: int  # the events table's owner (oid): exempt


def guard_sql(names: Names) -> list[str]:
    """The statements that install the guard, in order (each one statement)."""
    rules = topic_rules()
    parts: dict[str, object] = {
        "schema": names.schema, "events": names.events, "index": names.index, "lines": names.lines,
        "channels": names.channels, "evidence": names.evidence, "sequence": literal(names.sequence), "lock": LOCK_KEY,
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
                                                                     EVIDENCE, APPEND_ONLY)]
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
    wanted = [f"{identifier(events_schema)}.{identifier(events_table)}", INDEX_TABLE, LINES_TABLE, CHANNELS_TABLE,
              EVIDENCE_TABLE]
    cursor.execute(RESOLVE, (wanted,))
    rows = [dict(row) if isinstance(row, dict) else dict(zip(("position", "owner", "schema", "name", "sequence", "mark"),
                                                              row, strict=True))
            for row in cursor.fetchall()]
    missing = [name for name, row in zip(wanted, rows, strict=True) if row["name"] is None]
    if missing:
        raise StoreError(_("cannot guard the ledger: table {table} does not exist").format(table=missing[0]))
    events, index, lines, channels, evidence = rows
    names = Names(index["schema"], events["name"], index["name"], lines["name"], channels["name"], evidence["name"],
                  str(events["sequence"]), int(events["owner"]))
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
