"""The read model's fast path: ``fold_line`` over stored event bodies decoded by orjson.

Rebuilding the read model spent most of its time turning stored JSON back into pydantic
events (about 26 µs an event) and the state back into JSON. This module applies the same
rules as ``ledger.line_fold`` to the plain decoded bodies and produces the state's JSON
directly, byte for byte what ``dump_state(fold_line(events))`` produces:

* ``tests/unit/test_stored_fold.py`` proves it with hypothesis over generated sequences of
  every line event (corrections, reallocations, negatives, komponen, shifts, names);
* ``renja verify`` refolds every row with ``fold_line`` itself, so a ledger on which the two
  ever disagreed would be reported, not trusted;
* a body this fold does not expect (a missing field, a nested object written before one of
  its fields existed, an event type it does not know) raises ``Unfoldable`` and the caller
  folds that line with ``fold_line``.

The bodies are the ledger's own canonical JSON (the mapper writes them; ``import-events``
accepts nothing else), so the figures can be carried through as printed: a Decimal stays the
string pydantic wrote, a date its ISO form, a nested model (source, target, komponen) the
object it was. Only sums are computed, with int and Decimal as the domain computes them.

When a rule of ``ledger.line_fold`` changes, change it here too: the property test fails
until both agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, NamedTuple

import orjson
from pydantic import TypeAdapter

from ledger import line_events
from ledger.basis import Source
from ledger.document import precedence_of
from ledger.line_events import RincianItem, TwSlot
from ledger.line_fold import MONEY_EVENTS as _MONEY_CLASSES
from ledger.line_state import LineState, StageFigures
from ledger.numbers import RUPIAH_CEILING
from ledger.target import Target
from ledger.timeless import IDENTITY_EVENTS as _IDENTITY_CLASSES
from ledger.timeless import NEUTRAL_EVENTS as _NEUTRAL_CLASSES

Body = dict[str, Any]
Order = tuple[int, str, int, str, int]

IDENTITY = frozenset(cls.__name__ for cls in _IDENTITY_CLASSES)
MONEY = frozenset(cls.__name__ for cls in _MONEY_CLASSES)
NEUTRAL = frozenset(cls.__name__ for cls in _NEUTRAL_CLASSES)
KNOWN = frozenset(cls.__name__ for cls in line_events.LINE_EVENTS)
TOPIC_PREFIX = f"{line_events.__name__}:"  # a line's events, e.g. ledger.line_events:PaguSet
_EMPTY_LINE = TypeAdapter(LineState).dump_json(LineState())
_EMPTY_STAGE = TypeAdapter(StageFigures).dump_json(StageFigures())
# The fields, in order, of the models whose JSON is copied into the state as written: a body
# written before a field existed (or with its keys in another order) is left to fold_line.
SHAPES: dict[type, tuple[str, ...]] = {model: tuple(model.model_fields) for model in (Source, Target, RincianItem, TwSlot)}


def _shaped(value: Any, model: type) -> Any:
    if value is not None and tuple(value) != SHAPES[model]:
        raise Unfoldable(f"a {model.__name__} not in the ledger's present form")
    return value


class Unfoldable(Exception):
    """A body this fold does not expect: fold the line with ``fold_line`` instead."""


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
            if name not in KNOWN:
                raise Unfoldable(f"{name} is not a line event this fold knows")
            rule = RULES.get(name)
            if rule is not None:  # (EventCorrected acts through the events it corrects)
                rule(body, state, corrections.get(body["originator_version"]))
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
    return _statement_order(body["basis"], body["originator_version"])


def _statement_order(basis: Body, version: int) -> Order:
    source = _shaped(basis["source"], Source)  # (every statement's source passes here, before it is copied)
    document_id = source["document_id"]
    document = f"{source['document'] or ''}|{document_id.replace('-', '') if document_id else ''}"
    return (1, basis["effective_on"], precedence_of(source["kind"], bool(source["command"])), document, version)


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


def _stage(state: Body, stage: str) -> Body:
    figures = state["stages"].get(stage)
    if figures is None:
        figures = state["stages"][stage] = orjson.loads(_EMPTY_STAGE)
    return figures


def _rupiah(value: int) -> int:
    """``Rupiah`` arithmetic: a sum beyond the ceiling is refused, as the domain refuses it."""
    if not -RUPIAH_CEILING <= value <= RUPIAH_CEILING:
        raise Unfoldable(f"{value} is beyond the Rupiah ceiling")
    return value


def _state_name(state: Body, nama: str, order: Order) -> None:
    if nama not in state["names"]:
        state["names"].append(nama)
    if order < state["nama_order"]:
        state["nama"], state["nama_order"] = nama, order


Correction = Body | None


def _line_opened(body: Body, state: Body, correction: Correction) -> None:
    state["line_id"] = body["originator_id"]
    for name in ("opd", "tahun", "key", "kode", "level", "parent_key"):
        state[name] = body[name]
    _state_name(state, body["nama"], _statement_order(body["basis"], body["originator_version"]))


def _name_stated(body: Body, state: Body, correction: Correction) -> None:
    _state_name(state, body["nama"], _statement_order(body["basis"], body["originator_version"]))


def _kode_recorded(body: Body, state: Body, correction: Correction) -> None:
    state["kode"] = body["kode"]


def _details_stated(body: Body, state: Body, correction: Correction) -> None:
    figures = _stage(state, body["stage"])
    for name in ("lokasi", "sumber_dana", "catatan"):
        figures[name] = body[name] or figures[name]


def _statement(version: int, event_type: str, rupiah: int, body: Body, corrected_by: int | None) -> Body:
    return {"version": version, "event_type": event_type, "rupiah": rupiah,
            "effective_on": body["basis"]["effective_on"], "source": body["basis"]["source"],
            "corrected_by": corrected_by}


def _corrected_rupiah(body: Body, correction: Correction) -> int:
    """The event's figure, or the one its correction states instead."""
    return correction["rupiah"] if correction is not None and correction["rupiah"] is not None else body["rupiah"]


