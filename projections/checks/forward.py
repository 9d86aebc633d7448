"""The prakiraan maju (forward estimate for next year): the same roll-ups as the plan year.

Tabel 3.2 prints a prakiraan maju pagu on every row; its kegiatan and program subtotals,
the bidang row and the TOTAL row must add up as the plan year's figures do.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.basis import Stage
from ledger.i18n import N_, _
from projections.checks.model import Finding, Severity, finding, label, ordered_lines
from projections.checks.registry import rule
from projections.checks.rollup import agreement_findings, subtotal_findings, total_findings
from projections.timeline import PlanView

STAGE = Stage.PRAKIRAAN_MAJU


@rule("forward-rollup", N_("Prakiraan maju subtotal against its rows"),
      N_("Each prakiraan maju kegiatan and program subtotal equals the sum of its rows."))
def check_forward_rollup(view: PlanView) -> Iterator[Finding]:
    yield from subtotal_findings(view, STAGE, "forward-rollup")


@rule("forward-rollup-total", N_("Prakiraan maju OPD total against its programs"),
      N_("Each prakiraan maju OPD total equals the sum of the programs in its table."))
def check_forward_rollup_total(view: PlanView) -> Iterator[Finding]:
    yield from total_findings(view, STAGE, "forward-rollup-total")


@rule("forward-total-agreement", N_("Prakiraan maju OPD totals disagree"),
      N_("The prakiraan maju OPD totals agree with each other."))
def check_forward_total_agreement(view: PlanView) -> Iterator[Finding]:
    yield from agreement_findings(view, STAGE, "forward-total-agreement")


@rule("forward-year", N_("Prakiraan maju for the wrong year"),
      N_("A prakiraan maju is an estimate for the year after the plan's."))
def check_forward_year(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        if line.forward_tahun is not None and line.forward_tahun != view.tahun + 1:
            figures = line.figures(STAGE)
            yield finding(
                "forward-year", Severity.WARNING,
                _("The prakiraan maju of {line} is for {year}, not for {next_year}, the year after the plan.").format(
                    line=label(line), year=line.forward_tahun, next_year=view.tahun + 1),
                lines=[line], sources=[s.source for s in figures.statements] if figures else [])
