"""A deterministic, clearly synthetic wp-sipd snapshot for `renja bench` (docs/sipd.md): one
sub-unit ("Dinas Sintetis Bench"), its sub-kegiatan each detailed in accounts of komponen,
written at bench time as one CSV per table into a temporary folder (never committed).

Every sub-kegiatan has its data_sub_keg_bl row, one row in each indicator table, a sumber dana
and a lokasi; every account its komponen in data_rka and its anggaran kas (the rincian spread
over twelve months). Changed komponen (picked by the seed) gain a unit of volume, and the
figures that follow them (the account's kas, the sub-kegiatan's pagu) follow: a later SIPD sync
where a few komponen changed. Same arguments, same files.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cli.bench.synthetic import REKENING_POOL
from ledger.application.sipd import tables as t

UNIT_KODE = "2.17.0.00.0.00.01.0000"
UNIT_NAMA = "Dinas Sintetis Bench"
TAHUN = 2025
BIDANG = "2.17"
ID_SKPD = 217001
ACCOUNTS = 10  # per sub-kegiatan
KOMPONEN = 10  # per account
SUBS_PER_KEGIATAN, KEGIATAN_PER_PROGRAM = 10, 10


@dataclass(frozen=True)
class SipdShape:
    """How many sub-kegiatan, accounts per sub-kegiatan and komponen per account."""

    subs: int
    accounts: int = ACCOUNTS
    komponen: int = KOMPONEN

    @classmethod
    def for_rows(cls, rows: int) -> SipdShape:
        """About ``rows`` data_rka rows (whole sub-kegiatan of 10 accounts x 10 komponen)."""
        return cls(subs=max(1, round(rows / (ACCOUNTS * KOMPONEN))))

    @property
    def rows(self) -> int:
        return self.subs * self.accounts * self.komponen


def _money(value: int) -> str:
    return f"{value}.00"


def _write(folder: Path, table: t.SipdTable, header: list[str], rows: list[list[object]]) -> None:
    with (folder / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def changed_komponen(shape: SipdShape, seed: int, fraction: float, versions: int) -> Counter[int]:
    """The komponen (numbered 0 .. rows - 1) the snapshot of sync ``versions`` after the first
    has changed, with how many units of volume each gained: ``fraction`` of them at each sync, so
    that each snapshot differs from the one before it in ``fraction`` of its komponen."""
    bumps: Counter[int] = Counter()
    for version in range(1, versions + 1):
        rng = random.Random(f"sipd-changes:{seed}:{version}")
        bumps.update(rng.sample(range(shape.rows), k=max(1, round(shape.rows * fraction))))
    return bumps


def write_snapshot(folder: Path, shape: SipdShape, seed: int, instant: datetime,
                   changed: Mapping[int, int] | None = None) -> Path:
    """The snapshot's CSV files in ``folder`` (created); ``changed``: komponen -> extra volume."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = changed or {}
    rng = random.Random(f"sipd:{seed}")
    stamp, year = instant.strftime("%Y-%m-%d %H:%M:%S"), str(TAHUN)
    tables: list[list[list[object]]] = [[] for _ in range(9)]
    subs, rka, kas, indikator, capaian, hasil, keluaran, dana, lokasi = tables
    number = 0
    for sub in range(shape.subs):
        program = sub // (SUBS_PER_KEGIATAN * KEGIATAN_PER_PROGRAM) + 1
        kegiatan, ke = (sub // SUBS_PER_KEGIATAN) % KEGIATAN_PER_PROGRAM + 1, sub % SUBS_PER_KEGIATAN + 1
        kode_program = f"{BIDANG}.{program:02d}"
        kode_giat = f"{kode_program}.2.{kegiatan:02d}"
        kode_sub_giat = f"{kode_giat}.{ke:04d}"
        kode_sbl = f"{ID_SKPD}.{ID_SKPD}.{100 + program}.{200000 + program * 100 + kegiatan}.{300000000 + sub + 1}"
        pagu = 0
        accounts = rng.sample(range(len(REKENING_POOL)), k=shape.accounts)
        for a, pool in enumerate(sorted(accounts)):
            kode_akun, nama_akun, komponen, satuan = REKENING_POOL[pool]
            total = 0
            for k in range(shape.komponen):
                volume, harga = rng.randint(1, 40), rng.randint(5, 900) * 1000
                volume += changed.get(number, 0)
                rincian = volume * harga
                total += rincian
                rid = number + 1
                rka.append([rid, rid, kode_sbl, kode_akun, nama_akun, f"{komponen} (sintetis {sub + 1}.{a + 1}.{k + 1})",
                            "spesifikasi sintetis", f"{volume} {satuan}", volume, satuan, _money(harga), "0.00",
                            _money(rincian), "", "", "", "", 1, stamp, year])
                number += 1
            month = total // 12 // 1000 * 1000
            kas.append([len(kas) + 1, kode_sbl, kode_akun, *(_money(month) for _ in range(11)),
                        _money(total - 11 * month), "belanja", 1, year])
            pagu += total
        subs.append([sub + 1, ID_SKPD, kode_sbl, UNIT_KODE, UNIT_NAMA, BIDANG, "URUSAN SINTETIS", kode_program,
                     f"PROGRAM SINTETIS {program}", kode_giat, f"Kegiatan Sintetis {program}.{kegiatan}", kode_sub_giat,
                     f"Sub Kegiatan Sintetis {sub + 1}", _money(pagu), "", _money(pagu // 1000 * 1100),
                     "Dana Sintetis", "Kabupaten Sintetis", 1, stamp, year])
        target = rng.randint(1, 24)
        indikator.append([sub + 1, kode_sbl, f"Jumlah keluaran sintetis {sub + 1}", target, "Dokumen",
                          f"{target} Dokumen", 1, year])
        capaian.append([sub + 1, kode_sbl, f"Persentase capaian program sintetis {program}", 100, "%", "100 %", 1, year])
        hasil.append([sub + 1, kode_sbl, f"Persentase hasil kegiatan sintetis {program}.{kegiatan}", 90, "%", "90 %", 1,
                      year])
        keluaran.append([sub + 1, kode_sbl, f"Jumlah laporan kegiatan sintetis {program}.{kegiatan}", 4, "Laporan",
                         "4 Laporan", 1, year])
        dana.append([sub + 1, kode_sbl, "Dana Transfer Umum-Dana Alokasi Umum (sintetis)", 1, year])
        lokasi.append([sub + 1, kode_sbl, "Kabupaten Sintetis", f"Kecamatan Sintetis {ke}", "Semua Kelurahan", 1, year])
    _write(folder, t.SUB_KEG_BL, ["id", "id_sub_skpd", "kode_sbl", "kode_sub_skpd", "nama_sub_skpd",
                                  "kode_bidang_urusan", "nama_bidang_urusan", "kode_program", "nama_program",
                                  "kode_giat", "nama_giat", "kode_sub_giat", "nama_sub_giat", "pagu", "pagumurni",
                                  "pagu_n_depan", "nama_dana", "nama_lokasi", "active", "update_at", "tahun_anggaran"],
           subs)
    _write(folder, t.RKA, ["id", "id_rinci_sub_bl", "kode_sbl", "kode_akun", "nama_akun", "nama_komponen",
                           "spek_komponen", "koefisien", "volume", "satuan", "harga_satuan", "totalpajak", "rincian",
                           "volume_murni", "harga_satuan_murni", "pajak_murni", "rincian_murni", "active", "update_at",
                           "tahun_anggaran"], rka)
    _write(folder, t.ANGGARAN_KAS, ["id", "kode_sbl", "kode_akun", *t.MONTHS, "type", "active", "tahun_anggaran"], kas)
    indicator_header = ["id", "kode_sbl", "{}teks", "target{}", "satuan{}", "target{}teks", "active", "tahun_anggaran"]
    for table, word, rows in ((t.INDIKATOR, "output", indikator), (t.CAPAIAN_PROGRAM, "capaian", capaian),
                              (t.HASIL_KEGIATAN, "hasil", hasil), (t.KELUARAN_KEGIATAN, "output", keluaran)):
        _write(folder, table, [column.format(word) for column in indicator_header], rows)
    _write(folder, t.DANA, ["id", "kode_sbl", "namadana", "active", "tahun_anggaran"], dana)
    _write(folder, t.LOKASI, ["id", "kode_sbl", "daerahteks", "camatteks", "lurahteks", "active", "tahun_anggaran"],
           lokasi)
    return folder
