"""Audit verbs: history (why), pagu, diff, verify, export-events, import-events."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.context import settings
from cli.options import AsOfOpt, CsvSepOpt, FormatOpt, FromOpt, KnownAtOpt, OutputOpt, PaperOpt, ToOpt
from cli.render import Format, Paper, Rendered, Tabular, emit
from cli.safe import echo
from events_store.heads import read_statement, sign_head
from events_store.integrity import ExpectedHead
from ledger.basis import Stage
from ledger.i18n import _
from ledger.money import format_rupiah
from ledger.tanggal import tanggal, waktu
from projections.checks.model import signed
from projections.pointintime import PaguAnswer

KodeArg = Annotated[str, typer.Argument(help="Kode (7.01.01.2.06.08 or '7 01 01 2.06 08') or name of the line.")]


def history(
    ctx: typer.Context,
    kode: KodeArg,
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    all_events: Annotated[bool, typer.Option("--all", help="Also show indicator, lokasi and other non-figure events.")] = False,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    paper: PaperOpt = Paper.A4,
    csv_sep: CsvSepOpt = ",",
) -> None:
    """Why did this pagu change: every event of the line, its basis, who recorded it, before -> after."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    rendered = ctx_settings.read.history(opd, tahun, kode, as_of=as_of, known_at=known_at,
                                         all_events=all_events or fmt is Format.JSON)
    emit(rendered, fmt, output, paper=paper, csv_separator=csv_sep)


class AnswerFormat(StrEnum):
    """What `pagu` can print: one answer, not a form."""

    TABLE = "table"
    JSON = "json"


def pagu(
    ctx: typer.Context,
    kode: KodeArg,
    stage: Annotated[Stage | None, typer.Option("--stage", help="rkpd, murni, perubahan or prakiraan_maju. Default: the plan in force.")] = None,
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    fmt: Annotated[AnswerFormat, typer.Option("--format", help="table or json.")] = AnswerFormat.TABLE,
) -> None:
    """The pagu of a line at a point in time, and the event that set it; a program or kegiatan by the
    roll-up rule of the reports: the sum of its rows, or its own statement."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    read = ctx_settings.read
    answer = read.pagu(opd, tahun, kode, stage, as_of=as_of, known_at=known_at)
    line = answer.line
    realised = read.realised(opd, tahun, line.key, as_of=as_of, known_at=known_at)
    payload = answer.to_json(as_of, known_at, realised)
    if fmt is AnswerFormat.JSON:
        emit(Rendered(payload, Tabular("", [], [])), Format.JSON)
        return
    if answer.pagu is None:
        echo(_("{line}: no pagu at that point in time").format(line=f"{line.reference} {answer.nama}") if stage is None
             else _("{line}: no pagu at stage {stage} at that point in time").format(
                 line=f"{line.reference} {answer.nama}", stage=stage.label))
        return
    echo(f"{line.reference} {answer.nama}: pagu {answer.stage.label if answer.stage else ''} "
               f"Rp {format_rupiah(answer.pagu)}")
    if realised is not None:
        echo(_("  realised by then: Rp {amount}").format(amount=format_rupiah(realised)))
    for text in rule_lines(answer):
        echo(text)
    if answer.rows:
        return
    setter = payload["set_by"] or {}
    echo("  " + _("set by event {version} ({event}), effective {effective}, recorded {recorded} by {who}").format(
        version=setter.get("version"), event=setter.get("event"), effective=_day(setter.get("effective_on")),
        recorded=_moment(setter.get("recorded_at")), who=setter.get("recorded_by")))
    echo("  " + _("basis: {basis}; reason: {reason}").format(basis=setter.get("basis"), reason=setter.get("alasan")))


def _day(iso: str | None) -> str:
    """A date the JSON carries (ISO), in words."""
    return tanggal(date.fromisoformat(iso)) if iso else "-"


def _moment(iso: str | None) -> str:
    """An instant the JSON carries (ISO, UTC), in words in the office's zone."""
    return waktu(datetime.fromisoformat(iso.replace("Z", "+00:00"))) if iso else "-"


def rule_lines(answer: PaguAnswer) -> list[str]:
    """Which branch of the roll-up rule (docs/stages.md, "Figures at any level") gave a program's
    or kegiatan's pagu: the sum of its rows, each named, or its own statement. A sub-kegiatan
    always counts by its own figure: nothing to say."""
    if not answer.rolled:
        return []
    stage = answer.stage.label if answer.stage else ""
    if not answer.rows:
        return ["  " + _("counted by its own statement: no row under it states a {stage} figure").format(stage=stage)]
    lines = ["  " + _("counted as the sum of the rows under it that state a {stage} figure ({count}):").format(
        count=len(answer.rows), stage=stage)]
    lines += [f"    {row.kode or '-'} {row.nama}: Rp {format_rupiah(row.pagu)}" for row in answer.rows]
    if answer.stated is None:
        lines.append("  " + _("its own row states no {stage} figure").format(stage=stage))
    elif answer.stated != answer.pagu:
        lines.append("  " + _("its own row states Rp {stated}, {difference} against the sum").format(
            stated=format_rupiah(answer.stated), difference=signed(answer.stated - (answer.pagu or 0))))
    else:
        lines.append("  " + _("its own row states the same figure"))
    return lines


