"""`renja usul`: propose a change instead of recording it, then verify, return, decide or cancel it.

The proposing verbs are the write verbs themselves (generated from the same table,
ledger.application.write_table), recording a proposal in place of the change; the change is
recorded only by `renja usul decide`, effective on the decision's date (ledger/usulan.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer

from cli.context import settings
from cli.options import FilesOpt, date_value, read_files
from cli.render import Format, emit
from cli.safe import echo
from cli.write_commands import command_source, show_preview, table_verb
from ledger.application.commands import (
    CancelProposal,
    DecideProposal,
    ProposalStep,
    ProposeChange,
    ReturnProposal,
    VerifyProposal,
)
from ledger.application.write_table import WRITE_COMMANDS, WriteCommand
from ledger.i18n import N_, _
from ledger.pergeseran import Authority
from ledger.tanggal import tanggal as day_in_words
from ledger.usulan import short_id
from projections.usulan import proposal_report, proposals_report

usul = typer.Typer(help=N_("Proposals (usulan): propose a change, verify or return it, decide it; a change is in force "
                          "only once decided."), no_args_is_help=True)

UsulanArg = Annotated[str, typer.Argument(help=N_("The proposal's number (its first digits, as `renja usul list` "
                                                  "shows it)."), metavar="USULAN")]
StepReasonOpt = Annotated[str, typer.Option("--reason", help=N_("Your notes: why it is verified, returned or "
                                                                 "cancelled."))]
FormatOpt = Annotated[Format, typer.Option("--format", help=N_("table, json, csv, xlsx or pdf."))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=N_("Write to this file."))]
AgainOpt = Annotated[str | None, typer.Option("--ulang", help=N_(
    "Propose again a proposal that was returned (its number), as now amended."), metavar="USULAN")]
def _propose_verb(entry: WriteCommand) -> Callable[..., None]:
    """The proposing twin of a write verb: the same parameters, plus --ulang and --berkas."""
    def propose(ctx: typer.Context, change: Any, values: dict[str, Any], extra: dict[str, Any]) -> None:
        ctx_settings = settings(ctx)
        if values["preview"]:
            show_preview(ctx_settings.read.preview(change).report)
            return
        again = _proposal_id(ctx, extra["ulang"]) if extra["ulang"] else None
        events = ctx_settings.app.handle(ProposeChange.of(change, usulan=again, lampiran=read_files(extra["berkas"])))
        echo(_("proposal {id} {what}: {change}; it waits on a verifikator, nothing of it is in force yet").format(
            id=short_id(events[0].originator_id), what=_("proposed again") if again else _("proposed"),
            change=entry.verb))

    again = inspect.Parameter("ulang", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=AgainOpt)
    files = inspect.Parameter("berkas", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=FilesOpt)
    # An English message id, as every --help is (cli/click_words translates it where shown).
    return table_verb(entry, propose, name="usul_" + entry.verb.replace("-", "_"),
                      doc=f"Propose, not record: {inspect.cleandoc(entry.help)}", extra=(again, files))


for _entry in WRITE_COMMANDS:
    if _entry.dated:  # a proposal takes force on its decision's date: only dated changes are proposed
        usul.command(_entry.verb)(_propose_verb(_entry))


def _proposal_id(ctx: typer.Context, ref: str) -> UUID:
    opd, tahun = settings(ctx).plan()
    return settings(ctx).read.proposal(ref, opd, tahun).id


@usul.command("list")
def list_proposals(ctx: typer.Context,
                   every: Annotated[bool, typer.Option("--semua", help=N_(
                       "Every open proposal of the plan, not only those waiting on you."))] = False,
                   fmt: FormatOpt = Format.TABLE, output: OutputOpt = None) -> None:
    """The proposals waiting on you (a verifikator: to verify; a penetap: to decide; a proposer:
    returned to it), or with --semua every open one."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    found = ctx_settings.read.inbox(ctx_settings.app.actor, opd, tahun, every_open=every)
    title = _("Open proposals") if every else _("Proposals waiting on {who}").format(who=ctx_settings.app.actor.name)
    emit(proposals_report(found, f"{title}: {opd} {tahun}"), fmt, output)


@usul.command("show")
def show(ctx: typer.Context, usulan: UsulanArg, fmt: FormatOpt = Format.TABLE, output: OutputOpt = None) -> None:
    """One proposal: what it proposes, every step (who, when, notes), and while it is open the
    effect its change would have now."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    found = ctx_settings.read.proposal(usulan, opd, tahun)
    emit(proposal_report(found), fmt, output)
    if fmt is Format.TABLE and found.status.value in ("diajukan", "diverifikasi", "dikembalikan"):
        echo("")
        show_preview(ctx_settings.read.preview(found.change).report)


def _step(ctx: typer.Context, cls: type[ProposalStep], ref: str, reason: str, **fields: Any) -> None:
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    usulan = _proposal_id(ctx, ref)
    events = ctx_settings.app.handle(cls(usulan=usulan, opd=opd, tahun=tahun, reason=reason,
                                         source=command_source(None), **fields))
    found = ctx_settings.read.proposal(usulan.hex, opd, tahun)
    echo(_("proposal {id}: {status}").format(id=found.short, status=found.status.label))
    changed = [event for event in events if event.originator_id != usulan]
    if changed:
        echo(_("{count} events of the change recorded, in force from {date}").format(
            count=len(changed), date=day_in_words(changed[0].basis.effective_on)))


@usul.command("verify")
def verify(ctx: typer.Context, usulan: UsulanArg, reason: StepReasonOpt = "") -> None:
    """Verify a proposal (a verifikator of its OPD; never its proposer): it then waits on the decision."""
    _step(ctx, VerifyProposal, usulan, reason)


@usul.command("return")
def send_back(ctx: typer.Context, usulan: UsulanArg, reason: StepReasonOpt = "") -> None:
    """Return a proposal to its proposer, saying why (--reason); it may be proposed again amended."""
    _step(ctx, ReturnProposal, usulan, reason)


@usul.command("cancel")
def cancel(ctx: typer.Context, usulan: UsulanArg, reason: StepReasonOpt = "") -> None:
    """Withdraw your own proposal before it is decided, saying why (--reason)."""
    _step(ctx, CancelProposal, usulan, reason)


@usul.command("decide")
def decide(ctx: typer.Context, usulan: UsulanArg,
           nomor: Annotated[str, typer.Option("--nomor", help=N_("The decision's number, as written on it."))],
           tanggal: Annotated[date, typer.Option("--tanggal", parser=date_value, metavar="YYYY-MM-DD", help=N_(
               "The decision's date: the change is in force from it."))],
           jenis: Annotated[Authority | None, typer.Option("--jenis", help=N_(
               "The kind of decision, for a pergeseran between accounts (its level's rule): ppkd, sekda, perkada or "
               "perda."))] = None,
           reason: StepReasonOpt = "",
           outside_plan_years: Annotated[bool, typer.Option("--outside-plan-years", help=N_(
               "Accept a decision date outside the plan's years; say why in --reason."))] = False,
           berkas: FilesOpt = None) -> None:
    """Decide a verified proposal (a penetap of its OPD; never its proposer): its change is recorded
    now, effective on the decision's date, after every rule of it is checked again."""
    _step(ctx, DecideProposal, usulan, reason, nomor=nomor, tanggal=tanggal, jenis=jenis,
          outside_plan_years=outside_plan_years, lampiran=read_files(berkas))


def register(app: typer.Typer) -> None:
    app.add_typer(usul, name="usul")
