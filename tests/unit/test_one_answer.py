"""One question, one answer: the plan's total at a date is the same in Tabel 3.2, in `diff`
and in a preview's totals, whatever the plan holds. Above all for a line that a perubahan
does not restate: it stays in force at its murni (docs/stages.md), in every view.

Plans are generated in memory (hypothesis): a tree of programs, kegiatan and sub-kegiatan,
any of which may state a murni pagu, a perubahan pagu, both or neither."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.basis import Source, Stage
from ledger.kode import Level
from ledger.line_state import LineState, PaguStatement, StageFigures
from ledger.money import Rupiah
from projections.pointintime import diff_views
from projections.preview import stage_total
from projections.reports import ReportKind, build_report
from projections.timeline import PlanView

amounts = st.none() | st.integers(min_value=0, max_value=900_000_000)
# A line's (murni, perubahan) pagu; a parent stating its own figure is a form printing money at that level.
figures = st.tuples(amounts, amounts)


def stages_of(murni: int | None, perubahan: int | None) -> dict[Stage, StageFigures]:
    stages = {}
    for stage, rupiah, table in ((Stage.MURNI, murni, "Rencana Aksi"), (Stage.PERUBAHAN, perubahan, "Tabel 3.2")):
        if rupiah is not None:
            said = PaguStatement(version=1, event_type="PaguSet", rupiah=Rupiah(rupiah), effective_on=date(2024, 1, 3),
                                 source=Source(document="Renja", table=table, row="1"))
            stages[stage] = StageFigures(pagu=Rupiah(rupiah), statements=[said])
    return stages


@st.composite
def plans(draw: st.DrawFn) -> PlanView:
    """A plan: up to 3 programs x 3 kegiatan x 3 sub-kegiatan, with figures at any level; a
    sub-kegiatan may be known only by its name (no kode)."""
    lines: list[LineState] = []

    def add(key: str, kode: str | None, level: Level, parent: str | None) -> None:
        murni, perubahan = draw(figures)
        lines.append(LineState(line_id=key, opd="K", tahun=2024, key=key, kode=kode, level=level, nama=f"Line {key}",
                               parent_key=parent, stages=stages_of(murni, perubahan), in_force=True))

    for p in range(draw(st.integers(1, 3))):
        program = f"7.01.0{p + 1}"
        add(program, program, Level.PROGRAM, None)
        for k in range(draw(st.integers(0, 3))):
            kegiatan = f"{program}.2.0{k + 1}"
            add(kegiatan, kegiatan, Level.KEGIATAN, program)
            for s in range(draw(st.integers(0, 3))):
                named_only = draw(st.booleans())
                sub = f"{kegiatan}.0{s + 1}"
                add(f"nama:{sub}" if named_only else sub, None if named_only else sub, Level.SUB_KEGIATAN, kegiatan)
    view = PlanView("K", 2024, date(2024, 8, 1), None)
    view.set_lines({line.key: line for line in lines})
    return view


def report_total(view: PlanView, kind: ReportKind) -> int:
    return int(build_report(kind, view).payload["total"]["pagu"])


@settings(max_examples=150, deadline=None)
@given(plans(), plans())
def test_diff_totals_are_the_reports_totals_at_both_dates(before: PlanView, after: PlanView) -> None:
    total = diff_views(before, after)["total"]
    assert (total["sebelum"], total["sesudah"]) == (report_total(before, ReportKind.PERUBAHAN),
                                                    report_total(after, ReportKind.PERUBAHAN))


@settings(max_examples=150, deadline=None)
@given(plans())
def test_a_previews_totals_are_the_reports_totals(view: PlanView) -> None:
    """What a preview says the plan's totals would be is what the reports say once it is saved."""
    assert (stage_total(view, Stage.MURNI) or 0) == report_total(view, ReportKind.RENJA)
    has_perubahan = any(line.pagu(Stage.PERUBAHAN) is not None for line in view.lines.values())
    assert stage_total(view, Stage.PERUBAHAN) == (report_total(view, ReportKind.PERUBAHAN) if has_perubahan else None)


def test_a_line_the_perubahan_does_not_restate_counts_at_its_murni_and_is_marked() -> None:
    view = PlanView("K", 2024, date(2024, 8, 1), None)
    lines = [LineState(line_id="p", key="7.01.01", kode="7.01.01", level=Level.PROGRAM, nama="Program", in_force=True),
             LineState(line_id="k", key="7.01.01.2.07", kode="7.01.01.2.07", level=Level.KEGIATAN, nama="Pengadaan",
                       parent_key="7.01.01", in_force=True),
             LineState(line_id="a", key="7.01.01.2.07.05", kode="7.01.01.2.07.05", nama="Mebel", parent_key="7.01.01.2.07",
                       stages=stages_of(2_300_000, 5_640_000), in_force=True),
             LineState(line_id="b", key="nama:kendaraan", nama="Kendaraan", parent_key="7.01.01.2.07",
                       stages=stages_of(34_500_000, None), in_force=True)]
    view.set_lines({line.key: line for line in lines})
    payload = build_report(ReportKind.PERUBAHAN, view).payload
    rows = {row["nama"]: row for row in payload["rows"]}
    assert (rows["Kendaraan"]["pagu"], rows["Kendaraan"]["tidak_dinyatakan_ulang"]) == (34_500_000, True)
    assert (rows["Mebel"]["pagu"], rows["Mebel"]["tidak_dinyatakan_ulang"]) == (5_640_000, False)
    assert rows["Pengadaan"]["pagu"] == 40_140_000 and not rows["Pengadaan"]["tidak_dinyatakan_ulang"]
    assert payload["total"]["pagu"] == 40_140_000


def test_a_kegiatan_restated_at_its_own_level_counts_as_stated_and_its_rows_carry_nothing() -> None:
    """A perubahan printing money at kegiatan level only restates the kegiatan as a whole: its own
    figure counts, and its sub-kegiatan's murni is not carried beside it."""
    view = PlanView("K", 2024, date(2024, 8, 1), None)
    lines = [LineState(line_id="k", key="7.01.01.2.07", kode="7.01.01.2.07", level=Level.KEGIATAN, nama="Pengadaan",
                       stages=stages_of(48_010_000, 50_000_000), in_force=True),
             LineState(line_id="a", key="7.01.01.2.07.05", kode="7.01.01.2.07.05", nama="Mebel", parent_key="7.01.01.2.07",
                       stages=stages_of(2_300_000, None), in_force=True)]
    view.set_lines({line.key: line for line in lines})
    payload = build_report(ReportKind.PERUBAHAN, view).payload
    rows = {row["nama"]: row for row in payload["rows"]}
    assert (rows["Pengadaan"]["pagu"], rows["Mebel"]["pagu"], rows["Mebel"]["tidak_dinyatakan_ulang"]) == (
        50_000_000, None, False)
    assert payload["total"]["pagu"] == 50_000_000 == diff_views(view, view)["total"]["sesudah"]
