"""The year as it is spent: the anggaran kas against the pagu and the triwulan plan, and every
revision against what was already realised when it took effect (the classic audit finding).

The anggaran kas of a stage is set against the pagu of the same stage; the perubahan's kas,
when there is one, is the kas in force. What was realised "by a date" is every realisasi
statement effective on or before it (``Pelaksanaan.realised_upto(..., by=)``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.basis import PLAN_STAGES
from ledger.i18n import N_, _
from ledger.line_state import LineState
from ledger.pelaksanaan import Pelaksanaan
from ledger.periode import MONTHS, ROMAN
from ledger.tanggal import tanggal
from projections.checks.model import Finding, Severity, finding, label, lines_and_rekening, rp, signed
from projections.checks.registry import rule
from projections.execution import execution, pagu_changes
from projections.timeline import PlanView


def _executed(view: PlanView) -> Iterator[tuple[LineState, Pelaksanaan]]:
    found = execution(view)
    for line in lines_and_rekening(view):
        if line.key in found:
            yield line, found[line.key]


@rule("kas-pagu", N_("Anggaran kas against the pagu"),
      N_("The months of an anggaran kas add up to the pagu of its stage."))
def check_kas_pagu(view: PlanView) -> Iterator[Finding]:
    for line, done in _executed(view):
        for stage, plan in done.kas.items():
            pagu = line.pagu(stage)
            total = sum(plan.bulan)
            if pagu is not None and total != pagu:
                yield finding("kas-pagu", Severity.ERROR,
                              _("The anggaran kas ({stage}) of {line} adds up to {total}, but its {stage} pagu is "
                                "{pagu}, a difference of {difference}.").format(
                                  stage=stage.label, line=label(line), total=rp(total), pagu=rp(pagu),
                                  difference=signed(total - pagu)),
                              lines=[line], sources=[plan.source], stated=total, computed=int(pagu))


@rule("kas-triwulan", N_("Anggaran kas against the Rencana Aksi triwulan"),
      N_("Each triwulan of an anggaran kas equals the triwulan of the Rencana Aksi."))
def check_kas_triwulan(view: PlanView) -> Iterator[Finding]:
    for line, done in _executed(view):
        for stage, plan in done.kas.items():
            figures = line.figures(stage)
            for index, slot in enumerate(figures.triwulan or [] if figures else []):
                kas = plan.triwulan(index + 1)
                if slot.rupiah is not None and kas != slot.rupiah:
                    yield finding("kas-triwulan", Severity.WARNING,
                                  _("The anggaran kas ({stage}) of {line} plans {kas} in triwulan {triwulan}, the "
                                    "triwulan plan {planned}.").format(stage=stage.label, line=label(line), kas=rp(kas),
                                                                       triwulan=ROMAN[index], planned=rp(slot.rupiah)),
                                  lines=[line], sources=[plan.source, figures.triwulan_source if figures else None],
                                  stated=kas, computed=int(slot.rupiah))


@rule("kas-below-realisasi", N_("Anggaran kas below realisasi"),
      N_("No anggaran kas plans less, up to a month, than was already realised."))
def check_kas_below_realisasi(view: PlanView) -> Iterator[Finding]:
    for line, done in _executed(view):
        for plan in done.kas_statements:
            for month in range(1, 13):
                realised = done.realised_upto(view.tahun, month, by=plan.effective_on)
                if plan.upto(month) < realised:
                    yield finding("kas-below-realisasi", Severity.ERROR,
                                  _("The anggaran kas ({stage}) of {line} stated on {day} plans {planned} up to "
                                    "{month}, but {realised} was already realised by then.").format(
                                      stage=plan.stage.label, line=label(line), day=tanggal(plan.effective_on),
                                      planned=rp(plan.upto(month)), month=_(MONTHS[month - 1]), realised=rp(realised)),
                                  lines=[line], sources=[plan.source], stated=plan.upto(month), computed=realised)
                    break


@rule("revision-below-realisasi", N_("Revision below realisasi"),
      N_("No revision leaves a pagu below what was already realised when it took effect."))
def check_revision_below_realisasi(view: PlanView) -> Iterator[Finding]:
    for line, done in _executed(view):
        for change in pagu_changes(line):
            realised = done.realised_upto(view.tahun, by=change.day)
            if change.pagu < realised:
                yield finding("revision-below-realisasi", Severity.ERROR,
                              _("From {day} the pagu in force ({stage}) of {line} is {pagu}, but {realised} was "
                                "already realised by that date: {difference} spent beyond the plan.").format(
                                  day=tanggal(change.day), stage=change.stage.label, line=label(line),
                                  pagu=rp(change.pagu), realised=rp(realised),
                                  difference=rp(realised - change.pagu)),
                              lines=[line], sources=[change.source], stated=change.pagu, computed=realised)


@rule("realisasi-above-pagu", N_("Realisasi above the pagu"),
      N_("A year's realisasi stays within the pagu in force."))
def check_realisasi_above_pagu(view: PlanView) -> Iterator[Finding]:
    for line, done in _executed(view):
        pagu = line.pagu_in_force
        realised = done.realised_upto(view.tahun)
        if pagu is not None and realised > pagu and line.stage_in_force in PLAN_STAGES:
            sources = [entry.source for (year, _key), entry in sorted(done.keuangan.items()) if year == view.tahun]
            yield finding("realisasi-above-pagu", Severity.WARNING,
                          _("{line} realised {realised} in {tahun}, above its pagu in force of {pagu}.").format(
                              line=label(line), realised=rp(realised), tahun=view.tahun, pagu=rp(pagu)),
                          lines=[line], sources=sources[-1:], stated=realised, computed=int(pagu))
