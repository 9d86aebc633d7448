"""`renja check`: every inconsistency of a plan, as findings.

Importing this package registers every rule (one module per family); ``run_checks`` runs
them all on a point-in-time view of a plan.
"""

from __future__ import annotations

from projections.checks import forward, kode, restatement, rollup, shifts, triwulan, units
from projections.checks.model import Finding, Severity
from projections.checks.registry import Rule, get_rule, registered, run_rules
from projections.timeline import PlanView

FAMILY_MODULES = (rollup, triwulan, restatement, units, kode, shifts, forward)  # importing registers the rules


def run_checks(view: PlanView) -> list[Finding]:
    """Every finding of every registered rule, family by family, rule by rule."""
    return run_rules(view)


__all__ = ["FAMILY_MODULES", "Finding", "Rule", "Severity", "get_rule", "registered", "run_checks"]
