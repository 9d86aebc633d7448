"""Commands: frozen pydantic models, one per thing a user can ask the ledger to do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field

from ledger.basis import Frozen, Source, Stage
from ledger.line_events import Role
from ledger.money import Rupiah
from ledger.target import Target


class Command(Frozen):
    opd: str
    tahun: int
    effective_on: date
    reason: str = ""
    source: Source


class RevisePagu(Command):
    line: str
    stage: Stage
    rupiah: Rupiah


class Reallocate(Command):
    line: str
    stage: Stage
    from_tw: int
    to_tw: int
    rupiah: Rupiah
    target: Decimal | None = None


class SetTarget(Command):
    line: str
    stage: Stage
    role: Role = Role.OWN
    target: Target


class ChangeIndicator(Command):
    line: str
    stage: Stage
    role: Role = Role.OWN
    text: str = Field(min_length=1)


class ShiftPagu(Command):
    from_line: str
    to_line: str
    stage: Stage
    rupiah: Rupiah


class AssignPenanggungJawab(Command):
    line: str
    name: str


class CorrectEvent(Command):
    line: str
    version: int
    rupiah: Rupiah | None = None
    target: Target | None = None
