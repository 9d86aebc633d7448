"""How each import layout turns one row into events (see ``layouts.LAYOUTS``)."""

from __future__ import annotations

from decimal import Decimal

from ledger.application.importing.context import ImportContext
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.basis import Stage
from ledger.events import name_key
from ledger.line import BudgetLine
from ledger.line_events import Role, TwSlot
from ledger.matching import named
from ledger.plan import Plan
from ledger.target import infer_satuan

REALISASI_COLUMNS: tuple[str, ...] = ("target_renstra_2023", "realisasi_2023", "target_renja", "realisasi_tw2",
                     "tingkat_realisasi_tw2", "target_renja_akhir", "realisasi_akhir", "tingkat_capaian_renstra")


# (indicator column, target column, role): the indicators a budget row may print. A row that
# repeats a line of its table adds the next indicator of each role it fills (``ke`` 2, 3 ...).
INDICATOR_COLUMNS: tuple[tuple[str, str, Role], ...] = (
    ("indikator", "target", Role.OWN),
    ("indikator_program", "target_program", Role.PROGRAM),
    ("indikator_kegiatan", "target_kegiatan", Role.KEGIATAN),
    ("indikator_keluaran", "target_keluaran", Role.KELUARAN),
)
SEBELUM = "_sebelum"  # the suffix of a before/after form's *sebelum perubahan* columns
SEBELUM_COLUMNS: tuple[str, ...] = ("pagu" + SEBELUM, *(column + SEBELUM for text, target, _ in INDICATOR_COLUMNS
                                                        for column in (text, target)))
# The money of a line: a repeated row may leave it empty or print it again, never differently.
MONEY_COLUMNS: tuple[str, ...] = ("pagu", "pagu" + SEBELUM, "pm_pagu", *(f"tw{n}_pagu" for n in range(1, 5)))
TARGET_COLUMNS: tuple[str, ...] = (*(target + end for _, target, _ in INDICATOR_COLUMNS for end in ("", SEBELUM)),
                                   "target_akhir", "pm_target", *(f"tw{n}_target" for n in range(1, 5)))


def read_figures(row: Row) -> None:
    """Every figure of a budget row read, a bad one noted on the row, nothing recorded."""
    for column in MONEY_COLUMNS:
        row.rupiah(column)
    for column in TARGET_COLUMNS:
        row.target(column, None)


