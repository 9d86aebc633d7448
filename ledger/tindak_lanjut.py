"""The follow-up (tindak lanjut) of a finding: what the office answered, what it did, and whether
an auditor closed it.

A finding is data the checks compute from the plan (projections.checks); it has a stable id
from its content (rule, kodes, figures, sources), so the same inconsistency found again is the
same finding. Its follow-up is an aggregate of its own, keyed by the plan and that id, opened by
the first step anyone records; it keeps the finding as it read then, so the trail says what was
answered even after a correction makes the finding disappear.
"""

from __future__ import annotations

from enum import StrEnum
from functools import singledispatchmethod
from uuid import UUID

from ledger.basis import Basis
from ledger.bukti import Berkas
from ledger.errors import RuleViolated
from ledger.events import Aggregate, DomainEvent, Procedure, stable_id
from ledger.i18n import N_, _


def follow_up_id(opd: str, tahun: int, temuan: str) -> UUID:
    return stable_id("tindak-lanjut", opd, tahun, temuan)


class FollowUpStatus(StrEnum):
    DITANGGAPI = "ditanggapi"  # the office answered
    DITINDAKLANJUTI = "ditindaklanjuti"  # the office recorded what it did
    DITUTUP = "ditutup"  # an auditor closed it
    DIBUKA = "dibuka"  # an auditor opened it again

    @property
    def label(self) -> str:
        return _(_STATUS_WORDS[self])


_STATUS_WORDS = {FollowUpStatus.DITANGGAPI: N_("answered"), FollowUpStatus.DITINDAKLANJUTI: N_("acted upon"),
                 FollowUpStatus.DITUTUP: N_("closed"), FollowUpStatus.DIBUKA: N_("reopened")}


class TemuanDiikuti(Aggregate.Created):
    """The finding, as it read when its follow-up began."""

    opd: str
    tahun: int
    temuan: str  # the finding's id
    rule: str
    kodes: tuple[str, ...]
    pesan: str  # its message, as shown to whoever began the follow-up


class TemuanDitanggapi(Aggregate.Event):
    """The office's answer (basis.reason), with the files that go with it (ledger.bukti)."""

    berkas: tuple[Berkas, ...] = ()


class TindakLanjutDicatat(Aggregate.Event):
    """What was done (basis.reason), with the document that shows it, when named, and its files."""

    bukti: str | None = None
    berkas: tuple[Berkas, ...] = ()


class TemuanDitutup(Aggregate.Event):
    """An auditor closed it (why in basis.reason)."""


class TemuanDibuka(Aggregate.Event):
    """An auditor opened it again (why in basis.reason)."""


FOLLOW_UP_EVENTS = (TemuanDiikuti, TemuanDitanggapi, TindakLanjutDicatat, TemuanDitutup, TemuanDibuka)


class FollowUp(Procedure):
    def __init__(self) -> None:
        super().__init__()
        self.opd, self.tahun, self.temuan, self.rule, self.pesan = "", 0, "", "", ""
        self.kodes: tuple[str, ...] = ()
        self.status: FollowUpStatus | None = None  # None: begun, nothing answered yet

    @classmethod
    def begin(cls, opd: str, tahun: int, temuan: str, rule: str, kodes: tuple[str, ...], pesan: str,
              basis: Basis) -> FollowUp:
        return cls._create(TemuanDiikuti, id=follow_up_id(opd, tahun, temuan), opd=opd, tahun=tahun, temuan=temuan,
                           rule=rule, kodes=kodes, pesan=pesan, basis=basis)

    @property
    def label(self) -> str:
        return _("finding {id}").format(id=self.temuan)

    # --- acts --------------------------------------------------------------------
    def answer(self, basis: Basis, berkas: tuple[Berkas, ...] = ()) -> None:
        self.check_open("answer")
        self.check_said(basis, "answer")
        self.trigger_event(TemuanDitanggapi, berkas=berkas, basis=basis)

    def record_action(self, bukti: str | None, basis: Basis, berkas: tuple[Berkas, ...] = ()) -> None:
        self.check_open("act")
        self.check_said(basis, "act")
        self.trigger_event(TindakLanjutDicatat, bukti=bukti, berkas=berkas, basis=basis)

    def close(self, basis: Basis) -> None:
        self.check_open("close")
        self.check_said(basis, "close")
        self.trigger_event(TemuanDitutup, basis=basis)

    def reopen(self, basis: Basis) -> None:
        if self.status is not FollowUpStatus.DITUTUP:
            raise RuleViolated("temuan-not-closed", self.label, _("only a closed finding is opened again"))
        self.check_said(basis, "reopen")
        self.trigger_event(TemuanDibuka, basis=basis)

    # --- rules -------------------------------------------------------------------
    def check_open(self, step: str) -> None:
        if self.status is FollowUpStatus.DITUTUP:
            raise RuleViolated("temuan-closed", self.label, _("it is closed: an auditor opens it again before anyone "
                                                              "may {step} it").format(step=_(STEP_WORDS[step])))

    def check_said(self, basis: Basis, step: str) -> None:
        if not basis.reason.strip():
            raise RuleViolated("temuan-words", self.label, _("say in --reason what you {step}").format(
                step=_(STEP_WORDS[step])))

    # --- state -------------------------------------------------------------------
    @singledispatchmethod
    def step(self, event: DomainEvent) -> None:
        super().step(event)

    @step.register
    def _(self, event: TemuanDiikuti) -> None:
        self.opd, self.tahun, self.temuan, self.rule = event.opd, event.tahun, event.temuan, event.rule
        self.kodes, self.pesan = event.kodes, event.pesan

    @step.register
    def _(self, event: TemuanDitanggapi) -> None:
        self.status = FollowUpStatus.DITANGGAPI

    @step.register
    def _(self, event: TindakLanjutDicatat) -> None:
        self.status = FollowUpStatus.DITINDAKLANJUTI

    @step.register
    def _(self, event: TemuanDitutup) -> None:
        self.status = FollowUpStatus.DITUTUP

    @step.register
    def _(self, event: TemuanDibuka) -> None:
        self.status = FollowUpStatus.DIBUKA


STEP_WORDS = {"answer": N_("answer"), "act": N_("record as done"), "close": N_("close"), "reopen": N_("reopen")}
