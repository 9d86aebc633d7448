"""A stage's money and targets per triwulan: allocated as a document prints them, or moved
between triwulan of one line (the deltas net to zero)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledger.basis import Stage
from ledger.events import Aggregate
from ledger.i18n import phrase
from ledger.line_events.bodies import Body, Correction, rupiah, shaped, stage_of
from ledger.line_events.registry import Described, Shown, line_event
from ledger.line_values import TwSlot
from ledger.money import Rupiah, format_rupiah
from ledger.target import Target

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState


def _words(event: TriwulanAllocated | TriwulanReallocated, before: LineState, after: LineState) -> Described:
    figures, old_figures = after.figures(event.stage), before.figures(event.stage)
    slots = figures.triwulan if figures and figures.triwulan else []
    old_slots = old_figures.triwulan if old_figures and old_figures.triwulan else []
    kind = phrase("triwulan reallocated") if isinstance(event, TriwulanReallocated) else phrase("triwulan allocated")
    return Described(kind, event.stage, _tw(old_slots), _tw(slots))


def _tw(slots: list[Any]) -> str | None:
    if not slots:
        return None
    return " | ".join("-" if s.rupiah is None else format_rupiah(s.rupiah) for s in slots)


@line_event(shown=Shown.FIGURE, money=True)
class TriwulanAllocated(Aggregate.Event):
    stage: Stage
    slots: tuple[TwSlot, TwSlot, TwSlot, TwSlot]

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        figures = state.stage(self.stage)
        figures.triwulan = list(self.slots)
        figures.triwulan_source = self.basis.source

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        figures["triwulan"] = [shaped(slot, TwSlot) for slot in body["slots"]]
        for slot in figures["triwulan"]:
            shaped(slot["target"], Target)
        figures["triwulan_source"] = body["basis"]["source"]

    words = _words


@line_event(shown=Shown.FIGURE, money=True)
class TriwulanReallocated(Aggregate.Event):
    """Rp (and target) moved between triwulan of one line; the deltas net to zero."""

    stage: Stage
    rupiah: tuple[int, int, int, int]
    target: tuple[Decimal, Decimal, Decimal, Decimal] | None = None

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        figures = state.stage(self.stage)
        moved = []
        for index, slot in enumerate(figures.triwulan or [TwSlot() for _ in range(4)]):
            amount = slot.rupiah
            if amount is not None or self.rupiah[index]:
                amount = Rupiah((amount or 0) + self.rupiah[index])
            target = slot.target
            if self.target is not None and target is not None:
                target = Target(nilai=target.nilai + self.target[index], satuan=target.satuan)
            moved.append(TwSlot(target=target, rupiah=amount))
        figures.triwulan = moved

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        slots = figures["triwulan"] or [{"target": None, "rupiah": None} for _ in range(4)]
        deltas, target_deltas = body["rupiah"], body["target"]
        moved = []
        for index, slot in enumerate(slots):
            amount = slot["rupiah"]
            if amount is not None or deltas[index]:
                amount = rupiah((amount or 0) + deltas[index])
            target = slot["target"]
            if target_deltas is not None and target is not None:
                target = {"nilai": str(Decimal(target["nilai"]) + Decimal(target_deltas[index])),
                          "satuan": target["satuan"]}
            moved.append({"target": target, "rupiah": amount})
        figures["triwulan"] = moved

    words = _words
