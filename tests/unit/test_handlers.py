"""Command handlers against an in-memory unit of work: command in, events out, rules enforced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ledger.application.commands import (
    AssignPenanggungJawab,
    ChangeIndicator,
    CorrectEvent,
    Reallocate,
    RevisePagu,
    SetTarget,
    ShiftPagu,
)
from ledger.application.handlers import COMMAND_HANDLERS
from ledger.basis import Source, Stage
from ledger.errors import NotFound, RuleViolated
from ledger.line_events import (
    EventCorrected,
    IndicatorChanged,
    PaguRevised,
    PaguShifted,
    PenanggungJawabAssigned,
    Role,
    TargetChanged,
    TargetSet,
    TriwulanAllocated,
    TriwulanReallocated,
    TwSlot,
)
from ledger.money import Rupiah
from ledger.target import Satuan, Target
from tests.unit.fakes import OPD, TAHUN, InMemoryLedger, seeded_ledger

SUB, OTHER = "7.01.01.2.06.08", "7.01.01.2.06.09"


def fields(**extra: Any) -> dict[str, Any]:
    return {"opd": OPD, "tahun": TAHUN, "effective_on": date(2024, 10, 1), "reason": "SK Bupati 12/2024",
            "source": Source(command="test"), **extra}


def test_every_command_has_one_handler() -> None:
    from ledger.application import commands

    concrete = {cls for cls in vars(commands).values()
                if isinstance(cls, type) and issubclass(cls, commands.BaseCommand)
                and cls not in (commands.BaseCommand, commands.Command, commands.DatedCommand, commands.AccountCommand,
                                commands.ProposalStep, commands.FollowUpStep)}
    assert concrete == set(COMMAND_HANDLERS)


def test_revise_pagu_records_the_previous_figure_and_who() -> None:
    ledger = seeded_ledger()
    events = ledger.handle(RevisePagu(line=SUB, stage=Stage.PERUBAHAN, rupiah=Rupiah(1_250_000), **fields()))
    assert [type(e) for e in events] == [PaguRevised]
    revised = events[0]
    assert isinstance(revised, PaguRevised)
    assert (revised.previous, revised.rupiah) == (1_000_000, 1_250_000)
    assert revised.basis.recorded_by == "tester" and revised.basis.effective_on == date(2024, 10, 1)
    assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 1_250_000


def test_a_revision_without_a_reason_is_refused_and_nothing_changes() -> None:
    ledger = seeded_ledger()
    with pytest.raises(RuleViolated, match="reason-required"):
        ledger.handle(RevisePagu(line=SUB, stage=Stage.PERUBAHAN, rupiah=Rupiah(5), **fields(reason=" ")))
    assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 1_000_000


def test_a_shift_writes_both_sides_with_one_shift_id() -> None:
    ledger = seeded_ledger()
    events = ledger.handle(ShiftPagu(from_line=SUB, to_line=OTHER, stage=Stage.PERUBAHAN, rupiah=Rupiah(400_000),
                                     **fields()))
    assert [type(e) for e in events] == [PaguShifted, PaguShifted]
    giver, taker = events
    assert isinstance(giver, PaguShifted) and isinstance(taker, PaguShifted)
    assert (giver.delta, taker.delta) == (-400_000, 400_000) and giver.shift_id == taker.shift_id
    assert (ledger.line(SUB).state.pagu(Stage.PERUBAHAN), ledger.line(OTHER).state.pagu(Stage.PERUBAHAN)) == \
        (600_000, 1_400_000)


@pytest.mark.parametrize(("to_line", "amount", "rule"), [
    (SUB, 1, "shift-same-line"),
    (OTHER, 1_000_001, "shift-negative"),
])
def test_a_shift_that_breaks_a_rule_is_refused(to_line: str, amount: int, rule: str) -> None:
    ledger = seeded_ledger()
    with pytest.raises(RuleViolated, match=rule):
        ledger.handle(ShiftPagu(from_line=SUB, to_line=to_line, stage=Stage.PERUBAHAN, rupiah=Rupiah(amount), **fields()))
    assert ledger.line(OTHER).state.pagu(Stage.PERUBAHAN) == 1_000_000


def test_set_target_sets_then_changes() -> None:
    ledger = seeded_ledger()
    first = ledger.handle(SetTarget(line=SUB, stage=Stage.PERUBAHAN, target=Target(nilai=Decimal(12), satuan=Satuan.KALI),
                                    **fields()))
    second = ledger.handle(SetTarget(line=SUB, stage=Stage.PERUBAHAN, target=Target(nilai=Decimal(14), satuan=Satuan.KALI),
                                     **fields()))
    assert [type(e) for e in first + second] == [TargetSet, TargetChanged]
    changed = second[0]
    assert isinstance(changed, TargetChanged) and changed.previous == Target(nilai=Decimal(12), satuan=Satuan.KALI)


def test_change_indicator_keeps_the_old_wording() -> None:
    ledger = seeded_ledger()
    ledger.handle(ChangeIndicator(line=SUB, stage=Stage.PERUBAHAN, text="Jumlah tamu (Orang)", **fields()))
    events = ledger.handle(ChangeIndicator(line=SUB, stage=Stage.PERUBAHAN, text="Jumlah kunjungan (Kali)", **fields()))
    changed = events[0]
    assert isinstance(changed, IndicatorChanged)
    assert (changed.previous, changed.text) == ("Jumlah tamu (Orang)", "Jumlah kunjungan (Kali)")
    assert ledger.line(SUB).state.figures(Stage.PERUBAHAN).indicators[Role.OWN] == "Jumlah kunjungan (Kali)"  # type: ignore[union-attr]


def test_reallocate_nets_to_zero_on_an_allocated_line() -> None:
    ledger = seeded_ledger()

    def allocate(uow: Any) -> None:
        line = uow.line(uow.plan(OPD, TAHUN), SUB)
        slots = tuple(TwSlot(rupiah=Rupiah(250_000)) for _ in range(4))
        line.allocate_triwulan(Stage.MURNI, slots, uow.basis(effective_on=date(2024, 1, 3), reason="RA",
                                                             source=Source(command="test")))

    assert [type(e) for e in ledger.run(allocate)] == [TriwulanAllocated]
    events = ledger.handle(Reallocate(line=SUB, stage=Stage.MURNI, from_tw=4, to_tw=1, rupiah=Rupiah(50_000), **fields()))
    moved = events[0]
    assert isinstance(moved, TriwulanReallocated) and moved.rupiah == (50_000, 0, 0, -50_000)


def test_reallocate_without_an_allocation_is_refused() -> None:
    with pytest.raises(RuleViolated, match="no-triwulan-allocation"):
        seeded_ledger().handle(Reallocate(line=SUB, stage=Stage.MURNI, from_tw=4, to_tw=1, rupiah=Rupiah(1), **fields()))


def test_assign_names_the_previous_penanggung_jawab() -> None:
    ledger = seeded_ledger()
    ledger.handle(AssignPenanggungJawab(line=SUB, name="MANSYUR, S.Sos", **fields()))
    events = ledger.handle(AssignPenanggungJawab(line=SUB, name="A. RAHMAN", **fields()))
    assigned = events[0]
    assert isinstance(assigned, PenanggungJawabAssigned) and assigned.previous == "MANSYUR, S.Sos"


def test_a_correction_takes_the_corrected_events_date() -> None:
    ledger = seeded_ledger()
    murni_version = next(e.originator_version for e in ledger.line(SUB).facts
                         if type(e).__name__ == "PaguSet" and e.stage is Stage.MURNI)  # type: ignore[attr-defined]
    events = ledger.handle(CorrectEvent(line=SUB, version=murni_version, rupiah=Rupiah(999_000), opd=OPD, tahun=TAHUN,
                                        reason="salah ketik", source=Source(command="test")))
    corrected = events[0]
    assert isinstance(corrected, EventCorrected) and corrected.basis.effective_on == date(2024, 1, 3)
    assert ledger.line(SUB).state.pagu(Stage.MURNI) == 999_000


def test_an_unknown_plan_or_line_is_not_found() -> None:
    with pytest.raises(NotFound, match="plan"):
        InMemoryLedger().handle(RevisePagu(line=SUB, stage=Stage.MURNI, rupiah=Rupiah(1), **fields()))
    with pytest.raises(NotFound, match="line"):
        seeded_ledger().handle(RevisePagu(line="7.01.01.2.06.99", stage=Stage.MURNI, rupiah=Rupiah(1), **fields()))


def test_a_shift_into_a_parent_kegiatan_is_refused_naming_both_lines() -> None:
    ledger = seeded_ledger()
    with pytest.raises(RuleViolated, match=r"shift-level") as refused:
        ledger.handle(ShiftPagu(from_line=SUB, to_line="7.01.01.2.06", stage=Stage.PERUBAHAN, rupiah=Rupiah(10_000_000),
                                **fields()))
    assert SUB in str(refused.value) and "7.01.01.2.06 " in str(refused.value)
    assert ledger.line(SUB).state.pagu(Stage.PERUBAHAN) == 1_000_000


def test_a_revision_of_a_kegiatan_is_refused() -> None:
    with pytest.raises(RuleViolated, match="money-not-held"):
        seeded_ledger().handle(RevisePagu(line="7.01.01.2.06", stage=Stage.PERUBAHAN, rupiah=Rupiah(5), **fields()))
