"""Pergeseran and reallocation: money moved, never created, and nothing left negative.

Each pergeseran is recorded as two ``PaguShifted`` events of one ``shift_id``, -x on the
giving line and +x on the receiving one (``RekeningShifted`` between two accounts, whose
sub-kegiatan, when they differ, shift under a shift id of their own). The folded state keeps every leg
(``StageFigures.shifts``), so the check pairs the legs by ``shift_id``: exactly two, netting
to zero. A reallocation between triwulan is checked by ``triwulan-sum``
(the quarters still add up to the pagu) and here (no triwulan below zero).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ledger.basis import Stage
from ledger.i18n import N_, _
from ledger.line_state import LineState, ShiftLeg
from ledger.periode import ROMAN
from projections.checks.model import Finding, Severity, finding, label, lines_and_rekening, rp, signed
from projections.checks.registry import rule
from projections.timeline import PlanView


@rule("shift-net", N_("Pergeseran does not net to zero"),
      N_("Each pergeseran has two sides that net to zero."))
def check_shift_net(view: PlanView) -> Iterator[Finding]:
    for stage in Stage:
        legs: dict[str, list[tuple[LineState, ShiftLeg]]] = defaultdict(list)
        for line in lines_and_rekening(view):
            figures = line.figures(stage)
            for leg in figures.shifts if figures else []:
                legs[leg.shift_id].append((line, leg))
        for pair in legs.values():
            received = sum(leg.delta for _, leg in pair if leg.delta > 0)
            given = -sum(leg.delta for _, leg in pair if leg.delta < 0)
            if len(pair) != 2 or received != given:
                yield finding("shift-net", Severity.ERROR,
                              _("A pergeseran of the {stage} pagu has {count} side(s) that received {received} and "
                                "gave {given}, a difference of {difference}.").format(
                                  stage=stage.label, count=len(pair), received=rp(received), given=rp(given),
                                  difference=signed(received - given)),
                              lines=[line for line, _leg in pair], sources=[leg.source for _line, leg in pair],
                              stated=received, computed=given)


@rule("negative-pagu", N_("Pagu below zero"),
      N_("No pagu is left below zero."))
def check_negative_pagu(view: PlanView) -> Iterator[Finding]:
    for line in lines_and_rekening(view):
        for stage, figures in line.stages.items():
            if figures.pagu is not None and figures.pagu < 0:
                yield finding("negative-pagu", Severity.ERROR,
                              _("{line} is left with a negative {stage} pagu of {amount}.").format(
                                  line=label(line), stage=stage.label, amount=rp(figures.pagu)),
                              lines=[line], sources=[s.source for s in figures.statements[-1:]], stated=figures.pagu)


@rule("negative-triwulan", N_("Triwulan below zero"),
      N_("No triwulan is left below zero."))
def check_negative_triwulan(view: PlanView) -> Iterator[Finding]:
    for line in lines_and_rekening(view):
        for stage, figures in line.stages.items():
            for index, slot in enumerate(figures.triwulan or []):
                if slot.rupiah is not None and slot.rupiah < 0:
                    yield finding("negative-triwulan", Severity.ERROR,
                                  _("{line} is left with {amount} in triwulan {triwulan} ({stage}).").format(
                                      line=label(line), amount=rp(slot.rupiah), triwulan=ROMAN[index], stage=stage.label),
                                  lines=[line], sources=[s.source for s in figures.statements[-1:]],
                                  stated=slot.rupiah)
