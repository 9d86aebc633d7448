"""What the events' stored-body rules share: the state's JSON, read and written as the typed
state would be dumped (``ledger.line_state``), and the checks that send a body this fast path
does not expect back to the typed fold.

The bodies are the ledger's own canonical JSON (the mapper writes them; ``import-events``
accepts nothing else), so the figures are carried through as printed: a Decimal stays the
string pydantic wrote, a date its ISO form, a nested model (source, target, komponen) the
object it was. Only sums are computed, with int and Decimal as the domain computes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from pydantic import TypeAdapter

from ledger.basis import Source
from ledger.document import precedence_of
from ledger.line_state import StageFigures
from ledger.line_values import RincianItem, TwSlot
from ledger.numbers import RUPIAH_CEILING
from ledger.target import Target

Body = dict[str, Any]
Correction = Body | None
Order = tuple[int, str, int, str, int]

_EMPTY_STAGE = TypeAdapter(StageFigures).dump_json(StageFigures())
# The fields, in order, of the models whose JSON is copied into the state as written: a body
# written before a field existed (or with its keys in another order) is left to fold_line.
SHAPES: dict[type, tuple[str, ...]] = {model: tuple(model.model_fields) for model in (Source, Target, RincianItem, TwSlot)}


class Unfoldable(Exception):
    """A body the fast fold does not expect: fold the line with ``fold_line`` instead."""


def shaped(value: Any, model: type) -> Any:
    if value is not None and tuple(value) != SHAPES[model]:
        raise Unfoldable(f"a {model.__name__} not in the ledger's present form")
    return value


def statement_order(basis: Body, version: int) -> Order:
    """``ledger.order.statement_order`` of a stored basis."""
    source = shaped(basis["source"], Source)  # (every statement's source passes here, before it is copied)
    document_id = source["document_id"]
    document = f"{source['document'] or ''}|{document_id.replace('-', '') if document_id else ''}"
    return (1, basis["effective_on"], precedence_of(source["kind"], bool(source["command"])), document, version)


def stage_of(state: Body, stage: str) -> Body:
    """``LineState.stage``: the stage's figures, empty ones when the stage had none."""
    figures = state["stages"].get(stage)
    if figures is None:
        figures = state["stages"][stage] = orjson.loads(_EMPTY_STAGE)
    return figures


def rupiah(value: int) -> int:
    """``Rupiah`` arithmetic: a sum beyond the ceiling is refused, as the domain refuses it."""
    if not -RUPIAH_CEILING <= value <= RUPIAH_CEILING:
        raise Unfoldable(f"{value} is beyond the Rupiah ceiling")
    return value


def pagu_statement(version: int, event_type: str, amount: int, body: Body, corrected_by: int | None) -> Body:
    """A ``PaguStatement``."""
    return {"version": version, "event_type": event_type, "rupiah": amount,
            "effective_on": body["basis"]["effective_on"], "source": body["basis"]["source"],
            "corrected_by": corrected_by}


def corrected_rupiah(body: Body, correction: Correction) -> int:
    """The event's figure, or the one its correction states instead."""
    return correction["rupiah"] if correction is not None and correction["rupiah"] is not None else body["rupiah"]


def corrected_by(correction: Correction) -> int | None:
    return correction["originator_version"] if correction is not None else None


def statement_of(source: Body) -> str:
    """``ledger.line_events.rincian.statement_of`` of a stored source."""
    return f"{source['document_id'] or source['command']}|{source['table']}"


StoredRule = Callable[[Body, Body, Correction], None]
