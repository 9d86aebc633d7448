"""Least privilege on a shared PostgreSQL ledger (docs/postgresql-roles.md): the schema owner
creates the tables and the guard's triggers (events_store/postgres_guard.py); a writer role may
only SELECT and INSERT the events, the time index and the line register, and only read the
read model; a reader role may only SELECT. The ledger runs under the writer and records the
writer's role as `recorded_by`; the database itself refuses the writer's UPDATE, DELETE or
TRUNCATE of the events, and what a plain SQL INSERT would forge past the application: an event
under another name, for an OPD not its own, off the chain, or index and register rows of no
event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cli.app import app as cli_app
from events_store.bootstrap import open_ledger
from events_store.chain import GENESIS, event_hash
from events_store.postgres_guard import RecordRefused
from events_store.time_index import INDEX_COLUMNS, index_fields
from ledger.access import AccessRole, Actor
from ledger.application.commands import RevisePagu
from ledger.basis import Basis, Source, Stage
from ledger.line_events import PaguSet
from ledger.money import Rupiah
from projections.current import NAME as READ_MODEL
from tests.conftest import _psycopg_conninfo, invoke

PROTECTED = ("renjaledger_events", "renja_event_index", "renja_lines", "renja_evidence")  # the record: insert-only
DERIVED = (READ_MODEL, "renjaledger_tracking")  # the read model and its tracking: the owner's
FASILITASI = "7.01.01.2.06.08"
OPD = "Kecamatan Mangkutana"
PASSWORD = "kata-sandi-panjang\n"


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def role_of(url: str) -> str:
    return str(make_url(url).username)


@dataclass
class Roles:
    owner: str
    writer: str = ""
    reader: str = ""
    made: list[str] = field(default_factory=list)  # every role a test created, dropped at the end

    def add(self, base: str, *, writer: bool = True) -> str:
        """Another login role, granted as the documentation says for a writer (or a reader)."""
        role = f"{base}_{str(make_url(self.owner).database)[-8:]}"
        with psycopg.connect(**_psycopg_conninfo(self.owner)) as connection:
            connection.execute(f'CREATE ROLE "{role}" LOGIN')
            (grant_writer if writer else grant_reader)(connection, role)
        self.made.append(role)
        return as_role(self.owner, role)


def grant_writer(connection: psycopg.Connection[Any], role: str) -> None:
    """docs/postgresql-roles.md, section 3."""
    connection.execute(f'GRANT SELECT, INSERT ON {", ".join(PROTECTED)} TO "{role}"')
    connection.execute(f'GRANT UPDATE (kode) ON renja_lines TO "{role}"')
    connection.execute(f'GRANT SELECT ON {", ".join(DERIVED)}, renja_channels TO "{role}"')
    connection.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')


def grant_reader(connection: psycopg.Connection[Any], role: str) -> None:
    """docs/postgresql-roles.md, section 6."""
    connection.execute(f'GRANT SELECT ON {", ".join((*PROTECTED, *DERIVED))}, renja_channels TO "{role}"')


@pytest.fixture
def roles(demo_url: str, backend: str) -> Iterator[Roles]:
    """A writer and a reader, granted as documented; no account yet."""
    if backend != "postgres":
        pytest.skip("roles and grants are PostgreSQL's")
    assert invoke(demo_url, "projections", "rebuild").exit_code == 0  # the owner creates the read model too
    roles = Roles(demo_url)
    try:
        roles.writer, roles.reader = roles.add("renja_writer"), roles.add("renja_reader", writer=False)
        yield roles
    finally:
        with psycopg.connect(**_psycopg_conninfo(demo_url)) as connection:
            for role in roles.made:
                connection.execute(f'DROP OWNED BY "{role}"')
                connection.execute(f'DROP ROLE "{role}"')


def renja(url: str, *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(cli_app, ["--db", url, *args], input=stdin)


def add_account(admin: str, name: str, role: str, *opds: str) -> None:
    scope = [arg for opd in opds for arg in ("--opd", opd)]
    added = renja(admin, "users", "add", name, "--role", role, *scope, "--password-stdin", stdin=PASSWORD)
    assert added.exit_code == 0, added.output


@pytest.fixture
def accounts(roles: Roles) -> Roles:
    """The schema owner opens the first account (its own, admin), then the writer's: on
    PostgreSQL the database refuses the events of a role without an account."""
    add_account(roles.owner, role_of(roles.owner), "admin")
    add_account(roles.owner, role_of(roles.writer), "perencana", OPD)
    return roles


# --- hand-written SQL, as a hostile writer would -------------------------------------------

def fasilitasi(connection: psycopg.Connection[Any]) -> tuple[UUID, int]:
    """The line's id and its next version."""
    row = connection.execute("SELECT l.line_id, max(e.originator_version) FROM renja_lines l JOIN renjaledger_events e "
                             "ON e.originator_id = l.line_id::uuid WHERE l.kode = %s GROUP BY l.line_id",
                             (FASILITASI,)).fetchone()
    assert row is not None
    return UUID(row[0]), int(row[1]) + 1


