"""A deterministic synthetic ledger at province scale, written through the real aggregates.

Plans are OPD x tahun (kabupaten by kabupaten, 20 offices each, four years): a bidang, ~5
programs, ~15 kegiatan and ~60 sub-kegiatan with Permendagri codes (``1.02.01.2.06.08``),
each detailed in 5-30 accounts. Each plan is four units of work, like the demo's documents:
the Renja (murni), the DPA (the accounts' rincian), the Renja Perubahan with its Tabel 2.3
(RKPD draft), and the year's revisions (account pergeseran among them). Only one plan's
aggregates are alive at a time, so memory stays flat. Same seed, same events.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from uuid import UUID

from ledger.application import RenjaLedger, UnitOfWork
from ledger.basis import Basis, Source, Stage
from ledger.document import DocumentKind, PlanningDocument
from ledger.kode import Level
from ledger.line import BudgetLine
from ledger.line_events import RincianItem, Role, TwSlot
from ledger.money import Rupiah, format_rupiah
from ledger.pergeseran import REQUIRED, shift_scope
from ledger.plan import Plan, rekening_key
from ledger.rekening import KodeRekening
from ledger.target import Satuan, Target, parse_satuan


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


TAHUN = (2022, 2023, 2024, 2025)
KECAMATAN_PER_KABUPATEN = 8
KABUPATEN = _names("Luwu Timur|Luwu Utara|Luwu|Tana Toraja|Toraja Utara|Enrekang|Pinrang|Sidenreng Rappang|Wajo|"
                   "Soppeng|Bone|Sinjai|Bulukumba|Bantaeng|Jeneponto|Takalar|Gowa|Maros|Pangkajene|Barru|Selayar")
KECAMATAN = _names("Mangkutana|Nuha|Towuti|Malili|Wotu|Burau|Tomoni|Angkona|Kalaena|Wasuponda|Tomoni Timur|Sukamaju|"
                   "Bone-Bone|Masamba|Baebunta|Sabbang|Limbong|Seko|Rampi|Malangke|Mappedeceng|Tana Lili")
KECAMATAN_PROGRAMS = _names("Penyelenggaraan Pemerintahan dan Pelayanan Publik|Pemberdayaan Masyarakat Desa dan "
                            "Kelurahan|Koordinasi Ketentraman dan Ketertiban Umum|Penyelenggaraan Urusan Pemerintahan Umum")
OFFICES = tuple((name, bidang, _names(programs)) for name, bidang, programs in (line.split(";") for line in """
Dinas Pendidikan;1.01;Pengelolaan Pendidikan|Pengembangan Kurikulum|Pendidik dan Tenaga Kependidikan
Dinas Kesehatan;1.02;Pemenuhan Upaya Kesehatan Masyarakat|Peningkatan Kapasitas SDM Kesehatan|Sediaan Farmasi
Dinas Pekerjaan Umum dan Penataan Ruang;1.03;Pengelolaan Sumber Daya Air|Penyelenggaraan Jalan|Penataan Bangunan Gedung
Dinas Perumahan dan Kawasan Permukiman;1.04;Pengembangan Perumahan|Kawasan Permukiman
Satuan Polisi Pamong Praja;1.05;Peningkatan Ketenteraman dan Ketertiban Umum|Pencegahan Kebakaran
Dinas Sosial;1.06;Pemberdayaan Sosial|Rehabilitasi Sosial|Perlindungan dan Jaminan Sosial
Dinas Tenaga Kerja;2.07;Perencanaan Tenaga Kerja|Pelatihan Kerja dan Produktivitas Tenaga Kerja
Dinas Lingkungan Hidup;2.11;Pengendalian Pencemaran dan Kerusakan Lingkungan Hidup|Pengelolaan Persampahan
Dinas Kependudukan dan Pencatatan Sipil;2.12;Pendaftaran Penduduk|Pencatatan Sipil
Dinas Pertanian;3.27;Penyediaan dan Pengembangan Sarana Pertanian|Penyuluhan Pertanian
Badan Perencanaan Pembangunan Daerah;5.01;Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah|Koordinasi Perencanaan
Badan Pengelolaan Keuangan dan Aset Daerah;5.02;Pengelolaan Keuangan Daerah|Pengelolaan Barang Milik Daerah
""".strip().splitlines()))
PENUNJANG = "Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"
PENUNJANG_KEGIATAN = tuple((int(text[0]), text[2:]) for text in _names(
    "1 Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah|2 Administrasi Keuangan Perangkat Daerah|3 Administrasi "
    "Barang Milik Daerah pada Perangkat Daerah|5 Administrasi Kepegawaian Perangkat Daerah|6 Administrasi Umum Perangkat "
    "Daerah|7 Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintah Daerah|8 Penyediaan Jasa Penunjang Urusan "
    "Pemerintahan Daerah|9 Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah"))
VERBS = _names("Penyediaan|Pengadaan|Pemeliharaan|Koordinasi|Fasilitasi|Penyusunan|Pembinaan|Monitoring dan Evaluasi")
OBJECTS = tuple((thing, parse_satuan(unit)) for thing, unit in (text.split(":") for text in _names(
    "Peralatan dan Perlengkapan Kantor:Unit|Bahan Logistik Kantor:Paket|Dokumen Perencanaan Perangkat Daerah:Dokumen|"
    "Laporan Keuangan:Laporan|Kunjungan Tamu:Kegiatan|Rapat Koordinasi dan Konsultasi:Kali|Jasa Komunikasi, Sumber Daya "
    "Air dan Listrik:Laporan|Kendaraan Dinas Operasional:Unit|Data dan Informasi Sektoral:Dokumen|Aparatur Desa:Orang|"
    "Kelompok Masyarakat:Desa|Layanan Administrasi Kependudukan:%")))
# Accounts a sub-kegiatan's rincian draws from (Permendagri 90/2019 sub rincian objek), with
# the komponen printed under them.
REKENING_POOL = tuple((kode, nama, komponen, _satuan) for kode, nama, komponen, _satuan in (
    text.split(":") for text in _names(
        "5.1.01.03.07.0001:Belanja Honorarium Penanggungjawaban Pengelola Keuangan:Honorarium PPTK:Orang / Bulan|"
        "5.1.02.01.01.0024:Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor:Alat tulis kantor:Paket|"
        "5.1.02.01.01.0025:Belanja Alat/Bahan untuk Kegiatan Kantor-Kertas dan Cover:Kertas HVS:Rim|"
        "5.1.02.01.01.0026:Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Cetak:Penggandaan dokumen:Lembar|"
        "5.1.02.01.01.0027:Belanja Alat/Bahan untuk Kegiatan Kantor-Benda Pos:Materai:Buah|"
        "5.1.02.01.01.0029:Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Komputer:Tinta printer:Buah|"
        "5.1.02.01.01.0052:Belanja Makanan dan Minuman Rapat:Makan dan minum rapat:Orang / Kali|"
        "5.1.02.01.01.0053:Belanja Makanan dan Minuman Jamuan Tamu:Jamuan tamu:Orang / Kali|"
        "5.1.02.02.01.0003:Honorarium Narasumber atau Pembahas, Moderator, Pembawa Acara, dan Panitia:Honor narasumber:OJ|"
        "5.1.02.02.01.0026:Belanja Jasa Tenaga Administrasi:Tenaga administrasi:Orang / Bulan|"
        "5.1.02.02.01.0030:Belanja Jasa Tenaga Kebersihan:Tenaga kebersihan:Orang / Bulan|"
        "5.1.02.02.01.0063:Belanja Tagihan Listrik:Tagihan listrik:Bulan|"
        "5.1.02.02.04.0036:Belanja Sewa Kendaraan Bermotor Penumpang:Sewa kendaraan:Hari|"
        "5.1.02.03.02.0035:Belanja Pemeliharaan Alat Angkutan-Alat Angkutan Darat Bermotor-Kendaraan Dinas Bermotor "
        "Perorangan:Servis kendaraan:Unit / Kali|"
        "5.1.02.04.01.0001:Belanja Perjalanan Dinas Biasa:Uang harian:Orang / Hari|"
        "5.1.02.04.01.0003:Belanja Perjalanan Dinas Dalam Kota:Transport lokal:Orang / Kali|"
        "5.2.02.05.01.0005:Belanja Modal Alat Kantor Lainnya:Lemari arsip:Unit|"
        "5.2.02.10.01.0002:Belanja Modal Personal Computer:Laptop:Unit")))
PEJABAT = _names("Andi Baso, S.Sos|Hasnawati, SE|Muh. Rusdi, ST|Sitti Rahma, S.Kep|Yusuf Tandi, S.IP|Nurhayati, SH")


@dataclass(frozen=True)
class Row:
    kode: str
    nama: str
    level: Level
    parent: str | None
    murni: int
    satuan: str = Satuan.DOKUMEN


@dataclass(frozen=True)
class PlanLayout:
    index: int
    opd: str
    tahun: int
    rows: tuple[Row, ...]  # table order: bidang, then each program, its kegiatan, their sub-kegiatan

    @property
    def subs(self) -> list[Row]:
        return [row for row in self.rows if row.level is Level.SUB_KEGIATAN]


def plan_layout(seed: int, index: int) -> PlanLayout:
    """The lines of plan number ``index``: a pure function of (seed, index)."""
    rng = random.Random(f"layout:{seed}:{index}")
    offices = len(OFFICES) + KECAMATAN_PER_KABUPATEN
    kab_index, rest = divmod(index, offices * len(TAHUN))
    office, year = divmod(rest, len(TAHUN))
    kabupaten = KABUPATEN[kab_index % len(KABUPATEN)]
    kabupaten += f" {kab_index // len(KABUPATEN) + 1}" if kab_index >= len(KABUPATEN) else ""
    if office < len(OFFICES):
        name, bidang, programs = OFFICES[office]
    else:
        kecamatan = KECAMATAN[(kab_index * KECAMATAN_PER_KABUPATEN + office - len(OFFICES)) % len(KECAMATAN)]
        name, bidang, programs = f"Kecamatan {kecamatan}", "7.01", KECAMATAN_PROGRAMS
    chosen = (PENUNJANG, *rng.sample(programs, k=min(len(programs), rng.randint(3, 4))))
    kegiatan: list[tuple[str, str, str]] = []  # (kode, nama, program kode)
    for number, program in enumerate(chosen, start=1):
        pkode = f"{bidang}.{number:02d}"
        if number == 1:
            picked = sorted(rng.sample(PENUNJANG_KEGIATAN, k=rng.randint(5, 8)))
        else:
            picked = [(k, f"{VERBS[(k + number) % len(VERBS)]} {program}") for k in range(1, rng.randint(2, 4) + 1)]
        kegiatan += [(f"{pkode}.2.{k:02d}", nama, pkode) for k, nama in picked]
    owner = [*range(len(kegiatan)), *(rng.randrange(len(kegiatan)) for _ in range(rng.randint(54, 66) - len(kegiatan)))]
    subs: dict[str, list[Row]] = {}
    for position in sorted(owner):
        kkode = kegiatan[position][0]
        number = len(subs.setdefault(kkode, [])) + 1
        thing, satuan = OBJECTS[rng.randrange(len(OBJECTS))]
        subs[kkode].append(Row(f"{kkode}.{number:02d}", f"{VERBS[rng.randrange(len(VERBS))]} {thing}",
                               Level.SUB_KEGIATAN, kkode, rng.randrange(10_000, 900_000) * 1000, satuan))
    rows = [Row(bidang, name.upper(), Level.BIDANG, None, sum(r.murni for s in subs.values() for r in s))]
    for number, program in enumerate(chosen, start=1):
        pkode = f"{bidang}.{number:02d}"
        mine = [k for k in kegiatan if k[2] == pkode]
        rows.append(Row(pkode, program, Level.PROGRAM, bidang, sum(r.murni for k in mine for r in subs[k[0]])))
        for kkode, nama, _ in mine:
            rows.append(Row(kkode, nama, Level.KEGIATAN, pkode, sum(r.murni for r in subs[kkode])))
            rows.extend(subs[kkode])
    return PlanLayout(index, f"{name} Kabupaten {kabupaten}", TAHUN[year], tuple(rows))


class PlanWriter:
    """Writes one plan: three units of work, through the aggregates' own commands."""

    def __init__(self, app: RenjaLedger, layout: PlanLayout, seed: int) -> None:
        self.app, self.layout = app, layout
        self.rng = random.Random(f"events:{seed}:{layout.index}")
        self.plan: Plan | None = None
        self.lines: dict[str, BudgetLine] = {}
        self.murni_version: dict[str, int] = {}

    def basis(self, source: Source, effective_on: date, reason: str, row: int | None = None,
              printed: str | None = None) -> Basis:
        if row is not None or printed is not None:
            # A new, validated Source as the importer builds one per figure (model_copy is slower).
            source = Source(document=source.document, document_id=source.document_id, kind=source.kind,
                            table=source.table, command=source.command, row=str(row) if row is not None else None,
                            printed=printed)
        return Basis(effective_on=effective_on, recorded_by=self.app.user, reason=reason, source=source)

    def document(self, uow: UnitOfWork, kind: DocumentKind, judul: str, tanggal: date, table: str) -> Source:
        layout = self.layout
        nomor = f"050/{self.rng.randint(100, 999)}/{layout.tahun}"
        doc = uow.track(PlanningDocument.register(
            kind=kind, nomor=nomor, judul=f"{judul} {layout.opd} Tahun {layout.tahun}", tanggal=tanggal, opd=layout.opd,
            tahun=layout.tahun, penandatangan=PEJABAT[layout.index % len(PEJABAT)], jabatan=f"Kepala {layout.opd}",
            basis=Basis(effective_on=tanggal, recorded_by=self.app.user, reason="document registered",
                        source=Source(document=f"{judul} {layout.opd}", printed=nomor))))
        reference = f"{judul} {layout.opd} Tahun {layout.tahun} ({tanggal.isoformat()})"
        return Source(document=reference, document_id=doc.id, table=table)

    def run(self, uow: UnitOfWork, step: Callable[[UnitOfWork], None]) -> int:
        """One unit of work; the plan's aggregates stay loaded from the last one, as an aggregate cache keeps them."""
        for aggregate in (*([self.plan] if self.plan else []), *self.lines.values()):
            uow.track(aggregate)
        step(uow)
        return sum(len(aggregate.pending_events) for aggregate in uow.pending())

    def target(self, row: Row, scale: int = 1) -> Target:
        nilai = 100 if row.satuan == Satuan.PERSEN else self.rng.randint(1, 24) * scale
        return Target(nilai=Decimal(nilai), satuan=row.satuan)

    def slots(self, row: Row, rupiah: int, target: Target) -> tuple[TwSlot, TwSlot, TwSlot, TwSlot]:
        weights = [self.rng.randint(1, 4) for _ in range(4)]
        amounts = [rupiah * w // sum(weights) // 1000 * 1000 for w in weights[:3]]
        amounts.append(rupiah - sum(amounts))
        made = [TwSlot(target=Target(nilai=target.nilai * n / 4, satuan=target.satuan), rupiah=Rupiah(a))
                for n, a in enumerate(amounts, start=1)]
        return (made[0], made[1], made[2], made[3])

    def murni(self, uow: UnitOfWork) -> None:
        layout, rng = self.layout, self.rng
        when = date(layout.tahun, 1, rng.randint(2, 12))
        source = self.document(uow, DocumentKind.RENJA, "Rencana Kerja", when, "Tabel Renja")
        reason = f"stated in Rencana Kerja {layout.opd} Tahun {layout.tahun}"
        plan = self.plan = uow.plan_or_open(layout.opd, layout.tahun, self.basis(source, when, "document registered"))
        for number, row in enumerate(layout.rows, start=1):
            self.lines[row.kode] = uow.open_line(plan, key=row.kode, kode=row.kode, level=row.level, nama=row.nama,
                                                 parent_key=row.parent, basis=self.basis(source, when, reason, number, row.kode))
        for number, row in enumerate(layout.rows, start=1):
            line, at_row = self.lines[row.kode], self.basis(source, when, reason, number)
            indicator = f"Jumlah {row.nama} ({row.satuan})"
            if row.level is not Level.BIDANG:
                line.set_indicator(Stage.MURNI, Role.OWN, indicator, at_row)
                target = self.target(row)
                line.set_target(Stage.MURNI, Role.OWN, target, self.basis(source, when, reason, number, str(target)))
            line.set_pagu(Stage.MURNI, Rupiah(row.murni), self.basis(source, when, reason, number, format_rupiah(row.murni)))
            self.murni_version[row.kode] = line.version
            if row.level is not Level.SUB_KEGIATAN:
                continue
            line.set_target(Stage.MURNI, Role.YEAR_END, target, at_row)
            line.allocate_triwulan(Stage.MURNI, self.slots(row, row.murni, target), at_row)
            line.assign_penanggung_jawab(PEJABAT[rng.randrange(len(PEJABAT))], at_row)
            forward = row.murni * rng.randint(95, 120) // 100 // 1000 * 1000
            line.set_forward_estimate(layout.tahun + 1, self.basis(source, when, reason, number, format_rupiah(forward)),
                                      indikator=indicator, target=self.target(row), rupiah=Rupiah(forward))
            if rng.random() < 0.5:
                line.state_details(Stage.MURNI, at_row, lokasi=layout.opd, sumber_dana=rng.choice(("DAU", "DAK", "PAD")))
        total = layout.rows[0].murni
        plan.state_total(Stage.MURNI, "JUMLAH", self.basis(source, when, reason, None, format_rupiah(total)), rupiah=Rupiah(total))

    def dpa(self, uow: UnitOfWork) -> None:
        """The DPA: each sub-kegiatan's murni pagu detailed in 5-30 accounts, one or two komponen
        each (koefisien x harga = jumlah), adding up to the pagu to the Rupiah."""
        layout, rng = self.layout, self.rng
        when = date(layout.tahun, 1, rng.randint(13, 20))
        source = self.document(uow, DocumentKind.DPA, "Dokumen Pelaksanaan Anggaran", when, "Rincian Belanja")
        reason = f"stated in Dokumen Pelaksanaan Anggaran {layout.opd} Tahun {layout.tahun}"
        assert self.plan is not None
        number = 0
        for row in layout.subs:
            picked = sorted(rng.sample(REKENING_POOL, k=min(len(REKENING_POOL), rng.randint(5, 30))))
            shares = [rng.randint(1, 9) for _ in picked]
            amounts = [row.murni * share // sum(shares) // 1000 * 1000 for share in shares[:-1]]
            amounts.append(row.murni - sum(amounts))
            for (kode, nama, komponen, satuan), amount in zip(picked, amounts, strict=True):
                number += 1
                key = rekening_key(row.kode, KodeRekening.parse(kode))
                at_row = self.basis(source, when, reason, number, kode)
                account = self.lines[key] = uow.open_line(self.plan, key=key, kode=kode, level=Level.REKENING,
                                                          nama=nama, parent_key=row.kode, basis=at_row)
                half = amount // 2 // 1000 * 1000
                parts = [half, amount - half] if half > 0 and rng.random() < 0.4 else [amount]
                for ke, jumlah in enumerate(parts, start=1):
                    volume = next(v for v in (12, 10, 6, 4, 2, 1) if jumlah % v == 0)
                    item = RincianItem(komponen=f"{komponen} {ke}", koefisien=Decimal(volume), satuan=satuan,
                                       harga=Rupiah(jumlah // volume), jumlah=Rupiah(jumlah))
                    account.state_rincian(Stage.MURNI, item, ke, self.basis(source, when, reason, number,
                                                                           format_rupiah(jumlah)))

    def perubahan(self, uow: UnitOfWork) -> None:
        layout, rng = self.layout, self.rng
        when = date(layout.tahun, 8, rng.randint(1, 10))
        source = self.document(uow, DocumentKind.RENJA_PERUBAHAN, "Perubahan Rencana Kerja", when, "Tabel 3.2")
        rkpd_source = source.model_copy(update={"table": "Tabel 2.3 (Rancangan Perubahan RKPD)"})
        reason = f"stated in Perubahan Rencana Kerja {layout.opd} Tahun {layout.tahun}"
        figures: dict[str, list[int]] = {}  # kode -> [rkpd, perubahan]; parents hold the sums of their rows
        for row in reversed(layout.rows):
            if row.level is Level.SUB_KEGIATAN:
                figures[row.kode] = [row.murni * rng.randint(90, 125) // 100 // 1000 * 1000,
                                     row.murni if rng.random() < 0.15 else row.murni * rng.randint(85, 115) // 100 // 1000 * 1000]
            if row.parent is not None:
                parent, mine = figures.setdefault(row.parent, [0, 0]), figures.get(row.kode, [0, 0])
                parent[0], parent[1] = parent[0] + mine[0], parent[1] + mine[1]
        for number, row in enumerate(layout.rows, start=1):
            line, (rkpd, perubahan) = self.lines[row.kode], figures.get(row.kode, [0, 0])
            if row.level is Level.SUB_KEGIATAN:
                target = self.target(row)
                at_row = self.basis(source, when, reason, number)
                line.set_indicator(Stage.PERUBAHAN, Role.OWN, f"Jumlah {row.nama} ({row.satuan})", at_row)
                line.set_indicator(Stage.PERUBAHAN, Role.PROGRAM, f"Capaian program {row.kode[:-8]}", at_row)
                line.set_indicator(Stage.PERUBAHAN, Role.KEGIATAN, f"Hasil kegiatan {row.parent}", at_row)
                line.set_target(Stage.PERUBAHAN, Role.OWN, target, self.basis(source, when, reason, number, str(target)))
                line.allocate_triwulan(Stage.PERUBAHAN, self.slots(row, perubahan, target), at_row)
            line.set_pagu(Stage.RKPD, Rupiah(rkpd), self.basis(rkpd_source, when, reason, number, format_rupiah(rkpd)))
            line.set_pagu(Stage.PERUBAHAN, Rupiah(perubahan), self.basis(source, when, reason, number, format_rupiah(perubahan)))
        assert self.plan is not None
        for stage, value in zip((Stage.RKPD, Stage.PERUBAHAN), figures[layout.rows[0].kode], strict=True):
            self.plan.state_total(stage, "JUMLAH", self.basis(source, when, reason, None, format_rupiah(value)),
                                  rupiah=Rupiah(value))

    def revisions(self, uow: UnitOfWork) -> None:
        layout, rng = self.layout, self.rng
        subs = layout.subs
        actions: list[tuple[date, str, Row]] = [
            (date(layout.tahun, rng.randint(9, 11), rng.randint(1, 28)), kind, row)
            for row in subs for kind, chance in (("revise", 0.3), ("reallocate", 0.25), ("target", 0.15),
                                                 ("correct", 0.05), ("shift", 0.08), ("rekening", 0.1))
            if rng.random() < chance]
        actions.sort(key=lambda action: action[0])
        for when, kind, row in actions:
            line = self.lines[row.kode]
            nomor = f"SK Bupati {layout.tahun}/{rng.randint(1, 400)}"
            basis = self.basis(Source(document=nomor, command=f"renja {kind} {row.kode}"), when, f"Pergeseran menurut {nomor}")
            current = line.state.pagu(Stage.PERUBAHAN) or Rupiah(0)
            if kind == "revise":
                line.revise_pagu(Stage.PERUBAHAN, Rupiah(current * rng.randint(80, 120) // 100 // 1000 * 1000), basis)
            elif kind == "reallocate":
                figures = line.state.figures(Stage.PERUBAHAN)
                slots = figures.triwulan if figures and figures.triwulan else []
                giving = [n for n, slot in enumerate(slots, start=1) if (slot.rupiah or 0) >= 5000]
                if giving:
                    source_tw = rng.choice(giving)
                    amount = (slots[source_tw - 1].rupiah or 0) // 5 // 1000 * 1000
                    to_tw = rng.choice([n for n in (1, 2, 3, 4) if n != source_tw])
                    line.reallocate(Stage.PERUBAHAN, source_tw, to_tw, Rupiah(amount), None, basis)
            elif kind == "target":
                line.change_target(Stage.PERUBAHAN, Role.OWN, self.target(row, 2), basis)
            elif kind == "correct":
                line.correct(self.murni_version[row.kode], basis, rupiah=Rupiah(row.murni // 1000 * 1010))
            elif kind == "rekening":
                self.shift_rekening(row, basis)
            elif current >= 10_000:
                taker = self.lines[rng.choice([s for s in subs if s.kode != row.kode]).kode]
                amount, shift_id = current // 10 // 1000 * 1000, UUID(int=rng.getrandbits(128), version=4)
                line.shift(Stage.PERUBAHAN, -amount, taker.state.kode or "", shift_id, basis)
                taker.shift(Stage.PERUBAHAN, amount, row.kode, shift_id, basis)


    def shift_rekening(self, row: Row, basis: Basis) -> None:
        """A pergeseran between two accounts of one sub-kegiatan (murni: the DPA's stage), with
        the decision its level requires."""
        mine = [line for key, line in self.lines.items() if key.startswith(f"{row.kode}/")]
        giver, taker = self.rng.sample(mine, k=2)
        amount = (giver.state.pagu(Stage.MURNI) or 0) // 10 // 1000 * 1000
        if amount <= 0:
            return
        scope = shift_scope((row.kode, KodeRekening.parse(giver.state.kode or "")),
                            (row.kode, KodeRekening.parse(taker.state.kode or "")))
        assert scope is not None
        shift_id = UUID(int=self.rng.getrandbits(128), version=4)
        authority = REQUIRED[scope]
        giver.shift_rekening(Stage.MURNI, -amount, taker.state.key, shift_id, scope, authority, basis.reason, basis)
        taker.shift_rekening(Stage.MURNI, amount, giver.state.key, shift_id, scope, authority, basis.reason, basis)


@dataclass
class Generated:
    events: int = 0
    plans: int = 0
    lines: int = 0
    units_of_work: int = 0


def generate(app: RenjaLedger, *, events: int, seed: int, on_saved: Callable[[int], None] | None = None) -> Generated:
    """Write whole plans until at least ``events`` events are saved; calls ``on_saved(n)`` after each save."""
    done = Generated()
    while done.events < events:
        writer = PlanWriter(app, plan_layout(seed, done.plans), seed)
        for step in (writer.murni, writer.dpa, writer.perubahan, writer.revisions):
            saved = len(app.run_unit_of_work(partial(writer.run, step=step))[1])
            done.events += saved
            done.units_of_work += 1
            if on_saved is not None:
                on_saved(saved)
        done.plans += 1
        done.lines += len(writer.lines)  # the plan's lines and its accounts
    return done
