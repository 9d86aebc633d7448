"""Command handlers: get -> act, inside a unit of work that the application then saves at once.

``COMMAND_HANDLERS`` is the one table from a command to what it does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4, uuid5

from ledger.access import Actor, Permission
from ledger.accounts import Account, account_id
from ledger.application.commands import (
    AccountCommand,
    AnswerFinding,
    AssignPenanggungJawab,
    CancelProposal,
    ChangeAccountRole,
    ChangeIndicator,
    ChangePassword,
    CloseFinding,
    CorrectEvent,
    DatedCommand,
    DecideProposal,
    FollowUpStep,
    ImportDocument,
    OpenAccount,
    ProposalStep,
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
from ledger.application.importing.importer import import_into
from ledger.application.sipd.snapshot import SnapshotReader
from ledger.application.sipd.source import open_source
from ledger.application.sipd.sync import SipdSync
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis, Source
from ledger.bukti import berkas_of_all
from ledger.errors import AlreadyRecorded, NotFound, RuleViolated
from ledger.i18n import _
from ledger.kode import Level, holds_money
from ledger.kodefikasi import kodefikasi_for
from ledger.line import BudgetLine
from ledger.pergeseran import shift_scope
from ledger.plan import Plan
from ledger.plan_years import check_plan_date
from ledger.rekening import KodeRekening
from ledger.tindak_lanjut import FollowUp, follow_up_id
from ledger.usulan import Usulan, short_id


def _basis(uow: UnitOfWork, command: DatedCommand) -> Basis:
    if not command.reason.strip():
        subject = getattr(command, "line", None) or getattr(command, "from_line", None) or command.opd
        raise RuleViolated("reason-required", str(subject), _("every decision needs its reason (--reason)"))
    if not command.outside_plan_years:
        check_plan_date(command.tahun, command.effective_on, f"{command.opd} {command.tahun}", _("the effective date"))
    return uow.basis(effective_on=command.effective_on, reason=command.reason.strip(), source=command.source)


def _line(uow: UnitOfWork, command: RevisePagu | Reallocate | SetTarget | ChangeIndicator | AssignPenanggungJawab
          | CorrectEvent) -> BudgetLine:
    return uow.line(uow.plan(command.opd, command.tahun), command.line)


def revise_pagu(uow: UnitOfWork, command: RevisePagu) -> None:
    _line(uow, command).revise_pagu(command.stage, command.rupiah, _basis(uow, command))


def reallocate(uow: UnitOfWork, command: Reallocate) -> None:
    _line(uow, command).reallocate(command.stage, command.from_tw, command.to_tw, command.rupiah, command.target,
                                   _basis(uow, command))


def set_target(uow: UnitOfWork, command: SetTarget) -> None:
    line = _line(uow, command)
    line.check_not_rekening()
    figures = line.state.figures(command.stage)
    if figures is not None and figures.target(command.role, command.ke) is not None:
        line.change_target(command.stage, command.role, command.target, _basis(uow, command), command.ke)
    else:
        line.set_target(command.stage, command.role, command.target, _basis(uow, command), command.ke)


def change_indicator(uow: UnitOfWork, command: ChangeIndicator) -> None:
    _line(uow, command).change_indicator(command.stage, command.role, command.text, _basis(uow, command), command.ke)


def shift_pagu(uow: UnitOfWork, command: ShiftPagu) -> None:
    plan = uow.plan(command.opd, command.tahun)
    giver, taker = uow.line(plan, command.from_line), uow.line(plan, command.to_line)
    if giver.id == taker.id:
        raise RuleViolated("shift-same-line", giver.label, _("a pergeseran needs two different lines"))
    if command.rupiah <= 0:
        raise RuleViolated("shift-amount", giver.label, _("a pergeseran moves a positive amount"))
    if Level.REKENING in (giver.state.level, taker.state.level):
        shift_rekening_lines(uow, plan, giver, taker, command)
        return
    if command.authority is not None or command.decision:
        raise RuleViolated("shift-decision-accounts", f"{giver.label} -> {taker.label}",
                           _("--dasar and --nomor-dasar name the decision of a pergeseran between accounts "
                             "(SUB-KEGIATAN/KODE-REKENING); a pergeseran between sub-kegiatan records its decision in "
                             "--reason and --document"))
    for line in (giver, taker):
        plan.check_no_rekening(line.state.key, line.label)
    for line in (giver, taker):
        if not holds_money(line.state.level, line.state.kode):  # a sub-kegiatan (13/2006: a kegiatan)
            raise RuleViolated("shift-level", f"{giver.label} -> {taker.label}",
                               _("{line} is a {level}; a pergeseran moves money between sub-kegiatan, the lines that hold "
                                 "it, so no money leaves the plan's totals").format(line=line.label,
                                                                                   level=line.state.level.value))
    basis = _basis(uow, command)
    shift_id = uuid4()
    taker.check_stage_has_pagu(command.stage, command.effective_on)
    giver.shift(command.stage, -int(command.rupiah), taker.state.kode or taker.state.key, shift_id, basis)
    taker.shift(command.stage, int(command.rupiah), giver.state.kode or giver.state.key, shift_id, basis)


def shift_rekening_lines(uow: UnitOfWork, plan: Plan, giver: BudgetLine, taker: BudgetLine, command: ShiftPagu) -> None:
    """A pergeseran between two accounts: both accounts move, and when they belong to two
    sub-kegiatan, so do the sub-kegiatan (their pagu is their accounts' sum), all in one save."""
    for line in (giver, taker):
        line.check_is_rekening()
    giver_sub, taker_sub = (uow.line(plan, line.state.parent_key or "") for line in (giver, taker))
    scope = shift_scope((giver_sub.state.kode or giver_sub.state.key, KodeRekening.read(giver.state.kode or "")),
                        (taker_sub.state.kode or taker_sub.state.key, KodeRekening.read(taker.state.kode or "")))
    assert scope is not None  # two different account lines are two different accounts
    basis = _basis(uow, command)
    day, stage, amount = command.effective_on, command.stage, int(command.rupiah)
    taker.check_stage_has_pagu(stage, day)
    shift_id = uuid4()
    decision = command.decision.strip() if command.decision and command.decision.strip() else None
    # The counterpart as people write it, with the sub-kegiatan's kode as the ledger knows it now.
    giver_ref, taker_ref = (f"{sub.state.kode or sub.state.key}/{line.state.kode}"
                            for sub, line in ((giver_sub, giver), (taker_sub, taker)))
    giver.shift_rekening(stage, -amount, taker_ref, shift_id, scope, command.authority, decision, basis)
    taker.shift_rekening(stage, amount, giver_ref, shift_id, scope, command.authority, decision, basis)
    if giver_sub.id == taker_sub.id:
        return
    if giver_sub.check_pagu_as_other(taker_sub, stage, day):  # the sub-kegiatan's own pagu moves with its accounts, as its own pergeseran
        sub_shift = uuid5(shift_id, "sub-kegiatan")
        giver_sub.shift(stage, -amount, taker_sub.state.kode or taker_sub.state.key, sub_shift, basis)
        taker_sub.shift(stage, amount, giver_sub.state.kode or giver_sub.state.key, sub_shift, basis)


def assign(uow: UnitOfWork, command: AssignPenanggungJawab) -> None:
    _line(uow, command).assign_penanggung_jawab(command.name, _basis(uow, command))


def correct(uow: UnitOfWork, command: CorrectEvent) -> None:
    line = _line(uow, command)
    corrected = line.check_event_correctable(command.version)
    basis = uow.basis(effective_on=corrected.basis.effective_on, reason=command.reason, source=command.source)
    line.correct(command.version, basis, rupiah=command.rupiah, target=command.target)


def import_document(uow: UnitOfWork, command: ImportDocument) -> None:
    import_into(uow, command.spec)


def sync_sipd(uow: UnitOfWork, command: SyncSipd) -> None:
    source = open_source(command.location)
    if command.label:
        source.description = command.label
    codes = kodefikasi_for(command.tahun, command.kodefikasi)
    snapshot = SnapshotReader(source, command.tahun, command.unit, codes).read()
    SipdSync(uow, snapshot, opd=command.opd, stage=command.stage, kodefikasi=codes, at=command.at,
             reason=command.reason).run()


def _account_basis(uow: UnitOfWork, command: AccountCommand) -> Basis:
    return uow.basis(effective_on=date.today(), reason=command.reason or "account change", source=command.source)


def open_account(uow: UnitOfWork, command: OpenAccount) -> None:
    if uow.get(Account, account_id(command.name)) is not None:
        raise AlreadyRecorded(f"an account {command.name!r} exists already; change it with `renja users role` or `passwd`")
    uow.track(Account.open(command.name, command.role, command.opds, command.password_hash, _account_basis(uow, command)))


def _account(uow: UnitOfWork, name: str) -> Account:
    account = uow.get(Account, account_id(name))
    if account is None:
        raise NotFound("account", name, "see `renja users list`")
    return account


def change_password(uow: UnitOfWork, command: ChangePassword) -> None:
    _account(uow, command.name).change_password(command.password_hash, _account_basis(uow, command))


def change_role(uow: UnitOfWork, command: ChangeAccountRole) -> None:
    _account(uow, command.name).change_role(command.role, command.opds, _account_basis(uow, command))


# --- proposals (ledger/usulan.py): the change a proposal carries is recorded only when decided --------

def propose_change(uow: UnitOfWork, command: ProposeChange) -> None:
    change = command.change
    perintah = type(change).__name__
    if PROPOSABLE.get(perintah) is not type(change):
        raise RuleViolated("usulan-not-proposable", perintah, _("only a dated change of a plan can be proposed"))
    basis = _basis(uow, change)
    # Its rules, tried now on a unit of work that is never saved: what could not be decided today is refused now.
    COMMAND_HANDLERS[type(change)](uow.trial(), change)
    isi = change.model_dump(mode="json")
    berkas = berkas_of_all(command.lampiran)
    if command.usulan is None:
        uow.track(Usulan.propose(uuid4(), change.opd, change.tahun, perintah, isi, basis, berkas))
        return
    usulan = _usulan(uow, command)
    if usulan.perintah != perintah:
        raise RuleViolated("usulan-other-change", usulan.label, _(
            "it proposes {proposed}; propose again the same kind of change").format(proposed=usulan.perintah))
    usulan.propose_again(isi, basis, berkas)


def _usulan(uow: UnitOfWork, command: ProposalStep | ProposeChange) -> Usulan:
    """The proposal, found only in the plan the command names (the plan is what access is checked for)."""
    assert command.usulan is not None
    usulan = uow.usulan(command.usulan)
    if (usulan.opd, usulan.tahun) != (command.opd, command.tahun):
        raise NotFound("usulan", f"{short_id(command.usulan)} ({command.opd} {command.tahun})")
    return usulan


def _step_basis(uow: UnitOfWork, command: ProposalStep, day: date | None = None) -> Basis:
    return uow.basis(effective_on=day or date.today(), reason=command.reason.strip(), source=command.source)


def verify_proposal(uow: UnitOfWork, command: VerifyProposal) -> None:
    _usulan(uow, command).verify(_step_basis(uow, command))


def return_proposal(uow: UnitOfWork, command: ReturnProposal) -> None:
    _usulan(uow, command).send_back(_step_basis(uow, command))


def cancel_proposal(uow: UnitOfWork, command: CancelProposal) -> None:
    _usulan(uow, command).cancel(_step_basis(uow, command))


def decide_proposal(uow: UnitOfWork, command: DecideProposal) -> None:
    """The decision and the change it decides, in one unit of work: the change's every rule is
    checked again now (the plan may have moved since it was proposed), so one that no longer
    fits is refused with its reason and nothing is written."""
    usulan = _usulan(uow, command)
    if not command.outside_plan_years:
        check_plan_date(command.tahun, command.tanggal, f"{command.opd} {command.tahun}", _("the decision's date"))
    usulan.decide(command.jenis, command.nomor, _step_basis(uow, command, command.tanggal),
                  berkas_of_all(command.lampiran))
    change = decided_change(usulan, command)
    COMMAND_HANDLERS[type(change)](uow, change)


def decided_change(usulan: Usulan, decision: DecideProposal) -> DatedCommand:
    """The proposed change as decided: in force from the decision's date, its source naming the
    proposal and the decision; a pergeseran between accounts takes its decision from it."""
    proposed = PROPOSABLE[usulan.perintah](**usulan.isi)
    jenis = f"{decision.jenis.value.upper()} " if decision.jenis else ""
    # The proposal's id as the document's: history and why find the proposal's trail by it.
    # (Stored words in the domain's own term, not in the language of whoever decided.)
    source = Source(document=f"usulan {short_id(usulan.id)}: {jenis}{decision.nomor.strip()}", document_id=usulan.id,
                    command=proposed.source.command)
    update: dict[str, Any] = {"effective_on": decision.tanggal, "source": source,
                              "outside_plan_years": decision.outside_plan_years}
    if isinstance(proposed, ShiftPagu) and proposed.authority is None and proposed.decision is None:
        update |= {"authority": decision.jenis, "decision": decision.nomor.strip()} if decision.jenis else {}
    return proposed.model_copy(update=update)


# --- the follow-up of findings (ledger/tindak_lanjut.py) ---------------------------------------------

def _follow_up(uow: UnitOfWork, command: FollowUpStep, basis: Basis) -> FollowUp:
    """The finding's follow-up, begun by its first step (which must say what the finding was)."""
    found = uow.get(FollowUp, follow_up_id(command.opd, command.tahun, command.temuan))
    if found is not None:
        return found
    if not command.rule:
        raise NotFound("temuan", command.temuan, _("renja temuan list shows the findings of a plan and their ids"))
    uow.plan(command.opd, command.tahun)  # a finding belongs to a plan the ledger holds
    return uow.track(FollowUp.begin(command.opd, command.tahun, command.temuan, command.rule, command.kodes,
                                    command.pesan, basis))


def _follow_up_basis(uow: UnitOfWork, command: FollowUpStep) -> Basis:
    return uow.basis(effective_on=date.today(), reason=command.reason.strip(), source=command.source)


def answer_finding(uow: UnitOfWork, command: AnswerFinding) -> None:
    basis = _follow_up_basis(uow, command)
    _follow_up(uow, command, basis).answer(basis, berkas_of_all(command.lampiran))


def record_follow_up(uow: UnitOfWork, command: RecordFollowUp) -> None:
    basis = _follow_up_basis(uow, command)
    bukti = command.bukti.strip() if command.bukti and command.bukti.strip() else None
    _follow_up(uow, command, basis).record_action(bukti, basis, berkas_of_all(command.lampiran))


def close_finding(uow: UnitOfWork, command: CloseFinding) -> None:
    basis = _follow_up_basis(uow, command)
    _follow_up(uow, command, basis).close(basis)


def reopen_finding(uow: UnitOfWork, command: ReopenFinding) -> None:
    basis = _follow_up_basis(uow, command)
    _follow_up(uow, command, basis).reopen(basis)


COMMAND_HANDLERS: dict[type[Any], Callable[[UnitOfWork, Any], None]] = {
    RevisePagu: revise_pagu,
    Reallocate: reallocate,
    SetTarget: set_target,
    ChangeIndicator: change_indicator,
    ShiftPagu: shift_pagu,
    AssignPenanggungJawab: assign,
    CorrectEvent: correct,
    ImportDocument: import_document,
    SyncSipd: sync_sipd,
    OpenAccount: open_account,
    ChangePassword: change_password,
    ChangeAccountRole: change_role,
    ProposeChange: propose_change,
    VerifyProposal: verify_proposal,
    ReturnProposal: return_proposal,
    CancelProposal: cancel_proposal,
    DecideProposal: decide_proposal,
    AnswerFinding: answer_finding,
    RecordFollowUp: record_follow_up,
    CloseFinding: close_finding,
    ReopenFinding: reopen_finding,
}
# The changes a proposal may carry, by the name it stores: every dated change of a plan.
PROPOSABLE: dict[str, type[DatedCommand]] = {cls.__name__: cls for cls in COMMAND_HANDLERS
                                             if issubclass(cls, DatedCommand)}

# What each command needs of the acting user (ledger.access); one entry per command.
PERMISSIONS: dict[type[Any], Permission] = {
    RevisePagu: Permission.WRITE_PLAN, Reallocate: Permission.WRITE_PLAN, SetTarget: Permission.WRITE_PLAN,
    ChangeIndicator: Permission.WRITE_PLAN, ShiftPagu: Permission.WRITE_PLAN, AssignPenanggungJawab: Permission.WRITE_PLAN,
    ImportDocument: Permission.WRITE_PLAN, SyncSipd: Permission.WRITE_PLAN, CorrectEvent: Permission.CORRECT,
    OpenAccount: Permission.MANAGE_ACCOUNTS, ChangePassword: Permission.MANAGE_ACCOUNTS,
    ChangeAccountRole: Permission.MANAGE_ACCOUNTS,
    ProposeChange: Permission.WRITE_PLAN, CancelProposal: Permission.WRITE_PLAN, VerifyProposal: Permission.VERIFY,
    ReturnProposal: Permission.VERIFY, DecideProposal: Permission.DECIDE,
    AnswerFinding: Permission.FOLLOW_UP, RecordFollowUp: Permission.FOLLOW_UP, CloseFinding: Permission.AUDIT,
    ReopenFinding: Permission.AUDIT,
}


def opd_of(command: Any) -> str | None:
    """The OPD whose plan a command writes (None for account commands)."""
    if isinstance(command, ImportDocument):
        return command.spec.opd
    return getattr(command, "opd", None)


def authorize(actor: Actor, command: Any) -> None:
    """The access rule for one command (ledger.access), before anything is loaded or written."""
    actor.check_may(PERMISSIONS[type(command)], opd_of(command), f"record {type(command).__name__}")
