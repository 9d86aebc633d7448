"""Pergeseran and reallocation: money moved, never created, and nothing left negative.

Each pergeseran is recorded as two ``PaguShifted`` events of one ``shift_id``, -x on the
giving line and +x on the receiving one. The folded state keeps every leg
(``StageFigures.shifts``), so the check pairs the legs by ``shift_id``: exactly two, netting
to zero. A reallocation between triwulan is checked by ``triwulan-sum``
(the quarters still add up to the pagu) and here (no triwulan below zero).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ledger.basis import Stage
from ledger.line_state import LineState, ShiftLeg
from projections.checks.model import ROMAN, Finding, Severity, finding, label, ordered_lines, rp, signed
from projections.checks.registry import rule
from projections.timeline import PlanView


@rule("shift-net", "Each pergeseran has two sides that net to zero.")
def check_shift_net(view: PlanView) -> Iterator[Finding]:
    for stage in Stage:
        legs: dict[str, list[tuple[LineState, ShiftLeg]]] = defaultdict(list)
        for line in ordered_lines(view):
            figures = line.figures(stage)
            for leg in figures.shifts if figures else []:
                legs[leg.shift_id].append((line, leg))
        for pair in legs.values():
            received = sum(leg.delta for _, leg in pair if leg.delta > 0)
            given = -sum(leg.delta for _, leg in pair if leg.delta < 0)
            if len(pair) != 2 or received != given:
                yield finding("shift-net", Severity.ERROR,
                              f"A pergeseran of the {stage.label} pagu has {len(pair)} side(s) that received "
                              f"{rp(received)} and gave {rp(given)}, a difference of {signed(received - given)}.",
                              lines=[line for line, _ in pair], sources=[leg.source for _, leg in pair],
                              stated=received, computed=given)


@rule("negative-pagu", "No pagu is left below zero.")
def check_negative_pagu(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for stage, figures in line.stages.items():
            if figures.pagu is not None and figures.pagu < 0:
                yield finding("negative-pagu", Severity.ERROR,
                              f"{label(line)} is left with a negative {stage.label} pagu of {rp(figures.pagu)}.",
                              lines=[line], sources=[s.source for s in figures.statements[-1:]], stated=figures.pagu)


@rule("negative-triwulan", "No triwulan is left below zero.")
def check_negative_triwulan(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for stage, figures in line.stages.items():
            for index, slot in enumerate(figures.triwulan or []):
                if slot.rupiah is not None and slot.rupiah < 0:
                    yield finding("negative-triwulan", Severity.ERROR,
                                  f"{label(line)} is left with {rp(slot.rupiah)} in triwulan "
                                  f"{ROMAN[index]} ({stage.label}).",
                                  lines=[line], sources=[s.source for s in figures.statements[-1:]],
                                  stated=slot.rupiah)
