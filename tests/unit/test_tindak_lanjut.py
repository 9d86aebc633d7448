"""The follow-up of findings (ledger/tindak_lanjut.py), on the in-memory unit of work: begun by its
first step with the finding's content, answered and acted upon by the office, closed and opened
again by an auditor alone, and no step on a closed finding."""

from __future__ import annotations

import pytest

from ledger.access import AccessRole, Actor
from ledger.application.commands import AnswerFinding, CloseFinding, FollowUpStep, RecordFollowUp, ReopenFinding
from ledger.basis import Source
from ledger.errors import NotFound, RuleViolated
from ledger.tindak_lanjut import FollowUp, FollowUpStatus, follow_up_id
from tests.unit.fakes import OPD, TAHUN, InMemoryLedger, seeded_ledger

RINA = Actor("rina", AccessRole.PERENCANA, frozenset({OPD}))
AUDI = Actor("audi", AccessRole.AUDITOR)
FOUND = {"temuan": "5faa251b8e", "rule": "rollup", "kodes": ("7.01.01",), "pesan": "Tabel 2.3 baris 2 selisih +8.880.000."}


def step(cls: type[FollowUpStep], reason: str, first: bool = False, **fields: object) -> FollowUpStep:
    content = FOUND if first else {"temuan": FOUND["temuan"]}
    return cls(opd=OPD, tahun=TAHUN, reason=reason, source=Source(command="test"), **content, **fields)  # type: ignore[arg-type]


def follow_up(ledger: InMemoryLedger) -> FollowUp:
    found = ledger.store[follow_up_id(OPD, TAHUN, str(FOUND["temuan"]))]
    assert isinstance(found, FollowUp)
    return found


def test_answered_acted_upon_closed_and_reopened_by_whom_the_rules_say() -> None:
    ledger = seeded_ledger()
    events = ledger.handle(step(AnswerFinding, "baris tanpa kode; diperbaiki di DPPA", first=True), RINA)
    assert [type(e).__name__ for e in events] == ["TemuanDiikuti", "TemuanDitanggapi"]
    assert follow_up(ledger).pesan == FOUND["pesan"] and follow_up(ledger).status is FollowUpStatus.DITANGGAPI
    ledger.handle(step(RecordFollowUp, "DPPA 3/2024 memberi kode", bukti="DPPA 3/2024"), RINA)
    with pytest.raises(RuleViolated, match="access-denied"):
        ledger.handle(step(CloseFinding, "selesai"), RINA)
    ledger.handle(step(CloseFinding, "diterima"), AUDI)
    with pytest.raises(RuleViolated, match="temuan-closed"):
        ledger.handle(step(AnswerFinding, "tambahan"), RINA)
    ledger.handle(step(ReopenFinding, "bukti belum dilampirkan"), AUDI)
    assert follow_up(ledger).status is FollowUpStatus.DIBUKA
    assert [type(e).__name__ for e in follow_up(ledger).trail] == [
        "TemuanDiikuti", "TemuanDitanggapi", "TindakLanjutDicatat", "TemuanDitutup", "TemuanDibuka"]


def test_every_step_says_something_and_a_finding_unknown_is_not_begun_blind() -> None:
    ledger = seeded_ledger()
    with pytest.raises(RuleViolated, match="temuan-words"):
        ledger.handle(step(AnswerFinding, "  ", first=True), RINA)
    with pytest.raises(NotFound):  # without the finding's content there is nothing to follow
        ledger.handle(step(AnswerFinding, "dijawab"), RINA)
    with pytest.raises(RuleViolated, match="temuan-not-closed"):
        ledger.handle(step(ReopenFinding, "buka", first=True), AUDI)
    assert follow_up_id(OPD, TAHUN, str(FOUND["temuan"])) not in ledger.store