def diff(
    ctx: typer.Context,
    start: FromOpt,
    end: ToOpt,
    known_at: KnownAtOpt = None,
    rekening: Annotated[bool, typer.Option("--rekening", help="Also the accounts (kode rekening) whose amount changed, "
                                                              "under their sub-kegiatan, with their pergeseran.")] = False,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    paper: PaperOpt = Paper.A4,
    csv_sep: CsvSepOpt = ",",
) -> None:
    """Every line whose pagu, target, triwulan, indicator or penanggung jawab changed between two dates."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    if end < start:
        raise typer.BadParameter("--to is before --from", param_hint="--to")
    emit(ctx_settings.read.diff(opd, tahun, start, end, known_at=known_at, rekening=rekening), fmt, output,
         paper=paper, csv_separator=csv_sep)


def verify(
    ctx: typer.Context,
    head: Annotated[bool, typer.Option("--head", help="Print the chain head (count and hash) to write down.")] = False,
    expect: Annotated[str | None, typer.Option("--expect", help="N:HEAD written down earlier (`verify --head`): the first "
                                                                "N events must still hash to HEAD.")] = None,
    sign: Annotated[Path | None, typer.Option("--sign", help="Ed25519 private key (PEM): print a signed statement of "
                                                             "the head (N, head, time, signer).")] = None,
    check: Annotated[Path | None, typer.Option("--check", help="A signed head statement (from --sign): check its "
                                                               "signature and that the first N events still hash to it.")] = None,
    key: Annotated[Path | None, typer.Option("--key", help="With --check: the signer's public key (PEM) to trust.")] = None,
) -> None:
    """Recompute the hash chain of every stored event, check the time index, the line register and
    the read model against the events, and every evidence file an event names against its hash;
    exit 1 at the first difference."""
    ctx_settings = settings(ctx)
    statement = read_statement(check, key) if check else None
    expected = statement.expected if statement else ExpectedHead.parse(expect) if expect else None
    verified = ctx_settings.read.verify(expected)
    status = verified.chain
    if sign is not None:
        echo(json.dumps(sign_head(status, sign, ctx_settings.app.user), indent=2))
    elif head:
        echo(f"{status.count} {status.head}")
    else:
        echo(_("chain intact: {count} events, head {head}").format(count=status.count, head=status.head))
        if statement:
            echo(_("signed head of {signer} ({time}): the first {count} events still hash to {head}").format(
                signer=statement.signer, time=_moment(statement.time), count=statement.count, head=statement.head))
        elif expected:
            echo(_("the first {count} events match the expected head").format(count=expected.count))
        echo(_("time index and line register agree with the events; read model: {lines} lines refolded, all agree").format(
            lines=verified.lines))
        echo(_("evidence files: {count} named by the events, each stored with the content its SHA-256 names").format(
            count=verified.files))
        position, last = verified.position, verified.last
        echo(_("read model at event #{position} of the log's last #{last}").format(position=position, last=last)
             + ("" if position == last else _(" (it catches up at the next write or rebuild)")))
        if not expected:
            echo(_("no head written down earlier was given: a removed tail of the log cannot be seen without one; write "
                   "down `{count} {head}` (renja verify --head) and check later with --expect {count}:{head}").format(
                count=status.count, head=status.head))


def export_events_cmd(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="Output file (.jsonl).")]) -> None:
    """Export every stored event with its hash, as JSON lines with a verifying trailer."""
    status = settings(ctx).read.export(path)
    echo(_("exported {count} events to {path}, head {head}").format(count=status.count, path=path, head=status.head))


def import_events_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An export made by export-events.")],
    expect: Annotated[str | None, typer.Option("--expect", help="N:HEAD written down from the ledger the file came from: "
                                                                "its first N events must hash to HEAD.")] = None,
) -> None:
    """Load an export into an empty ledger; a truncated, edited or forged file is refused and nothing is written."""
    status = settings(ctx).ledger.import_events(path, ExpectedHead.parse(expect) if expect else None)
    echo(_("imported {count} events from {path}, head {head}").format(count=status.count, path=path, head=status.head))


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("why", help="Alias of history.")(history)
    app.command("pagu")(pagu)
    app.command("diff")(diff)
    app.command("verify")(verify)
    app.command("export-events")(export_events_cmd)
    app.command("import-events")(import_events_cmd)
