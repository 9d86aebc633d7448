"""The ``rincian`` layout: a sub-kegiatan's rincian belanja by account (RKA/DPA, RKPA/DPPA).

One row per komponen of an account (``kode_rekening`` of six parts): the account line is
opened under its sub-kegiatan the first time it is printed, and each komponen is stated with
its koefisien, satuan, harga, PPN and jumlah. Rows of the same account add its next komponen.
A row whose kode rekening stops at a higher level (``5.1.02``) is the total the form prints
for that level; it is kept as a statement of the sub-kegiatan and checked against its
accounts. Before/after forms (DPPA, RKPA) give the *sebelum* figures in ``*_sebelum``
columns, recorded at ``stage_sebelum`` as in the budget layout.

A document in the codes of Permendagri 13/2006 has no sub-kegiatan: its accounts (five parts,
``5.2.1.01.05``) are listed per kegiatan, named in column ``kegiatan`` (the document's kodefikasi
says which: ``ledger.kodefikasi``, ``account_parent``).
"""

from __future__ import annotations

import re

from ledger.application.importing.context import ImportContext
from ledger.application.importing.recorders import check_sebelum_has_stage
from ledger.application.importing.resolve import other_codes, read_elsewhere
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.basis import PLAN_STAGES, Stage
from ledger.errors import InvalidValue, LedgerError
from ledger.i18n import _
from ledger.kode import Kode, Level, kode_identity
from ledger.kodefikasi import Kodefikasi
from ledger.line import BudgetLine
from ledger.line_events import RincianItem
from ledger.money import Rupiah
from ledger.numbers import is_empty, parse_decimal, parse_whole
from ledger.plan import LineRef, Plan, account_owner, rekening_key
from ledger.rekening import LEVELS, KodeRekening

FIGURES = ("koefisien", "satuan", "harga", "ppn", "jumlah")
SEBELUM = "_sebelum"
# The line whose accounts a row states: its sub-kegiatan, or on a form of Permendagri 13/2006 its
# kegiatan; the header names one of them (``Layout.one_of``).
PARENT_COLUMNS: tuple[str, ...] = (Level.SUB_KEGIATAN.value, Level.KEGIATAN.value)
COLUMNS: tuple[str, ...] = ("row", "source_line", *PARENT_COLUMNS, "kode_rekening", "nama_rekening", "komponen",
                            *FIGURES, *(column + SEBELUM for column in FIGURES), "bertambah", "note")
REQUIRED: tuple[str, ...] = ("row", "kode_rekening")
PART_WORDS = {5: "five", 6: "six"}


def record_rincian(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    stage = table.stage
    assert stage is not None  # the manifest requires a stage for this layout
    if stage not in PLAN_STAGES:
        raise row.fail(None, f"a rincian belanja states the {stage.label} stage, but a DPA/RKA states the murni and a "
                             "DPPA/RKPA the perubahan (stage murni or perubahan in document.toml)")
    sub = account_parent_of(plan, row, ctx.spec.codes)
    rekening = kode_rekening_of(row, sub, ctx.spec.codes)
    check_sebelum_has_stage(table, row, tuple(column + SEBELUM for column in FIGURES))
    if not rekening.is_account:
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


def account_parent_of(plan: Plan, row: Row, kodefikasi: Kodefikasi) -> LineRef:
    """The line whose accounts the row states: its sub-kegiatan, or in the codes of Permendagri
    13/2006 (no sub-kegiatan) its kegiatan."""
    level = kodefikasi.rules.account_parent
    column, words = level.value, level.value.replace("_", "-")
    for other in PARENT_COLUMNS:
        if other != column and row.get(other) and not row.get(column):
            raise row.fail(other, _("a document in the codes of {title} lists its accounts per {words}: give the "
                                    "{words} in column {column}").format(title=kodefikasi.rules.title, words=words,
                                                                          column=column)
                           + other_codes(row.get(other), Level(other), kodefikasi))
    try:
        ref = plan.resolve(row.get(column))
    except LedgerError as error:
        raise row.fail(column, f"{error}; the {words} must be a line of the plan or of this "
                               "document's budget table") from None
    if ref.level is not level:
        raise row.fail(column, f"{row.get(column)!r} is a {ref.level.value}; the rincian belanja is "
                               f"given per {words}")
    return ref


def kode_rekening_of(row: Row, parent: LineRef, kodefikasi: Kodefikasi) -> KodeRekening:
    text = row.get("kode_rekening")
    if kodefikasi.rules.rekening_after_kegiatan:
        text = after_kegiatan(row, text, parent, kodefikasi)
    try:
        return KodeRekening.parse(text, kodefikasi)
    except InvalidValue as error:
        raise row.fail("kode_rekening", str(error) + other_rekening(text, kodefikasi)) from None


def other_rekening(text: str, kodefikasi: Kodefikasi) -> str:
    """When another kodefikasi reads a refused kode rekening (5.2.1.01.05 in a 2024 document): which field says so."""
    return read_elsewhere(text, kodefikasi, KodeRekening.parse)


def after_kegiatan(row: Row, text: str, parent: LineRef, kodefikasi: Kodefikasi) -> str:
    """An account printed after its kegiatan's code, as the Penjabaran APBD of Permendagri 13/2006
    prints it (``1.08 . 1.08.01 . 01 . 01 . 5.2.1.01.05``): the account, once the code in front is
    known to be the row's kegiatan."""
    parts = [part for part in re.split(r"[.\s]+", text.strip()) if part]
    if len(parts) <= len(kodefikasi.rules.rekening):
        return text
    for cut in range(len(parts) - 1, 0, -1):  # the longest code in front first: with the SKPD, then without
        try:
            head = Kode.parse(".".join(parts[:cut]), kodefikasi)
        except InvalidValue:
            continue
        if head.level is not kodefikasi.rules.account_parent:
            continue
        if parent.kode is None or str(head) != kode_identity(parent.kode):
            raise row.fail("kode_rekening", _("printed under {kode}, but the row's {level} is {parent}").format(
                kode=head, level=head.level.value.replace("_", "-"), parent=parent.kode or parent.key))
        return ".".join(parts[cut:])
    return text


def open_rekening(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row, sub: LineRef,
                 rekening: KodeRekening) -> BudgetLine:
    nama = row.get("nama_rekening")
    basis = ctx.basis(table, row, row.get("kode_rekening"))
    found = plan.find_rekening(sub, rekening)
    if found is None:
        return ctx.uow.open_line(plan, key=rekening_key(account_owner(sub), rekening), kode=str(rekening),
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
                full = len(rekening.rules.rekening)
                raise row.fail(name, f"given on the {rekening.level.value.replace('_', ' ')} total {rekening}; "
                                     f"komponen belong to a {PART_WORDS[full]}-part kode rekening "
                                     f"({LEVELS[full - 1].value.replace('_', ' ')})")
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

