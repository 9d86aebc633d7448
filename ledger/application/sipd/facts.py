"""What SIPD states, as facts a sync can compare: one kind per figure, each defined once with how it
is read from a line's state and how it is recorded (the line's own statement methods).

A fact is ``(line key, kind, *qualifiers) -> value``. The same function reads the facts of
a line state whether the state is what SIPD said up to an instant (the sync compares the
snapshot with it) or what it said up to a later sync (to restate what an earlier sync, recorded
late, would otherwise hide). A value of None is not stated: SIPD leaving a column empty is not
a statement that it is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.basis import Basis, Stage
from ledger.kode import Level
from ledger.line import BudgetLine
from ledger.line_events import RincianItem, Role
from ledger.line_state import LineState
from ledger.money import Rupiah
from ledger.pelaksanaan import Pelaksanaan
from ledger.plan import Plan
from ledger.target import Target

FactKey = tuple[str, ...]


@dataclass(frozen=True)
class Stated:
    """One fact as the snapshot states it, with the row and the text it comes from."""

    value: Any
    where: str
    printed: str | None = None


@dataclass(frozen=True)
class FactKind:
    name: str
    # The value in a line's state (None: not stated); qualifiers are the key's parts after the kind.
    read: Callable[[LineState, tuple[str, ...]], Any]
    record: Callable[[BudgetLine, tuple[str, ...], Any, Basis, int], None]  # (line, qualifiers, value, basis, tahun)
    default: Any = None  # the value of a fact the state does not hold


def _figures(state: LineState, stage: str) -> Any:
    return state.figures(Stage(stage))


def _read_pagu(state: LineState, q: tuple[str, ...]) -> Rupiah | None:
    figures = _figures(state, q[0])
    return None if figures is None or figures.withdrawn else figures.pagu


def _read_indicator(state: LineState, q: tuple[str, ...]) -> tuple[str | None, Target | None] | None:
    figures = _figures(state, q[0])
    if figures is None:
        return None
    role, ke = Role(q[1]), int(q[2])
    found = (figures.indicator(role, ke), figures.target(role, ke))
    return None if found == (None, None) else found


def _record_indicator(line: BudgetLine, q: tuple[str, ...], value: tuple[str, Target | None], basis: Basis,
                      tahun: int) -> None:
    stage, role, ke = Stage(q[0]), Role(q[1]), int(q[2])
    text, target = value
    line.set_indicator(stage, role, text, basis, ke)
    if target is not None:
        line.set_target(stage, role, target, basis, ke)


def _read_text(field: str) -> Callable[[LineState, tuple[str, ...]], str | None]:
    def read(state: LineState, q: tuple[str, ...]) -> str | None:
        figures = _figures(state, q[0])
        return None if figures is None else getattr(figures, field)
    return read


def _read_rincian(state: LineState, q: tuple[str, ...]) -> tuple[RincianItem, ...] | None:
    figures = _figures(state, q[0])
    if figures is None or figures.withdrawn or not figures.rincian:
        return None
    return tuple(entry.item for entry in sorted(figures.rincian, key=lambda entry: entry.ke))


def _record_rincian(line: BudgetLine, q: tuple[str, ...], value: tuple[RincianItem, ...], basis: Basis,
                    tahun: int) -> None:
    for ke, item in enumerate(value, start=1):
        line.state_rincian(Stage(q[0]), item, ke, basis)


def _read_withdrawn(state: LineState, q: tuple[str, ...]) -> bool:
    figures = _figures(state, q[0])
    return bool(figures is not None and figures.withdrawn)


def _record_withdrawn(line: BudgetLine, q: tuple[str, ...], value: bool, basis: Basis, tahun: int) -> None:
    (line.withdraw if value else line.restore)(Stage(q[0]), basis)


def _read_held(state: LineState, q: tuple[str, ...]) -> bool:
    figures = _figures(state, q[0])
    return bool(figures is not None and not figures.withdrawn and (figures.pagu is not None or figures.rincian))


def _record_held(line: BudgetLine, q: tuple[str, ...], value: bool, basis: Basis, tahun: int) -> None:
    """Only ever restated as False: a sync that saw no such line, where an earlier sync recorded
    later made it held (its figures are restated by their own facts)."""
    if not value:
        line.withdraw(Stage(q[0]), basis)


def fact_name(key: FactKey) -> str:
    """A fact's key without its line, as a ``SipdFactsStated`` lists it: ``pagu|murni``."""
    return "|".join(key[1:])


