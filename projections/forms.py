"""The official forms, each defined once: its title, columns, header groups, column numbers,
rows and signature block, filled from a report's JSON contract.

Every renderer (terminal, CSV, XLSX, HTML, PDF) draws these definitions; none decides a
column of its own. Where a computed figure (a sum of rows) differs from what a document
stated for that row, the computed figure stays in the form's cell, that cell alone is
marked, and the document's figure and the difference are given in check columns drawn
apart from the form, with a legend.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ledger.basis import Stage
from ledger.document import DocumentKind, DocumentRegistered
from ledger.i18n import N_, _
from ledger.kode import Kode
from ledger.line_events import Role
from ledger.line_state import LineState, StageFigures
from ledger.money import format_rupiah
from ledger.periode import ROMAN
from ledger.plan import SasaranStated
from projections.contract import target_json
from projections.tabular import Column, Signature, Tabular, target_text
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


# --- shared pieces ---------------------------------------------------------------------------

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


# --- Tabel 2.3 -------------------------------------------------------------------------------

def tabel_2_3(view: PlanView, payload: dict[str, Any]) -> Tabular:
    rkpd, needs = "RANCANGAN PERUBAHAN RKPD", "HASIL ANALISIS KEBUTUHAN"
    columns = [
        Column("no", "NO", "code", number=1, width=5),
        Column("rkpd_nama", "PROGRAM / KEGIATAN", group=rkpd, number=2, width=34),
        Column("rkpd_lokasi", "LOKASI", group=rkpd, number=3, width=16, drop=3),
        Column("rkpd_indikator", "INDIKATOR KINERJA", group=rkpd, number=4, width=28, drop=2),
        Column("target_rkpd", "TARGET CAPAIAN", "target", group=rkpd, number=5),
        Column("pagu_rkpd", "PAGU INDIKATIF", "money", group=rkpd, number=6),
        Column("keb_nama", "PROGRAM / KEGIATAN", group=needs, number=7, width=34, drop=4),
        Column("lokasi_kebutuhan", "LOKASI", group=needs, number=8, width=16, drop=3),
        Column("indikator_kebutuhan", "INDIKATOR KINERJA", group=needs, number=9, width=28, drop=2),
        Column("target_kebutuhan", "TARGET CAPAIAN", "target", group=needs, number=10),
        Column("kebutuhan_dana", "KEBUTUHAN DANA", "money", group=needs, number=11),
        Column("catatan", "CATATAN PENTING", group=None, number=12, width=20, drop=1),
        # The review's question: how far the office's needs are from the ceiling.
        Column("selisih", "Selisih kebutuhan - pagu indikatif", "money", (CHECK_GROUP,), check=True),
        *check_columns(("pagu_rkpd", "Pagu indikatif"), ("kebutuhan_dana", "Kebutuhan dana")),
    ]
    total = payload["total"]
    first_stated = {side: next((s["pagu"] for s in total["dinyatakan"][side]), None) for side in ("pagu_rkpd", "kebutuhan_dana")}
    head = {"no": "", "rkpd_nama": view.opd, "keb_nama": view.opd, "pagu_rkpd": total["pagu_rkpd"], "selisih": total["selisih"],
            "kebutuhan_dana": total["kebutuhan_dana"], "level": "total",
            "pagu_rkpd_dinyatakan": first_stated["pagu_rkpd"], "kebutuhan_dana_dinyatakan": first_stated["kebutuhan_dana"]}
    rows: list[dict[str, Any]] = []
    styles: list[str | None] = []
    flags: list[frozenset[str]] = []
    number = 0
    for row in [head, *payload["rows"]]:
        if row.get("level") == "program":
            number += 1
        cells = {**row, "no": str(number) if row.get("level") == "program" else row.get("no", "")}
        if row is not head:
            cells["rkpd_lokasi"], cells["rkpd_indikator"] = row.get("lokasi"), row.get("indikator")
            cells["rkpd_nama"] = coded_name(row) if row.get("pagu_rkpd") is not None or row.get("target_rkpd") else ""
            cells["keb_nama"] = coded_name(row) if row.get("kebutuhan_dana") is not None or row.get("target_kebutuhan") else ""
        marked: frozenset[str] = frozenset()
        for shown in ("pagu_rkpd", "kebutuhan_dana"):
            extra, flag = stated_check(row, shown, f"{shown}_dinyatakan")
            cells.update(extra)
            marked |= flag
        rows.append(cells)
        styles.append("total" if row is head else STYLES.get(str(row.get("level"))))
        flags.append(marked)
    return Tabular(
        f"Tabel 2.3 Reviu terhadap Rancangan Perubahan RKPD - {view.opd} {view.tahun}", columns, rows, meta(view),
        styles, heading=heading_for(view, "Tabel 2.3", "Reviu terhadap Rancangan Perubahan RKPD Tahun {tahun}", "{opd}"),
        column_numbers=True, flags=flags, legend=[LEGEND], sheet="Tabel 2.3",
        signature=signature(view, (DocumentKind.RENJA_PERUBAHAN, DocumentKind.RENJA)))


# --- Tabel 3.2 (Renja Perubahan) and the Renja murni in its layout -----------------------------

def indicator_cells(row: dict[str, Any]) -> dict[str, Any]:
    """Capaian program / keluaran sub kegiatan / hasil kegiatan, and their targets, of one row."""
    level = row.get("level")
    indicators = row.get("indikator") or []
    own = [i for i in indicators if i["peran"] in ("own", "keluaran")]
    def texts(items: list[dict[str, Any]]) -> str | None:
        return "\n".join(i["teks"] for i in items if i.get("teks")) or None
    def targets(items: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        return [i["target"] for i in items if i.get("target")] or None
    cells: dict[str, Any] = {
        "capaian": row.get("indikator_program"), "t_program": row.get("target_program"),
        "hasil": row.get("indikator_kegiatan"), "t_hasil": row.get("target_kegiatan"),
        "keluaran": None, "t_keluaran": None,
    }
    if level == "program":
        cells.update(capaian=texts(own) or row.get("indikator_keluaran"), t_program=targets(own) or row.get("target"))
    elif level == "kegiatan":
        hasil = [i for i in own if i["peran"] == "own"]
        keluaran = [i for i in own if i["peran"] == "keluaran"]
        cells.update(hasil=texts(hasil) or row.get("indikator_keluaran"), t_hasil=targets(hasil) or row.get("target"),
                     keluaran=texts(keluaran), t_keluaran=targets(keluaran))
    else:
        cells.update(keluaran=texts(own) or row.get("indikator_keluaran"), t_keluaran=targets(own) or row.get("target"))
    return cells


def urusan_rows(view: PlanView, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The form's urusan and bidang urusan rows above the programs: every one the programs' kodes
    name (7 and 7.01 above 7.01.01), with the name the ledger knows for it (blank when no document
    named it), the sum of its programs (computed) and the figure a document stated for it."""
    known = {line.kode: line for line in view.lines.values() if line.level.value in ("urusan", "bidang") and line.kode}
    programs = [row for row in rows if row.get("level") == "program" and row.get("kode")]
    prefixes = sorted({*known, *(prefix for row in programs for prefix in head_kodes(str(row["kode"])))})
    found = []
    for kode in prefixes:
        under = [row for row in programs if str(row["kode"]).startswith(f"{kode}.")]
        line = known.get(kode)
        found.append({"level": line.level.value if line else ("urusan" if "." not in kode else "bidang"), "kode": kode,
                      "nama": line.nama.upper() if line else "", "pagu_dinyatakan": line.pagu_in_force if line else None,
                      "pagu": sum_of(row.get("pagu") for row in under),
                      "pm_pagu": sum_of((row.get("prakiraan_maju") or {}).get("pagu") for row in under)})
    return found


