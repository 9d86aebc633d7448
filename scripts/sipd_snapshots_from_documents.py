"""Write the Mangkutana 2024 documents as two wp-sipd snapshot folders (what SIPD held after
the murni and after the perubahan), for the tests of `renja sipd sync`.

    .venv/bin/python scripts/sipd_snapshots_from_documents.py [--out tests/data/sipd/mangkutana_2024]

Reads ledger/datasets/mangkutana_2024 (the Rencana Aksi 2024 = the murni, 2024-01-03; Tabel 3.2
of the Renja Perubahan 2024 = the perubahan with its prakiraan maju, 2024-08-01) and writes

    <out>/2024-01-03_murni/<table>.csv
    <out>/2024-08-01_perubahan/<table>.csv
    <out>/README.md              (the rules, the ids, the rows left out, the figures not carried)

One CSV per wp-sipd table, header row = all the table's columns in wp-sipd tabel.sql order
(commit 5e6580f2), UTF-8, an empty cell = NULL, money as DOUBLE(20,2) (`5266550.00`).
Every money figure and every target comes from the two documents; nothing is invented.
Deterministic: the same documents give the same bytes. `SIPD_COLUMNS` and `write_table` are
shared with scripts/sipd_synthetic_series.py.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ledger.events import name_key  # noqa: E402  (the ledger's own rule for a name without a kode)
from ledger.numbers import is_empty, parse_decimal, parse_whole  # noqa: E402

DATASET = ROOT / "ledger" / "datasets" / "mangkutana_2024"
RENCANA_AKSI = DATASET / "rencana_aksi_2024" / "rencana_aksi.csv"
TABEL_3_2 = DATASET / "renja_perubahan_2024" / "tabel_3_2.csv"
DEFAULT_OUT = ROOT / "tests" / "data" / "sipd" / "mangkutana_2024"

# ---------------------------------------------------------------------------------------------
# wp-sipd tables (tabel.sql, commit 5e6580f2): every column, in the file's order.
# ---------------------------------------------------------------------------------------------
SIPD_COLUMNS: dict[str, tuple[str, ...]] = {
    "data_unit": (
        "id", "id_setup_unit", "id_unit", "is_skpd", "kode_skpd", "kunci_skpd", "nama_skpd", "posisi",
        "status", "id_skpd", "bidur_1", "bidur_2", "bidur_3", "idinduk", "ispendapatan", "isskpd",
        "kode_skpd_1", "kode_skpd_2", "kodeunit", "komisi", "namabendahara", "namakepala", "namaunit",
        "nipbendahara", "nipkepala", "pangkatkepala", "setupunit", "statuskepala", "mapping", "id_kecamatan",
        "id_strategi", "is_dpa_khusus", "is_ppkd", "set_input", "update_at", "tahun_anggaran", "active",
    ),
    "data_sub_keg_bl": (
        "id", "id_sub_skpd", "id_lokasi", "id_label_kokab", "nama_dana", "no_sub_giat", "kode_giat",
        "id_program", "nama_lokasi", "waktu_akhir", "pagu_n_lalu", "id_urusan", "id_unik_sub_bl",
        "id_sub_giat", "label_prov", "kode_program", "kode_sub_giat", "no_program", "kode_urusan",
        "kode_bidang_urusan", "nama_program", "target_4", "target_5", "id_bidang_urusan", "nama_bidang_urusan",
        "target_3", "no_giat", "id_label_prov", "waktu_awal", "pagumurni", "pagumurni_murni", "pagu",
        "pagu_simda", "output_sub_giat", "sasaran", "indikator", "id_dana", "nama_sub_giat", "pagu_n_depan",
        "satuan", "id_rpjmd", "id_giat", "id_label_pusat", "nama_giat", "kode_skpd", "nama_skpd",
        "kode_sub_skpd", "id_skpd", "id_sub_bl", "nama_sub_skpd", "target_1", "nama_urusan", "target_2",
        "label_kokab", "label_pusat", "pagu_keg", "pagu_fmis", "id_bl", "kode_bl", "kode_sbl", "active",
        "active_sipd", "update_at", "tahun_anggaran",
    ),
    "data_sub_keg_indikator": (
        "id", "outputteks", "targetoutput", "satuanoutput", "idoutputbl", "targetoutputteks", "kode_sbl",
        "idsubbl", "bobot_kinerja", "indikator_lokal", "active", "update_at", "tahun_anggaran",
    ),
    "data_capaian_prog_sub_keg": (
        "id", "satuancapaian", "targetcapaianteks", "capaianteks", "targetcapaian", "kode_sbl", "idsubbl",
        "bobot_kinerja", "indikator_lokal", "active", "update_at", "tahun_anggaran",
    ),
    "data_keg_indikator_hasil": (
        "id", "hasilteks", "satuanhasil", "targethasil", "targethasilteks", "kode_sbl", "idsubbl", "active",
        "update_at", "tahun_anggaran",
    ),
    "data_output_giat_sub_keg": (
        "id", "outputteks", "satuanoutput", "targetoutput", "targetoutputteks", "kode_sbl", "idsubbl",
        "bobot_kinerja", "indikator_lokal", "active", "update_at", "tahun_anggaran",
    ),
    "data_dana_sub_keg": (
        "id", "namadana", "kodedana", "iddana", "iddanasubbl", "pagudana", "kode_sbl", "idsubbl", "is_locked",
        "active", "update_at", "tahun_anggaran",
    ),
    "data_lokasi_sub_keg": (
        "id", "camatteks", "daerahteks", "idcamat", "iddetillokasi", "idkabkota", "idlurah", "lurahteks",
        "kode_sbl", "idsubbl", "active", "update_at", "tahun_anggaran",
    ),
    "data_rka": (
        "id", "created_user", "createddate", "createdtime", "harga_satuan", "harga_satuan_murni",
        "harga_satuan_murni_sipd", "id_daerah", "id_rinci_sub_bl", "id_standar_nfs", "is_locked", "jenis_bl",
        "ket_bl_teks", "substeks", "id_dana", "nama_dana", "is_paket", "kode_dana", "subtitle_teks",
        "kode_akun", "koefisien", "koefisien_murni", "koefisien_murni_sipd", "lokus_akun_teks", "nama_akun",
        "nama_komponen", "spek_komponen", "satuan", "spek", "sat1", "sat2", "sat3", "sat4", "volum1", "volum2",
        "volum3", "volum4", "volume", "volume_murni", "volume_murni_sipd", "subs_bl_teks", "total_harga",
        "rincian", "rincian_murni", "rincian_murni_sipd", "totalpajak", "pajak", "pajak_murni",
        "pajak_murni_sipd", "updated_user", "updateddate", "updatedtime", "user1", "user2", "active",
        "active_sipd", "akun_locked", "ssh_locked", "update_at", "tahun_anggaran", "idbl", "idsubbl",
        "kode_bl", "kode_sbl", "id_prop_penerima", "id_camat_penerima", "id_kokab_penerima",
        "id_lurah_penerima", "id_penerima", "idkomponen", "idketerangan", "idsubtitle",
    ),
    "data_anggaran_kas": (
        "id", "bulan_1", "bulan_2", "bulan_3", "bulan_4", "bulan_5", "bulan_6", "bulan_7", "bulan_8",
        "bulan_9", "bulan_10", "bulan_11", "bulan_12", "id_akun", "id_bidang_urusan", "id_daerah", "id_giat",
        "id_program", "id_skpd", "id_sub_giat", "id_sub_skpd", "id_unit", "kode_akun", "nama_akun", "selisih",
        "tahun", "total_akb", "total_rincian", "active", "kode_sbl", "kode_sbl_sub_keg", "type",
        "tahun_anggaran", "updated_at",
    ),
}
TABLES = tuple(SIPD_COLUMNS)

Row = dict[str, object]


def money(amount: int | None) -> str | None:
    """A whole Rupiah amount as SIPD stores it, DOUBLE(20,2): ``5266550.00``."""
    if amount is None:
        return None
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError(f"money must be a whole int, got {amount!r}")
    return f"{amount}.00"


def write_table(folder: Path, table: str, rows: list[Row]) -> None:
    """``<folder>/<table>.csv``: header = every column of the table, None = empty cell (NULL)."""
    columns = SIPD_COLUMNS[table]
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            if unknown:
                raise KeyError(f"{table}: no column {sorted(unknown)}")
            writer.writerow(["" if row.get(column) is None else str(row[column]) for column in columns])


def write_snapshot(folder: Path, tables: dict[str, list[Row]]) -> None:
    """Every table of TABLES, an empty one as its header row alone; no other file is touched."""
    for table in TABLES:
        write_table(folder, table, tables.get(table, []))


# ---------------------------------------------------------------------------------------------
# Codes and ids (the same rules serve the synthetic series).
# ---------------------------------------------------------------------------------------------
def dotted(kode: str) -> str:
    """The documents' spaced kode ``7 01 01 2.06 08`` as SIPD writes it: ``7.01.01.2.06.08``."""
    return ".".join(part for part in re.split(r"[\s.]+", kode.strip()) if part)


