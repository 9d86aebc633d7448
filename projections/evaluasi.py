"""The forms of the year as it is spent, each defined once (JSON contract, then the form):

* ``evaluasi``: the evaluation of the Renja per triwulan in the form of Permendagri 86/2017
  (target kinerja and anggaran of the year; realisasi of kinerja and Rp per triwulan; the
  realisasi of the year and the tingkat capaian; pendorong and penghambat);
* ``pengukuran``: Pengukuran Kinerja (alokasi, realisasi per month, % realisasi, target and
  realisasi kinerja, % kinerja);
* ``tabel-2-1``: Tabel 2.1 of a Renja (the evaluation of the year before and of the year to
  triwulan II), as the seed prints it.

Rules (stated once, here): the Rp of a kegiatan or program is the roll-up of its rows
(``hierarchy.computed``); the anggaran is the pagu in force (perubahan over murni); the
realisasi kinerja of the year is the last triwulan's figure for a percentage and the sum of the
triwulan for a count; a tingkat capaian is realisasi / target x 100, shown only when both are
stated in the same satuan. Nothing is computed that the sources do not hold.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ledger.document import DocumentKind
from ledger.i18n import _
from ledger.line_events import Role
from ledger.line_state import LineState
from ledger.pelaksanaan import Achieved, Pelaksanaan, percent
from ledger.periode import MONTHS, ROMAN, Periode
from ledger.target import Target
from projections.contract import header, target_json
from projections.execution import execution
from projections.forms import STYLES, heading_for, meta, printed_name, signature
from projections.hierarchy import Node, build_tree, computed, plan_total, walk
from projections.tabular import Column, Rendered, Tabular
from projections.timeline import PlanView

Row = dict[str, Any]


def _own_target(line: LineState) -> Target | None:
    stage = line.stage_in_force
    figures = line.figures(stage) if stage else None
    return figures.targets.get(Role.OWN) if figures else None


def _year_kinerja(achieved: dict[str, Achieved]) -> Target | None:
    """The year's realisasi kinerja from the triwulan (the module's rule)."""
    ordered = [achieved[key] for key in sorted(achieved) if key.startswith("TW")]
    if not ordered:
        return None
    last = ordered[-1].capaian
    if last.satuan == "%":
        return last
    return Target(nilai=sum((entry.capaian.nilai for entry in ordered), Decimal(0)), satuan=last.satuan)


def _tingkat(achieved: Target | None, target: Target | None) -> Decimal | None:
    if achieved is None or target is None or achieved.satuan != target.satuan:
        return None
    return percent(achieved.nilai, target.nilai)


LineFigure = Callable[[LineState], int | None]


def _pagu_in_force(line: LineState) -> int | None:
    return line.pagu_in_force


def _realised_year(done: dict[str, Pelaksanaan], tahun: int) -> LineFigure:
    def read(line: LineState) -> int | None:
        found = done.get(line.key)
        return found.realised_upto(tahun) if found is not None and found.keuangan else None
    return read


def _realised_triwulan(done: dict[str, Pelaksanaan], tahun: int, number: int) -> LineFigure:
    def read(line: LineState) -> int | None:
        found = done.get(line.key)
        return found.realised_in_triwulan(tahun, number) if found is not None else None
    return read


def _realised_month(done: dict[str, Pelaksanaan], tahun: int, month: int) -> LineFigure:
    def read(line: LineState) -> int | None:
        found = done.get(line.key)
        return found.by_month(tahun)[month - 1] if found is not None else None
    return read


def _rolled(value: LineFigure) -> Callable[[Node], int | None]:
    def read(node: Node) -> int | None:
        return computed(node, value)
    return read


def _faktor(achieved: dict[str, Achieved], attribute: str) -> str | None:
    texts = [text for entry in achieved.values() if (text := getattr(entry, attribute)) and text.strip() not in ("-", "")]
    return "; ".join(dict.fromkeys(texts)) or None


# --- evaluasi (Permendagri 86/2017) -----------------------------------------------------------

def _evaluated(view: PlanView) -> tuple[dict[str, Pelaksanaan], list[tuple[Node, dict[str, Achieved]]]]:
    """Every line's execution, and each row of the plan's tree with its own indicator's realisasi."""
    done = execution(view)
    rows = []
    for node in walk(build_tree(view.lines)):
        found = done.get(node.line.key)
        rows.append((node, found.achieved(view.tahun) if found else {}))
    return done, rows