def forge_pagu(url: str, *, recorded_by: str, link: str | None = None, digest: str | None = None,
               notification_id: int | None = None, isolation: str | None = None) -> int:
    """Insert a PaguSet of Rp 777.777.777 on the line in one transaction, exactly as the ledger
    writes one: the body a valid event, its index row derived from it, its chain hash computed by
    hand over the current head (or over ``link``; or ``digest`` instead of it). Returns its
    notification id."""
    with psycopg.connect(**_psycopg_conninfo(url)) as connection, connection.transaction():
        if isolation:
            connection.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
        line_id, version = fasilitasi(connection)
        event = PaguSet(originator_id=line_id, originator_version=version, timestamp=datetime.now(UTC),
                        basis=Basis(effective_on=date(2024, 10, 1), recorded_by=recorded_by, reason="SK Bupati 77/2024",
                                    source=Source(command="psql")),
                        stage=Stage.PERUBAHAN, rupiah=Rupiah(777_777_777))
        stored = StoredEvent(originator_id=line_id, originator_version=version, topic=get_topic(PaguSet),
                             state=event.model_dump_json().encode())  # as events_store.mapper stores it
        columns = "originator_id, originator_version, topic, state" + (", notification_id" if notification_id else "")
        params: tuple[Any, ...] = (line_id, version, stored.topic, stored.state)
        params += (notification_id,) if notification_id else ()
        row = connection.execute(f"INSERT INTO renjaledger_events ({columns}) VALUES ({', '.join(['%s'] * len(params))}) "
                                 "RETURNING notification_id", params).fetchone()
        assert row is not None
        number = int(row[0])
        before = connection.execute("SELECT hash FROM renja_event_index WHERE notification_id < %s "
                                    "ORDER BY notification_id DESC LIMIT 1", (number,)).fetchone()
        prev = link if link is not None else (before[0] if before else GENESIS)
        fields = index_fields(event)
        connection.execute(f"INSERT INTO renja_event_index ({', '.join(INDEX_COLUMNS)}) VALUES "
                           f"({', '.join(['%s'] * len(INDEX_COLUMNS))})",
                           (number, str(line_id), version, fields["event_type"], fields["stage"], fields["effective_on"],
                            fields["recorded_at"], prev, digest or event_hash(prev, stored)))
    return number


def event_count(url: str) -> int:
    with psycopg.connect(**_psycopg_conninfo(url)) as connection:
        row = connection.execute("SELECT count(*) FROM renjaledger_events").fetchone()
    assert row is not None
    return int(row[0])


def head(url: str) -> str:
    shown = invoke(url, "verify", "--head")
    assert shown.exit_code == 0, shown.output
    return str(shown.stdout)


def pagu_now(url: str) -> dict[str, Any]:
    shown = invoke(url, "pagu", FASILITASI, "--stage", "perubahan", "--format", "json")
    assert shown.exit_code == 0, shown.output
    return dict(json.loads(shown.stdout))


# --- the writer through the application -----------------------------------------------------

def test_the_writer_role_records_as_itself_and_cannot_rewrite(accounts: Roles) -> None:
    writer = accounts.writer
    revised = invoke(writer, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan",
                     "--effective", "2024-10-01", "--reason", "SK Bupati 99/2024")
    assert revised.exit_code == 0, revised.output
    pagu = pagu_now(writer)
    role = role_of(writer)
    assert pagu["pagu"] == 210_000_000 and pagu["set_by"]["recorded_by"] == role
    with psycopg.connect(**_psycopg_conninfo(accounts.owner)) as connection:
        basis = connection.execute("SELECT convert_from(state, 'UTF8')::jsonb -> 'basis' FROM renjaledger_events "
                                   "ORDER BY notification_id DESC LIMIT 1").fetchone()
    assert basis is not None and basis[0]["recorded_by"] == role and basis[0]["channel"] is None
    refused = invoke(writer, "--user", "someone-else", "revise-pagu", FASILITASI, "1", "--stage", "perubahan",
                     "--effective", "2024-10-01", "--reason", "x")
    assert refused.exit_code == 1 and "not accepted on PostgreSQL" in refused.output
    conninfo = _psycopg_conninfo(writer)
    for statement in ("UPDATE renjaledger_events SET state = state", "DELETE FROM renja_event_index",
                      "TRUNCATE renja_lines", "UPDATE renja_event_index SET effective_on = '2099-01-01'",
                      "UPDATE renja_evidence SET isi = isi", "DELETE FROM renja_evidence"):
        with psycopg.connect(**conninfo) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)
    assert invoke(writer, "verify").exit_code == 0


