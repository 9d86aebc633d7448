"""Write verbs: each builds one command, hands it to ``app.handle`` and says what the new events changed.

The verbs are generated from the one table of write commands (ledger.application.write_table):
their arguments, options, help and parsing come from there; what each verb says after recording
(``SAYS``) is the CLI's own.
"""

from __future__ import annotations

import inspect
import shlex
import sys
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import date_value
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
from ledger.application.write_table import PARSERS, PREVIEW, WRITE_COMMANDS, Field, WriteCommand, command_of, verb_fields
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
from ledger.money import format_rupiah, percent_change
from ledger.pergeseran import Authority
from ledger.tanggal import tanggal
from projections.preview import PreviewReport


def command_source(document: str | None) -> Source:
    command = "renja " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv else "renja"
    return Source(document=document, command=command)


def _label(recorded: Recorded, originator: str) -> str:
    """How the line a new event belongs to is named: from its state as the command left it."""
    state = recorded.state(originator)
    return f"{state.reference} {state.nama}" if state else originator


# Also the sync's --preview (cli/sipd_commands.py): the same words as the write verbs'.
PreviewOpt = Annotated[bool, typer.Option("--preview", help=PREVIEW.help)]


def _record(ctx: typer.Context, command: Any, preview: bool) -> Recorded | None:
    """Record the command, or with --preview show what it would change and record nothing."""
    ctx_settings = settings(ctx)
    if not preview:
        return ctx_settings.app.handle(command)
    show_preview(ctx_settings.read.preview(command).report)
    return None


def show_preview(report: PreviewReport) -> None:
    when = tanggal(report.as_of) if report.as_of else _("every date")
    echo(_("PREVIEW, nothing written: {count} events would be recorded (in force {when})").format(
        count=len(report.events), when=when))
    for change in report.lines:
        echo(f"{change.line.reference} {change.line.nama}")
        for kind, stage, before, after in change.described:
            echo(f"  {kind.text}{' ' + stage.label if stage else ''}: {_shown(before)} -> {_shown(after)}")
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
        echo(_("nothing changed: the ledger already says so"))
    for event in recorded:
        echo(f"{_label(recorded, str(event.originator_id))}: "
             f"{describe(event, recorded.state(str(event.originator_id)))}")


def _rp(value: int | None) -> str:
    return "-" if value is None else format_rupiah(value)


def _pagu_change(event: PaguRevised, line: LineState | None) -> str:
    before, after = event.previous, event.rupiah
    change = f" ({'+' if after >= before else ''}{format_rupiah(after - before)}, {percent_change(before, after)})" \
        if before is not None else ""
    return f"pagu {event.stage.label} {_rp(before)} -> {_rp(after)}{change}"


def _moved(event: TriwulanReallocated, line: LineState | None) -> str:
    deltas = ", ".join(f"TW {n} {'+' if d > 0 else ''}{format_rupiah(d)}" for n, d in enumerate(event.rupiah, 1) if d)
    figures = line.figures(event.stage) if line else None
    slots = figures.triwulan or [] if figures else []
    amounts = " | ".join(f"TW {n}: {format_rupiah(slot.rupiah or 0)}" for n, slot in enumerate(slots, start=1))
    return _("triwulan {stage} reallocated ({deltas}); now {amounts}").format(stage=event.stage.label, deltas=deltas,
                                                                                amounts=amounts)


def _target_set(event: TargetSet | TargetChanged, line: LineState | None) -> str:
    previous = _(" (was {previous})").format(previous=event.previous) \
        if isinstance(event, TargetChanged) and event.previous else ""
    return f"target {event.stage.label} ({indicator_name(event.role, event.ke)}) = {event.target}{previous}"


def _indicator_set(event: IndicatorSet | IndicatorChanged, line: LineState | None) -> str:
    previous = _(" (was {previous})").format(previous=repr(event.previous)) \
        if isinstance(event, IndicatorChanged) and event.previous else ""
    return f"indikator {event.stage.label} ({indicator_name(event.role, event.ke)}) = {event.text!r}{previous}"


def _shifted(event: PaguShifted | RekeningShifted, line: LineState | None) -> str:
    pagu = line.pagu(event.stage) if line else None
    basis = ""
    if isinstance(event, RekeningShifted):
        decision_words = " ".join(p for p in (event.authority.label if event.authority else "", event.decision or "") if p)
        basis = f" [{event.scope.label}; {decision_words}]"
    moved = f"{'+' if event.delta > 0 else ''}{format_rupiah(event.delta)}"
    told = _("pagu {stage} {moved} (from {other}), now {pagu}") if event.delta > 0 \
        else _("pagu {stage} {moved} (to {other}), now {pagu}")
    return told.format(stage=event.stage.label, moved=moved, other=event.counterpart, pagu=_rp(pagu)) + basis


