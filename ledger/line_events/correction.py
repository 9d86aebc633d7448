"""A correction: replaces the figure an earlier event of the line stated, and says why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.basis import Stage
from ledger.events import Aggregate
from ledger.i18n import phrase
from ledger.line_events.bodies import Body, Correction
from ledger.line_events.registry import Described, Shown, line_event
from ledger.money import Rupiah
from ledger.target import Target

if TYPE_CHECKING:
    from ledger.line_state import LineState


@line_event(shown=Shown.PAGU)
class EventCorrected(Aggregate.Event):
    """Replaces the figure an earlier event of this line stated; says why in basis.reason.
    It acts through the event it corrects: the fold hands it to that event's rule (``correctable``
    events), from that event's effective date on, so by itself it changes nothing."""

    corrects_version: int
    rupiah: Rupiah | None = None
    target: Target | None = None

    def fold(self, state: LineState, correction: EventCorrected | None) -> None:
        """(the corrected event's rule applies it)"""

    @staticmethod
    def fold_stored(body: Body, state: Body, correction: Correction) -> None:
        """(the corrected event's rule applies it)"""

    def words(self, before: LineState, after: LineState) -> Described:
        kind = phrase("correction of event {version}", version=self.corrects_version)
        stage = next((s for s in Stage if (f := after.figures(s))
                      and any(st.corrected_by == self.originator_version for st in f.statements)), None)
        if stage is not None:
            return Described(kind, stage, before.pagu(stage), after.pagu(stage))
        return Described(kind, None, None, str(self.target) if self.target else None)
