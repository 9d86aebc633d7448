"""`renja temuan`: the follow-up (tindak lanjut) of the plan's findings: answer one, record what
was done about it, close it or open it again (an auditor), and list every finding with its status."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import FilesOpt, date_value, instant_value, read_files
from cli.render import Format, emit
from cli.safe import echo
from cli.write_commands import command_source
from ledger.application.commands import AnswerFinding, CloseFinding, FollowUpStep, RecordFollowUp, ReopenFinding
from ledger.errors import NotFound, RuleViolated
from ledger.i18n import N_, _

temuan = typer.Typer(help=N_("Follow-up of findings (tindak lanjut): answer a finding, record what was done, close it "
                             "or open it again, and list every finding with its status."), no_args_is_help=True)

TemuanArg = Annotated[str, typer.Argument(help=N_("The finding's id (its first digits, as `renja temuan list` shows "
                                                  "it)."), metavar="TEMUAN")]
WordsOpt = Annotated[str, typer.Option("--reason", help=N_("Your words: the answer, what was done, or why it is "
                                                            "closed or opened again."))]
FormatOpt = Annotated[Format, typer.Option("--format", help=N_("table, json, csv, xlsx or pdf."))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=N_("Write to this file."))]
AsOfOpt = Annotated[date | None, typer.Option("--as-of", parser=date_value, metavar="YYYY-MM-DD", help=N_(
    "The plan as in force on this date."))]
KnownAtOpt = Annotated[datetime | None, typer.Option("--known-at", parser=instant_value, help=N_(
    "As the ledger knew it at this instant."))]


@temuan.command("list")
def list_findings(ctx: typer.Context, as_of: AsOfOpt = None, known_at: KnownAtOpt = None,
                  fmt: FormatOpt = Format.TABLE, output: OutputOpt = None) -> None:
    """Every finding of the plan with its follow-up, then the followed ones no longer found."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    emit(ctx_settings.read.follow_up_list(opd, tahun, as_of=as_of, known_at=known_at), fmt, output)


@temuan.command("show")
def show(ctx: typer.Context, ref: TemuanArg, fmt: FormatOpt = Format.TABLE, output: OutputOpt = None) -> None:
    """One finding's follow-up, step by step (who, when, what, evidence)."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    known = ctx_settings.read.follow_ups(opd, tahun)
    emit(ctx_settings.read.follow_up_trail(opd, tahun, _followed(known, ref)), fmt, output)


def _followed(known: dict[str, Any], ref: str) -> str:
    matches = [key for key in known if key.startswith(ref.strip().lower())]
    if len(matches) != 1:
        raise NotFound("temuan", ref, _("renja temuan list shows the findings of a plan and their ids"))
    return matches[0]


def _step(ctx: typer.Context, cls: type[FollowUpStep], ref: str, reason: str, **fields: Any) -> None:
    """The step on the finding the id names: a finding found now (its content goes with the first
    step), or one followed before and no longer found."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    wanted = ref.strip().lower()
    if len(wanted) < 4:
        raise RuleViolated("temuan-ref", ref, _("name a finding by its id (at least 4 of its digits)"))
    findings = [f for f in ctx_settings.read.check(opd, tahun).findings if f.id.startswith(wanted)]
    known = [key for key in ctx_settings.read.follow_ups(opd, tahun) if key.startswith(wanted)]
    ids = {f.id for f in findings} | set(known)
    if len(ids) != 1:
        raise (NotFound("temuan", ref, _("renja temuan list shows the findings of a plan and their ids")) if not ids
               else RuleViolated("temuan-ambiguous", ref, _("{count} findings begin with it; give more digits").format(
                   count=len(ids))))
    (temuan_id,) = ids
    finding = next((f for f in findings if f.id == temuan_id), None)
    content: dict[str, Any] = {"rule": finding.rule, "kodes": tuple(finding.kodes), "pesan": finding.message} \
        if finding else {}
    ctx_settings.app.handle(cls(opd=opd, tahun=tahun, temuan=temuan_id, reason=reason, source=command_source(None),
                                **content, **fields))
    status = ctx_settings.read.follow_ups(opd, tahun)[temuan_id].status
    echo(_("finding {id}: {status}").format(id=temuan_id, status=status.label if status else _("open")))


@temuan.command("answer")
def answer(ctx: typer.Context, ref: TemuanArg, reason: WordsOpt = "", berkas: FilesOpt = None) -> None:
    """Answer a finding (the office's tanggapan), in --reason."""
    _step(ctx, AnswerFinding, ref, reason, lampiran=read_files(berkas))


@temuan.command("act")
def act(ctx: typer.Context, ref: TemuanArg, reason: WordsOpt = "",
        bukti: Annotated[str | None, typer.Option("--bukti", help=N_(
            "The document that shows what was done (its number or title)."))] = None,
        berkas: FilesOpt = None) -> None:
    """Record what was done about a finding (tindak lanjut), in --reason, with its evidence (--bukti)."""
    _step(ctx, RecordFollowUp, ref, reason, bukti=bukti, lampiran=read_files(berkas))


@temuan.command("close")
def close(ctx: typer.Context, ref: TemuanArg, reason: WordsOpt = "") -> None:
    """Close a finding's follow-up (an auditor), saying why."""
    _step(ctx, CloseFinding, ref, reason)


@temuan.command("reopen")
def reopen(ctx: typer.Context, ref: TemuanArg, reason: WordsOpt = "") -> None:
    """Open a closed finding again (an auditor), saying why."""
    _step(ctx, ReopenFinding, ref, reason)


def register(app: typer.Typer) -> None:
    app.add_typer(temuan, name="temuan")
