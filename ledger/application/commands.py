"""Commands: frozen pydantic models, one per thing a user can ask the ledger to do.

``retries`` says whether a command's effect composes with a concurrent writer's: a
pergeseran or a reallocation moves amounts and may be re-run from fresh state; a revision
states a figure and must not silently overwrite one it has not seen.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from ledger.access import AccessRole
from ledger.application.importing.spec import DocumentSpec
from ledger.application.sipd.stated import SipdStage
from ledger.basis import Frozen, Source, Stage
from ledger.bukti import Lampiran
from ledger.errors import InvalidCommand, InvalidValue
from ledger.i18n import _
from ledger.kodefikasi import Kodefikasi
from ledger.line_events import Role
from ledger.money import Rupiah
from ledger.pergeseran import Authority
from ledger.target import Target
from ledger.text import check_name, check_texts


class BaseCommand(Frozen):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    retries: ClassVar[int] = 0

    def __init__(self, **data: object) -> None:
        # pydantic's own error becomes the domain's here, at the one place commands are made,
        # so the CLI and the web say which field is wrong instead of an internal error.
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise InvalidCommand(type(self).__name__, error.errors(include_url=False)) from None

    @model_validator(mode="after")
    def check_text_policy(self) -> BaseCommand:
        # One policy for every text any command carries (ledger.text): checked here, once, so no
        # verb, form or import can record a control character or an unbounded text.
        check_texts(self)
        return self


class Command(BaseCommand):
    """A decision about one plan."""

    opd: str
    tahun: int
    reason: str = ""
    source: Source


class DatedCommand(Command):
    """A decision that takes force on a date (valid time)."""

    effective_on: date
    # A date outside the plan's years (ledger.plan_years) is refused unless the command says so.
    outside_plan_years: bool = False


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
    text: str

    @field_validator("text")
    @classmethod
    def check_wording(cls, text: str) -> str:
        if not text.strip():
            raise InvalidValue(_("indicator wording"), text, _("the indicator as the decision words it, not blank"))
        return text


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

    # The plan it writes and the date its figures take effect, named as every plan command names
    # them: its preview reads the plan on that date (projections.command_preview).
    @property
    def opd(self) -> str:
        return self.spec.opd

    @property
    def tahun(self) -> int:
        return self.spec.tahun

    @property
    def effective_on(self) -> date:
        return self.spec.tanggal

    @property
    def lampiran(self) -> tuple[Lampiran, ...]:
        """Its files travel with the save of its events (ledger.application.evidence)."""
        return self.spec.lampiran


class SyncSipd(Command):
    """A sync of SIPD's tables (a wp-sipd database URL or a snapshot folder): the differences from
    what SIPD last said, recorded at the sync's instant (docs/sipd.md)."""

    location: str  # the folder or the database URL, as given
    stage: SipdStage = SipdStage.MURNI
    unit: str | None = None  # kode_sub_skpd (or id_sub_skpd); None when the source holds one
    at: datetime | None = None  # the instant when the source has no update_at
    kodefikasi: Kodefikasi | None = None
    # How the ledger names the source when ``location`` is a copy the ledger should not name (the
    # web's upload, unpacked in a temporary folder): the uploaded file. None: the location.
    label: str | None = None


# --- accounts (recorded in the ledger like any decision) ----------------------------------

class AccountCommand(BaseCommand):
    """A change to the people who record; the password arrives hashed, never in clear."""

    name: str
    reason: str = ""
    source: Source

    @field_validator("name")
    @classmethod
    def check_account_name(cls, name: str) -> str:
        return check_name(name, "name")


class OpenAccount(AccountCommand):
    role: AccessRole
    opds: tuple[str, ...] = ()
    password_hash: str = Field(min_length=1)


class ChangePassword(AccountCommand):
    password_hash: str = Field(min_length=1)


class ChangeAccountRole(AccountCommand):
    role: AccessRole
    opds: tuple[str, ...] = ()


# --- proposals (usulan -> verifikasi -> penetapan: ledger/usulan.py) ---------------------------------

class ProposeChange(Command):
    """Propose a dated change instead of recording it: nothing of it is in force until it is
    decided. With ``usulan``: propose again a proposal that was returned, as now amended."""

    change: DatedCommand
    usulan: UUID | None = None
    lampiran: tuple[Lampiran, ...] = ()  # files that go with it (ledger.bukti)

    @classmethod
    def of(cls, change: DatedCommand, usulan: UUID | None = None, lampiran: tuple[Lampiran, ...] = ()) -> ProposeChange:
        return cls(opd=change.opd, tahun=change.tahun, reason=change.reason, source=change.source, change=change,
                   usulan=usulan, lampiran=lampiran)


class ProposalStep(Command):
    """A step on one proposal of the plan: its notes or reasons in ``reason``."""

    usulan: UUID


class VerifyProposal(ProposalStep):
    pass


class ReturnProposal(ProposalStep):
    pass


class CancelProposal(ProposalStep):
    pass


class DecideProposal(ProposalStep):
    """The decision: its number and date (the change takes force on that date) and, for a
    pergeseran between accounts, its kind by the level rules (ledger.pergeseran)."""

    nomor: str
    tanggal: date
    jenis: Authority | None = None
    outside_plan_years: bool = False
    lampiran: tuple[Lampiran, ...] = ()  # the decision's scan and what goes with it (ledger.bukti)


# --- the follow-up of findings (tindak lanjut: ledger/tindak_lanjut.py) -------------------------------

class FollowUpStep(Command):
    """A step of a finding's follow-up; its words (the answer, the action, why) in ``reason``.
    The finding as the reader saw it comes along, kept by the first step: the checks run on the
    read side, and the follow-up must say what it answered."""

    temuan: str  # the finding's id (projections.checks)
    rule: str = ""
    kodes: tuple[str, ...] = ()
    pesan: str = ""


class AnswerFinding(FollowUpStep):
    lampiran: tuple[Lampiran, ...] = ()  # files that go with the answer (ledger.bukti)


class RecordFollowUp(FollowUpStep):
    bukti: str | None = None  # the document that shows what was done (its number or title)
    lampiran: tuple[Lampiran, ...] = ()  # the files that show it (ledger.bukti)


class CloseFinding(FollowUpStep):
    pass


class ReopenFinding(FollowUpStep):
    pass
