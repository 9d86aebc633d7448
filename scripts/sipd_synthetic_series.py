"""Write a SYNTHETIC series of wp-sipd snapshots (four syncs of one made-up sub-unit) and one
broken snapshot, for the tests of `renja sipd sync`. Every name and figure is made up.

    .venv/bin/python scripts/sipd_synthetic_series.py [--out tests/data/sipd]

writes

    <out>/sintetis/1_2025-01-10_murni/         sync 1: the murni
    <out>/sintetis/2_2025-03-05_pergeseran/    sync 2: a pergeseran inside one sub-kegiatan
    <out>/sintetis/3_2025-06-20_murni/         sync 3: one sub-kegiatan withdrawn, one target changed
    <out>/sintetis/4_2025-09-15_perubahan/     sync 4: the perubahan (pagumurni / *_murni keep the murni)
    <out>/sintetis/README.md
    <out>/sintetis_rusak/                      sync 1 with one unreadable kode_sub_giat

(the stage in a folder's name is the `--stage` to sync it with). One CSV per wp-sipd table,
header = all the table's columns in tabel.sql order, an empty cell = NULL, money whole (x.00).
Deterministic. The table columns, the writer and the id rules are those of
scripts/sipd_snapshots_from_documents.py.
"""

from __future__ import annotations

import argparse
import copy
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sipd_snapshots_from_documents import (
    ROOT,
    TABLES,
    Codes,
    Row,
    id_bidang_urusan,
    id_skpd_of,
    id_unik_sub_bl_of,
    kode_bl_of,
    kode_sbl_of,
    kode_skpd_of,
    money,
    write_snapshot,
)

DEFAULT_OUT = ROOT / "tests" / "data" / "sipd"
TAHUN = 2025
KODE_URUSAN = "2"
NAMA_URUSAN = "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR"
KODE_BIDANG = "2.17"
NAMA_BIDANG = "URUSAN PEMERINTAHAN BIDANG KOPERASI, USAHA KECIL, DAN MENENGAH"
UNIT_NUMBER = "01"
NAMA_UNIT = "Dinas Contoh Sintetis"
KEPALA = ("KEPALA DINAS CONTOH SINTETIS", "000000000000000000", "Pembina / IV.a")
BROKEN_KODE = "7.01.01.2.6.x"
BROKEN_SBL_ID = 3


@dataclass(frozen=True)
class Sync:
    number: int
    date: str
    stage: str
    start_month: int  # the first month whose cash plan a changed account may still move

    @property
    def folder(self) -> str:
        return f"{self.number}_{self.date}_{self.stage}"

    @property
    def at(self) -> str:
        return f"{self.date} 09:00:00"


SYNCS = (
    Sync(1, "2025-01-10", "murni", 1),
    Sync(2, "2025-03-05", "pergeseran", 3),
    Sync(3, "2025-06-20", "murni", 6),
    Sync(4, "2025-09-15", "perubahan", 9),
)


@dataclass
class Komponen:
    nama: str
    spek: str
    volume: int
    satuan: str
    harga: int
    pajak: int = 0

    @property
    def total_harga(self) -> int:
        return self.volume * self.harga

    @property
    def rincian(self) -> int:
        return self.total_harga + self.pajak

    @property
    def koefisien(self) -> str:
        return f"{self.volume} {self.satuan}"


@dataclass
class Akun:
    kode: str
    nama: str
    komponen: list[Komponen]

    @property
    def total(self) -> int:
        return sum(k.rincian for k in self.komponen)


@dataclass
class Target:
    teks: str
    nilai: int
    satuan: str

    @property
    def printed(self) -> str:
        return f"{self.nilai} {self.satuan}"


