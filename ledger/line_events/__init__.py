"""Events of a budget line (one per OPD x tahun x kode). Past tense, frozen.

Each family module holds its events, and beside each class the three rules the registry keeps
(``ledger.line_events.registry``): what it does to the line's state, the same over its stored
JSON, and what the history says of it. Every stored topic names this package
(``ledger.line_events:PaguSet``), whichever family file defines the class.
"""

from __future__ import annotations

from ledger.line_events.registry import (
    BY_NAME,
    CLASSES,
    LINE_EVENTS,
    PUBLIC_MODULE,
    Described,
    LineEventSpec,
    Shown,
    events_where,
    line_event,
)
from ledger.line_values import RincianItem, Role, TwSlot, indicator_name, indicator_phrase

# The families, in the order their events are registered.
from ledger.line_events.identity import KodeRecorded, LineOpened, NameStated  # isort: skip
from ledger.line_events.details import DetailsStated, PenanggungJawabAssigned, RealisasiRecorded  # isort: skip
from ledger.line_events.pagu import ForwardEstimateSet, PaguRevised, PaguSet  # isort: skip
from ledger.line_events.targets import IndicatorChanged, IndicatorSet, TargetChanged, TargetSet  # isort: skip
from ledger.line_events.triwulan import TriwulanAllocated, TriwulanReallocated  # isort: skip
from ledger.line_events.shifts import PaguShifted, RekeningShifted  # isort: skip
from ledger.line_events.rincian import RekeningTotalStated, RincianStated  # isort: skip
from ledger.line_events.withdrawal import LineRestored, LineWithdrawn, SipdFactsStated  # isort: skip
from ledger.line_events.correction import EventCorrected  # isort: skip

__all__ = [
    "BY_NAME", "LINE_EVENTS", "PUBLIC_MODULE", "Described", "DetailsStated", "EventCorrected", "ForwardEstimateSet",
    "IndicatorChanged", "IndicatorSet", "KodeRecorded", "LineEventSpec", "LineOpened", "LineRestored",
    "LineWithdrawn", "NameStated", "PaguRevised", "PaguSet", "PaguShifted", "PenanggungJawabAssigned",
    "RealisasiRecorded", "RekeningShifted", "RekeningTotalStated", "RincianItem", "RincianStated", "Role",
    "Shown", "SipdFactsStated", "TargetChanged", "TargetSet", "TriwulanAllocated", "TriwulanReallocated", "TwSlot",
    "events_where", "indicator_name", "indicator_phrase", "line_event",
]


def __getattr__(name: str) -> type:
    """Any registered line event by its class name, as a stored topic names it
    (``ledger.line_events:PaguSet``): a class added to a family module is found without being
    listed here."""
    try:
        return CLASSES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
