"""The throwaway MariaDB server of the SIPD sync tests: the wp-sipd tables load, a snapshot
folder overwrites the tables it has files for, and a refused row changes nothing."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pymysql
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.sipd_mariadb import MariaDB, create_wp_sipd, load_snapshot

# Until tests/conftest.py registers the fixtures; registering the module twice is harmless.

TABLES = {
    "data_unit", "data_sub_keg_bl", "data_sub_keg_indikator", "data_capaian_prog_sub_keg", "data_output_giat_sub_keg",
    "data_keg_indikator_hasil", "data_dana_sub_keg", "data_lokasi_sub_keg", "data_rka", "data_anggaran_kas",
    "data_realisasi_renja",
}


def unit(id_skpd: int, kode: str, nama: str, **extra: Any) -> dict[str, Any]:
    return {"id_skpd": id_skpd, "id_unit": id_skpd, "is_skpd": 1, "kode_skpd": kode, "nama_skpd": nama,
            "idinduk": id_skpd, "namakepala": "", "update_at": "2024-01-15 08:00:00", "tahun_anggaran": 2024, **extra}


def sub_keg(id_sub_bl: int, kode_sub_giat: str, nama: str, pagu: str, **extra: Any) -> dict[str, Any]:
    """A data_sub_keg_bl row giving every NOT NULL column (MariaDB's strict mode wants them all)."""
    return {
        "id_sub_skpd": 1925, "no_sub_giat": "01", "kode_giat": "7.01.01.2.01", "id_program": 2410, "waktu_akhir": 12,
        "id_urusan": 31, "id_unik_sub_bl": f"unik-{id_sub_bl}", "id_sub_giat": 16000 + id_sub_bl,
        "kode_program": "7.01.01", "kode_sub_giat": kode_sub_giat, "no_program": "01", "kode_urusan": "7",
        "kode_bidang_urusan": "7.01", "nama_program": "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
        "no_giat": "2.01", "id_label_prov": 0, "waktu_awal": 1, "pagu": pagu, "nama_sub_giat": nama,
        "pagu_n_depan": "0", "id_rpjmd": 0, "id_giat": 5000, "id_label_pusat": 0,
        "nama_giat": "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
        "kode_skpd": "7.01.0.00.0.00.01.0000", "nama_skpd": "Kecamatan Mangkutana",
        "kode_sub_skpd": "7.01.0.00.0.00.01.0000", "id_skpd": 1925, "nama_sub_skpd": "Kecamatan Mangkutana",
        "nama_urusan": "UNSUR KEWILAYAHAN", "pagu_keg": pagu, "kode_bl": "1925.1925.2410.5000",
        "kode_sbl": f"1925.1925.2410.5000.{id_sub_bl}", "update_at": "2024-01-15 08:00:00", "tahun_anggaran": 2024,
        "id_sub_bl": id_sub_bl, "pagumurni": "", **extra,
    }


def write_folder(folder: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir()
    for name, rows in tables.items():
        header = list(dict.fromkeys(column for row in rows for column in row))
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([row.get(column, "") for column in header] for row in rows)
    return folder


def rows(url: str, query: str) -> list[dict[str, Any]]:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return [dict(row) for row in connection.execute(sa.text(query)).mappings()]
    finally:
        engine.dispose()


@pytest.fixture
def fresh_url(mariadb: MariaDB) -> Iterator[str]:
    """URL of a database that does not exist yet."""
    name = f"wp_sipd_{uuid.uuid4().hex[:12]}"
    yield mariadb.url(name)
    connection = pymysql.connect(unix_socket=str(mariadb.socket), user="root")
    try:
        connection.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        connection.close()


def test_tables_load_and_a_second_snapshot_replaces_the_first(fresh_url: str, tmp_path: Path) -> None:
    create_wp_sipd(fresh_url)
    create_wp_sipd(fresh_url)  # a second run finds the database and its tables there
    assert set(sa.inspect(sa.create_engine(fresh_url, poolclass=NullPool)).get_table_names()) == TABLES
    assert rows(fresh_url, "SELECT @@character_set_database AS cs")[0]["cs"] == "utf8mb4"

    first = write_folder(tmp_path / "first", {
        "data_unit": [unit(1925, "7.01.0.00.0.00.01.0000", "Kecamatan Mangkutana – Sekretariat"),
                      unit(1926, "7.01.0.00.0.00.02.0000", "Kecamatan Tomoni", nipkepala="19700101 199001 1 001")],
        "data_sub_keg_bl": [sub_keg(1, "7.01.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah", "12500000.456"),
                            sub_keg(2, "7.01.01.2.01.0006", "Koordinasi dan Penyusunan Laporan Capaian Kinerja", "7250000")],
    })
    assert load_snapshot(fresh_url, first) == {"data_unit": 2, "data_sub_keg_bl": 2}

    units = rows(fresh_url, "SELECT id_skpd, nama_skpd, namakepala, nipkepala, tahun_anggaran, active FROM data_unit ORDER BY id_skpd")
    assert units == [
        {"id_skpd": 1925, "nama_skpd": "Kecamatan Mangkutana – Sekretariat", "namakepala": None, "nipkepala": None,
         "tahun_anggaran": 2024, "active": 1},
        {"id_skpd": 1926, "nama_skpd": "Kecamatan Tomoni", "namakepala": None, "nipkepala": "19700101 199001 1 001",
         "tahun_anggaran": 2024, "active": 1},
    ]
    subs = rows(fresh_url, "SELECT kode_sbl, pagu, pagumurni, CAST(pagu AS DECIMAL(20,2)) AS pagu_exact, update_at "
                           "FROM data_sub_keg_bl ORDER BY id_sub_bl")
    assert [s["kode_sbl"] for s in subs] == ["1925.1925.2410.5000.1", "1925.1925.2410.5000.2"]
    # DOUBLE(20,2) rounds to cents on the way in and reads back as a float.
    assert [s["pagu"] for s in subs] == [12500000.46, 7250000.0]
    assert [s["pagu_exact"] for s in subs] == [Decimal("12500000.46"), Decimal("7250000.00")]
    assert [s["pagumurni"] for s in subs] == [None, None]
    assert str(subs[0]["update_at"]) == "2024-01-15 08:00:00"

    # The second snapshot has one sub-kegiatan and no data_unit file: data_sub_keg_bl is
    # overwritten, data_unit keeps its rows.
    second = write_folder(tmp_path / "second", {
        "data_sub_keg_bl": [sub_keg(3, "7.01.01.2.02.0001", "Penyediaan Gaji dan Tunjangan ASN", "980000000",
                                    active_sipd=0)],
    })
    assert load_snapshot(fresh_url, second) == {"data_sub_keg_bl": 1}
    assert rows(fresh_url, "SELECT kode_sbl, nama_sub_giat, pagu, active, active_sipd FROM data_sub_keg_bl") == [
        {"kode_sbl": "1925.1925.2410.5000.3", "nama_sub_giat": "Penyediaan Gaji dan Tunjangan ASN", "pagu": 980000000.0,
         "active": 1, "active_sipd": 0},
    ]
    assert [u["id_skpd"] for u in rows(fresh_url, "SELECT id_skpd FROM data_unit ORDER BY id_skpd")] == [1925, 1926]

    # A header-only file empties its table.
    write_folder(tmp_path / "third", {"data_unit": []}).joinpath("data_unit.csv").write_text("id_skpd,nama_skpd\n", encoding="utf-8")
    assert load_snapshot(fresh_url, tmp_path / "third") == {"data_unit": 0}
    assert rows(fresh_url, "SELECT COUNT(*) AS n FROM data_unit") == [{"n": 0}]


def test_a_refused_row_leaves_every_table_as_it_was(wp_sipd_url: str, tmp_path: Path) -> None:
    assert set(sa.inspect(sa.create_engine(wp_sipd_url, poolclass=NullPool)).get_table_names()) == TABLES
    good = write_folder(tmp_path / "good", {
        "data_unit": [unit(1925, "7.01.0.00.0.00.01.0000", "Kecamatan Mangkutana")],
        "data_sub_keg_bl": [sub_keg(1, "7.01.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah", "100")],
    })
    load_snapshot(wp_sipd_url, good)
    # nama_program is NOT NULL without a default: strict mode refuses an empty cell (NULL).
    bad = write_folder(tmp_path / "bad", {
        "data_unit": [unit(1926, "7.01.0.00.0.00.02.0000", "Kecamatan Tomoni")],
        "data_sub_keg_bl": [sub_keg(2, "7.01.01.2.01.0006", "Koordinasi", "200", nama_program="")],
    })
    with pytest.raises(sa.exc.IntegrityError, match="nama_program"):
        load_snapshot(wp_sipd_url, bad)
    assert rows(wp_sipd_url, "SELECT id_skpd FROM data_unit") == [{"id_skpd": 1925}]
    assert rows(wp_sipd_url, "SELECT pagu FROM data_sub_keg_bl") == [{"pagu": 100.0}]