@dataclass(frozen=True)
class Codes:
    """A sub-kegiatan's kode split as Permendagri 90/2019 does: urusan.bidang.program.kegiatan(2 parts).sub."""

    sub: str  # 7.01.01.2.06.08 (or X.XX.01.2.01.0001 for SIPD's program penunjang)

    @property
    def parts(self) -> list[str]:
        parts = self.sub.split(".")
        if len(parts) != 6:
            raise ValueError(f"not a sub-kegiatan kode of six parts: {self.sub}")
        return parts

    @property
    def urusan(self) -> str:
        return self.parts[0]

    @property
    def bidang(self) -> str:
        return ".".join(self.parts[:2])

    @property
    def program(self) -> str:
        return ".".join(self.parts[:3])

    @property
    def giat(self) -> str:
        return ".".join(self.parts[:5])

    @property
    def no_program(self) -> str:
        return self.parts[2]

    @property
    def no_giat(self) -> str:
        return ".".join(self.parts[3:5])

    @property
    def no_sub_giat(self) -> str:
        return self.parts[5]

    # The id rule: a level digit (1 program, 2 kegiatan, 3 sub-kegiatan) followed by the kode's
    # digits after urusan.bidang, the sub-kegiatan number padded to three digits. Codes of the
    # program penunjang (X.XX.01...) get the same id in every bidang, as in SIPD.
    @property
    def id_program(self) -> int:
        return int("1" + self.no_program)

    @property
    def id_giat(self) -> int:
        return int("2" + self.no_program + self.no_giat.replace(".", ""))

    @property
    def id_sub_giat(self) -> int:
        return int("3" + self.no_program + self.no_giat.replace(".", "") + f"{int(self.no_sub_giat):03d}")


def id_bidang_urusan(kode_bidang: str) -> int:
    """``7.01`` -> 701, ``2.17`` -> 217."""
    return int(kode_bidang.replace(".", ""))


def id_skpd_of(kode_bidang: str, unit_number: str) -> int:
    """id_skpd = id_bidang_urusan * 1000 + the unit number: 7.01 unit 01 -> 701001."""
    return id_bidang_urusan(kode_bidang) * 1000 + int(unit_number)


def kode_skpd_of(kode_bidang: str, unit_number: str) -> str:
    """SIPD's eight-part unit code with one bidang: ``7.01.0.00.0.00.01.0000``."""
    return f"{kode_bidang}.0.00.0.00.{unit_number}.0000"


