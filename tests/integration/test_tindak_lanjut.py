"""The follow-up of findings on a real ledger, SQLite and PostgreSQL: an office answers a finding
of the Mangkutana demo and records what it did, an auditor closes it; `renja check` then carries
each finding's status; a finding that a later statement resolves is listed as no longer found."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import invoke
from tests.integration.test_accounts import users
from tests.integration.test_usulan import OPD

FASILITASI = "7.01.01.2.06.08"


def findings(url: str) -> dict[str, Any]:
    answer = invoke(url, "check", "--format", "json")
    assert answer.exit_code in (0, 1), answer.output
    return json.loads(answer.stdout)  # type: ignore[no-any-return]


def test_a_finding_is_answered_acted_upon_and_closed(demo_url: str) -> None:
    before = findings(demo_url)
    assert "tindak_lanjut" not in before["findings"][0]  # no follow-up yet: the check's JSON as before
    first = before["findings"][0]
    again = findings(demo_url)["findings"][0]
    assert first["id"] == again["id"] and len(first["id"]) == 10  # stable from its content
    ref = first["id"][:6]
    answered = invoke(demo_url, "temuan", "answer", ref, "--reason", "akan diperbaiki pada DPPA")
    assert answered.exit_code == 0, answered.output
    acted = invoke(demo_url, "temuan", "act", ref, "--reason", "DPPA 3/2024 memperbaikinya", "--bukti", "DPPA 3/2024")
    assert acted.exit_code == 0, acted.output
    closed = invoke(demo_url, "temuan", "close", ref, "--reason", "diterima")
    assert closed.exit_code == 0, closed.output
    after = findings(demo_url)
    status = {f["id"]: f.get("tindak_lanjut", {}).get("status") for f in after["findings"]}
    assert status[first["id"]] == "ditutup"
    assert {s for key, s in status.items() if key != first["id"]} == {"terbuka"}
    shown = json.loads(invoke(demo_url, "temuan", "show", ref, "--format", "json").stdout)
    assert [s["langkah"] for s in shown["jejak"]] == ["TemuanDiikuti", "TemuanDitanggapi", "TindakLanjutDicatat",
                                                     "TemuanDitutup"]
    assert shown["jejak"][2]["bukti"] == "DPPA 3/2024"


def test_a_finding_resolved_by_a_correction_is_no_longer_found(demo_url: str) -> None:
    # Tabel 3.2 states the line's perubahan target 4285 Orang, Tabel 2.3 its kebutuhan 660 Orang.
    before = findings(demo_url)["findings"]
    target = next(f for f in before if f["rule"] == "kebutuhan-target" and f["kodes"] == [FASILITASI])
    assert invoke(demo_url, "temuan", "answer", target["id"], "--reason", "salah ketik di Tabel 2.3").exit_code == 0
    history = json.loads(invoke(demo_url, "history", FASILITASI, "--all", "--format", "json").stdout)["events"]
    version = next(e["version"] for e in history if e["event"] == "TargetSet" and e["stage"] == "kebutuhan")
    corrected = invoke(demo_url, "correct", FASILITASI, "--event", str(version), "--target", "4285 Orang",
                       "--reason", "salah ketik Tabel 2.3")
    assert corrected.exit_code == 0, corrected.output
    after = findings(demo_url)
    assert {f["id"] for f in after["findings"]} == {f["id"] for f in before} - {target["id"]}
    assert [f["id"] for f in after["tidak_ditemukan_lagi"]] == [target["id"]]
    assert after["tidak_ditemukan_lagi"][0]["tindak_lanjut"]["status"] == "ditanggapi"
    ended = after["tidak_ditemukan_lagi"][0]["diselesaikan_oleh"]  # the correction, found by bisection
    assert (ended["peristiwa"], ended["alasan"]) == ("EventCorrected", "salah ketik Tabel 2.3")
    listed = invoke(demo_url, "temuan", "list")
    assert "no longer found" in listed.stdout and target["id"] in listed.stdout


def test_the_auditor_alone_closes_and_reopens(demo_url: str) -> None:
    for name, role, opds in (("postgres", "admin", ()), ("rina", "perencana", (OPD,)), ("audi", "auditor", ())):
        added = users(demo_url, "add", name, "--role", role, *[a for opd in opds for a in ("--opd", opd)])
        assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    first = findings(demo_url)["findings"][0]["id"]
    # The database role (postgres) is the admin here: it may record no follow-up.
    refused = invoke(demo_url, "temuan", "answer", first, "--reason", "dijawab")
    if "://" in demo_url:
        assert refused.exit_code == 1 and "access-denied" in refused.output
    else:
        assert refused.exit_code == 0, refused.output  # the embedded ledger's single local user