def test_the_writer_reads_the_plan_it_cannot_project_as_the_owner_does(accounts: Roles) -> None:
    """The writer may not bring the read model up to date: its reports fall back to the time
    index, without an error, and answer what the owner's caught-up read model answers."""
    writer, owner = accounts.writer, accounts.owner
    assert invoke(writer, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan", "--effective", "2024-10-01",
                  "--reason", "SK Bupati 99/2024").exit_code == 0
    mine = invoke(writer, "report", "perubahan", "--format", "json")
    assert mine.exit_code == 0 and not mine.stderr, mine.output
    with psycopg.connect(**_psycopg_conninfo(owner)) as connection:
        tracked, last = connection.execute("SELECT (SELECT max(notification_id) FROM renjaledger_tracking WHERE "
                                           "application_name = %s), (SELECT max(notification_id) FROM renjaledger_events)",
                                           (DERIVED[0],)).fetchone() or (None, None)
    assert tracked is not None and last is not None and tracked < last  # not caught up by the writer's read
    theirs = invoke(owner, "report", "perubahan", "--format", "json")
    assert theirs.exit_code == 0, theirs.output
    answer = {key: value for key, value in json.loads(mine.stdout).items() if key != "known_at"}
    assert answer == {key: value for key, value in json.loads(theirs.stdout).items() if key != "known_at"}
    assert "210.000.000" in mine.stdout.replace("210000000", "210.000.000")


def test_the_read_model_and_tracking_are_the_owners(accounts: Roles) -> None:
    conninfo = _psycopg_conninfo(accounts.writer)
    for statement in (f"UPDATE {DERIVED[0]} SET state_json = state_json", f"DELETE FROM {DERIVED[0]}",
                      f"INSERT INTO {DERIVED[0]} SELECT * FROM {DERIVED[0]} LIMIT 1",
                      f"UPDATE {DERIVED[1]} SET notification_id = 1", f"DELETE FROM {DERIVED[1]}",
                      f"INSERT INTO {DERIVED[1]} VALUES ('{READ_MODEL}', 999999)",
                      "INSERT INTO renja_channels VALUES ('anyone')"):
        with psycopg.connect(**conninfo) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)
    with psycopg.connect(**conninfo) as connection:  # but it reads them
        assert connection.execute(f"SELECT count(*) FROM {DERIVED[0]}").fetchone() == (64,)
    rebuilt = invoke(accounts.writer, "projections", "rebuild")
    assert rebuilt.exit_code == 1 and "kept by the schema owner" in rebuilt.output, rebuilt.output
    assert "internal error" not in rebuilt.output


# --- what a plain INSERT would forge --------------------------------------------------------

def test_a_forged_event_under_another_name_is_refused_by_the_database(accounts: Roles) -> None:
    """The hostile tester's forgery: a valid PaguSet of Rp 777.777.777 with a correct chain hash,
    recorded_by someone else. Nothing is written, and verify still passes with the same head."""
    writer, owner = accounts.writer, accounts.owner
    before, count = head(writer), event_count(owner)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="names someone_else as who recorded it"):
        forge_pagu(writer, recorded_by="someone_else")
    assert event_count(owner) == count and head(writer) == before
    assert pagu_now(writer)["pagu"] != 777_777_777
    # The forgery was exact: the owner (exempt, it could disable triggers anyway) writes the same
    # and verify accepts it. Only the guard stood between the writer and a forged record.
    forge_pagu(owner, recorded_by="someone_else")
    assert head(writer) != before and pagu_now(writer)["pagu"] == 777_777_777