def _corrected_by(correction: Correction) -> int | None:
    return correction["originator_version"] if correction is not None else None


def _pagu(event_type: str) -> Callable[[Body, Body, Correction], None]:
    def rule(body: Body, state: Body, correction: Correction) -> None:
        figures = _stage(state, body["stage"])
        rupiah = _corrected_rupiah(body, correction)
        figures["pagu"], figures["pagu_version"] = rupiah, body["originator_version"]
        figures["statements"].append(_statement(body["originator_version"], event_type, rupiah, body,
                                                _corrected_by(correction)))
    return rule


def _leg(body: Body, account: bool) -> Body:
    basis = body["basis"]
    return {"shift_id": body["shift_id"], "delta": body["delta"], "counterpart": body["counterpart"],
            "source": basis["source"], "scope": body["scope"] if account else None,
            "authority": body["authority"] if account else None, "decision": body["decision"] if account else None,
            "effective_on": basis["effective_on"],
            "recorded_by": basis["recorded_by"] if account else None, "reason": basis["reason"] if account else None}


def _shifted(account: bool) -> Callable[[Body, Body, Correction], None]:
    def rule(body: Body, state: Body, correction: Correction) -> None:
        figures = _stage(state, body["stage"])
        figures["pagu"] = _rupiah((figures["pagu"] or 0) + body["delta"])
        figures["pagu_version"] = body["originator_version"]
        figures["shifted"] += body["delta"]
        figures["shifts"].append(_leg(body, account))
    return rule


def _statement_of(source: Body) -> str:
    return f"{source['document_id'] or source['command']}|{source['table']}"


def _rincian_stated(body: Body, state: Body, correction: Correction) -> None:
    figures = _stage(state, body["stage"])
    source = body["basis"]["source"]
    statement = _statement_of(source)
    jumlah = _shaped(body["item"], RincianItem)["jumlah"]
    if figures["rincian_statement"] != statement:
        figures["rincian"], figures["rincian_statement"] = [], statement
        figures["pagu"] = jumlah
        figures["statements"].append(_statement(body["originator_version"], "RincianStated", jumlah, body, None))
    else:
        figures["pagu"] = _rupiah((figures["pagu"] or 0) + jumlah)
        last = figures["statements"][-1]
        last["rupiah"] = _rupiah(last["rupiah"] + jumlah)
    figures["pagu_version"] = body["originator_version"]
    figures["rincian"].append({"ke": body["ke"], "item": body["item"], "source": source,
                               "printed_change": body["printed_change"]})


def _rekening_total_stated(body: Body, state: Body, correction: Correction) -> None:
    figures = _stage(state, body["stage"])
    source = body["basis"]["source"]
    statement = _statement_of(source)
    if figures["rekening_totals_statement"] != statement:
        figures["rekening_totals"], figures["rekening_totals_statement"] = {}, statement
    figures["rekening_totals"][body["rekening"]] = {"rekening": body["rekening"], "nama": body["nama"],
                                                    "rupiah": body["rupiah"], "source": source}


def _target_stated(body: Body, state: Body, correction: Correction) -> None:
    target = _shaped(correction["target"] if correction and correction["target"] else body["target"], Target)
    figures = _stage(state, body["stage"])
    role, ke = body["role"], body["ke"]
    figures["targets_by"].setdefault(role, {})[str(ke)] = target
    if ke == 1:
        figures["targets"][role] = target
        figures["target_statements"].append([role, target, body["basis"]["source"]])


