"""Roll-ups per stage and per source table.

Each table is checked on its own figures: a kegiatan subtotal printed in Tabel 3.2 is
compared with the sum of its sub-kegiatan *as Tabel 3.2 prints them*, never with the
value in force, which may come from another table. A stated subtotal is compared first
with the sum of the rows right under it (sub-kegiatan of a kegiatan, kegiatan of a
program, programs of the OPD); when those agree, with the sum of its sub-kegiatan, so a
wrong kegiatan subtotal carried up into a program or a grand total is reported there too.

The same functions serve the triwulan roll-ups (``triwulan.py``) and the prakiraan maju
roll-ups (``forward.py``): a roll-up is defined by a ``Figure``, the value a row has in
the table (or triwulan) being checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ledger.basis import Stage
from ledger.i18n import N_, _
from ledger.kode import Level
from ledger.line_state import LineState, PaguStatement
from projections.checks.model import (
    PLAN_YEAR_STAGES,
    Finding,
    Severity,
    TableKey,
    finding,
    from_document,
    label,
    level_word,
    rp,
    signed,
    table_key,
    where,
)
from projections.checks.registry import rule
from projections.hierarchy import Node, build_tree, computed, walk
from projections.timeline import PlanView, stated_totals

Figure = Callable[[LineState], int | None]


@dataclass(frozen=True)
class Gap:
    computed: int
    rows: str  # what was summed, in words: "sub-kegiatan", "kegiatan", "programs"


# --- reading the view ------------------------------------------------------------------

def statement_in(line: LineState, stage: Stage, key: TableKey) -> PaguStatement | None:
    figures = line.figures(stage)
    found = [s for s in figures.statements if table_key(s.source) == key] if figures else []
    return found[-1] if found else None


def pagu_in(stage: Stage, key: TableKey) -> Figure:
    def figure(line: LineState) -> int | None:
        statement = statement_in(line, stage, key)
        return None if statement is None else statement.rupiah

    return figure


def table_keys(view: PlanView, stage: Stage) -> list[TableKey]:
    """Every document table that states a pagu or an OPD total at this stage."""
    sources = [s.source for line in view.lines.values() if (f := line.figures(stage)) for s in f.statements]
    sources += [total.source for total in stated_totals(view, stage)]
    keys = {table_key(source) for source in sources if from_document(source)}
    return sorted(keys, key=lambda key: (key[0] or "", key[1] or ""))


# --- sums --------------------------------------------------------------------------------

def total_of(values: Iterable[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def rows_word(nodes: list[Node]) -> str:
    levels = {node.level for node in nodes}
    return level_word(levels.pop(), plural=True) if len(levels) == 1 else _("rows")


def gap(stated: int, children: list[Node], figure: Figure) -> Gap | None:
    """How a stated subtotal differs from its rows: the rows right under it, then its sub-kegiatan."""
    counted = [child for child in children if figure(child.line) is not None]
    direct = total_of(figure(child.line) for child in counted)
    if direct is None:
        return None
    if direct != stated:
        return Gap(direct, rows_word(counted))
    leaves = total_of(computed(child, figure) for child in children)
    if leaves is not None and leaves != stated:
        return Gap(leaves, level_word(Level.SUB_KEGIATAN, plural=True))
    return None


def subtotal_gaps(roots: list[Node], figure: Figure) -> Iterator[tuple[Node, int, Gap]]:
    """Every kegiatan or program whose figure is not the sum of its rows' figures."""
    for node in walk(roots):
        stated = figure(node.line) if node.level is not Level.SUB_KEGIATAN else None
        found = gap(stated, node.children, figure) if stated is not None else None
        if found is not None and stated is not None:
            yield node, stated, found


# --- findings ----------------------------------------------------------------------------

