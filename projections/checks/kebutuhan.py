"""Kebutuhan: the office's hasil analisis kebutuhan (Tabel 2.3) against its Renja Perubahan.

Tabel 3.2 of a Renja Perubahan formulates the plan from the needs analysis of Tabel 2.3,
so for each line the two are meant to agree. Where both come from one document, a
difference is the document contradicting itself (error); where the perubahan comes from
a later document (an RKPA or DPPA that trimmed the needs), it is shown as a warning.
The figures compared are the latest each document states, never a command's revision.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.basis import Source, Stage
from ledger.i18n import N_, _
from ledger.kode import Level
from ledger.line_events import Role
from ledger.line_state import LineState
from ledger.target import Target
from projections.checks.model import (
    Finding,
    Severity,
    finding,
    from_document,
    label,
    ordered_lines,
    rp,
    signed,
    table_key,
    target_claims,
    where,
)
from projections.checks.registry import rule
from projections.checks.restatement import pagu_claims, printed_row
from projections.timeline import PlanView


def severity(first: Source, second: Source) -> Severity:
    same_document = first.document_id is not None and first.document_id == second.document_id
    return Severity.ERROR if same_document else Severity.WARNING


def own_target_claim(line: LineState, stage: Stage) -> tuple[Target, Source] | None:
    claims = [(target, source) for role, target, source in target_claims(line, stage)
              if role is Role.OWN and source is not None and from_document(source)]
    return claims[-1] if claims else None


def money_lines(view: PlanView) -> list[LineState]:
    return [line for line in ordered_lines(view) if line.level.rank > Level.BIDANG.rank]


@rule("kebutuhan-pagu", N_("Pagu against the kebutuhan dana"),
      N_("The Renja Perubahan states each line's pagu at the office's kebutuhan dana (Tabel 2.3)."))
def check_kebutuhan_pagu(view: PlanView) -> Iterator[Finding]:
    for line in money_lines(view):
        needs, plan = pagu_claims(line, Stage.KEBUTUHAN), pagu_claims(line, Stage.PERUBAHAN)
        if not needs or not plan or needs[-1][0] == plan[-1][0]:
            continue
        (kebutuhan, need_source), (perubahan, plan_source) = needs[-1], plan[-1]
        yield finding(
            "kebutuhan-pagu", severity(need_source, plan_source),
            _("{where} states {line} at {stated} (perubahan), but {need_where} states its kebutuhan dana at {need}, "
              "a difference of {difference}.").format(
                where=where(plan_source), line=label(line), stated=rp(perubahan), need_where=where(need_source),
                need=rp(kebutuhan), difference=signed(perubahan - kebutuhan)),
            lines=[line], sources=[plan_source, need_source], stated=perubahan, computed=kebutuhan)


@rule("kebutuhan-target", N_("Target against the kebutuhan analysis"),
      N_("The Renja Perubahan states each line's target as the kebutuhan analysis does."))
def check_kebutuhan_target(view: PlanView) -> Iterator[Finding]:
    for line in money_lines(view):
        need = own_target_claim(line, Stage.KEBUTUHAN)
        plan = own_target_claim(line, Stage.PERUBAHAN)
        # Unlike a restatement, a different satuan is reported here too: within one
        # document the needs and the plan count the same output.
        if need is None or plan is None or (need[0].nilai, need[0].satuan) == (plan[0].nilai, plan[0].satuan):
            continue
        yield finding(
            "kebutuhan-target", severity(need[1], plan[1]),
            _("{where} states the perubahan target of {line} as {target}, but {need_where} states the kebutuhan "
              "target as {need}.").format(
                where=where(plan[1]), line=label(line), target=plan[0], need_where=where(need[1]), need=need[0]),
            lines=[line], sources=[plan[1], need[1]])


@rule("kebutuhan-missing", N_("Kebutuhan or perubahan pagu missing"),
      N_("A document that states both kebutuhan and perubahan pagu states both for each line."))
def check_kebutuhan_missing(view: PlanView) -> Iterator[Finding]:
    pairs = ((Stage.KEBUTUHAN, Stage.PERUBAHAN), (Stage.PERUBAHAN, Stage.KEBUTUHAN))
    stating = {stage: {source.document_id for line in view.lines.values() for _amount, source in pagu_claims(line, stage)}
               for stage in (Stage.KEBUTUHAN, Stage.PERUBAHAN)}
    for line in money_lines(view):
        for has, lacks in pairs:
            claims = pagu_claims(line, has)
            if not claims or pagu_claims(line, lacks):
                continue
            amount, source = claims[-1]
            if source.document_id not in stating[lacks]:
                continue
            tables = {table_key(s) for other in view.lines.values() for _amount, s in pagu_claims(other, lacks)
                      if s.document_id == source.document_id}
            rows = [row for key in sorted(tables, key=str) if (row := printed_row(line, lacks, key))]
            omits = (_("{where} prints {line} without a {stage} pagu").format(
                         where=where(rows[0]), line=label(line), stage=lacks.label) if rows
                     else _("{table} has no row for {line}").format(
                         table=", ".join(sorted(str(k[1]) for k in tables)), line=label(line)))
            yield finding("kebutuhan-missing", Severity.WARNING,
                          _("{omits}, while {where} states its {stage} pagu at {amount}.").format(
                              omits=omits, where=where(source), stage=has.label, amount=rp(amount)),
                          lines=[line], sources=[source, rows[0] if rows else None], stated=amount)
