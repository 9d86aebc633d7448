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
    AssignPenanggungJawab,
    ChangeAccountRole,
    ChangeIndicator,
    ChangePassword,
    CorrectEvent,
    DatedCommand,
    ImportDocument,
    OpenAccount,
    Reallocate,
    RevisePagu,
    SetTarget,
    ShiftPagu,
    SyncSipd,
)
from ledger.application.importing.importer import import_into
from ledger.application.sipd.snapshot import SnapshotReader
from ledger.application.sipd.source import open_source
from ledger.application.sipd.sync import SipdSync
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis
from ledger.errors import AlreadyRecorded, NotFound, RuleViolated
from ledger.i18n import _
from ledger.kode import Level, holds_money
from ledger.kodefikasi import kodefikasi_for
from ledger.line import BudgetLine
from ledger.pergeseran import shift_scope
from ledger.plan import Plan
from ledger.plan_years import check_plan_date
from ledger.rekening import KodeRekening


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
}

# What each command needs of the acting user (ledger.access); one entry per command.
PERMISSIONS: dict[type[Any], Permission] = {
    RevisePagu: Permission.WRITE_PLAN, Reallocate: Permission.WRITE_PLAN, SetTarget: Permission.WRITE_PLAN,
    ChangeIndicator: Permission.WRITE_PLAN, ShiftPagu: Permission.WRITE_PLAN, AssignPenanggungJawab: Permission.WRITE_PLAN,
    ImportDocument: Permission.WRITE_PLAN, SyncSipd: Permission.WRITE_PLAN, CorrectEvent: Permission.CORRECT,
    OpenAccount: Permission.MANAGE_ACCOUNTS, ChangePassword: Permission.MANAGE_ACCOUNTS,
    ChangeAccountRole: Permission.MANAGE_ACCOUNTS,
}


def opd_of(command: Any) -> str | None:
    """The OPD whose plan a command writes (None for account commands)."""
    if isinstance(command, ImportDocument):
        return command.spec.opd
    return getattr(command, "opd", None)


def authorize(actor: Actor, command: Any) -> None:
    """The access rule for one command (ledger.access), before anything is loaded or written."""
    actor.check_may(PERMISSIONS[type(command)], opd_of(command), f"record {type(command).__name__}")
