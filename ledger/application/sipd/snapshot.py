"""One read of SIPD for one sub-unit and year: its sub-kegiatan with their program and kegiatan,
indicators, lokasi, sumber dana, komponen by account and anggaran kas (docs/sipd.md says which
column is what). Every bad row is collected; a snapshot with any is refused whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from ledger.application.sipd import tables as t
from ledger.application.sipd.source import SipdSource
from ledger.application.sipd.tables import SipdTable
from ledger.application.sipd.values import Cell
from ledger.errors import ImportFailed, rejected
from ledger.i18n import _
from ledger.kode import Kode, Level
from ledger.kodefikasi import Kodefikasi
from ledger.line_events import RincianItem, Role
from ledger.money import Rupiah
from ledger.rekening import KodeRekening
from ledger.target import Target

MAX_ERRORS = 50
# The indicator tables, each with the role its indicators take on the sub-kegiatan's line and
# its (text, value, satuan, printed target) columns.
INDICATOR_TABLES: tuple[tuple[SipdTable, Role, tuple[str, str, str, str]], ...] = (
    (t.INDIKATOR, Role.OWN, ("outputteks", "targetoutput", "satuanoutput", "targetoutputteks")),
    (t.CAPAIAN_PROGRAM, Role.PROGRAM, ("capaianteks", "targetcapaian", "satuancapaian", "targetcapaianteks")),
    (t.HASIL_KEGIATAN, Role.KEGIATAN, ("hasilteks", "targethasil", "satuanhasil", "targethasilteks")),
    (t.KELUARAN_KEGIATAN, Role.KELUARAN, ("outputteks", "targetoutput", "satuanoutput", "targetoutputteks")),
)


@dataclass(frozen=True)
class Indicator:
    text: str
    target: Target | None
    where: str


@dataclass
class Account:
    rekening: KodeRekening
    nama: str | None
    where: str
    items: list[tuple[RincianItem, str]] = field(default_factory=list)  # (komponen, its row)
    murni: list[tuple[RincianItem, str]] = field(default_factory=list)
    kas: tuple[tuple[Rupiah, ...], str] | None = None


@dataclass
class SubKegiatan:
    kode_sbl: str
    where: str
    kode: Kode
    nama: str
    program: tuple[Kode, str]
    kegiatan: tuple[Kode, str]
    active: bool
    pagu: Rupiah | None = None
    pagu_murni: Rupiah | None = None
    pagu_n_depan: Rupiah | None = None
    lokasi_bl: str | None = None  # nama_lokasi / nama_dana of data_sub_keg_bl: when no detail row lists them
    dana_bl: str | None = None
    lokasi_rows: list[str] = field(default_factory=list)  # data_lokasi_sub_keg
    dana_rows: list[str] = field(default_factory=list)  # data_dana_sub_keg
    indicators: dict[Role, list[Indicator]] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)  # by kode rekening
    raw: dict[str, str | None] = field(default_factory=dict)  # the row as SIPD stores it

    def printed(self, column: str) -> str | None:
        """A column as stored (``pagu=5266550.00``): the basis of the figure read from it."""
        value = self.raw.get(column)
        return None if value is None else f"{column}={value}"

    @property
    def lokasi(self) -> str | None:
        return "; ".join(dict.fromkeys(self.lokasi_rows)) or self.lokasi_bl

    @property
    def sumber_dana(self) -> str | None:
        return "; ".join(dict.fromkeys(self.dana_rows)) or self.dana_bl


@dataclass
class Snapshot:
    source: str
    tahun: int
    unit_kode: str
    unit_nama: str
    instant: datetime | None  # the latest update_at of the unit's sub-kegiatan
    subs: dict[str, SubKegiatan]  # by kode_sbl, active or not
    tables: frozenset[str]  # the tables the source holds: a table not there states nothing

    def active(self) -> list[SubKegiatan]:
        return [sub for sub in self.subs.values() if sub.active]


class SnapshotReader:
    def __init__(self, source: SipdSource, tahun: int, unit: str | None, kodefikasi: Kodefikasi) -> None:
        self.source, self.tahun, self.unit, self.kodefikasi = source, tahun, unit, kodefikasi
        self.errors: list[ImportFailed] = []

    def attempt(self, work: Callable[..., object], *args: Any) -> None:
        try:
            work(*args)
        except ImportFailed as error:
            self.errors.append(error)
            if len(self.errors) >= MAX_ERRORS:
                raise rejected(self.errors, more=True) from None

    def read(self) -> Snapshot:
        rows = self.sub_rows()
        unit_kode, unit_nama = self.choose_unit(rows)
        subs: dict[str, SubKegiatan] = {}
        instant: datetime | None = None
        for _where, cell in rows:
            if cell.text("kode_sub_skpd") != unit_kode:
                continue
            self.attempt(self.add_sub, cell, subs)
            stamp = self.safe(cell.instant, "update_at")
            if isinstance(stamp, datetime) and (instant is None or stamp > instant):
                instant = stamp
        self.check_unique_kode(subs)
        tables = frozenset(table.name for table in t.TABLES if self.source.has(table))
        active = {sub.kode_sbl: sub for sub in subs.values() if sub.active}
        for table, role, columns in INDICATOR_TABLES:
            if table.name in tables:
                self.read_details(table, active, partial(self.add_indicator, role=role, columns=columns))
        if t.DANA.name in tables:
            self.read_details(t.DANA, active, self.add_dana)
        if t.LOKASI.name in tables:
            self.read_details(t.LOKASI, active, self.add_lokasi)
        if t.RKA.name in tables:
            self.read_details(t.RKA, active, self.add_komponen)
        if t.ANGGARAN_KAS.name in tables:
            self.read_details(t.ANGGARAN_KAS, active, self.add_kas)
        if self.errors:
            raise rejected(self.errors)
        return Snapshot(self.source.description, self.tahun, unit_kode, unit_nama, instant, subs, tables)

    def sub_rows(self) -> list[tuple[str, Cell]]:
        if not self.source.has(t.SUB_KEG_BL):
            raise ImportFailed(self.source.description, None, None, _("no table data_sub_keg_bl: the sub-kegiatan of "
                                                                      "SIPD are read from it"))
        return [(where, Cell(where, record)) for where, record in self.source.rows(t.SUB_KEG_BL, self.tahun)]

    def unit_only(self) -> tuple[str, str]:
        """The sub-unit's kode and name, read from data_sub_keg_bl alone."""
        return self.choose_unit(self.sub_rows())

    def safe(self, work: Callable[..., object], *args: Any) -> object:
        try:
            return work(*args)
        except ImportFailed as error:
            self.errors.append(error)
            return None

    def choose_unit(self, rows: list[tuple[str, Cell]]) -> tuple[str, str]:
        units: dict[str, str] = {}
        for _where, cell in rows:
            kode = cell.text("kode_sub_skpd") or ""
            units.setdefault(kode, cell.text("nama_sub_skpd") or kode)
            if self.unit is not None and self.unit in (kode, cell.text("id_sub_skpd")):
                return kode, units[kode]
        if not units:
            raise ImportFailed(t.SUB_KEG_BL.name, None, "tahun_anggaran", _(
                "no sub-kegiatan of tahun {tahun} in {source}").format(tahun=self.tahun, source=self.source.description))
        listed = "; ".join(f"{kode} {nama}" for kode, nama in sorted(units.items()))
        if self.unit is not None:
            raise ImportFailed(t.SUB_KEG_BL.name, None, "kode_sub_skpd", _(
                "no sub-unit {unit} in tahun {tahun}; the source holds: {units}").format(
                unit=self.unit, tahun=self.tahun, units=listed))
        if len(units) > 1:
            raise ImportFailed(t.SUB_KEG_BL.name, None, "kode_sub_skpd", _(
                "the source holds {count} sub-units; say which with --unit: {units}").format(count=len(units),
                                                                                             units=listed))
        kode = next(iter(units))
        return kode, units[kode]

    def add_sub(self, cell: Cell, subs: dict[str, SubKegiatan]) -> None:
        kode_sbl = cell.text("kode_sbl")
        if kode_sbl is None:
            raise cell.fail("kode_sbl", _("empty; every sub-kegiatan of SIPD has its kode_sbl"))
        bidang = cell.text("kode_bidang_urusan")
        column = "kode_sub_giat"
        if cell.text(column) is None and cell.text("no_sub_giat") and cell.text("kode_giat"):
            cell.record["kode_sub_giat"] = f"{cell.text('kode_giat')}.{cell.text('no_sub_giat')}"
        kode = cell.kode(column, Level.SUB_KEGIATAN, self.kodefikasi, bidang)
        program = cell.kode("kode_program", Level.PROGRAM, self.kodefikasi, bidang)
        kegiatan = cell.kode("kode_giat", Level.KEGIATAN, self.kodefikasi, bidang)
        for parent, name in ((program, "kode_program"), (kegiatan, "kode_giat")):
            if str(kode.at(parent.level)) != str(parent):
                raise cell.fail(name, _("{parent} is not the {level} of sub-kegiatan {kode}").format(
                    parent=parent, level=parent.level.value, kode=kode))
        nama = cell.text("nama_sub_giat")
        if nama is None:
            raise cell.fail("nama_sub_giat", _("empty; every sub-kegiatan has its name"))
        active = cell.active()
        sub = SubKegiatan(kode_sbl, cell.where, kode, nama, (program, cell.text("nama_program") or str(program)),
                          (kegiatan, cell.text("nama_giat") or str(kegiatan)), active, raw=cell.record)
        if kode_sbl in subs:
            if not active:
                return  # an inactive copy of a sub-kegiatan SIPD holds again under the same kode_sbl
            if subs[kode_sbl].active:
                raise cell.fail("kode_sbl", _("{kode_sbl} appears twice ({other}); one row per sub-kegiatan").format(
                    kode_sbl=kode_sbl, other=subs[kode_sbl].where))
        if active:
            sub.pagu = cell.rupiah("pagu")
            sub.pagu_murni = cell.rupiah("pagumurni")
            sub.pagu_n_depan = cell.rupiah("pagu_n_depan")
            sub.lokasi_bl, sub.dana_bl = cell.text("nama_lokasi"), cell.text("nama_dana")
        subs[kode_sbl] = sub

    def check_unique_kode(self, subs: dict[str, SubKegiatan]) -> None:
        seen: dict[str, SubKegiatan] = {}
        for sub in subs.values():
            if not sub.active:
                continue
            other = seen.setdefault(str(sub.kode), sub)
            if other is not sub:
                self.errors.append(ImportFailed(t.SUB_KEG_BL.name, sub.where.partition(" ")[2], "kode_sub_giat", _(
                    "{kode} is also the code of {other}; one sub-kegiatan, one row").format(kode=sub.kode,
                                                                                           other=other.where)))

    def read_details(self, table: SipdTable, subs: dict[str, SubKegiatan],
                     add: Callable[[Cell, SubKegiatan], None]) -> None:
        rows = [(where, Cell(where, record)) for where, record in self.source.rows(table, self.tahun)]
        rows.sort(key=lambda pair: _order(pair[1], table))
        for _where, cell in rows:
            sub = subs.get(cell.text(table.kode_sbl) or "")
            if sub is None or not cell.active():
                continue
            self.attempt(add, cell, sub)

    def add_indicator(self, cell: Cell, sub: SubKegiatan, role: Role, columns: tuple[str, str, str, str]) -> None:
        text_column, value, satuan, printed = columns
        text = cell.text(text_column)
        if text is None:
            raise cell.fail(text_column, _("empty; an indicator has its wording"))
        sub.indicators.setdefault(role, []).append(Indicator(text, cell.target(value, satuan, printed), cell.where))

    def add_lokasi(self, cell: Cell, sub: SubKegiatan) -> None:
        place = ", ".join(part for part in (cell.text("lurahteks"), cell.text("camatteks"), cell.text("daerahteks"))
                          if part)
        if place:
            sub.lokasi_rows.append(place)

    def add_dana(self, cell: Cell, sub: SubKegiatan) -> None:
        if dana := cell.text("namadana"):
            sub.dana_rows.append(dana)

    def add_komponen(self, cell: Cell, sub: SubKegiatan) -> None:
        rekening = cell.rekening("kode_akun", self.kodefikasi)
        account = sub.accounts.setdefault(str(rekening), Account(rekening, cell.text("nama_akun"), cell.where))
        item = self.komponen(cell, "")
        if item is not None:
            account.items.append((item, cell.where))
        murni = self.komponen(cell, "_murni")
        if murni is not None:
            account.murni.append((murni, cell.where))

    def komponen(self, cell: Cell, suffix: str) -> RincianItem | None:
        jumlah = cell.rupiah("rincian" + suffix)
        if jumlah is None:
            if suffix:
                return None
            raise cell.fail("rincian", _("empty; a komponen has its jumlah"))
        nama = ", ".join(part for part in (cell.text("nama_komponen"), cell.text("spek_komponen")) if part) or None
        # The PPN as an amount: the form prints totalpajak in its PPN column; pajak_murni is the
        # murni's (wp-sipd copies pajak into it at a pergeseran).
        ppn_column = "totalpajak" if not suffix and cell.text("totalpajak") is not None else "pajak" + suffix
        return RincianItem(komponen=nama, koefisien=cell.number("volume" + suffix), satuan=cell.text("satuan"),
                           harga=cell.rupiah("harga_satuan" + suffix), ppn=cell.rupiah(ppn_column) or None,
                           jumlah=jumlah)

    def add_kas(self, cell: Cell, sub: SubKegiatan) -> None:
        if (cell.text("type") or "belanja").lower() != "belanja":
            return
        rekening = cell.rekening("kode_akun", self.kodefikasi)
        account = sub.accounts.get(str(rekening))
        if account is None:
            account = sub.accounts.setdefault(str(rekening), Account(rekening, None, cell.where))
        if account.kas is not None:
            raise cell.fail("kode_akun", _("a second anggaran kas of account {kode} ({other})").format(
                kode=rekening, other=account.kas[1]))
        months = tuple(cell.rupiah(column) or Rupiah(0) for column in t.MONTHS)
        account.kas = (months, cell.where)


def _order(cell: Cell, table: SipdTable) -> tuple[int, Decimal]:
    for column in (table.order_by, "id"):
        value = cell.text(column)
        if value is not None and value.isdigit():
            return (0, Decimal(value))
    return (1, Decimal(0))