def test_a_forged_event_for_an_opd_not_its_own_is_refused(accounts: Roles) -> None:
    writer, owner = accounts.writer, accounts.owner
    name = role_of(writer)
    moved = renja(owner, "users", "role", name, "--role", "perencana", "--opd", "Kecamatan Burau")
    assert moved.exit_code == 0, moved.output
    before = head(writer)
    with pytest.raises(psycopg.errors.InsufficientPrivilege,
                       match=rf"{name} \(perencana\) may not record PaguSet for {OPD}"):
        forge_pagu(writer, recorded_by=name)
    assert head(writer) == before
    # Its own OPD again: the same hand-written event is within its rights, so the database takes it.
    assert renja(owner, "users", "role", name, "--role", "perencana", "--opd", OPD).exit_code == 0
    forge_pagu(writer, recorded_by=name)
    assert pagu_now(writer)["set_by"]["recorded_by"] == name and invoke(writer, "verify").exit_code == 0


def test_an_event_without_an_account_is_refused_and_the_cli_says_why_in_one_line(roles: Roles) -> None:
    """No account on the ledger at all: the application lets the connection's role record
    everything, the database does not; the CLI reports the refusal as one line."""
    before = head(roles.writer)
    refused = invoke(roles.writer, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan",
                     "--effective", "2024-10-01", "--reason", "x")
    assert refused.exit_code == 1, refused.output
    assert f"{role_of(roles.writer)} has no account on this ledger" in refused.output
    assert refused.output.count("\n") == 1 and "internal error" not in refused.output
    assert "Traceback" not in refused.output and head(roles.writer) == before


@pytest.mark.parametrize("forgery", ["genesis link", "link to no event", "hash not the event's",
                                     "number above the sequence", "number in a gap", "repeatable read"])
def test_an_event_off_the_chain_is_refused(accounts: Roles, forgery: str) -> None:
    writer, name = accounts.writer, role_of(accounts.writer)
    count = event_count(accounts.owner)
    expected = {"genesis link": "its link to the previous event does not match",
                "link to no event": "its link to the previous event does not match",
                "hash not the event's": "its hash in the time index is not the hash of the event",
                "number above the sequence": "was not drawn from the ledger's sequence",
                "number in a gap": "was inserted before events already recorded",
                "repeatable read": "written in repeatable read isolation"}[forgery]
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=expected):
        if forgery == "genesis link":
            forge_pagu(writer, recorded_by=name, link=GENESIS)
        elif forgery == "link to no event":
            forge_pagu(writer, recorded_by=name, link="f" * 64)
        elif forgery == "hash not the event's":
            forge_pagu(writer, recorded_by=name, digest="0" * 64)
        elif forgery == "number above the sequence":
            forge_pagu(writer, recorded_by=name, notification_id=10**12)
        elif forgery == "repeatable read":  # a snapshot older than the lock could miss the head
            forge_pagu(writer, recorded_by=name, isolation="REPEATABLE READ")
        else:
            with psycopg.connect(**_psycopg_conninfo(writer)) as connection:
                gap = connection.execute("SELECT nextval(pg_get_serial_sequence('renjaledger_events', "
                                         "'notification_id'))").fetchone()
            assert gap is not None
            assert invoke(writer, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan", "--effective",
                          "2024-10-01", "--reason", "x").exit_code == 0
            count += 1
            forge_pagu(writer, recorded_by=name, notification_id=int(gap[0]))
    assert event_count(accounts.owner) == count and invoke(writer, "verify").exit_code == 0


def test_index_and_register_rows_of_no_event_are_refused(accounts: Roles) -> None:
    conninfo = _psycopg_conninfo(accounts.writer)
    with psycopg.connect(**conninfo) as connection:
        line_id, _next = fasilitasi(connection)
        last = connection.execute("SELECT notification_id, hash FROM renja_event_index "
                                  "ORDER BY notification_id DESC LIMIT 1").fetchone()
    assert last is not None
    forged = {
        "index row": ("INSERT INTO renja_event_index VALUES (%s, %s, 99, 'PaguSet', 'perubahan', '2024-10-01', "
                      "'2024-10-01T00:00:00.000000Z', %s, %s)", (last[0] + 1000, str(line_id), last[1], "e" * 64),
                      "names no recorded event"),
        "register row": ("INSERT INTO renja_lines VALUES ('00000000-0000-0000-0000-000000000001', %s, 2024, 'nama:palsu', "
                         "'9.99', 'sub_kegiatan', 'Palsu', NULL)", (OPD,), "does not agree with its events"),
        "register kode": ("UPDATE renja_lines SET kode = '9.99.99' WHERE line_id = %s", (str(line_id),),
                          "does not agree with its events"),
    }
    for statement, params, message in forged.values():
        with psycopg.connect(**conninfo) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege,
                                                                      match=message):
            connection.execute(statement, params)
    assert invoke(accounts.writer, "verify").exit_code == 0


