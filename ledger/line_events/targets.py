"""A stage's targets (value + satuan) and indicator texts, per role and number (``ke``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.basis import Stage
from ledger.events import Aggregate
from ledger.i18n import phrase
from ledger.line_events.bodies import Body, Correction, shaped, stage_of
from ledger.line_events.registry import Described, Shown, line_event
from ledger.line_values import Role, indicator_phrase
from ledger.target import Target

if TYPE_CHECKING:
    from ledger.line_events.correction import EventCorrected
    from ledger.line_state import LineState


def _fold_target(event: TargetSet | TargetChanged, state: LineState, correction: EventCorrected | None) -> None:
    target = correction.target if correction and correction.target else event.target
    figures = state.stage(event.stage)
    figures.targets_by.setdefault(event.role, {})[event.ke] = target
    if event.ke == 1:  # the checks compare the first indicator of each role across tables and stages
        figures.targets[event.role] = target
        figures.target_statements.append((event.role, target, event.basis.source))


def _stored_target(body: Body, state: Body, correction: Correction) -> None:
    target = shaped(correction["target"] if correction and correction["target"] else body["target"], Target)
    figures = stage_of(state, body["stage"])
    role, ke = body["role"], body["ke"]
    figures["targets_by"].setdefault(role, {})[str(ke)] = target
    if ke == 1:
        figures["targets"][role] = target
        figures["target_statements"].append([role, target, body["basis"]["source"]])


def _words_target(event: TargetSet | TargetChanged, before: LineState, after: LineState) -> Described:
    figures = before.figures(event.stage)
    old = figures.target(event.role, event.ke) if figures else None
    role = indicator_phrase(event.role, event.ke)
    kind = (phrase("target changed ({role})", role=role) if isinstance(event, TargetChanged)
            else phrase("target restated ({role})", role=role) if old else phrase("target set ({role})", role=role))
    return Described(kind, event.stage, str(old) if old else None, str(event.target))


def _fold_indicator(event: IndicatorSet | IndicatorChanged, state: LineState,
                    correction: EventCorrected | None) -> None:
    figures = state.stage(event.stage)
    figures.indicators_by.setdefault(event.role, {})[event.ke] = event.text
    if event.ke == 1:
        figures.indicators[event.role] = event.text


def _stored_indicator(body: Body, state: Body, correction: Correction) -> None:
    figures = stage_of(state, body["stage"])
    role, ke = body["role"], body["ke"]
    figures["indicators_by"].setdefault(role, {})[str(ke)] = body["text"]
    if ke == 1:
        figures["indicators"][role] = body["text"]


def _words_indicator(event: IndicatorSet | IndicatorChanged, before: LineState, after: LineState) -> Described:
    figures = before.figures(event.stage)
    old = figures.indicator(event.role, event.ke) if figures else None
    role = indicator_phrase(event.role, event.ke)
    kind = phrase("indicator changed ({role})", role=role) if old and old != event.text \
        else phrase("indicator set ({role})", role=role)
    return Described(kind, event.stage, old, event.text)


@line_event(shown=Shown.FIGURE, correctable=True)
class TargetSet(Aggregate.Event):
    stage: Stage
    role: Role
    target: Target
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)

    fold = _fold_target
    fold_stored = staticmethod(_stored_target)
    words = _words_target


@line_event(shown=Shown.FIGURE, correctable=True)
class TargetChanged(Aggregate.Event):
    stage: Stage
    role: Role
    target: Target
    previous: Target | None
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)

    fold = _fold_target
    fold_stored = staticmethod(_stored_target)
    words = _words_target


@line_event()
class IndicatorSet(Aggregate.Event):
    stage: Stage
    role: Role
    text: str
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)

    fold = _fold_indicator
    fold_stored = staticmethod(_stored_indicator)
    words = _words_indicator


@line_event()
class IndicatorChanged(Aggregate.Event):
    stage: Stage
    role: Role
    text: str
    previous: str | None
    ke: int = 1  # which indicator of this role, in the order printed (a row may print several)

    fold = _fold_indicator
    fold_stored = staticmethod(_stored_indicator)
    words = _words_indicator
