"""Triwulan: the quarterly split of a stage's pagu (the Rencana Aksi).

A line's four triwulan Rp add up to its annual pagu; a parent's triwulan Rp are the sums
of its rows'; a footer's triwulan totals are the sums of the rows. An empty triwulan cell
of a row that is allocated counts as 0. The triwulan targets agree with the annual
target, either as a running total (2 + 2 + 3 + 3 = 10) or as a level (18 every quarter).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ledger.basis import Source, Stage
from ledger.i18n import N_, _
from ledger.kode import Level
from ledger.line_events import Role, TwSlot
from ledger.line_state import LineState
from ledger.periode import ROMAN
from ledger.target import Target
from projections.checks.model import Finding, Severity, finding, joined, label, ordered_lines, rp, signed, where
from projections.checks.registry import rule
from projections.checks.rollup import Figure, gap, subtotal_gaps, total_of
from projections.hierarchy import Node, build_tree, walk
from projections.timeline import PlanView, StatedTotal, stated_totals

TW_STAGES = (Stage.MURNI, Stage.PERUBAHAN)


def slots(line: LineState, stage: Stage) -> list[TwSlot] | None:
    figures = line.figures(stage)
    return figures.triwulan if figures else None


def tw_figure(stage: Stage, index: int) -> Figure:
    def figure(line: LineState) -> int | None:
        allocated = slots(line, stage)
        return None if allocated is None else allocated[index].rupiah or 0

    return figure


def tw_total(line: LineState, stage: Stage) -> int | None:
    allocated = slots(line, stage)
    return None if allocated is None else sum(slot.rupiah or 0 for slot in allocated)


def row_source(line: LineState, stage: Stage) -> Source | None:
    """The row that split the line over triwulan (else the row of its pagu at that stage)."""
    figures = line.figures(stage)
    if figures is None:
        return None
    if figures.triwulan_source is not None:
        return figures.triwulan_source.model_copy(update={"printed": None})
    return figures.statements[-1].source.model_copy(update={"printed": None}) if figures.statements else None


def footers(view: PlanView, stage: Stage) -> list[StatedTotal]:
    return [t for t in stated_totals(view, stage) if t.triwulan is not None]


def footer_tw(total: StatedTotal) -> list[int]:
    return [amount or 0 for amount in total.triwulan or ()]


def romans(indexes: list[int]) -> str:
    """'I, II and IV'."""
    names = [ROMAN[i] for i in indexes]
    return joined(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""


# --- Rp ------------------------------------------------------------------------------------

@rule("triwulan-sum", N_("Triwulan against the annual figure"),
      N_("The four triwulan Rp of a row (or of the footer) add up to its annual figure."))
def check_triwulan_sum(view: PlanView) -> Iterator[Finding]:
    for stage in TW_STAGES:
        for line in ordered_lines(view):
            quarters, annual = tw_total(line, stage), line.pagu(stage)
            if quarters is not None and annual is not None and quarters != annual:
                yield finding(
                    "triwulan-sum", Severity.ERROR,
                    _("{where} gives {line} an annual pagu of {annual} ({stage}), but its four triwulan Rp add up "
                      "to {quarters}, a difference of {difference}.").format(
                        where=where(row_source(line, stage)), line=label(line), annual=rp(annual), stage=stage.label,
                        quarters=rp(quarters), difference=signed(annual - quarters)),
                    lines=[line], sources=[row_source(line, stage)], stated=annual, computed=quarters)
        for total in footers(view, stage):
            quarters = sum(footer_tw(total))
            if total.rupiah is not None and quarters != total.rupiah:
                yield finding(
                    "triwulan-sum", Severity.ERROR,
                    _("{where} states the OPD total ({label}) at {stated}, but its four triwulan totals add up to "
                      "{quarters}, a difference of {difference}.").format(
                        where=where(total.source), label=total.label, stated=rp(total.rupiah), quarters=rp(quarters),
                        difference=signed(total.rupiah - quarters)),
                    sources=[total.source], stated=total.rupiah, computed=quarters)


@rule("triwulan-rollup", N_("Triwulan subtotal against its rows"),
      N_("Each triwulan Rp of a kegiatan, program or footer equals the sum of its rows' Rp."))
def check_triwulan_rollup(view: PlanView) -> Iterator[Finding]:
    roots = build_tree(view.lines)
    for stage in TW_STAGES:
        for index in range(4):
            figure = tw_figure(stage, index)
            for node, stated, found in subtotal_gaps(roots, figure):
                source = row_source(node.line, stage)
                yield finding(
                    "triwulan-rollup", Severity.ERROR,
                    _("{where} puts {stated} in triwulan {triwulan} ({stage}) for {line}, but its {rows} put "
                      "{computed} there, a difference of {difference}.").format(
                        where=where(source), stated=rp(stated), triwulan=ROMAN[index], stage=stage.label,
                        line=label(node.line), rows=found.rows, computed=rp(found.computed),
                        difference=signed(stated - found.computed)),
                    lines=[node.line], sources=[source], stated=stated, computed=found.computed)
            for total in footers(view, stage):
                stated = footer_tw(total)[index]
                missing = gap(stated, roots, figure)
                if missing is not None:
                    yield finding(
                        "triwulan-rollup", Severity.ERROR,
                        _("{where} states {stated} as the triwulan {triwulan} total ({label}), but the {rows} put "
                          "{computed} there, a difference of {difference}.").format(
                            where=where(total.source), stated=rp(stated), triwulan=ROMAN[index], label=total.label,
                            rows=missing.rows, computed=rp(missing.computed), difference=signed(stated - missing.computed)),
                        sources=[total.source], stated=stated, computed=missing.computed)


def left_out(parent_quarters: int, children: list[Node], stage: Stage) -> Iterator[tuple[LineState, int]]:
    """Rows whose whole triwulan money is missing from their parent's triwulan."""
    shortfall = (total_of(tw_total(child.line, stage) for child in children) or 0) - parent_quarters
    for child in children:
        amount = tw_total(child.line, stage)
        if shortfall > 0 and amount == shortfall:
            yield child.line, amount


