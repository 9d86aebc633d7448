"""Who may record what (ledger.access), for every write command and every role, through the
same authorize() the application's handle() applies: a refusal names the rule and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger.access import AccessRole, Actor, Permission
from ledger.application.commands import (
    AnswerFinding,
    AssignPenanggungJawab,
    BaseCommand,
    CancelProposal,
    ChangeAccountRole,
    ChangeIndicator,
    ChangePassword,
    CloseFinding,
    CorrectEvent,
    DecideProposal,
    ImportDocument,
    OpenAccount,
    ProposeChange,
    Reallocate,
    RecordFollowUp,
    ReopenFinding,
    ReturnProposal,
    RevisePagu,
    SetTarget,
    ShiftPagu,
    SyncSipd,
    VerifyProposal,
)
from ledger.application.handlers import COMMAND_HANDLERS, PERMISSIONS
from ledger.application.importing.spec import DocumentSpec
from ledger.basis import Source, Stage
from ledger.document import DocumentKind
from ledger.errors import RuleViolated
from ledger.money import Rupiah
from ledger.target import Target
from tests.unit.fakes import OPD, TAHUN, seeded_ledger

SUB, OTHER = "7.01.01.2.06.08", "7.01.01.2.06.09"
SOURCE = Source(command="test")
SIPD_SNAPSHOT = Path(__file__).parents[1] / "data" / "sipd" / "sintetis" / "1_2025-01-10_murni"


def plan_fields() -> dict[str, Any]:
    return {"opd": OPD, "tahun": TAHUN, "effective_on": date(2024, 10, 1), "reason": "SK 1/2024", "source": SOURCE}


COMMANDS: dict[type[BaseCommand], Callable[[], BaseCommand]] = {
    RevisePagu: lambda: RevisePagu(line=SUB, stage=Stage.PERUBAHAN, rupiah=Rupiah(900_000), **plan_fields()),
    Reallocate: lambda: Reallocate(line=SUB, stage=Stage.MURNI, from_tw=1, to_tw=2, rupiah=Rupiah(1), **plan_fields()),
    SetTarget: lambda: SetTarget(line=SUB, stage=Stage.PERUBAHAN, target=Target.parse("10 Perda"), **plan_fields()),
    ChangeIndicator: lambda: ChangeIndicator(line=SUB, stage=Stage.PERUBAHAN, text="Jumlah Perda", **plan_fields()),
    ShiftPagu: lambda: ShiftPagu(from_line=SUB, to_line=OTHER, stage=Stage.PERUBAHAN, rupiah=Rupiah(1_000), **plan_fields()),
    AssignPenanggungJawab: lambda: AssignPenanggungJawab(line=SUB, name="MANSYUR", **plan_fields()),
    CorrectEvent: lambda: CorrectEvent(line=SUB, version=3, rupiah=Rupiah(5), opd=OPD, tahun=TAHUN, reason="salah ketik",
                                       source=SOURCE),
    ImportDocument: lambda: ImportDocument(spec=DocumentSpec(kind=DocumentKind.DPPA, judul="DPPA", tanggal=date(2024, 9, 1),
                                                             opd=OPD, tahun=TAHUN, tables=(), nomor="1")),
    SyncSipd: lambda: SyncSipd(location=str(SIPD_SNAPSHOT), opd=OPD, tahun=TAHUN, reason="", source=SOURCE),
    OpenAccount: lambda: OpenAccount(name="budi", role=AccessRole.AUDITOR, password_hash="x", source=SOURCE),
    ChangePassword: lambda: ChangePassword(name="budi", password_hash="y", source=SOURCE),
    ChangeAccountRole: lambda: ChangeAccountRole(name="budi", role=AccessRole.VERIFIKATOR, source=SOURCE),
    ProposeChange: lambda: ProposeChange.of(COMMANDS[RevisePagu]()),  # type: ignore[arg-type]
    VerifyProposal: lambda: VerifyProposal(usulan=USULAN, opd=OPD, tahun=TAHUN, reason="lengkap", source=SOURCE),
    ReturnProposal: lambda: ReturnProposal(usulan=USULAN, opd=OPD, tahun=TAHUN, reason="kurang", source=SOURCE),
    CancelProposal: lambda: CancelProposal(usulan=USULAN, opd=OPD, tahun=TAHUN, reason="batal", source=SOURCE),
    DecideProposal: lambda: DecideProposal(usulan=USULAN, opd=OPD, tahun=TAHUN, nomor="1/2024",
                                           tanggal=date(2024, 10, 2), source=SOURCE),
    AnswerFinding: lambda: AnswerFinding(temuan="5faa251b8e", rule="rollup", opd=OPD, tahun=TAHUN, reason="dijawab",
                                         source=SOURCE),
    RecordFollowUp: lambda: RecordFollowUp(temuan="5faa251b8e", rule="rollup", opd=OPD, tahun=TAHUN, reason="dikerjakan",
                                           source=SOURCE),
    CloseFinding: lambda: CloseFinding(temuan="5faa251b8e", rule="rollup", opd=OPD, tahun=TAHUN, reason="selesai",
                                       source=SOURCE),
    ReopenFinding: lambda: ReopenFinding(temuan="5faa251b8e", rule="rollup", opd=OPD, tahun=TAHUN, reason="belum",
                                         source=SOURCE),
}
FOLLOW_UP = {AnswerFinding: "follow", RecordFollowUp: "follow", CloseFinding: "audit", ReopenFinding: "audit"}
USULAN = UUID("00000000-0000-4000-8000-00000000a5a1")  # no such proposal: access is refused before it is looked for
PROPOSAL_STEPS = {VerifyProposal: "verify", ReturnProposal: "verify", DecideProposal: "decide"}
ACCOUNT_COMMANDS = (OpenAccount, ChangePassword, ChangeAccountRole)
ACTORS = {
    "perencana of the plan's OPD": Actor("rina", AccessRole.PERENCANA, frozenset({OPD})),
    "perencana of another OPD": Actor("sari", AccessRole.PERENCANA, frozenset({"Kecamatan Lain"})),
    "verifikator": Actor("vera", AccessRole.VERIFIKATOR),
    "penetap of the plan's OPD": Actor("tia", AccessRole.PENETAP, frozenset({OPD})),
    "penetap of another OPD": Actor("tono", AccessRole.PENETAP, frozenset({"Kecamatan Lain"})),
    "auditor": Actor("audi", AccessRole.AUDITOR),
    "admin": Actor("adi", AccessRole.ADMIN),
    "tamu": Actor("postgres", AccessRole.TAMU),
    "lokal": Actor.local("saya"),
}


def allowed(actor: str, command: type[BaseCommand]) -> bool:
    """The policy, written out as the issue states it."""
    if actor == "lokal":
        return True
    if command in ACCOUNT_COMMANDS:
        return actor == "admin"
    if command in FOLLOW_UP:  # the follow-up of findings: the auditor alone closes or reopens
        return actor == "auditor" or (FOLLOW_UP[command] == "follow" and actor in (
            "perencana of the plan's OPD", "verifikator", "penetap of the plan's OPD"))
    if actor == "perencana of the plan's OPD":  # proposes, never verifies or decides
        return command not in PROPOSAL_STEPS
    if actor == "penetap of the plan's OPD":  # decides, and records its plan's decisions; never verifies
        return PROPOSAL_STEPS.get(command) != "verify" and command is not CorrectEvent
    return actor == "verifikator" and (command is CorrectEvent or PROPOSAL_STEPS.get(command) == "verify")


def test_every_command_has_a_permission_and_a_case() -> None:
    assert set(PERMISSIONS) == set(COMMAND_HANDLERS) == set(COMMANDS)


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("command", list(COMMANDS), ids=lambda c: c.__name__)
def test_the_policy_for_every_command_and_role(actor: str, command: type[BaseCommand]) -> None:
    ledger = seeded_ledger()
    ledger.actor = ACTORS[actor]
    before = {key: len(getattr(aggregate, "facts", [])) for key, aggregate in ledger.store.items()}
    if allowed(actor, command):
        try:
            ledger.handle(COMMANDS[command]())
        except RuleViolated as error:
            assert error.rule != "access-denied", error
        except Exception as error:  # a domain refusal of the synthetic data is fine; access is what is tested
            assert "access" not in str(error), error
        return
    with pytest.raises(RuleViolated) as refused:
        ledger.handle(COMMANDS[command]())
    assert refused.value.rule == "access-denied" and ACTORS[actor].name in str(refused.value)
    assert {key: len(getattr(aggregate, "facts", [])) for key, aggregate in ledger.store.items()} == before


def test_an_account_role_needs_its_scope() -> None:
    ledger = seeded_ledger()
    with pytest.raises(RuleViolated, match="role-needs-opd"):
        ledger.handle(OpenAccount(name="rina", role=AccessRole.PERENCANA, password_hash="h", source=SOURCE))
    with pytest.raises(RuleViolated, match="role-invalid"):
        ledger.handle(OpenAccount(name="x", role=AccessRole.LOKAL, password_hash="h", source=SOURCE))
    events = ledger.handle(OpenAccount(name="rina", role=AccessRole.PERENCANA, opds=(OPD,), password_hash="h", source=SOURCE))
    assert [type(e).__name__ for e in events] == ["AccountOpened"] and events[0].basis.recorded_by == "tester"


def test_passwords_are_hashed_and_checked(tmp_path: Path) -> None:
    from ledger.passwords import hash_password, verify_password

    hashed = hash_password("rina", "kata-sandi-panjang")
    assert hashed.startswith("$argon2id$") and "kata-sandi" not in hashed
    assert verify_password(hashed, "kata-sandi-panjang") and not verify_password(hashed, "salah-sandi-panjang")
    with pytest.raises(RuleViolated, match="password-short"):
        hash_password("rina", "pendek")


def test_a_disabled_account_may_do_nothing_anywhere() -> None:
    """`renja users disable` makes its role nonaktif: no permission on any plan, so the
    application and PostgreSQL's guard (its policy table is generated from ``Actor.may``) refuse
    every write of it."""
    from events_store.postgres_guard import policy_rows
    from ledger.accounts import holdable_roles

    disabled = Actor("rina", AccessRole.NONAKTIF, frozenset({"Kecamatan Mangkutana"}))
    assert not any(disabled.may(permission, opd) for permission in Permission for opd in ("Kecamatan Mangkutana", None))
    assert AccessRole.NONAKTIF in holdable_roles()
    assert [row for row in policy_rows() if row[0] == AccessRole.NONAKTIF.value] == []
