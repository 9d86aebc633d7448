"""Write verbs: each builds one command, hands it to ``app.handle`` and says what the new events changed."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import DocumentOpt, EffectiveOpt, ReasonOpt
from cli.safe import echo
from ledger.application.app import Recorded
from ledger.application.commands import (
    AssignPenanggungJawab,
    ChangeIndicator,
    CorrectEvent,
    Reallocate,
    RevisePagu,
    SetTarget,
    ShiftPagu,
)
from ledger.basis import Source, Stage
from ledger.i18n import _
from ledger.line_events import (
    EventCorrected,
    IndicatorChanged,
    IndicatorSet,
    PaguRevised,
    PaguShifted,
    PenanggungJawabAssigned,
    RekeningShifted,
    Role,
    TargetChanged,
    TargetSet,
    TriwulanReallocated,
    indicator_name,
)
from ledger.line_state import LineState
from ledger.money import Rupiah, format_rupiah, percent_change
from ledger.numbers import parse_decimal
from ledger.pergeseran import Authority
from ledger.target import Target, parse_satuan
from projections.preview import PreviewReport, preview_report

StageOpt = Annotated[Stage, typer.Option("--stage", help="Budget stage: " + ", ".join(s.value for s in Stage) + ".")]
RoleOpt = Annotated[Role, typer.Option("--role", help="Which indicator: " + ", ".join(r.value for r in Role) + ".")]
KeOpt = Annotated[int, typer.Option("--ke", min=1, help="Which indicator of that role, in the order printed (1 = the first; "
                                                        "the next number adds one).")]
KodeArg = Annotated[str, typer.Argument(help="Kode (7.01.01.2.06.08 or '7 01 01 2.06 08') or exact name of the line.")]


def command_source(document: str | None) -> Source:
    command = "renja " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv else "renja"
    return Source(document=document, command=command)


def _plan(ctx: typer.Context, reason: str, document: str | None) -> dict[str, Any]:
    opd, tahun = settings(ctx).plan()
    return {"opd": opd, "tahun": tahun, "reason": reason, "source": command_source(document)}


def _dated(ctx: typer.Context, reason: str, document: str | None, outside_plan_years: bool) -> dict[str, Any]:
    return {**_plan(ctx, reason, document), "outside_plan_years": outside_plan_years}


def _label(recorded: Recorded, originator: str) -> str:
    """How the line a new event belongs to is named: from its state as the command left it."""
    state = recorded.states.get(originator)
    return f"{state.reference} {state.nama}" if state else originator


OutsideYearsOpt = Annotated[bool, typer.Option("--outside-plan-years", help="Accept an effective date outside the "
                                                "plan's years (the year before to the year after); say why in --reason.")]
PreviewOpt = Annotated[bool, typer.Option("--preview", help="Show what would change (lines per stage, plan totals, "
                                                           "new findings) and write nothing.")]


def _record(ctx: typer.Context, command: Any, preview: bool) -> Recorded | None:
    """Record the command, or with --preview show what it would change and record nothing."""
    ctx_settings = settings(ctx)
    if not preview:
        return ctx_settings.app.handle(command)
    unsaved = ctx_settings.app.preview(command)
    opd, tahun = ctx_settings.plan()
    show_preview(preview_report(ctx_settings.index, opd, tahun, unsaved.events, getattr(command, "effective_on", None)))
    return None


def show_preview(report: PreviewReport) -> None:
    when = report.as_of.isoformat() if report.as_of else _("every date")
    echo(_("PREVIEW, nothing written: {count} events would be recorded (in force {when})").format(
        count=len(report.events), when=when))
    for change in report.lines:
        echo(f"{change.line.reference} {change.line.nama}")
        for kind, stage, before, after in change.described:
            echo(f"  {kind}{' ' + stage.label if stage else ''}: {_shown(before)} -> {_shown(after)}")
        for figure in change.stages:
            if figure.difference:
                echo(f"  pagu {figure.stage.label}: {_rp(figure.before)} -> {_rp(figure.after)} "
                     f"({'+' if figure.difference > 0 else ''}{format_rupiah(figure.difference)})")
    for total in report.totals:
        if total.difference:
            echo(_("plan total {stage}: {before} -> {after}").format(stage=total.stage.label, before=_rp(total.before),
                                                                    after=_rp(total.after)))
    for finding in report.new_findings:
        echo(_("new finding [{rule}]: {message}").format(rule=finding.rule, message=finding.message))
    for finding in report.gone_findings:
        echo(_("finding resolved [{rule}]: {message}").format(rule=finding.rule, message=finding.message))


def _shown(value: Any) -> str:
    return _rp(value) if isinstance(value, int) else ("-" if value is None else str(value))


def _say(recorded: Recorded | None, describe: Callable[[Any, LineState | None], str]) -> None:
    """Each new event, with its line as the command left it (no second read of the plan)."""
    if recorded is None:
        return  # a preview: said already
    if not recorded:
        echo("nothing changed: the ledger already says so")
    for event in recorded:
        echo(f"{_label(recorded, str(event.originator_id))}: "
             f"{describe(event, recorded.states.get(str(event.originator_id)))}")


def _rp(value: int | None) -> str:
    return "-" if value is None else format_rupiah(value)


def _pagu_change(event: PaguRevised, line: LineState | None) -> str:
    before, after = event.previous, event.rupiah
    change = f" ({'+' if after >= before else ''}{format_rupiah(after - before)}, {percent_change(before, after)})" \
        if before is not None else ""
    return f"pagu {event.stage.label} {_rp(before)} -> {_rp(after)}{change}"


def revise_pagu(
    ctx: typer.Context,
    kode: KodeArg,
    rupiah: Annotated[str, typer.Argument(help="The new pagu in whole Rupiah (200.710.000 or 200710000).")],
    stage: StageOpt,
    effective: EffectiveOpt,
    reason: ReasonOpt,
    outside_plan_years: OutsideYearsOpt = False,
    document: DocumentOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """Revise the pagu of a line at one stage (PaguRevised)."""
    command = RevisePagu(line=kode, stage=stage, rupiah=Rupiah.parse(rupiah), effective_on=effective,
                         **_dated(ctx, reason, document, outside_plan_years))
    _say(_record(ctx, command, preview), _pagu_change)


def reallocate(
    ctx: typer.Context,
    kode: KodeArg,
    from_tw: Annotated[int, typer.Option("--from-tw", help="Triwulan that gives (1-4).")],
    to_tw: Annotated[int, typer.Option("--to-tw", help="Triwulan that receives (1-4).")],
    rupiah: Annotated[str, typer.Option("--rupiah", help="Amount moved, whole Rupiah.")],
    effective: EffectiveOpt,
    reason: ReasonOpt,
    outside_plan_years: OutsideYearsOpt = False,
    target: Annotated[str | None, typer.Option("--target", help="Target quantity moved with it.")] = None,
    stage: Annotated[Stage, typer.Option("--stage", help="Stage whose triwulan allocation changes.")] = Stage.MURNI,
    document: DocumentOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """Move Rp (and target) from one triwulan to another within a line (TriwulanReallocated)."""
    command = Reallocate(line=kode, stage=stage, from_tw=from_tw, to_tw=to_tw, rupiah=Rupiah.parse(rupiah),
                         target=parse_decimal(target) if target else None, effective_on=effective,
                         **_dated(ctx, reason, document, outside_plan_years))

    def moved(event: TriwulanReallocated, line: LineState | None) -> str:
        deltas = ", ".join(f"TW {n} {'+' if d > 0 else ''}{format_rupiah(d)}" for n, d in enumerate(event.rupiah, 1) if d)
        figures = line.figures(event.stage) if line else None
        slots = figures.triwulan or [] if figures else []
        amounts = " | ".join(f"TW {n}: {format_rupiah(slot.rupiah or 0)}" for n, slot in enumerate(slots, start=1))
        return f"triwulan {event.stage.label} reallocated ({deltas}); now {amounts}"

    _say(_record(ctx, command, preview), moved)


def set_target(
    ctx: typer.Context,
    kode: KodeArg,
    value: Annotated[str, typer.Argument(help="Target value, e.g. 660 or 51,48.")],
    satuan: Annotated[str, typer.Argument(help="Unit as printed, e.g. Orang, Dok, %, Perda, M2; '' when the document prints none.")],
    stage: StageOpt,
    effective: EffectiveOpt,
    reason: ReasonOpt,
    outside_plan_years: OutsideYearsOpt = False,
    role: RoleOpt = Role.OWN,
    ke: KeOpt = 1,
    document: DocumentOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """Set or change the target of a line at one stage (TargetSet / TargetChanged)."""
    target = Target(nilai=parse_decimal(value, kind="target value"), satuan=parse_satuan(satuan))
    command = SetTarget(line=kode, stage=stage, role=role, ke=ke, target=target, effective_on=effective,
                        **_dated(ctx, reason, document, outside_plan_years))

    def said(event: TargetSet | TargetChanged, line: LineState | None) -> str:
        previous = f" (was {event.previous})" if isinstance(event, TargetChanged) and event.previous else ""
        return f"target {event.stage.label} ({indicator_name(event.role, event.ke)}) = {event.target}{previous}"

    _say(_record(ctx, command, preview), said)


def change_indicator(
    ctx: typer.Context,
    kode: KodeArg,
    text: Annotated[str, typer.Argument(help="The indicator as the decision words it.")],
    stage: StageOpt,
    effective: EffectiveOpt,
    reason: ReasonOpt,
    outside_plan_years: OutsideYearsOpt = False,
    role: RoleOpt = Role.OWN,
    ke: KeOpt = 1,
    document: DocumentOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """Replace the wording of a line's indicator at one stage (IndicatorChanged), with a reason; the next
    --ke adds an indicator."""
    command = ChangeIndicator(line=kode, stage=stage, role=role, ke=ke, text=text, effective_on=effective,
                              **_dated(ctx, reason, document, outside_plan_years))

    def said(event: IndicatorSet | IndicatorChanged, line: LineState | None) -> str:
        previous = f" (was {event.previous!r})" if isinstance(event, IndicatorChanged) and event.previous else ""
        return f"indikator {event.stage.label} ({indicator_name(event.role, event.ke)}) = {event.text!r}{previous}"

    _say(_record(ctx, command, preview), said)


def shift(
    ctx: typer.Context,
    from_kode: Annotated[str, typer.Argument(help="Line that gives.")],
    to_kode: Annotated[str, typer.Argument(help="Line that receives.")],
    rupiah: Annotated[str, typer.Argument(help="Amount shifted, whole Rupiah.")],
    effective: EffectiveOpt,
    reason: ReasonOpt,
    outside_plan_years: OutsideYearsOpt = False,
    stage: Annotated[Stage, typer.Option("--stage", help="Stage whose pagu is shifted.")] = Stage.PERUBAHAN,
    authority: Annotated[Authority | None, typer.Option(
        "--dasar", help="Between accounts: the decision that allows it (ppkd, sekda, perkada, perda); its level "
                        "decides which is needed.")] = None,
    decision: Annotated[str | None, typer.Option(
        "--nomor-dasar", help="Between accounts: the decision's number, e.g. 'Persetujuan PPKD 900/123/2024'.")] = None,
    document: DocumentOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """A pergeseran: move Rp from one line to another, both sides in one transaction.

    Between two sub-kegiatan (KODE), or between two accounts (SUB-KEGIATAN/KODE-REKENING, e.g.
    7.01.01.2.06.08/5.1.02.01.01.0024) with --dasar: a shift inside an objek needs the PPKD's
    approval, between objek of one jenis the Sekretaris Daerah's, between jenis or sub-kegiatan
    a change of the Perda APBD."""
    command = ShiftPagu(from_line=from_kode, to_line=to_kode, stage=stage, rupiah=Rupiah.parse(rupiah),
                        authority=authority, decision=decision, effective_on=effective,
                        **_dated(ctx, reason, document, outside_plan_years))
    events = _record(ctx, command, preview)

    def shifted(event: PaguShifted | RekeningShifted, line: LineState | None) -> str:
        pagu = line.pagu(event.stage) if line else None
        basis = ""
        if isinstance(event, RekeningShifted):
            decision_words = " ".join(p for p in (event.authority.label if event.authority else "", event.decision or "") if p)
            basis = f" [{event.scope.label}; {decision_words}]"
        return (f"pagu {event.stage.label} {'+' if event.delta > 0 else ''}{format_rupiah(event.delta)} "
                f"({'from' if event.delta > 0 else 'to'} {event.counterpart}), now {_rp(pagu)}{basis}")

    _say(events, shifted)


def assign(
    ctx: typer.Context,
    kode: KodeArg,
    name: Annotated[str, typer.Argument(help="The penanggung jawab, e.g. 'MANSYUR, S.Sos'.")],
    effective: EffectiveOpt,
    outside_plan_years: OutsideYearsOpt = False,
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. the SK that assigns).")] = "penanggung jawab assigned",
    document: DocumentOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """Assign (or replace) the penanggung jawab of a line."""
    command = AssignPenanggungJawab(line=kode, name=name, effective_on=effective,
                        **_dated(ctx, reason, document, outside_plan_years))

    def said(event: PenanggungJawabAssigned, line: LineState | None) -> str:
        return f"penanggung jawab {event.name}" + (f" (was {event.previous})" if event.previous else "")

    _say(_record(ctx, command, preview), said)


def correct(
    ctx: typer.Context,
    kode: KodeArg,
    version: Annotated[int, typer.Option("--event", help="Version of the line's event to correct (see `renja history`).")],
    reason: ReasonOpt,
    rupiah: Annotated[str | None, typer.Option("--rupiah", help="The right pagu.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="The right target, e.g. '660 Orang'.")] = None,
    document: DocumentOpt = None,
    preview: PreviewOpt = False,
) -> None:
    """Correct the figure an earlier event stated; the earlier event stays, marked corrected."""
    command = CorrectEvent(line=kode, version=version, rupiah=Rupiah.parse(rupiah) if rupiah else None,
                           target=Target.parse(target) if target else None, **_plan(ctx, reason, document))

    def said(event: EventCorrected, line: LineState | None) -> str:
        figure = _rp(event.rupiah) if event.rupiah is not None else str(event.target)
        return f"event {event.corrects_version} corrected to {figure}, from {event.basis.effective_on} ({event.basis.reason})"

    _say(_record(ctx, command, preview), said)


COMMANDS: dict[str, Callable[..., None]] = {
    "revise-pagu": revise_pagu,
    "reallocate": reallocate,
    "set-target": set_target,
    "change-indicator": change_indicator,
    "shift": shift,
    "assign": assign,
    "correct": correct,
}


def register(app: typer.Typer) -> None:
    for name, function in COMMANDS.items():
        app.command(name)(function)
