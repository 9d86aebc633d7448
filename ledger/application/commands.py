"""Commands: frozen pydantic models, one per thing a user can ask the ledger to do.

``retries`` says whether a command's effect composes with a concurrent writer's: a
pergeseran or a reallocation moves amounts and may be re-run from fresh state; a revision
states a figure and must not silently overwrite one it has not seen.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import ConfigDict, Field

from ledger.access import AccessRole
from ledger.application.importing.spec import DocumentSpec
from ledger.basis import Frozen, Source, Stage
from ledger.line_events import Role
from ledger.money import Rupiah
from ledger.pergeseran import Authority
from ledger.target import Target


class BaseCommand(Frozen):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    retries: ClassVar[int] = 0


class Command(BaseCommand):
    """A decision about one plan."""

    opd: str
    tahun: int
    reason: str = ""
    source: Source


class DatedCommand(Command):
    """A decision that takes force on a date (valid time)."""

    effective_on: date


class RevisePagu(DatedCommand):
    line: str
    stage: Stage
    rupiah: Rupiah


class Reallocate(DatedCommand):
    retries: ClassVar[int] = 100

    line: str
    stage: Stage
    from_tw: int
    to_tw: int
    rupiah: Rupiah
    target: Decimal | None = None


class SetTarget(DatedCommand):
    line: str
    stage: Stage
    role: Role = Role.OWN
    ke: int = Field(1, ge=1)  # which indicator of the role (1 = the first printed)
    target: Target


class ChangeIndicator(DatedCommand):
    line: str
    stage: Stage
    role: Role = Role.OWN
    ke: int = Field(1, ge=1)  # which indicator of the role; the next number adds one
    text: str = Field(min_length=1)


class ShiftPagu(DatedCommand):
    """A pergeseran between two sub-kegiatan, or between two accounts (``<sub-kegiatan>/<kode
    rekening>``): then ``authority`` and ``decision`` name the decision its level requires."""

    retries: ClassVar[int] = 100

    from_line: str
    to_line: str
    stage: Stage
    rupiah: Rupiah
    authority: Authority | None = None
    decision: str | None = None


class AssignPenanggungJawab(DatedCommand):
    line: str
    name: str


class CorrectEvent(Command):
    """Takes force from the corrected event's own effective date, so it has none of its own."""

    line: str
    version: int
    rupiah: Rupiah | None = None
    target: Target | None = None


class ImportDocument(BaseCommand):
    """A document folder (or one table described by options): recorded once, all or nothing."""

    spec: DocumentSpec


# --- accounts (recorded in the ledger like any decision) ----------------------------------

class AccountCommand(BaseCommand):
    """A change to the people who record; the password arrives hashed, never in clear."""

    name: str = Field(min_length=1)
    reason: str = ""
    source: Source


class OpenAccount(AccountCommand):
    role: AccessRole
    opds: tuple[str, ...] = ()
    password_hash: str = Field(min_length=1)


class ChangePassword(AccountCommand):
    password_hash: str = Field(min_length=1)


class ChangeAccountRole(AccountCommand):
    role: AccessRole
    opds: tuple[str, ...] = ()