def kode_bl_of(id_skpd: int, id_sub_skpd: int, codes: Codes) -> str:
    """wp-sipd's kode_bl: id_skpd.id_sub_skpd.id_program.id_giat."""
    return f"{id_skpd}.{id_sub_skpd}.{codes.id_program}.{codes.id_giat}"


def kode_sbl_of(id_skpd: int, id_sub_skpd: int, codes: Codes) -> str:
    """wp-sipd's kode_sbl: kode_bl.id_sub_giat."""
    return f"{kode_bl_of(id_skpd, id_sub_skpd, codes)}.{codes.id_sub_giat}"


def id_unik_sub_bl_of(tahun: int, kode_sbl: str) -> str:
    """A uuid5 of the year and kode_sbl: SIPD's id_unik is a uuid; this one is reproducible."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"renja-ledger:sipd:{tahun}:{kode_sbl}"))


# ---------------------------------------------------------------------------------------------
# Targets: "2 Dokumen" -> (number "2", unit "Dokumen" as printed).
# ---------------------------------------------------------------------------------------------
_TARGET = re.compile(r"^\s*([0-9][0-9.,]*)\s*(.*?)\s*$")


@dataclass(frozen=True)
class PrintedTarget:
    printed: str  # the cell as the document prints it (spaces collapsed)
    number: str  # the value as SIPD stores a target: digits, a '.' before a fraction
    unit: str  # the unit as printed ('' when none)

    @property
    def whole(self) -> int | None:
        value = Decimal(self.number)
        return int(value) if value == value.to_integral_value() else None


def read_target(text: str) -> PrintedTarget:
    printed = " ".join(text.split())
    found = _TARGET.match(printed)
    if not found:
        raise ValueError(f"not a target: {text!r}")
    value = parse_decimal(found.group(1), kind="target value")  # 9.237 -> 9237, 100.00 -> 100.00
    number = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return PrintedTarget(printed, number, found.group(2).strip())


# ---------------------------------------------------------------------------------------------
# The documents.
# ---------------------------------------------------------------------------------------------
@dataclass
class DocRow:
    doc: str
    row: dict[str, str]
    program: dict[str, str] | None = None
    kegiatan: dict[str, str] | None = None
    subs: list[DocRow] = field(default_factory=list)

    @property
    def nama(self) -> str:
        return self.row["nama_baku"].strip() or self.row["nama"].strip()

    @property
    def key(self) -> str:
        return name_key(self.nama)

    @property
    def pagu(self) -> int | None:
        text = self.row["pagu"]
        return None if is_empty(text) else parse_whole(text)

    def cell(self, column: str) -> str | None:
        text = " ".join((self.row.get(column) or "").split())
        return None if is_empty(text) else text


def read_document(path: Path, doc: str) -> list[DocRow]:
    """The rows of a `budget` table, each sub-kegiatan with its program and kegiatan rows."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [DocRow(doc, row) for row in csv.DictReader(handle)]
    program = kegiatan = None
    for row in rows:
        level = row.row["level"]
        if level == "program":
            program, kegiatan = row.row, None
        elif level == "kegiatan":
            kegiatan = row.row
        elif level == "sub_kegiatan":
            row.program, row.kegiatan = program, kegiatan
    return rows


def by_level(rows: list[DocRow], level: str) -> list[DocRow]:
    return [row for row in rows if row.row["level"] == level]


# ---------------------------------------------------------------------------------------------
# The Mangkutana unit and its snapshots.
# ---------------------------------------------------------------------------------------------
TAHUN = 2024
UNIT_NUMBER = "01"  # a stated placeholder: no document prints the unit's SIPD number
NAMA_UNIT = "Kecamatan Mangkutana"  # both documents' `opd`: the ledger's plan the sync writes to
MURNI_AT = "2024-01-03 09:00:00"
PERUBAHAN_AT = "2024-08-01 09:00:00"
# The Rencana Aksi's signature block (document.toml): "Camat, / ZULKIFLI ADI SAPUTRA, ST /
# Pkt. : Penata tK. I / III.d / NIP. 19840710 201001 1 026"; the perubahan prints no NIP.
NAMA_KEPALA = "ZULKIFLI ADI SAPUTRA, ST"
NIP_KEPALA = "19840710 201001 1 026"
PANGKAT_KEPALA = "Penata tK. I / III.d"


@dataclass
class Line:
    """One SIPD row of data_sub_keg_bl, as taken from the documents."""

    codes: Codes
    nama_sub_giat: str
    nama_giat: str
    nama_program: str
    t32: DocRow  # the Tabel 3.2 row that gives the kode
    ra: DocRow | None  # the Rencana Aksi row (the murni), when there is one
    sbl_id: int = 0


@dataclass
class Built:
    lines: list[Line]
    left_out_ra: list[DocRow]  # Rencana Aksi sub-kegiatan with no counterpart in Tabel 3.2
    left_out_t32: list[DocRow]  # Tabel 3.2 sub-kegiatan without a kode
    t32_only: list[Line]  # Tabel 3.2 sub-kegiatan the Rencana Aksi does not print
    ra_rows: list[DocRow]
    t32_rows: list[DocRow]
    nama_urusan: str
    nama_bidang: str
    kode_bidang: str


