"""Kode: codes of the line's level (Permendagri 90/2019, or 13/2006 as its document printed
them), their parents, their uniqueness. A kode is compared by its identity (``kode_identity``:
``1.08.1.08.01.01.01.`` names ``1.08.01.01``).

A line opened from a row that printed no kode is kept by its name (rule 3 of the import);
it is reported so that someone records its kode when a document gives one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ledger.basis import Source, Stage
from ledger.errors import InvalidValue
from ledger.i18n import N_, _
from ledger.kode import Kode, Level, kode_identity
from ledger.line_state import LineState
from projections.checks.model import Finding, Severity, finding, joined, label, ordered_lines, target_claims
from projections.checks.registry import rule
from projections.timeline import PlanView


def parsed(line: LineState) -> Kode | None:
    try:
        return Kode.read(line.kode, line.level) if line.kode else None
    except InvalidValue:
        return None


def line_sources(line: LineState) -> list[Source]:
    """Where the line's figures were printed: every pagu and target statement, any stage."""
    found: list[Source] = []
    for stage in Stage:
        figures = line.figures(stage)
        found += [s.source for s in figures.statements] if figures else []
        found += [source for _, _, source in target_claims(line, stage) if source is not None]
    return found


@rule("kode-format", N_("Malformed kode"),
      N_("Each kode is a well-formed code of the line's level, of Permendagri 90/2019 or (documents "
         "before 2020) of Permendagri 13/2006."))
def check_kode_format(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        kode = parsed(line)
        if line.kode and kode is None:
            problem = _("is not a code of Permendagri 90/2019 (urusan.bidang.program.kegiatan.sub-kegiatan) nor of "
                        "Permendagri 13/2006 (urusan.program.kegiatan)")
        elif kode is not None and kode.level is not line.level:
            problem = _("is a {kode_level} code, but the line is a {line_level}").format(
                kode_level=kode.level.value, line_level=line.level.value)
        else:
            continue
        yield finding("kode-format", Severity.ERROR,
                      _("The kode {kode} of {nama} {problem}.").format(kode=line.kode, nama=line.nama, problem=problem),
                      lines=[line], sources=line_sources(line)[:1])


def parent_problem(line: LineState, view: PlanView, by_kode: dict[str, LineState]) -> str | None:
    kode = parsed(line)
    if line.parent_key is not None and line.parent_key not in view.lines:
        return _("its parent line {parent!r} is not in the plan").format(parent=line.parent_key)
    # A kegiatan needs its program and a sub-kegiatan its kegiatan; the urusan and bidang
    # rows only carry stated totals, and a document (a Rencana Aksi) may print none.
    if kode is None or kode.parent is None or kode.level.rank <= Level.PROGRAM.rank:
        return None
    if str(kode.parent) not in by_kode:
        return _("no line of the plan has its parent kode {parent}").format(parent=kode.parent)
    holder = view.lines.get(line.parent_key) if line.parent_key else None
    if holder is not None and holder.kode and kode_identity(holder.kode) != str(kode.parent):
        return _("it is filed under {holder}, but its kode says its parent is {parent}").format(
            holder=label(holder), parent=kode.parent)
    return None


@rule("kode-parent", N_("Parent line missing"),
      N_("The parent of each line (its program or kegiatan by kode, its registered parent) is a line of the plan."))
def check_kode_parent(view: PlanView) -> Iterator[Finding]:
    by_kode = {kode_identity(line.kode): line for line in view.lines.values() if line.kode}
    for line in ordered_lines(view):
        problem = parent_problem(line, view, by_kode)
        if problem is not None:
            yield finding("kode-parent", Severity.ERROR, f"{label(line)}: {problem}.",
                          lines=[line], sources=line_sources(line)[:1])


@rule("kode-duplicate", N_("Kode used twice"),
      N_("No two lines of a plan share one kode."))
def check_kode_duplicate(view: PlanView) -> Iterator[Finding]:
    holders: dict[str, list[LineState]] = defaultdict(list)
    for line in ordered_lines(view):
        if line.kode:
            holders[kode_identity(line.kode)].append(line)
    for kode, lines in holders.items():
        if len(lines) > 1:
            names = joined(f"'{line.nama}'" for line in lines)
            yield finding("kode-duplicate", Severity.ERROR,
                          _("The kode {kode} belongs to {count} lines: {names}.").format(kode=kode, count=len(lines), names=names),
                          lines=lines, sources=[s for line in lines for s in line_sources(line)[:1]])


@rule("kode-missing", N_("Line without a kode"),
      N_("Each line has a kode; a line known only by its name is reported."))
def check_kode_missing(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        if not line.kode:
            yield finding("kode-missing", Severity.INFO,
                          _("{line} is known only by its name: no document printed its kode.").format(line=label(line)),
                          lines=[line], sources=line_sources(line))
