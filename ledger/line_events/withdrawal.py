"""A line the source no longer holds (withdrawn), held again (restored), and the bookkeeping
of which facts a SIPD sync stated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.basis import Stage
from ledger.events import Aggregate
from ledger.i18n import phrase
from ledger.line_events.bodies import Body, Correction, pagu_statement, stage_of
from ledger.line_events.registry import Described, Shown, line_event
from ledger.line_state import PaguStatement
from ledger.money import Rupiah

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState


@line_event(shown=Shown.PAGU, money=True)
class LineWithdrawn(Aggregate.Event):
    """The source no longer holds the line at this stage (SIPD: the row turned ``active = 0`` or
    was gone at a sync). Nothing is deleted: from its date the line holds no money at the stage
    (pagu 0, its own statement), and its earlier figures stay in the history."""

    stage: Stage

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        """Its komponen and triwulan are no longer in force either."""
        figures = state.stage(self.stage)
        figures.withdrawn = True
        figures.pagu, figures.pagu_version = Rupiah(0), self.originator_version
        figures.triwulan, figures.rincian, figures.rincian_statement = None, [], None
        figures.statements.append(PaguStatement(self.originator_version, "LineWithdrawn", Rupiah(0),
                                                self.basis.effective_on, self.basis.source))

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        figures["withdrawn"] = True
        figures["pagu"], figures["pagu_version"] = 0, body["originator_version"]
        figures["triwulan"], figures["rincian"], figures["rincian_statement"] = None, [], None
        figures["statements"].append(pagu_statement(body["originator_version"], "LineWithdrawn", 0, body, None))

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("withdrawn"), self.stage, before.pagu(self.stage), after.pagu(self.stage))


@line_event(shown=Shown.PAGU)
class LineRestored(Aggregate.Event):
    """A withdrawn line is held again at this stage; its figures come with the statements of
    the same source that follow."""

    stage: Stage

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        state.stage(self.stage).withdrawn = False

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        stage_of(state, body["stage"])["withdrawn"] = False

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("restored"), self.stage, None, None)


@line_event(bookkeeping=True)
class SipdFactsStated(Aggregate.Event):
    """Which of the line's facts (``pagu|murni``, ``indikator|murni|own|1`` ...) a SIPD sync
    stated, when that set changes: a later sync's silence about a fact is not a statement that it
    stands, so only what it stated is restated when an earlier sync is recorded after it
    (ledger.application.sipd.sync). Bookkeeping of the sync: it puts no line in force."""

    facts: tuple[str, ...]

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        state.sipd_facts = self.facts

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        state["sipd_facts"] = body["facts"]

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("SIPD columns stated"), None, None, f"{len(self.facts)}")
