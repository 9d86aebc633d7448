"""Evidence files on a real ledger, SQLite and PostgreSQL: a decision carries the scan of its SK,
the event names it by its SHA-256 (so the chain covers it), the file comes back byte for byte,
and `renja verify` names a stored file changed or removed behind the ledger's back. A file of a
type not taken, or too large, is refused with nothing written. On PostgreSQL a writer role stores
files too, and the database refuses a row whose content does not hash to its name."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from events_store.config import resolve
from events_store.engine import engine_for
from events_store.schema import REVISIONS
from ledger.application.commands import ProposeChange
from ledger.bukti import MAX_BYTES, Lampiran
from projections.system import System, open_system
from tests.conftest import _psycopg_conninfo, create_pg_database, drop_pg_database, invoke
from tests.integration.test_accounts import event_count, users
from tests.integration.test_postgres_roles import Roles, accounts, roles  # noqa: F401 - fixtures
from tests.integration.test_usulan import OPD, RINA, VERA, act, revise, verify

# A tiny PDF that opens: one empty page (the offsets of its cross-reference table are exact).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
       b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
       b"startxref\n164\n%%EOF\n")
SHA = hashlib.sha256(PDF).hexdigest()
FASILITASI = "7.01.01.2.06.08"


def sql(url: str, statement: str, **params: Any) -> list[Any]:
    """A statement as the schema owner, behind the ledger's back."""
    engine = engine_for(resolve(url))
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def stored_count(url: str) -> int:
    return int(sql(url, "SELECT count(*) FROM renja_evidence")[0][0])


@pytest.fixture
def proposers(demo_url: str) -> str:
    """The accounts of test_usulan: a perencana proposes, a verifikator verifies, a penetap decides."""
    for name, role, opds in (("postgres", "admin", ()), ("rina", "perencana", (OPD,)), ("vera", "verifikator", ()),
                             ("tia", "penetap", (OPD,))):
        added = users(demo_url, "add", name, "--role", role, *[a for opd in opds for a in ("--opd", opd)])
        assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    return demo_url


@pytest.fixture
def system(proposers: str) -> Iterator[System]:
    opened = open_system(proposers)
    yield opened
    opened.app.close()


def decider(url: str, backend: str) -> list[str]:
    """Who decides on the command line: on SQLite a name given (tia, a penetap); on PostgreSQL the
    connection's role, the schema owner, whose account becomes a penetap's."""
    if backend == "sqlite":
        return ["--user", "tia"]
    made = invoke(url, "users", "role", "postgres", "--role", "penetap", "--opd", OPD)
    assert made.exit_code == 0, made.output
    return []


def first_finding(url: str) -> str:
    answer = invoke(url, "check", "--format", "json")
    assert answer.exit_code in (0, 1), answer.output
    return str(json.loads(answer.stdout)["findings"][0]["id"])


