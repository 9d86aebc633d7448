"""The two sides of a pergeseran: between budget lines (``PaguShifted``) or between two
accounts (``RekeningShifted``), each ``delta`` negative on the giving side."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from ledger.basis import Stage
from ledger.events import Aggregate
from ledger.i18n import _, phrase
from ledger.line_events.bodies import Body, Correction, StoredRule, rupiah, stage_of
from ledger.line_events.registry import Described, Shown, line_event
from ledger.line_state import ShiftLeg, StageFigures
from ledger.money import Rupiah
from ledger.pergeseran import Authority, ShiftScope

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState


def _shift(figures: StageFigures, event: PaguShifted | RekeningShifted, leg: ShiftLeg) -> None:
    figures.pagu = Rupiah((figures.pagu or 0) + event.delta)
    figures.pagu_version = event.originator_version
    figures.shifted += event.delta
    figures.shifts.append(leg)


def _stored_shift(account: bool) -> StoredRule:
    def rule(body: Body, state: Body, correction: Correction) -> None:
        figures = stage_of(state, body["stage"])
        figures["pagu"] = rupiah((figures["pagu"] or 0) + body["delta"])
        figures["pagu_version"] = body["originator_version"]
        figures["shifted"] += body["delta"]
        figures["shifts"].append(_stored_leg(body, account))
    return rule


def _stored_leg(body: Body, account: bool) -> Body:
    """A ``ShiftLeg``; the decision and who recorded it are kept for an account's pergeseran."""
    basis = body["basis"]
    return {"shift_id": body["shift_id"], "delta": body["delta"], "counterpart": body["counterpart"],
            "source": basis["source"], "scope": body["scope"] if account else None,
            "authority": body["authority"] if account else None, "decision": body["decision"] if account else None,
            "effective_on": basis["effective_on"],
            "recorded_by": basis["recorded_by"] if account else None, "reason": basis["reason"] if account else None}


@line_event(shown=Shown.PAGU, money=True)
class PaguShifted(Aggregate.Event):
    """One side of a pergeseran: ``delta`` is negative on the giving line."""

    stage: Stage
    delta: int
    counterpart: str
    shift_id: UUID

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        # Its date too: the pagu a line had on each date is read from its statements and shifts
        # (projections.execution.pagu_changes).
        _shift(state.stage(self.stage), self, ShiftLeg(str(self.shift_id), self.delta, self.counterpart,
                                                       self.basis.source, effective_on=self.basis.effective_on))

    fold_stored = staticmethod(_stored_shift(account=False))

    def words(self, before: LineState, after: LineState) -> Described:
        return Described(phrase("pergeseran"), self.stage, before.pagu(self.stage), after.pagu(self.stage))


@line_event(shown=Shown.PAGU, money=True)
class RekeningShifted(Aggregate.Event):
    """One side of a pergeseran between two accounts: ``delta`` is negative on the giving one.
    ``scope`` is where the two accounts part (ledger.pergeseran), ``authority`` and
    ``decision`` the decision that allows it (its kind and its number)."""

    stage: Stage
    delta: int
    counterpart: str
    shift_id: UUID
    scope: ShiftScope
    authority: Authority | None
    decision: str | None = None

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        basis = self.basis
        _shift(state.stage(self.stage), self, ShiftLeg(
            str(self.shift_id), self.delta, self.counterpart, basis.source, self.scope.value,
            self.authority.value if self.authority else None, self.decision, basis.effective_on, basis.recorded_by,
            basis.reason))

    fold_stored = staticmethod(_stored_shift(account=True))

    def words(self, before: LineState, after: LineState) -> Described:
        decision = " ".join(p for p in (self.authority.label if self.authority else _("no decision"), self.decision)
                            if p)
        return Described(phrase("pergeseran {scope} ({decision})", scope=self.scope.label, decision=decision),
                         self.stage, before.pagu(self.stage), after.pagu(self.stage))