def report_evaluasi(view: PlanView) -> Rendered:
    (done, nodes), tahun = _evaluated(view), view.tahun
    rows = []
    for node, achieved in nodes:
        line = node.line
        target, pagu = _own_target(line), computed(node, _pagu_in_force)
        year = _year_kinerja(achieved)
        realised = computed(node, _realised_year(done, tahun))
        tws = []
        for number in range(1, 5):
            entry = achieved.get(Periode(True, number).key)
            tws.append({"kinerja": target_json(entry.capaian if entry else None),
                        "rp": computed(node, _realised_triwulan(done, tahun, number))})
        rows.append({"kode": line.kode, "level": line.level.value, "nama": line.nama,
                     "indikator": _indicator(line), "target": target_json(target), "pagu": pagu, "tw": tws,
                     "realisasi_kinerja": target_json(year), "realisasi_rp": realised,
                     "tingkat_kinerja": _tingkat(year, target), "tingkat_rp": percent(realised, pagu),
                     "penanggung_jawab": line.penanggung_jawab,
                     "pendorong": _faktor(achieved, "pendorong"), "penghambat": _faktor(achieved, "penghambat")})
    roots = build_tree(view.lines)
    total_pagu = plan_total(roots, _rolled(_pagu_in_force))
    total_realised = plan_total(roots, _rolled(_realised_year(done, tahun)))
    total = {"pagu": total_pagu, "realisasi_rp": total_realised, "tingkat_rp": percent(total_realised, total_pagu),
             "tw_rp": [plan_total(roots, _rolled(_realised_triwulan(done, tahun, number))) for number in range(1, 5)]}
    payload = {**header(view, "evaluasi"), "rows": rows, "total": total}
    return Rendered(payload, evaluasi_form(view, payload))


def _indicator(line: LineState) -> str | None:
    stage = line.stage_in_force
    figures = line.figures(stage) if stage else None
    return figures.indicators.get(Role.OWN) if figures else None


def evaluasi_form(view: PlanView, payload: dict[str, Any]) -> Tabular:
    columns = [Column("no", "No", "code", number=1, width=4),
               Column("kode", "Kode", "code", number=2, width=16),
               Column("nama", "Program / Kegiatan / Sub Kegiatan", number=3, width=30),
               Column("indikator", "Indikator Kinerja Program (outcome) / Kegiatan (output)", number=4, width=24, drop=2),
               Column("target", "K", "target", group="Target Kinerja dan Anggaran Renja Tahun Berjalan", number=5),
               Column("pagu", "Rp", "money", group="Target Kinerja dan Anggaran Renja Tahun Berjalan", number=5, width=14)]
    for number in range(1, 5):
        group = ("Realisasi Kinerja pada Triwulan", ROMAN[number - 1])
        columns += [Column(f"tw{number}_kinerja", "K", "target", group=group, number=5 + number, empty="-"),
                    Column(f"tw{number}_rp", "Rp", "money", group=group, number=5 + number, width=13, empty="-")]
    done = "Realisasi Capaian Kinerja dan Anggaran Renja yang Dievaluasi"
    level = "Tingkat Capaian Kinerja dan Realisasi Anggaran (%)"
    columns += [Column("realisasi_kinerja", "K", "target", group=done, number=10),
                Column("realisasi_rp", "Rp", "money", group=done, number=10, width=14),
                Column("tingkat_kinerja", "K", "number", group=level, number=11),
                Column("tingkat_rp", "Rp", "number", group=level, number=11),
                Column("penanggung_jawab", "Unit Penanggung Jawab", number=12, width=20, drop=1),
                Column("faktor", "Faktor Pendorong / Penghambat", number=13, width=30, drop=1)]
    rows, styles = [], []
    for index, row in enumerate(payload["rows"], start=1):
        cells = {**row, "no": str(index), "nama": printed_name(row),
                 "tingkat_kinerja": _number(row["tingkat_kinerja"]), "tingkat_rp": _number(row["tingkat_rp"]),
                 "faktor": _faktor_text(row)}
        for number, slot in enumerate(row["tw"], start=1):
            cells[f"tw{number}_kinerja"], cells[f"tw{number}_rp"] = slot["kinerja"], slot["rp"]
        rows.append(cells)
        styles.append(STYLES.get(str(row["level"])))
    total = payload["total"]
    rows.append({"nama": "Jumlah", "pagu": total["pagu"], "realisasi_rp": total["realisasi_rp"],
                 "tingkat_rp": _number(total["tingkat_rp"]),
                 **{f"tw{number}_rp": total["tw_rp"][number - 1] for number in range(1, 5)}})
    styles.append("total")
    return Tabular(f"Evaluasi Renja - {view.opd} {view.tahun}", columns, rows, meta(view), styles,
                   heading=heading_for(view, "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH", "{opd}",
                                       "TAHUN {tahun}"),
                   column_numbers=True, sheet="Evaluasi Renja",
                   notes=[_("Realisasi kinerja of the year: the last triwulan for a percentage, the sum of the triwulan "
                            "for a count; tingkat capaian only where realisasi and target share a satuan.")],
                   signature=signature(view, (DocumentKind.EVALUASI_RENJA, DocumentKind.LRA)))


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}".replace(".", ",")


