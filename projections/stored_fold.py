"""The read model's fast path: ``fold_line`` over stored event bodies decoded by orjson.

Rebuilding the read model spent most of its time turning stored JSON back into pydantic
events (about 26 µs an event) and the state back into JSON. This module applies each event's
stored-body rule (``fold_stored``, registered beside its class with its typed rule, see
``ledger.line_events.registry``) to the plain decoded bodies and produces the state's JSON
directly, byte for byte what ``dump_state(fold_line(events))`` produces:

* ``tests/unit/test_stored_fold.py`` proves it with hypothesis over generated sequences of
  every line event (corrections, reallocations, negatives, komponen, shifts, names);
* ``renja verify`` refolds every row with ``fold_line`` itself, so a ledger on which the two
  ever disagreed would be reported, not trusted;
* a body this fold does not expect (a missing field, a nested object written before one of
  its fields existed, an event type it does not know) raises ``Unfoldable`` and the caller
  folds that line with ``fold_line``.

What is left here is the fold's frame, the same as ``ledger.line_fold``'s: the order, the
version, "in force", and the figures below zero after a money event.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

import orjson
from pydantic import TypeAdapter

from ledger.line_events import BY_NAME, PUBLIC_MODULE
from ledger.line_events.bodies import Body, Order, Unfoldable, statement_order
from ledger.line_fold import MONEY_EVENTS as _MONEY_CLASSES
from ledger.line_state import LineState
from ledger.timeless import IDENTITY_EVENTS as _IDENTITY_CLASSES
from ledger.timeless import NEUTRAL_EVENTS as _NEUTRAL_CLASSES

IDENTITY = frozenset(cls.__name__ for cls in _IDENTITY_CLASSES)
MONEY = frozenset(cls.__name__ for cls in _MONEY_CLASSES)
NEUTRAL = frozenset(cls.__name__ for cls in _NEUTRAL_CLASSES)
TOPIC_PREFIX = f"{PUBLIC_MODULE}:"  # a line's events, e.g. ledger.line_events:PaguSet
_EMPTY_LINE = TypeAdapter(LineState).dump_json(LineState())

__all__ = ["Folded", "Unfoldable", "fold_bodies", "is_line_topic"]


class Folded(NamedTuple):
    opd: str
    tahun: int
    key: str
    level: str
    state_json: str


def fold_bodies(events: Iterable[tuple[str, bytes]]) -> Folded | None:
    """One line's state from its (topic, stored body) pairs, in any order, with the columns
    the read model keeps beside it; None when no event opened the line. Raises Unfoldable
    for a body it cannot read."""
    try:
        decoded = [(_name(topic), orjson.loads(body)) for topic, body in events]
        ordered = sorted(((_order(name, body), name, body) for name, body in decoded), key=_first)
        corrections = {body["corrects_version"]: body for _, name, body in ordered if name == "EventCorrected"}
        state: Body = orjson.loads(_EMPTY_LINE)
        state["nama_order"], state["last_order"] = tuple(state["nama_order"]), tuple(state["last_order"])
        for order, name, body in ordered:
            if name not in BY_NAME:
                raise Unfoldable(f"{name} is not a line event this fold knows")
            BY_NAME[name].fold_stored(body, state, corrections.get(body["originator_version"]))
            _applied(state, name, body, order)
        if not state["line_id"]:
            return None
        return Folded(state["opd"], state["tahun"], state["key"], state["level"], orjson.dumps(state).decode())
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as error:
        raise Unfoldable(str(error)) from error


def is_line_topic(topic: str) -> bool:
    return topic.startswith(TOPIC_PREFIX)


def _name(topic: str) -> str:
    if not is_line_topic(topic):
        raise Unfoldable(f"{topic} is not an event of a budget line")
    return topic[len(TOPIC_PREFIX):]


def _first(item: tuple[Order, str, Body]) -> Order:
    return item[0]


def _order(name: str, body: Body) -> Order:
    """``line_fold.effective_order``."""
    if name in IDENTITY:
        return (0, "", 0, "", body["originator_version"])
    return statement_order(body["basis"], body["originator_version"])


def _applied(state: Body, name: str, body: Body, order: Order) -> None:
    state["version"] = max(state["version"], body["originator_version"])
    state["last_order"] = max(state["last_order"], order)
    if name not in NEUTRAL:
        state["in_force"] = True
    if name in MONEY:
        _track_negatives(state, body["stage"], body["basis"]["effective_on"])


def _track_negatives(state: Body, stage: str, day: str) -> None:
    figures = state["stages"].get(stage)
    if figures is None:
        return
    negatives = state["negatives"]
    if not negatives and (figures["pagu"] is None or figures["pagu"] >= 0) and not figures["triwulan"]:
        return
    values: dict[str, Decimal | None] = {"pagu": None if figures["pagu"] is None else Decimal(figures["pagu"])}
    for number, slot in enumerate(figures["triwulan"] or [], start=1):
        values[f"tw{number}"] = None if slot["rupiah"] is None else Decimal(slot["rupiah"])
        values[f"tw{number} target"] = Decimal(slot["target"]["nilai"]) if slot["target"] is not None else None
    kept = [n for n in negatives if not (n["day"] == day and n["stage"] == stage)]
    below = [{"day": day, "stage": stage, "what": what, "value": str(value)} for what, value in values.items()
             if value is not None and value < 0]
    if below or len(kept) != len(negatives):
        state["negatives"] = kept + below
