"""`renja check`: every inconsistency of a plan, as findings.

Importing this package registers every rule (one module per family); ``run_checks`` runs
them all on a point-in-time view of a plan.
"""

from __future__ import annotations

# The families, in the order their findings are listed.
from projections.checks import rollup  # noqa: F401, I001 - importing registers the rules
from projections.checks import triwulan  # noqa: F401
from projections.checks import restatement  # noqa: F401
from projections.checks import units  # noqa: F401
from projections.checks import kode  # noqa: F401
from projections.checks import shifts  # noqa: F401
from projections.checks import forward  # noqa: F401
from projections.checks.model import Finding, Severity
from projections.checks.registry import Rule, get_rule, registered, run_rules
from projections.timeline import PlanView


def run_checks(view: PlanView) -> list[Finding]:
    """Every finding of every registered rule, rule by rule."""
    return run_rules(view)


__all__ = ["Finding", "Rule", "Severity", "get_rule", "registered", "run_checks"]