def _faktor_text(row: Row) -> str | None:
    parts = [f"{word}: {row[key]}" for key, word in (("pendorong", "Pendorong"), ("penghambat", "Penghambat"))
             if row.get(key)]
    return "\n".join(parts) or None


# --- Pengukuran Kinerja -----------------------------------------------------------------------

def report_pengukuran(view: PlanView) -> Rendered:
    (done, nodes), tahun = _evaluated(view), view.tahun
    rows = []
    for node, achieved in nodes:
        line = node.line
        alokasi = computed(node, _pagu_in_force)
        months = [computed(node, _realised_month(done, tahun, month)) for month in range(1, 13)]
        realised = sum(value for value in months if value is not None) if any(v is not None for v in months) else None
        target, year = _own_target(line), _year_kinerja(achieved)
        rows.append({"kode": line.kode, "level": line.level.value, "nama": line.nama, "alokasi": alokasi,
                     "bulan": months, "realisasi": realised, "persen_realisasi": percent(realised, alokasi),
                     "indikator": _indicator(line), "target": target_json(target), "realisasi_kinerja": target_json(year),
                     "persen_kinerja": _tingkat(year, target)})
    payload = {**header(view, "pengukuran"), "rows": rows}
    return Rendered(payload, pengukuran_form(view, payload))


def pengukuran_form(view: PlanView, payload: dict[str, Any]) -> Tabular:
    columns = [Column("no", "No", "code", number=1, width=4),
               Column("kode", "Kode", "code", number=2, width=16),
               Column("nama", "Program / Kegiatan / Sub Kegiatan", number=3, width=24),
               Column("alokasi", "Alokasi", "money", group="Anggaran", number=4, width=16)]
    columns += [Column(f"bulan{month}", _(MONTHS[month - 1])[:3], "money", group=("Anggaran", "Realisasi per Bulan"),
                       number=4 + month, width=14, drop=2) for month in range(1, 13)]
    columns += [Column("realisasi", "Jumlah", "money", group="Anggaran", number=17, width=16),
                Column("persen_realisasi", "%", "number", group="Anggaran", number=18),
                Column("indikator", "Indikator", group="Kinerja", number=19, width=20, drop=1),
                Column("target", "Target", "target", group="Kinerja", number=20),
                Column("realisasi_kinerja", "Realisasi", "target", group="Kinerja", number=21),
                Column("persen_kinerja", "%", "number", group="Kinerja", number=22)]
    rows, styles = [], []
    for index, row in enumerate(payload["rows"], start=1):
        cells = {**row, "no": str(index), "nama": printed_name(row), "persen_realisasi": _number(row["persen_realisasi"]),
                 "persen_kinerja": _number(row["persen_kinerja"]),
                 **{f"bulan{month}": row["bulan"][month - 1] for month in range(1, 13)}}
        rows.append(cells)
        styles.append(STYLES.get(str(row["level"])))
    return Tabular(f"Pengukuran Kinerja - {view.opd} {view.tahun}", columns, rows, meta(view), styles,
                   heading=heading_for(view, "PENGUKURAN KINERJA", "{opd}", "TAHUN {tahun}"), column_numbers=True,
                   sheet="Pengukuran Kinerja", signature=signature(view, (DocumentKind.LRA, DocumentKind.EVALUASI_RENJA)))


# --- Tabel 2.1 (as the Renja prints it) ----------------------------------------------------------

