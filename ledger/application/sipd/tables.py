"""The wp-sipd tables the sync reads (wp-sipd ``tabel.sql``), each defined once: its columns,
which of them must be there, and how its rows are named and ordered. docs/sipd.md says what
every column means; anything not listed here is ignored."""

from __future__ import annotations

from dataclasses import dataclass

MONTHS = tuple(f"bulan_{n}" for n in range(1, 13))


@dataclass(frozen=True)
class SipdTable:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # The columns that name a row in a message, the first one present wins.
    names_row: tuple[str, ...] = ("id", "kode_sbl")
    order_by: str = "id"  # SIPD's own order of a sub-kegiatan's detail rows
    kode_sbl: str = "kode_sbl"  # the column that links a row to its sub-kegiatan
    year: str = "tahun_anggaran"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SUB_KEG_BL = SipdTable(
    "data_sub_keg_bl",
    required=("kode_sbl", "kode_sub_skpd", "nama_sub_skpd", "kode_bidang_urusan", "kode_program", "nama_program",
              "kode_giat", "nama_giat", "kode_sub_giat", "nama_sub_giat", "pagu", "tahun_anggaran", "active",
              "update_at"),
    optional=("id", "id_unik_sub_bl", "no_sub_giat", "nama_bidang_urusan", "pagumurni", "pagu_n_depan", "nama_dana",
              "nama_lokasi", "indikator", "satuan", "target_1", "id_sub_skpd"),
    names_row=("kode_sbl", "id_unik_sub_bl", "id"),
)
INDIKATOR = SipdTable(
    "data_sub_keg_indikator",
    required=("kode_sbl", "outputteks", "targetoutput", "satuanoutput", "tahun_anggaran"),
    optional=("id", "targetoutputteks", "active"),
)
CAPAIAN_PROGRAM = SipdTable(
    "data_capaian_prog_sub_keg",
    required=("kode_sbl", "capaianteks", "targetcapaian", "satuancapaian", "tahun_anggaran"),
    optional=("id", "targetcapaianteks", "active"),
)
HASIL_KEGIATAN = SipdTable(
    "data_keg_indikator_hasil",
    required=("kode_sbl", "hasilteks", "targethasil", "satuanhasil", "tahun_anggaran"),
    optional=("id", "targethasilteks", "active"),
)
KELUARAN_KEGIATAN = SipdTable(
    "data_output_giat_sub_keg",
    required=("kode_sbl", "outputteks", "targetoutput", "satuanoutput", "tahun_anggaran"),
    optional=("id", "targetoutputteks", "active"),
)
DANA = SipdTable("data_dana_sub_keg", required=("kode_sbl", "namadana", "tahun_anggaran"), optional=("id", "active"))
LOKASI = SipdTable("data_lokasi_sub_keg", required=("kode_sbl", "tahun_anggaran"),
                   optional=("id", "daerahteks", "camatteks", "lurahteks", "active"))
RKA = SipdTable(
    "data_rka",
    required=("kode_sbl", "kode_akun", "rincian", "tahun_anggaran"),
    optional=("id", "id_rinci_sub_bl", "nama_akun", "nama_komponen", "spek_komponen", "koefisien", "volume", "satuan",
              "harga_satuan", "pajak", "totalpajak", "koefisien_murni", "volume_murni", "harga_satuan_murni", "pajak_murni",
              "rincian_murni", "active"),
    names_row=("id_rinci_sub_bl", "id"), order_by="id_rinci_sub_bl",
)
ANGGARAN_KAS = SipdTable(
    "data_anggaran_kas",
    required=("kode_sbl", "kode_akun", *MONTHS, "tahun_anggaran"),
    optional=("id", "active", "type"),
    names_row=("id", "kode_sbl"),
)

# Every table the sync reads, the sub-kegiatan first. Only data_sub_keg_bl must be in a source:
# a table that is not there states nothing (its figures are neither compared nor withdrawn).
TABLES: tuple[SipdTable, ...] = (SUB_KEG_BL, INDIKATOR, CAPAIAN_PROGRAM, HASIL_KEGIATAN, KELUARAN_KEGIATAN,
                                 DANA, LOKASI, RKA, ANGGARAN_KAS)
