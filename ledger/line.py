"""The budget line aggregate: one per OPD x tahun x kode (or name, until a kode is known)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cached_property
from uuid import UUID

from ledger.basis import Basis, Stage
from ledger.errors import RuleViolated
from ledger.events import Aggregate, DomainEvent, stable_id
from ledger.i18n import _
from ledger.kode import Level, holds_money
from ledger.line_events import (
    DetailsStated,
    EventCorrected,
    ForwardEstimateSet,
    IndicatorChanged,
    IndicatorSet,
    KodeRecorded,
    LineOpened,
    LineRestored,
    LineWithdrawn,
    NameStated,
    PaguRevised,
    PaguSet,
    PaguShifted,
    PenanggungJawabAssigned,
    RealisasiRecorded,
    RekeningShifted,
    RekeningTotalStated,
    RincianItem,
    RincianStated,
    Role,
    SipdFactsStated,
    TargetChanged,
    TargetSet,
    TriwulanAllocated,
    TriwulanReallocated,
    TwSlot,
    events_where,
)
from ledger.line_fold import extend_line, fold_line, statement_order
from ledger.line_state import LineState
from ledger.money import Rupiah
from ledger.pergeseran import REQUIRED, Authority, ShiftScope, fits
from ledger.target import Target

CORRECTABLE = events_where("correctable")


def line_id(opd: str, tahun: int, key: str) -> UUID:
    return stable_id("line", opd, tahun, key)


class BudgetLine(Aggregate):
    def __init__(self) -> None:
        self.facts: list[DomainEvent] = []

    @classmethod
    def open(cls, *, opd: str, tahun: int, key: str, kode: str | None, level: Level, nama: str,
             parent_key: str | None, basis: Basis) -> BudgetLine:
        return cls._create(LineOpened, id=line_id(opd, tahun, key), opd=opd, tahun=tahun, key=key, kode=kode,
                           level=level, nama=nama, parent_key=parent_key, basis=basis)

    def when(self, event: DomainEvent) -> None:
        self.facts.append(event)
        cached = self.__dict__.get("state")
        # Folding is the meaning of the events; extending the cached fold in place is only
        # a shortcut for the usual case, an event that comes last in effective order.
        if cached is not None and not extend_line(cached, event):
            del self.__dict__["state"]

    @cached_property
    def state(self) -> LineState:
        return fold_line(self.facts)

    def state_at(self, day: date) -> LineState:
        """The line as in force on ``day`` (valid time): what a decision of that date acts on."""
        return fold_line(f for f in self.facts if isinstance(f, (LineOpened, KodeRecorded)) or f.basis.effective_on <= day)

    @property
    def label(self) -> str:
        state = self.state
        return f"{state.reference} {state.nama}"

    # --- rules -----------------------------------------------------------------
    def check_reason(self, basis: Basis) -> None:
        if not basis.reason.strip():
            raise RuleViolated("reason-required", self.label, _("a revision needs a reason (--reason)"))

    def check_not_negative(self, rupiah: int, what: str = "pagu") -> None:
        if rupiah < 0:
            raise RuleViolated("negative-pagu", self.label, _("{what} cannot be negative ({rupiah})").format(what=what, rupiah=rupiah))

    @staticmethod
    def check_triwulan(number: int) -> None:
        if number not in (1, 2, 3, 4):
            raise RuleViolated("triwulan-range", f"triwulan {number}", _("a triwulan is I, II, III or IV (1-4)"))

    def check_nets_to_zero(self, deltas: tuple[int, int, int, int] | tuple[Decimal, ...]) -> None:
        if sum(deltas) != 0:
            raise RuleViolated("reallocation-nets-to-zero", self.label,
                               _("a reallocation between triwulan must net to zero, these deltas sum to {total}").format(
                                   total=sum(deltas)))

    def check_holds_money(self) -> None:
        """Money is revised, reallocated and shifted on the lines that hold it (sub-kegiatan);
        a kegiatan's or program's figure is a sum or a statement about its rows."""
        self.check_not_rekening()
        if not holds_money(self.state.level, self.state.kode):  # (13/2006: a kegiatan, ledger.kode.holds_money)
            raise RuleViolated("money-not-held", self.label,
                               _("is a {level}: its pagu is the sum of its sub-kegiatan; revise, reallocate or shift a "
                                 "sub-kegiatan instead").format(level=self.state.level.value))

    def check_indicator_exists(self, stage: Stage, role: Role, ke: int, previous: str | None) -> None:
        """An indicator is replaced by its number, or the next number adds one; no gaps."""
        figures = self.state.figures(stage)
        count = max(figures.indicators_by.get(role, {}) if figures else (), default=0)
        if previous is None and ke not in (1, count + 1):
            raise RuleViolated("indicator-number", self.label,
                               _("has {count} {role} indicator(s) at the {stage} stage; --ke {ke} is neither one of them nor "
                                 "the next ({next})").format(count=count, role=role.value, stage=stage.label, ke=ke,
                                                             next=count + 1))

    def check_stage_has_pagu(self, stage: Stage, day: date) -> Rupiah:
        """The stage's pagu in force on ``day``: a decision of that date cannot act on a pagu
        that only takes force later (or never)."""
        pagu = self.state_at(day).pagu(stage)
        if pagu is None:
            figures = self.state.figures(stage)
            first = min((s.effective_on for s in figures.statements), default=None) if figures else None
            later = _(" (its first takes force on {day})").format(day=first.isoformat()) if first else ""
            raise RuleViolated("stage-without-pagu", self.label,
                               _("has no {stage} pagu in force on {day} to change").format(
                                   stage=stage.label, day=day.isoformat()) + later)
        return pagu

    def check_can_give(self, stage: Stage, delta: int, day: date) -> None:
        """One side of a pergeseran: the stage's pagu in force on ``day`` covers what it gives."""
        current = self.check_stage_has_pagu(stage, day)
        if current + delta < 0:
            raise RuleViolated("shift-negative", self.label,
                               _("holds {amount} at stage {stage} on {day} and cannot give {give}").format(
                                   amount=current, stage=stage.label, day=day.isoformat(), give=-delta))

    def check_never_negative(self, stage: Stage, day: date) -> None:
        """After a change effective on ``day``: no figure of the stage stands below zero on that
        date or any later one (a later statement may have been built on the earlier figure)."""
        below = [n for n in self.state.negatives if n.stage is stage and n.day >= day]
        if below:
            first = below[0]
            raise RuleViolated("negative-balance", self.label,
                               _("this would leave the {stage} {what} at {value} on {day}; nothing was written").format(
                                   stage=stage.label, what=first.what, value=first.value, day=first.day.isoformat()))

    def check_event_correctable(self, version: int) -> DomainEvent:
        for fact in self.facts:
            if fact.originator_version == version:
                if not isinstance(fact, CORRECTABLE):
                    raise RuleViolated("not-correctable", self.label,
                                       _("event {version} ({event}) states no pagu or target to correct").format(
                                           version=version, event=type(fact).__name__))
                return fact
        raise RuleViolated("no-such-event", self.label, _("has no event with version {version}").format(version=version))

    # --- figures ---------------------------------------------------------------
    def record_kode(self, kode: str, basis: Basis) -> None:
        if self.state.kode != kode:
            self.trigger_event(KodeRecorded, kode=kode, basis=basis)

    def state_name(self, nama: str, basis: Basis) -> None:
        """Record the name a document prints, when it is new or printed earlier in valid time
        than the name in force (so the name in force never depends on loading order)."""
        state = self.state
        if nama not in state.names or statement_order(basis, self.version + 1) < state.nama_order:
            self.trigger_event(NameStated, nama=nama, basis=basis)

    def state_details(self, stage: Stage, basis: Basis, *, lokasi: str | None = None,
                      sumber_dana: str | None = None, catatan: str | None = None) -> None:
        if lokasi or sumber_dana or catatan:
            self.trigger_event(DetailsStated, stage=stage, lokasi=lokasi, sumber_dana=sumber_dana,
                               catatan=catatan, basis=basis)

    def withdraw(self, stage: Stage, basis: Basis) -> None:
        """The source no longer holds the line at ``stage`` (never a deletion: ``LineWithdrawn``)."""
        self.trigger_event(LineWithdrawn, stage=stage, basis=basis)

    def restore(self, stage: Stage, basis: Basis) -> None:
        self.trigger_event(LineRestored, stage=stage, basis=basis)

    def state_sipd_facts(self, facts: tuple[str, ...], basis: Basis) -> None:
        self.trigger_event(SipdFactsStated, facts=facts, basis=basis)

    def set_pagu(self, stage: Stage, rupiah: Rupiah, basis: Basis) -> None:
        self.check_not_negative(rupiah)
        self.trigger_event(PaguSet, stage=stage, rupiah=rupiah, basis=basis)

    def revise_pagu(self, stage: Stage, rupiah: Rupiah, basis: Basis) -> None:
        self.check_reason(basis)
        self.check_holds_money()
        self.check_not_negative(rupiah)
        self.trigger_event(PaguRevised, stage=stage, rupiah=rupiah, previous=self.state.pagu(stage), basis=basis)
        self.check_never_negative(stage, basis.effective_on)

    def set_target(self, stage: Stage, role: Role, target: Target, basis: Basis, ke: int = 1) -> None:
        self.trigger_event(TargetSet, stage=stage, role=role, target=target, basis=basis, ke=ke)

    def change_target(self, stage: Stage, role: Role, target: Target, basis: Basis, ke: int = 1) -> None:
        self.check_reason(basis)
        self.check_not_rekening()
        figures = self.state.figures(stage)
        previous = figures.target(role, ke) if figures else None
        self.trigger_event(TargetChanged, stage=stage, role=role, target=target, previous=previous, basis=basis, ke=ke)

    def set_indicator(self, stage: Stage, role: Role, text: str, basis: Basis, ke: int = 1) -> None:
        self.trigger_event(IndicatorSet, stage=stage, role=role, text=text, basis=basis, ke=ke)

    def change_indicator(self, stage: Stage, role: Role, text: str, basis: Basis, ke: int = 1) -> None:
        """Replace one indicator's wording: an explicit event with a reason, never a silent overwrite."""
        self.check_reason(basis)
        self.check_not_rekening()
        figures = self.state.figures(stage)
        previous = figures.indicator(role, ke) if figures else None
        self.check_indicator_exists(stage, role, ke, previous)
        self.trigger_event(IndicatorChanged, stage=stage, role=role, text=text, previous=previous, basis=basis, ke=ke)

    def allocate_triwulan(self, stage: Stage, slots: tuple[TwSlot, TwSlot, TwSlot, TwSlot], basis: Basis) -> None:
        for slot in slots:
            if slot.rupiah is not None:
                self.check_not_negative(slot.rupiah, "a triwulan amount")
        self.trigger_event(TriwulanAllocated, stage=stage, slots=slots, basis=basis)

    def reallocate(self, stage: Stage, from_tw: int, to_tw: int, rupiah: Rupiah,
                   target: Decimal | None, basis: Basis) -> None:
        self.check_triwulan(from_tw)
        self.check_triwulan(to_tw)
        if from_tw == to_tw:
            raise RuleViolated("reallocation-same-triwulan", self.label, _("from and to triwulan are the same"))
        self.check_not_negative(rupiah, "the amount moved")
        deltas = [0, 0, 0, 0]
        deltas[from_tw - 1], deltas[to_tw - 1] = -int(rupiah), int(rupiah)
        target_deltas = None
        if target is not None:
            moved = [Decimal(0)] * 4
            moved[from_tw - 1], moved[to_tw - 1] = -target, target
            target_deltas = (moved[0], moved[1], moved[2], moved[3])
        self.reallocate_deltas(stage, (deltas[0], deltas[1], deltas[2], deltas[3]), target_deltas, basis)

    def reallocate_deltas(self, stage: Stage, deltas: tuple[int, int, int, int],
                          target: tuple[Decimal, Decimal, Decimal, Decimal] | None, basis: Basis) -> None:
        self.check_reason(basis)
        self.check_holds_money()
        self.check_nets_to_zero(deltas)
        if target is not None:
            self.check_nets_to_zero(target)
        day = basis.effective_on
        figures = self.state_at(day).figures(stage)
        if figures is None or figures.triwulan is None:
            raise RuleViolated("no-triwulan-allocation", self.label,
                               _("has no triwulan allocation at stage {stage} in force on {day}").format(
                                   stage=stage.label, day=day.isoformat()))
        for number, (slot, delta) in enumerate(zip(figures.triwulan, deltas, strict=True), start=1):
            if (slot.rupiah or 0) + delta < 0:
                raise RuleViolated("reallocation-negative", self.label,
                                   _("triwulan {number} holds {amount} on {day} and cannot give {give}").format(
                                       number=number, amount=slot.rupiah or 0, day=day.isoformat(), give=-delta))
            moved = target[number - 1] if target is not None else Decimal(0)
            if slot.target is not None and slot.target.nilai + moved < 0:
                raise RuleViolated("reallocation-negative", self.label,
                                   _("triwulan {number} targets {target} on {day} and cannot give {give}").format(
                                       number=number, target=slot.target, day=day.isoformat(), give=-moved))
        self.trigger_event(TriwulanReallocated, stage=stage, rupiah=deltas, target=target, basis=basis)
        self.check_never_negative(stage, day)

    def assign_penanggung_jawab(self, name: str, basis: Basis) -> None:
        self.check_not_rekening()
        if not name.strip():
            raise RuleViolated("name-required", self.label, _("a penanggung jawab needs a name"))
        self.trigger_event(PenanggungJawabAssigned, name=name.strip(), previous=self.state.penanggung_jawab, basis=basis)

    def set_forward_estimate(self, tahun: int, basis: Basis, *, indikator: str | None = None,
                             target: Target | None = None, rupiah: Rupiah | None = None) -> None:
        if rupiah is not None:
            self.check_not_negative(rupiah)
        self.trigger_event(ForwardEstimateSet, tahun=tahun, indikator=indikator, target=target, rupiah=rupiah, basis=basis)

    def shift(self, stage: Stage, delta: int, counterpart: str, shift_id: UUID, basis: Basis) -> None:
        self.check_reason(basis)
        self.check_holds_money()
        self.check_can_give(stage, delta, basis.effective_on)
        self.trigger_event(PaguShifted, stage=stage, delta=delta, counterpart=counterpart, shift_id=shift_id, basis=basis)
        self.check_never_negative(stage, basis.effective_on)

    def correct(self, version: int, basis: Basis, *, rupiah: Rupiah | None = None, target: Target | None = None) -> None:
        self.check_reason(basis)
        fact = self.check_event_correctable(version)
        if rupiah is None and target is None:
            raise RuleViolated("correction-empty", self.label, _("a correction must give the right pagu or target"))
        if rupiah is not None:
            self.check_not_negative(rupiah)
        # The correction is valid from the corrected event's own effective date.
        basis = basis.model_copy(update={"effective_on": fact.basis.effective_on})
        self.trigger_event(EventCorrected, corrects_version=version, rupiah=rupiah, target=target, basis=basis)
        stage = getattr(fact, "stage", None)
        if isinstance(stage, Stage):
            self.check_never_negative(stage, basis.effective_on)

    # --- accounts (rincian belanja) ----------------------------------------------
    def check_not_rekening(self) -> None:
        """An account holds its komponen: a DPA/DPPA states them, and a pergeseran between
        accounts moves them; targets, indicators and a penanggung jawab belong to its sub-kegiatan."""
        if self.state.level is Level.REKENING:
            raise RuleViolated("rekening-figures", self.label,
                               _("is an account (kode rekening): its amount is the sum of its komponen, stated by a "
                                 "DPA/DPPA and moved by a pergeseran between accounts; targets, indicators and the "
                                 "penanggung jawab belong to its sub-kegiatan"))

    def check_pagu_as_other(self, other: BudgetLine, stage: Stage, day: date) -> bool:
        """Two sub-kegiatan whose accounts exchange money: both hold a pagu at the stage on that
        day (and move with their accounts) or neither does. True when both do."""
        held = [line.state_at(day).pagu(stage) is not None for line in (self, other)]
        if any(held) and not all(held):
            missing = (self, other)[held.index(False)]
            raise RuleViolated("shift-sub-kegiatan-pagu", missing.label,
                               _("has no {stage} pagu in force on {day} while the other sub-kegiatan has one: record "
                                 "it before moving money between their accounts").format(stage=stage.label,
                                                                                         day=day.isoformat()))
        return all(held)

    def check_is_rekening(self) -> None:
        if self.state.level is not Level.REKENING:
            raise RuleViolated("not-a-rekening", self.label,
                               _("is a {level}, not an account (kode rekening) of a sub-kegiatan").format(
                                   level=self.state.level.value))

    def check_is_sub_kegiatan(self) -> None:
        """The line lists accounts: a sub-kegiatan (13/2006: a kegiatan, ledger.kode.holds_money)."""
        if not holds_money(self.state.level, self.state.kode):
            raise RuleViolated("not-a-sub-kegiatan", self.label,
                               _("is a {level}: account totals belong to a sub-kegiatan").format(
                                   level=self.state.level.value))

    @staticmethod
    def check_authority_fits(scope: ShiftScope, authority: Authority | None, subject: str) -> None:
        """A pergeseran needs the decision its level requires (ledger.pergeseran.REQUIRED)."""
        if not fits(scope, authority):
            given = authority.label if authority else _("no decision")
            raise RuleViolated("shift-basis-level", subject,
                               _("a pergeseran {scope} needs {required} (or a higher decision), but its basis is {given}; "
                                 "nothing was written").format(scope=scope.label, required=REQUIRED[scope].label,
                                                                given=given))

    def state_rincian(self, stage: Stage, item: RincianItem, ke: int, basis: Basis,
                      printed_change: int | None = None) -> None:
        self.check_is_rekening()
        self.check_not_negative(item.jumlah, "a jumlah")
        self.trigger_event(RincianStated, stage=stage, item=item, ke=ke, printed_change=printed_change, basis=basis)

    def state_rekening_total(self, stage: Stage, rekening: str, nama: str | None, rupiah: Rupiah, basis: Basis) -> None:
        self.check_is_sub_kegiatan()
        self.check_not_negative(rupiah, "a total")
        self.trigger_event(RekeningTotalStated, stage=stage, rekening=rekening, nama=nama, rupiah=rupiah, basis=basis)

    def shift_rekening(self, stage: Stage, delta: int, counterpart: str, shift_id: UUID, scope: ShiftScope,
                       authority: Authority | None, decision: str | None, basis: Basis) -> None:
        self.check_reason(basis)
        self.check_is_rekening()
        self.check_authority_fits(scope, authority, self.label)
        self.check_can_give(stage, delta, basis.effective_on)
        self.trigger_event(RekeningShifted, stage=stage, delta=delta, counterpart=counterpart, shift_id=shift_id,
                           scope=scope, authority=authority, decision=decision, basis=basis)
        self.check_never_negative(stage, basis.effective_on)

    def record_realisasi(self, figures: dict[str, Decimal | None], basis: Basis, indikator: str | None = None) -> None:
        self.trigger_event(RealisasiRecorded, figures=figures, indikator=indikator, basis=basis)