def head_kodes(program: str) -> list[str]:
    """The urusan and bidang urusan above a program's kode ('7.01.01' -> '7', '7.01')."""
    parts = Kode.parse(program).parts
    return [".".join(parts[:depth]) for depth in range(1, len(parts))]


def sum_of(values: Any) -> int | None:
    held = [int(v) for v in values if v is not None]
    return sum(held) if held else None


def plan_form(view: PlanView, payload: dict[str, Any], perubahan: bool) -> Tabular:
    year, ahead = f"Rencana Tahun {view.tahun}", f"Prakiraan Maju Rencana Tahun {view.tahun + 1}"
    target = (year, "Target Capaian Kinerja")
    columns = [
        *(Column(f"kode_{n}", "", "code", group="Kode", width=5 if n != 4 else 6, number=1) for n in range(1, 6)),
        Column("nama", "Urusan/ Bidang Urusan/ Program/ Kegiatan/ Sub Kegiatan", width=36, number=2),
        Column("capaian", "Capaian Program", group="Indikator Kinerja", width=24, drop=2, number=3),
        Column("keluaran", "Keluaran Sub Kegiatan", group="Indikator Kinerja", width=24, drop=2, number=4),
        Column("hasil", "Hasil Kegiatan", group="Indikator Kinerja", width=24, drop=2, number=5),
        Column("lokasi", "Lokasi Output Kegiatan", group=year, width=16, drop=3, number=6),
        Column("t_program", "Program", "target", group=target, number=7),
        Column("t_keluaran", "Keluaran Sub Kegiatan", "target", group=target, number=8),
        Column("t_hasil", "Hasil Kegiatan", "target", group=target, number=9),
        Column("pagu", "Pagu Indikatif (Rp.)", "money", group=year, number=10),
        Column("sumber_dana", "Sumber Dana", group=year, width=16, drop=3, number=11),
        Column("catatan", "Catatan Penting", width=18, drop=1, number=12),
        Column("pm_tolok", "Tolok Ukur", group=(ahead, "Target Capaian Kinerja"), width=22, drop=2, number=13),
        Column("pm_target", "Target", "target", group=(ahead, "Target Capaian Kinerja"), number=14),
        Column("pm_pagu", "Kebutuhan Dana/ Pagu Indikatif (Rp.)", "money", group=ahead, number=15),
        *check_columns(("pagu", "Pagu"), ("pm_pagu", "Prakiraan maju")),
        *([Column(CARRIED_KEY, "Keterangan", group=(CHECK_GROUP,), width=20, check=True, drop=3)] if perubahan else []),
    ]
    rows: list[dict[str, Any]] = []
    styles: list[str | None] = []
    flags: list[frozenset[str]] = []
    total = payload["total"]
    for cells in urusan_rows(view, payload["rows"]):
        cells.update(zip((f"kode_{n}" for n in range(1, 6)), kode_parts(cells["kode"]), strict=True))
        extra, marked = stated_check(cells, "pagu", "pagu_dinyatakan")
        rows.append({**cells, **extra})
        styles.append("urusan")
        flags.append(marked)
    for row in payload["rows"]:
        forward = row.get("prakiraan_maju") or {}
        cells = {**row, **indicator_cells(row), "nama": printed_name(row),
                 "pm_tolok": forward.get("indikator"), "pm_target": forward.get("target"), "pm_pagu": forward.get("pagu")}
        if not perubahan:
            cells["catatan"] = None
        cells.update(zip((f"kode_{n}" for n in range(1, 6)), kode_parts(row.get("kode")), strict=True))
        extra, marked = stated_check(cells, "pagu", "pagu_dinyatakan")
        if row.get("tidak_dinyatakan_ulang"):  # in force at its murni figure (docs/stages.md): said on the form
            extra, marked = {**extra, CARRIED_KEY: CARRIED_WORDS}, marked | {"pagu"}
        rows.append({**cells, **extra})
        styles.append(STYLES.get(str(row.get("level"))))
        flags.append(marked)
    footer = {"nama": "TOTAL", "pagu": total["pagu"], "pm_pagu": total["prakiraan_maju"], "level": "total"}
    stated = next((s["pagu"] for s in total["dinyatakan"] if s["label"].upper().startswith(("TOTAL", "JUMLAH"))), None)
    stated_pm = next((s["pagu"] for s in total["prakiraan_maju_dinyatakan"]), None)
    extra, marked = stated_check({**footer, "pagu_dinyatakan": stated}, "pagu", "pagu_dinyatakan")
    extra_pm, marked_pm = stated_check({**footer, "pm_dinyatakan": stated_pm}, "pm_pagu", "pm_dinyatakan")
    rows.append({**footer, **extra, **extra_pm})
    styles.append("total")
    flags.append(marked | marked_pm)
    if perubahan:
        title = f"Tabel 3.2 Rumusan Perubahan Rencana Program dan Kegiatan - {view.opd} {view.tahun}"
        heading = heading_for(view, "TABEL 3.2", "RUMUSAN PERUBAHAN RENCANA PROGRAM DAN KEGIATAN {opd} TAHUN {tahun}",
                              "DAN PRAKIRAAN MAJU TAHUN {maju}")
        kinds: tuple[DocumentKind, ...] = (DocumentKind.RENJA_PERUBAHAN,)
    else:
        title = f"Rumusan Rencana Program dan Kegiatan (Renja murni) - {view.opd} {view.tahun}"
        heading = heading_for(view, "RUMUSAN RENCANA PROGRAM DAN KEGIATAN {opd} TAHUN {tahun}",
                              "DAN PRAKIRAAN MAJU TAHUN {maju}")
        kinds = (DocumentKind.RENJA, DocumentKind.RENCANA_AKSI)
    legend = [LEGEND, CARRIED_LEGEND] if any(row.get(CARRIED_KEY) for row in rows) else [LEGEND]
    return Tabular(title, columns, rows, meta(view), styles, heading=heading, flags=flags, legend=legend,
                   signature=signature(view, kinds), sheet="Tabel 3.2" if perubahan else "Renja", column_numbers=True)


