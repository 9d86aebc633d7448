"""A proposal (usulan): a change to a plan that is not in force until it is decided.

A revision does not start as a decision. The office proposes it (perencana / PPTK), a
verifikator (Bappeda, TAPD) verifies it or returns it with notes, and it takes force only when
decided (penetapan: PA/KPA, Sekda, PPKD, a Perkada). The proposal is its own aggregate with its
own events; the command it carries records nothing until ``UsulanDitetapkan``, and then exactly
the events the same command would record directly, in the same transaction, effective at the
decision's date (ledger.application.usulan).

Who may take each step is ``ledger.access``; these rules are about the proposal itself: the
order of its steps, and that nobody verifies or decides their own proposal.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from ledger.access import Actor, Permission
from ledger.basis import Basis
from ledger.bukti import Berkas
from ledger.errors import RuleViolated
from ledger.events import Aggregate, DomainEvent, Procedure
from ledger.i18n import N_, _
from ledger.pergeseran import Authority


class UsulanStatus(StrEnum):
    DIAJUKAN = "diajukan"  # waiting on a verifikator
    DIKEMBALIKAN = "dikembalikan"  # returned to the proposer with notes
    DIVERIFIKASI = "diverifikasi"  # waiting on the decision
    DITETAPKAN = "ditetapkan"  # decided: its events are recorded
    DIBATALKAN = "dibatalkan"  # withdrawn by the office before a decision

    @property
    def label(self) -> str:
        return _(_STATUS_WORDS[self])


_STATUS_WORDS = {
    UsulanStatus.DIAJUKAN: N_("proposed, awaiting verification"),
    UsulanStatus.DIKEMBALIKAN: N_("returned to the proposer"),
    UsulanStatus.DIVERIFIKASI: N_("verified, awaiting decision"),
    UsulanStatus.DITETAPKAN: N_("decided"),
    UsulanStatus.DIBATALKAN: N_("cancelled"),
}
OPEN = (UsulanStatus.DIAJUKAN, UsulanStatus.DIKEMBALIKAN, UsulanStatus.DIVERIFIKASI)


class UsulanDiajukan(Aggregate.Created):
    """The office proposes a command (its name and its fields, as the command's JSON)."""

    opd: str
    tahun: int
    perintah: str  # the command's class name (RevisePagu ...)
    isi: dict[str, Any]  # the command's fields as JSON, the plan and its source included
    berkas: tuple[Berkas, ...] = ()  # the files it carries (ledger.bukti), by their hash


class UsulanDiajukanKembali(Aggregate.Event):
    """Proposed again after it was returned, with the command as now amended."""

    isi: dict[str, Any]
    berkas: tuple[Berkas, ...] = ()


class UsulanDiverifikasi(Aggregate.Event):
    """A verifikator found it fit to decide (its notes in basis.reason)."""


class UsulanDikembalikan(Aggregate.Event):
    """A verifikator returned it to the proposer, saying why in basis.reason."""


class UsulanDitetapkan(Aggregate.Event):
    """Decided: the command's own events are recorded in the same transaction, effective on
    the decision's date (basis.effective_on)."""

    jenis: Authority | None = None  # the kind of decision (by the pergeseran level rules), when it has one
    nomor: str  # the decision's number as written on it
    berkas: tuple[Berkas, ...] = ()  # the decision's scan and what goes with it


class UsulanDibatalkan(Aggregate.Event):
    """The office withdrew it before a decision (why in basis.reason)."""


USULAN_EVENTS = (UsulanDiajukan, UsulanDiajukanKembali, UsulanDiverifikasi, UsulanDikembalikan, UsulanDitetapkan,
                 UsulanDibatalkan)


class Usulan(Procedure):
    def __init__(self) -> None:
        super().__init__()
        self.opd = ""
        self.tahun = 0
        self.perintah = ""
        self.isi: dict[str, Any] = {}
        self.status = UsulanStatus.DIAJUKAN
        self.diajukan_oleh = ""
        self.verified_by: str | None = None
        self.decided_on: date | None = None
        self.nomor: str | None = None
        self.jenis: Authority | None = None

    @property
    def label(self) -> str:
        return _("proposal {id}").format(id=short_id(self.id))

    # --- acts --------------------------------------------------------------------
    @classmethod
    def propose(cls, usulan_id: UUID, opd: str, tahun: int, perintah: str, isi: dict[str, Any],
                basis: Basis, berkas: tuple[Berkas, ...] = ()) -> Usulan:
        return cls._create(UsulanDiajukan, id=usulan_id, opd=opd, tahun=tahun, perintah=perintah, isi=isi,
                           berkas=berkas, basis=basis)

    def propose_again(self, isi: dict[str, Any], basis: Basis, berkas: tuple[Berkas, ...] = ()) -> None:
        self.check_status("propose-again", UsulanStatus.DIKEMBALIKAN)
        self.check_proposer(basis.recorded_by, "propose-again")
        self.trigger_event(UsulanDiajukanKembali, isi=isi, berkas=berkas, basis=basis)

    def verify(self, basis: Basis) -> None:
        self.check_status("verify", UsulanStatus.DIAJUKAN)
        self.check_not_own(basis.recorded_by, "verify")
        self.trigger_event(UsulanDiverifikasi, basis=basis)

    def send_back(self, basis: Basis) -> None:
        self.check_status("return", UsulanStatus.DIAJUKAN, UsulanStatus.DIVERIFIKASI)
        self.check_not_own(basis.recorded_by, "return")
        self.check_reason(basis, "return")
        self.trigger_event(UsulanDikembalikan, basis=basis)

    def decide(self, jenis: Authority | None, nomor: str, basis: Basis, berkas: tuple[Berkas, ...] = ()) -> None:
        self.check_status("decide", UsulanStatus.DIVERIFIKASI)
        self.check_not_own(basis.recorded_by, "decide")
        if not nomor.strip():
            raise RuleViolated("usulan-decision-number", self.label, _("a decision needs its number (--nomor)"))
        self.trigger_event(UsulanDitetapkan, jenis=jenis, nomor=nomor.strip(), berkas=berkas, basis=basis)

    def cancel(self, basis: Basis) -> None:
        self.check_status("cancel", *OPEN)
        self.check_proposer(basis.recorded_by, "cancel")
        self.check_reason(basis, "cancel")
        self.trigger_event(UsulanDibatalkan, basis=basis)

    # --- rules -------------------------------------------------------------------
    def check_status(self, step: str, *allowed: UsulanStatus) -> None:
        if self.status not in allowed:
            raise RuleViolated("usulan-status", self.label, _(
                "cannot {step} a proposal that is {status} (allowed when: {allowed})").format(
                step=_(STEP_WORDS[step]), status=self.status.label,
                allowed=", ".join(status.label for status in allowed)))

    def check_not_own(self, who: str, step: str) -> None:
        if who.casefold() == self.diajukan_oleh.casefold():
            raise RuleViolated("usulan-own", self.label, _("{who} proposed it and may not {step} it: another person "
                                                           "must").format(who=who, step=_(STEP_WORDS[step])))

    def check_proposer(self, who: str, step: str) -> None:
        if who.casefold() != self.diajukan_oleh.casefold():
            raise RuleViolated("usulan-not-proposer", self.label, _(
                "only its proposer ({proposer}) may {step} it").format(proposer=self.diajukan_oleh,
                                                                        step=_(STEP_WORDS[step])))

    def check_reason(self, basis: Basis, step: str) -> None:
        if not basis.reason.strip():
            raise RuleViolated("usulan-reason", self.label, _("say why you {step} it (--reason)").format(
                step=_(STEP_WORDS[step])))

    # --- state -------------------------------------------------------------------
    @singledispatchmethod
    def step(self, event: DomainEvent) -> None:
        super().step(event)

    @step.register
    def _(self, event: UsulanDiajukan) -> None:
        self.opd, self.tahun, self.perintah, self.isi = event.opd, event.tahun, event.perintah, event.isi
        self.diajukan_oleh, self.status = event.basis.recorded_by, UsulanStatus.DIAJUKAN

    @step.register
    def _(self, event: UsulanDiajukanKembali) -> None:
        self.isi, self.status, self.verified_by = event.isi, UsulanStatus.DIAJUKAN, None

    @step.register
    def _(self, event: UsulanDiverifikasi) -> None:
        self.status, self.verified_by = UsulanStatus.DIVERIFIKASI, event.basis.recorded_by

    @step.register
    def _(self, event: UsulanDikembalikan) -> None:
        self.status, self.verified_by = UsulanStatus.DIKEMBALIKAN, None

    @step.register
    def _(self, event: UsulanDitetapkan) -> None:
        self.status, self.decided_on = UsulanStatus.DITETAPKAN, event.basis.effective_on
        self.nomor, self.jenis = event.nomor, event.jenis

    @step.register
    def _(self, event: UsulanDibatalkan) -> None:
        self.status = UsulanStatus.DIBATALKAN


STEP_WORDS = {"propose-again": N_("propose again"), "verify": N_("verify"), "return": N_("return"),
              "decide": N_("decide"), "cancel": N_("cancel")}


def short_id(usulan_id: UUID) -> str:
    """How people name a proposal: the first 8 hex digits of its id."""
    return usulan_id.hex[:8]


def waits_on(usulan: Usulan, actor: Actor) -> bool:
    """Whether the proposal's next step is this person's: a returned one its proposer's, a
    proposed one a verifikator's, a verified one a penetap's (never the proposer's own)."""
    own = actor.name.casefold() == usulan.diajukan_oleh.casefold()
    if usulan.status is UsulanStatus.DIKEMBALIKAN:
        return own
    needed = {UsulanStatus.DIAJUKAN: Permission.VERIFY, UsulanStatus.DIVERIFIKASI: Permission.DECIDE}.get(usulan.status)
    return needed is not None and not own and actor.may(needed, usulan.opd)
