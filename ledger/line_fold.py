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
from typing import Protocol, cast

from ledger.basis import Stage
from ledger.events import DomainEvent
from ledger.line_events import LINE_EVENTS, EventCorrected, events_where
from ledger.line_state import LineState, NegativeBalance
from ledger.order import OrderKey, statement_order
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


def _apply(event: DomainEvent, state: LineState, correction: EventCorrected | None) -> None:
    """What one event does to a line's state: the rule its class registered (``@line_event``); an
    event of another aggregate that reaches a fold (a plan's opening, in a preview's events)
    changes nothing."""
    spec = LINE_EVENTS.get(type(event))
    if spec is not None:
        spec.fold(event, state, correction)
