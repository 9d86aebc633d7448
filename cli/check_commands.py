"""`renja check`: find and explain every inconsistency of a plan.

JSON contract (``--format json``)::

    {"findings": [
        {"rule": "rollup", "severity": "error", "kodes": ["7.01.01.2.05"],
         "sources": ["<document> (<date>), Tabel 2.3 (...), row 15 (printed '25.294.550')"],
         "message": "Tabel 2.3 (...) row 15 states kegiatan 7.01.01.2.05 ... at 25.294.550 ...",
         "stated": 25294550, "computed": 18994550, "difference": 6300000}, ...],
     "summary": {"report": "check", "opd": "...", "tahun": 2024, "as_of": null, "known_at": null,
                 "total": 101, "by_severity": {"error": 48, "warning": 47, "info": 6},
                 "by_rule": {"rollup": 8, "rollup-total": 4, ...}}}

``severity`` is ``error`` (a stated sum differs from the computed one, or two statements
disagree), ``warning`` or ``info``. ``stated``/``computed``/``difference`` are whole Rupiah
or null; for two statements that disagree, ``computed`` is the other statement's figure.
``by_rule`` lists every registered rule, with 0 where it found nothing.

Exit code: 0 when no finding is an error, or without ``--strict``; 1 with ``--strict``
when any finding is an error; 2 for bad usage.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

import typer

from cli.context import settings
from cli.options import AsOfOpt, CsvSepOpt, FormatOpt, KnownAtOpt, OutputOpt, PaperOpt
from cli.render import Format, Paper, Rendered, emit
from ledger.errors import LedgerError
from ledger.i18n import _
from projections.checks import Finding, Severity, registered, run_checks
from projections.contract import header
from projections.forms import pemeriksaan
from projections.timeline import PlanView

StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit with status 1 when any finding is an error.")]



def summary(view: PlanView, findings: list[Finding]) -> dict[str, Any]:
    by_rule = Counter(f.rule for f in findings)
    by_severity = Counter(f.severity.value for f in findings)
    return {**header(view, "check"), "total": len(findings),
            "by_severity": {severity.value: by_severity[severity.value] for severity in Severity},
            "by_rule": {each.id: by_rule[each.id] for each in registered()}}


def render_findings(view: PlanView, findings: list[Finding]) -> Rendered:
    facts = summary(view, findings)
    payload = {"findings": [f.to_json() for f in findings], "summary": facts}
    counts = ", ".join(f"{n} {_(severity)}" for severity, n in facts["by_severity"].items())
    line = _("{count} findings: {counts}").format(count=len(findings), counts=counts)
    return Rendered(payload, pemeriksaan(view, [f.to_json() for f in findings], line))


def check(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    known_at: KnownAtOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    paper: PaperOpt = Paper.A4,
    csv_sep: CsvSepOpt = ",",
    strict: StrictOpt = False,
) -> None:
    """Find and explain every inconsistency of the plan: roll-ups, triwulan, restatements, units, kodes."""
    ctx_settings = settings(ctx)
    opd, tahun = ctx_settings.plan()
    view = ctx_settings.read.plan_view(opd, tahun, as_of=as_of, known_at=known_at)
    if not view.lines:
        raise LedgerError(_("the ledger knew no line of {opd} {tahun} at that point in time").format(opd=opd, tahun=tahun))
    findings = run_checks(view)
    emit(render_findings(view, findings), fmt, output, paper=paper, csv_separator=csv_sep)
    if strict and any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
