"""Pergeseran and reallocation: money moved, never created, and nothing left negative.

Each pergeseran is recorded as two ``PaguShifted`` events of one ``shift_id``, -x on the
giving line and +x on the receiving one. The folded state keeps, per line and stage, the
net of the shifts (``StageFigures.shifted``), so the check is that the shifts of a stage
net to zero over the plan. A reallocation between triwulan is checked by ``triwulan-sum``
(the quarters still add up to the pagu) and here (no triwulan below zero).
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.basis import Stage
from projections.checks.model import ROMAN, Finding, Severity, finding, label, ordered_lines, rp, signed
from projections.checks.registry import rule
from projections.timeline import PlanView


@rule("shift-net", "The pergeseran of a stage net to zero over the plan.")
def check_shift_net(view: PlanView) -> Iterator[Finding]:
    for stage in Stage:
        moved = [(line, f.shifted) for line in ordered_lines(view) if (f := line.figures(stage)) and f.shifted]
        received = sum(delta for _, delta in moved if delta > 0)
        given = -sum(delta for _, delta in moved if delta < 0)
        if received != given:
            yield finding("shift-net", Severity.ERROR,
                          f"The pergeseran of the {stage.label} pagu do not net to zero: lines received {rp(received)} "
                          f"and gave {rp(given)}, a difference of {signed(received - given)}.",
                          lines=[line for line, _ in moved], stated=received, computed=given)


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