def build() -> Built:
    ra_rows = read_document(RENCANA_AKSI, "Rencana Aksi")
    t32_rows = read_document(TABEL_3_2, "Tabel 3.2")
    urusan = next(row for row in t32_rows if row.row["level"] == "urusan")
    bidang = next(row for row in t32_rows if row.row["level"] == "bidang")
    kode_bidang = dotted(bidang.row["kode"])
    names = {dotted(row.row["kode"]): row.nama for row in t32_rows if row.row["level"] in ("program", "kegiatan")}

    lines: list[Line] = []
    left_out_t32: list[DocRow] = []
    for row in by_level(t32_rows, "sub_kegiatan"):
        if not row.row["kode"].strip():
            left_out_t32.append(row)
            continue
        codes = Codes(dotted(row.row["kode"]))
        lines.append(Line(codes, row.nama, names[codes.giat], names[codes.program], row, None))
    lines.sort(key=lambda line: [int(part) for part in line.codes.sub.replace(".", " ").split()])
    for number, line in enumerate(lines, start=1):
        line.sbl_id = number

    by_key: dict[str, list[Line]] = {}
    for line in lines:
        by_key.setdefault(line.t32.key, []).append(line)
    left_out_ra: list[DocRow] = []
    for row in by_level(ra_rows, "sub_kegiatan"):
        found = by_key.get(row.key, [])
        if len(found) > 1:
            raise SystemExit(f"Rencana Aksi row {row.row['row']}: {row.nama!r} names {len(found)} Tabel 3.2 rows")
        if not found:
            left_out_ra.append(row)
            continue
        line = found[0]
        if line.ra is not None:
            raise SystemExit(f"Tabel 3.2 {line.codes.sub} matched twice (Rencana Aksi rows {line.ra.row['row']}, {row.row['row']})")
        # The Rencana Aksi's kegiatan over the row must be the kegiatan of the kode.
        assert row.kegiatan is not None
        kegiatan_key = name_key(row.kegiatan["nama_baku"] or row.kegiatan["nama"])
        if kegiatan_key != name_key(line.nama_giat):
            raise SystemExit(f"Rencana Aksi row {row.row['row']} sits under {row.kegiatan['nama']!r}, "
                             f"Tabel 3.2 puts {line.codes.sub} under {line.nama_giat!r}")
        line.ra = row
    t32_only = [line for line in lines if line.ra is None]
    return Built(lines, left_out_ra, left_out_t32, t32_only, ra_rows, t32_rows,
                 urusan.nama, bidang.nama, kode_bidang)


def snapshot(built: Built, stage: str) -> dict[str, list[Row]]:
    """The tables of SIPD after the murni (from the Rencana Aksi) or the perubahan (Tabel 3.2)."""
    murni = stage == "murni"
    at = MURNI_AT if murni else PERUBAHAN_AT
    kode_skpd = kode_skpd_of(built.kode_bidang, UNIT_NUMBER)
    id_skpd = id_skpd_of(built.kode_bidang, UNIT_NUMBER)
    base = {"update_at": at, "tahun_anggaran": TAHUN}
    tables: dict[str, list[Row]] = {table: [] for table in TABLES}
    tables["data_unit"].append({
        "id": 1, "id_unit": id_skpd, "is_skpd": 1, "kode_skpd": kode_skpd, "nama_skpd": NAMA_UNIT, "id_skpd": id_skpd,
        "bidur_1": id_bidang_urusan(built.kode_bidang), "idinduk": id_skpd, "isskpd": 1, "kodeunit": kode_skpd,
        "namakepala": NAMA_KEPALA, "namaunit": NAMA_UNIT, "nipkepala": NIP_KEPALA, "pangkatkepala": PANGKAT_KEPALA,
        "active": 1, **base,
    })

    rows = [line for line in built.lines if line.ra is not None] if murni else list(built.lines)

    def pagu_of(line: Line) -> int:
        source = line.ra if murni else line.t32
        assert source is not None
        value = source.pagu
        if value is None:
            raise SystemExit(f"{source.doc} row {source.row['row']}: no pagu")
        return value

    pagu_keg: dict[str, int] = {}
    for line in rows:
        pagu_keg[line.codes.giat] = pagu_keg.get(line.codes.giat, 0) + pagu_of(line)

    for line in rows:
        codes = line.codes
        kode_sbl = kode_sbl_of(id_skpd, id_skpd, codes)
        source = line.ra if murni else line.t32
        assert source is not None
        detail = {"kode_sbl": kode_sbl, "idsubbl": line.sbl_id, "active": 1, **base}
        lokasi = None if murni else line.t32.cell("lokasi")
        dana = None if murni else line.t32.cell("sumber_dana")
        if murni:
            pagumurni = pagu_n_depan = None
        else:
            pagumurni = line.ra.pagu if line.ra is not None else None
            printed_pm = line.t32.cell("pm_pagu")
            pagu_n_depan = parse_whole(printed_pm) if printed_pm else None
        tables["data_sub_keg_bl"].append({
            "id": line.sbl_id, "id_sub_skpd": id_skpd, "nama_dana": dana, "no_sub_giat": codes.no_sub_giat,
            "kode_giat": codes.giat, "id_program": codes.id_program, "nama_lokasi": lokasi, "waktu_akhir": 12,
            "id_urusan": int(codes.urusan), "id_unik_sub_bl": id_unik_sub_bl_of(TAHUN, kode_sbl),
            "id_sub_giat": codes.id_sub_giat, "kode_program": codes.program, "kode_sub_giat": codes.sub,
            "no_program": codes.no_program, "kode_urusan": codes.urusan, "kode_bidang_urusan": codes.bidang,
            "nama_program": line.nama_program, "id_bidang_urusan": id_bidang_urusan(codes.bidang),
            "nama_bidang_urusan": built.nama_bidang, "no_giat": codes.no_giat, "id_label_prov": 0, "waktu_awal": 1,
            "pagumurni": money(pagumurni), "pagu": money(pagu_of(line)), "nama_sub_giat": line.nama_sub_giat,
            # NOT NULL in tabel.sql: 0 when no prakiraan maju is printed (wp-sipd's own default when SIPD sends none).
            "pagu_n_depan": money(pagu_n_depan if pagu_n_depan is not None else 0),
            "id_rpjmd": 0, "id_giat": codes.id_giat, "id_label_pusat": 0, "nama_giat": line.nama_giat,
            "kode_skpd": kode_skpd, "nama_skpd": NAMA_UNIT, "kode_sub_skpd": kode_skpd, "id_skpd": id_skpd,
            "id_sub_bl": line.sbl_id, "nama_sub_skpd": NAMA_UNIT, "nama_urusan": built.nama_urusan,
            "pagu_keg": money(pagu_keg[codes.giat]), "kode_bl": kode_bl_of(id_skpd, id_skpd, codes),
            "kode_sbl": kode_sbl, "active": 1, "active_sipd": 1, **base,
        })

        # The sub-kegiatan's own indicator (keluaran).
        indikator, target = source.cell("indikator"), source.cell("target")
        if indikator and target:
            parsed = read_target(target)
            if not parsed.unit:
                raise SystemExit(f"{source.doc} row {source.row['row']}: target {target!r} prints no unit")
            number = line.sbl_id * 10 + 1
            tables["data_sub_keg_indikator"].append({
                "id": number, "outputteks": indikator, "targetoutput": parsed.number, "satuanoutput": parsed.unit,
                "idoutputbl": number, "targetoutputteks": parsed.printed, "bobot_kinerja": 1, "indikator_lokal": 0,
                **detail,
            })

        # Capaian program and hasil kegiatan: Tabel 3.2 prints them on the sub-kegiatan's row; the
        # Rencana Aksi prints them once, on the program's and the kegiatan's own row.
        if murni:
            assert line.ra is not None and line.ra.program is not None and line.ra.kegiatan is not None
            program = DocRow("Rencana Aksi", line.ra.program)
            kegiatan = DocRow("Rencana Aksi", line.ra.kegiatan)
            capaian = (program.cell("indikator"), program.cell("target"))
            hasil = (kegiatan.cell("indikator"), kegiatan.cell("target"))
        else:
            capaian = (line.t32.cell("indikator_program"), line.t32.cell("target_program"))
            hasil = (line.t32.cell("indikator_kegiatan"), line.t32.cell("target_kegiatan"))
        if capaian[0] and capaian[1]:
            parsed = read_target(capaian[1])
            tables["data_capaian_prog_sub_keg"].append({
                "id": line.sbl_id * 10 + 1, "satuancapaian": parsed.unit or None, "targetcapaianteks": parsed.printed,
                "capaianteks": capaian[0], "targetcapaian": parsed.whole, "bobot_kinerja": 1, "indikator_lokal": 0,
                **detail,
            })
        if hasil[0] and hasil[1]:
            parsed = read_target(hasil[1])
            tables["data_keg_indikator_hasil"].append({
                "id": line.sbl_id * 10 + 1, "hasilteks": hasil[0], "satuanhasil": parsed.unit or None,
                "targethasil": parsed.number, "targethasilteks": parsed.printed, **detail,
            })
        if dana:
            tables["data_dana_sub_keg"].append({"id": line.sbl_id * 10 + 1, "namadana": dana, **detail})
        if lokasi:
            tables["data_lokasi_sub_keg"].append({"id": line.sbl_id * 10 + 1, "daerahteks": lokasi, **detail})
    return tables