@dataclass
class Sub:
    sbl_id: int
    kode: str  # as SIPD prints it (X.XX for the program penunjang)
    nama: str
    nama_giat: str
    nama_program: str
    indikator: list[Target]
    capaian: Target
    hasil: Target
    keluaran: Target
    dana: str
    lokasi: list[tuple[str, str, str]]  # (daerahteks, camatteks, lurahteks)
    akun: list[Akun]
    pagu_n_depan: int
    active: bool = True

    @property
    def codes(self) -> Codes:
        return Codes(self.kode)

    @property
    def pagu(self) -> int:
        return sum(a.total for a in self.akun)

    def komponen_ids(self) -> list[tuple[int, Akun, Komponen]]:
        """(id_rinci_sub_bl, akun, komponen): sbl_id x 100 + the komponen's place in the sub-kegiatan."""
        found, place = [], 0
        for akun in self.akun:
            for komponen in akun.komponen:
                place += 1
                found.append((self.sbl_id * 100 + place, akun, komponen))
        return found


ATK = ("5.1.02.01.01.0024", "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor")
CETAK = ("5.1.02.01.01.0026", "Belanja Alat/Bahan untuk Kegiatan Kantor- Bahan Cetak")
MAMIN = ("5.1.02.01.01.0052", "Belanja Makanan dan Minuman Rapat")
TENAGA = ("5.1.02.02.01.0026", "Belanja Jasa Tenaga Administrasi")
SEWA = ("5.1.02.02.04.0036", "Belanja Sewa Kendaraan Bermotor Penumpang")
PERJADIN = ("5.1.02.04.01.0001", "Belanja Perjalanan Dinas Biasa")
MEBEL = ("5.2.02.05.02.0001", "Belanja Modal Mebel")
PENUNJANG = "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"
PROGRAM = "PROGRAM CONTOH SINTETIS"
DAERAH = "Kabupaten Contoh Sintetis"
DAU = "Dana Transfer Umum-Dana Alokasi Umum"