def subtotal_findings(view: PlanView, stage: Stage, rule_id: str) -> Iterator[Finding]:
    roots = build_tree(view.lines)
    for key in table_keys(view, stage):
        for node, stated, found in subtotal_gaps(roots, pagu_in(stage, key)):
            statement = statement_in(node.line, stage, key)
            source = statement.source if statement else None
            yield finding(
                rule_id, Severity.ERROR,
                _("{where} states {line} at {stated} ({stage}), but its {rows} in the same table sum to "
                  "{computed}, a difference of {difference}.").format(
                    where=where(source), line=label(node.line), stated=rp(stated), stage=stage.label, rows=found.rows,
                    computed=rp(found.computed), difference=signed(stated - found.computed)),
                lines=[node.line], sources=[source], stated=stated, computed=found.computed)


def total_findings(view: PlanView, stage: Stage, rule_id: str) -> Iterator[Finding]:
    roots = build_tree(view.lines)
    for total in stated_totals(view, stage):
        if total.rupiah is None or not from_document(total.source):
            continue
        found = gap(total.rupiah, roots, pagu_in(stage, table_key(total.source)))
        if found is not None:
            yield finding(
                rule_id, Severity.ERROR,
                _("{where} states the OPD total ({label}) at {stated} ({stage}), but the {rows} in the same table "
                  "sum to {computed}, a difference of {difference}.").format(
                    where=where(total.source), label=total.label, stated=rp(total.rupiah), stage=stage.label,
                    rows=found.rows, computed=rp(found.computed), difference=signed(total.rupiah - found.computed)),
                lines=[total.line] if total.line else [], sources=[total.source],
                stated=total.rupiah, computed=found.computed)


def agreement_findings(view: PlanView, stage: Stage, rule_id: str) -> Iterator[Finding]:
    """Stated OPD totals of one stage that disagree with the total most often stated (on a tie,
    a table's own total row over its urusan/bidang heading)."""
    totals = [t for t in stated_totals(view, stage) if t.rupiah is not None]
    counts = Counter(t.rupiah for t in totals)
    if len(counts) < 2:
        return
    reference = max(range(len(totals)), key=lambda i: (counts[totals[i].rupiah], totals[i].line is None, i))
    agreeing = [t for t in totals if t.rupiah == totals[reference].rupiah]
    for total in totals:
        if total.rupiah == totals[reference].rupiah or total.rupiah is None:
            continue
        other = next((t for t in agreeing if table_key(t.source) == table_key(total.source)), agreeing[0])
        assert other.rupiah is not None
        yield finding(
            rule_id, Severity.ERROR,
            _("{where} states the OPD total ({label}) at {stated} ({stage}), but {other_where} ({other_label}) "
              "states {other}, a difference of {difference}.").format(
                where=where(total.source), label=total.label, stated=rp(total.rupiah), stage=stage.label,
                other_where=where(other.source), other_label=other.label, other=rp(other.rupiah),
                difference=signed(total.rupiah - other.rupiah)),
            lines=[t.line for t in (total, other) if t.line], sources=[total.source, other.source],
            stated=total.rupiah, computed=other.rupiah)


# --- rules -------------------------------------------------------------------------------

@rule("rollup", N_("Subtotal against its rows"),
      N_("Each kegiatan and program subtotal a table states equals the sum of its rows in that table."))
def check_rollup(view: PlanView) -> Iterator[Finding]:
    for stage in PLAN_YEAR_STAGES:
        yield from subtotal_findings(view, stage, "rollup")


@rule("rollup-total", N_("OPD total against its programs"),
      N_("Each OPD total a table states equals the sum of the programs in that table."))
def check_rollup_total(view: PlanView) -> Iterator[Finding]:
    for stage in PLAN_YEAR_STAGES:
        yield from total_findings(view, stage, "rollup-total")


@rule("total-agreement", N_("OPD totals disagree"),
      N_("The OPD totals stated for one stage agree with each other."))
def check_total_agreement(view: PlanView) -> Iterator[Finding]:
    for stage in PLAN_YEAR_STAGES:
        yield from agreement_findings(view, stage, "total-agreement")
