"""The ``rincian`` layout: a sub-kegiatan's rincian belanja by account (RKA/DPA, RKPA/DPPA).

One row per komponen of an account (``kode_rekening`` of six parts): the account line is
opened under its sub-kegiatan the first time it is printed, and each komponen is stated with
its koefisien, satuan, harga, PPN and jumlah. Rows of the same account add its next komponen.
A row whose kode rekening stops at a higher level (``5.1.02``) is the total the form prints
for that level; it is kept as a statement of the sub-kegiatan and checked against its
accounts. Before/after forms (DPPA, RKPA) give the *sebelum* figures in ``*_sebelum``
columns, recorded at ``stage_sebelum`` as in the budget layout.
"""

from __future__ import annotations

from ledger.application.importing.context import ImportContext
from ledger.application.importing.recorders import check_sebelum_has_stage
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.basis import PLAN_STAGES, Stage
from ledger.errors import InvalidValue, LedgerError
from ledger.kode import Level
from ledger.line import BudgetLine
from ledger.line_events import RincianItem
from ledger.money import Rupiah
from ledger.numbers import is_empty, parse_decimal, parse_whole
from ledger.plan import LineRef, Plan, rekening_key
from ledger.rekening import KodeRekening

FIGURES = ("koefisien", "satuan", "harga", "ppn", "jumlah")
SEBELUM = "_sebelum"
COLUMNS: tuple[str, ...] = ("row", "source_line", "sub_kegiatan", "kode_rekening", "nama_rekening", "komponen",
                            *FIGURES, *(column + SEBELUM for column in FIGURES), "bertambah", "note")
REQUIRED: tuple[str, ...] = ("row", "sub_kegiatan", "kode_rekening")


def record_rincian(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    stage = table.stage
    assert stage is not None  # the manifest requires a stage for this layout
    if stage not in PLAN_STAGES:
        raise row.fail(None, f"a rincian belanja states the {stage.label} stage, but a DPA/RKA states the murni and a "
                             "DPPA/RKPA the perubahan (stage murni or perubahan in document.toml)")
    sub = sub_kegiatan_of(plan, row)
    rekening = kode_rekening_of(row)
    check_sebelum_has_stage(table, row, tuple(column + SEBELUM for column in FIGURES))
    if len(rekening.parts) < 6:
        record_level_total(ctx, plan, table, row, sub, rekening)
        return
    account = open_rekening(ctx, plan, table, row, sub, rekening)
    sides: list[tuple[Stage, str]] = [(stage, "")]
    if table.stage_sebelum:
        sides.append((table.stage_sebelum, SEBELUM))
    stated = False
    ke = ctx.next_komponen(table, account.state.key)
    for side_stage, suffix in sides:
        item = item_of(row, suffix)
        if item is None:
            continue
        stated = True
        if suffix:
            basis = ctx.basis_sebelum(table, row, row.get("jumlah" + suffix))
            account.state_rincian(side_stage, item, ke, basis)
        else:
            basis = ctx.basis(table, row, row.get("jumlah"))
            account.state_rincian(side_stage, item, ke, basis, signed_amount(row, "bertambah"))
    if not stated:
        raise row.fail("jumlah", "empty; a komponen row needs its jumlah (or, on a before/after form, jumlah_sebelum)")


def sub_kegiatan_of(plan: Plan, row: Row) -> LineRef:
    try:
        ref = plan.resolve(row.get("sub_kegiatan"))
    except LedgerError as error:
        raise row.fail("sub_kegiatan", f"{error}; the sub-kegiatan must be a line of the plan or of this "
                                       "document's budget table") from None
    if ref.level is not Level.SUB_KEGIATAN:
        raise row.fail("sub_kegiatan", f"{row.get('sub_kegiatan')!r} is a {ref.level.value}; the rincian belanja is "
                                       "given per sub-kegiatan")
    return ref


def kode_rekening_of(row: Row) -> KodeRekening:
    try:
        return KodeRekening.parse(row.get("kode_rekening"))
    except InvalidValue as error:
        raise row.fail("kode_rekening", str(error)) from None


def open_rekening(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row, sub: LineRef,
                 rekening: KodeRekening) -> BudgetLine:
    nama = row.get("nama_rekening")
    basis = ctx.basis(table, row, row.get("kode_rekening"))
    found = plan.find_rekening(sub, rekening)
    if found is None:
        return ctx.uow.open_line(plan, key=rekening_key(sub.kode or sub.key, rekening), kode=str(rekening),
                                 level=Level.REKENING, nama=nama or str(rekening), parent_key=sub.key, basis=basis)
    account = ctx.uow.line(plan, found.key)
    if nama:
        account.state_name(nama, basis)
    return account


def record_level_total(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row, sub: LineRef,
                       rekening: KodeRekening) -> None:
    for column in ("komponen", "koefisien", "satuan", "harga", "ppn"):
        for name in (column, column + SEBELUM):
            if row.get(name):
                raise row.fail(name, f"given on the {rekening.level.value.replace('_', ' ')} total {rekening}; "
                                     "komponen belong to a six-part kode rekening (sub rincian objek)")
    line = ctx.uow.line(plan, sub.key)
    nama = row.get("nama_rekening") or None
    after, before = row.rupiah("jumlah"), row.rupiah("jumlah" + SEBELUM)
    if after is None and before is None:
        raise row.fail("jumlah", f"empty; the total row of {rekening} needs its jumlah")
    if after is not None and table.stage is not None:
        line.state_rekening_total(table.stage, str(rekening), nama, after, ctx.basis(table, row, row.get("jumlah")))
    if before is not None and table.stage_sebelum is not None:
        line.state_rekening_total(table.stage_sebelum, str(rekening), nama, before,
                                  ctx.basis_sebelum(table, row, row.get("jumlah" + SEBELUM)))


def item_of(row: Row, suffix: str) -> RincianItem | None:
    """The komponen of one side of the row, or None when that side is empty."""
    # The komponen's name is printed once, for both sides: it makes the setelah side, not the sebelum.
    shown = [column + suffix for column in FIGURES] + ([] if suffix else ["komponen"])
    if not any(row.get(column) for column in shown):
        return None
    jumlah = row.rupiah("jumlah" + suffix)
    if jumlah is None:
        raise row.fail("jumlah" + suffix, "empty; a komponen row needs its jumlah (0 for a komponen dropped in the "
                                          "perubahan)")
    ppn_text = row.get("ppn" + suffix)
    ppn_persen, ppn = None, None
    if not is_empty(ppn_text):
        try:
            if ppn_text.endswith("%"):
                ppn_persen = parse_decimal(ppn_text)
            else:
                ppn = Rupiah(parse_whole(ppn_text))
        except InvalidValue as error:
            raise row.fail("ppn" + suffix, f"{error} (a percentage such as 11% or an amount in Rupiah)") from None
    return RincianItem(komponen=row.get("komponen") or None, koefisien=row.decimal("koefisien" + suffix),
                       satuan=row.get("satuan" + suffix) or None, harga=row.rupiah("harga" + suffix),
                       ppn_persen=ppn_persen, ppn=ppn, jumlah=jumlah)


def signed_amount(row: Row, column: str) -> int | None:
    """An amount that may be negative, printed ``(1.500.000)`` or ``-1.500.000``."""
    text = row.get(column)
    if is_empty(text):
        return None
    negative = text.startswith("(") and text.endswith(")")
    try:
        value = parse_whole(text[1:-1] if negative else text)
    except InvalidValue as error:
        raise row.fail(column, f"{error} (bertambah, or (berkurang) in parentheses)") from None
    return -value if negative else value

