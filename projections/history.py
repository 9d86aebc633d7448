"""Why did this pagu change: every event of a line, with its basis, before -> after.

Events are listed in effective order (ties in recording order). For each, the line is
folded up to and including it, so "before" and "after" mean exactly what the ledger
would have reported at that step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import singledispatch
from typing import Any

from events_store.time_index import LineRow, TimeIndex
from ledger.basis import PLAN_STAGES, Stage
from ledger.events import DomainEvent
from ledger.i18n import _
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
    SipdFactsStated,
    TargetChanged,
    TargetSet,
    TriwulanAllocated,
    TriwulanReallocated,
    indicator_name,
)
from ledger.line_fold import effective_order, fold_line
from ledger.line_state import LineState
from ledger.money import format_rupiah, percent_change
from ledger.timeless import NAMING_EVENTS
from projections.execution import line_execution
from projections.words import tanggal


@dataclass
class Entry:
    version: int
    event: DomainEvent
    recorded_at: str
    kind: str
    stage: Stage | None
    before: str | None
    after: str | None
    change: int | None
    percent: str
    pagu_after: dict[str, int]
    story: str
    realised: int | None = None  # money realised in the plan year, stated by this entry's effective date


    def to_json(self) -> dict[str, Any]:
        basis = self.event.basis
        return {
            "version": self.version, "event": type(self.event).__name__, "kind": self.kind,
            "effective_on": basis.effective_on.isoformat(), "recorded_at": self.recorded_at,
            "recorded_by": basis.recorded_by, "channel": basis.channel, "source": basis.source.model_dump(mode="json", exclude_none=True),
            "basis": basis.source.describe(), "reason": basis.reason,
            "stage": self.stage.value if self.stage else None, "before": self.before, "after": self.after,
            "change": self.change, "change_percent": self.percent or None, "pagu_after": self.pagu_after,
            "story": self.story,
            **({"realisasi_saat_itu": self.realised} if self.realised is not None else {}),
        }


def _rp(value: int | None) -> str | None:
    return None if value is None else format_rupiah(value)


def _pagu_kind(event: PaguSet | PaguRevised, before: LineState) -> str:
    if isinstance(event, PaguRevised):
        return "pagu revised"
    figures = before.figures(event.stage)
    if figures is None or figures.pagu is None:
        return "pagu set"
    same_date = [s for s in figures.statements if s.effective_on == event.basis.effective_on]
    if not same_date:
        return "pagu set"
    return "restated (agrees)" if figures.pagu == event.rupiah else "restated (DISAGREES)"


Described = tuple[str, Stage | None, Any, Any]


@singledispatch
def describe(event: DomainEvent, before: LineState, after: LineState) -> Described:
    """(kind, stage, figure before, figure after) of one event in a line's history."""
    return type(event).__name__, None, None, None


@describe.register(PaguSet)
@describe.register(PaguRevised)
def _describe_1(event: PaguSet | PaguRevised, before: LineState, after: LineState) -> Described:
    return _pagu_kind(event, before), event.stage, before.pagu(event.stage), after.pagu(event.stage)


@describe.register
def _describe_2(event: PaguShifted, before: LineState, after: LineState) -> Described:
    return "pergeseran", event.stage, before.pagu(event.stage), after.pagu(event.stage)


@describe.register
def _describe_rekening_shift(event: RekeningShifted, before: LineState, after: LineState) -> Described:
    decision = " ".join(p for p in (event.authority.label if event.authority else _("no decision"), event.decision) if p)
    return f"pergeseran {event.scope.label} ({decision})", event.stage, before.pagu(event.stage), after.pagu(event.stage)


@describe.register
def _describe_rincian(event: RincianStated, before: LineState, after: LineState) -> Described:
    """One komponen: its own figures, not a change of the account's pagu (a document states
    its komponen one by one; the account's pagu is their sum, shown per stage beside it)."""
    item = event.item
    figures = " x ".join(p for p in (f"{item.koefisien} {item.satuan or ''}".strip() if item.koefisien is not None
                                     else None, f"Rp {format_rupiah(item.harga)}" if item.harga is not None else None) if p)
    return (f"rincian komponen {event.ke}: {item.komponen or '-'}" + (f" ({figures})" if figures else ""), event.stage,
            None, format_rupiah(item.jumlah))


@describe.register
def _describe_level_total(event: RekeningTotalStated, before: LineState, after: LineState) -> Described:
    return f"total {event.rekening} {event.nama or ''} stated".replace("  ", " "), event.stage, None, \
        format_rupiah(event.rupiah)


