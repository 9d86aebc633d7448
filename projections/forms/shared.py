"""Pieces every form shares: the legend and check columns, styles, the header lines, the signature block."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ledger.document import DocumentKind, DocumentRegistered
from ledger.kode import Kode
from projections.tabular import Column, Signature, Tabular
from projections.timeline import PlanView
from projections.words import tanggal, waktu

CHECK_GROUP = "Pemeriksaan ledger (di luar formulir)"
LEGEND = ("Sel bertanda: angka yang dihitung dari rinciannya berbeda dari angka yang tertulis di dokumen; "
          "angka dokumen dan selisihnya ada di kolom Pemeriksaan ledger di sebelah kanan formulir.")
# A line the Renja Perubahan does not restate keeps its murni figure in force (docs/stages.md): the
# form marks its pagu and says so beside it, as the JSON's ``tidak_dinyatakan_ulang`` does.
CARRIED_KEY = "pagu__keterangan"
CARRIED_WORDS = "angka murni, tidak dinyatakan ulang"
CARRIED_LEGEND = ("Keterangan 'angka murni, tidak dinyatakan ulang': baris yang tidak dinyatakan ulang oleh dokumen "
                  "perubahan; pagu murninya tetap berlaku dan dihitung dalam jumlah (docs/stages.md).")
BLOCK_STYLE = "block"  # a row of a header block: its label in the first column, its value across the rest of the form
STYLES = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": None, "urusan": "urusan", "bidang": "urusan"}


def meta(view: PlanView) -> list[tuple[str, str]]:
    """The title block's facts, in words: whose plan, and at which point on both time axes."""
    return [("Perangkat Daerah", view.opd), ("Tahun", str(view.tahun)),
            ("Keadaan rencana per", tanggal(view.as_of) if view.as_of else "hari ini"),
            ("Menurut catatan ledger per", waktu(view.known_at) if view.known_at else "saat ini")]


def printed_name(row: dict[str, Any]) -> str:
    """A row's name as the forms print it: programs in capitals with their 'PROGRAM' prefix."""
    nama = str(row.get("nama") or "")
    if row.get("level") == "program":
        upper = nama.upper()
        return upper if upper.startswith("PROGRAM ") else f"PROGRAM {upper}"
    return nama


def coded_name(row: dict[str, Any]) -> str:
    return f"{row['kode']} {printed_name(row)}" if row.get("kode") else printed_name(row)


def kode_parts(kode: str | None) -> list[str]:
    """A kode split as Tabel 3.2 prints it: urusan | bidang | program | kegiatan | sub kegiatan
    (the kegiatan part keeps its '2.' prefix: 7 | 01 | 01 | 2.01 | 01)."""
    if not kode:
        return [""] * 5
    parts = list(Kode.parse(kode).parts)
    if len(parts) >= 5:
        parts = [*parts[:3], f"{parts[3]}.{parts[4]}", *parts[5:]]
    return (parts + [""] * 5)[:5]


def signature(view: PlanView, kinds: tuple[DocumentKind, ...]) -> Signature | None:
    """The signature block of the latest document of these kinds in force at the view."""
    found = [doc for doc in view.documents if doc.kind in kinds]
    if not found:
        return None
    doc: DocumentRegistered = max(found, key=lambda d: (d.tanggal, d.judul))
    where = f"{doc.tempat}, " if doc.tempat else ""
    # A document that prints no rank or NIP under its signer's name: the latest other document the
    # same person signed with them gives them (a NIP is the person's for life).
    same = sorted((d for d in view.documents if doc.penandatangan and d.penandatangan == doc.penandatangan),
                  key=lambda d: (d.tanggal, d.judul), reverse=True)
    pangkat = doc.pangkat or next((d.pangkat for d in same if d.pangkat), None)
    nip = doc.nip or next((d.nip for d in same if d.nip), None)
    return Signature(f"{where}{tanggal(doc.tanggal)}", doc.jabatan, doc.penandatangan, pangkat, nip)


def stated_check(row: dict[str, Any], shown: str, stated: str) -> tuple[dict[str, Any], frozenset[str]]:
    """The check cells of one figure: the document's figure and the difference, when they differ."""
    value, document = row.get(shown), row.get(stated)
    if value is None or document is None or value == document:
        return {}, frozenset()
    return {f"{shown}__tertulis": document, f"{shown}__selisih": document - value}, frozenset({shown})


def check_columns(*pairs: tuple[str, str]) -> list[Column]:
    columns = []
    for key, label in pairs:
        columns += [Column(f"{key}__tertulis", f"{label} tertulis di dokumen", "money", (CHECK_GROUP,), check=True),
                    Column(f"{key}__selisih", "Selisih (tertulis - dihitung)", "money", (CHECK_GROUP,), check=True)]
    return columns


BREAK_AFTER = re.compile(r"(?<=[/-])(?=.)")


def unbreakable(text: str) -> list[str]:
    """The pieces of a cell's text that a printed line never breaks inside: its words, cut after
    a '/' or a '-' (a line may end at 'KABUPATEN/' or 'RKA-'). A '.' stays inside its word: the
    line breaker of the PDF keeps 'Kab.Luwu' whole, so every renderer's column is at least as wide
    as the longest piece (``projections.render``: the PDF by the font's metrics, the XLSX by
    characters), and no word is ever cut (the CSS sets ``overflow-wrap: normal``)."""
    return [piece for word in text.split() for piece in BREAK_AFTER.split(word)]


def heading_for(view: PlanView, *lines: str) -> list[str]:
    return [line.format(opd=view.opd.upper(), tahun=view.tahun, maju=view.tahun + 1) for line in lines]


SIGNED_FIGURE = re.compile(r"(?<![\w.,(])([+-])(\d{1,3}(?:\.\d{3})*(?:,\d+)?%?)(?![\w.,]*\d)")


def accounting_signs(text: str) -> str:
    """Words in a printed form's one sign convention, that of its figure columns: a difference of
    -8.880.000 reads (8.880.000), +8.880.000 reads 8.880.000 (percentages too). For the columns
    marked ``accounting`` (a finding's message); CSV and JSON keep the signed figures, as their
    numbers are signed."""
    return SIGNED_FIGURE.sub(lambda m: f"({m.group(2)})" if m.group(1) == "-" else m.group(2), text)


FormBuilder = Callable[[PlanView, dict[str, Any]], Tabular]