def _assigned(event: PenanggungJawabAssigned, line: LineState | None) -> str:
    return f"penanggung jawab {event.name}" + (_(" (was {previous})").format(previous=event.previous)
                                               if event.previous else "")


def _corrected(event: EventCorrected, line: LineState | None) -> str:
    figure = _rp(event.rupiah) if event.rupiah is not None else str(event.target)
    return _("event {version} corrected to {figure}, from {day} ({reason})").format(
        version=event.corrects_version, figure=figure, day=tanggal(event.basis.effective_on), reason=event.basis.reason)


# What each verb says of each new event, with the line as the command left it.
SAYS: dict[type[Any], Callable[[Any, LineState | None], str]] = {
    RevisePagu: _pagu_change, Reallocate: _moved, SetTarget: _target_set, ChangeIndicator: _indicator_set,
    ShiftPagu: _shifted, AssignPenanggungJawab: _assigned, CorrectEvent: _corrected,
}

# --- the verbs, generated from the table -----------------------------------------------------------

# The kinds typer reads itself, with its own checks and messages (exit code 2); every other kind
# arrives as text and is read by the table's parser, so a bad value is the same `renja: ...` line
# (exit code 1) as on the web's field.
TYPER_TYPES: dict[str, type] = {"stage": Stage, "role": Role, "authority": Authority, "triwulan": int, "number": int,
                                "date": date, "flag": bool}
AS_TYPED = ("text", "line")  # recorded as typed, spaces and all; '' stays '' (an empty --reason is refused)


def typer_parameter(field: Field) -> inspect.Parameter:
    """The typer parameter of a field: an Annotated argument or option with the table's flags and help."""
    assert field.cli is not None
    annotation = TYPER_TYPES.get(field.kind, str)
    info: Any
    if field.cli.argument:
        info, default = typer.Argument(help=field.help), inspect.Parameter.empty
    else:
        is_date = field.kind == "date"
        info = typer.Option(*field.cli.flags, help=field.help, min=field.cli.minimum, parser=date_value if is_date else None,
                            metavar="YYYY-MM-DD" if is_date else None)
        default = inspect.Parameter.empty if field.required else field.default
    if default is None:
        annotation = annotation | None  # type: ignore[assignment]
    return inspect.Parameter(field.cli_param(), inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[annotation, info])


def read_typed(field: Field, typed: Any) -> Any:
    if typed is None or field.kind in TYPER_TYPES or field.kind in AS_TYPED:
        return typed
    if typed == "" and not field.required:
        return field.default  # '' gives none, as `--target ''` always did
    return PARSERS[field.kind](typed)


# What a generated verb does with the command its typed values build (and those values, and the
# values of its extra parameters): record it, or (cli/usulan_commands.py) propose it.
Act = Callable[[typer.Context, Any, dict[str, Any], dict[str, Any]], None]


def table_verb(entry: WriteCommand, act: Act, *, name: str, doc: str,
               extra: tuple[inspect.Parameter, ...] = ()) -> Callable[..., None]:
    """A typer function whose parameters are the table's fields of ``entry`` (then ``extra``): it
    reads them, builds the command for the plan, and hands it to ``act``."""
    fields = verb_fields(entry)

    def run(ctx: typer.Context, **typed: Any) -> None:
        values = {field.name: read_typed(field, typed[field.cli_param()]) for field in fields}
        opd, tahun = settings(ctx).plan()
        command = command_of(entry, values, opd=opd, tahun=tahun, source=command_source(values["document"]))
        act(ctx, command, values, {parameter.name: typed[parameter.name] for parameter in extra})

    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    run.__signature__ = inspect.Signature([context, *map(typer_parameter, fields), *extra])  # type: ignore[attr-defined]
    run.__doc__ = doc
    run.__name__ = run.__qualname__ = name
    return run


def verb(entry: WriteCommand) -> Callable[..., None]:
    """The typer function of one write command: it records the command and says what changed."""
    def record(ctx: typer.Context, command: Any, values: dict[str, Any], extra: dict[str, Any]) -> None:
        _say(_record(ctx, command, values["preview"]), SAYS[entry.command])
    return table_verb(entry, record, name=entry.verb.replace("-", "_"), doc=entry.help)


COMMANDS: dict[str, Callable[..., None]] = {entry.verb: verb(entry) for entry in WRITE_COMMANDS}
VERBS = tuple(COMMANDS)  # the verbs that record (cli/app.py)


def register(app: typer.Typer) -> None:
    for name, function in COMMANDS.items():
        app.command(name)(function)