def test_the_record_stays_append_only_for_a_role_granted_too_much(accounts: Roles) -> None:
    """A mistaken grant of UPDATE or DELETE on the record still changes nothing of it."""
    careless = accounts.add("renja_careless")
    with psycopg.connect(**_psycopg_conninfo(accounts.owner)) as connection:
        connection.execute(f'GRANT UPDATE, DELETE, TRUNCATE ON {", ".join(PROTECTED)} TO "{role_of(careless)}"')
    before = head(accounts.writer)
    for statement in ("UPDATE renjaledger_events SET state = state", "DELETE FROM renja_event_index",
                      "TRUNCATE renja_event_index", "DELETE FROM renja_lines",
                      "UPDATE renja_event_index SET effective_on = '2099-01-01'",
                      "UPDATE renja_evidence SET isi = isi", "DELETE FROM renja_evidence", "TRUNCATE renja_evidence"):
        with psycopg.connect(**_psycopg_conninfo(careless)) as connection, pytest.raises(
                psycopg.errors.InsufficientPrivilege, match="the record is append-only"):
            connection.execute(statement)
    assert head(accounts.writer) == before


def test_an_admin_role_opens_accounts_and_the_database_takes_them(accounts: Roles) -> None:
    """Account events need the admin role, in the database as in the application."""
    admin = accounts.add("renja_admin")
    add_account(accounts.owner, role_of(admin), "admin")
    add_account(admin, "siti", "verifikator")
    listed = renja(accounts.reader, "users", "list")
    assert listed.exit_code == 0 and f"siti\tverifikator\t-\t{role_of(admin)}" in listed.stdout, listed.output


# --- the web application's channel ---------------------------------------------------------

def revise_through(url: str, channel_role: str, user: str) -> None:
    """What the web application does for its logged-in user: the user's account records, the
    server's role is the channel."""
    ledger = open_ledger(url)
    try:
        ledger.app.handle(RevisePagu(line=FASILITASI, stage=Stage.PERUBAHAN, rupiah=Rupiah(215_000_000),
                                     effective_on=date(2024, 10, 2), opd=OPD, tahun=2024, reason="via web",
                                     source=Source(command="web")),
                          actor=Actor(user, AccessRole.PERENCANA, frozenset({OPD})), channel=f"web ({channel_role})")
    finally:
        ledger.app.close()


def test_a_registered_web_channel_records_for_its_logged_in_user(accounts: Roles) -> None:
    user = role_of(accounts.writer)
    web, stranger = accounts.add("renja_web"), accounts.add("renja_proxy")
    with psycopg.connect(**_psycopg_conninfo(accounts.owner)) as connection:
        connection.execute("INSERT INTO renja_channels (role) VALUES (%s)", (role_of(web),))
    before = head(accounts.writer)
    with pytest.raises(RecordRefused, match=f"{role_of(stranger)} is not a channel registered"):
        revise_through(stranger, role_of(stranger), user)
    assert head(accounts.writer) == before
    revise_through(web, role_of(web), user)
    pagu = pagu_now(accounts.writer)
    assert pagu["pagu"] == 215_000_000 and pagu["set_by"]["recorded_by"] == user
    # Registered, but naming a channel other than its own: refused.
    with pytest.raises(RecordRefused, match="is not a channel registered"):
        revise_through(web, "renja_web_other", user)


# --- the reader ----------------------------------------------------------------------------

def test_the_reader_role_reads_and_verifies_but_cannot_record(accounts: Roles) -> None:
    reader = accounts.reader
    # Even with an account that may record the plan, the reader's grants let it record nothing.
    add_account(accounts.owner, role_of(reader), "perencana", OPD)
    head_before = invoke(reader, "verify", "--head")
    assert head_before.exit_code == 0, head_before.output
    report = invoke(reader, "report", "perubahan", "--format", "json")
    assert report.exit_code == 0 and "2.982.102.179" in report.stdout.replace("2982102179", "2.982.102.179"), report.output
    refused = invoke(reader, "revise-pagu", FASILITASI, "1", "--stage", "perubahan", "--effective", "2024-10-01",
                     "--reason", "x")
    assert refused.exit_code == 1 and "permission denied" in refused.output and "internal error" not in refused.output
    assert invoke(reader, "verify", "--head").stdout == head_before.stdout
