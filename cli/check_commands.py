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

from typing import Annotated

import typer

from cli.context import settings
from cli.options import AsOfOpt, CsvSepOpt, FormatOpt, KnownAtOpt, OutputOpt, PaperOpt
from cli.render import Format, Paper, emit
from ledger.errors import LedgerError
from ledger.i18n import _

StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit with status 1 when any finding is an error.")]


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
    checked = ctx_settings.read.check(opd, tahun, as_of=as_of, known_at=known_at)
    if not checked.view.lines:
        raise LedgerError(_("the ledger knew no line of {opd} {tahun} at that point in time").format(opd=opd, tahun=tahun))
    emit(checked.rendered(), fmt, output, paper=paper, csv_separator=csv_sep)
    if strict and checked.errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
