"""The plan forms: Tabel 2.3 (RKPD draft vs the hasil analisis kebutuhan) and Tabel 3.2
(the Renja Perubahan; the Renja murni in its layout)."""

from __future__ import annotations

from typing import Any

from ledger.document import DocumentKind
from ledger.kode import Kode
from projections.forms.shared import (
    CARRIED_KEY,
    CARRIED_LEGEND,
    CARRIED_WORDS,
    CHECK_GROUP,
    LEGEND,
    STYLES,
    check_columns,
    coded_name,
    heading_for,
    kode_parts,
    meta,
    printed_name,
    signature,
    stated_check,
)
from projections.tabular import Column, Tabular
from projections.timeline import PlanView


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
