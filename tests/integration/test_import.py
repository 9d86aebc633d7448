"""Importing documents: the Mangkutana timeline, refusals, and another office's own files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from openpyxl import Workbook

from tests.conftest import invoke

DATASET = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "mangkutana_2024"


def report(url: str, *args: str) -> dict:
    result = invoke(url, "report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def event_count(url: str) -> int:
    result = invoke(url, "verify", "--head")
    assert result.exit_code == 0, result.output
    return int(result.stdout.split()[0])


def test_stated_totals_read_back_through_the_ledger(demo_url: str) -> None:
    tabel = report(demo_url, "tabel-2-3")
    stated_rkpd = {s["pagu"] for s in tabel["total"]["dinyatakan"]["pagu_rkpd"]}
    stated_kebutuhan = [s["pagu"] for s in tabel["total"]["dinyatakan"]["kebutuhan_dana"] if "Tabel 2.3" in s["sumber"]]
    assert stated_rkpd == {2_788_872_800}
    assert stated_kebutuhan == [3_065_872_800, 3_065_872_800]
    ra = report(demo_url, "rencana-aksi", "--as-of", "2024-03-01")
    footer = ra["total"]["dinyatakan"][0]
    assert footer["pagu"] == 2_818_872_800
    assert footer["tw"] == [992_370_386, 849_484_807, 539_459_006, 389_548_601]


def test_every_row_is_matched_to_one_line(demo_url: str) -> None:
    rows = report(demo_url, "perubahan")["rows"]
    names = [r["nama"] for r in rows]
    assert len(rows) == 62 and len(set(names)) == len(names)  # 6 programs, 15 kegiatan, 41 sub-kegiatan
    uncoded = sorted(r["nama"] for r in rows if r["kode"] is None)
    assert uncoded == sorted([
        "Administrasi Pendapatan Daerah Kewenangan Perangkat Daerah", "Pelaporan Pengelolaan Retribusi Daerah",
        "Pengadaan Pakaian Dinas Beserta Atribut Kelengkapannya",
        "Pengadaan Kendaraan Perorangan Dinas atau Kendaraan Dinas",
        "Fasilitasi Penyelenggaraan Ketenteraman dan Ketertiban Umum", "Koordinasi Pendampingan Desa di Wilayahnya",
    ])


def test_importing_the_same_document_twice_is_refused(demo_url: str) -> None:
    before = event_count(demo_url)
    result = invoke(demo_url, "import", str(DATASET / "renja_perubahan_2024"))
    assert result.exit_code == 1
    assert "already in the ledger" in result.output
    assert event_count(demo_url) == before


def test_a_malformed_cell_names_file_row_and_field_and_writes_nothing(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "ra"
    shutil.copytree(DATASET / "rencana_aksi_2024", folder)
    csv_path = folder / "rencana_aksi.csv"
    text = csv_path.read_text(encoding="utf-8").replace('"129,435,000"', '"129,435,00x"', 1)
    csv_path.write_text(text, encoding="utf-8")
    result = invoke(db_url, "import", str(folder))
    assert result.exit_code == 1
    assert "rencana_aksi.csv, row 40, field 'pagu'" in result.output and "Traceback" not in result.output
    head = invoke(db_url, "verify", "--head")  # nothing written: an empty ledger, or (SQLite) no ledger file at all
    assert head.stdout.startswith("0 ") or ("no ledger at" in head.output and not Path(db_url).exists())


def rencana_aksi_with(tmp_path: Path, printed: str, instead: str) -> Path:
    """A copy of the Rencana Aksi folder whose first cell printing ``printed`` prints ``instead``."""
    folder = tmp_path / "ra"
    shutil.copytree(DATASET / "rencana_aksi_2024", folder)
    csv_path = folder / "rencana_aksi.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(printed, instead, 1), encoding="utf-8")
    return folder


def test_a_unit_outside_the_known_list_is_kept_as_printed_and_pointed_out(db_url: str, tmp_path: Path) -> None:
    result = invoke(db_url, "import", str(rencana_aksi_with(tmp_path, "803 Kali", "803 Bungkus")))
    assert result.exit_code == 0, result.output
    rows = report(db_url, "rencana-aksi")["rows"]
    assert {"nilai": "803", "satuan": "Bungkus"} in [slot["target"] for row in rows for slot in row["tw"]] + \
        [row["target"] for row in rows]
    checked = invoke(db_url, "check", "--format", "json")
    found = json.loads(checked.stdout)["findings"]
    assert any(f["rule"] == "unit-unknown" and "'Bungkus'" in f["message"] for f in found)


def test_a_malformed_target_is_refused(db_url: str, tmp_path: Path) -> None:
    result = invoke(db_url, "import", str(rencana_aksi_with(tmp_path, "803 Kali", "803 99999")))
    assert result.exit_code == 1 and "field 'target'" in result.output and "satuan" in result.output


def test_another_office_loads_its_renja_from_xlsx(db_url: str, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["row", "level", "kode", "nama", "indikator", "target", "pagu", "sumber_dana", "pm_pagu"])
    sheet.append([1, "bidang", "7 01", "KECAMATAN", None, None, None, None, None])
    sheet.append([2, "program", "7 01 01", "PROGRAM PENUNJANG", None, None, None, None, None])
    sheet.append([3, "kegiatan", "7 01 01 2.06", "Administrasi Umum Perangkat Daerah", None, None, None, None, None])
    sheet.append([4, "sub_kegiatan", "7 01 01 2.06 08", "Fasilitasi Kunjungan Tamu", "Jumlah tamu (Orang)", "120",
                  "15.000.000", "DAU", 16000000])
    path = tmp_path / "renja_wotu.xlsx"
    book.save(path)
    result = invoke(db_url, "--opd", "Kecamatan Wotu", "--tahun", "2025", "import", str(path), "--kind", "renja",
                    "--tanggal", "2025-01-02", "--penandatangan", "Camat Wotu", "--table", "Tabel 3.2")
    assert result.exit_code == 0, result.output
    rows = report(db_url, "renja")["rows"]
    fasilitasi = next(r for r in rows if r["kode"] == "7.01.01.2.06.08")
    assert fasilitasi["pagu"] == 15_000_000
    assert fasilitasi["target"] == {"nilai": "120", "satuan": "Orang"}
    assert fasilitasi["prakiraan_maju"]["pagu"] == 16_000_000