def test_a_decision_carries_its_scan_and_verify_names_a_changed_or_missing_one(
        system: System, proposers: str, backend: str, tmp_path: Path) -> None:
    url = proposers
    scan = tmp_path / "SK Bupati 900-15-X-2024.pdf"
    scan.write_bytes(PDF)
    usulan = act(system, ProposeChange.of(revise(205_000_000), lampiran=(Lampiran.read(scan),)), RINA)[0].originator_id
    assert stored_count(url) == 1
    # A decision refused (not verified yet) keeps no file: the files are written with the events or not at all.
    early = tmp_path / "lampiran.png"
    early.write_bytes(b"\x89PNG\r\n\x1a\n not verified yet")
    who = decider(url, backend)
    refused = invoke(url, *who, "usul", "decide", usulan.hex[:8], "--nomor", "900/15/X/2024", "--tanggal", "2024-10-15",
                     "--berkas", str(early))
    assert refused.exit_code == 1 and "usulan-status" in refused.output, refused.output
    assert stored_count(url) == 1
    act(system, verify(usulan), VERA)
    decided = invoke(url, *who, "usul", "decide", usulan.hex[:8], "--nomor", "900/15/X/2024",
                     "--tanggal", "2024-10-15", "--berkas", str(scan))
    assert decided.exit_code == 0, decided.output
    # The hash is in the stored events' bodies, which the chain hashes.
    table = "stored_events" if backend == "sqlite" else "renjaledger_events"
    bodies = [json.loads(bytes(row[0])) for row in sql(url, f"SELECT state FROM {table}")]
    naming = [body for body in bodies if any(b["sha256"] == SHA for b in body.get("berkas", ()))]
    assert len(naming) == 2 and {b["berkas"][0]["nama"] for b in naming} == {scan.name}
    assert stored_count(url) == 1  # one content, named twice
    listed = json.loads(invoke(url, "bukti", "list", "--format", "json").stdout)["berkas"]
    assert [(f["peristiwa"], f["sha256"], f["nama"], f["ukuran"], f["jenis"]) for f in listed] == [
        ("UsulanDiajukan", SHA, scan.name, len(PDF), "application/pdf"),
        ("UsulanDitetapkan", SHA, scan.name, len(PDF), "application/pdf")]
    shown = json.loads(invoke(url, "usul", "show", usulan.hex[:8], "--format", "json").stdout)
    assert [len(step["berkas"]) for step in shown["jejak"]] == [1, 0, 1]
    got = invoke(url, "bukti", "get", SHA[:10], "-o", str(tmp_path / "back.pdf"))
    assert got.exit_code == 0, got.output
    assert (tmp_path / "back.pdf").read_bytes() == PDF
    verified = invoke(url, "verify")
    assert verified.exit_code == 0, verified.output
    assert "evidence files: 1 named by the events" in verified.stdout

    # One byte changed behind the ledger's back.
    sql(url, "UPDATE renja_evidence SET isi = :isi WHERE sha256 = :sha", isi=PDF.replace(b"595", b"596"), sha=SHA)
    changed = invoke(url, "verify")
    assert changed.exit_code == 1
    assert f"evidence file {scan.name} ({SHA[:12]}...), named by UsulanDitetapkan of proposal {usulan.hex[:8]}" \
        in changed.output and "was changed" in changed.output, changed.output
    refused = invoke(url, "bukti", "get", SHA, "-o", str(tmp_path / "changed.pdf"))
    assert refused.exit_code == 1 and "was changed" in refused.output and not (tmp_path / "changed.pdf").exists()

    # And removed.
    sql(url, "DELETE FROM renja_evidence WHERE sha256 = :sha", sha=SHA)
    missing = invoke(url, "verify")
    assert missing.exit_code == 1 and f"evidence file {scan.name} ({SHA[:12]}...)" in missing.output
    assert "is missing from the store" in missing.output


