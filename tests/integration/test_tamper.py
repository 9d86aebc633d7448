"""Tamper evidence over everything an answer reads, on SQLite and PostgreSQL: an edit of any
column of the time index, of the line register or of the read model is caught by `verify`
(exit 1, naming what differs), and a log rewritten with recomputed hashes is caught against
the head an auditor wrote down (`verify --expect N:HEAD`)."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from sqlalchemy import text

from events_store.chain import GENESIS, event_hash
from events_store.config import resolve
from events_store.engine import engine_for
from events_store.tables import events_table, stored_events_id_column
from projections.current import NAME as READ_MODEL
from tests.conftest import invoke

PERUBAHAN_SET = ("(SELECT MIN(notification_id) FROM renja_event_index WHERE event_type = 'PaguSet' "
                 "AND stage = 'perubahan')")


def execute(url: str, sql: str) -> None:
    engine = engine_for(resolve(url))
    try:
        with engine.begin() as connection:
            assert connection.execute(text(sql)).rowcount >= 1, sql
    finally:
        engine.dispose()


@pytest.mark.parametrize(("sql", "named"), [
    (f"UPDATE renja_event_index SET effective_on = '2099-01-01' WHERE notification_id = {PERUBAHAN_SET}", "effective_on"),
    (f"UPDATE renja_event_index SET recorded_at = '2000-01-01T00:00:00.000000Z' WHERE notification_id = {PERUBAHAN_SET}",
     "recorded_at"),
    (f"UPDATE renja_event_index SET event_type = 'PaguRevised' WHERE notification_id = {PERUBAHAN_SET}", "event_type"),
    (f"UPDATE renja_event_index SET stage = 'murni' WHERE notification_id = {PERUBAHAN_SET}", "stage"),
    (f"UPDATE renja_event_index SET originator_version = 99 WHERE notification_id = {PERUBAHAN_SET}", "originator_version"),
    (f"UPDATE renja_event_index SET originator_id = '00000000-0000-0000-0000-000000000000' "
     f"WHERE notification_id = {PERUBAHAN_SET}", "originator_id"),
    ("UPDATE renja_lines SET kode = '7.01.01.2.06.99' WHERE kode = '7.01.01.2.06.08'", "line register: kode"),
    ("UPDATE renja_lines SET nama = 'Nama lain' WHERE kode = '7.01.01.2.06.08'", "line register: nama"),
    ("UPDATE renja_lines SET opd = 'Kecamatan Lain' WHERE kode = '7.01.01.2.06.08'", "line register: opd"),
    ("DELETE FROM renja_lines WHERE kode = '7.01.01.2.06.08'", "is missing"),
    (f"UPDATE {READ_MODEL} SET state_json = replace(state_json, '200710000', '210000000') "
     f"WHERE state_json LIKE '%200710000%'", "read model"),
    (f"DELETE FROM {READ_MODEL} WHERE line_id IN (SELECT line_id FROM renja_lines WHERE kode = '7.01.01.2.06.08')",
     "read model"),
    # The level decides whether a line is an account, left out of the Renja forms: hiding a line so is caught.
    ("UPDATE renja_lines SET level = 'rekening' WHERE kode = '7.01.01.2.06.08'", "line register: level"),
    (f"UPDATE {READ_MODEL} SET level = 'rekening' WHERE line_id IN "
     "(SELECT line_id FROM renja_lines WHERE kode = '7.01.01.2.06.08')", "level is 'rekening'"),
])
def test_an_edit_of_what_the_answers_read_is_caught(demo_url: str, sql: str, named: str) -> None:
    assert invoke(demo_url, "projections", "rebuild").exit_code == 0
    assert invoke(demo_url, "verify").exit_code == 0
    execute(demo_url, sql)
    broken = invoke(demo_url, "verify")
    assert broken.exit_code == 1 and named in broken.output, broken.output
    assert "Traceback" not in broken.output


def rechain_after_editing_one_event(url: str) -> None:
    """What someone with write access to the database could do: edit an event and recompute every
    later hash, so that the chain verifies on its own."""
    engine = engine_for(resolve(url))
    table, column = events_table(engine), stored_events_id_column(engine)
    try:
        with engine.begin() as connection:
            rows = list(connection.execute(text(
                f"SELECT {column}, originator_id, originator_version, topic, state FROM {table} ORDER BY {column}")))
            target = next(row for row in rows if str(row[3]).endswith(":PaguSet"))
            edited = bytes(target[4]).replace(b'"rupiah":', b'"rupiah":1', 1)
            connection.execute(text(f"UPDATE {table} SET state = :state WHERE {column} = :id"),
                               {"state": edited, "id": target[0]})
            head = GENESIS
            for row in rows:
                state = edited if row[0] == target[0] else bytes(row[4])
                stored = StoredEvent(originator_id=row[1] if isinstance(row[1], UUID) else UUID(str(row[1])),
                                     originator_version=row[2], topic=row[3], state=state)
                new = event_hash(head, stored)
                connection.execute(text("UPDATE renja_event_index SET prev_hash = :prev, hash = :hash "
                                        "WHERE notification_id = :id"), {"prev": head, "hash": new, "id": row[0]})
                head = new
    finally:
        engine.dispose()


def test_a_rewritten_log_is_caught_against_the_head_written_down(demo_url: str) -> None:
    count, head = invoke(demo_url, "verify", "--head").stdout.split()
    expect = f"{count}:{head}"
    assert invoke(demo_url, "verify", "--expect", expect).exit_code == 0
    rechain_after_editing_one_event(demo_url)
    stale = invoke(demo_url, "verify")
    assert stale.exit_code == 1 and "read model" in stale.output  # the read model still says what the events said
    assert invoke(demo_url, "projections", "rebuild").exit_code == 0  # and the forger rebuilds it too
    assert invoke(demo_url, "verify").exit_code == 0  # self-consistent: without an anchor nothing can tell
    caught = invoke(demo_url, "verify", "--expect", expect)
    assert caught.exit_code == 1 and f"the first {count} events hash to" in caught.output
    assert head in caught.output and "rewritten" in caught.output


def test_a_head_with_more_events_than_the_ledger_holds_is_refused(demo_url: str) -> None:
    _count, head = invoke(demo_url, "verify", "--head").stdout.split()
    assert invoke(demo_url, "verify", "--expect", f"99999:{head}").exit_code == 1
    bad = invoke(demo_url, "verify", "--expect", "12:abc")
    assert bad.exit_code == 1 and "N:HEAD" in bad.output


def test_a_signed_head_is_checked_by_signature_and_by_chain(demo_url: str, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private, public = tmp_path / "auditor.pem", tmp_path / "auditor.pub"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    signed = invoke(demo_url, "verify", "--sign", str(private))
    assert signed.exit_code == 0, signed.output
    statement = tmp_path / "head.json"
    statement.write_text(signed.stdout, encoding="utf-8")
    assert json.loads(signed.stdout)["count"] == 1436
    checked = invoke(demo_url, "verify", "--check", str(statement), "--key", str(public))
    assert checked.exit_code == 0 and "the first 1436 events still hash to" in checked.output, checked.output
    altered = json.loads(signed.stdout) | {"count": 1000}
    (tmp_path / "altered.json").write_text(json.dumps(altered), encoding="utf-8")
    forged = invoke(demo_url, "verify", "--check", str(tmp_path / "altered.json"))
    assert forged.exit_code == 1 and "altered or forged" in forged.output
    other = Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.PEM,
                                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "other.pub").write_bytes(other)
    pinned = invoke(demo_url, "verify", "--check", str(statement), "--key", str(tmp_path / "other.pub"))
    assert pinned.exit_code == 1 and "another key" in pinned.output
    rechain_after_editing_one_event(demo_url)
    assert invoke(demo_url, "projections", "rebuild").exit_code == 0
    caught = invoke(demo_url, "verify", "--check", str(statement), "--key", str(public))
    assert caught.exit_code == 1 and "rewritten" in caught.output