def unallocated_message(line: LineState, parent: LineState, amount: int, stage: Stage,
                        footer: StatedTotal | None) -> str:
    also = _(", nor in those of the footer ({where})").format(where=where(footer.source)) if footer else ""
    return _("The {amount} that {line} puts in its triwulan ({stage}) is in none of the triwulan of {parent}{also}, "
             "though it is counted in the annual figures.").format(
        amount=rp(amount), line=label(line), stage=stage.label, parent=label(parent), also=also)


@rule("triwulan-unallocated", N_("Money in no triwulan"),
      N_("Money that sits in no triwulan: a row left out of its parent's triwulan, "
         "or a pagu with no triwulan split where the other rows have one."))
def check_triwulan_unallocated(view: PlanView) -> Iterator[Finding]:
    for stage in TW_STAGES:
        short_footers = {t.rupiah - sum(footer_tw(t)): t for t in footers(view, stage) if t.rupiah is not None}
        for node in walk(build_tree(view.lines)):
            quarters = tw_total(node.line, stage)
            for line, amount in left_out(quarters, node.children, stage) if quarters is not None else ():
                footer = short_footers.get(amount)
                yield finding("triwulan-unallocated", Severity.WARNING,
                              unallocated_message(line, node.line, amount, stage, footer),
                              lines=[line, node.line], sources=[row_source(line, stage), footer.source if footer else None],
                              stated=amount)
        if not any(slots(line, stage) for line in view.lines.values()):
            continue
        for line in ordered_lines(view):
            annual = line.pagu(stage)
            if annual and slots(line, stage) is None and line.level.rank > Level.BIDANG.rank:
                yield finding("triwulan-unallocated", Severity.WARNING,
                              _("{line} has a {stage} pagu of {annual} but no triwulan split, while other rows of "
                                "the same stage are split over triwulan.").format(
                                  line=label(line), stage=stage.label, annual=rp(annual)),
                              lines=[line], sources=[row_source(line, stage)], stated=annual)


# --- targets -------------------------------------------------------------------------------

def show(target: Target | None) -> str:
    return str(target) if target is not None else "-"


def targets_agree(annual: list[Decimal], quarterly: list[Decimal]) -> bool:
    running = all(value == sum(quarterly) for value in annual)
    level = all(value == quarter for value in annual for quarter in quarterly)
    return bool(annual) and bool(quarterly) and (running or level)


@rule("triwulan-target", N_("Triwulan targets against the annual target"),
      N_("The triwulan targets of a row agree with its annual and year-end targets, "
         "as a running total or as a level."))
def check_triwulan_target(view: PlanView) -> Iterator[Finding]:
    for stage in TW_STAGES:
        for line in ordered_lines(view):
            figures = line.figures(stage)
            if figures is None or figures.triwulan is None:
                continue
            own, year_end = figures.targets.get(Role.OWN), figures.targets.get(Role.YEAR_END)
            quarterly = [slot.target for slot in figures.triwulan]
            annual = [t.nilai for t in (own, year_end) if t is not None]
            present = [t.nilai for t in quarterly if t is not None]
            if (annual or present) and not targets_agree(annual, present):
                yield finding(
                    "triwulan-target", Severity.WARNING,
                    _("{where} gives {line} the target {own}, {quarters} in triwulan I to IV and {year_end} at year "
                      "end, which agree neither as a running total nor as a level.").format(
                        where=where(row_source(line, stage)), line=label(line), own=show(own),
                        quarters=" / ".join(show(t) for t in quarterly), year_end=show(year_end)),
                    lines=[line], sources=[row_source(line, stage)])


def activity_gaps(allocated: list[TwSlot]) -> tuple[list[int], list[int]]:
    """(triwulan with Rp but no target, triwulan with a target but no Rp)."""
    money = [bool(slot.rupiah) for slot in allocated]
    work = [slot.target is not None and slot.target.nilai != 0 for slot in allocated]
    return ([i for i in range(4) if money[i] and not work[i]], [i for i in range(4) if work[i] and not money[i]])


@rule("triwulan-activity", N_("Triwulan target without Rp, or Rp without target"),
      N_("In each triwulan a sub-kegiatan has both a target and Rp, or neither."))
def check_triwulan_activity(view: PlanView) -> Iterator[Finding]:
    for stage in TW_STAGES:
        for line in ordered_lines(view):
            allocated = slots(line, stage)
            if allocated is None or line.level is not Level.SUB_KEGIATAN:
                continue
            unearned, unfunded = activity_gaps(allocated)
            parts = [_("Rp but no target in triwulan {triwulan}").format(triwulan=romans(unearned)) if unearned else "",
                     _("a target but no Rp in triwulan {triwulan}").format(triwulan=romans(unfunded)) if unfunded else ""]
            if unearned or unfunded:
                yield finding(
                    "triwulan-activity", Severity.WARNING,
                    _("{where} gives {line} ({stage}) {what}.").format(
                        where=where(row_source(line, stage)), line=label(line), stage=stage.label,
                        what=joined(p for p in parts if p)),
                    lines=[line], sources=[row_source(line, stage)])