def _indicator_stated(body: Body, state: Body, correction: Correction) -> None:
    figures = _stage(state, body["stage"])
    role, ke = body["role"], body["ke"]
    figures["indicators_by"].setdefault(role, {})[str(ke)] = body["text"]
    if ke == 1:
        figures["indicators"][role] = body["text"]


def _triwulan_allocated(body: Body, state: Body, correction: Correction) -> None:
    figures = _stage(state, body["stage"])
    figures["triwulan"] = [_shaped(slot, TwSlot) for slot in body["slots"]]
    for slot in figures["triwulan"]:
        _shaped(slot["target"], Target)
    figures["triwulan_source"] = body["basis"]["source"]


def _triwulan_reallocated(body: Body, state: Body, correction: Correction) -> None:
    figures = _stage(state, body["stage"])
    slots = figures["triwulan"] or [{"target": None, "rupiah": None} for _ in range(4)]
    deltas, target_deltas = body["rupiah"], body["target"]
    moved = []
    for index, slot in enumerate(slots):
        rupiah = slot["rupiah"]
        if rupiah is not None or deltas[index]:
            rupiah = _rupiah((rupiah or 0) + deltas[index])
        target = slot["target"]
        if target_deltas is not None and target is not None:
            target = {"nilai": str(Decimal(target["nilai"]) + Decimal(target_deltas[index])), "satuan": target["satuan"]}
        moved.append({"target": target, "rupiah": rupiah})
    figures["triwulan"] = moved


def _penanggung_jawab_assigned(body: Body, state: Body, correction: Correction) -> None:
    state["penanggung_jawab"] = body["name"]


def _forward_estimate_set(body: Body, state: Body, correction: Correction) -> None:
    state["forward_tahun"] = body["tahun"]
    figures = _stage(state, "prakiraan_maju")
    if body["rupiah"] is not None:
        rupiah = _corrected_rupiah(body, correction)
        figures["pagu"], figures["pagu_version"] = rupiah, body["originator_version"]
        figures["statements"].append(_statement(body["originator_version"], "ForwardEstimateSet", rupiah, body,
                                                _corrected_by(correction)))
    if body["target"] is not None:
        figures["targets"]["own"] = _shaped(body["target"], Target)
        figures["targets_by"].setdefault("own", {})["1"] = body["target"]
    if body["indikator"]:
        figures["indicators"]["own"] = body["indikator"]
        figures["indicators_by"].setdefault("own", {})["1"] = body["indikator"]


def _realisasi_recorded(body: Body, state: Body, correction: Correction) -> None:
    state["realisasi"].update(body["figures"])
    if body.get("indikator"):  # (absent from a body recorded before the field existed: the same None)
        state["realisasi_indikator"] = body["indikator"]


def _line_withdrawn(body: Body, state: Body, correction: Correction) -> None:
    figures = _stage(state, body["stage"])
    figures["withdrawn"] = True
    figures["pagu"], figures["pagu_version"] = 0, body["originator_version"]
    figures["triwulan"], figures["rincian"], figures["rincian_statement"] = None, [], None
    figures["statements"].append(_statement(body["originator_version"], "LineWithdrawn", 0, body, None))


def _line_restored(body: Body, state: Body, correction: Correction) -> None:
    _stage(state, body["stage"])["withdrawn"] = False


def _sipd_facts_stated(body: Body, state: Body, correction: Correction) -> None:
    state["sipd_facts"] = body["facts"]


# One rule per event type of ``ledger.line_fold._apply``; EventCorrected acts through the
# events it corrects, and a type without a rule changes nothing but the version and order.
RULES: dict[str, Callable[[Body, Body, Correction], None]] = {
    "LineOpened": _line_opened,
    "NameStated": _name_stated,
    "KodeRecorded": _kode_recorded,
    "DetailsStated": _details_stated,
    "PaguSet": _pagu("PaguSet"),
    "PaguRevised": _pagu("PaguRevised"),
    "PaguShifted": _shifted(account=False),
    "RekeningShifted": _shifted(account=True),
    "RincianStated": _rincian_stated,
    "RekeningTotalStated": _rekening_total_stated,
    "TargetSet": _target_stated,
    "TargetChanged": _target_stated,
    "IndicatorSet": _indicator_stated,
    "IndicatorChanged": _indicator_stated,
    "TriwulanAllocated": _triwulan_allocated,
    "TriwulanReallocated": _triwulan_reallocated,
    "PenanggungJawabAssigned": _penanggung_jawab_assigned,
    "ForwardEstimateSet": _forward_estimate_set,
    "RealisasiRecorded": _realisasi_recorded,
    "LineWithdrawn": _line_withdrawn,
    "LineRestored": _line_restored,
    "SipdFactsStated": _sipd_facts_stated,
}
