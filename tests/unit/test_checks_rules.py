"""Every check rule on small plans built in memory (no I/O): one consistent plan that the
rule passes, one with the inconsistency it must find. The amounts echo the Mangkutana
seeds where that keeps a case readable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from ledger.basis import Basis, Source, Stage
from ledger.kode import Kode, Level
from ledger.line import BudgetLine
from ledger.line_events import RincianItem, Role, TwSlot
from ledger.line_state import LineState, NegativeBalance, PaguStatement, RekeningTotal, RincianEntry, ShiftLeg, StageFigures
from ledger.money import Rupiah
from ledger.pelaksanaan import AnggaranKasStated, Bukti, RealisasiKeuanganRecorded
from ledger.plan import TotalStated
from ledger.target import Target
from projections.checks import Finding, Severity, get_rule, registered, run_checks
from projections.timeline import PlanView

DOC = "Renja Perubahan 2024 (2024-08-01)"
T32, T23 = "Tabel 3.2", "Tabel 2.3 (Hasil Analisis Kebutuhan)"
TW = tuple[int | None, int | None, int | None, int | None]


# --- builders --------------------------------------------------------------------------------

def src(table: str = T32, row: int = 1, document: str = DOC) -> Source:
    return Source(document=document, table=table, row=str(row))


def said(rupiah: int, table: str = T32, row: int = 1, event_type: str = "PaguSet", document: str = DOC) -> PaguStatement:
    return PaguStatement(version=1, event_type=event_type, rupiah=Rupiah(rupiah), effective_on=date(2024, 8, 1),
                         source=src(table, row, document))


def fig(*statements: PaguStatement, tw: TW | None = None, tw_targets: tuple[str | None, ...] | None = None,
        targets: tuple[tuple[Role, str, Source], ...] = (), indicators: dict[Role, str] | None = None,
        shifted: int = 0) -> StageFigures:
    stated = [(role, Target.parse(text), source) for role, text, source in targets]
    slots = None
    if tw is not None or tw_targets is not None:
        amounts, aims = tw or (None,) * 4, tw_targets or (None,) * 4
        slots = [TwSlot(rupiah=None if a is None else Rupiah(a), target=None if t is None else Target.parse(t))
                 for a, t in zip(amounts, aims, strict=True)]
    pagu = statements[-1].rupiah + shifted if statements else None
    return StageFigures(pagu=None if pagu is None else Rupiah(pagu), statements=list(statements), triwulan=slots,
                        targets={role: target for role, target, _ in stated}, target_statements=stated,
                        indicators=indicators or {}, shifted=shifted)


def line(kode: str | None, stages: dict[Stage, StageFigures] | None = None, *, nama: str = "",
         level: Level | None = None, parent: str | None = None, forward_tahun: int | None = None,
         key: str | None = None) -> LineState:
    parsed = Kode.parse(kode) if kode else None
    level = level or (parsed.level if parsed else Level.SUB_KEGIATAN)
    if parent is None and parsed is not None and parsed.parent is not None and level.rank > Level.PROGRAM.rank:
        parent = str(parsed.parent)
    return LineState(line_id=str(uuid4()), opd="K", tahun=2024, key=key or kode or f"nama:{nama.lower()}", kode=kode,
                     level=level, nama=nama or f"Line {kode}", parent_key=parent, stages=stages or {},
                     forward_tahun=forward_tahun)


def total(stage: Stage, rupiah: int, label: str = "TOTAL", triwulan: TW | None = None,
          table: str = T32, row: int = 59) -> TotalStated:
    basis = Basis(effective_on=date(2024, 8, 1), recorded_by="tester", reason="stated", source=src(table, row))
    quarters = None if triwulan is None else tuple(None if a is None else Rupiah(a) for a in triwulan)
    return TotalStated(originator_id=uuid4(), originator_version=2, timestamp=datetime.now(UTC), basis=basis,
                       stage=stage, rupiah=Rupiah(rupiah), triwulan=quarters, label=label)  # type: ignore[arg-type]


def plan(*lines: LineState, totals: tuple[TotalStated, ...] = ()) -> PlanView:
    return PlanView("K", 2024, None, None, {each.key: each for each in lines}, list(totals))


def on(stage: Stage, figures: StageFigures) -> dict[Stage, StageFigures]:
    return {stage: figures}


P = Stage.PERUBAHAN
M = Stage.MURNI
PM = Stage.PRAKIRAAN_MAJU


def kegiatan_of_two(kegiatan: int, first: int, second: int, stage: Stage = P, table: str = T32) -> list[LineState]:
    return [line("7.01.01.2.08", on(stage, fig(said(kegiatan, table, 28)))),
            line("7.01.01.2.08.03", on(stage, fig(said(first, table, 31)))),
            line("7.01.01.2.08.04", on(stage, fig(said(second, table, 32))))]


def with_program(*lines: LineState, program: int, stage: Stage = P) -> list[LineState]:
    return [line("7.01.01", on(stage, fig(said(program, T32, 3)))), *lines]


# --- the cases: rule -> (consistent plan, plan with the inconsistency) -----------------------

def rollup_ok() -> PlanView:
    return plan(*kegiatan_of_two(147_029_800, 105_029_800, 42_000_000))


def rollup_bad() -> PlanView:
    return plan(*kegiatan_of_two(147_029_800, 6_100_000, 42_000_000))


def totals_ok() -> PlanView:
    lines = with_program(*kegiatan_of_two(100, 60, 40), program=100)
    return plan(*lines, totals=(total(P, 100), total(P, 100, "Jumlah", table=T23, row=1)))


def totals_bad() -> PlanView:
    bidang = line("7.01", on(P, fig(said(90, T32, 2))), nama="KECAMATAN")
    lines = with_program(*kegiatan_of_two(100, 60, 40), program=100)
    return plan(bidang, *lines, totals=(total(P, 100), total(P, 100, "Jumlah", table=T23, row=1)))


def triwulan_plan(program_tw: TW, pengadaan: int = 48, tw_targets: tuple[str | None, ...] | None = None) -> PlanView:
    program = line("7.01.01", on(M, fig(said(60 + pengadaan, "Rencana Aksi", 21), tw=program_tw)))
    kegiatan = line("7.01.01.2.06", on(M, fig(said(60, "Rencana Aksi", 35), tw=(30, 30, 0, 0))))
    sub = line("7.01.01.2.06.01", on(M, fig(said(60, "Rencana Aksi", 36), tw=(30, 30, 0, 0), tw_targets=tw_targets)))
    pengadaan_line = line("7.01.01.2.07", on(M, fig(said(pengadaan, "Rencana Aksi", 42), tw=(pengadaan, 0, 0, 0))))
    return plan(program, kegiatan, sub, pengadaan_line)


def footer_plan(footer_tw: TW) -> PlanView:
    program = line("7.01.01", on(M, fig(said(100, "Rencana Aksi", 21), tw=(50, 50, 0, 0))))
    footer = total(M, 100, "Total", triwulan=footer_tw, table="Rencana Aksi", row=57)
    return plan(program, totals=(footer,))


def targets_plan(own: str, quarters: tuple[str | None, ...], year_end: str) -> PlanView:
    targets = ((Role.OWN, own, src("Rencana Aksi", 3)), (Role.YEAR_END, year_end, src("Rencana Aksi", 3)))
    figures = fig(said(12, "Rencana Aksi", 3), tw=(3, 3, 3, 3), tw_targets=quarters, targets=targets)
    return plan(line("7.01.02.2.04.01", on(M, figures)))


def restated(first: int, second: int, event_type: str = "PaguSet") -> PlanView:
    return plan(line("7.01.01.2.08.04", on(P, fig(said(first, T32, 32), said(second, T23, 35, event_type)))))


def mebel(kebutuhan: int | None) -> PlanView:
    in_23 = (said(kebutuhan, T23, 38),) if kebutuhan is not None else ()
    figures = fig(said(2_000_000, T32, 35), *in_23, targets=((Role.OWN, "0", src(T23, 38)),))
    other = line("7.01.01.2.09.06", on(P, fig(said(6_860_000, T32, 36), said(8_380_000, T23, 39))))
    return plan(line("7.01.01.2.09.05", on(P, figures)), other)


def kendaraan(perubahan: int | None) -> PlanView:
    """A Rencana Aksi (murni) line and one beside it, of which Tabel 3.2 restates the other only
    (``perubahan`` None) or both."""
    murni = fig(said(34_500_000, "Rencana Aksi", 43))
    restated_too = {P: fig(said(perubahan, T32, 40))} if perubahan is not None else {}
    other = line("7.01.01.2.07.05", {M: fig(said(2_300_000, "Rencana Aksi", 40)), P: fig(said(5_640_000, T32, 39))})
    return plan(line(None, {M: murni, **restated_too}, nama="Pengadaan Kendaraan"), other)


K = Stage.KEBUTUHAN
DOC_ID = uuid4()


def needs(kebutuhan: int | None, perubahan: int | None, *, document_id: UUID | None = DOC_ID,
          targets: tuple[str, str] = ("660 Orang", "660 Orang")) -> PlanView:
    """One line of a Renja Perubahan: its Tabel 2.3 kebutuhan and its Tabel 3.2 perubahan."""
    def stated(rupiah: int | None, table: str, row: int, target: str) -> StageFigures:
        source = Source(document=DOC, document_id=document_id, table=table, row=str(row))
        statement = PaguStatement(version=1, event_type="PaguSet", rupiah=Rupiah(rupiah), effective_on=date(2024, 8, 1),
                                  source=source) if rupiah is not None else None
        return fig(*(statement,) if statement else (), targets=((Role.OWN, target, source),))
    stages = {K: stated(kebutuhan, T23, 35, targets[0]), P: stated(perubahan, T32, 32, targets[1])}
    other = line("7.01.01.2.08.03", {K: stated(11_600_000, T23, 34, "1 Paket"), P: stated(11_600_000, T32, 31, "1 Paket")})
    return plan(line("7.01.01.2.08.04", stages), other)


def targeted(stage_targets: dict[Stage, tuple[tuple[str, str], ...]], indicator: str | None = None) -> PlanView:
    stages = {stage: fig(targets=tuple((Role.OWN, text, src(table)) for text, table in pairs),
                         indicators={Role.OWN: indicator} if indicator else None)
              for stage, pairs in stage_targets.items()}
    return plan(line("7.01.04.2.01.01", stages, nama="Sinergitas"))


def shifted(giver: int, receiver: int) -> PlanView:
    """One pergeseran (shift id s1) whose two legs are ``giver`` and ``receiver`` (0: no leg)."""
    sides = []
    for kode, other, delta in (("7.01.01.2.08.03", "7.01.01.2.08.04", giver), ("7.01.01.2.08.04", "7.01.01.2.08.03", receiver)):
        figures = fig(said(100), shifted=delta)
        if delta:
            figures.shifts.append(ShiftLeg("s1", delta, other, src(T32)))
        sides.append(line(kode, on(P, figures)))
    return plan(*sides)


def forward_plan(kegiatan: int) -> PlanView:
    return plan(*kegiatan_of_two(kegiatan, 9_009_500, 10_000_000, stage=PM))


def forward_totals(bidang: int) -> PlanView:
    head = line("7.01", on(PM, fig(said(bidang, T32, 2))), nama="KECAMATAN")
    lines = with_program(*kegiatan_of_two(100, 60, 40, stage=PM), program=100, stage=PM)
    return plan(head, *lines, totals=(total(PM, 100),))


def below_zero(value: int | None) -> PlanView:
    """A line whose pagu stood below zero from 1 May (a shift in a log recorded elsewhere), whatever it is now."""
    subject = line("7.01.01.2.06.08", on(P, fig(said(1_000))))
    if value is not None:
        subject.negatives.append(NegativeBalance(date(2024, 5, 1), P, "pagu", Decimal(value)))
    return plan(subject)


# --- rincian belanja: a sub-kegiatan with two accounts ---------------------------------------

SUB = "7.01.01.2.06.08"
DOC_ID = uuid4()


def komponen(jumlah: int, *, koefisien: str | None = "2", harga: int | None = 100, ppn: str | None = None,
             ke: int = 1, table: str = "Rincian", printed_change: int | None = None) -> RincianEntry:
    item = RincianItem(komponen=f"komponen {ke}", koefisien=Decimal(koefisien) if koefisien else None, satuan="Buah",
                       harga=None if harga is None else Rupiah(harga), ppn_persen=Decimal(ppn) if ppn else None,
                       jumlah=Rupiah(jumlah))
    return RincianEntry(ke, item, Source(document=DOC, document_id=DOC_ID, table=table, row=str(ke)), printed_change)


def account(rekening: str, stages: dict[Stage, StageFigures]) -> LineState:
    return LineState(line_id=str(uuid4()), opd="K", tahun=2024, key=f"{SUB}/{rekening}", kode=rekening,
                     level=Level.REKENING, nama=f"Rekening {rekening}", parent_key=SUB, stages=stages)


def account_figures(*entries: RincianEntry, pagu: int | None = None, legs: tuple[ShiftLeg, ...] = ()) -> StageFigures:
    total = sum(int(entry.item.jumlah) for entry in entries)
    return StageFigures(pagu=Rupiah(total if pagu is None else pagu), rincian=list(entries), shifts=list(legs))


def rincian_plan(*accounts: LineState, sub_pagu: int | None = 300, level_totals: dict[str, int] | None = None) -> PlanView:
    sub = line(SUB, on(P, fig(said(sub_pagu))) if sub_pagu is not None else None)
    for rekening, rupiah in (level_totals or {}).items():
        sub.stage(P).rekening_totals[rekening] = RekeningTotal(rekening, None, Rupiah(rupiah), src())
    view = PlanView("K", 2024, None, None)
    view.set_lines({each.key: each for each in (sub, *accounts)})
    return view


def two_accounts(jumlah: int = 200, sub_pagu: int | None = 300, level_totals: dict[str, int] | None = None) -> PlanView:
    return rincian_plan(account("5.1.02.01.01.0024", on(P, account_figures(komponen(jumlah)))),
                        account("5.1.02.02.01.0026", on(P, account_figures(komponen(100, koefisien="1")))),
                        sub_pagu=sub_pagu, level_totals=level_totals)


def printed_change(printed: int) -> PlanView:
    before = komponen(100, koefisien="1", table="Rincian, sebelum perubahan")
    after = komponen(150, koefisien="1", harga=150, printed_change=printed)
    return rincian_plan(account("5.1.02.01.01.0024", {Stage.MURNI: account_figures(before), P: account_figures(after)}),
                        sub_pagu=None)


def account_shift(authority: str | None, receiver: bool = True, restated: bool = True) -> PlanView:
    legs = (ShiftLeg("s1", -50, f"{SUB}/5.1.02.02.01.0026", src(), "objek", authority),
            ShiftLeg("s1", 50, f"{SUB}/5.1.02.01.01.0024", src(), "objek", authority))
    giver = account_figures(komponen(200), pagu=150 if restated else 200, legs=legs[:1])
    taker = account_figures(komponen(100, koefisien="1"), pagu=150 if restated else 100,
                            legs=legs[1:] if receiver else ())
    return rincian_plan(account("5.1.02.01.01.0024", on(P, giver)), account("5.1.02.02.01.0026", on(P, taker)))



# --- the year as it is spent: a sub-kegiatan, its anggaran kas and its realisasi ------------------

SUB_SPENT = "7.01.01.2.06.08"


def on_day(day: date, table: str = "LRA") -> Basis:
    return Basis(effective_on=day, recorded_by="tester", reason="stated", source=src(table, 1, "LRA 2024"))


def kas_event(months: tuple[int, ...], day: date = date(2024, 1, 5), stage: Stage = M) -> AnggaranKasStated:
    return AnggaranKasStated(originator_id=uuid4(), originator_version=3, timestamp=datetime.now(UTC),
                             basis=on_day(day, "Anggaran Kas"), line_key=SUB_SPENT, stage=stage,
                             bulan=tuple(Rupiah(m) for m in months))


def realised_event(month: int, amount: int) -> RealisasiKeuanganRecorded:
    """Money of one month, stated on the 10th of the next (as an LRA is)."""
    day = date(2024, month + 1, 10) if month < 12 else date(2025, 1, 10)
    return RealisasiKeuanganRecorded(originator_id=uuid4(), originator_version=4, timestamp=datetime.now(UTC),
                                     basis=on_day(day), line_key=SUB_SPENT, tahun=2024, periode=f"{month:02d}",
                                     rupiah=Rupiah(amount), bukti=Bukti.LRA)


def spent(*, murni: int = 120, perubahan: int | None = None, kas: tuple[int, ...] = (10,) * 12,
          kas_day: date = date(2024, 1, 5), realised: tuple[int, ...] = (), tw: TW | None = None) -> PlanView:
    """A sub-kegiatan with a murni pagu (3 January), maybe a perubahan (1 September), its kas and realisasi."""
    stages = {M: fig(PaguStatement(1, "PaguSet", Rupiah(murni), date(2024, 1, 3), src("Rencana Aksi", 40)), tw=tw)}
    if perubahan is not None:
        stages[P] = fig(PaguStatement(2, "PaguRevised", Rupiah(perubahan), date(2024, 9, 1), src(T32, 22)))
    events = [kas_event(kas, kas_day), *(realised_event(month, amount) for month, amount in enumerate(realised, start=1))]
    return plan(line(SUB_SPENT, stages), totals=tuple(events))  # type: ignore[arg-type]


Case = tuple[Callable[[], PlanView], Callable[[], PlanView]]
CASES: dict[str, Case] = {
    "rollup": (rollup_ok, rollup_bad),
    "rollup-total": (totals_ok, totals_bad),
    "total-agreement": (totals_ok, totals_bad),
    "triwulan-sum": (lambda: triwulan_plan((78, 30, 0, 0)), lambda: triwulan_plan((30, 30, 0, 0))),
    "triwulan-rollup": (lambda: footer_plan((50, 50, None, None)), lambda: footer_plan((60, 40, None, None))),
    "triwulan-unallocated": (lambda: triwulan_plan((78, 30, 0, 0)), lambda: triwulan_plan((30, 30, 0, 0))),
    "triwulan-target": (lambda: targets_plan("12 Lembar", ("3", "3", "3", "3"), "12"),
                        lambda: targets_plan("10 Lbr", ("3", "3", "3", "3"), "12")),
    "triwulan-activity": (lambda: triwulan_plan((78, 30, 0, 0), tw_targets=("1 Jenis", "1 Jenis", None, None)),
                          lambda: triwulan_plan((78, 30, 0, 0), tw_targets=(None, "1 Jenis", None, "1 Jenis"))),
    "restatement-pagu": (lambda: restated(42_000_000, 42_000_000), lambda: restated(42_000_000, 57_000_000)),
    "restatement-target": (lambda: targeted({P: (("660 Orang", T32), ("660 org", T23))}),
                           lambda: targeted({P: (("4285 Orang", T32), ("660 Orang", T23))})),
    "restatement-missing": (lambda: mebel(2_000_000), lambda: mebel(None)),
    "not-restated": (lambda: kendaraan(34_500_000), lambda: kendaraan(None)),
    "kebutuhan-pagu": (lambda: needs(57_000_000, 57_000_000), lambda: needs(57_000_000, 42_000_000)),
    "kebutuhan-target": (lambda: needs(1, 1, targets=("6 Orang", "6 orang")),
                         lambda: needs(1, 1, targets=("6 Orang", "3 Orang"))),
    "kebutuhan-missing": (lambda: needs(57_000_000, 42_000_000), lambda: needs(None, 42_000_000)),
    "unit-change": (lambda: targeted({P: (("4 Dok", T32), ("4 Dokumen", T23))}),
                    lambda: targeted({P: (("8 Kali", T32), ("4 Dokumen", T23))})),
    "unit-stage-change": (lambda: targeted({M: (("4 Kasus", "Rencana Aksi"),), P: (("8 kasus", T32),)}),
                          lambda: targeted({M: (("4 Kasus", "Rencana Aksi"),), P: (("8 Kali", T32),)})),
    "unit-missing": (lambda: targeted({P: (("12 Laporan", T32),)}), lambda: targeted({P: (("12", T32),)})),
    "unit-unknown": (lambda: targeted({P: (("12 Laporan", T32), ("12 Laporan", T23))}),
                     lambda: targeted({P: (("2 Bungkus", T32), ("2 Bungkus", T23))})),
    "unit-indicator": (lambda: targeted({P: (("8 Kasus", T32),)}, "Jumlah kasus yang difasilitasi (Kasus)"),
                       lambda: targeted({P: (("8 Kali", T32),)}, "Jumlah kasus yang difasilitasi (Kasus)")),
    "kode-format": (lambda: plan(line("7.01.01")), lambda: plan(line("7.01.01", level=Level.KEGIATAN))),
    "kode-parent": (lambda: plan(line("7.01.01"), line("7.01.01.2.06"), line("7.01.01.2.06.08")),
                    lambda: plan(line("7.01.01"), line("7.01.01.2.06.08"))),
    "kode-duplicate": (lambda: plan(line("7.01.01.2.06.08")),
                       lambda: plan(line("7.01.01.2.06.08"), line("7.01.01.2.06.08", nama="Copy", key="nama:copy"))),
    "kode-missing": (lambda: plan(line("7.01.01.2.06.08")), lambda: plan(line(None, nama="Pengadaan Kendaraan"))),
    "shift-net": (lambda: shifted(-10, 10), lambda: shifted(-10, 0)),
    "negative-pagu": (lambda: shifted(-10, 10), lambda: shifted(-110, 110)),
    "negative-triwulan": (lambda: triwulan_plan((78, 30, 0, 0)), lambda: triwulan_plan((108, 30, -30, 0))),
    "negative-balance": (lambda: below_zero(None), lambda: below_zero(-700)),
    "forward-rollup": (lambda: forward_plan(19_009_500), lambda: forward_plan(419_009_500)),
    "forward-rollup-total": (lambda: forward_totals(100), lambda: forward_totals(90)),
    "forward-total-agreement": (lambda: forward_totals(100), lambda: forward_totals(90)),
    "forward-year": (lambda: plan(line("7.01.01", forward_tahun=2025)), lambda: plan(line("7.01.01", forward_tahun=2026))),
    "rincian-jumlah": (lambda: two_accounts(), lambda: two_accounts(jumlah=210, sub_pagu=310)),
    "rincian-rollup": (lambda: two_accounts(), lambda: two_accounts(sub_pagu=350)),
    "rincian-level-total": (lambda: two_accounts(level_totals={"5.1.02": 300, "5.1.02.01": 200}),
                            lambda: two_accounts(level_totals={"5.1.02": 300, "5.1.02.01": 210})),
    "rincian-change": (lambda: printed_change(50), lambda: printed_change(40)),
    "rincian-not-restated": (lambda: account_shift("sekda", restated=False), lambda: account_shift("sekda")),
    "shift-basis": (lambda: account_shift("sekda", restated=False), lambda: account_shift("ppkd", restated=False)),
    "kas-pagu": (lambda: spent(), lambda: spent(kas=(11,) * 12)),
    "kas-triwulan": (lambda: spent(tw=(30, 30, 30, 30)), lambda: spent(tw=(40, 20, 30, 30))),
    "kas-below-realisasi": (lambda: spent(kas_day=date(2024, 3, 1), realised=(10, 10)),
                            lambda: spent(kas_day=date(2024, 3, 1), realised=(15, 10))),
    "revision-below-realisasi": (lambda: spent(perubahan=100, realised=(10,) * 8),
                                 lambda: spent(perubahan=50, realised=(10,) * 8)),
    "realisasi-above-pagu": (lambda: spent(realised=(10,) * 12), lambda: spent(realised=(11,) * 12)),
}


def run(rule_id: str, view: PlanView) -> list[Finding]:
    return get_rule(rule_id).run(view)


def test_every_registered_rule_has_a_passing_and_a_failing_case() -> None:
    assert set(CASES) == {each.id for each in registered()}


def test_shift_net_pairs_the_sides_of_an_account_pergeseran_too() -> None:
    assert run("shift-net", account_shift("perda", restated=False)) == []
    [unpaired] = run("shift-net", account_shift("perda", receiver=False, restated=False))
    assert (unpaired.stated, unpaired.computed) == (0, 50) and unpaired.kodes == [f"{SUB}/5.1.02.01.01.0024"]


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_rule_passes_a_consistent_plan(rule_id: str) -> None:
    assert run(rule_id, CASES[rule_id][0]()) == []


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_rule_finds_the_inconsistency(rule_id: str) -> None:
    findings = run(rule_id, CASES[rule_id][1]())
    assert findings, f"{rule_id} found nothing"
    for found in findings:
        assert found.rule == rule_id
        assert found.message.endswith(".") and "\n" not in found.message
        assert found.difference == (None if found.stated is None or found.computed is None else found.stated - found.computed)


# --- what the findings say ---------------------------------------------------------------------

def only(rule_id: str, view: PlanView) -> Finding:
    findings = run(rule_id, view)
    assert len(findings) == 1, findings
    return findings[0]


def test_a_rollup_mismatch_gives_the_stated_and_computed_sums_and_the_row() -> None:
    found = only("rollup", rollup_bad())
    assert (found.severity, found.kodes) == (Severity.ERROR, ["7.01.01.2.08"])
    assert (found.stated, found.computed, found.difference) == (147_029_800, 48_100_000, 98_929_800)
    assert "Tabel 3.2 row 28" in found.message and "147.029.800" in found.message and "48.100.000" in found.message
    assert found.sources == [f"{DOC}, Tabel 3.2, row 28"]


def test_each_table_is_checked_on_its_own_figures_not_on_the_value_in_force() -> None:
    # As in the demo: Tabel 3.2 repeats the Tabel 2.3 kegiatan subtotal over its own, smaller rows.
    kegiatan = line("7.01.01.2.08", on(P, fig(said(68_600_000, T32, 28), said(68_600_000, T23, 31))))
    first = line("7.01.01.2.08.03", on(P, fig(said(6_100_000, T32, 31), said(11_600_000, T23, 34))))
    second = line("7.01.01.2.08.04", on(P, fig(said(42_000_000, T32, 32), said(57_000_000, T23, 35))))
    view = plan(kegiatan, first, second)
    assert kegiatan.pagu(P) == (first.pagu(P) or 0) + (second.pagu(P) or 0)  # the values in force agree
    found = only("rollup", view)
    assert (found.stated, found.computed, found.difference) == (68_600_000, 48_100_000, 20_500_000)
    assert found.message.startswith("Tabel 3.2 row 28")


def test_a_wrong_kegiatan_subtotal_carried_up_is_reported_on_the_program_too() -> None:
    view = plan(*with_program(*kegiatan_of_two(25_294_550, 6_144_550, 12_850_000), program=25_294_550))
    found = {f.kodes[0]: f for f in run("rollup", view)}
    assert set(found) == {"7.01.01", "7.01.01.2.08"}
    assert (found["7.01.01"].computed, found["7.01.01"].difference) == (18_994_550, 6_300_000)
    assert "sub-kegiatan" in found["7.01.01"].message


def test_two_stated_totals_that_disagree_name_both() -> None:
    found = only("total-agreement", totals_bad())
    assert (found.stated, found.computed, found.difference, found.kodes) == (90, 100, -10, ["7.01"])
    assert len(found.sources) == 2


def test_a_restatement_compares_the_earlier_table_with_the_figure_in_force() -> None:
    found = only("restatement-pagu", restated(42_000_000, 57_000_000))
    assert (found.stated, found.computed, found.difference) == (42_000_000, 57_000_000, -15_000_000)
    assert "Tabel 3.2 row 32" in found.message and "Tabel 2.3 (Hasil Analisis Kebutuhan) row 35" in found.message


def test_a_deliberate_revision_is_not_a_restatement() -> None:
    assert run("restatement-pagu", restated(42_000_000, 57_000_000, "PaguRevised")) == []


def test_a_row_printed_without_its_pagu_is_named_with_the_other_tables_figure() -> None:
    found = only("restatement-missing", mebel(None))
    assert found.stated == 2_000_000 and found.kodes == ["7.01.01.2.09.05"]
    assert found.message.startswith("Tabel 2.3 (Hasil Analisis Kebutuhan) row 38 prints sub-kegiatan")


def test_kebutuhan_against_the_perubahan_of_one_document_is_an_error_and_keeps_both_amounts() -> None:
    found = only("kebutuhan-pagu", needs(57_000_000, 42_000_000))
    assert (found.stated, found.computed, found.difference) == (42_000_000, 57_000_000, -15_000_000)
    assert found.severity is Severity.ERROR
    assert "Tabel 3.2 row 32" in found.message and "Tabel 2.3 (Hasil Analisis Kebutuhan) row 35" in found.message


def test_kebutuhan_trimmed_by_a_later_document_is_a_warning() -> None:
    view = needs(57_000_000, 42_000_000)
    later = Source(document="DPPA 2024", document_id=uuid4(), table="DPPA", row="7")
    figures = view.by_kode("7.01.01.2.08.04").figures(P)  # type: ignore[union-attr]
    assert figures is not None
    figures.statements = [PaguStatement(version=2, event_type="PaguSet", rupiah=Rupiah(42_000_000),
                                        effective_on=date(2024, 9, 1), source=later)]
    assert only("kebutuhan-pagu", view).severity is Severity.WARNING


def test_a_kebutuhan_target_in_another_satuan_is_reported() -> None:
    found = only("kebutuhan-target", needs(1, 1, targets=("4 Dokumen", "8 Kali")))
    assert "8 Kali" in found.message and "4 Dokumen" in found.message


def test_a_perubahan_row_without_its_kebutuhan_is_named() -> None:
    found = only("kebutuhan-missing", needs(None, 42_000_000))
    assert found.stated == 42_000_000 and found.kodes == ["7.01.01.2.08.04"]
    assert found.message.startswith("Tabel 2.3 (Hasil Analisis Kebutuhan) row 35 prints sub-kegiatan")


def test_a_change_of_unit_is_left_to_the_unit_rule() -> None:
    view = targeted({P: (("8 Kali", T32), ("4 Dokumen", T23))})
    assert run("restatement-target", view) == []
    found = only("unit-change", view)
    assert "8 Kali" in found.message and "4 Dokumen" in found.message and found.severity is Severity.ERROR


def test_money_left_out_of_the_parents_triwulan_is_named() -> None:
    found = only("triwulan-unallocated", triwulan_plan((30, 30, 0, 0)))
    assert found.kodes == ["7.01.01.2.07", "7.01.01"] and found.stated == 48
    assert found.severity is Severity.WARNING


def test_a_pagu_without_triwulan_split_is_reported_when_other_rows_are_split() -> None:
    view = triwulan_plan((78, 30, 0, 0))
    view.lines["7.01.01.2.99"] = line("7.01.01.2.99", on(M, fig(said(5, "Rencana Aksi", 50))))
    assert only("triwulan-unallocated", view).stated == 5


def test_a_one_sided_pergeseran_recorded_through_the_domain_is_found() -> None:
    basis = Basis(effective_on=date(2024, 9, 1), recorded_by="tester", reason="pergeseran", source=Source(command="t"))
    giver = BudgetLine.open(opd="K", tahun=2024, key="7.01.01.2.08.03", kode="7.01.01.2.08.03",
                            level=Level.SUB_KEGIATAN, nama="Jasa Peralatan", parent_key=None, basis=basis)
    giver.set_pagu(P, Rupiah(11_600_000), basis)
    giver.shift(P, -5_500_000, "7.01.01.2.08.04", uuid4(), basis)
    found = only("shift-net", plan(giver.state))  # fold_line over the line's events
    assert (found.stated, found.computed, found.difference) == (0, 5_500_000, -5_500_000)


def test_a_line_the_perubahan_does_not_restate_is_named_with_its_murni_in_force() -> None:
    found = only("not-restated", kendaraan(None))
    assert (found.stated, found.severity, found.kodes) == (34_500_000, Severity.WARNING, [])
    assert "Pengadaan Kendaraan" in found.message and "Rencana Aksi row 43" in found.message
    # Before any perubahan the whole plan is the murni: nothing is "not restated".
    assert run("not-restated", plan(line(None, {M: fig(said(34_500_000, "Rencana Aksi", 43))}, nama="Only murni"))) == []


def test_a_line_known_only_by_name_is_information() -> None:
    assert only("kode-missing", plan(line(None, nama="Pengadaan Kendaraan"))).severity is Severity.INFO


def test_a_consistent_plan_has_no_finding_at_all() -> None:
    lines = with_program(*kegiatan_of_two(100, 60, 40), program=100)
    assert run_checks(plan(*lines, totals=(total(P, 100),))) == []


def test_the_json_of_a_finding_has_the_contract_keys() -> None:
    data = only("rollup", rollup_bad()).to_json()
    assert set(data) == {"rule", "severity", "kodes", "sources", "message", "stated", "computed", "difference", "id"}
    assert data["severity"] == "error" and isinstance(data["stated"], int)


def test_a_rule_id_is_registered_once_and_a_rule_reports_only_its_own_findings() -> None:
    from projections.checks.registry import Rule, rule

    with pytest.raises(ValueError, match="registered twice"):
        rule("rollup", "Again", "again")(lambda view: [])
    stray = Rule("stray", "test", "Stray finding", "reports another rule's finding", lambda view: run("rollup", rollup_bad()))
    with pytest.raises(ValueError, match="another rule"):
        stray.run(plan())


def test_a_keluaran_target_is_named_by_its_role() -> None:
    stages = {M: fig(targets=((Role.KELUARAN, "12 Bulan", src("RKPA")),)),
              P: fig(targets=((Role.KELUARAN, "12 Kali", src("RKPA")),))}
    found = only("unit-stage-change", plan(line("4.02.01.2.06", stages, nama="Administrasi Umum")))
    assert "(keluaran)" in found.message and "12 Bulan" in found.message and "12 Kali" in found.message