# ---------------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------------
def rp(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def readme(built: Built, murni: dict[str, list[Row]], perubahan: dict[str, list[Row]]) -> str:
    def total(tables: dict[str, list[Row]], column: str) -> int:
        return sum(int(Decimal(str(row[column]))) for row in tables["data_sub_keg_bl"] if row.get(column) is not None)

    def counts(tables: dict[str, list[Row]]) -> str:
        return ", ".join(f"{table} {len(tables[table])}" for table in TABLES)

    ra_total = next(row.pagu for row in built.ra_rows if row.row["level"] == "total")
    t32_total = next(row.pagu for row in built.t32_rows if row.row["level"] == "total")
    t32_bidang = next(row for row in built.t32_rows if row.row["level"] == "bidang")
    ra_subs = by_level(built.ra_rows, "sub_kegiatan")
    t32_subs = by_level(built.t32_rows, "sub_kegiatan")

    out: list[str] = []
    w = out.append
    w("# SIPD snapshots from the Mangkutana 2024 documents\n")
    w("Generated by `scripts/sipd_snapshots_from_documents.py` (run it again to regenerate; do not edit by hand).\n")
    w("What SIPD (as mirrored by wp-sipd, `agusnurwanto/wp-sipd`, `tabel.sql` at commit 5e6580f2) would have held for "
      "Kecamatan Mangkutana's 2024 plan, taken from the office's two public documents in "
      "`ledger/datasets/mangkutana_2024`. **These are not exports from SIPD**: no SIPD or wp-sipd export of this office "
      "was available. Every money figure and every target is one the documents print; the ids are made by the rules "
      "below; nothing else is filled in except where a NOT NULL column of `tabel.sql` must have a value (said below).\n")
    w("| folder | sync with | source | `update_at` | data_sub_keg_bl rows | sum of `pagu` |")
    w("|---|---|---|---|---|---|")
    w(f"| `2024-01-03_murni/` | `--stage murni` | Rencana Aksi 2024 (`rencana_aksi_2024/rencana_aksi.csv`), signed 3 Januari 2024 "
      f"| `{MURNI_AT}` | {len(murni['data_sub_keg_bl'])} | {rp(total(murni, 'pagu'))} |")
    w(f"| `2024-08-01_perubahan/` | `--stage perubahan` | Renja Perubahan 2024, Tabel 3.2 (`renja_perubahan_2024/tabel_3_2.csv`), "
      f"signed 1 Agustus 2024 | `{PERUBAHAN_AT}` | {len(perubahan['data_sub_keg_bl'])} | {rp(total(perubahan, 'pagu'))} |")
    w("")
    w(f"In the perubahan snapshot the sum of `pagumurni` is {rp(total(perubahan, 'pagumurni'))} and the sum of `pagu_n_depan` "
      f"(prakiraan maju 2025) is {rp(total(perubahan, 'pagu_n_depan'))}.\n")
    w("Rows per table:\n")
    w(f"- murni: {counts(murni)}.")
    w(f"- perubahan: {counts(perubahan)}.\n")
    w("Each folder holds one CSV per wp-sipd table, named `<table>.csv`: header row = all the table's columns in "
      "`tabel.sql` order (as phpMyAdmin's CSV export writes them), UTF-8, an empty cell = NULL, money as SIPD stores "
      "`DOUBLE(20,2)` (`5266550.00`). Every NOT NULL column without a default is filled, so the folders load into "
      "MariaDB in strict mode (`tests/sipd_mariadb.py`, `load_snapshot`). Tables the documents give nothing for "
      "(`data_output_giat_sub_keg`, `data_rka`, `data_anggaran_kas`, and in the murni `data_dana_sub_keg`, "
      "`data_lokasi_sub_keg`) are a header row alone.\n")

    w("## The rule\n")
    w("- **Which rows.** Only sub-kegiatan become `data_sub_keg_bl` rows: SIPD holds a program and a kegiatan only as the "
      "`kode_program`/`nama_program` and `kode_giat`/`nama_giat` of their sub-kegiatan.")
    w("- **Kode.** The Rencana Aksi prints no kode. Each of its sub-kegiatan takes its kode (and its kegiatan's and program's "
      "kode and names) from the Tabel 3.2 sub-kegiatan of the same name: `nama_baku` where the CSV gives one, else `nama`, "
      "compared by the ledger's own rule for a line without a kode (`ledger.events.name_key`: accents, case, spaces and "
      "punctuation ignored). The spaced kode of the documents (`7 01 01 2.06 08`) is written dotted (`7.01.01.2.06.08`). "
      "Every match also has the same kegiatan in both documents (the script checks it).")
    w("  One match needs the punctuation rule, not only case and spaces: Rencana Aksi row 53 prints "
      "`Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak, dan Perizinan Kendaraan Dinas Operasional atau Lapangan`, "
      "Tabel 3.2 row 34 (7.01.01.2.09.02) the same words without the comma after `Pajak`.")
    w("- **Names.** `nama_sub_giat`, `nama_giat`, `nama_program` are Tabel 3.2's (SIPD's nomenclature does not change "
      "between the murni and the perubahan; the Rencana Aksi's spellings such as `Saranan`/`Prasaranana` are not SIPD's). "
      f"`nama_urusan` = `{built.nama_urusan}` and `nama_bidang_urusan` = `{built.nama_bidang}` as Tabel 3.2's urusan and "
      f"bidang rows print them; `kode_urusan` `7`, `kode_bidang_urusan` `{built.kode_bidang}`.")
    w("- **The unit.** `kode_skpd` = `kode_sub_skpd` = "
      f"`{kode_skpd_of(built.kode_bidang, UNIT_NUMBER)}`: bidang `{built.kode_bidang}` with unit number `{UNIT_NUMBER}` "
      "in SIPD's eight-part form; **the unit number 01 is a stated placeholder** (no document prints Kecamatan Mangkutana's "
      f"number in SIPD). `nama_skpd` = `nama_sub_skpd` = `{NAMA_UNIT}` (both documents' `opd`, so the sync's default "
      "`--opd` is the ledger's plan of these documents). `data_unit` is one row; `namakepala` "
      f"`{NAMA_KEPALA}`, `nipkepala` `{NIP_KEPALA}` (as printed, with its spaces), `pangkatkepala` `{PANGKAT_KEPALA}` "
      "(the printed `Pkt. : ` label dropped) from the Rencana Aksi's signature block (`document.toml`); the Renja "
      "Perubahan is signed by the same Camat and prints no NIP, so both snapshots carry the same row.")
    w("- **Murni** (`2024-01-03_murni/`): `pagu` = the Rencana Aksi's sub-kegiatan pagu (its year-end Rp, column `pagu`); "
      "`pagumurni` NULL; `pagu_n_depan` `0.00` (see the NOT NULL fillers); indicators from the Rencana Aksi: the "
      "sub-kegiatan's `indikator`/`target` -> `data_sub_keg_indikator`; the program row's `indikator`/`target` -> "
      "`data_capaian_prog_sub_keg` of each of its sub-kegiatan, the kegiatan row's `indikator`/`target` -> "
      "`data_keg_indikator_hasil` of each of its sub-kegiatan (the Rencana Aksi prints them once on the program's and "
      "kegiatan's own rows; SIPD keeps them per sub-kegiatan). The Rencana Aksi prints no lokasi and no sumber dana: "
      "`data_lokasi_sub_keg` and `data_dana_sub_keg` are empty, `nama_lokasi` and `nama_dana` NULL.")
    w("- **Perubahan** (`2024-08-01_perubahan/`): `pagu` = Tabel 3.2's sub-kegiatan pagu; `pagumurni` = the Rencana Aksi's "
      "pagu of the same sub-kegiatan (NULL for the one sub-kegiatan the Rencana Aksi does not print, below); "
      "`pagu_n_depan` = Tabel 3.2's `pm_pagu` (printed for every sub-kegiatan); indicators from Tabel 3.2's row: "
      "`indikator`/`target` -> `data_sub_keg_indikator`, `indikator_program`/`target_program` -> "
      "`data_capaian_prog_sub_keg`, `indikator_kegiatan`/`target_kegiatan` -> `data_keg_indikator_hasil`; `lokasi` -> "
      "`data_lokasi_sub_keg.daerahteks` (the whole printed text; `camatteks`, `lurahteks` NULL) and `nama_lokasi`; "
      "`sumber_dana` -> `data_dana_sub_keg.namadana` and `nama_dana`.")
    w("- **Targets.** `targetoutput` / `targethasil` = the printed number (`9.237` -> `9237`, `100.00` -> `100`), "
      "`satuanoutput` / `satuanhasil` / `satuancapaian` = the unit as printed (`Lbr`, `Dokumen`, `Rekenin`, `%`), "
      "`targetoutputteks` / `targethasilteks` / `targetcapaianteks` = the target as printed (spaces collapsed). "
      "`targetcapaian` is an INT(11) column: the number when whole (all are 100 here). The Rencana Aksi's `target` "
      "(the fourth column, the annual target) is taken, not its `target_akhir` (year-end condition).")
    w("- **`pagu_keg`** (NOT NULL) = the sum of the `pagu` of the snapshot's sub-kegiatan with the same `kode_giat`: SIPD's "
      "kegiatan pagu is the sum of its sub-kegiatan, never a figure of its own (the printed kegiatan pagu are listed below).")
    w("- No `data_rka` (rincian) and no `data_anggaran_kas`: neither document prints accounts or a monthly cash plan.\n")

    w("## Ids (deterministic)\n")
    w("| column | rule | example (7.01.01.2.06.08) |")
    w("|---|---|---|")
    example = next(line for line in built.lines if line.codes.sub == "7.01.01.2.06.08")
    ids = id_skpd_of(built.kode_bidang, UNIT_NUMBER)
    w(f"| `id_skpd` = `id_sub_skpd` = `data_unit.id_skpd` = `id_unit` = `idinduk` | id_bidang_urusan x 1000 + unit number | {ids} |")
    w(f"| `id_urusan`, `id_bidang_urusan` | the kode's digits: `7`, `7.01` | 7, {id_bidang_urusan(built.kode_bidang)} |")
    w(f"| `id_program` | `1` + the program number | {example.codes.id_program} |")
    w(f"| `id_giat` | `2` + program number + kegiatan digits | {example.codes.id_giat} |")
    w(f"| `id_sub_giat` | `3` + program number + kegiatan digits + sub-kegiatan number on three digits | {example.codes.id_sub_giat} |")
    w(f"| `kode_bl` | `id_skpd.id_sub_skpd.id_program.id_giat` (wp-sipd's form) | {kode_bl_of(ids, ids, example.codes)} |")
    w(f"| `kode_sbl` | `kode_bl.id_sub_giat` (wp-sipd's form) | {kode_sbl_of(ids, ids, example.codes)} |")
    w(f"| `data_sub_keg_bl.id` = `id_sub_bl` | the sub-kegiatan's place (1..{len(built.lines)}) in kode order among all Tabel 3.2 "
      f"sub-kegiatan; the same in both snapshots (the murni has a gap where the perubahan-only row sits) | {example.sbl_id} |")
    w(f"| `id_unik_sub_bl` | uuid5(NAMESPACE_URL, `renja-ledger:sipd:2024:<kode_sbl>`) | "
      f"{id_unik_sub_bl_of(TAHUN, kode_sbl_of(ids, ids, example.codes))} |")
    w(f"| `id` (and `idoutputbl`) of a detail row | `data_sub_keg_bl.id` x 10 + its place among the sub-kegiatan's rows "
      f"(one each here) | {example.sbl_id * 10 + 1} |")
    w("| `idsubbl` of a detail row | `data_sub_keg_bl.id` | |")
    w("| `data_unit.id`, `bidur_1` | 1; id_bidang_urusan | |\n")
    w("The ids are the same in both snapshots, so a sub-kegiatan has one `kode_sbl` from the murni to the perubahan.\n")

    w("### NOT NULL columns with no figure in the documents\n")
    w("`tabel.sql` makes these columns NOT NULL without a default; wp-sipd fills them from SIPD. They are filled with "
      "wp-sipd's own defaults for a value SIPD does not send, and carry nothing from the documents:\n")
    w("- `pagu_n_depan` `0.00` in the murni snapshot: the Rencana Aksi prints no prakiraan maju; wp-sipd writes 0 when SIPD "
      "sends none. **A sync should read this 0 as \"not stated\", not as a prakiraan maju of zero** (every perubahan row "
      "prints its own).")
    w("- `id_label_prov`, `id_label_pusat`, `id_rpjmd` `0` (wp-sipd's default); `waktu_awal` `1`, `waktu_akhir` `12` "
      "(January to December, SIPD's default period; the documents print none).\n")

    w("## Rows left out\n")
    w("A SIPD row has a kode; a sub-kegiatan that cannot be given one is left out (a known difference between the documents):\n")
    w("| document | row | sub-kegiatan | pagu (murni) | why |")
    w("|---|---|---|---|---|")
    for row in built.left_out_ra:
        w(f"| Rencana Aksi | {row.row['row']} | {row.nama} | {rp(row.pagu)} | no sub-kegiatan of this name in Tabel 3.2, so no "
          "kode (Tabel 3.2 does not print it; Tabel 2.3 does, without a kode either). In neither snapshot. |")
    for row in built.left_out_t32:
        w(f"| Tabel 3.2 | {row.row['row']} | {row.nama} | {rp(row.pagu)} | no kode printed |")
    if not built.left_out_t32:
        w("| Tabel 3.2 | - | (none: every Tabel 3.2 sub-kegiatan prints a kode) | | |")
    w("")
    w("In the perubahan only (the Rencana Aksi does not print it, so it is not in the murni snapshot and its `pagumurni` "
      "is NULL):\n")
    w("| Tabel 3.2 row | kode | sub-kegiatan | pagu (perubahan) | pagu_n_depan |")
    w("|---|---|---|---|---|")
    for line in built.t32_only:
        w(f"| {line.t32.row['row']} | {line.codes.sub} | {line.nama_sub_giat} | {rp(line.t32.pagu)} | "
          f"{rp(parse_whole(line.t32.cell('pm_pagu') or '0'))} |")
    w("")
    murni_sum = total(murni, "pagu")
    ra_sub_sum = sum(row.pagu or 0 for row in ra_subs)
    t32_sub_sum = sum(row.pagu or 0 for row in t32_subs)
    w(f"Sums: the Rencana Aksi's sub-kegiatan add up to {rp(ra_sub_sum)} (its printed Total {rp(ra_total)}); the murni "
      f"snapshot holds {rp(murni_sum)} = {rp(ra_sub_sum)} - {rp(ra_sub_sum - murni_sum)} (the row left out). Tabel 3.2's "
      f"sub-kegiatan add up to {rp(t32_sub_sum)} = the perubahan snapshot (its printed TOTAL {rp(t32_total)}, its bidang "
      f"row {rp(t32_bidang.pagu)}).\n")

    w("## Figures of the documents SIPD has no column for (not in the snapshots)\n")
    w("- **Program and kegiatan pagu as printed.** SIPD has no program pagu, and its kegiatan pagu (`pagu_keg`) is the sum "
      "of the sub-kegiatan. Printed figures and the snapshot's sums:\n")
    w("| document | level | kode | nama | printed pagu | sum in the snapshot | printed pm_pagu | sum of pagu_n_depan |")
    w("|---|---|---|---|---|---|---|---|")
    for doc, rows_, tables in (("Rencana Aksi", built.ra_rows, murni), ("Tabel 3.2", built.t32_rows, perubahan)):
        kode_of: dict[str, str] = {}
        for line in built.lines:
            kode_of.setdefault("program:" + name_key(line.nama_program), line.codes.program)
            kode_of.setdefault("kegiatan:" + name_key(line.nama_giat), line.codes.giat)
        for row in rows_:
            level = row.row["level"]
            if level not in ("program", "kegiatan"):
                continue
            kode = dotted(row.row["kode"]) if row.row["kode"].strip() else kode_of.get(f"{level}:{row.key}", "?")
            column = "kode_program" if level == "program" else "kode_giat"
            members = [r for r in tables["data_sub_keg_bl"] if r[column] == kode]
            summed = sum(int(Decimal(str(r["pagu"]))) for r in members)
            pm = row.cell("pm_pagu")
            pm_sum = sum(int(Decimal(str(r["pagu_n_depan"]))) for r in members) if doc == "Tabel 3.2" else None
            flag = "" if row.pagu == summed else " (differs)"
            pm_flag = "" if pm is None or pm_sum == parse_whole(pm) else " (differs)"
            w(f"| {doc} | {level} | {kode} | {row.nama} | {rp(row.pagu)} | {rp(summed)}{flag} | "
              f"{rp(parse_whole(pm)) if pm else ''} | {rp(pm_sum) if pm_sum is not None else ''}{pm_flag} |")
    w("")
    t32_total_pm = next(r for r in built.t32_rows if r.row["level"] == "total").cell("pm_pagu") or "0"
    w(f"- **Totals.** The Rencana Aksi's Total row ({rp(ra_total)}) and its triwulan totals; Tabel 3.2's TOTAL row "
      f"({rp(t32_total)}, prakiraan maju {rp(parse_whole(t32_total_pm))}), "
      f"its bidang row 7.01 KECAMATAN ({rp(t32_bidang.pagu)}, prakiraan maju "
      f"{rp(parse_whole(t32_bidang.cell('pm_pagu') or '0'))}) and its urusan row.")
    w("- **Rencana Aksi: the triwulan figures** (`tw1_target`, `tw1_pagu` ... `tw4_pagu`) of every row: SIPD's monthly plan "
      "(`data_anggaran_kas`) is per account of a sub-kegiatan, and the Rencana Aksi prints no account.")
    w("- **Rencana Aksi: `target_akhir`** (the year-end condition target, e.g. 12 where the annual target is `10 Lbr`), "
      "and the year-end Rp (equal to `pagu`, which is carried).")
    w("- **Rencana Aksi: the penanggung jawab** of every sub-kegiatan (e.g. `MANSYUR, S.Sos`).")
    w("- **Rencana Aksi: the sasaran table** (`sasaran.csv`: 2 sasaran with their indicators and targets 80 and 100%).")
    w("- **Rencana Aksi: the targets of the program and kegiatan rows** other than the one taken into each sub-kegiatan's "
      "capaian/hasil (their triwulan and year-end targets).")
    w("- **Tabel 3.2: the prakiraan maju targets** (`pm_indikator`, `pm_target`): wp-sipd's `data_sub_keg_bl` has "
      "`pagu_n_depan` for next year's money but no column for next year's target.")
    w("- **Tabel 3.2: program and kegiatan `pm_pagu`** as printed (table above) and the notes on jumbled cells.")
    w("- **Renja Perubahan: Tabel 2.1** (evaluation to Triwulan II), **Tabel 2.2** (IKM 2021-2025), **Tabel 2.3** (the "
      "RKPD side: lokasi, indicators, pagu indikatif 2.788.872.800; the kebutuhan side: 3.065.872.800) and **Tabel 3.1** "
      "(tujuan and sasaran).")
    w("- **The documents themselves:** judul, nomor, tanggal (only as `update_at`), tempat, jabatan; the Renja "
      "Perubahan's signatory is in `data_unit` through the Rencana Aksi's signature block.")
    w("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the folder to write (default %(default)s)")
    args = parser.parse_args(argv)
    built = build()
    murni = snapshot(built, "murni")
    perubahan = snapshot(built, "perubahan")
    write_snapshot(args.out / "2024-01-03_murni", murni)
    write_snapshot(args.out / "2024-08-01_perubahan", perubahan)
    (args.out / "README.md").write_text(readme(built, murni, perubahan), encoding="utf-8")
    for name, tables in (("2024-01-03_murni", murni), ("2024-08-01_perubahan", perubahan)):
        pagu = sum(int(Decimal(str(row["pagu"]))) for row in tables["data_sub_keg_bl"])
        print(f"{args.out / name}: {len(tables['data_sub_keg_bl'])} sub-kegiatan, pagu {rp(pagu)}")


if __name__ == "__main__":
    main()