# --- Rencana Aksi ------------------------------------------------------------------------------



def rencana_aksi(view: PlanView, payload: dict[str, Any]) -> Tabular:
    columns = [
        Column("no", "No", "code", number=1, width=4),
        Column("sasaran", "Sasaran", number=2, width=20, drop=2),
        Column("sasaran_indikator", "Indikator", number=3, width=16, drop=2),
        Column("target", "Target", "target", number=4),
        Column("nama", "Program / Kegiatan", number=5, width=32),
        Column("indikator", "Indikator Kinerja Program dan Kegiatan", number=6, width=26, drop=1),
    ]
    for index, roman in enumerate(ROMAN):
        # The form prints "-" in a quarter with no activity.
        columns += [Column(f"tw{index + 1}_target", "Target", "target", group=f"TRIWULAN {roman}", number=7 + index,
                           empty="-"),
                    Column(f"tw{index + 1}_pagu", "Rp", "money", group=f"TRIWULAN {roman}", number=7 + index, width=14,
                           empty="-")]
    columns += [Column("target_akhir", "Target", "target", group="Kondisi Kinerja pada akhir tahun", number=11),
                Column("pagu", "Rp", "money", group="Kondisi Kinerja pada akhir tahun", number=11, width=15),
                Column("penanggung_jawab", "Penanggung Jawab", number=12, width=20),
                *check_columns(("pagu", "Rp akhir tahun"))]
    rows: list[dict[str, Any]] = []
    styles: list[str | None] = []
    flags: list[frozenset[str]] = []
    for number, sasaran in enumerate(sasaran_rows(view), start=1):
        rows.append({"no": str(number), **sasaran})
        styles.append("sasaran")
        flags.append(frozenset())
    for row in payload["rows"]:
        cells = {**row, "nama": printed_name(row)}
        for index in range(4):
            slot = row["tw"][index]
            cells[f"tw{index + 1}_target"] = slot["target"]
            cells[f"tw{index + 1}_pagu"] = slot["pagu"]
        extra, marked = stated_check(cells, "pagu", "pagu_dinyatakan")
        rows.append({**cells, **extra})
        styles.append(STYLES.get(str(row.get("level"))))
        flags.append(marked)
    total = payload["total"]
    footer: dict[str, Any] = {"nama": "Total", "pagu": total["pagu"], "level": "total",
                              **{f"tw{i + 1}_pagu": total["tw"][i] for i in range(4)}}
    stated = next(iter(total["dinyatakan"]), None)
    extra, marked = stated_check({**footer, "pagu_dinyatakan": stated["pagu"] if stated else None}, "pagu",
                                 "pagu_dinyatakan")
    below, differing = stated_total_rows(footer, stated)
    rows += [{**footer, **extra}, *below]
    styles += ["total", *("tertulis" for _ in below)]
    flags += [marked | differing, *(frozenset() for _ in below)]
    return Tabular(f"Rencana Aksi - {view.opd} {view.tahun}", columns, rows, meta(view), styles,
                   heading=heading_for(view, "RENCANA AKSI KANTOR {opd} TAHUN {tahun}"), column_numbers=True,
                   flags=flags, legend=[LEGEND], sheet="Rencana Aksi",
                   signature=signature(view, (DocumentKind.RENCANA_AKSI,)))