def sync_1() -> list[Sub]:
    """The murni: four sub-kegiatan, the first under the program penunjang (X.XX.01)."""
    capaian = Target("Persentase capaian program contoh sintetis", 100, "%")
    return [
        Sub(1, "X.XX.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah",
            "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah", PENUNJANG,
            [Target("Jumlah Dokumen Perencanaan Perangkat Daerah (contoh sintetis)", 2, "Dokumen")],
            Target("Persentase penunjang urusan perangkat daerah berjalan sesuai standar", 100, "%"),
            Target("Persentase dokumen perencanaan yang disusun tepat waktu (contoh sintetis)", 100, "%"),
            Target("Jumlah dokumen perencanaan, penganggaran dan evaluasi (contoh sintetis)", 3, "Dokumen"),
            DAU, [(DAERAH, "Kecamatan Contoh Satu", "Semua Kelurahan")],
            [Akun(*ATK, [Komponen("Kertas HVS A4 80 gram", "Ukuran A4, 80 gram", 20, "Rim", 55_000),
                         Komponen("Tinta Printer", "Botol 70 ml", 8, "Botol", 95_000)]),
             Akun(*MAMIN, [Komponen("Nasi Kotak Rapat", "Nasi kotak", 120, "Kotak", 40_000),
                           Komponen("Kue Kotak Rapat", "Kue kotak", 120, "Kotak", 15_000)])],
            9_000_000),
        Sub(2, "2.17.02.2.01.0001", "Sub Kegiatan Contoh Sintetis Satu", "Kegiatan Contoh Sintetis Pertama", PROGRAM,
            [Target("Jumlah peserta pelatihan contoh sintetis", 60, "Orang"),
             Target("Jumlah modul pelatihan contoh sintetis yang disusun", 3, "Dokumen")],
            capaian,
            Target("Persentase kelompok usaha contoh sintetis yang meningkat kapasitasnya", 80, "%"),
            Target("Jumlah laporan kegiatan contoh sintetis pertama", 2, "Laporan"),
            DAU, [(DAERAH, "Kecamatan Contoh Satu", "Semua Kelurahan"), (DAERAH, "Kecamatan Contoh Dua", "Kelurahan Contoh")],
            [Akun(*CETAK, [Komponen("Spanduk Kegiatan", "Ukuran 1 x 3 m", 10, "Lembar", 150_000),
                           Komponen("Leaflet", "A4 lipat tiga", 1000, "Lembar", 2_500),
                           Komponen("Buku Panduan Peserta", "A5, 60 halaman", 100, "Eksemplar", 30_000)]),
             Akun(*TENAGA, [Komponen("Honor Tenaga Administrasi Pelatihan", "Tenaga administrasi", 12, "Orang / Bulan", 1_500_000),
                            Komponen("Honor Pendamping Lapangan", "Pendamping", 10, "Orang / Bulan", 1_200_000)]),
             Akun(*PERJADIN, [Komponen("Uang Harian Perjalanan Dinas", "Dalam kabupaten", 40, "Orang / Hari", 150_000),
                              Komponen("Transport Perjalanan Dinas", "Dalam kabupaten", 20, "Orang / Kali", 200_000)])],
            50_000_000),
        Sub(3, "2.17.02.2.01.0002", "Sub Kegiatan Contoh Sintetis Dua", "Kegiatan Contoh Sintetis Pertama", PROGRAM,
            [Target("Jumlah kelompok usaha contoh sintetis yang didampingi", 10, "Kelompok")],
            capaian,
            Target("Persentase kelompok usaha contoh sintetis yang meningkat kapasitasnya", 80, "%"),
            Target("Jumlah laporan kegiatan contoh sintetis pertama", 2, "Laporan"),
            "Pendapatan Asli Daerah (PAD)", [(DAERAH, "Kecamatan Contoh Dua", "Kelurahan Contoh")],
            [Akun(*MAMIN, [Komponen("Nasi Kotak Pertemuan Kelompok", "Nasi kotak", 200, "Kotak", 40_000),
                           Komponen("Kue Kotak Pertemuan Kelompok", "Kue kotak", 200, "Kotak", 15_000)]),
             Akun(*SEWA, [Komponen("Sewa Mobil Pendampingan", "Termasuk pengemudi", 12, "Hari", 750_000),
                          Komponen("Sewa Sepeda Motor Pendampingan", "Tanpa pengemudi", 20, "Hari", 150_000)])],
            25_000_000),
        Sub(4, "2.17.02.2.02.0001", "Sub Kegiatan Contoh Sintetis Tiga", "Kegiatan Contoh Sintetis Kedua", PROGRAM,
            [Target("Jumlah kegiatan sosialisasi contoh sintetis", 4, "Kegiatan")],
            capaian,
            Target("Persentase sosialisasi contoh sintetis yang terlaksana", 100, "%"),
            Target("Jumlah laporan kegiatan contoh sintetis kedua", 1, "Laporan"),
            DAU, [(DAERAH, "Kecamatan Contoh Satu", "Kelurahan Contoh")],
            [Akun(*ATK, [Komponen("Map Snelhecter Plastik", "Isi 50", 10, "Pak", 45_000),
                         Komponen("Kertas HVS A4 80 gram", "Ukuran A4, 80 gram", 10, "Rim", 55_000)]),
             Akun(*MEBEL, [Komponen("Meja Kerja", "Kayu, 120 x 60 cm", 2, "Unit", 1_500_000, 330_000),
                           Komponen("Kursi Kerja", "Putar, sandaran jaring", 4, "Unit", 750_000, 330_000)]),
             Akun(*PERJADIN, [Komponen("Uang Harian Sosialisasi", "Dalam kabupaten", 16, "Orang / Hari", 150_000),
                              Komponen("Transport Sosialisasi", "Dalam kabupaten", 8, "Orang / Kali", 200_000)])],
            12_000_000),
    ]


def komponen(sub: Sub, nama: str) -> Komponen:
    return next(k for a in sub.akun for k in a.komponen if k.nama == nama)


