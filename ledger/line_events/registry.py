"""The registry of a budget line's events: each event says, beside its class, what it does.

An event class of a line is registered with ``@line_event(...)``, which reads three rules
from the class and keeps them with its flags in one ``LineEventSpec``:

* ``fold(self, state, correction)``: what the event does to the line's state (``ledger.line_fold``);
* ``fold_stored(body, state, correction)``: the same rule over the stored JSON body and the
  state's JSON, the read model's fast path (``projections.stored_fold``, proved equal to
  ``fold`` by tests/unit/test_stored_fold.py);
* ``words(self, before, after)``: what the history says of it (``projections.history``).

Everything else (the fold, the read model, the time-invariant sets, the correction rule, the
history's default filter) reads its membership from here, so adding an event touches its
family module and the catalog. An event without its three rules cannot be registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from eventsourcing.utils import get_topic, register_topic

from ledger.basis import Stage
from ledger.i18n import Phrase

if TYPE_CHECKING:
    from ledger.line_state import LineState

# The module every line event names in its stored topic (``ledger.line_events:PaguSet``). The
# classes live in family modules of this package; ledgers name them by this one public module,
# so moving a class between families never changes what is stored.
PUBLIC_MODULE = "ledger.line_events"


class Shown(StrEnum):
    """Where a line's history shows the event by default."""

    PAGU = "pagu"  # states or changes money of a stage (with what was realised by its date)
    FIGURE = "figure"  # a target, the triwulan, a komponen, who answers for the line
    DETAIL = "detail"  # identity, names, indicator texts, details: shown on request (--all)


class Described(NamedTuple):
    """What the history says of one event: what happened, to which stage, before -> after."""

    kind: Phrase
    stage: Stage | None
    before: Any
    after: Any


Body = dict[str, Any]
TypedRule = Callable[[Any, "LineState", Any], None]
StoredRule = Callable[[Body, Body, "Body | None"], None]
Words = Callable[[Any, "LineState", "LineState"], Described]
RULES = ("fold", "fold_stored", "words")  # what each event class defines beside its fields


@dataclass(frozen=True)
class LineEventSpec:
    """What the rest of the ledger needs to know of a line event, said once, beside its class."""

    name: str
    fold: TypedRule
    fold_stored: StoredRule
    words: Words
    shown: Shown = Shown.DETAIL
    identity: bool = False  # identifies the line (its opening, its kode): applies at every valid time, first
    naming: bool = False  # how the ledger came to know the line's name (with identity: load-order noise)
    money: bool = False  # changes a stage's money: the fold looks for figures below zero after it
    correctable: bool = False  # states a pagu or target an EventCorrected may replace
    bookkeeping: bool = False  # a record about statements that puts no line in force


# Every event of a budget line, with its spec, in the order registered.
LINE_EVENTS: dict[type, LineEventSpec] = {}
BY_NAME: dict[str, LineEventSpec] = {}  # the same, by the class name a stored topic ends with
CLASSES: dict[str, type] = {}  # each class by that name
E = TypeVar("E", bound=type)


def line_event(*, shown: Shown = Shown.DETAIL, identity: bool = False, naming: bool = False, money: bool = False,
               correctable: bool = False, bookkeeping: bool = False) -> Callable[[E], E]:
    def register(cls: E) -> E:
        missing = [rule for rule in RULES if not callable(getattr(cls, rule, None))]
        if missing:
            raise TypeError(f"line event {cls.__name__} lacks its rule(s) {', '.join(missing)}")
        cls.__module__ = PUBLIC_MODULE  # its stored topic (see PUBLIC_MODULE) ...
        register_topic(get_topic(cls), cls)  # ... resolved to the class, wherever in the package it is defined
        spec = LineEventSpec(cls.__name__, cls.fold, cls.fold_stored, cls.words, shown, identity, naming, money,  # type: ignore[attr-defined]
                             correctable, bookkeeping)
        LINE_EVENTS[cls] = BY_NAME[cls.__name__] = spec
        CLASSES[cls.__name__] = cls
        return cls
    return register


def events_where(flag: str) -> tuple[type, ...]:
    """The line events whose spec has ``flag`` set (``money``, ``identity`` ...)."""
    return tuple(cls for cls, spec in LINE_EVENTS.items() if getattr(spec, flag))
