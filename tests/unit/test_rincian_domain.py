"""Accounts of a sub-kegiatan and their pergeseran, on an in-memory unit of work: the level of a
shift decides the decision it needs, both accounts (and both sub-kegiatan) move in one
change, and the fold adds up komponen and restatements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ledger.application.commands import ShiftPagu
from ledger.application.unit_of_work import UnitOfWork
from ledger.basis import Basis, Source, Stage
from ledger.errors import RuleViolated
from ledger.kode import Level
from ledger.line_events import PaguShifted, RekeningShifted, RincianItem
from ledger.line_fold import fold_line
from ledger.money import Rupiah
from ledger.pergeseran import REQUIRED, Authority, ShiftScope, fits, shift_scope
from ledger.plan import rekening_key
from ledger.rekening import KodeRekening
from tests.unit.fakes import OPD, TAHUN, InMemoryLedger, seeded_ledger

SUB, OTHER = "7.01.01.2.06.08", "7.01.01.2.06.09"
ACCOUNTS = ("5.1.02.01.01.0024", "5.1.02.01.01.0026", "5.1.02.01.02.0001", "5.1.02.02.01.0026", "5.1.01.03.07.0001",
            "5.2.02.05.02.0001")


def item(jumlah: int, komponen: str = "x") -> RincianItem:
    return RincianItem(komponen=komponen, koefisien=Decimal(1), satuan="Paket", harga=Rupiah(jumlah), jumlah=Rupiah(jumlah))


def with_accounts(amount: int = 1_000_000) -> InMemoryLedger:
    """Two sub-kegiatan of 6 x ``amount`` each (murni and perubahan), each with the six accounts."""
    ledger = seeded_ledger(pagu=6 * amount)
    basis = Basis(effective_on=date(2024, 1, 3), recorded_by="tester", reason="DPA", source=Source(command="seed"))

    def seed(uow: UnitOfWork) -> None:
        plan = uow.plan(OPD, TAHUN)
        for sub in (SUB, OTHER):
            for rekening in ACCOUNTS:
                account = uow.open_line(plan, key=rekening_key(sub, KodeRekening.parse(rekening)), kode=rekening,
                                        level=Level.REKENING, nama=f"Rekening {rekening}", parent_key=sub, basis=basis)
                account.state_rincian(Stage.MURNI, item(amount), 1, basis)
                account.state_rincian(Stage.PERUBAHAN, item(amount), 1,
                                      basis.model_copy(update={"effective_on": date(2024, 8, 1)}))

    ledger.run(seed)
    return ledger


def shift(giver: str, taker: str, authority: Authority | None, rupiah: int = 100_000, **extra: Any) -> ShiftPagu:
    return ShiftPagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 1), reason="Pergeseran uji",
                     source=Source(command="test"), from_line=giver, to_line=taker, stage=Stage.PERUBAHAN,
                     rupiah=Rupiah(rupiah), authority=authority, decision="No. 900/1/2024", **extra)


CASES = [  # (giver, taker, scope)
    (f"{SUB}/5.1.02.01.01.0024", f"{SUB}/5.1.02.01.01.0026", ShiftScope.SUB_RINCIAN_OBJEK),
    (f"{SUB}/5.1.02.01.01.0024", f"{SUB}/5.1.02.01.02.0001", ShiftScope.RINCIAN_OBJEK),
    (f"{SUB}/5.1.02.01.01.0024", f"{SUB}/5.1.02.02.01.0026", ShiftScope.OBJEK),
    (f"{SUB}/5.1.01.03.07.0001", f"{SUB}/5.1.02.01.01.0024", ShiftScope.JENIS),
    (f"{SUB}/5.1.02.01.01.0024", f"{SUB}/5.2.02.05.02.0001", ShiftScope.KELOMPOK),
    (f"{SUB}/5.1.02.01.01.0024", f"{OTHER}/5.1.02.01.01.0024", ShiftScope.SUB_KEGIATAN),
]


@pytest.mark.parametrize(("giver", "taker", "scope"), CASES)
def test_a_shift_with_the_decision_its_level_requires_moves_both_accounts(giver: str, taker: str,
                                                                         scope: ShiftScope) -> None:
    ledger = with_accounts()
    events = ledger.handle(shift(giver, taker, REQUIRED[scope]))
    legs = [e for e in events if isinstance(e, RekeningShifted)]
    assert [leg.delta for leg in legs] == [-100_000, 100_000]
    assert {leg.scope for leg in legs} == {scope} and {leg.authority for leg in legs} == {REQUIRED[scope]}
    assert legs[0].shift_id == legs[1].shift_id and legs[0].decision == "No. 900/1/2024"
    assert ledger.line(giver).state.pagu(Stage.PERUBAHAN) == 900_000
    assert ledger.line(taker).state.pagu(Stage.PERUBAHAN) == 1_100_000
    sub_legs = [e for e in events if isinstance(e, PaguShifted)]
    if scope is ShiftScope.SUB_KEGIATAN:  # the sub-kegiatan's pagu moves with its accounts
        assert [leg.delta for leg in sub_legs] == [-100_000, 100_000]
        assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 5_900_000
        assert ledger.line(OTHER).state.pagu(Stage.PERUBAHAN) == 6_100_000
    else:
        assert sub_legs == [] and ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 6_000_000


@pytest.mark.parametrize(("giver", "taker", "scope"), CASES)
def test_a_lower_decision_is_refused_and_nothing_changes(giver: str, taker: str, scope: ShiftScope) -> None:
    ledger = with_accounts()
    lower = [a for a in Authority if a.rank < REQUIRED[scope].rank]
    for authority in [None, *lower]:
        with pytest.raises(RuleViolated) as refused:
            ledger.handle(shift(giver, taker, authority))
        assert refused.value.rule == "shift-basis-level"
        assert REQUIRED[scope].label in str(refused.value)
    assert ledger.line(giver).state.pagu(Stage.PERUBAHAN) == 1_000_000
    assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 6_000_000


def test_a_higher_decision_covers_a_lower_level() -> None:
    assert fits(ShiftScope.SUB_RINCIAN_OBJEK, Authority.PERDA)
    assert fits(ShiftScope.OBJEK, Authority.PERKADA)
    assert not fits(ShiftScope.JENIS, Authority.PERKADA)
    assert not fits(ShiftScope.OBJEK, None)


def test_the_scope_between_sub_kegiatan_of_other_kegiatan_and_programs() -> None:
    atk = KodeRekening.parse("5.1.02.01.01.0024")
    assert shift_scope((SUB, atk), (OTHER, atk)) is ShiftScope.SUB_KEGIATAN
    assert shift_scope((SUB, atk), ("7.01.01.2.07.01", atk)) is ShiftScope.KEGIATAN
    assert shift_scope((SUB, atk), ("7.01.02.2.01.01", atk)) is ShiftScope.PROGRAM
    assert shift_scope((SUB, atk), (SUB, atk)) is None


def test_an_account_cannot_give_more_than_it_holds_nor_shift_with_a_sub_kegiatan() -> None:
    ledger = with_accounts()
    with pytest.raises(RuleViolated) as refused:
        ledger.handle(shift(f"{SUB}/5.1.02.01.01.0024", f"{SUB}/5.1.02.01.01.0026", Authority.PPKD, 1_000_001))
    assert refused.value.rule == "shift-negative"
    with pytest.raises(RuleViolated) as mixed:
        ledger.handle(shift(f"{SUB}/5.1.02.01.01.0024", OTHER, Authority.PERDA))
    assert mixed.value.rule == "not-a-rekening"


def test_komponen_of_one_statement_add_up_and_a_later_statement_replaces_them() -> None:
    ledger = with_accounts()
    basis = Basis(effective_on=date(2024, 9, 16), recorded_by="tester", reason="DPPA",
                  source=Source(document="DPPA", table="Rincian", row="1"))

    def restate(uow: UnitOfWork) -> None:
        account = uow.line(uow.plan(OPD, TAHUN), f"{SUB}/5.1.02.01.01.0024")
        account.state_rincian(Stage.PERUBAHAN, item(250_000, "a"), 1, basis)
        account.state_rincian(Stage.PERUBAHAN, item(500_000, "b"), 2, basis.model_copy(update={"source": Source(
            document="DPPA", table="Rincian", row="2")}))

    ledger.run(restate)
    state = ledger.line(f"{SUB}/5.1.02.01.01.0024").state
    figures = state.figures(Stage.PERUBAHAN)
    assert figures is not None and figures.pagu == 750_000
    assert [entry.item.komponen for entry in figures.rincian] == ["a", "b"]
    assert [s.rupiah for s in figures.statements] == [1_000_000, 750_000]
    # The same events folded in another order give the same state (valid time, not recording order).
    line = ledger.line(f"{SUB}/5.1.02.01.01.0024")
    assert fold_line(reversed(line.facts)).pagu(Stage.PERUBAHAN) == 750_000


def test_an_account_takes_no_target_indicator_or_penanggung_jawab_and_is_revised_by_its_komponen() -> None:
    from ledger.application.commands import AssignPenanggungJawab, RevisePagu, SetTarget
    from ledger.target import Target

    ledger = with_accounts()
    ref = f"{SUB}/5.1.02.01.01.0024"
    common = {"opd": OPD, "tahun": TAHUN, "effective_on": date(2024, 10, 1), "reason": "uji",
              "source": Source(command="test")}
    for command in (SetTarget(line=ref, stage=Stage.PERUBAHAN, target=Target.parse("5 Buah"), **common),
                    AssignPenanggungJawab(line=ref, name="Budi", **common),
                    RevisePagu(line=ref, stage=Stage.PERUBAHAN, rupiah=Rupiah(5), **common)):
        with pytest.raises(RuleViolated) as refused:
            ledger.handle(command)
        assert refused.value.rule == "rekening-figures" and "komponen" in str(refused.value)


def test_a_view_names_an_account_by_its_sub_kegiatans_kode_whatever_its_key() -> None:
    from ledger.line_state import LineState
    from projections.timeline import PlanView

    sub = LineState(line_id="s", key="nama:fasilitasi kunjungan tamu", kode=SUB, level=Level.SUB_KEGIATAN, nama="Tamu")
    account = LineState(line_id="a", key="nama:fasilitasi kunjungan tamu/5.1.02.01.01.0024", kode="5.1.02.01.01.0024",
                        level=Level.REKENING, nama="ATK", parent_key=sub.key)
    view = PlanView("K", 2024, None, None)
    view.set_lines({sub.key: sub, account.key: account})
    assert view.rekening[account.key].reference == f"{SUB}/5.1.02.01.01.0024"
