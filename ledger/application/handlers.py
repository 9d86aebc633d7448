"""Command handlers: get -> act, inside a unit of work that the application then saves at once.

``COMMAND_HANDLERS`` is the one table from a command to what it does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from ledger.application.commands import (
    AssignPenanggungJawab,
    ChangeIndicator,
    CorrectEvent,
    DatedCommand,
    ImportDocument,
    Reallocate,
    RevisePagu,
    SetTarget,
    ShiftPagu,
)
from ledger.application.importing.importer import import_into
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis
from ledger.errors import RuleViolated
from ledger.kode import Level
from ledger.line import BudgetLine


def _basis(uow: UnitOfWork, command: DatedCommand) -> Basis:
    return uow.basis(effective_on=command.effective_on, reason=command.reason, source=command.source)


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
        raise RuleViolated("shift-same-line", giver.label, "a pergeseran needs two different lines")
    if command.rupiah <= 0:
        raise RuleViolated("shift-amount", giver.label, "a pergeseran moves a positive amount")
    for line in (giver, taker):
        if line.state.level is not Level.SUB_KEGIATAN:
            raise RuleViolated("shift-level", f"{giver.label} -> {taker.label}",
                               f"{line.label} is a {line.state.level.value}; a pergeseran moves money between "
                               "sub-kegiatan, the lines that hold it, so no money leaves the plan's totals")
    basis = _basis(uow, command)
    shift_id = uuid4()
    taker.check_stage_has_pagu(command.stage)
    giver.shift(command.stage, -int(command.rupiah), taker.state.kode or taker.state.key, shift_id, basis)
    taker.shift(command.stage, int(command.rupiah), giver.state.kode or giver.state.key, shift_id, basis)


def assign(uow: UnitOfWork, command: AssignPenanggungJawab) -> None:
    _line(uow, command).assign_penanggung_jawab(command.name, _basis(uow, command))


def correct(uow: UnitOfWork, command: CorrectEvent) -> None:
    line = _line(uow, command)
    corrected = line.check_event_correctable(command.version)
    basis = uow.basis(effective_on=corrected.basis.effective_on, reason=command.reason, source=command.source)
    line.correct(command.version, basis, rupiah=command.rupiah, target=command.target)


def import_document(uow: UnitOfWork, command: ImportDocument) -> None:
    import_into(uow, command.spec)


COMMAND_HANDLERS: dict[type[Any], Callable[[UnitOfWork, Any], None]] = {
    RevisePagu: revise_pagu,
    Reallocate: reallocate,
    SetTarget: set_target,
    ChangeIndicator: change_indicator,
    ShiftPagu: shift_pagu,
    AssignPenanggungJawab: assign,
    CorrectEvent: correct,
    ImportDocument: import_document,
}
