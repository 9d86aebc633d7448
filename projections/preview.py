"""What a command would change, before it is saved: the plan with its unsaved events.

The application computes the events a command would record without writing them
(``RenjaLedger.preview``); this reads the plan twice, as the ledger has it and with those
events added, on the same projections every report uses: the affected lines' pagu per
stage, the totals per stage, the DPPA-style change, and the check findings that would
appear or go away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from events_store.time_index import TimeIndex
from ledger.basis import Stage
from ledger.events import DomainEvent
from ledger.line_state import LineState
from projections.checks import run_checks
from projections.checks.model import Finding
from projections.hierarchy import build_tree, counted, in_force_total, plan_in_force
from projections.history import Described, describe
from projections.pointintime import diff_views
from projections.timeline import PlanView, plan_view


@dataclass(frozen=True)
class StageChange:
    stage: Stage
    before: int | None
    after: int | None

    @property
    def difference(self) -> int | None:
        return None if self.before == self.after else (self.after or 0) - (self.before or 0)


@dataclass(frozen=True)
class LineChange:
    line: LineState
    stages: list[StageChange]
    described: list[Described]  # each unsaved event of the line: (kind, stage, before, after), as `history` says it


@dataclass(frozen=True)
class PreviewReport:
    as_of: date | None
    events: list[DomainEvent]
    lines: list[LineChange]  # every line an event touches, with its pagu per stage
    totals: list[StageChange]  # the plan's total per stage (hierarchy.counted)
    diff: dict[str, object]  # diff_views: the lines whose plan in force changes, DPPA style
    new_findings: list[Finding]
    gone_findings: list[Finding]

    @property
    def replaced(self) -> list[tuple[LineState, StageChange]]:
        """Each figure in force that the events would replace by another (line, stage, old -> new):
        a DPA's murni pagu over the Renja's. A figure stated where there was none is not one."""
        return [(change.line, stage) for change in self.lines for stage in change.stages
                if stage.before is not None and stage.difference]


def stage_total(view: PlanView, stage: Stage) -> int | None:
    """The plan's total of one stage as its form totals it: once the plan has a perubahan, the
    plan in force, where a row it does not restate keeps its murni (docs/stages.md)."""
    if stage is Stage.PERUBAHAN:
        if all(line.pagu(stage) is None for line in view.lines.values()):
            return None
        roots = build_tree(view.lines)
        return in_force_total(roots, plan_in_force(roots))

    def pagu(line: LineState) -> int | None:
        figures = line.figures(stage)
        return None if figures is None or figures.pagu is None else int(figures.pagu)

    present = [pagu(node.line) for node in counted(build_tree(view.lines), pagu)]
    return sum(v for v in present if v is not None) if present else None


def _pagu(line: LineState | None, stage: Stage) -> int | None:
    figures = line.figures(stage) if line else None
    return None if figures is None or figures.pagu is None else int(figures.pagu)


def _key(finding: Finding) -> tuple[str, tuple[str, ...], str]:
    return finding.rule, tuple(finding.kodes), finding.message


def preview_report(index: TimeIndex, opd: str, tahun: int, events: Sequence[DomainEvent],
                   as_of: date | None) -> PreviewReport:
    """The plan at ``as_of`` (the command's effective date; None: every valid time) without
    and with ``events``; findings are compared on the whole plan, as `renja check` reads it."""
    before = plan_view(index, opd, tahun, as_of=as_of, known_at=None)
    after = plan_view(index, opd, tahun, as_of=as_of, known_at=None, pending=events)
    touched = list(dict.fromkeys(str(event.originator_id) for event in events))
    by_id = {line.line_id: line for line in (*after.lines.values(), *after.rekening.values())}
    old_by_id = {line.line_id: line for line in (*before.lines.values(), *before.rekening.values())}
    lines = []
    for line_id in touched:
        line = by_id.get(line_id)
        if line is None:
            continue  # the plan itself, or a line that is not in force at that date
        old = old_by_id.get(line_id)
        stages = [StageChange(stage, _pagu(old, stage), _pagu(line, stage)) for stage in Stage
                  if _pagu(old, stage) is not None or _pagu(line, stage) is not None]
        own = [event for event in events if str(event.originator_id) == line_id]
        lines.append(LineChange(line, stages, [describe(event, old or line, line) for event in own]))
    totals = [StageChange(stage, stage_total(before, stage), stage_total(after, stage)) for stage in Stage]
    totals = [total for total in totals if total.before is not None or total.after is not None]
    whole_before = before if as_of is None else plan_view(index, opd, tahun, as_of=None, known_at=None)
    whole_after = after if as_of is None else plan_view(index, opd, tahun, as_of=None, known_at=None, pending=events)
    found_before, found_after = run_checks(whole_before), run_checks(whole_after)
    keys_before, keys_after = {_key(f) for f in found_before}, {_key(f) for f in found_after}
    return PreviewReport(
        as_of=as_of, events=list(events), lines=lines, totals=totals,
        diff={"opd": opd, "tahun": tahun, **diff_views(before, after, rekening=True)},
        new_findings=[f for f in found_after if _key(f) not in keys_before],
        gone_findings=[f for f in found_before if _key(f) not in keys_after])
