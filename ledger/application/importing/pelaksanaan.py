"""The layouts of the year as it is spent (``ledger.pelaksanaan``), one row per statement:

* ``anggaran_kas``: a line's twelve months (``bulan_1`` .. ``bulan_12``) at the table's stage;
* ``realisasi_keuangan``: money a line spent in one ``periode`` of one ``tahun`` (``nilai``);
* ``realisasi_kinerja``: what an indicator of a line achieved in one periode (``nilai`` and
  ``satuan`` as printed; the indicator by ``indikator_ke``, 1 = the first printed).

Columns are generic: no year in a column name. ``kode`` names the line as every verb does (a
kode, a name, or ``SUB-KEGIATAN/KODE-REKENING`` for an account). A realisasi is effective on
its own ``tanggal`` when the row gives one (the SP2D's or the LRA's date), else on the
document's date; ``bukti`` says what it rests on (sp2d, lra, laporan, dokumen; default by the
document: an LRA's rows are ``lra``, any other document's ``dokumen``).
"""

from __future__ import annotations

from datetime import date

from ledger.application.importing.context import ImportContext
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.basis import PLAN_STAGES, Basis
from ledger.document import DocumentKind
from ledger.errors import InvalidValue, LedgerError
from ledger.i18n import _
from ledger.line_events import Role
from ledger.money import Rupiah
from ledger.numbers import is_empty
from ledger.pelaksanaan import Bukti
from ledger.periode import Periode
from ledger.plan import Plan
from ledger.plan_years import outside_plan_years

MONTH_COLUMNS = tuple(f"bulan_{number}" for number in range(1, 13))
KAS_COLUMNS = ("row", "source_line", "kode", "nama", *MONTH_COLUMNS, "note")
KAS_REQUIRED = ("row", "kode", *MONTH_COLUMNS)
PERIOD_COLUMNS = ("row", "source_line", "kode", "nama", "tahun", "periode", "tanggal", "bukti")
KEUANGAN_COLUMNS = (*PERIOD_COLUMNS, "nilai", "keterangan", "note")
KEUANGAN_REQUIRED = ("row", "kode", "tahun", "periode", "nilai")
KINERJA_COLUMNS = (*PERIOD_COLUMNS, "indikator_ke", "indikator", "nilai", "satuan", "pendorong", "penghambat", "note")
KINERJA_REQUIRED = ("row", "kode", "tahun", "periode", "nilai")


def _line_key(plan: Plan, row: Row) -> str:
    try:
        return plan.resolve(row.get("kode")).key
    except LedgerError as error:
        raise row.fail("kode", str(error)) from None


def record_anggaran_kas(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    stage = table.stage
    assert stage is not None  # the manifest requires a stage for this layout
    if stage not in PLAN_STAGES:
        raise row.fail(None, _("an anggaran kas belongs to the murni (DPA) or the perubahan (DPPA), not to {stage}").format(
            stage=stage.label))
    months = []
    for column in MONTH_COLUMNS:
        amount = row.rupiah(column)
        months.append(amount if amount is not None else Rupiah(0))
    printed = " | ".join(row.get(column) or "-" for column in MONTH_COLUMNS)
    plan.state_anggaran_kas(_line_key(plan, row), stage, tuple(months), ctx.basis(table, row, printed))


def record_realisasi_keuangan(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    amount = row.rupiah("nilai")
    if amount is None:
        raise row.fail("nilai", _("empty: the Rupiah realised in the periode"))
    tahun, periode = _year(row), _periode(row)
    basis = _dated(ctx, table, row, row.get("nilai"))
    plan.record_realisasi_keuangan(_line_key(plan, row), tahun, periode, amount, _bukti(ctx, row), basis,
                                   keterangan=row.get("keterangan") or None)


def record_realisasi_kinerja(ctx: ImportContext, plan: Plan, table: TableSpec, row: Row) -> None:
    text = " ".join(part for part in (row.get("nilai"), row.get("satuan")) if part)
    capaian = row.target("nilai", row.get("satuan") or None)
    if capaian is None:
        raise row.fail("nilai", _("empty: the value achieved in the periode"))
    tahun, periode = _year(row), _periode(row)
    ke = _indicator_number(row)
    basis = _dated(ctx, table, row, text)
    plan.record_realisasi_kinerja(_line_key(plan, row), tahun, periode, capaian, _bukti(ctx, row), basis, role=Role.OWN,
                                  ke=ke, pendorong=row.get("pendorong") or None,
                                  penghambat=row.get("penghambat") or None)


def _year(row: Row) -> int:
    text = row.get("tahun")
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise row.fail("tahun", _("{value!r} is not a year such as 2024").format(value=text))
    return int(text)


def _periode(row: Row) -> Periode:
    try:
        return Periode.parse(row.get("periode"))
    except InvalidValue as error:
        raise row.fail("periode", error.expected) from None


def _indicator_number(row: Row) -> int:
    text = row.get("indikator_ke") or "1"
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 20):
        raise row.fail("indikator_ke", _("{value!r} is not an indicator's number (1 = the first printed)").format(
            value=text))
    return int(text)


def _bukti(ctx: ImportContext, row: Row) -> Bukti:
    text = row.get("bukti").casefold()
    if not text:
        return Bukti.LRA if ctx.spec.kind is DocumentKind.LRA else Bukti.DOKUMEN
    try:
        return Bukti(text)
    except ValueError:
        raise row.fail("bukti", _("expected one of {choices}").format(choices=", ".join(b.value for b in Bukti))) from None


def _dated(ctx: ImportContext, table: TableSpec, row: Row, printed: str | None) -> Basis:
    """The document's basis, effective on the row's own date when it gives one."""
    basis = ctx.basis(table, row, printed)
    text = row.get("tanggal")
    if is_empty(text):
        return basis
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise row.fail("tanggal", _("{value!r} is not a date; write it as 2024-08-01").format(value=text)) from None
    problem = outside_plan_years(ctx.spec.tahun, day, _("the date"), overridable=False)
    if problem:
        raise row.fail("tanggal", problem + " [date-outside-plan-years]")
    return basis.model_copy(update={"effective_on": day})
