"""Why did this pagu change: every event of a line, with its basis, before -> after.

Events are listed in effective order (ties in recording order). For each, the line is
folded up to and including it, so "before" and "after" mean exactly what the ledger
would have reported at that step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from events_store.time_index import LineRow, TimeIndex
from ledger.basis import PLAN_STAGES, Stage
from ledger.events import DomainEvent
from ledger.i18n import N_, Phrase, _
from ledger.line_events import (
    LINE_EVENTS,
    Described,
    EventCorrected,
    LineWithdrawn,
    PaguRevised,
    PaguShifted,
    RekeningShifted,
    Shown,
)
from ledger.line_fold import effective_order, fold_line
from ledger.line_state import LineState
from ledger.money import format_rupiah, percent_change
from ledger.tanggal import tanggal
from ledger.timeless import NAMING_EVENTS
from projections.execution import line_execution


@dataclass
class Entry:
    version: int
    event: DomainEvent
    recorded_at: str
    kind: Phrase  # str(): the stable English name JSON carries; .text: in the reader's language
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
            "version": self.version, "event": type(self.event).__name__, "kind": str(self.kind),
            "peristiwa": self.kind.text,
            "effective_on": basis.effective_on.isoformat(), "recorded_at": self.recorded_at,
            "recorded_by": basis.recorded_by, "channel": basis.channel, "source": basis.source.model_dump(mode="json", exclude_none=True),
            "basis": basis.source.describe(), "reason": basis.reason, "alasan": reason_words(basis.reason),
            "stage": self.stage.value if self.stage else None, "before": self.before, "after": self.after,
            "change": self.change, "change_percent": self.percent or None, "pagu_after": self.pagu_after,
            "story": self.story,
            **({"realisasi_saat_itu": self.realised} if self.realised is not None else {}),
        }


# Reasons the ledger writes itself (an import's, a default), stored in the domain's own English
# words whatever the language of who recorded them, and shown in the reader's language.
STORED_REASONS = (
    (re.compile(r"stated in (?P<document>.+)"), N_("stated in {document}")),
    (re.compile(r"restated by (?P<document>.+) as 'sebelum perubahan' \(the date of the earlier decision is not given\)"),
     N_("restated by {document} as 'sebelum perubahan' (the date of the earlier decision is not given)")),
    (re.compile(r"penanggung jawab assigned"), N_("penanggung jawab assigned")),
)


def reason_words(reason: str) -> str:
    """A stored reason as the reader reads it: the ledger's own reasons translated, a person's as typed."""
    for pattern, message in STORED_REASONS:
        found = pattern.fullmatch(reason)
        if found:
            return _(message).format(**found.groupdict())
    return reason


def _rp(value: int | None) -> str | None:
    return None if value is None else format_rupiah(value)


def describe(event: DomainEvent, before: LineState, after: LineState) -> Described:
    """(kind, stage, figure before, figure after) of one event in a line's history: the words
    its class registered (``@line_event``); an event of another aggregate is named by its class."""
    spec = LINE_EVENTS.get(type(event))
    if spec is None:
        return Described(Phrase(type(event).__name__), None, None, None)
    return spec.words(event, before, after)


def _where(event: DomainEvent) -> str:
    source = event.basis.source
    if source.command:
        return _("{what} (recorded by {who})").format(what=source.document or _("a command"), who=event.basis.recorded_by)
    row = _(", row {row}").format(row=source.row) if source.row else ""
    return f"{source.table or source.document}{row}"


def story(event: DomainEvent, kind: Phrase, stage: Stage | None, before: Any, after: Any, murni: int | None,
          perubahan: int | None = None) -> str:
    """One plain sentence: when, where it is written, what the pagu became and against what."""
    basis = event.basis
    head = f"{tanggal(basis.effective_on)}, {_where(event)}:"
    if not (isinstance(after, int) and stage is not None):
        return f"{head} {kind.text}" + (f" {after}" if after else "") + "."
    text = head + " " + _("{stage} pagu Rp {amount}").format(stage=stage.label, amount=format_rupiah(after))
    if str(kind) == "restated (DISAGREES)":
        text += _(", DISAGREEING with the Rp {amount} stated before for the same stage").format(
            amount=format_rupiah(before or 0))
    elif str(kind) == "restated (agrees)":
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
        text += _("; reason: {reason}").format(reason=reason_words(basis.reason))
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
                    and _shown(event) is Shown.PAGU else None)
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


def _shown(event: DomainEvent) -> Shown:
    spec = LINE_EVENTS.get(type(event))
    return spec.shown if spec is not None else Shown.DETAIL


def is_pagu_entry(entry: Entry) -> bool:
    return _shown(entry.event) is Shown.PAGU


def is_identity(entry: Entry) -> bool:
    """A line's opening, kode and printed names: identity, kept apart from its statements (which
    document opened a line depends on the order documents were loaded; its statements do not)."""
    return isinstance(entry.event, NAMING_EVENTS)


def is_figure_entry(entry: Entry) -> bool:
    """What a history shows by default: the events that set a figure or who answers for the line."""
    return _shown(entry.event) in (Shown.PAGU, Shown.FIGURE)
