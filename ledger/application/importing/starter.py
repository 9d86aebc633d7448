"""A new office's first document folder: a commented ``document.toml`` and its table with the
columns its layout requires and one example row, which ``renja import`` reads as it is.

What is required and what is optional is read from the one table of layouts (``LAYOUTS``) and
from the manifest's rules (``manifest``): a starter never says more than the importer asks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ledger.application.importing.layouts import LAYOUTS
from ledger.basis import Stage
from ledger.document import DocumentKind
from ledger.errors import LedgerError
from ledger.i18n import _


@dataclass(frozen=True)
class StarterTable:
    id: str
    file: str
    layout: str
    stage: Stage
    rows: tuple[dict[str, str], ...]  # the example, column -> cell; its columns are the file's, in this order

    @property
    def needs(self) -> str:
        """What its rows need beyond the required columns (the recorder's rules, in words)."""
        return {"budget": _("nama on every program, kegiatan and sub-kegiatan row"),
                "rincian": _("jumlah on every komponen row")}.get(self.layout, "")


# The lines every example hangs on: a real program, kegiatan and sub-kegiatan of Permendagri 90/2019
# (Penunjang Urusan Pemerintahan Daerah), the same in every office's plan.
PROGRAM = {"row": "1", "level": "program", "kode": "7.01.01",
           "nama": "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"}
KEGIATAN = {"row": "2", "level": "kegiatan", "kode": "7.01.01.2.06", "nama": "Administrasi Umum Perangkat Daerah"}
SUB_KEGIATAN = {"row": "3", "level": "sub_kegiatan", "kode": "7.01.01.2.06.08", "nama": "Fasilitasi Kunjungan Tamu"}
EMPTY_MONEY = {"pagu": ""}


def _budget(table: str, stage: Stage, extra: dict[str, str]) -> StarterTable:
    """One budget table: its example is the program row, with the figures this kind prints."""
    return StarterTable(table, "tabel.csv", "budget", stage, ({**PROGRAM, **extra},))


STARTERS: dict[DocumentKind, tuple[StarterTable, ...]] = {
    DocumentKind.RENJA: (_budget("Tabel 3.2", Stage.MURNI, {
        "indikator": "Persentase layanan administrasi perkantoran", "target": "100%", "pagu": "1.000.000",
        "sumber_dana": "DAU"}),),
    DocumentKind.RENJA_PERUBAHAN: (_budget("Tabel 3.2", Stage.PERUBAHAN, {
        "indikator": "Persentase layanan administrasi perkantoran", "target": "100%", "pagu_sebelum": "1.000.000",
        "pagu": "1.250.000"}),),
    DocumentKind.RENCANA_AKSI: (_budget("Rencana Aksi", Stage.MURNI, {
        "pagu": "1.000.000", "tw1_pagu": "250.000", "tw2_pagu": "250.000", "tw3_pagu": "250.000",
        "tw4_pagu": "250.000"}),),
    # A DPA details each sub-kegiatan by account: its accounts need their sub-kegiatan, so the
    # folder opens the lines first (a budget table), then gives one komponen of one account.
    DocumentKind.DPA: (
        StarterTable("DPA Sub Kegiatan", "sub_kegiatan.csv", "budget", Stage.MURNI,
                     ({**PROGRAM, **EMPTY_MONEY}, {**KEGIATAN, **EMPTY_MONEY}, {**SUB_KEGIATAN, "pagu": "3.600.000"})),
        StarterTable("Rincian Belanja", "rincian_belanja.csv", "rincian", Stage.MURNI, ({
            "row": "1", "sub_kegiatan": "7.01.01.2.06.08", "kode_rekening": "5.1.02.01.01.0024",
            "nama_rekening": "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor", "komponen": "Kertas HVS",
            "koefisien": "12", "satuan": "Rim", "harga": "300.000", "jumlah": "3.600.000"},)),
    ),
}
KINDS = tuple(STARTERS)
# Each kind's title as documents print it (a placeholder: the title of the office's own document replaces it).
TITLES = {DocumentKind.RENJA: "Rencana Kerja (Renja)", DocumentKind.RENJA_PERUBAHAN: "Perubahan Rencana Kerja (Renja)",
          DocumentKind.RENCANA_AKSI: "Rencana Aksi", DocumentKind.DPA: "Dokumen Pelaksanaan Anggaran (DPA)"}


def _optional(layout: str, table: StarterTable) -> list[str]:
    """The layout's columns the example leaves out: any of them may be added, in any order."""
    shown = table.rows[0].keys()
    return [column for column in LAYOUTS[layout].columns if column not in shown]


def _table_csv(table: StarterTable) -> str:
    columns = list(dict.fromkeys(column for row in table.rows for column in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table.rows)
    return out.getvalue()


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _table_toml(table: StarterTable) -> list[str]:
    layout = LAYOUTS[table.layout]
    required = [*layout.required, *layout.one_of[:1]]
    return [
        "",
        "[[tabel]]",
        f"id = {_toml_text(table.id)}" + "    # " + _("required: the table's name as the document prints it"),
        f"file = {_toml_text(table.file)}" + "    # " + _("required: a .csv or .xlsx file in this folder"),
        f"layout = {_toml_text(table.layout)}" + "    # " + _("required: its columns (docs/dataset-layout.md)"),
        f"stage = {_toml_text(table.stage.value)}" + "    # " + _("required: the stage its figures belong to, one of {stages}").format(
            stages=" | ".join(stage.value for stage in Stage)),
        "# " + _("Columns of {file}: required {required} ({needs}); every other column is optional, and the columns "
                 "may come in any order. The other columns it reads: {optional}").format(
            file=table.file, required=", ".join(required), needs=table.needs,
            optional=", ".join(_optional(table.layout, table))),
        "# " + _("Optional keys: sheet = \"...\" (an .xlsx sheet), stage_sebelum and tanggal_sebelum (a before/after "
                 "form), seed_lines = [FIRST, LAST] (only for a transcription checked against its seed text)"),
    ]


def _manifest(kind: DocumentKind, opd: str, tahun: int, tables: tuple[StarterTable, ...]) -> str:
    title = f"{TITLES[kind]} {opd} Tahun {tahun}"
    lines = [
        "# " + _("A document to import with `renja import FOLDER` (docs/dataset-layout.md). Fill in its fields "
                 "and copy its table's rows as printed; lines starting with # are comments."),
        "# " + _("Preview first: `renja import FOLDER --preview` shows what it would record and which figures in "
                 "force it would replace, and writes nothing."),
        "",
        f"kind = {_toml_text(kind.value)}" + "    # " + _("required: the document kind"),
        f"judul = {_toml_text(title)}" + "    # " + _("required: the title as printed"),
        f"tanggal = {date(tahun, 1, 2).isoformat()}" + "    # "
        + _("required: the date signed, the day its figures take effect (no quotes)"),
        f"opd = {_toml_text(opd)}" + "    # " + _("required: the OPD, as every document of its plan names it"),
        f"tahun = {tahun}" + "    # " + _("required: the plan year"),
        "# " + _("Optional, as the document prints them (leave a key out when it prints none):"),
        '# nomor = ""',
        '# penandatangan = ""',
        '# jabatan = ""',
        '# sumber = ""    # ' + _("the file the tables were copied from"),
        '# kodefikasi = "permendagri-90-2019"    # ' + _("the codes it prints; left out: by its tahun"),
    ]
    for table in tables:
        lines += _table_toml(table)
    return "\n".join(lines) + "\n"


def write_starter(folder: Path, kind: DocumentKind, opd: str, tahun: int) -> list[Path]:
    """The starter folder of ``kind`` for ``opd`` and ``tahun``: ``folder``, new or empty. Returns the files written."""
    tables = STARTERS.get(kind)
    if tables is None:
        raise LedgerError(_("no starter for {kind}; one of: {kinds}").format(
            kind=kind.value, kinds=", ".join(each.value for each in KINDS)))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise LedgerError(_("{folder} exists and is not an empty folder: nothing was written").format(folder=folder))
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "document.toml"]
    written[0].write_text(_manifest(kind, opd, tahun, tables), encoding="utf-8")
    for table in tables:
        path = folder / table.file
        path.write_text(_table_csv(table), encoding="utf-8")
        written.append(path)
    return written
