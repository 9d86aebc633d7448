"""`renja check`: every inconsistency of a plan, as findings.

``FAMILIES`` is the one list of check families, in the order they run and are listed;
each family is a module of small rule functions that registers itself (``@rule``). Adding
a family is one module plus one entry here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from projections.checks import (
    balance,
    forward,
    kebutuhan,
    kode,
    pelaksanaan,
    restatement,
    rincian,
    rollup,
    shifts,
    triwulan,
    units,
)
from projections.checks.model import Finding, Severity
from projections.checks.registry import Rule, get_rule, rules_of
from projections.timeline import PlanView

FAMILIES = (rollup, triwulan, balance, restatement, kebutuhan, units, kode, shifts, forward, rincian, pelaksanaan)


def registered() -> list[Rule]:
    """Every rule: family by family (``FAMILIES``), in registration order within a family."""
    return [each for family in FAMILIES for each in rules_of(family.__name__.rsplit(".", 1)[-1])]


def run_checks(view: PlanView, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Every finding of every registered rule (or of the rules given), rule by rule; two findings
    of the same content are told apart by their order (``-2``)."""
    found = [finding for each in (registered() if rules is None else rules) for finding in each.run(view)]
    seen: Counter[str] = Counter()
    distinct = []
    for finding in found:
        seen[finding.id] += 1
        distinct.append(finding if seen[finding.id] == 1 else finding.model_copy(
            update={"id": f"{finding.id}-{seen[finding.id]}"}))
    return distinct


__all__ = ["FAMILIES", "Finding", "Rule", "Severity", "get_rule", "registered", "run_checks"]