def stated_total_rows(footer: dict[str, Any], stated: dict[str, Any] | None) -> tuple[list[dict[str, Any]], frozenset[str]]:
    """Under the total, apart from the form: the total and the triwulan totals the document
    states (``check``'s triwulan-sum and triwulan-rollup read the same), then each difference
    (stated - computed); the total row's cells that differ are marked."""
    if stated is None:
        return [], frozenset()
    keys = ["pagu", *(f"tw{i + 1}_pagu" for i in range(4))]
    amounts = {"pagu": stated["pagu"], **{f"tw{i + 1}_pagu": a for i, a in enumerate(stated["tw"] or [])}}
    written = {key: amounts.get(key) for key in keys}
    difference = {key: written[key] - footer[key] if written[key] is not None and footer.get(key) is not None else None
                  for key in keys}
    return ([{"nama": f"{stated['label']} tertulis di dokumen", "level": "tertulis", **written},
             {"nama": "Selisih (tertulis - dihitung)", "level": "tertulis", **difference}],
            frozenset(key for key, value in difference.items() if value))


def sasaran_rows(view: PlanView) -> list[dict[str, Any]]:
    """The sasaran the Rencana Aksi states, each on its own row above the programs (the ledger
    does not record which programs a sasaran spans, so none is drawn across them)."""
    stated = [e for e in view.plan_events if isinstance(e, SasaranStated)]
    own = [e for e in stated if e.basis.source.kind == DocumentKind.RENCANA_AKSI.value]
    found = own or stated
    return [{"sasaran": e.sasaran, "sasaran_indikator": e.indikator, "target": e.target, "level": "sasaran"}
            for e in found if e.sasaran]


