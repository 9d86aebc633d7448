"""A stage's pagu stated, revised, or estimated for the next year (prakiraan maju).

A later statement of a stage's pagu replaces the earlier one; both stay in ``statements``. An
``EventCorrected`` replaces the figure of the event it names, from that event's date on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.basis import Stage
from ledger.events import Aggregate
from ledger.i18n import Phrase, phrase
from ledger.line_events.bodies import (
    Body,
    Correction,
    StoredRule,
    corrected_by,
    corrected_rupiah,
    pagu_statement,
    shaped,
    stage_of,
)
from ledger.line_events.registry import Described, Shown, line_event
from ledger.line_state import PaguStatement
from ledger.line_values import Role
from ledger.money import Rupiah
from ledger.target import Target

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState


def _fold_pagu(event: PaguSet | PaguRevised, state: LineState, correction: EventCorrected | None) -> None:
    figures = state.stage(event.stage)
    rupiah = correction.rupiah if correction and correction.rupiah is not None else event.rupiah
    figures.pagu = rupiah
    figures.pagu_version = event.originator_version
    figures.statements.append(PaguStatement(
        version=event.originator_version, event_type=type(event).__name__, rupiah=rupiah,
        effective_on=event.basis.effective_on, source=event.basis.source,
        corrected_by=correction.originator_version if correction else None))


def _stored_pagu(event_type: str) -> StoredRule:
    def rule(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        rupiah = corrected_rupiah(body, correction)
        figures["pagu"], figures["pagu_version"] = rupiah, body["originator_version"]
        figures["statements"].append(pagu_statement(body["originator_version"], event_type, rupiah, body,
                                                    corrected_by(correction)))
    return rule


def _words_pagu(event: PaguSet | PaguRevised, before: LineState, after: LineState) -> Described:
    return Described(_pagu_kind(event, before), event.stage, before.pagu(event.stage), after.pagu(event.stage))


def _pagu_kind(event: PaguSet | PaguRevised, before: LineState) -> Phrase:
    """Set, revised, or stated again on the same date (agreeing or not with the figure before)."""
    if isinstance(event, PaguRevised):
        return phrase("pagu revised")
    figures = before.figures(event.stage)
    if figures is None or figures.pagu is None:
        return phrase("pagu set")
    if not any(s.effective_on == event.basis.effective_on for s in figures.statements):
        return phrase("pagu set")
    return phrase("restated (agrees)") if figures.pagu == event.rupiah else phrase("restated (DISAGREES)")


@line_event(shown=Shown.PAGU, money=True, correctable=True)
class PaguSet(Aggregate.Event):
    stage: Stage
    rupiah: Rupiah

    fold = _fold_pagu
    fold_stored = staticmethod(_stored_pagu("PaguSet"))
    words = _words_pagu


@line_event(shown=Shown.PAGU, money=True, correctable=True)
class PaguRevised(Aggregate.Event):
    stage: Stage
    rupiah: Rupiah
    previous: Rupiah | None

    fold = _fold_pagu
    fold_stored = staticmethod(_stored_pagu("PaguRevised"))
    words = _words_pagu


@line_event(shown=Shown.PAGU, correctable=True)
class ForwardEstimateSet(Aggregate.Event):
    """Prakiraan maju: next year's estimate of the line (money, target, indicator)."""

    tahun: int
    indikator: str | None = None
    target: Target | None = None
    rupiah: Rupiah | None = None

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        state.forward_tahun = self.tahun
        figures = state.stage(Stage.PRAKIRAAN_MAJU)
        if self.rupiah is not None:
            rupiah = correction.rupiah if correction and correction.rupiah is not None else self.rupiah
            figures.pagu, figures.pagu_version = rupiah, self.originator_version
            figures.statements.append(PaguStatement(
                self.originator_version, "ForwardEstimateSet", rupiah, self.basis.effective_on, self.basis.source,
                correction.originator_version if correction else None))
        if self.target is not None:
            figures.targets[Role.OWN] = figures.targets_by.setdefault(Role.OWN, {})[1] = self.target
        if self.indikator:
            figures.indicators[Role.OWN] = figures.indicators_by.setdefault(Role.OWN, {})[1] = self.indikator

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        state["forward_tahun"] = body["tahun"]
        figures = stage_of(state, "prakiraan_maju")
        if body["rupiah"] is not None:
            rupiah = corrected_rupiah(body, correction)
            figures["pagu"], figures["pagu_version"] = rupiah, body["originator_version"]
            figures["statements"].append(pagu_statement(body["originator_version"], "ForwardEstimateSet", rupiah,
                                                        body, corrected_by(correction)))
        if body["target"] is not None:
            figures["targets"]["own"] = shaped(body["target"], Target)
            figures["targets_by"].setdefault("own", {})["1"] = body["target"]
        if body["indikator"]:
            figures["indicators"]["own"] = body["indikator"]
            figures["indicators_by"].setdefault("own", {})["1"] = body["indikator"]

    def words(self, before: LineState, after: LineState) -> Described:
        stage = Stage.PRAKIRAAN_MAJU
        return Described(phrase("prakiraan maju set"), stage, before.pagu(stage), after.pagu(stage))

