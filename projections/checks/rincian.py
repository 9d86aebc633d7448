"""Rincian belanja: the accounts of each sub-kegiatan against the money stated above them.

A DPA/DPPA states the same money at several levels: each komponen (koefisien x harga, plus
PPN), each account, the totals of higher account levels (jenis, objek ...) and the
sub-kegiatan's pagu. Every level is kept as printed; these rules say where two levels do
not reconcile, and which account pergeseran lacks the decision its level requires (that both
sides of one net to zero is `shift-net`'s, for accounts as for sub-kegiatan).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ledger.basis import Stage
from ledger.i18n import N_, _
from ledger.line_events import RincianItem
from ledger.line_state import LineState
from ledger.pergeseran import REQUIRED, Authority, ShiftScope, fits
from ledger.rekening import KodeRekening
from projections.checks.model import Finding, Severity, finding, label, ordered_lines, ordered_rekening, rp, signed
from projections.checks.registry import rule
from projections.timeline import PlanView


def computed_jumlah(item: RincianItem) -> int | None:
    """koefisien x harga, plus PPN (an amount, or a percentage of it), to the whole Rupiah
    (half up); None when the komponen prints no koefisien or harga to compute from."""
    if item.koefisien is None or item.harga is None:
        return None
    base = item.koefisien * item.harga
    if item.ppn_persen is not None:
        base += base * item.ppn_persen / Decimal(100)
    total = int(base.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return total + (int(item.ppn) if item.ppn is not None else 0)


@rule("rincian-jumlah", N_("Komponen jumlah miscalculated"),
      N_("Each komponen's jumlah is its koefisien times its harga, plus PPN."))
def check_jumlah(view: PlanView) -> Iterator[Finding]:
    for account in ordered_rekening(view):
        for stage, figures in account.stages.items():
            for entry in figures.rincian:
                expected = computed_jumlah(entry.item)
                if expected is not None and expected != entry.item.jumlah:
                    yield finding("rincian-jumlah", Severity.ERROR,
                                  _("{account}, komponen {ke} ({komponen}) at the {stage} stage: jumlah {jumlah}, but "
                                    "koefisien x harga (+ PPN) gives {expected}.").format(
                                      account=label(account), ke=entry.ke, komponen=entry.item.komponen or "-",
                                      stage=stage.label, jumlah=rp(entry.item.jumlah), expected=rp(expected)),
                                  lines=[account], sources=[entry.source], stated=entry.item.jumlah, computed=expected)


@rule("rincian-rollup", N_("Sub-kegiatan pagu against its accounts"),
      N_("A sub-kegiatan's pagu equals the sum of its accounts."))
def check_rollup(view: PlanView) -> Iterator[Finding]:
    for sub in ordered_lines(view):
        accounts = view.rekening_of(sub.key)
        for stage in Stage:
            held = [int(amount) for a in accounts if (amount := a.pagu(stage)) is not None]
            stated = sub.pagu(stage)
            if not held or stated is None:
                continue
            total = sum(held)
            if total != stated:
                figures = sub.figures(stage)
                yield finding("rincian-rollup", Severity.ERROR,
                              _("{line}: the {stage} pagu is {stated}, but its {count} accounts add up to {total} "
                                "({difference}).").format(line=label(sub), stage=stage.label, stated=rp(stated),
                                                          count=len(held), total=rp(total),
                                                          difference=signed(stated - total)),
                              lines=[sub], sources=[s.source for s in (figures.statements[-1:] if figures else [])],
                              stated=stated, computed=total)


@rule("rincian-level-total", N_("Account level total against its accounts"),
      N_("Each total printed for an account level equals the sum of its accounts."))
def check_level_totals(view: PlanView) -> Iterator[Finding]:
    for sub in ordered_lines(view):
        parts = [(KodeRekening.read(a.kode).parts, a) for a in view.rekening_of(sub.key) if a.kode]
        for stage, figures in sub.stages.items():
            for total in figures.rekening_totals.values():
                prefix = KodeRekening.read(total.rekening).parts
                under = [a.pagu(stage) for own, a in parts if own[:len(prefix)] == prefix]
                computed = sum(int(amount) for amount in under if amount is not None)
                if computed != total.rupiah:
                    yield finding("rincian-level-total", Severity.ERROR,
                                  _("{line}: {rekening} {nama} is printed as {stated} at the {stage} stage, but its "
                                    "accounts add up to {computed} ({difference}).").format(
                                      line=label(sub), rekening=total.rekening, nama=total.nama or "",
                                      stated=rp(total.rupiah), stage=stage.label, computed=rp(computed),
                                      difference=signed(total.rupiah - computed)),
                                  lines=[sub], sources=[total.source], stated=total.rupiah, computed=computed)


@rule("rincian-change", N_("Printed change miscalculated"),
      N_("Each printed bertambah/(berkurang) equals the jumlah after less the jumlah before."))
def check_printed_change(view: PlanView) -> Iterator[Finding]:
    for account in ordered_rekening(view):
        for stage, figures in account.stages.items():
            before = _previous_stage_items(account, stage)
            for entry in figures.rincian:
                if entry.printed_change is None:
                    continue
                computed = entry.item.jumlah - before.get((entry.source.document_id, entry.ke), 0)
                if computed != entry.printed_change:
                    yield finding("rincian-change", Severity.WARNING,
                                  _("{account}, komponen {ke}: bertambah/(berkurang) is printed as {printed}, but the "
                                    "jumlah after less the jumlah before is {computed}.").format(
                                      account=label(account), ke=entry.ke, printed=signed(entry.printed_change),
                                      computed=signed(computed)),
                                  lines=[account], sources=[entry.source], stated=entry.printed_change,
                                  computed=computed)


def _previous_stage_items(account: LineState, stage: Stage) -> dict[tuple[object, int], int]:
    """The komponen jumlah the same document states *sebelum perubahan*, by (document, ke)."""
    found: dict[tuple[object, int], int] = {}
    for other, figures in account.stages.items():
        if other is stage:
            continue
        for entry in figures.rincian:
            if entry.source.is_sebelum:
                found[(entry.source.document_id, entry.ke)] = int(entry.item.jumlah)
    return found


@rule("rincian-not-restated", N_("Komponen do not add up to the account"),
      N_("An account's komponen add up to its amount (a pergeseran not yet detailed)."))
def check_not_restated(view: PlanView) -> Iterator[Finding]:
    for account in ordered_rekening(view):
        for stage, figures in account.stages.items():
            if not figures.rincian or figures.pagu is None:
                continue
            komponen = sum(int(entry.item.jumlah) for entry in figures.rincian)
            if komponen != figures.pagu:
                yield finding("rincian-not-restated", Severity.INFO,
                              _("{account} stands at {pagu} at the {stage} stage after pergeseran, but its komponen "
                                "still add up to {komponen}: the rincian is not yet restated.").format(
                                  account=label(account), pagu=rp(figures.pagu), stage=stage.label,
                                  komponen=rp(komponen)),
                              lines=[account], sources=[leg.source for leg in figures.shifts],
                              stated=figures.pagu, computed=komponen)


@rule("shift-basis", N_("Pergeseran without the decision it needs"),
      N_("Each account pergeseran has the decision its level requires."))
def check_shift_basis(view: PlanView) -> Iterator[Finding]:
    for account in ordered_rekening(view):
        for stage, figures in account.stages.items():
            for leg in figures.shifts:
                if leg.scope is None or leg.delta > 0:
                    continue  # one finding per pergeseran: on its giving side
                scope = ShiftScope(leg.scope)
                authority = Authority(leg.authority) if leg.authority else None
                if not fits(scope, authority):
                    yield finding("shift-basis", Severity.ERROR,
                                  _("A pergeseran of {amount} at the {stage} stage from {account} to {other} is {scope} "
                                    "and needs {required}, but its basis is {given}.").format(
                                      amount=rp(-leg.delta), stage=stage.label, account=label(account),
                                      other=leg.counterpart, scope=scope.label, required=REQUIRED[scope].label,
                                      given=authority.label if authority else _("no decision")),
                                  lines=[account], sources=[leg.source], stated=-leg.delta)

