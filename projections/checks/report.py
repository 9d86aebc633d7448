"""A plan's findings as `renja check` and the web's pages read them: the view they were found on,
the findings, and the check report (its JSON contract, cli/check_commands.py, and its form)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ledger.i18n import _
from ledger.tindak_lanjut import FollowUp
from projections.checks import registered, run_checks
from projections.checks.model import Finding, Severity
from projections.contract import header
from projections.forms import pemeriksaan
from projections.tabular import Rendered
from projections.timeline import PlanView
from projections.tindak_lanjut import gone, status_json, trail_json


@dataclass(frozen=True)
class Checked:
    view: PlanView
    findings: list[Finding]
    # The plan's follow-ups by finding id (ledger.tindak_lanjut): once any is recorded, each finding
    # carries its status, and the followed ones no longer found are listed apart.
    follow_ups: dict[str, FollowUp] = field(default_factory=dict)
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)  # which change ended each followed one gone

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    def matching(self, rule: str = "", severity: str = "") -> list[Finding]:
        """The findings of one rule and one severity (an empty one: any)."""
        return [f for f in self.findings if (not rule or f.rule == rule) and (not severity or f.severity.value == severity)]

    def summary(self) -> dict[str, Any]:
        by_rule = Counter(f.rule for f in self.findings)
        by_severity = Counter(f.severity.value for f in self.findings)
        return {**header(self.view, "check"), "total": len(self.findings),
                "by_severity": {severity.value: by_severity[severity.value] for severity in Severity},
                "by_rule": {each.id: by_rule[each.id] for each in registered()}}

    def rendered(self) -> Rendered:
        facts = self.summary()
        findings = [f.to_json() for f in self.findings]
        payload: dict[str, Any] = {"findings": findings, "summary": facts}
        if self.follow_ups:
            for shown, finding in zip(findings, self.findings, strict=True):
                shown["tindak_lanjut"] = status_json(self.follow_ups.get(finding.id))
            payload["tidak_ditemukan_lagi"] = [trail_json(f, self.resolved.get(f.temuan))
                                               for f in gone(self.findings, self.follow_ups)]
        counts = ", ".join(f"{n} {_(severity)}" for severity, n in facts["by_severity"].items())
        line = _("{count} findings: {counts}").format(count=len(self.findings), counts=counts)
        return Rendered(payload, pemeriksaan(self.view, findings, line))


def check_plan(view: PlanView, follow_ups: dict[str, FollowUp] | None = None,
               resolved: Callable[[list[Finding], dict[str, FollowUp]], dict[str, dict[str, Any]]] | None = None) -> Checked:
    """``resolved``: given the findings and the follow-ups, which change ended each followed finding
    that is no longer found (asked only when there is one)."""
    findings, known = run_checks(view), follow_ups or {}
    ended = resolved(findings, known) if resolved is not None and gone(findings, known) else {}
    return Checked(view, findings, known, ended)
