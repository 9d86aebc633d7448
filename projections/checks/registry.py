"""The rule registry: each rule is a small function ``PlanView -> Iterable[Finding]``.

    @rule("rollup", "Each stated kegiatan/program subtotal equals the sum of its rows.")
    def check_rollup(view: PlanView) -> Iterable[Finding]: ...

The family of a rule is the module that defines it (``rollup``, ``triwulan`` ...). The
families and their order are listed once, in ``projections.checks.FAMILIES``. Each rule's short
title, shown beside its id where findings are listed (the web's Temuan page), is in ``TITLES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ledger.i18n import N_, _
from projections.checks.model import Finding
from projections.timeline import PlanView

Check = Callable[[PlanView], Iterable[Finding]]

# A few words per rule, beside its id where findings are listed; its description says the rule in
# full. Data here, in the one registry (tests/integration/test_web_temuan.py fails for a rule without one).
TITLES: dict[str, str] = {
    "rollup": N_("Subtotal against its rows"),
    "rollup-total": N_("OPD total against its programs"),
    "total-agreement": N_("OPD totals disagree"),
    "triwulan-sum": N_("Triwulan against the annual figure"),
    "triwulan-rollup": N_("Triwulan subtotal against its rows"),
    "triwulan-unallocated": N_("Money in no triwulan"),
    "triwulan-target": N_("Triwulan targets against the annual target"),
    "triwulan-activity": N_("Triwulan target without Rp, or Rp without target"),
    "negative-balance": N_("Figure below zero at some date"),
    "restatement-pagu": N_("Pagu restated differently"),
    "restatement-target": N_("Target restated differently"),
    "restatement-missing": N_("Pagu missing from one table"),
    "not-restated": N_("Line not restated in the perubahan"),
    "kebutuhan-pagu": N_("Pagu against the kebutuhan dana"),
    "kebutuhan-target": N_("Target against the kebutuhan analysis"),
    "kebutuhan-missing": N_("Kebutuhan or perubahan pagu missing"),
    "unit-change": N_("Satuan differs between tables"),
    "unit-stage-change": N_("Satuan changed between stages"),
    "unit-missing": N_("Target without a satuan"),
    "unit-indicator": N_("Satuan does not fit its indicator"),
    "unit-unknown": N_("Unknown or one-off satuan"),
    "kode-format": N_("Malformed kode"),
    "kode-parent": N_("Parent line missing"),
    "kode-duplicate": N_("Kode used twice"),
    "kode-missing": N_("Line without a kode"),
    "shift-net": N_("Pergeseran does not net to zero"),
    "negative-pagu": N_("Pagu below zero"),
    "negative-triwulan": N_("Triwulan below zero"),
    "forward-rollup": N_("Prakiraan maju subtotal against its rows"),
    "forward-rollup-total": N_("Prakiraan maju OPD total against its programs"),
    "forward-total-agreement": N_("Prakiraan maju OPD totals disagree"),
    "forward-year": N_("Prakiraan maju for the wrong year"),
    "rincian-jumlah": N_("Komponen jumlah miscalculated"),
    "rincian-rollup": N_("Sub-kegiatan pagu against its accounts"),
    "rincian-level-total": N_("Account level total against its accounts"),
    "rincian-change": N_("Printed change miscalculated"),
    "rincian-not-restated": N_("Komponen do not add up to the account"),
    "shift-basis": N_("Pergeseran without the decision it needs"),
    "kas-pagu": N_("Anggaran kas against the pagu"),
    "kas-triwulan": N_("Anggaran kas against the Rencana Aksi triwulan"),
    "kas-below-realisasi": N_("Anggaran kas below realisasi"),
    "revision-below-realisasi": N_("Revision below realisasi"),
    "realisasi-above-pagu": N_("Realisasi above the pagu"),
}


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    description: str
    check: Check

    @property
    def title(self) -> str:
        """The rule's short title in the user's language (its description when it has none)."""
        return _(TITLES.get(self.id, self.description))

    @property
    def explanation(self) -> str:
        """The rule's description in the user's language."""
        return _(self.description)

    def run(self, view: PlanView) -> list[Finding]:
        findings = list(self.check(view))
        strays = sorted({f.rule for f in findings} - {self.id})
        if strays:
            raise ValueError(f"rule {self.id!r} produced findings of another rule: {', '.join(strays)}")
        return findings


_RULES: dict[str, Rule] = {}


def rule(rule_id: str, description: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        if rule_id in _RULES and _RULES[rule_id].check is not check:
            raise ValueError(f"rule {rule_id!r} is registered twice")
        _RULES[rule_id] = Rule(rule_id, check.__module__.rsplit(".", 1)[-1], description, check)
        return check

    return register


def rules_of(family: str) -> list[Rule]:
    """The rules of one family, in registration order."""
    return [each for each in _RULES.values() if each.family == family]


def get_rule(rule_id: str) -> Rule:
    try:
        return _RULES[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; known: {', '.join(_RULES)}") from None