def series() -> list[list[Sub]]:
    """The plan at each sync; each step says what it changes."""
    one = sync_1()
    # Sync 2, pergeseran: in sub-kegiatan 2, 900.000 moves from the komponen Buku Panduan Peserta
    # (Bahan Cetak: 100 -> 70 Eksemplar) to Uang Harian Perjalanan Dinas (Perjalanan Dinas Biasa:
    # 40 -> 46 Orang / Hari). Its pagu stays 47.000.000.
    two = copy.deepcopy(one)
    komponen(two[1], "Buku Panduan Peserta").volume = 70
    komponen(two[1], "Uang Harian Perjalanan Dinas").volume = 46
    assert two[1].pagu == one[1].pagu
    # Sync 3, murni: sub-kegiatan 3 withdrawn; sub-kegiatan 4's target 4 -> 6 Kegiatan.
    three = copy.deepcopy(two)
    three[2].active = False
    three[3].indikator[0].nilai = 6
    # Sync 4, perubahan: sub-kegiatan 3 back with a new pagu (fewer boxes and rental days);
    # sub-kegiatan 2's pagu up (Honor Pendamping Lapangan 10 -> 14 Orang / Bulan) and its
    # prakiraan maju 50.000.000 -> 55.000.000.
    four = copy.deepcopy(three)
    four[2].active = True
    komponen(four[2], "Nasi Kotak Pertemuan Kelompok").volume = 150
    komponen(four[2], "Kue Kotak Pertemuan Kelompok").volume = 150
    komponen(four[2], "Sewa Mobil Pendampingan").volume = 10
    komponen(four[1], "Honor Pendamping Lapangan").volume = 14
    four[1].pagu_n_depan = 55_000_000
    return [one, two, three, four]


def spread(total: int, before: list[int], start: int) -> list[int]:
    """Twelve months: the months before ``start`` as ``before``, the rest of ``total`` evenly in
    whole thousands over the other months, the remainder in December."""
    kept = before[: start - 1]
    rest = total - sum(kept)
    months = 13 - start
    if rest < 0:
        raise ValueError(f"{total} is below what months 1..{start - 1} already plan ({sum(kept)})")
    each = rest // months // 1000 * 1000
    plan = [*kept, *([each] * (months - 1)), rest - each * (months - 1)]
    assert len(plan) == 12 and sum(plan) == total
    return plan