# --- the header block of a DPA / DPPA sub-kegiatan, as SIPD prints it -----------------------------

HEAD_WORDS = {1: "Urusan Pemerintahan", 2: "Bidang Urusan"}
LEVEL_WORDS = {"program": "Program", "kegiatan": "Kegiatan"}


def sipd_block(view: PlanView, kode: str | None, stage: Stage, masukan: str | None) -> list[dict[str, Any]]:
    """The lines SIPD prints above a sub-kegiatan's rincian belanja: its urusan, bidang urusan,
    program and kegiatan, sumber pendanaan, lokasi, waktu pelaksanaan, kelompok sasaran, and the
    indikator and tolok ukur (capaian program, masukan, keluaran, hasil), each as the ledger
    knows it at ``stage`` (else at another stage); what no document stated stays blank."""
    by_kode = {line.kode: line for line in view.lines.values() if line.kode}
    sub = by_kode.get(kode or "")
    if sub is None or not kode:
        return []
    parts = Kode.parse(kode).parts
    rows: list[tuple[str, str | None]] = []
    for depth in range(1, len(parts)):
        prefix = ".".join(parts[:depth])
        line = by_kode.get(prefix)
        named = f"{prefix} {printed_name({'nama': line.nama, 'level': line.level.value})}" if line else prefix
        if depth in HEAD_WORDS:
            rows.append((HEAD_WORDS[depth], named))
        elif line is not None and line.level.value in LEVEL_WORDS:
            rows.append((LEVEL_WORDS[line.level.value], named))
    upper = [by_kode.get(".".join(parts[:depth])) for depth in range(1, len(parts))]
    program = next((line for line in upper if line is not None and line.level.value == "program"), None)
    kegiatan = next((line for line in upper if line is not None and line.level.value == "kegiatan"), None)
    rows += [("Sumber Pendanaan", detail(sub, stage, lambda f: f.sumber_dana)),
             ("Lokasi", detail(sub, stage, lambda f: f.lokasi)),
             ("Waktu Pelaksanaan", None),  # no document the ledger reads states it
             ("Kelompok Sasaran", None),
             ("Capaian Program", indicator_text(sub, stage, Role.PROGRAM) or indicator_text(program, stage, Role.OWN)),
             ("Masukan", masukan),
             ("Keluaran", indicator_text(sub, stage, Role.OWN)),
             ("Hasil", indicator_text(sub, stage, Role.KEGIATAN) or indicator_text(kegiatan, stage, Role.OWN))]
    return [{"rekening": label, "uraian": value or "", "level": BLOCK_STYLE} for label, value in rows]


