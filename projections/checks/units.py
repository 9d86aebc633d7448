"""Units (satuan) of targets.

Spellings are normalized on import (``Dok``/``Dokumen``/``Dokume``, ``Org``/``orang``), so
only a real change of unit is a finding: ``8 Kali`` in Tabel 3.2 and ``4 Dokumen`` in
Tabel 2.3 for the same sub-kegiatan. A target printed as a bare number whose unit is named
nowhere keeps the satuan ``tanpa satuan`` and is reported. An indicator names its unit in
parentheses at its end (``... (Kasus)``) or is a percentage (``Persentase ...``); a target
in another unit does not fit it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.basis import Source, Stage
from ledger.i18n import N_, _
from ledger.line_events import Role
from ledger.line_state import LineState
from ledger.periode import ROMAN
from ledger.target import KNOWN_SATUAN, Satuan, Target, infer_satuan
from projections.checks.model import (
    PLAN_YEAR_STAGES,
    Finding,
    Severity,
    finding,
    from_document,
    joined,
    label,
    ordered_lines,
    role_word,
    target_claims,
    where,
)
from projections.checks.registry import rule
from projections.timeline import PlanView


def by_satuan(claims: list[tuple[Target, Source]]) -> list[tuple[Target, Source]]:
    """The first claim of each satuan, in order."""
    first: dict[str, tuple[Target, Source]] = {}
    for target, source in claims:
        first.setdefault(target.satuan, (target, source))
    return list(first.values())


def united_claims(line: LineState, stage: Stage, role: Role) -> list[tuple[Target, Source]]:
    return [(target, source) for r, target, source in target_claims(line, stage)
            if r is role and source is not None and from_document(source) and target.satuan != Satuan.TANPA]


@rule("unit-change", N_("Satuan differs between tables"),
      N_("The tables of one stage state a line's target in the same satuan."))
def check_unit_change(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for stage in Stage:
            for role in Role:
                distinct = by_satuan(united_claims(line, stage, role))
                if len(distinct) > 1:
                    listed = joined(_("{target} in {where}").format(target=target, where=where(source))
                                    for target, source in distinct)
                    yield finding("unit-change", Severity.ERROR,
                                  _("{line} has its {stage} target{role} stated in different satuan: {listed}.").format(
                                      line=label(line), stage=stage.label, role=role_word(role), listed=listed),
                                  lines=[line], sources=[source for _target, source in distinct])


@rule("unit-stage-change", N_("Satuan changed between stages"),
      N_("A line's target keeps its satuan from one stage to the next."))
def check_unit_stage_change(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for role in Role:
            # Not the prakiraan maju: its targets measure next year's capaian program.
            in_force = [(stage, claims[-1]) for stage in PLAN_YEAR_STAGES if (claims := united_claims(line, stage, role))]
            if len({target.satuan for _, (target, _) in in_force}) > 1:
                listed = ", ".join(f"{target} ({stage.label})" for stage, (target, _) in in_force)
                yield finding("unit-stage-change", Severity.WARNING,
                              _("The target{role} of {line} changes satuan between stages: {listed}.").format(
                                  role=role_word(role), line=label(line), listed=listed),
                              lines=[line], sources=[source for _, (_, source) in in_force])


def bare_targets(line: LineState, stage: Stage) -> Iterator[tuple[str, Source | None]]:
    """(what, where) for each target of the line at this stage that has no satuan."""
    for role, target, source in target_claims(line, stage):
        if target.satuan == Satuan.TANPA:
            yield _("the target{role} {target}").format(role=role_word(role), target=target), source
    figures = line.figures(stage)
    for index, slot in enumerate(figures.triwulan or [] if figures else []):
        if slot.target is not None and slot.target.satuan == Satuan.TANPA:
            yield _("the triwulan {triwulan} target {target}").format(triwulan=ROMAN[index], target=slot.target), None


@rule("unit-missing", N_("Target without a satuan"),
      N_("Every target has a satuan, printed with it or named by its indicator."))
def check_unit_missing(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for stage in Stage:
            bare = list(bare_targets(line, stage))
            if bare:
                what = joined(text for text, _source in bare)
                figures = line.figures(stage)
                row = next((s for _text, s in bare if s is not None), None) or (
                    figures.statements[-1].source if figures and figures.statements else None)
                yield finding("unit-missing", Severity.WARNING,
                              _("{where} gives {line} ({stage}) {what} as a bare number: no satuan is printed and "
                                "no indicator names one.").format(
                                  where=where(row), line=label(line), stage=stage.label, what=what),
                              lines=[line], sources=[row])


@rule("unit-indicator", N_("Satuan does not fit its indicator"),
      N_("A target's satuan fits the unit its indicator names."))
def check_unit_indicator(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for stage in Stage:
            figures = line.figures(stage)
            for role, text in figures.indicators.items() if figures else []:
                expected = infer_satuan(text)
                for r, target, source in target_claims(line, stage):
                    if expected is None or r is not role or target.satuan in (expected, Satuan.TANPA):
                        continue
                    yield finding("unit-indicator", Severity.WARNING,
                                  _("{where} gives {line} the {stage} target{role} {target}, but its indicator is "
                                    "counted in {expected}.").format(
                                      where=where(source), line=label(line), stage=stage.label, role=role_word(role),
                                      target=target, expected=expected),
                                  lines=[line], sources=[source])


@rule("unit-unknown", N_("Unknown or one-off satuan"),
      N_("A satuan outside the known list, or seen only once in the plan, is pointed out (a typo stays visible)."))
def check_unit_unknown(view: PlanView) -> Iterator[Finding]:
    seen: dict[str, list[tuple[LineState, Source]]] = {}
    for line in ordered_lines(view):
        for stage in Stage:
            figures = line.figures(stage)
            for _role, target, source in figures.target_statements if figures else []:
                if target.satuan != Satuan.TANPA:
                    seen.setdefault(target.satuan, []).append((line, source))
    for satuan, uses in seen.items():
        unknown = satuan not in KNOWN_SATUAN
        if not unknown and len(uses) > 1:
            continue
        why = _("is not among the units the ledger knows") if unknown else _("appears only once in the plan")
        yield finding("unit-unknown", Severity.INFO,
                      _("The satuan {satuan!r} {why} ({count} target(s), first at {where}); it is kept as printed: "
                        "check its spelling.").format(satuan=satuan, why=why, count=len(uses), where=where(uses[0][1])),
                      lines=[line for line, _source in uses], sources=[uses[0][1]])
