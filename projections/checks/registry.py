"""The rule registry: each rule is a small function ``PlanView -> Iterable[Finding]``.

    @rule("rollup", N_("Subtotal against its rows"),
          N_("Each stated kegiatan/program subtotal equals the sum of its rows."))
    def check_rollup(view: PlanView) -> Iterable[Finding]: ...

The family of a rule is the module that defines it (``rollup``, ``triwulan`` ...). The
families and their order are listed once, in ``projections.checks.FAMILIES``. A rule is said
twice, both beside its function: a short title, a few words shown beside its id where findings
are listed (the web's Temuan page), and its description, the rule in full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ledger.i18n import _
from projections.checks.model import Finding
from projections.timeline import PlanView

Check = Callable[[PlanView], Iterable[Finding]]

@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    short_title: str  # the message id; ``title`` is the user's language
    description: str
    check: Check

    @property
    def title(self) -> str:
        """The rule's short title in the user's language."""
        return _(self.short_title)

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


def rule(rule_id: str, title: str, description: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        if rule_id in _RULES and _RULES[rule_id].check is not check:
            raise ValueError(f"rule {rule_id!r} is registered twice")
        _RULES[rule_id] = Rule(rule_id, check.__module__.rsplit(".", 1)[-1], title, description, check)
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
