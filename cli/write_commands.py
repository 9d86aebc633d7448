"""Write verbs: each builds one command, runs it, and says what changed."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import DocumentOpt, EffectiveOpt, ReasonOpt, parse_date
from ledger import handlers
from ledger.basis import Source, Stage
from ledger.commands import AssignPenanggungJawab, CorrectEvent, Reallocate, RevisePagu, SetTarget, ShiftPagu
from ledger.line import BudgetLine
from ledger.line_events import Role
from ledger.money import Rupiah, format_rupiah, percent_change
from ledger.numbers import parse_decimal
from ledger.target import Target, parse_satuan

StageOpt = Annotated[Stage, typer.Option("--stage", help="Budget stage: rkpd, murni, perubahan or prakiraan_maju.")]


def _source(document: str | None) -> Source:
    command = "renja " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv else "renja"
    return Source(document=document, command=command)


def _common(ctx: typer.Context, effective: str, reason: str, document: str | None) -> dict[str, Any]:
    opd, tahun = settings(ctx).plan()
    return {"opd": opd, "tahun": tahun, "effective_on": parse_date(effective), "reason": reason,
            "source": _source(document)}


def _say_pagu(line: BudgetLine, stage: Stage, before: int | None) -> None:
    after = line.state.pagu(stage)
    change = ""
    if before is not None and after is not None:
        change = f" ({'+' if after >= before else ''}{format_rupiah(after - before)}, {percent_change(before, after)})"
    before_text = format_rupiah(before) if before is not None else "-"
    after_text = format_rupiah(after) if after is not None else "-"
    typer.echo(f"{line.label}: pagu {stage.label} {before_text} -> {after_text}{change}")


def revise_pagu(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(help="Kode (7.01.01.2.06.08 or '7 01 01 2.06 08') or exact name of the line.")],
    rupiah: Annotated[str, typer.Argument(help="The new pagu in whole Rupiah (200.710.000 or 200710000).")],
    stage: StageOpt,
    effective: EffectiveOpt,
    reason: ReasonOpt,
    document: DocumentOpt = None,
) -> None:
    """Revise the pagu of a line at one stage (PaguRevised)."""
    app = settings(ctx).app
    command = RevisePagu(line=kode, stage=stage, rupiah=Rupiah.parse(rupiah), **_common(ctx, effective, reason, document))
    before: dict[str, int | None] = {}

    def run(uow: Any) -> BudgetLine:
        line = uow.line(uow.plan(command.opd, command.tahun), command.line)
        before["pagu"] = line.state.pagu(stage)
        return handlers.revise_pagu(uow, command)

    _say_pagu(app.execute(run), stage, before["pagu"])


def reallocate(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(help="Kode or exact name of the line.")],
    from_tw: Annotated[int, typer.Option("--from-tw", help="Triwulan that gives (1-4).")],
    to_tw: Annotated[int, typer.Option("--to-tw", help="Triwulan that receives (1-4).")],
    rupiah: Annotated[str, typer.Option("--rupiah", help="Amount moved, whole Rupiah.")],
    effective: EffectiveOpt,
    reason: ReasonOpt,
    target: Annotated[str | None, typer.Option("--target", help="Target quantity moved with it.")] = None,
    stage: Annotated[Stage, typer.Option("--stage", help="Stage whose triwulan allocation changes.")] = Stage.MURNI,
    document: DocumentOpt = None,
) -> None:
    """Move Rp (and target) from one triwulan to another within a line (TriwulanReallocated)."""
    command = Reallocate(line=kode, stage=stage, from_tw=from_tw, to_tw=to_tw, rupiah=Rupiah.parse(rupiah),
                         target=parse_decimal(target) if target else None, **_common(ctx, effective, reason, document))
    line = settings(ctx).app.execute(lambda uow: handlers.reallocate(uow, command), retries=3)
    figures = line.state.figures(stage)
    slots = figures.triwulan or [] if figures else []
    amounts = " | ".join(f"TW {n}: {format_rupiah(s.rupiah or 0)}" for n, s in enumerate(slots, start=1))
    typer.echo(f"{line.label}: {amounts}")


def set_target(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(help="Kode or exact name of the line.")],
    value: Annotated[str, typer.Argument(help="Target value, e.g. 660 or 51,48.")],
    satuan: Annotated[str, typer.Argument(help="Unit, e.g. Orang, Dok, Kali, %.")],
    stage: StageOpt,
    effective: EffectiveOpt,
    reason: ReasonOpt,
    role: Annotated[Role, typer.Option("--role", help="Which indicator: own, program, kegiatan or year_end.")] = Role.OWN,
    document: DocumentOpt = None,
) -> None:
    """Set or change the target of a line at one stage (TargetSet / TargetChanged)."""
    target = Target(nilai=parse_decimal(value, kind="target value"), satuan=parse_satuan(satuan))
    command = SetTarget(line=kode, stage=stage, role=role, target=target, **_common(ctx, effective, reason, document))
    line = settings(ctx).app.execute(lambda uow: handlers.set_target(uow, command))
    typer.echo(f"{line.label}: target {stage.label} ({role.value}) = {target}")


def shift(
    ctx: typer.Context,
    from_kode: Annotated[str, typer.Argument(help="Line that gives.")],
    to_kode: Annotated[str, typer.Argument(help="Line that receives.")],
    rupiah: Annotated[str, typer.Argument(help="Amount shifted, whole Rupiah.")],
    effective: EffectiveOpt,
    reason: ReasonOpt,
    stage: Annotated[Stage, typer.Option("--stage", help="Stage whose pagu is shifted.")] = Stage.PERUBAHAN,
    document: DocumentOpt = None,
) -> None:
    """A pergeseran: move Rp from one line to another, both sides in one transaction."""
    command = ShiftPagu(from_line=from_kode, to_line=to_kode, stage=stage, rupiah=Rupiah.parse(rupiah),
                        **_common(ctx, effective, reason, document))
    giver, taker = settings(ctx).app.execute(lambda uow: handlers.shift_pagu(uow, command), retries=3)
    for line in (giver, taker):
        typer.echo(f"{line.label}: pagu {stage.label} now {format_rupiah(line.state.pagu(stage) or 0)}")


def assign(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(help="Kode or exact name of the line.")],
    name: Annotated[str, typer.Argument(help="The penanggung jawab, e.g. 'MANSYUR, S.Sos'.")],
    effective: EffectiveOpt,
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. the SK that assigns).")] = "penanggung jawab assigned",
    document: DocumentOpt = None,
) -> None:
    """Assign (or replace) the penanggung jawab of a line."""
    command = AssignPenanggungJawab(line=kode, name=name, **_common(ctx, effective, reason, document))
    line = settings(ctx).app.execute(lambda uow: handlers.assign(uow, command))
    typer.echo(f"{line.label}: penanggung jawab {line.state.penanggung_jawab}")


def correct(
    ctx: typer.Context,
    kode: Annotated[str, typer.Argument(help="Kode or exact name of the line.")],
    version: Annotated[int, typer.Option("--event", help="Version of the line's event to correct (see `renja history`).")],
    reason: ReasonOpt,
    rupiah: Annotated[str | None, typer.Option("--rupiah", help="The right pagu.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="The right target, e.g. '660 Orang'.")] = None,
    document: DocumentOpt = None,
) -> None:
    """Correct the figure an earlier event stated; the earlier event stays, marked corrected."""
    opd, tahun = settings(ctx).plan()
    # A correction takes force from the corrected event's own effective date; the domain
    # sets it (BudgetLine.correct), so the date given here is never recorded.
    command = CorrectEvent(
        opd=opd, tahun=tahun, effective_on=date.min, reason=reason, source=_source(document),
        line=kode, version=version, rupiah=Rupiah.parse(rupiah) if rupiah else None,
        target=Target.parse(target) if target else None,
    )
    line = settings(ctx).app.execute(lambda uow: handlers.correct(uow, command))
    typer.echo(f"{line.label}: event {version} corrected ({reason})")


COMMANDS: dict[str, Callable[..., None]] = {
    "revise-pagu": revise_pagu,
    "reallocate": reallocate,
    "set-target": set_target,
    "shift": shift,
    "assign": assign,
    "correct": correct,
}