def masukan(section: dict[str, Any], perubahan: bool) -> str | None:
    """The masukan of a sub-kegiatan (dana yang dibutuhkan): its rincian's jumlah, sebelum and
    setelah perubahan on a DPPA."""
    def rupiah(value: int | None) -> str | None:
        return f"Rp {format_rupiah(value)}" if value is not None else None
    if not perubahan:
        return rupiah(section["sebelum"])
    sides = [(rupiah(section["sebelum"]), "sebelum perubahan"), (rupiah(section["setelah"]), "setelah perubahan")]
    return "; ".join(f"{amount} {words}" for amount, words in sides if amount) or None


def stages_from(stage: Stage) -> list[Stage]:
    return [stage, *(other for other in Stage if other is not stage)]


def detail(line: LineState, stage: Stage, value: Callable[[StageFigures], str | None]) -> str | None:
    """A line's detail (lokasi, sumber dana) at ``stage``, else at the first stage that states it."""
    return next((found for each in stages_from(stage) if (figures := line.figures(each)) and (found := value(figures))),
                None)


def indicator_text(line: LineState | None, stage: Stage, role: Role) -> str | None:
    """'Jumlah dokumen ... ; target 2 Dokumen': a line's indicator of one role and its target."""
    if line is None:
        return None
    for each in stages_from(stage):
        figures = line.figures(each)
        if figures is None or not figures.indicators.get(role):
            continue
        target = target_json(figures.targets.get(role))
        text = figures.indicators[role]
        return f"{text}; target {target_text(target)}" if target else text
    return None


# --- the DPPA-style comparison of two dates -------------------------------------------------------

def percent_number(sebelum: int | None, sesudah: int | None) -> Decimal | None:
    """The change as a number of percent (two decimals), for spreadsheets; None without a base."""
    if not sebelum or sesudah is None:
        return None
    return (Decimal(sesudah - sebelum) * 100 / Decimal(sebelum)).quantize(Decimal("0.01"))