# In the order a sync records them: a restored line is restored before its figures are restated.
KINDS: dict[str, FactKind] = {kind.name: kind for kind in (
    FactKind("withdrawn", _read_withdrawn, _record_withdrawn, default=False),
    # Whether the line holds money at the stage: never stated by a snapshot (a new line is not
    # "restored"), compared only when a later sync's view is restated.
    FactKind("held", _read_held, _record_held, default=False),
    FactKind("pagu", _read_pagu, lambda line, q, value, basis, tahun: line.set_pagu(Stage(q[0]), value, basis)),
    FactKind("rincian", _read_rincian, _record_rincian),
    FactKind("prakiraan_maju", lambda state, q: None if state.level is Level.REKENING else state.pagu(Stage.PRAKIRAAN_MAJU),
             lambda line, q, value, basis, tahun: line.set_forward_estimate(tahun + 1, basis, rupiah=value)),
    FactKind("indikator", _read_indicator, _record_indicator),
    FactKind("lokasi", _read_text("lokasi"),
             lambda line, q, value, basis, tahun: line.state_details(Stage(q[0]), basis, lokasi=value)),
    FactKind("sumber_dana", _read_text("sumber_dana"),
             lambda line, q, value, basis, tahun: line.state_details(Stage(q[0]), basis, sumber_dana=value)),
    # Which facts the sync stated (its silence about the others is no statement): SipdFactsStated.
    FactKind("stated", lambda state, q: state.sipd_facts or None,
             lambda line, q, value, basis, tahun: line.state_sipd_facts(value, basis)),
)}
ORDER = {name: number for number, name in enumerate(KINDS)}


def sort_key(key: FactKey) -> tuple[int, FactKey]:
    return (ORDER.get(key[1], len(ORDER)), key)


# The facts a line holds per stage, and once for the line, each read by its kind's own ``read``.
STAGE_KINDS = ("withdrawn", "held", "pagu", "rincian", "lokasi", "sumber_dana")
LINE_KINDS = ("stated", "prakiraan_maju")


def facts_of_line(state: LineState) -> dict[FactKey, Any]:
    """Every fact a line's state holds (a value other than its kind's default), by key: what the
    sync compares and restates."""
    found: dict[FactKey, Any] = {}

    def hold(name: str, qualifiers: tuple[str, ...]) -> None:
        kind = KINDS[name]
        value = kind.read(state, qualifiers)
        if value is not None and value != kind.default:
            found[(state.key, name, *qualifiers)] = value

    for stage, figures in state.stages.items():
        if stage is Stage.PRAKIRAAN_MAJU:
            continue  # the prakiraan maju is the line's, once (LINE_KINDS)
        for name in STAGE_KINDS:
            hold(name, (stage.value,))
        for row in figures.indicator_rows():
            hold("indikator", (stage.value, row.role.value, str(row.ke)))
    for name in LINE_KINDS:
        hold(name, ())
    return found


def kas_facts(pelaksanaan: dict[str, Pelaksanaan]) -> dict[FactKey, Any]:
    """The anggaran kas of every line, by stage (a statement of the plan, not of its line)."""
    return {(key, "kas", stage.value): plan.bulan for key, line in pelaksanaan.items()
            for stage, plan in line.kas.items()}


def record_kas(plan: Plan, key: FactKey, value: tuple[Rupiah, ...], basis: Basis) -> None:
    plan.state_anggaran_kas(key[0], Stage(key[2]), value, basis)
