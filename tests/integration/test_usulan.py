"""Proposals on a real ledger, SQLite and PostgreSQL: three accounts take the steps (as the web
application records for its logged-in users), a decided proposal gives the report a direct
write gives, and one that no longer fits at its decision is refused with nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger.access import AccessRole, Actor
from ledger.application.commands import DecideProposal, ProposeChange, RevisePagu, ShiftPagu, VerifyProposal
from ledger.basis import Source, Stage
from ledger.errors import LedgerError, RuleViolated
from ledger.money import Rupiah
from projections.system import System, open_system
from tests.conftest import demo_copy, invoke
from tests.integration.test_accounts import event_count, users

OPD, TAHUN = "Kecamatan Mangkutana", 2024
FASILITASI, RAPAT = "7.01.01.2.06.08", "7.01.01.2.06.09"
RINA = Actor("rina", AccessRole.PERENCANA, frozenset({OPD}))
VERA = Actor("vera", AccessRole.VERIFIKATOR)
TIA = Actor("tia", AccessRole.PENETAP, frozenset({OPD}))
SOURCE = Source(command="test")


@pytest.fixture
def accounts(demo_url: str) -> str:
    for name, role, opds in (("postgres", "admin", ()), ("rina", "perencana", (OPD,)), ("vera", "verifikator", ()),
                             ("tia", "penetap", (OPD,))):
        added = users(demo_url, "add", name, "--role", role, *[a for opd in opds for a in ("--opd", opd)])
        assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    return demo_url


@pytest.fixture
def system(accounts: str) -> Iterator[System]:
    opened = open_system(accounts)
    yield opened
    opened.app.close()


def act(system: System, command: Any, actor: Actor) -> list[Any]:
    """As the web application records for its logged-in user: the user's account, the server's channel."""
    return list(system.app.handle(command, actor=actor, channel=f"web ({system.app.user})"))


def revise(rupiah: int, day: date = date(2024, 10, 1)) -> RevisePagu:
    return RevisePagu(opd=OPD, tahun=TAHUN, effective_on=day, reason="usul DPPA", source=SOURCE, line=FASILITASI,
                      stage=Stage.PERUBAHAN, rupiah=Rupiah(rupiah))


def decide(usulan: UUID, day: date) -> DecideProposal:
    return DecideProposal(usulan=usulan, opd=OPD, tahun=TAHUN, nomor="900/15/X/2024", tanggal=day, source=SOURCE)


def verify(usulan: UUID) -> VerifyProposal:
    return VerifyProposal(usulan=usulan, opd=OPD, tahun=TAHUN, reason="lengkap", source=SOURCE)


def report(url: str) -> dict[str, Any]:
    answer = invoke(url, "report", "perubahan", "--format", "json")
    assert answer.exit_code == 0, answer.output
    payload: dict[str, Any] = json.loads(answer.stdout)
    payload.pop("known_at")  # the instant the report was asked for
    return payload


def test_the_cycle_gives_what_a_direct_write_gives(system: System, accounts: str, backend: str, tmp_path: Path,
                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    before = report(accounts)
    proposal = act(system, ProposeChange.of(revise(210_000_000)), RINA)[0].originator_id
    assert report(accounts) == before  # proposed: nothing of it in force
    assert [p.id for p in system.read_side().inbox(VERA, OPD, TAHUN)] == [proposal]
    assert system.read_side().inbox(TIA, OPD, TAHUN) == []
    with pytest.raises(RuleViolated, match="usulan-status"):
        act(system, decide(proposal, date(2024, 10, 15)), TIA)  # not verified yet
    act(system, verify(proposal), VERA)
    assert [p.id for p in system.read_side().inbox(TIA, OPD, TAHUN)] == [proposal]
    events = act(system, decide(proposal, date(2024, 10, 15)), TIA)
    assert [type(e).__name__ for e in events] == ["UsulanDitetapkan", "PaguRevised"]
    decided = report(accounts)
    found = system.read_side().proposal(proposal.hex[:8], OPD, TAHUN)
    assert found.status.value == "ditetapkan" and [s["oleh"] for s in found.to_json()["jejak"]] == ["rina", "vera", "tia"]
    # The same change written directly on another copy of the plan, on the same date, gives the same report.
    with demo_copy(backend, tmp_path, tmp_path_factory) as twin:
        direct = invoke(twin, "revise-pagu", FASILITASI, "210.000.000", "--stage", "perubahan",
                        "--effective", "2024-10-15", "--reason", "usul DPPA")
        assert direct.exit_code == 0, direct.output
        assert report(twin) == decided != before
    history = json.loads(invoke(accounts, "history", FASILITASI, "--format", "json").stdout)["events"]
    by_decision = next(e for e in history if e["event"] == "PaguRevised" and e["recorded_by"] == "tia")
    assert "900/15/X/2024" in by_decision["source"]["document"] and by_decision["effective_on"] == "2024-10-15"
    assert [step["oleh"] for step in by_decision["usulan"]["jejak"]] == ["rina", "vera", "tia"]
    told = invoke(accounts, "why", FASILITASI)
    assert f"decided through proposal {proposal.hex[:8]}" in told.stdout and "verified by vera" in told.stdout


def test_a_change_that_no_longer_fits_is_refused_at_its_decision(system: System, accounts: str) -> None:
    shift = ShiftPagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 1), reason="pergeseran", source=SOURCE,
                      from_line=FASILITASI, to_line=RAPAT, stage=Stage.PERUBAHAN, rupiah=Rupiah(150_000_000))
    proposal = act(system, ProposeChange.of(shift), RINA)[0].originator_id
    act(system, verify(proposal), VERA)
    act(system, revise(100_000_000, date(2024, 10, 5)), RINA)  # the plan moved since
    count = event_count(accounts)
    with pytest.raises(LedgerError):
        act(system, decide(proposal, date(2024, 10, 20)), TIA)
    assert event_count(accounts) == count
    assert system.read_side().proposal(proposal.hex, OPD, TAHUN).status.value == "diverifikasi"


def test_nobody_decides_their_own_proposal(system: System, accounts: str) -> None:
    proposal = act(system, ProposeChange.of(revise(205_000_000)), TIA)[0].originator_id  # a penetap may propose
    act(system, verify(proposal), VERA)
    count = event_count(accounts)
    with pytest.raises(RuleViolated, match="usulan-own"):
        act(system, decide(proposal, date(2024, 10, 15)), TIA)
    with pytest.raises(RuleViolated, match="access-denied"):  # and a perencana decides nothing
        act(system, decide(proposal, date(2024, 10, 15)), RINA)
    assert event_count(accounts) == count


def test_the_what_if_shows_the_plan_with_its_open_proposals(system: System, accounts: str) -> None:
    plain = report(accounts)
    cut = act(system, ProposeChange.of(revise(10_000_000)), RINA)[0].originator_id
    shift = ShiftPagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 2), reason="pergeseran", source=SOURCE,
                      from_line=FASILITASI, to_line=RAPAT, stage=Stage.PERUBAHAN, rupiah=Rupiah(150_000_000))
    moved = act(system, ProposeChange.of(shift), RINA)[0].originator_id  # fits alone, not after the cut
    answer = invoke(accounts, "report", "perubahan", "--dengan-usulan", "--format", "json")
    assert answer.exit_code == 0, answer.output
    what_if = json.loads(answer.stdout)
    assert what_if["dengan_usulan"] == [cut.hex[:8]]
    assert [r["usulan"] for r in what_if["usulan_tidak_sesuai"]] == [moved.hex[:8]]
    assert what_if["total"] != plain["total"] and report(accounts) == plain  # the plan in force is untouched
