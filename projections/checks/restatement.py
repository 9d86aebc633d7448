"""Restatement: one line, one stage, two different figures from two tables or documents.

Tables of one document (Tabel 3.2 and Tabel 2.3 of a Renja Perubahan) and documents of
one stage are meant to agree. Each earlier statement is compared with the latest one, the
figure in force. A ``PaguRevised`` or a figure recorded by a command is a deliberate
revision, not a restatement, and is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import eq
from typing import TypeVar

from ledger.basis import Source, Stage
from ledger.document import DocumentKind
from ledger.i18n import N_, _
from ledger.kode import Level
from ledger.line_events import Role
from ledger.line_state import LineState
from ledger.target import Satuan, Target
from projections.checks.model import (
    Finding,
    Severity,
    TableKey,
    finding,
    from_document,
    label,
    ordered_lines,
    role_word,
    rp,
    signed,
    table_key,
    target_claims,
    where,
)
from projections.checks.registry import rule
from projections.hierarchy import build_tree, plan_in_force, walk
from projections.timeline import PlanView

T = TypeVar("T")
Claim = tuple[T, Source]


def disagreements(claims: list[tuple[T, Source]], agree: Callable[[T, T], bool]) -> Iterator[tuple[Claim[T], Claim[T]]]:
    """(earlier claim, latest claim) for each earlier claim of another table that disagrees."""
    if len(claims) < 2:
        return
    latest = claims[-1]
    for claim in claims[:-1]:
        if table_key(claim[1]) != table_key(latest[1]) and not agree(claim[0], latest[0]):
            yield claim, latest


def claimed(source: Source | None) -> bool:
    """A document's statement that other documents of the stage should agree with. A SIPD sync
    records only what SIPD changed since its previous sync: each is a revision, like a command's."""
    return from_document(source) and source is not None and source.kind != DocumentKind.SIPD.value


def pagu_claims(line: LineState, stage: Stage) -> list[tuple[int, Source]]:
    figures = line.figures(stage)
    statements = figures.statements if figures else []
    return [(s.rupiah, s.source) for s in statements if s.event_type != "PaguRevised" and claimed(s.source)]


def same_count(first: Target, second: Target) -> bool:
    """Targets that agree, or that this rule leaves to the unit rule (two different satuan)."""
    units = {first.satuan, second.satuan}
    return first.nilai == second.nilai or (len(units) > 1 and Satuan.TANPA not in units)


@rule("restatement-pagu", N_("Pagu restated differently"),
      N_("Two tables or documents give one line the same stage's pagu alike."))
def check_restatement_pagu(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for stage in Stage:
            for (stated, source), (other, other_source) in disagreements(pagu_claims(line, stage), eq):
                yield finding(
                    "restatement-pagu", Severity.ERROR,
                    _("{where} states {line} at {stated} ({stage}), but {other_where} states {other}, a difference "
                      "of {difference}.").format(
                        where=where(source), line=label(line), stated=rp(stated), stage=stage.label,
                        other_where=where(other_source), other=rp(other), difference=signed(stated - other)),
                    lines=[line], sources=[source, other_source], stated=stated, computed=other)


@rule("restatement-target", N_("Target restated differently"),
      N_("Two tables or documents give one line the same stage's target alike."))
def check_restatement_target(view: PlanView) -> Iterator[Finding]:
    for line in ordered_lines(view):
        for stage in Stage:
            claims = target_claims(line, stage)
            for role in Role:
                mine = [(target, source) for r, target, source in claims
                        if r is role and source is not None and claimed(source)]
                for (target, source), (other, other_source) in disagreements(mine, same_count):
                    yield finding(
                        "restatement-target", Severity.ERROR,
                        _("{where} states the {stage} target{role} of {line} as {target}, but {other_where} "
                          "states {other}.").format(
                            where=where(source), stage=stage.label, role=role_word(role), line=label(line),
                            target=target, other_where=where(other_source), other=other),
                        lines=[line], sources=[source, other_source])


def pagu_tables(view: PlanView, stage: Stage) -> set[TableKey]:
    """The document tables that state a pagu of this stage for some line."""
    return {table_key(source) for line in view.lines.values() for _, source in pagu_claims(line, stage)}


def printed_row(line: LineState, stage: Stage, key: TableKey) -> Source | None:
    """The row of a table that prints the line without its pagu (it states a target there)."""
    return next((source for _, _, source in target_claims(line, stage)
                 if source is not None and table_key(source) == key), None)


@rule("restatement-missing", N_("Pagu missing from one table"),
      N_("A table that states a stage's pagu for the lines of its document states it for "
         "each line that another table of the document gives a pagu."))
def check_restatement_missing(view: PlanView) -> Iterator[Finding]:
    for stage in Stage:
        tables = pagu_tables(view, stage)
        for line in ordered_lines(view):
            claims = pagu_claims(line, stage) if line.level.rank > Level.BIDANG.rank else []
            stated = {table_key(source) for _amount, source in claims}
            for key in sorted(k for k in tables - stated if k[0] in {d for d, _table in stated}):
                amount, source = claims[-1]
                row = printed_row(line, stage, key)
                omits = (_("{where} prints {line} without a {stage} pagu").format(
                             where=where(row), line=label(line), stage=stage.label) if row
                         else _("{table} has no row for {line}").format(table=key[1], line=label(line)))
                yield finding("restatement-missing", Severity.WARNING,
                              _("{omits}, while {where} states its {stage} pagu at {amount}.").format(
                                  omits=omits, where=where(source), stage=stage.label, amount=rp(amount)),
                              lines=[line], sources=[source, row], stated=amount)


@rule("not-restated", N_("Line not restated in the perubahan"),
      N_("A line that no perubahan statement restates stays in force at its murni pagu (docs/stages.md): "
         "each such line is named, for the perencana to confirm it or withdraw it."))
def check_not_restated(view: PlanView) -> Iterator[Finding]:
    tables = pagu_tables(view, Stage.PERUBAHAN)
    if not tables:  # no perubahan in force yet: the whole plan is the murni, nothing to name
        return
    named = ", ".join(sorted({_("{table} of {document}").format(table=table or "-", document=document or "-")
                              for document, table in tables}))
    roots = build_tree(view.lines)
    in_force = plan_in_force(roots)
    for node in walk(roots):
        line = node.line
        if not (in_force[line.key].carried and in_force[line.key].counts):
            continue
        murni = pagu_claims(line, Stage.MURNI)
        amount = int(line.pagu(Stage.MURNI) or 0)
        source = murni[-1][1] if murni else None
        yield finding("not-restated", Severity.WARNING,
                      _("{tables} does not restate {line}: its murni pagu of {amount} ({where}) stays in force, "
                        "in Tabel 3.2, in diff and in every total.").format(
                          tables=named, line=label(line), amount=rp(amount), where=where(source)),
                      lines=[line], sources=[source], stated=amount)