@describe.register
def _describe_3(event: EventCorrected, before: LineState, after: LineState) -> Described:
    kind = f"correction of event {event.corrects_version}"
    stage = next((s for s in Stage if (f := after.figures(s)) and any(st.corrected_by == event.originator_version
                                                                       for st in f.statements)), None)
    if stage is not None:
        return kind, stage, before.pagu(stage), after.pagu(stage)
    return kind, None, None, str(event.target) if event.target else None


@describe.register
def _describe_withdrawn(event: LineWithdrawn, before: LineState, after: LineState) -> Described:
    return "withdrawn", event.stage, before.pagu(event.stage), after.pagu(event.stage)


@describe.register
def _describe_restored(event: LineRestored, before: LineState, after: LineState) -> Described:
    return "restored", event.stage, None, None


@describe.register
def _describe_sipd_facts(event: SipdFactsStated, before: LineState, after: LineState) -> Described:
    return "SIPD columns stated", None, None, f"{len(event.facts)}"


@describe.register
def _describe_4(event: ForwardEstimateSet, before: LineState, after: LineState) -> Described:
    return "prakiraan maju set", Stage.PRAKIRAAN_MAJU, before.pagu(Stage.PRAKIRAAN_MAJU), after.pagu(Stage.PRAKIRAAN_MAJU)


@describe.register(TargetSet)
@describe.register(TargetChanged)
def _describe_5(event: TargetSet | TargetChanged, before: LineState, after: LineState) -> Described:
    figures = before.figures(event.stage)
    old = figures.target(event.role, event.ke) if figures else None
    kind = "target changed" if isinstance(event, TargetChanged) else ("target restated" if old else "target set")
    return f"{kind} ({indicator_name(event.role, event.ke)})", event.stage, str(old) if old else None, str(event.target)


@describe.register(IndicatorSet)
@describe.register(IndicatorChanged)
def _describe_6(event: IndicatorSet | IndicatorChanged, before: LineState, after: LineState) -> Described:
    figures = before.figures(event.stage)
    old_text = figures.indicator(event.role, event.ke) if figures else None
    kind = "indicator changed" if old_text and old_text != event.text else "indicator set"
    return f"{kind} ({indicator_name(event.role, event.ke)})", event.stage, old_text, event.text



@describe.register(TriwulanAllocated)
@describe.register(TriwulanReallocated)
def _describe_7(event: TriwulanAllocated | TriwulanReallocated, before: LineState, after: LineState) -> Described:
    figures = after.figures(event.stage)
    slots = figures.triwulan if figures and figures.triwulan else []
    kind = "triwulan reallocated" if isinstance(event, TriwulanReallocated) else "triwulan allocated"
    old_figures = before.figures(event.stage)
    old_slots = old_figures.triwulan if old_figures and old_figures.triwulan else []
    return kind, event.stage, _tw(old_slots), _tw(slots)


@describe.register
def _describe_8(event: PenanggungJawabAssigned, before: LineState, after: LineState) -> Described:
    return "penanggung jawab assigned", None, before.penanggung_jawab, event.name


@describe.register
def _describe_9(event: LineOpened, before: LineState, after: LineState) -> Described:
    return "line opened", None, None, f"{event.kode or event.key} {event.nama}"


@describe.register
def _describe_10(event: KodeRecorded, before: LineState, after: LineState) -> Described:
    return "kode recorded", None, before.kode, event.kode


@describe.register
def _describe_11(event: NameStated, before: LineState, after: LineState) -> Described:
    return "name printed", None, None, event.nama


@describe.register
def _describe_12(event: DetailsStated, before: LineState, after: LineState) -> Described:
    return "details stated", event.stage, None, event.lokasi or event.sumber_dana or event.catatan


@describe.register
def _describe_13(event: RealisasiRecorded, before: LineState, after: LineState) -> Described:
    return "realisasi recorded", None, None, str(event.figures.get("realisasi_tw2"))


def _tw(slots: list[Any]) -> str | None:
    if not slots:
        return None
    return " | ".join(_rp(s.rupiah) or "-" for s in slots)


def _where(event: DomainEvent) -> str:
    source = event.basis.source
    if source.command:
        return _("{what} (recorded by {who})").format(what=source.document or _("a command"), who=event.basis.recorded_by)
    row = _(", row {row}").format(row=source.row) if source.row else ""
    return f"{source.table or source.document}{row}"