def record_budget(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    stage = table.stage
    assert stage is not None  # the manifest requires a stage for this layout
    if row.get("level") == "total":
        record_total(ctx, plan, table, row, stage)
        return
    key = ctx.lines[(table.id, row.row)].key
    line = ctx.uow.line(plan, key)
    first = ctx.first_row(table, key, row)
    if first is not None:
        check_same_money(first, row)
    numbers = ctx.indicator_numbers(table, key, row, INDICATOR_COLUMNS, SEBELUM)
    unit = record_indicators(ctx, line, table, row, stage, numbers, "")
    check_sebelum_has_stage(table, row, SEBELUM_COLUMNS)
    if stage_before := table.stage_sebelum:
        record_indicators(ctx, line, table, row, stage_before, numbers, SEBELUM)
    if first is not None:
        return  # a repeated row adds indicators; the line's money and details come from its first row
    record_texts(ctx, line, table, row, stage)
    target_akhir = row.target("target_akhir", unit)
    if target_akhir:
        line.set_target(stage, Role.YEAR_END, target_akhir, ctx.basis(table, row, row.get("target_akhir")))
    pagu = row.rupiah("pagu")
    if pagu is not None:
        line.set_pagu(stage, pagu, ctx.basis(table, row, row.get("pagu")))
    if table.stage_sebelum and (before := row.rupiah("pagu" + SEBELUM)) is not None:
        line.set_pagu(table.stage_sebelum, before, ctx.basis_sebelum(table, row, row.get("pagu" + SEBELUM)))
    slots = tuple(TwSlot(target=row.target(f"tw{n}_target", unit), rupiah=row.rupiah(f"tw{n}_pagu")) for n in range(1, 5))
    if any(slot.target is not None or slot.rupiah is not None for slot in slots):
        printed = " | ".join(row.get(f"tw{n}_pagu") or "-" for n in range(1, 5))
        line.allocate_triwulan(stage, (slots[0], slots[1], slots[2], slots[3]), ctx.basis(table, row, printed))
    if row.get("penanggung_jawab"):
        line.assign_penanggung_jawab(row.get("penanggung_jawab"), ctx.basis(table, row))
    record_forward(ctx, line, table, row)


def check_sebelum_has_stage(table: TableSpec, row: Row, columns: tuple[str, ...]) -> None:
    """A before/after form's *sebelum* figures need the stage they state (``stage_sebelum``)."""
    filled = [column for column in columns if row.get(column)]
    if filled and table.stage_sebelum is None:
        stage = table.stage.label if table.stage else ""
        raise row.fail(filled[0], f"a *sebelum* figure, but the {stage} stage has no stage before it; "
                                  f"give stage_sebelum for {table.id!r} in document.toml")


def check_same_money(first: Row, row: Row) -> None:
    for column in MONEY_COLUMNS:
        if row.get(column) and row.rupiah(column) != first.rupiah(column):
            raise row.fail(column, f"{row.get(column)!r}, but row {first.row} of this table gives the same line "
                                   f"{first.get(column) or 'nothing'!r}; a repeated row adds an indicator and may "
                                   "not state the line's money differently")


def record_indicators(ctx: ImportContext, line: BudgetLine, table: TableSpec, row: Row, stage: Stage,
                      numbers: dict[Role, int], suffix: str) -> str | None:
    """Each indicator and target the row prints (with ``suffix``: its *sebelum* columns), as
    indicator number ``numbers[role]``. Returns the unit of the row's own indicator."""
    basis = ctx.basis_sebelum if suffix else ctx.basis
    own_unit: str | None = None
    for text_column, target_column, role in INDICATOR_COLUMNS:
        text = row.get(text_column + suffix)
        default = infer_satuan(text) if text else None
        target = row.target(target_column + suffix, default)
        if role is Role.OWN:
            own_unit = target.satuan if target else default
        if role not in numbers:
            continue
        if text:
            line.set_indicator(stage, role, text, basis(table, row, None), numbers[role])
        if target:
            line.set_target(stage, role, target, basis(table, row, row.get(target_column + suffix)), numbers[role])
    return own_unit


def record_texts(ctx: ImportContext, line: BudgetLine, table: TableSpec, row: Row, stage: Stage) -> None:
    line.state_details(stage, ctx.basis(table, row), lokasi=row.get("lokasi") or None,
                       sumber_dana=row.get("sumber_dana") or None, catatan=row.get("catatan") or None)


def record_forward(ctx: ImportContext, line: BudgetLine, table: TableSpec, row: Row) -> None:
    indicator = row.get("pm_indikator") or None
    target = row.target("pm_target", infer_satuan(indicator) if indicator else None)
    rupiah = row.rupiah("pm_pagu")
    if indicator or target or rupiah is not None:
        line.set_forward_estimate(ctx.spec.tahun + 1, ctx.basis(table, row, row.get("pm_pagu") or None),
                                  indikator=indicator, target=target, rupiah=rupiah)


def record_total(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row, stage: Stage) -> None:
    label = row.get("nama") or "total"
    triwulan = tuple(row.rupiah(f"tw{n}_pagu") for n in range(1, 5))
    has_tw = any(t is not None for t in triwulan)
    plan.state_total(stage, label, ctx.basis(table, row, row.get("pagu")), rupiah=row.rupiah("pagu"),
                     triwulan=(triwulan[0], triwulan[1], triwulan[2], triwulan[3]) if has_tw else None)
    pm = row.rupiah("pm_pagu")
    if pm is not None:
        plan.state_total(Stage.PRAKIRAAN_MAJU, label, ctx.basis(table, row, row.get("pm_pagu")), rupiah=pm)


def record_realisasi(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    match = name_key(row.get("nama_baku") or row.get("nama"))
    candidates = named(match, plan.lines.values())
    if len(candidates) != 1:
        raise row.fail("nama", f"matches {len(candidates)} lines of the plan; expected exactly one "
                               "(give nama_baku with the line's name)")
    line = ctx.uow.line(plan, candidates[0].key)
    figures: dict[str, Decimal | None] = {column: row.decimal(column) for column in REALISASI_COLUMNS}
    line.record_realisasi(figures, ctx.basis(table, row, " | ".join(row.get(c) or "-" for c in REALISASI_COLUMNS)),
                          indikator=row.get("indikator") or None)


def record_sasaran(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    plan.state_sasaran(ctx.basis(table, row, row.get("target") or None), tujuan=row.get("tujuan") or None,
                       indikator_tujuan=row.get("indikator_tujuan") or None, sasaran=row.get("sasaran") or None,
                       indikator=row.get("indikator_sasaran") or None, target=row.get("target") or None)


def record_indikator_tahunan(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    try:
        tahun = int(row.get("tahun"))
    except ValueError:
        raise row.fail("tahun", f"{row.get('tahun')!r} is not a year") from None
    plan.state_indikator_tahunan(row.get("indikator"), row.get("jenis"), tahun, row.decimal("nilai"),
                                 ctx.basis(table, row, row.get("nilai") or None))