def perubahan_dppa(payload: dict[str, Any], as_of: tuple[str, str]) -> Tabular:
    sebelum, sesudah = f"Sebelum Perubahan ({as_of[0]})", f"Setelah Perubahan ({as_of[1]})"
    columns = [Column("kode", "Kode", "code", number=1), Column("nama", "Uraian", number=2, width=40),
               Column("sebelum", "Rp", "money", group=sebelum, number=3),
               Column("sesudah", "Rp", "money", group=sesudah, number=4),
               Column("bertambah_berkurang", "Rp", "money", group="Bertambah/(Berkurang)", number=5),
               Column("persen_angka", "%", "percent", group="Bertambah/(Berkurang)", number=5),
               Column("changed", "Yang berubah", width=24, number=6, drop=1)]
    rows: list[dict[str, Any]] = []
    styles: list[str | None] = []
    for program in payload["programs"]:
        rows.append({**program, "nama": printed_name({**program, "level": "program"}) if program.get("kode") else program["nama"],
                     "changed": "", "persen_angka": percent_number(program["sebelum"], program["sesudah"])})
        styles.append("program")
        for row in program["rows"]:
            rows.append({**row, "changed": ", ".join(row["changed"]),
                         "persen_angka": percent_number(row["sebelum"], row["sesudah"])})
            styles.append(STYLES.get(str(row.get("level"))))
    total = payload["total"]
    rows.append({"nama": f"JUMLAH ({total['lines_changed']} baris berubah)", **total,
                 "persen_angka": percent_number(total["sebelum"], total["sesudah"])})
    styles.append("total")
    return Tabular(f"Perubahan {as_of[0]} s.d. {as_of[1]} - {payload['opd']} {payload['tahun']}", columns, rows,
                   [("Perangkat Daerah", payload["opd"]), ("Tahun", str(payload["tahun"]))], styles,
                   heading=[f"PERBANDINGAN RENCANA {str(payload['opd']).upper()} TAHUN {payload['tahun']}",
                            f"SEBELUM ({as_of[0]}) DAN SETELAH PERUBAHAN ({as_of[1]})"],
                   column_numbers=True, sheet="Perubahan")


# --- the consistency check --------------------------------------------------------------------------

SEVERITY_WORDS = (N_("error"), N_("warning"), N_("info"))  # shown through _(): galat, peringatan, info


SIGNED_FIGURE = re.compile(r"(?<![\w.,(])([+-])(\d{1,3}(?:\.\d{3})*(?:,\d+)?%?)(?![\w.,]*\d)")


def accounting_signs(text: str) -> str:
    """Words in a printed form's one sign convention, that of its figure columns: a difference of
    -8.880.000 reads (8.880.000), +8.880.000 reads 8.880.000 (percentages too). For the columns
    marked ``accounting`` (a finding's message); CSV and JSON keep the signed figures, as their
    numbers are signed."""
    return SIGNED_FIGURE.sub(lambda m: f"({m.group(2)})" if m.group(1) == "-" else m.group(2), text)


def pemeriksaan(view: PlanView, findings: list[dict[str, Any]], summary_line: str) -> Tabular:
    columns = [Column("tingkat", "Tingkat", width=11), Column("rule", "Aturan", "code", width=20),
               Column("kodes", "Kode", "code", width=16), Column("message", "Temuan", width=70, accounting=True),
               Column("stated", "Tertulis", "money"), Column("computed", "Dihitung / pembanding", "money"),
               Column("difference", "Selisih", "money"), Column("sources", "Sumber", width=40, drop=1)]
    if any("tindak_lanjut" in f for f in findings):  # once a follow-up is recorded (ledger.tindak_lanjut)
        columns.insert(4, Column("tindak_lanjut", _("Follow-up"), width=14))
    rows = [{**f, "tingkat": _(f["severity"]), "kodes": ", ".join(f["kodes"]),
             "sources": "; ".join(f["sources"]),
             "tindak_lanjut": f["tindak_lanjut"]["status_kata"] if "tindak_lanjut" in f else None} for f in findings]
    styles: list[str | None] = [{"error": "bad", "warning": "flag"}.get(f["severity"]) for f in findings]
    return Tabular(f"Pemeriksaan konsistensi - {view.opd} {view.tahun}", columns, rows, meta(view), styles,
                   [summary_line], heading=[f"PEMERIKSAAN KONSISTENSI RENCANA {view.opd.upper()} TAHUN {view.tahun}"],
                   sheet="Pemeriksaan")


FormBuilder = Callable[[PlanView, dict[str, Any]], Tabular]