def test_a_follow_up_carries_files_from_the_command_line(demo_url: str, tmp_path: Path) -> None:
    answer, photo, sheet = tmp_path / "tanggapan.pdf", tmp_path / "foto lokasi.jpg", tmp_path / "rekap.xlsx"
    answer.write_bytes(PDF)
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a photo")
    sheet.write_bytes(b"PK\x03\x04\x14\x00\x06\x00 a workbook")
    finding = first_finding(demo_url)
    answered = invoke(demo_url, "temuan", "answer", finding, "--reason", "akan diperbaiki", "--berkas", str(answer))
    assert answered.exit_code == 0, answered.output
    acted = invoke(demo_url, "temuan", "act", finding, "--reason", "diperbaiki", "--bukti", "DPPA 3/2024",
                   "--berkas", str(photo), "--berkas", str(sheet))
    assert acted.exit_code == 0, acted.output
    listed = json.loads(invoke(demo_url, "bukti", "list", "--format", "json").stdout)["berkas"]
    assert [(f["peristiwa"], f["nama"], f["jenis"]) for f in listed] == [
        ("TemuanDitanggapi", "tanggapan.pdf", "application/pdf"), ("TindakLanjutDicatat", "foto lokasi.jpg", "image/jpeg"),
        ("TindakLanjutDicatat", "rekap.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    trail = json.loads(invoke(demo_url, "temuan", "show", finding, "--format", "json").stdout)["jejak"]
    assert [[b["nama"] for b in step.get("berkas", ())] for step in trail] == [
        [], ["tanggapan.pdf"], ["foto lokasi.jpg", "rekap.xlsx"]]
    table = invoke(demo_url, "temuan", "show", finding)
    assert "foto lokasi.jpg" in table.stdout
    verified = invoke(demo_url, "verify")
    assert verified.exit_code == 0 and "evidence files: 3 named by the events" in verified.stdout, verified.output


@pytest.mark.parametrize(("name", "content", "why"), [
    ("setup.exe", b"MZ\x90\x00 a program", "not a PDF, JPEG, PNG or XLSX file"),
    ("sk.pdf", b"<html>not a pdf</html>", "not a PDF, JPEG, PNG or XLSX file"),
    ("kosong.pdf", b"", "the file is empty"),
    ("besar.pdf", None, "more than the 20 MB a file may have"),
])
def test_a_file_not_taken_is_refused_with_nothing_written(demo_url: str, tmp_path: Path, name: str,
                                                         content: bytes | None, why: str) -> None:
    path = tmp_path / name
    if content is None:
        with path.open("wb") as handle:
            handle.write(b"%PDF-1.4\n")
            handle.truncate(MAX_BYTES + 1)
    else:
        path.write_bytes(content)
    before = event_count(demo_url)
    finding = first_finding(demo_url)
    for args in (("temuan", "act", finding, "--reason", "x"),
                 ("usul", "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan", "--effective", "2024-10-01",
                  "--reason", "usulan")):
        refused = invoke(demo_url, *args, "--berkas", str(path))
        assert refused.exit_code == 1, refused.output
        said = " ".join(refused.output.split())
        assert "evidence file " in said and f"/{name}: " in said and why in said and "nothing was written" in said
    assert event_count(demo_url) == before and stored_count(demo_url) == 0
    assert invoke(demo_url, "verify").exit_code == 0


def test_the_largest_file_taken_is_kept_and_read_back(demo_url: str, tmp_path: Path) -> None:
    """20 MB in one insert, on both backends (the PostgreSQL recorder's transaction is not pipelined)."""
    content = b"%PDF-1.4\n" + hashlib.sha256(b"seed").digest() * ((MAX_BYTES - 9) // 32)
    content += b"\n" * (MAX_BYTES - len(content))
    path = tmp_path / "DPPA lengkap.pdf"
    path.write_bytes(content)
    assert len(content) == MAX_BYTES
    acted = invoke(demo_url, "temuan", "answer", first_finding(demo_url), "--reason", "lampiran", "--berkas", str(path))
    assert acted.exit_code == 0, acted.output
    assert invoke(demo_url, "bukti", "get", hashlib.sha256(content).hexdigest(), "-o", str(tmp_path / "back.pdf")).exit_code == 0
    assert (tmp_path / "back.pdf").read_bytes() == content
    assert invoke(demo_url, "verify").exit_code == 0


def test_a_ledger_of_revision_0001_gets_the_table_by_its_upgrade(demo_url: str, tmp_path: Path) -> None:
    """As a ledger of the release before files: no table, read as before (verify passes: no event
    names a file), writes refused until `renja db upgrade`, which creates it."""
    assert REVISIONS[:2] == ("0001", "0002")  # the table came with 0002; later revisions run on the way
    sql(demo_url, "DROP TABLE renja_evidence")
    sql(demo_url, "UPDATE alembic_version SET version_num = '0001'")
    assert invoke(demo_url, "verify").exit_code == 0
    assert json.loads(invoke(demo_url, "bukti", "list", "--format", "json").stdout) == {"berkas": []}
    scan = tmp_path / "sk.pdf"
    scan.write_bytes(PDF)
    finding = first_finding(demo_url)
    refused = invoke(demo_url, "temuan", "answer", finding, "--reason", "x", "--berkas", str(scan))
    assert refused.exit_code == 1 and "renja db upgrade" in refused.output
    upgraded = invoke(demo_url, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    answered = invoke(demo_url, "temuan", "answer", finding, "--reason", "x", "--berkas", str(scan))
    assert answered.exit_code == 0, answered.output
    assert stored_count(demo_url) == 1 and invoke(demo_url, "verify").exit_code == 0


# The two ways to move a ledger elsewhere, each with its files: (the verb out, the verb in).
MOVES = {"backup": ("backup", "restore"), "export": ("export-events", "import-events")}


def answered_with_a_scan(url: str, folder: Path) -> None:
    scan = folder / "sk.pdf"
    scan.write_bytes(PDF)
    assert invoke(url, "temuan", "answer", first_finding(url), "--reason", "x", "--berkas", str(scan)).exit_code == 0


@pytest.mark.parametrize("move", sorted(MOVES))
def test_a_ledger_moved_elsewhere_carries_its_files(demo_url: str, backend: str, tmp_path: Path, move: str) -> None:
    answered_with_a_scan(demo_url, tmp_path)
    out, into = MOVES[move]
    copy = tmp_path / ("events.jsonl" if move == "export" else "backup.db" if backend == "sqlite" else "backup.dump")
    made = invoke(demo_url, out, str(copy))
    assert made.exit_code == 0, made.output
    target = str(tmp_path / "moved.db") if backend == "sqlite" else create_pg_database()
    try:
        arrived = invoke(target, into, str(copy))
        assert arrived.exit_code == 0, arrived.output
        verified = invoke(target, "verify")
        assert verified.exit_code == 0 and "evidence files: 1 named" in verified.stdout, verified.output
        assert invoke(target, "bukti", "get", SHA, "-o", str(tmp_path / "back.pdf")).exit_code == 0
        assert (tmp_path / "back.pdf").read_bytes() == PDF
    finally:
        if backend != "sqlite":
            drop_pg_database(target)


def test_an_export_whose_file_was_changed_is_refused_naming_its_line(demo_url: str, tmp_path: Path) -> None:
    answered_with_a_scan(demo_url, tmp_path)
    export = tmp_path / "events.jsonl"
    assert invoke(demo_url, "export-events", str(export)).exit_code == 0
    lines = export.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["files"] == 1 and json.loads(lines[-2])["berkas"]["sha256"] == SHA
    # One byte of the file changed in the export: refused, naming the line, nothing written.
    record = json.loads(lines[-2])
    record["isi"] = base64.b64encode(PDF.replace(b"%PDF", b"%PDG", 1) if PDF.startswith(b"%PDF") else PDF + b"x").decode()
    edited = tmp_path / "edited.jsonl"
    edited.write_text("\n".join([*lines[:-2], json.dumps(record), lines[-1]]) + "\n", encoding="utf-8")
    refused = invoke(str(tmp_path / "other.db"), "import-events", str(edited))
    assert refused.exit_code == 1 and f"line {len(lines) - 1}" in refused.output and "berkas" in refused.output, \
        refused.output
    assert not (tmp_path / "other.db").exists() or "chain intact: 0 events" in invoke(str(tmp_path / "other.db"), "verify").stdout


# --- PostgreSQL: a writer role ------------------------------------------------------------------

def test_a_writer_role_stores_a_file_and_cannot_forge_or_change_one(accounts: Roles, tmp_path: Path) -> None:  # noqa: F811
    writer, owner = accounts.writer, accounts.owner
    scan = tmp_path / "sk.pdf"
    scan.write_bytes(PDF)
    acted = invoke(writer, "temuan", "act", first_finding(writer), "--reason", "disetor", "--berkas", str(scan))
    assert acted.exit_code == 0, acted.output
    assert stored_count(owner) == 1
    forged = b"%PDF-1.4 another content"
    with psycopg.connect(**_psycopg_conninfo(writer)) as connection, pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="does not hash to its name"):
        connection.execute("INSERT INTO renja_evidence (sha256, jenis, ukuran, isi) VALUES (%s, %s, %s, %s)",
                           ("0" * 64, "application/pdf", len(forged), forged))
    for statement in ("UPDATE renja_evidence SET isi = isi", "DELETE FROM renja_evidence", "TRUNCATE renja_evidence"):
        with psycopg.connect(**_psycopg_conninfo(writer)) as connection, pytest.raises(
                psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)
    # Storing the same content again (another step naming it) is accepted and changes nothing.
    again = invoke(writer, "temuan", "answer", first_finding(writer), "--reason", "lagi", "--berkas", str(scan))
    assert again.exit_code == 0, again.output
    assert stored_count(owner) == 1
    assert invoke(accounts.reader, "verify").exit_code == 0
