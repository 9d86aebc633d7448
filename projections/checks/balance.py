"""Balances in valid time: no pagu, triwulan amount or triwulan target stands below zero at any
date. The domain refuses a write that would make one; this finds any the ledger holds anyway
(an event log imported from elsewhere, or figures recorded before the rule existed)."""

from __future__ import annotations

from collections.abc import Iterator

from ledger.i18n import N_, _
from ledger.tanggal import tanggal
from projections.checks.model import Finding, Severity, finding, label, lines_and_rekening, rp
from projections.checks.registry import rule
from projections.timeline import PlanView


@rule("negative-balance", N_("Figure below zero at some date"),
      N_("No pagu, triwulan amount or triwulan target is below zero at any date."))
def check_negative_balance(view: PlanView) -> Iterator[Finding]:
    for line in lines_and_rekening(view):
        for below in line.negatives:
            figures = line.figures(below.stage)
            sources = [s.source for s in figures.statements] if figures else []
            yield finding("negative-balance", Severity.ERROR,
                          _("{line}: the {stage} {what} is {value} from {day}.").format(
                              line=label(line), stage=below.stage.label, what=below.what,
                              value=below.value if below.what.endswith("target") else rp(int(below.value)),
                              day=tanggal(below.day)),
                          lines=[line], sources=sources[-1:], computed=int(below.value))