def render(subs: list[Sub], sync: Sync, previous: dict[str, list[Row]] | None,
           murni: list[Sub] | None, kas_before: dict[tuple[int, str], list[int]]) -> dict[str, list[Row]]:
    """The tables of one sync. A withdrawn sub-kegiatan keeps its rows of the previous sync with
    ``active = 0`` (wp-sipd marks what SIPD no longer returns and does not touch it otherwise)."""
    kode_skpd = kode_skpd_of(KODE_BIDANG, UNIT_NUMBER)
    id_skpd = id_skpd_of(KODE_BIDANG, UNIT_NUMBER)
    base = {"update_at": sync.at, "tahun_anggaran": TAHUN}
    tables: dict[str, list[Row]] = {table: [] for table in TABLES}
    tables["data_unit"].append({
        "id": 1, "id_unit": id_skpd, "is_skpd": 1, "kode_skpd": kode_skpd, "nama_skpd": NAMA_UNIT, "id_skpd": id_skpd,
        "bidur_1": id_bidang_urusan(KODE_BIDANG), "idinduk": id_skpd, "isskpd": 1, "kodeunit": kode_skpd,
        "namakepala": KEPALA[0], "namaunit": NAMA_UNIT, "nipkepala": KEPALA[1], "pangkatkepala": KEPALA[2],
        "active": 1, **base,
    })
    murni_by_id = {sub.sbl_id: sub for sub in murni or [] if sub.active}
    pagu_keg: dict[str, int] = {}
    for sub in subs:
        if sub.active:
            pagu_keg[sub.codes.giat] = pagu_keg.get(sub.codes.giat, 0) + sub.pagu

    for sub in subs:
        codes = sub.codes
        kode_sbl = kode_sbl_of(id_skpd, id_skpd, codes)
        if not sub.active:
            assert previous is not None
            for table in TABLES:
                if table == "data_unit":
                    continue
                for row in previous[table]:
                    if row.get("kode_sbl") == kode_sbl:
                        tables[table].append({**row, "active": 0})
            continue
        old = murni_by_id.get(sub.sbl_id)
        detail = {"kode_sbl": kode_sbl, "idsubbl": sub.sbl_id, "active": 1, **base}
        tables["data_sub_keg_bl"].append({
            "id": sub.sbl_id, "id_sub_skpd": id_skpd, "nama_dana": sub.dana, "no_sub_giat": codes.no_sub_giat,
            "kode_giat": codes.giat, "id_program": codes.id_program,
            "nama_lokasi": "; ".join(", ".join(place) for place in sub.lokasi), "waktu_akhir": 12,
            "id_urusan": int(KODE_URUSAN), "id_unik_sub_bl": id_unik_sub_bl_of(TAHUN, kode_sbl),
            "id_sub_giat": codes.id_sub_giat, "kode_program": codes.program, "kode_sub_giat": codes.sub,
            "no_program": codes.no_program, "kode_urusan": KODE_URUSAN, "kode_bidang_urusan": KODE_BIDANG,
            "nama_program": sub.nama_program, "id_bidang_urusan": id_bidang_urusan(KODE_BIDANG),
            "nama_bidang_urusan": NAMA_BIDANG, "no_giat": codes.no_giat, "id_label_prov": 0, "waktu_awal": 1,
            "pagumurni": money(old.pagu) if old is not None else None, "pagu": money(sub.pagu),
            "nama_sub_giat": sub.nama, "pagu_n_depan": money(sub.pagu_n_depan), "id_rpjmd": 0, "id_giat": codes.id_giat,
            "id_label_pusat": 0, "nama_giat": sub.nama_giat, "kode_skpd": kode_skpd, "nama_skpd": NAMA_UNIT,
            "kode_sub_skpd": kode_skpd, "id_skpd": id_skpd, "id_sub_bl": sub.sbl_id, "nama_sub_skpd": NAMA_UNIT,
            "nama_urusan": NAMA_URUSAN, "pagu_keg": money(pagu_keg[codes.giat]),
            "kode_bl": kode_bl_of(id_skpd, id_skpd, codes), "kode_sbl": kode_sbl, "active": 1, "active_sipd": 1, **base,
        })
        for place, target in enumerate(sub.indikator, start=1):
            number = sub.sbl_id * 10 + place
            tables["data_sub_keg_indikator"].append({
                "id": number, "outputteks": target.teks, "targetoutput": str(target.nilai), "satuanoutput": target.satuan,
                "idoutputbl": number, "targetoutputteks": target.printed, "bobot_kinerja": 1, "indikator_lokal": 0, **detail,
            })
        number = sub.sbl_id * 10 + 1
        tables["data_capaian_prog_sub_keg"].append({
            "id": number, "satuancapaian": sub.capaian.satuan, "targetcapaianteks": sub.capaian.printed,
            "capaianteks": sub.capaian.teks, "targetcapaian": sub.capaian.nilai, "bobot_kinerja": 1, "indikator_lokal": 0,
            **detail,
        })
        tables["data_keg_indikator_hasil"].append({
            "id": number, "hasilteks": sub.hasil.teks, "satuanhasil": sub.hasil.satuan, "targethasil": str(sub.hasil.nilai),
            "targethasilteks": sub.hasil.printed, **detail,
        })
        tables["data_output_giat_sub_keg"].append({
            "id": number, "outputteks": sub.keluaran.teks, "satuanoutput": sub.keluaran.satuan,
            "targetoutput": str(sub.keluaran.nilai), "targetoutputteks": sub.keluaran.printed, "bobot_kinerja": 1,
            "indikator_lokal": 0, **detail,
        })
        tables["data_dana_sub_keg"].append({"id": number, "namadana": sub.dana, "pagudana": money(sub.pagu), **detail})
        for place, (daerah, camat, lurah) in enumerate(sub.lokasi, start=1):
            tables["data_lokasi_sub_keg"].append({
                "id": sub.sbl_id * 10 + place, "daerahteks": daerah, "camatteks": camat, "lurahteks": lurah, **detail,
            })
        old_komponen = {rid: k for rid, _akun, k in old.komponen_ids()} if old is not None else {}
        rka_base = {"kode_bl": kode_bl_of(id_skpd, id_skpd, codes), **detail}
        for rid, akun, k in sub.komponen_ids():
            was = old_komponen.get(rid)
            tables["data_rka"].append({
                "id": rid, "id_rinci_sub_bl": rid, "kode_akun": akun.kode, "nama_akun": akun.nama,
                "nama_komponen": k.nama, "spek_komponen": k.spek, "koefisien": k.koefisien, "satuan": k.satuan,
                "sat1": k.satuan, "volum1": str(k.volume), "volume": str(k.volume), "harga_satuan": money(k.harga),
                "total_harga": money(k.total_harga), "pajak": money(k.pajak), "totalpajak": money(k.pajak),
                "rincian": money(k.rincian),
                "koefisien_murni": was.koefisien if was else None, "volume_murni": str(was.volume) if was else None,
                "harga_satuan_murni": money(was.harga) if was else None, "pajak_murni": money(was.pajak) if was else None,
                "rincian_murni": money(was.rincian) if was else None,
                "active_sipd": 1, **rka_base,
            })
        for place, akun in enumerate(sub.akun, start=1):
            key = (sub.sbl_id, akun.kode)
            before = kas_before.get(key)
            if before is not None and sum(before) == akun.total:
                plan = before
            else:
                plan = spread(akun.total, before or [0] * 12, sync.start_month)
            kas_before[key] = plan
            tables["data_anggaran_kas"].append({
                "id": sub.sbl_id * 10 + place, **{f"bulan_{m}": money(v) for m, v in enumerate(plan, start=1)},
                "id_bidang_urusan": id_bidang_urusan(KODE_BIDANG), "id_giat": codes.id_giat, "id_program": codes.id_program,
                "id_skpd": id_skpd, "id_sub_giat": codes.id_sub_giat, "id_sub_skpd": id_skpd, "id_unit": id_skpd,
                "kode_akun": akun.kode, "nama_akun": akun.nama, "selisih": money(0), "tahun": TAHUN,
                "total_akb": money(sum(plan)), "total_rincian": money(akun.total), "active": 1, "kode_sbl": kode_sbl,
                "kode_sbl_sub_keg": kode_sbl, "type": "belanja", "tahun_anggaran": TAHUN, "updated_at": sync.at,
            })
    for table in tables:
        tables[table].sort(key=lambda row: int(str(row["id"])))
    return tables