def story(event: DomainEvent, kind: str, stage: Stage | None, before: Any, after: Any, murni: int | None,
          perubahan: int | None = None) -> str:
    """One plain sentence: when, where it is written, what the pagu became and against what."""
    basis = event.basis
    head = f"{tanggal(basis.effective_on)}, {_where(event)}:"
    if not (isinstance(after, int) and stage is not None):
        return f"{head} {kind}" + (f" {after}" if after else "") + "."
    text = head + " " + _("{stage} pagu Rp {amount}").format(stage=stage.label, amount=format_rupiah(after))
    if kind == "restated (DISAGREES)":
        text += _(", DISAGREEING with the Rp {amount} stated before for the same stage").format(
            amount=format_rupiah(before or 0))
    elif kind == "restated (agrees)":
        text += _(", the same figure stated again")
    elif isinstance(before, int) and before != after:
        text += _(", was Rp {amount} ({percent})").format(amount=format_rupiah(before), percent=percent_change(before, after))
    if stage in (Stage.PERUBAHAN, Stage.RKPD, Stage.KEBUTUHAN) and murni is not None and murni != after:
        text += _("; {percent} against the murni Rp {amount}").format(percent=percent_change(murni, after),
                                                                   amount=format_rupiah(murni))
    if stage is Stage.KEBUTUHAN and perubahan is not None and perubahan != after:
        text += _("; the perubahan states Rp {amount} (DIFFERS by {difference})").format(
            amount=format_rupiah(perubahan), difference=format_rupiah(perubahan - after))
    if isinstance(event, (EventCorrected, PaguRevised, PaguShifted, RekeningShifted, LineWithdrawn)):
        text += _("; reason: {reason}").format(reason=basis.reason)
    return text + "."


def line_history(index: TimeIndex, line: LineRow, *, as_of: date | None = None,
                 known_at: datetime | None = None, plan: tuple[str, int] | None = None) -> list[Entry]:
    """Every event of the line, before -> after. With ``plan`` (its OPD and year), each pagu entry
    also says what the line had realised by that entry's effective date, when it realised anything."""
    rows = index.line_events(line.line_id, as_of=as_of, known_at=known_at)
    recorded = {row.event.originator_version: row.recorded_at for row in rows}
    events = sorted((row.event for row in rows), key=effective_order)
    done = line_execution(index, *plan, line.key, as_of=as_of, known_at=known_at) if plan else None
    entries: list[Entry] = []
    after = fold_line([])
    for position, event in enumerate(events):
        before, after = after, fold_line(events[:position + 1])  # the fold of one prefix is the next one's "before"
        kind, stage, old, new = describe(event, before, after)
        change = new - old if isinstance(new, int) and isinstance(old, int) else None
        percent = percent_change(old, new) if isinstance(new, int) and isinstance(old, int) else ""
        pagu_after = {s.value: int(p) for s in Stage if (p := after.pagu(s)) is not None}
        realised = (done.realised_upto(plan[1], by=event.basis.effective_on)
                    if done is not None and plan is not None and done.keuangan and stage in PLAN_STAGES
                    and kind.startswith(PAGU_KINDS) else None)
        told = story(event, kind, stage, old, new, after.pagu(Stage.MURNI), after.pagu(Stage.PERUBAHAN))
        if realised is not None:
            told = told[:-1] + _("; realised by then: Rp {amount}").format(amount=format_rupiah(realised)) + "."
        entries.append(Entry(
            version=event.originator_version, event=event, recorded_at=recorded[event.originator_version],
            kind=kind, stage=stage, before=_rp(old) if isinstance(old, int) else old,
            after=_rp(new) if isinstance(new, int) else new, change=change, percent=percent, pagu_after=pagu_after,
            story=told, realised=realised,
        ))
    return entries


PAGU_KINDS = ("pagu", "restated", "pergeseran", "correction", "prakiraan maju", "withdrawn", "restored")


def is_pagu_entry(entry: Entry) -> bool:
    return entry.kind.startswith(PAGU_KINDS)


def is_identity(entry: Entry) -> bool:
    """A line's opening, kode and printed names: identity, kept apart from its statements (which
    document opened a line depends on the order documents were loaded; its statements do not)."""
    return isinstance(entry.event, NAMING_EVENTS)


def is_figure_entry(entry: Entry) -> bool:
    """What a history shows by default: the events that set a figure or who answers for the line."""
    return is_pagu_entry(entry) or any(word in entry.kind for word in ("target", "triwulan", "penanggung", "rincian"))
