"""Domain rules and the fold, on aggregates in memory (no I/O)."""

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from ledger.basis import Basis, Source, Stage
from ledger.errors import AlreadyRecorded, RuleViolated
from ledger.kode import Kode, Level
from ledger.line import BudgetLine, line_id
from ledger.line_events import Role, TwSlot
from ledger.line_fold import fold_line
from ledger.money import Rupiah
from ledger.plan import LineRef, Plan
from ledger.target import Satuan, Target


def basis(day: str = "2024-01-03", reason: str = "test") -> Basis:
    return Basis(effective_on=date.fromisoformat(day), recorded_by="tester", reason=reason, source=Source(command="test"))


def line(kode: str = "7.01.01.2.06.08") -> BudgetLine:
    return BudgetLine.open(opd="K", tahun=2024, key=kode, kode=kode, level=Level.SUB_KEGIATAN,
                           nama="Fasilitasi Kunjungan Tamu", parent_key="7.01.01.2.06", basis=basis())


def allocated(amounts: tuple[int, int, int, int] = (100, 200, 300, 400)) -> BudgetLine:
    subject = line()
    subject.set_pagu(Stage.MURNI, Rupiah(sum(amounts)), basis())
    slots = tuple(TwSlot(rupiah=Rupiah(a)) for a in amounts)
    subject.allocate_triwulan(Stage.MURNI, slots, basis())  # type: ignore[arg-type]
    return subject


def test_a_revision_needs_a_reason() -> None:
    subject = allocated()
    with pytest.raises(RuleViolated, match="reason"):
        subject.revise_pagu(Stage.PERUBAHAN, Rupiah(5), basis(reason="  "))


def test_a_negative_pagu_is_refused() -> None:
    with pytest.raises(RuleViolated, match="negative"):
        line().set_pagu(Stage.MURNI, Rupiah(-1), basis())


@pytest.mark.parametrize(("from_tw", "to_tw"), [(0, 1), (1, 5), (5, 2)])
def test_a_triwulan_outside_i_to_iv_is_refused(from_tw: int, to_tw: int) -> None:
    with pytest.raises(RuleViolated, match="triwulan"):
        allocated().reallocate(Stage.MURNI, from_tw, to_tw, Rupiah(10), None, basis())


def test_a_reallocation_that_does_not_net_to_zero_is_refused() -> None:
    with pytest.raises(RuleViolated, match="net to zero"):
        allocated().reallocate_deltas(Stage.MURNI, (-10, 5, 0, 0), None, basis())


def test_a_reallocation_cannot_leave_a_triwulan_negative() -> None:
    with pytest.raises(RuleViolated, match="cannot give"):
        allocated().reallocate(Stage.MURNI, 1, 2, Rupiah(101), None, basis())


def test_a_reallocation_moves_money_and_keeps_the_total() -> None:
    subject = allocated()
    subject.reallocate(Stage.MURNI, 4, 1, Rupiah(150), Decimal(1), basis())
    slots = subject.state.figures(Stage.MURNI).triwulan  # type: ignore[union-attr]
    assert [s.rupiah for s in slots] == [250, 200, 300, 250]
    assert sum(s.rupiah or 0 for s in slots) == subject.state.pagu(Stage.MURNI)


def test_a_later_statement_prevails_and_both_are_kept() -> None:
    subject = line()
    subject.set_pagu(Stage.PERUBAHAN, Rupiah(42_000_000), basis("2024-08-01"))
    subject.set_pagu(Stage.PERUBAHAN, Rupiah(57_000_000), basis("2024-08-01"))
    figures = subject.state.figures(Stage.PERUBAHAN)
    assert figures is not None and figures.pagu == 57_000_000
    assert [s.rupiah for s in figures.statements] == [42_000_000, 57_000_000]


def test_effective_order_beats_recording_order() -> None:
    subject = line()
    subject.set_pagu(Stage.MURNI, Rupiah(300), basis("2024-05-01"))
    subject.revise_pagu(Stage.MURNI, Rupiah(200), basis("2024-02-01", "backdated decision recorded late"))
    assert subject.state.pagu(Stage.MURNI) == 300
    early = fold_line(e for e in subject.pending_events if e.basis.effective_on <= date(2024, 3, 1))
    assert early.pagu(Stage.MURNI) == 200


def test_a_correction_replaces_the_figure_of_the_event_it_names() -> None:
    subject = line()
    subject.set_pagu(Stage.MURNI, Rupiah(129_435_000), basis())
    version = subject.version
    subject.correct(version, basis("2030-01-01", "typo in transcription"), rupiah=Rupiah(129_453_000))
    assert subject.state.pagu(Stage.MURNI) == 129_453_000
    correction = subject.pending_events[-1]
    assert correction.basis.effective_on == date(2024, 1, 3)  # valid from the corrected event's date
    statement = subject.state.figures(Stage.MURNI).statements[0]  # type: ignore[union-attr]
    assert statement.corrected_by == correction.originator_version


def test_a_correction_must_name_a_figure_event_and_give_a_reason() -> None:
    subject = line()
    with pytest.raises(RuleViolated, match="states no pagu"):
        subject.correct(1, basis(reason="x"), rupiah=Rupiah(1))
    subject.set_pagu(Stage.MURNI, Rupiah(5), basis())
    with pytest.raises(RuleViolated, match="reason"):
        subject.correct(2, basis(reason=""), rupiah=Rupiah(1))