def rp(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def readme(plans: list[list[Sub]], rendered: list[dict[str, list[Row]]]) -> str:
    id_skpd = id_skpd_of(KODE_BIDANG, UNIT_NUMBER)
    out: list[str] = []
    w = out.append
    w("# SINTETIS: a made-up series of SIPD syncs (wp-sipd snapshots)\n")
    w("**Synthetic: made up for tests, not any office's figures.** `Dinas Contoh Sintetis`, its kepala, its programs, "
      "kegiatan, sub-kegiatan, indicators, komponen, prices and every Rupiah here are invented to test "
      "`renja sipd sync`; do not cite them or load them into a real plan. Only the shapes are real: wp-sipd's tables "
      "(`agusnurwanto/wp-sipd`, `tabel.sql` at commit 5e6580f2), the Permendagri 90/2019 code forms (SIPD 2025's four-digit "
      "sub-kegiatan numbers, `X.XX` for the program penunjang) and kode rekening forms.\n")
    w("Generated by `scripts/sipd_synthetic_series.py` (deterministic; run it again rather than editing).\n")
    w("One sub-unit, tahun 2025: `kode_skpd` = `kode_sub_skpd` = "
      f"`{kode_skpd_of(KODE_BIDANG, UNIT_NUMBER)}`, `nama_sub_skpd` `{NAMA_UNIT}`, urusan `{KODE_URUSAN}`, "
      f"`kode_bidang_urusan` `{KODE_BIDANG}` (`{NAMA_BIDANG}`). One program of the bidang (2.17.02, two kegiatan, three "
      "sub-kegiatan) and one sub-kegiatan under the program penunjang, whose SIPD codes start `X.XX.01` "
      "(`X.XX.01`, `X.XX.01.2.01`, `X.XX.01.2.01.0001`; the sync reads `X.XX` as the row's `kode_bidang_urusan`, 2.17). "
      "Each sub-kegiatan has 1-2 indicators, a capaian program, a hasil kegiatan, a keluaran kegiatan, a sumber dana, "
      "1-2 lokasi, 2-3 accounts in `data_rka` with 2-3 komponen each (its pagu = the sum of its `rincian`), and one "
      "`data_anggaran_kas` row per account (12 months adding up to the account's total).\n")
    w("## The syncs\n")
    w("The stage in a folder's name is the `--stage` to sync it with; `update_at` (the sync's instant) is "
      "`<date> 09:00:00`.\n")
    w("| folder | `--stage` | what changed since the previous sync | sum of active `pagu` | per sub-kegiatan (1 / 2 / 3 / 4) |")
    w("|---|---|---|---|---|")
    story = {
        1: "the murni: four sub-kegiatan",
        2: "pergeseran inside sub-kegiatan 2: 900.000 from the komponen *Buku Panduan Peserta* (account 5.1.02.01.01.0026, "
           "100 -> 70 Eksemplar) to *Uang Harian Perjalanan Dinas* (account 5.1.02.04.01.0001, 40 -> 46 Orang / Hari); its "
           "pagu stays 47.000.000; the two accounts' cash plans move from March on",
        3: "sub-kegiatan 3 withdrawn (`active = 0` on its `data_sub_keg_bl` row and all its detail rows, which keep the "
           "values and `update_at` of sync 2); sub-kegiatan 4's indicator target 4 -> 6 Kegiatan",
        4: "perubahan: sub-kegiatan 3 back (`active = 1`) with a new pagu 18.750.000 (200 -> 150 boxes of each meal, "
           "12 -> 10 days of car rental); sub-kegiatan 2's pagu 47.000.000 -> 51.800.000 (*Honor Pendamping Lapangan* "
           "10 -> 14 Orang / Bulan) and its `pagu_n_depan` 50.000.000 -> 55.000.000. `pagumurni` and the `*_murni` "
           "columns of `data_rka` hold the murni as sync 3 left it (after the pergeseran); NULL for sub-kegiatan 3, "
           "which the murni had withdrawn",
    }
    for sync, plan in zip(SYNCS, plans, strict=True):
        active = sum(sub.pagu for sub in plan if sub.active)
        each = " / ".join(rp(sub.pagu) + ("" if sub.active else " (withdrawn)") for sub in plan)
        w(f"| `sintetis/{sync.folder}/` | `{sync.stage}` | {story[sync.number]} | {rp(active)} | {each} |")
    w("")
    w("`pagu_n_depan` (prakiraan maju 2026) per sub-kegiatan: " + "; ".join(
        f"sync {sync.number}: " + " / ".join(rp(sub.pagu_n_depan) for sub in plan) for sync, plan in zip(SYNCS, plans, strict=True))
      + ". In sync 4 the sum of `pagumurni` is "
      + rp(sum(sub.pagu for sub in plans[2] if sub.active)) + " (sub-kegiatan 1, 2, 4 as sync 3 left them).\n")
    w("Rows per table (all rows, active and not):\n")
    for sync, tables in zip(SYNCS, rendered, strict=True):
        w(f"- {sync.folder}: " + ", ".join(f"{table} {len(tables[table])}" for table in TABLES) + ".")
    w("")
    w("## The sub-kegiatan\n")
    w("| id | `kode_sub_giat` (as SIPD prints it) | nama | kegiatan | `kode_sbl` |")
    w("|---|---|---|---|---|")
    for sub in plans[0]:
        w(f"| {sub.sbl_id} | `{sub.kode}` | {sub.nama} | `{sub.codes.giat}` {sub.nama_giat} | "
          f"`{kode_sbl_of(id_skpd, id_skpd, sub.codes)}` |")
    w("")
    w("## Ids\n")
    w("The rules of `scripts/sipd_snapshots_from_documents.py` (see `tests/data/sipd/mangkutana_2024/README.md`): "
      f"`id_skpd` = `id_sub_skpd` = {id_bidang_urusan(KODE_BIDANG)} x 1000 + unit number 01 = {id_skpd}; `id_program` = `1` + "
      "program number; `id_giat` = `2` + program number + kegiatan digits; `id_sub_giat` = `3` + program number + "
      "kegiatan digits + sub-kegiatan number on three digits (the `X.XX` codes take the same ids as in any bidang, as in "
      "SIPD); `kode_bl` = `id_skpd.id_sub_skpd.id_program.id_giat`, `kode_sbl` = `kode_bl.id_sub_giat`; "
      "`id_unik_sub_bl` = uuid5 of `renja-ledger:sipd:2025:<kode_sbl>`. Here also: `data_sub_keg_bl.id` = `id_sub_bl` = "
      "the sub-kegiatan's number 1-4 (the same in every sync); a detail row's `id` (and `idoutputbl`) = `id` x 10 + its "
      "place among the sub-kegiatan's rows of that table; `data_rka.id` = `id_rinci_sub_bl` = `id` x 100 + the komponen's "
      "place in the sub-kegiatan (accounts in order); `data_anggaran_kas.id` = `id` x 10 + the account's place.\n")
    w("## Other fillings\n")
    w("- `rincian` = `volume` x `harga_satuan` + `pajak` (`total_harga` = `volume` x `harga_satuan`, `totalpajak` = "
      "`pajak`); PPN only on the two Belanja Modal Mebel komponen of sub-kegiatan 4.")
    w("- Cash plan (`data_anggaran_kas`): in sync 1 each account's total in equal whole thousands over the twelve "
      "months, the remainder in December. When a later sync changes an account's total, the months before that sync's "
      "month (March for sync 2, September for sync 4) stay as they were and the rest is spread the same way; an "
      "account whose total does not change keeps its months. Sub-kegiatan 3's accounts in sync 4 keep January-August "
      "of sync 2's plan and spread the rest over September-December.")
    w("- `*_murni` columns and `pagumurni` are NULL in syncs 1-3 (the murni stage needs no copy of itself).")
    w("- NOT NULL columns with nothing to say: `id_label_prov`, `id_label_pusat`, `id_rpjmd` 0; `waktu_awal` 1, "
      "`waktu_akhir` 12.\n")
    w("## `../sintetis_rusak/`\n")
    w(f"One snapshot (`--stage murni`): sync 1 (`sintetis/{SYNCS[0].folder}/`) with one change, the `kode_sub_giat` of "
      f"the `data_sub_keg_bl` row with `id` {BROKEN_SBL_ID} (`kode_sbl` "
      f"`{kode_sbl_of(id_skpd, id_skpd, plans[0][BROKEN_SBL_ID - 1].codes)}`) is `{BROKEN_KODE}`, a code that cannot be "
      "read (the kegiatan part `6` has one digit, the sub-kegiatan part is `x`). A sync must refuse it naming the table, "
      "the row and the column, and write nothing. Also synthetic.\n")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the parent folder (default %(default)s)")
    args = parser.parse_args(argv)
    plans = series()
    rendered: list[dict[str, list[Row]]] = []
    kas: dict[tuple[int, str], list[int]] = {}
    previous: dict[str, list[Row]] | None = None
    for sync, plan in zip(SYNCS, plans, strict=True):
        murni = plans[2] if sync.stage == "perubahan" else None
        tables = render(plan, sync, previous, murni, kas)
        write_snapshot(args.out / "sintetis" / sync.folder, tables)
        rendered.append(tables)
        previous = tables
        active = sum(sub.pagu for sub in plan if sub.active)
        print(f"sintetis/{sync.folder}: pagu {rp(active)}")
    broken = copy.deepcopy(rendered[0])
    row = next(row for row in broken["data_sub_keg_bl"] if row["id"] == BROKEN_SBL_ID)
    row["kode_sub_giat"] = BROKEN_KODE
    write_snapshot(args.out / "sintetis_rusak", broken)
    (args.out / "sintetis" / "README.md").write_text(readme(plans, rendered), encoding="utf-8")
    print("sintetis_rusak: sync 1 with kode_sub_giat", BROKEN_KODE)


if __name__ == "__main__":
    main()
