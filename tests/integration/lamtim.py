"""The second real dataset (RKPA 2022, Setwan DPRD Lampung Timur) and a clearly SYNTHETIC DPA of
the same office, dated before it, that the tests load beside it."""

from __future__ import annotations

from pathlib import Path

LAMTIM = Path(__file__).resolve().parents[2] / "ledger" / "datasets" / "lamtim_setwan_2022" / "rkpa_2022"


def synthetic_dpa(root: Path) -> Path:
    """SYNTHETIC: a murni DPA of the Setwan on 3 January 2022 stating the kegiatan at 1.600.000.000,
    which the RKPA's *sebelum* column restates differently (1.695.000.000)."""
    folder = root / "dpa"
    folder.mkdir()
    (folder / "document.toml").write_text(
        'kind = "dpa"\njudul = "SINTETIS: DPA Sekretariat DPRD 2022"\nopd = "Sekretariat DPRD Kabupaten Lampung Timur"\n'
        'tahun = 2022\ntanggal = 2022-01-03\n\n[[tabel]]\nid = "DPA"\nfile = "dpa.csv"\nlayout = "budget"\nstage = "murni"\n',
        encoding="utf-8")
    (folder / "dpa.csv").write_text(
        "row,level,kode,nama,pagu\n1,program,4.02.01,PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA,\n"
        "2,kegiatan,4.02.01.2.06,Administrasi Umum Perangkat Daerah,1.600.000.000\n", encoding="utf-8")
    return folder
