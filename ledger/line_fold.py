"""A budget line's events folded into its state (``ledger.line_state``), in effective order.

The same fold serves the write model (all events known now) and the point-in-time
projections (events filtered by ``effective_on`` and ``recorded_at``), so a report and a
command can never disagree about what an event means.

Precedence rule: events apply in order of ``effective_on``, ties broken by the order the
ledger recorded them. A later statement of a stage's pagu replaces the earlier one; both
stay in ``statements``. An ``EventCorrected`` replaces the figure of the event it names,
from that event's effective date on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import singledispatch
from typing import Protocol, cast

from ledger.basis import Source, Stage
from ledger.events import DomainEvent
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
from ledger.line_state import (
    LineState,
    NegativeBalance,
    PaguStatement,
    RekeningTotal,
    RincianEntry,
    ShiftLeg,
    StageFigures,
)
from ledger.money import Rupiah
from ledger.order import OrderKey, statement_order
from ledger.target import Target
from ledger.timeless import IDENTITY_EVENTS, NEUTRAL_EVENTS


def effective_order(event: DomainEvent) -> OrderKey:
    """The order in which statements apply: the precedence rule, a function of each
    statement alone, so that the same statements give the same state in whatever order
    they were recorded.

    1. Identity first (the line's opening, its kode): they are not decisions in time.
    2. Then by valid time, ``effective_on``.
    3. On the same date, by the precedence of the document's kind in the planning cycle
       (``DocumentKind.precedence``: RKPD, KUA-PPAS, Renja, RKA, DPA, Rencana Aksi,
       pergeseran, ralat), a decision recorded by command after every document (it is
       made on the documents' figures); then documents in the order of their reference
       (title and date, then id), so two documents of one date apply in the same order
       whichever was loaded first. ``renja check`` reports every such tie that disagrees.
    4. Within one document or between decisions: the order they were recorded in. One
       document is recorded in one transaction in the order of its manifest, so its own
       order never depends on other documents.
    """
    if isinstance(event, IDENTITY_EVENTS):
        return (0, "", 0, "", event.originator_version)
    return statement_order(event.basis, event.originator_version)


def _state_name(state: LineState, nama: str, order: OrderKey) -> None:
    """A line's name is the one printed first in valid time (ties: document reference), so
    that it does not depend on which document happened to open the line."""
    if nama not in state.names:
        state.names.append(nama)
    if order < state.nama_order:
        state.nama, state.nama_order = nama, order


def fold_line(events: Iterable[DomainEvent]) -> LineState:
    ordered = sorted(((effective_order(event), event) for event in events), key=_first)
    corrections = {e.corrects_version: e for _, e in ordered if isinstance(e, EventCorrected)}
    state = LineState()
    for order, event in ordered:
        _apply(event, state, corrections.get(event.originator_version))
        _applied(state, event, order)
    return state


def _first(pair: tuple[OrderKey, DomainEvent]) -> OrderKey:
    return pair[0]


def _applied(state: LineState, event: DomainEvent, order: OrderKey) -> None:
    state.version = max(state.version, event.originator_version)
    state.last_order = max(state.last_order, order)
    if not isinstance(event, NEUTRAL_EVENTS):
        state.in_force = True
    if isinstance(event, MONEY_EVENTS):
        _track_negatives(state, cast(Staged, event).stage, event.basis.effective_on)


MONEY_EVENTS = events_where("money")


class Staged(Protocol):
    """Every money event states one stage's figures."""

    stage: Stage


def _track_negatives(state: LineState, stage: Stage, day: date) -> None:
    """After a money event, which of the stage's figures stand below zero on its date. Only that
    date's entries change, so a later event of the same date that mends one removes it."""
    figures = state.stages.get(stage)
    if figures is None:
        return
    if not state.negatives and (figures.pagu is None or figures.pagu >= 0) and not figures.triwulan:
        return  # the usual case: nothing below zero now, and nothing recorded below zero to mend
    values: dict[str, Decimal | None] = {"pagu": None if figures.pagu is None else Decimal(figures.pagu)}
    for number, slot in enumerate(figures.triwulan or [], start=1):
        values[f"tw{number}"] = None if slot.rupiah is None else Decimal(slot.rupiah)
        values[f"tw{number} target"] = slot.target.nilai if slot.target is not None else None
    kept = [n for n in state.negatives if not (n.day == day and n.stage is stage)]
    below = [NegativeBalance(day, stage, what, value) for what, value in values.items()
             if value is not None and value < 0]
    if below or len(kept) != len(state.negatives):
        state.negatives = kept + below


def extend_line(state: LineState, event: DomainEvent) -> bool:
    """Apply one more event in place when that gives the same state as a full fold: the
    event comes last in effective order and corrects nothing. Returns False otherwise."""
    order = effective_order(event)
    if isinstance(event, EventCorrected) or order < state.last_order:
        return False
    _apply(event, state, None)
    _applied(state, event, order)
    return True


@singledispatch
def _apply(event: DomainEvent, state: LineState, correction: EventCorrected | None) -> None:
    """What one event does to a line's state; an event type without a rule changes nothing
    (EventCorrected acts through the events it corrects)."""


@_apply.register
def _(event: LineOpened, state: LineState, correction: EventCorrected | None) -> None:
    state.line_id = str(event.originator_id)
    state.opd, state.tahun, state.key = event.opd, event.tahun, event.key
    state.kode, state.level, state.parent_key = event.kode, event.level, event.parent_key
    _state_name(state, event.nama, statement_order(event.basis, event.originator_version))


@_apply.register
def _(event: NameStated, state: LineState, correction: EventCorrected | None) -> None:
    _state_name(state, event.nama, statement_order(event.basis, event.originator_version))


@_apply.register
def _(event: KodeRecorded, state: LineState, correction: EventCorrected | None) -> None:
    state.kode = event.kode


@_apply.register
def _(event: DetailsStated, state: LineState, correction: EventCorrected | None) -> None:
    figures = state.stage(event.stage)
    figures.lokasi = event.lokasi or figures.lokasi
    figures.sumber_dana = event.sumber_dana or figures.sumber_dana
    figures.catatan = event.catatan or figures.catatan


@_apply.register(PaguSet)
@_apply.register(PaguRevised)
def _(event: PaguSet | PaguRevised, state: LineState, correction: EventCorrected | None) -> None:
    _apply_pagu(state.stage(event.stage), event, correction)


@_apply.register
def _(event: PaguShifted, state: LineState, correction: EventCorrected | None) -> None:
    # Its date too: the pagu a line had on each date is read from its statements and shifts
    # (projections.execution.pagu_changes).
    _apply_shift(state.stage(event.stage), event, ShiftLeg(str(event.shift_id), event.delta, event.counterpart,
                                                           event.basis.source, effective_on=event.basis.effective_on))


@_apply.register
def _(event: RekeningShifted, state: LineState, correction: EventCorrected | None) -> None:
    basis = event.basis
    _apply_shift(state.stage(event.stage), event, ShiftLeg(
        str(event.shift_id), event.delta, event.counterpart, basis.source, event.scope.value,
        event.authority.value if event.authority else None, event.decision, basis.effective_on, basis.recorded_by,
        basis.reason))


def _apply_shift(figures: StageFigures, event: PaguShifted | RekeningShifted, leg: ShiftLeg) -> None:
    figures.pagu = Rupiah((figures.pagu or 0) + event.delta)
    figures.pagu_version = event.originator_version
    figures.shifted += event.delta
    figures.shifts.append(leg)


@_apply.register
def _(event: RincianStated, state: LineState, correction: EventCorrected | None) -> None:
    """The komponen of one statement (a document's table) replace those of an earlier one;
    the account's pagu is their sum, counted from the first komponen of the statement."""
    figures = state.stage(event.stage)
    source = event.basis.source
    statement = _statement_of(source)
    jumlah = event.item.jumlah
    if figures.rincian_statement != statement:
        figures.rincian, figures.rincian_statement = [], statement
        figures.pagu = jumlah
        figures.statements.append(PaguStatement(event.originator_version, "RincianStated", jumlah,
                                                event.basis.effective_on, source))
    else:
        figures.pagu = Rupiah((figures.pagu or 0) + jumlah)
        figures.statements[-1].rupiah = Rupiah(figures.statements[-1].rupiah + jumlah)
    figures.pagu_version = event.originator_version
    figures.rincian.append(RincianEntry(event.ke, event.item, source, event.printed_change))


@_apply.register
def _(event: RekeningTotalStated, state: LineState, correction: EventCorrected | None) -> None:
    """The level totals of one statement replace those of an earlier one (a DPPA's totals are
    checked against the DPPA's accounts, not the DPA's)."""
    figures = state.stage(event.stage)
    statement = _statement_of(event.basis.source)
    if figures.rekening_totals_statement != statement:
        figures.rekening_totals, figures.rekening_totals_statement = {}, statement
    figures.rekening_totals[event.rekening] = RekeningTotal(event.rekening, event.nama, event.rupiah, event.basis.source)


def _statement_of(source: Source) -> str:
    """One statement: a document's table (or a command)."""
    return f"{source.document_id or source.command}|{source.table}"


@_apply.register(TargetSet)
@_apply.register(TargetChanged)
def _(event: TargetSet | TargetChanged, state: LineState, correction: EventCorrected | None) -> None:
    target = correction.target if correction and correction.target else event.target
    figures = state.stage(event.stage)
    figures.targets_by.setdefault(event.role, {})[event.ke] = target
    if event.ke == 1:  # the checks compare the first indicator of each role across tables and stages
        figures.targets[event.role] = target
        figures.target_statements.append((event.role, target, event.basis.source))


@_apply.register(IndicatorSet)
@_apply.register(IndicatorChanged)
def _(event: IndicatorSet | IndicatorChanged, state: LineState, correction: EventCorrected | None) -> None:
    figures = state.stage(event.stage)
    figures.indicators_by.setdefault(event.role, {})[event.ke] = event.text
    if event.ke == 1:
        figures.indicators[event.role] = event.text


@_apply.register
def _(event: TriwulanAllocated, state: LineState, correction: EventCorrected | None) -> None:
    figures = state.stage(event.stage)
    figures.triwulan = list(event.slots)
    figures.triwulan_source = event.basis.source


@_apply.register
def _(event: TriwulanReallocated, state: LineState, correction: EventCorrected | None) -> None:
    _apply_reallocation(state.stage(event.stage), event)


@_apply.register
def _(event: PenanggungJawabAssigned, state: LineState, correction: EventCorrected | None) -> None:
    state.penanggung_jawab = event.name


@_apply.register
def _(event: ForwardEstimateSet, state: LineState, correction: EventCorrected | None) -> None:
    state.forward_tahun = event.tahun
    figures = state.stage(Stage.PRAKIRAAN_MAJU)
    if event.rupiah is not None:
        rupiah = correction.rupiah if correction and correction.rupiah is not None else event.rupiah
        figures.pagu, figures.pagu_version = rupiah, event.originator_version
        figures.statements.append(
            PaguStatement(event.originator_version, "ForwardEstimateSet", rupiah, event.basis.effective_on,
                          event.basis.source, correction.originator_version if correction else None)
        )
    if event.target is not None:
        figures.targets[Role.OWN] = figures.targets_by.setdefault(Role.OWN, {})[1] = event.target
    if event.indikator:
        figures.indicators[Role.OWN] = figures.indicators_by.setdefault(Role.OWN, {})[1] = event.indikator


@_apply.register
def _(event: LineWithdrawn, state: LineState, correction: EventCorrected | None) -> None:
    """A withdrawn line holds no money at the stage: pagu 0, stated by the withdrawal itself;
    its komponen and triwulan are no longer in force."""
    figures = state.stage(event.stage)
    figures.withdrawn = True
    figures.pagu, figures.pagu_version = Rupiah(0), event.originator_version
    figures.triwulan, figures.rincian, figures.rincian_statement = None, [], None
    figures.statements.append(PaguStatement(event.originator_version, "LineWithdrawn", Rupiah(0),
                                            event.basis.effective_on, event.basis.source))


@_apply.register
def _(event: LineRestored, state: LineState, correction: EventCorrected | None) -> None:
    state.stage(event.stage).withdrawn = False


@_apply.register
def _(event: SipdFactsStated, state: LineState, correction: EventCorrected | None) -> None:
    state.sipd_facts = event.facts


@_apply.register
def _(event: RealisasiRecorded, state: LineState, correction: EventCorrected | None) -> None:
    state.realisasi.update(event.figures)
    if event.indikator:
        state.realisasi_indikator = event.indikator


def _apply_pagu(figures: StageFigures, event: PaguSet | PaguRevised, correction: EventCorrected | None) -> None:
    rupiah = correction.rupiah if correction and correction.rupiah is not None else event.rupiah
    figures.pagu = rupiah
    figures.pagu_version = event.originator_version
    figures.statements.append(
        PaguStatement(
            version=event.originator_version,
            event_type=type(event).__name__,
            rupiah=rupiah,
            effective_on=event.basis.effective_on,
            source=event.basis.source,
            corrected_by=correction.originator_version if correction else None,
        )
    )


def _apply_reallocation(figures: StageFigures, event: TriwulanReallocated) -> None:
    slots = figures.triwulan or [TwSlot() for _ in range(4)]
    moved = []
    for index, slot in enumerate(slots):
        rupiah = Rupiah((slot.rupiah or 0) + event.rupiah[index]) if slot.rupiah is not None or event.rupiah[index] else slot.rupiah
        target = slot.target
        if event.target is not None and target is not None:
            target = Target(nilai=target.nilai + event.target[index], satuan=target.satuan)
        moved.append(TwSlot(target=target, rupiah=rupiah))
    figures.triwulan = moved
