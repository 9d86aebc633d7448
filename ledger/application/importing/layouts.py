"""The import layouts, defined once: each one's columns, required columns and recorder.

Adding a layout is one entry here plus its recorder function (``recorders.py``); the
manifest, the reader and the importer all read this table. docs/dataset-layout.md
describes each layout's columns for the people who fill them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ledger.application.importing import pelaksanaan, recorders, rincian
from ledger.application.importing.context import ImportContext
from ledger.application.importing.rows import Row
from ledger.application.importing.spec import TableSpec
from ledger.plan import Plan

Recorder = Callable[[ImportContext, Plan, TableSpec, Row], None]
TW_COLUMNS = tuple(f"tw{n}_{what}" for n in range(1, 5) for what in ("target", "pagu"))


@dataclass(frozen=True)
class Layout:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    recorder: Recorder
    needs_stage: bool = False  # its figures belong to a budget stage given by the manifest
    opens_lines: bool = False  # its rows are program/kegiatan/sub-kegiatan lines, matched or opened
    # Columns of which the header names at least one (a rincian's sub_kegiatan, or kegiatan on a
    # form of Permendagri 13/2006); the recorder says which its document needs.
    one_of: tuple[str, ...] = ()
    # Reads a row's typed cells without recording (a bad one noted on the row): a document some
    # of whose lines cannot be read records nothing, yet every bad field of its rows is listed.
    check: Callable[[Row], None] | None = None


_ALL = (
    Layout("budget", (
        "row", "source_line", "level", "kode", "nama", "nama_baku", "lokasi", "indikator", "indikator_program",
        "indikator_kegiatan", "target", "target_program", "target_kegiatan", "target_akhir", "pagu", *TW_COLUMNS,
        "sumber_dana", "penanggung_jawab", "catatan", "pm_indikator", "pm_target", "pm_pagu",
        "indikator_keluaran", "target_keluaran", *recorders.SEBELUM_COLUMNS, "note",
    ), ("row", "level"), recorders.record_budget, needs_stage=True, opens_lines=True, check=recorders.read_figures),
    Layout("rincian", rincian.COLUMNS, rincian.REQUIRED, rincian.record_rincian, needs_stage=True,
           one_of=rincian.PARENT_COLUMNS),
    Layout("realisasi", ("row", "source_line", "level", "nama", "nama_baku", "indikator",
                         *recorders.REALISASI_COLUMNS, "note"), ("row", "nama"), recorders.record_realisasi),
    Layout("sasaran", ("row", "source_line", "tujuan", "indikator_tujuan", "sasaran", "indikator_sasaran", "target",
                       "note"), ("row",), recorders.record_sasaran),
    Layout("indikator_tahunan", ("row", "source_line", "indikator", "jenis", "tahun", "nilai", "note"),
           ("row", "indikator", "jenis", "tahun"), recorders.record_indikator_tahunan),
    Layout("anggaran_kas", pelaksanaan.KAS_COLUMNS, pelaksanaan.KAS_REQUIRED, pelaksanaan.record_anggaran_kas,
           needs_stage=True),
    Layout("realisasi_keuangan", pelaksanaan.KEUANGAN_COLUMNS, pelaksanaan.KEUANGAN_REQUIRED,
           pelaksanaan.record_realisasi_keuangan),
    Layout("realisasi_kinerja", pelaksanaan.KINERJA_COLUMNS, pelaksanaan.KINERJA_REQUIRED,
           pelaksanaan.record_realisasi_kinerja),
)
LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in _ALL}