# The Tabel 2.1 layout's columns (ledger.application.importing.recorders.REALISASI_COLUMNS) by
# what they state, in the generic terms of the year as it is spent: the year before the plan
# (its Renstra target and realisasi), the plan year to triwulan II, and the year's end.
TABEL_2_1 = (("target_renstra_2023", "Target Renstra tahun lalu (%)"),
             ("realisasi_2023", "Realisasi s.d. tahun lalu (%)"),
             ("target_renja", "Target Renja (%)"), ("realisasi_tw2", "Realisasi s.d. Triwulan II (%)"),
             ("tingkat_realisasi_tw2", "Tingkat Realisasi (%)"), ("target_renja_akhir", "Target Renja (%)"),
             ("realisasi_akhir", "Realisasi s.d. akhir tahun (%)"),
             ("tingkat_capaian_renstra", "Tingkat Capaian Target Renstra (%)"))


def report_tabel_2_1(view: PlanView) -> Rendered:
    rows = []
    for node in walk(build_tree(view.lines)):
        line = node.line
        if not line.realisasi:
            continue
        rows.append({"kode": line.kode, "level": line.level.value, "nama": line.nama,
                     "indikator": _indicator_of_realisasi(line),
                     **{key: None if line.realisasi.get(key) is None else str(line.realisasi[key]) for key, _w in TABEL_2_1}})
    payload = {**header(view, "tabel-2-1"), "rows": rows}
    return Rendered(payload, tabel_2_1_form(view, payload))


def _indicator_of_realisasi(line: LineState) -> str | None:
    """As Tabel 2.1 prints it (absent for a line evaluated before the ledger kept it)."""
    return line.realisasi_indikator


def tabel_2_1_form(view: PlanView, payload: dict[str, Any]) -> Tabular:
    before, year = view.tahun - 1, view.tahun
    columns = [Column("no", "No", "code", number=1, width=4),
               Column("nama", "Urusan / Bidang Urusan Pemerintahan Daerah dan Program / Kegiatan", number=2, width=30),
               Column("indikator", "Indikator Kinerja Program (outcome) / Kegiatan (output)", number=3, width=26),
               Column("target_renstra_2023", f"Target Kinerja Capaian Program (Renstra) Tahun {before} (%)", "number",
                      number=4),
               Column("realisasi_2023", f"Realisasi Target Kinerja s.d. Tahun {before} (%)", "number", number=5)]
    tw2 = "Target dan Realisasi Kinerja Program dan Kegiatan s.d. Triwulan II"
    columns += [Column("target_renja", f"Target Renja Tahun {year} (%)", "number", group=tw2, number=6),
                Column("realisasi_tw2", "Realisasi s.d. Triwulan II (%)", "number", group=tw2, number=7),
                Column("tingkat_realisasi_tw2", "Tingkat Realisasi (%)", "number", group=tw2, number=8)]
    end = f"Perkiraan Realisasi Capaian Target Renstra s.d. Akhir Tahun {year}"
    columns += [Column("target_renja_akhir", f"Target Renja Tahun {year} (%)", "number", group=end, number=9),
                Column("realisasi_akhir", "Realisasi s.d. akhir tahun (%)", "number", group=end, number=10),
                Column("tingkat_capaian_renstra", "Tingkat Capaian Realisasi Target Renstra (%)", "number", group=end,
                       number=11)]
    rows, styles = [], []
    for index, row in enumerate(payload["rows"], start=1):
        rows.append({**row, "no": str(index), "nama": printed_name(row),
                     **{key: _figure(row[key]) for key, _w in TABEL_2_1}})
        styles.append(STYLES.get(str(row["level"])))
    return Tabular(f"Tabel 2.1 - {view.opd} {view.tahun}", columns, rows, meta(view), styles,
                   heading=heading_for(view, "Tabel 2.1", "REKAPITULASI EVALUASI HASIL PELAKSANAAN RENJA PERANGKAT DAERAH "
                                       "SAMPAI DENGAN TRIWULAN II DAN PENCAPAIAN RENSTRA PERANGKAT DAERAH s/d TAHUN "
                                       "{tahun}", "{opd}"),
                   column_numbers=True, sheet="Tabel 2.1",
                   signature=signature(view, (DocumentKind.RENJA_PERUBAHAN, DocumentKind.RENJA)))


def _figure(text: str | None) -> str | None:
    """A percentage as the form prints it: its digits as stated, with the Indonesian decimal comma."""
    return None if text is None else text.replace(".", ",")
