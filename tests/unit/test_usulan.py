"""Proposals (ledger/usulan.py): usulan -> verifikasi -> penetapan, on the in-memory unit of work.

A proposal records nothing of its change until it is decided; the decision records the
change's own events, effective on its date, with every rule of the change checked again then.
Nobody verifies or decides their own proposal; each step in its order."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from ledger.access import AccessRole, Actor
from ledger.application.commands import (
    CancelProposal,
    DecideProposal,
    ProposeChange,
    ReturnProposal,
    RevisePagu,
    ShiftPagu,
    VerifyProposal,
)
from ledger.basis import Source, Stage
from ledger.errors import LedgerError, NotFound, RuleViolated
from ledger.line_events import PaguRevised, PaguShifted
from ledger.money import Rupiah
from ledger.usulan import Usulan, UsulanDiajukan, UsulanDitetapkan, UsulanStatus
from tests.unit.fakes import OPD, TAHUN, InMemoryLedger, seeded_ledger

SUB, OTHER = "7.01.01.2.06.08", "7.01.01.2.06.09"
SOURCE = Source(command="test")
RINA = Actor("rina", AccessRole.PERENCANA, frozenset({OPD}))  # proposes
VERA = Actor("vera", AccessRole.VERIFIKATOR)  # verifies (every OPD)
TIA = Actor("tia", AccessRole.PENETAP, frozenset({OPD}))  # decides


def revise(rupiah: int = 900_000, day: date = date(2024, 10, 1)) -> RevisePagu:
    return RevisePagu(opd=OPD, tahun=TAHUN, effective_on=day, reason="SK 7/2024", source=SOURCE, line=SUB,
                      stage=Stage.PERUBAHAN, rupiah=Rupiah(rupiah))


def propose(ledger: InMemoryLedger, change: RevisePagu | ShiftPagu, actor: Actor = RINA) -> UUID:
    events = ledger.handle(ProposeChange.of(change), actor)
    assert [type(e) for e in events] == [UsulanDiajukan]
    return events[0].originator_id


def step(cls: type[VerifyProposal | ReturnProposal | CancelProposal], usulan: UUID, reason: str = "catatan") -> object:
    return cls(usulan=usulan, opd=OPD, tahun=TAHUN, reason=reason, source=SOURCE)


def decision(usulan: UUID, day: date = date(2024, 10, 15)) -> DecideProposal:
    return DecideProposal(usulan=usulan, opd=OPD, tahun=TAHUN, nomor="900/12/X/2024", tanggal=day, source=SOURCE)


def usulan(ledger: InMemoryLedger, usulan_id: UUID) -> Usulan:
    found = ledger.store[usulan_id]
    assert isinstance(found, Usulan)
    return found


def test_a_proposal_is_in_force_only_once_decided_and_then_as_the_direct_write() -> None:
    ledger = seeded_ledger()
    proposal = propose(ledger, revise())
    assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 1_000_000  # proposed: nothing of it in force
    ledger.handle(step(VerifyProposal, proposal), VERA)  # type: ignore[arg-type]
    events = ledger.handle(decision(proposal), TIA)
    assert [type(e) for e in events] == [UsulanDitetapkan, PaguRevised]
    revised = events[1]
    assert revised.basis.effective_on == date(2024, 10, 15) and revised.basis.recorded_by == "tia"
    assert revised.basis.reason == "SK 7/2024" and "900/12/X/2024" in (revised.basis.source.document or "")
    assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 900_000
    direct = seeded_ledger()
    direct.handle(revise(day=date(2024, 10, 15)))
    assert direct.line(SUB).state.pagu(Stage.PERUBAHAN) == ledger.line(SUB).state.pagu(Stage.PERUBAHAN)
    assert usulan(ledger, proposal).status is UsulanStatus.DITETAPKAN


def test_returned_then_proposed_again_amended() -> None:
    ledger = seeded_ledger()
    proposal = propose(ledger, revise(900_000))
    with pytest.raises(RuleViolated, match="usulan-reason"):
        ledger.handle(step(ReturnProposal, proposal, reason=" "), VERA)  # type: ignore[arg-type]
    ledger.handle(step(ReturnProposal, proposal, "angka belum sesuai DPA"), VERA)  # type: ignore[arg-type]
    with pytest.raises(RuleViolated, match="usulan-status"):
        ledger.handle(decision(proposal), TIA)
    ledger.handle(ProposeChange.of(revise(850_000), usulan=proposal), RINA)
    ledger.handle(step(VerifyProposal, proposal), VERA)  # type: ignore[arg-type]
    ledger.handle(decision(proposal), TIA)
    assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 850_000
    assert [type(e).__name__ for e in usulan(ledger, proposal).trail] == [
        "UsulanDiajukan", "UsulanDikembalikan", "UsulanDiajukanKembali", "UsulanDiverifikasi", "UsulanDitetapkan"]


def test_nobody_verifies_or_decides_their_own_proposal() -> None:
    ledger = seeded_ledger()
    vera_as_proposer = Actor("vera", AccessRole.PENETAP, frozenset({OPD}))  # may write the plan, so may propose
    proposal = propose(ledger, revise(), actor=vera_as_proposer)
    with pytest.raises(RuleViolated, match="usulan-own"):
        ledger.handle(step(VerifyProposal, proposal), VERA)  # type: ignore[arg-type]
    own = propose(ledger, revise(800_000), actor=TIA)
    ledger.handle(step(VerifyProposal, own), VERA)  # type: ignore[arg-type]
    with pytest.raises(RuleViolated, match="usulan-own"):
        ledger.handle(decision(own), TIA)
    assert usulan(ledger, own).status is UsulanStatus.DIVERIFIKASI


def test_a_change_that_no_longer_fits_is_refused_at_the_decision_with_nothing_written() -> None:
    ledger = seeded_ledger()
    shift = ShiftPagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 1), reason="pergeseran", source=SOURCE,
                      from_line=SUB, to_line=OTHER, stage=Stage.PERUBAHAN, rupiah=Rupiah(900_000))
    proposal = propose(ledger, shift)
    ledger.handle(step(VerifyProposal, proposal), VERA)  # type: ignore[arg-type]
    ledger.handle(revise(100_000, day=date(2024, 10, 5)), RINA)  # the plan moved since
    before = {key: aggregate.version for key, aggregate in ledger.store.items()}
    with pytest.raises(LedgerError, match=r"below zero|negative|kurang|di bawah"):
        ledger.handle(decision(proposal), TIA)
    assert {key: aggregate.version for key, aggregate in ledger.store.items()} == before
    assert usulan(ledger, proposal).status is UsulanStatus.DIVERIFIKASI


def test_a_change_that_does_not_fit_now_is_not_proposed() -> None:
    ledger = seeded_ledger()
    shift = ShiftPagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 1), reason="pergeseran", source=SOURCE,
                      from_line=SUB, to_line=OTHER, stage=Stage.PERUBAHAN, rupiah=Rupiah(5_000_000))
    before = dict(ledger.store)
    with pytest.raises(LedgerError):
        ledger.handle(ProposeChange.of(shift), RINA)
    assert ledger.store.keys() == before.keys()


def test_a_decided_pergeseran_records_both_sides_at_the_decision_date() -> None:
    ledger = seeded_ledger()
    shift = ShiftPagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 1), reason="pergeseran", source=SOURCE,
                      from_line=SUB, to_line=OTHER, stage=Stage.PERUBAHAN, rupiah=Rupiah(250_000))
    proposal = propose(ledger, shift)
    ledger.handle(step(VerifyProposal, proposal), VERA)  # type: ignore[arg-type]
    events = ledger.handle(decision(proposal, date(2024, 11, 1)), TIA)
    legs = [e for e in events if isinstance(e, PaguShifted)]
    assert sorted(e.delta for e in legs) == [-250_000, 250_000]
    assert {e.basis.effective_on for e in legs} == {date(2024, 11, 1)}
    assert (ledger.line(SUB).state.pagu(Stage.PERUBAHAN), ledger.line(OTHER).state.pagu(Stage.PERUBAHAN)) == (
        750_000, 1_250_000)


def test_only_the_proposer_cancels_and_a_cancelled_proposal_is_not_decided() -> None:
    ledger = seeded_ledger()
    proposal = propose(ledger, revise())
    with pytest.raises(RuleViolated, match="usulan-not-proposer"):
        ledger.handle(step(CancelProposal, proposal), Actor("rudi", AccessRole.PERENCANA, frozenset({OPD})))  # type: ignore[arg-type]
    ledger.handle(step(CancelProposal, proposal, "tidak jadi"), RINA)  # type: ignore[arg-type]
    with pytest.raises(RuleViolated, match="usulan-status"):
        ledger.handle(step(VerifyProposal, proposal), VERA)  # type: ignore[arg-type]
    assert usulan(ledger, proposal).status is UsulanStatus.DIBATALKAN


def test_a_proposal_is_found_only_in_its_own_plan() -> None:
    ledger = seeded_ledger()
    proposal = propose(ledger, revise())
    elsewhere = Actor("vena", AccessRole.VERIFIKATOR, frozenset({"Kecamatan Lain"}))
    with pytest.raises(NotFound):  # named under the plan it may verify, the proposal is not there
        ledger.handle(VerifyProposal(usulan=proposal, opd="Kecamatan Lain", tahun=TAHUN, reason="ok", source=SOURCE),
                      elsewhere)
    with pytest.raises(RuleViolated, match="access-denied"):
        ledger.handle(step(VerifyProposal, proposal), elsewhere)  # type: ignore[arg-type]