def test_a_shift_cannot_leave_a_line_negative() -> None:
    subject = allocated()
    with pytest.raises(RuleViolated, match="cannot give"):
        subject.shift(Stage.MURNI, -1001, "7.01.01.2.06.09", uuid4(), basis())


def test_target_changes_keep_the_previous_value() -> None:
    subject = line()
    subject.set_target(Stage.MURNI, Role.OWN, Target(nilai=Decimal(96), satuan=Satuan.ORANG), basis())
    subject.change_target(Stage.MURNI, Role.OWN, Target(nilai=Decimal(660), satuan=Satuan.ORANG), basis(reason="r"))
    assert subject.pending_events[-1].previous.nilai == 96  # type: ignore[attr-defined]
    assert subject.state.figures(Stage.MURNI).targets[Role.OWN].nilai == 660  # type: ignore[union-attr]


def plan_with(*kodes: str) -> Plan:
    plan = Plan.open("K", 2024, basis())
    for text in kodes:
        kode = Kode.parse(text)
        parent = str(kode.parent) if kode.parent is not None and kode.level is not Level.BIDANG else None
        plan.register_line(LineRef(key=text, line_id=line_id("K", 2024, text), kode=text, level=kode.level,
                                   nama=text, parent_key=parent), basis())
    return plan


def test_a_kode_whose_parent_line_is_missing_is_refused() -> None:
    plan = plan_with("7.01", "7.01.01")
    with pytest.raises(RuleViolated, match=r"parent 7\.01\.01\.2\.06"):
        plan.register_line(LineRef(key="x", line_id=uuid4(), kode="7.01.01.2.06.08", level=Level.SUB_KEGIATAN,
                                   nama="x", parent_key=None), basis())


def test_two_lines_cannot_share_a_kode() -> None:
    plan = plan_with("7.01", "7.01.01")
    with pytest.raises(AlreadyRecorded):
        plan.register_line(LineRef(key="other", line_id=uuid4(), kode="7.01.01", level=Level.PROGRAM,
                                   nama="y", parent_key="7.01"), basis())


def test_plan_resolves_spaced_kode_and_names() -> None:
    plan = plan_with("7.01", "7.01.01", "7.01.01.2.06")
    assert plan.resolve("7 01 01 2.06").key == "7.01.01.2.06"
    assert plan.resolve("7.01.01").key == "7.01.01"


# --- writes are checked in valid time -------------------------------------------------------------

def test_a_shift_dated_before_its_stage_took_force_is_refused() -> None:
    subject = allocated()
    subject.set_pagu(Stage.PERUBAHAN, Rupiah(1000), basis("2024-08-01"))
    with pytest.raises(RuleViolated, match=r"no perubahan pagu in force on 2024-03-01.*first takes force on 2024-08-01"):
        subject.shift(Stage.PERUBAHAN, -10, "7.01.01.2.06.09", uuid4(), basis("2024-03-01"))
    subject.shift(Stage.PERUBAHAN, -10, "7.01.01.2.06.09", uuid4(), basis("2024-09-01"))
    assert subject.state.pagu(Stage.PERUBAHAN) == 990


def test_a_revision_that_leaves_a_later_shift_below_zero_is_refused() -> None:
    subject = allocated()  # murni 1000 from 3 January
    subject.shift(Stage.MURNI, -800, "7.01.01.2.06.09", uuid4(), basis("2024-03-01"))
    with pytest.raises(RuleViolated, match=r"murni pagu at -300 on 2024-03-01; nothing was written \[negative-balance\]"):
        subject.revise_pagu(Stage.MURNI, Rupiah(500), basis("2024-02-01"))


def test_a_reallocation_acts_on_the_allocation_in_force_on_its_date() -> None:
    subject = line()
    subject.set_pagu(Stage.MURNI, Rupiah(1000), basis())
    subject.allocate_triwulan(Stage.MURNI, tuple(TwSlot(rupiah=Rupiah(250)) for _ in range(4)),  # type: ignore[arg-type]
                              basis("2024-04-01"))
    with pytest.raises(RuleViolated, match="no triwulan allocation at stage murni in force on 2024-03-01"):
        subject.reallocate(Stage.MURNI, 1, 2, Rupiah(10), None, basis("2024-03-01"))


def test_a_reallocation_cannot_move_more_target_than_a_triwulan_holds() -> None:
    subject = line()
    subject.set_pagu(Stage.MURNI, Rupiah(400), basis())
    slots = tuple(TwSlot(rupiah=Rupiah(100), target=Target(nilai=Decimal(3), satuan="Dok")) for _ in range(4))
    subject.allocate_triwulan(Stage.MURNI, slots, basis())  # type: ignore[arg-type]
    with pytest.raises(RuleViolated, match="targets 3 Dok on 2024-01-03 and cannot give 10"):
        subject.reallocate(Stage.MURNI, 1, 2, Rupiah(10), Decimal(10), basis())


def test_the_fold_keeps_every_date_a_figure_stood_below_zero() -> None:
    giver = allocated()
    giver.shift(Stage.MURNI, -800, "x", uuid4(), basis("2024-03-01"))
    events = [*giver.facts]
    later = events[-1].model_copy(update={"delta": -900, "originator_version": events[-1].originator_version + 1,
                                          "basis": basis("2024-05-01")})
    state = fold_line([*events, later])  # what an imported foreign log could hold
    assert [(n.day.isoformat(), n.stage, n.what, n.value) for n in state.negatives] == [
        ("2024-05-01", Stage.MURNI, "pagu", Decimal(-700))]
    assert fold_line(events).negatives == []
