"""Command handlers: get -> act, inside a unit of work that the application saves at once."""

from __future__ import annotations

from uuid import uuid4

from ledger.application import UnitOfWork
from ledger.basis import Basis
from ledger.commands import (
    AssignPenanggungJawab,
    ChangeIndicator,
    Command,
    CorrectEvent,
    Reallocate,
    RevisePagu,
    SetTarget,
    ShiftPagu,
)
from ledger.errors import RuleViolated
from ledger.line import BudgetLine


def _basis(uow: UnitOfWork, command: Command) -> Basis:
    return uow.app.basis(effective_on=command.effective_on, reason=command.reason, source=command.source)


def _line(uow: UnitOfWork, command: Command, ref: str) -> BudgetLine:
    return uow.line(uow.plan(command.opd, command.tahun), ref)


def revise_pagu(uow: UnitOfWork, command: RevisePagu) -> BudgetLine:
    line = _line(uow, command, command.line)
    line.revise_pagu(command.stage, command.rupiah, _basis(uow, command))
    return line


def reallocate(uow: UnitOfWork, command: Reallocate) -> BudgetLine:
    line = _line(uow, command, command.line)
    line.reallocate(command.stage, command.from_tw, command.to_tw, command.rupiah, command.target, _basis(uow, command))
    return line


def set_target(uow: UnitOfWork, command: SetTarget) -> BudgetLine:
    line = _line(uow, command, command.line)
    figures = line.state.figures(command.stage)
    if figures is not None and command.role in figures.targets:
        line.change_target(command.stage, command.role, command.target, _basis(uow, command))
    else:
        line.set_target(command.stage, command.role, command.target, _basis(uow, command))
    return line


def change_indicator(uow: UnitOfWork, command: ChangeIndicator) -> BudgetLine:
    line = _line(uow, command, command.line)
    line.change_indicator(command.stage, command.role, command.text, _basis(uow, command))
    return line


def shift_pagu(uow: UnitOfWork, command: ShiftPagu) -> tuple[BudgetLine, BudgetLine]:
    plan = uow.plan(command.opd, command.tahun)
    giver, taker = uow.line(plan, command.from_line), uow.line(plan, command.to_line)
    if giver.id == taker.id:
        raise RuleViolated("shift-same-line", giver.label, "a pergeseran needs two different lines")
    if command.rupiah <= 0:
        raise RuleViolated("shift-amount", giver.label, "a pergeseran moves a positive amount")
    basis = _basis(uow, command)
    shift_id = uuid4()
    taker.check_stage_has_pagu(command.stage)
    giver.shift(command.stage, -int(command.rupiah), taker.state.kode or taker.state.key, shift_id, basis)
    taker.shift(command.stage, int(command.rupiah), giver.state.kode or giver.state.key, shift_id, basis)
    return giver, taker


def assign(uow: UnitOfWork, command: AssignPenanggungJawab) -> BudgetLine:
    line = _line(uow, command, command.line)
    line.assign_penanggung_jawab(command.name, _basis(uow, command))
    return line


def correct(uow: UnitOfWork, command: CorrectEvent) -> BudgetLine:
    line = _line(uow, command, command.line)
    line.correct(command.version, _basis(uow, command), rupiah=command.rupiah, target=command.target)
    return line
