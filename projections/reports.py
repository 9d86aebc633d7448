"""The official tables, rebuilt from a point-in-time view of a plan.

Every report is a JSON contract (``payload``) plus a table for the terminal, CSV and XLSX.
Sub-kegiatan rows carry their own figures; kegiatan, program and total rows carry the
computed sums, and beside them what a document stated, flagged where the two differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from ledger.basis import Stage
from ledger.errors import LedgerError
from ledger.i18n import _
from ledger.line_events import Role
from ledger.line_state import LineState
from ledger.target import Target
from projections.contract import header, target_json
from projections.evaluasi import report_evaluasi, report_pengukuran, report_tabel_2_1
from projections.forms import plan_form, rencana_aksi, tabel_2_3
from projections.hierarchy import InForce, Node, build_tree, computed, in_force_total, plan_in_force, plan_total, walk, whole
from projections.rincian import report_rincian, rincian_belanja
from projections.tabular import Rendered
from projections.timeline import PlanView, stated_totals


class ReportKind(StrEnum):
    """The official tables a plan can be rebuilt into; each has one entry in ``REPORTS``."""

    RENJA = "renja"
    PERUBAHAN = "perubahan"
    RENCANA_AKSI = "rencana-aksi"
    TABEL_2_3 = "tabel-2-3"
    DPA = "dpa"
    DPPA = "dppa"
    TABEL_2_1 = "tabel-2-1"
    EVALUASI = "evaluasi"
    PENGUKURAN = "pengukuran"


def own_target(line: LineState, stage: Stage, role: Role = Role.OWN) -> Target | None:
    figures = line.figures(stage)
    return figures.targets.get(role) if figures else None


def indicator_list(line: LineState, stage: Stage) -> list[dict[str, Any]]:
    """Every indicator of the line at this stage, role by role, in the order printed."""
    figures = line.figures(stage)
    return [{"peran": each.role.value, "ke": each.ke, "teks": each.text, "target": target_json(each.target)}
            for each in (figures.indicator_rows() if figures else [])]


def latest_detail(line: LineState, attribute: str, prefer: Stage) -> str | None:
    order = [prefer, *(s for s in Stage if s is not prefer)]
    for stage in order:
        figures = line.figures(stage)
        value = getattr(figures, attribute) if figures else None
        if value:
            return str(value)
    return None


def base_row(node: Node) -> dict[str, Any]:
    return {"kode": node.line.kode, "level": node.level.value, "nama": node.line.nama}


def money(node: Node, stage: Stage) -> tuple[int | None, int | None]:
    """(figure shown, figure the documents stated for this row) at one stage."""
    return computed(node, lambda line: line.pagu(stage)), node.line.pagu(stage)


def plan_money(node: Node, stage: Stage, in_force: dict[str, InForce]) -> tuple[int | None, int | None]:
    """``money`` of a plan form. The perubahan's is the plan in force (``hierarchy.plan_in_force``,
    docs/stages.md): a row the perubahan does not restate keeps its murni, as diff and every
    total count it."""
    if stage is not Stage.PERUBAHAN:
        return money(node, stage)
    row = in_force[node.line.key]
    own = node.line.pagu(Stage.PERUBAHAN)
    stated = own if own is not None else node.line.pagu(Stage.MURNI) if row.carried else None
    return row.value, whole(stated)


def stated_fields(shown: int | None, stated: int | None) -> dict[str, Any]:
    difference = stated - shown if stated is not None and shown is not None and stated != shown else None
    return {"pagu_dinyatakan": stated, "selisih_dinyatakan": difference}


def stated_totals_json(view: PlanView, stage: Stage) -> list[dict[str, Any]]:
    """The OPD totals the documents state (``timeline.stated_totals``), as the JSON contract gives them."""
    return [{"label": t.label, "pagu": t.rupiah, "tw": list(t.triwulan) if t.triwulan else None,
             "sumber": t.source.describe()} for t in stated_totals(view, stage)]


def forward(line: LineState) -> dict[str, Any]:
    figures = line.figures(Stage.PRAKIRAAN_MAJU)
    if figures is None:
        return {"target": None, "pagu": None}
    return {"target": target_json(figures.targets.get(Role.OWN)), "pagu": figures.pagu,
            "indikator": figures.indicators.get(Role.OWN)}


def forward_money(node: Node) -> int | None:
    return computed(node, lambda line: line.pagu(Stage.PRAKIRAAN_MAJU))


def plan_rows(view: PlanView, stage: Stage, extended: bool) -> list[dict[str, Any]]:
    rows = []
    roots = build_tree(view.lines)
    in_force = plan_in_force(roots)
    for node in walk(roots):
        shown, stated = plan_money(node, stage, in_force)
        row = base_row(node)
        line = node.line
        read = line.figures_stage(stage)
        row.update({
            "pagu": shown, **stated_fields(shown, stated),
            "target": target_json(own_target(line, read)),
            "lokasi": latest_detail(line, "lokasi", read),
            "sumber_dana": latest_detail(line, "sumber_dana", read),
            "prakiraan_maju": {**forward(line), "pagu": forward_money(node)},
        })
        if stage is Stage.PERUBAHAN:
            row["tidak_dinyatakan_ulang"] = in_force[node.line.key].carried and in_force[node.line.key].counts
        if extended:
            figures = line.figures(read)
            indicators = figures.indicators if figures else {}
            row.update({
                "indikator_program": indicators.get(Role.PROGRAM),
                "indikator_keluaran": indicators.get(Role.OWN),
                "indikator_kegiatan": indicators.get(Role.KEGIATAN),
                "target_program": target_json(own_target(line, read, Role.PROGRAM)),
                "target_kegiatan": target_json(own_target(line, read, Role.KEGIATAN)),
                "catatan": figures.catatan if figures else None,
                "indikator": indicator_list(line, read),
            })
            row["indikator_lain"] = "; ".join(
                f"{each['teks'] or '-'} ({each['target']['nilai']} {each['target']['satuan']})".replace(" )", ")")
                if each["target"] else each["teks"] or "-" for each in row["indikator"] if each["ke"] > 1
                or each["peran"] == Role.KELUARAN.value) or None
        rows.append(row)
    return rows


def plan_sum(view: PlanView, value: Callable[[Node], int | None]) -> int:
    """The plan's total of one figure, from whatever level its rows start at (``plan_total``)."""
    return plan_total(build_tree(view.lines), value)


def plan_pagu_total(view: PlanView, stage: Stage) -> int:
    """The plan's total pagu at a stage; the perubahan's is the plan in force's."""
    if stage is not Stage.PERUBAHAN:
        return plan_sum(view, lambda n: money(n, stage)[0])
    roots = build_tree(view.lines)
    return in_force_total(roots, plan_in_force(roots))


def report_plan(view: PlanView, kind: ReportKind) -> Rendered:
    stage = Stage.MURNI if kind is ReportKind.RENJA else Stage.PERUBAHAN
    rows = plan_rows(view, stage, extended=True)  # the murni form prints the indicators too
    total: dict[str, Any] = {
        "pagu": plan_pagu_total(view, stage),
        "prakiraan_maju": plan_sum(view, forward_money),
        "dinyatakan": stated_totals_json(view, stage),
        "prakiraan_maju_dinyatakan": stated_totals_json(view, Stage.PRAKIRAAN_MAJU),
    }
    payload = {**header(view, kind), "rows": rows, "total": total}
    return Rendered(payload, plan_form(view, payload, perubahan=kind is ReportKind.PERUBAHAN))


def tw_money(node: Node, stage_of: Callable[[LineState], Stage | None], index: int) -> int | None:
    def leaf(line: LineState) -> int | None:
        stage = stage_of(line)
        figures = line.figures(stage) if stage else None
        if figures is None or figures.triwulan is None:
            return None
        return figures.triwulan[index].rupiah
    return computed(node, leaf)


def triwulan_stage(line: LineState) -> Stage | None:
    """The latest plan stage that allocates this line over triwulan."""
    for stage in (Stage.PERUBAHAN, Stage.MURNI):
        figures = line.figures(stage)
        if figures is not None and figures.triwulan is not None:
            return stage
    return None


def report_rencana_aksi(view: PlanView) -> Rendered:
    rows = []
    roots = build_tree(view.lines)
    for node in walk(roots):
        line = node.line
        stage = triwulan_stage(line) or Stage.MURNI
        figures = line.figures(stage)
        slots = figures.triwulan if figures and figures.triwulan else None
        shown, stated = money(node, stage)
        row = base_row(node)
        row.update({
            "tw": [{"target": target_json(slots[i].target if slots else None), "pagu": tw_money(node, triwulan_stage, i)}
                   for i in range(4)],
            "pagu": shown, **stated_fields(shown, stated),
            "target": target_json(own_target(line, stage)),
            "target_akhir": target_json(own_target(line, stage, Role.YEAR_END)),
            "indikator": figures.indicators.get(Role.OWN) if figures else None,
            "penanggung_jawab": line.penanggung_jawab,
            "tahap": stage.value,
        })
        rows.append(row)
    total_tw = [plan_total(roots, partial(tw_money, stage_of=triwulan_stage, index=i)) for i in range(4)]

    def own_stage_pagu(line: LineState) -> int | None:
        return line.pagu(triwulan_stage(line) or Stage.MURNI)

    total: dict[str, Any] = {"pagu": plan_total(roots, lambda n: computed(n, own_stage_pagu)),
             "tw": total_tw, "dinyatakan": stated_totals_json(view, Stage.MURNI)}
    payload = {**header(view, ReportKind.RENCANA_AKSI), "rows": rows, "total": total}
    return Rendered(payload, rencana_aksi(view, payload))


def report_tabel_2_3(view: PlanView) -> Rendered:
    rows = []
    for node in walk(build_tree(view.lines)):
        line = node.line
        rkpd, rkpd_stated = money(node, Stage.RKPD)
        kebutuhan, kebutuhan_stated = money(node, Stage.KEBUTUHAN)
        figures = line.figures(Stage.KEBUTUHAN)
        rkpd_figures = line.figures(Stage.RKPD)
        row = base_row(node)
        row.update({
            "lokasi": latest_detail(line, "lokasi", Stage.RKPD),
            "indikator": rkpd_figures.indicators.get(Role.OWN) if rkpd_figures else None,
            "lokasi_kebutuhan": figures.lokasi if figures else None,
            "indikator_kebutuhan": figures.indicators.get(Role.OWN) if figures else None,
            "pagu_rkpd": rkpd, "target_rkpd": target_json(own_target(line, Stage.RKPD)),
            "kebutuhan_dana": kebutuhan, "target_kebutuhan": target_json(own_target(line, Stage.KEBUTUHAN)),
            "selisih": (kebutuhan or 0) - (rkpd or 0) if rkpd is not None or kebutuhan is not None else None,
            "catatan": figures.catatan if figures else None,
            "pagu_rkpd_dinyatakan": rkpd_stated, "kebutuhan_dana_dinyatakan": kebutuhan_stated,
        })
        rows.append(row)
    total_rkpd = plan_sum(view, lambda n: money(n, Stage.RKPD)[0])
    total_kebutuhan = plan_sum(view, lambda n: money(n, Stage.KEBUTUHAN)[0])
    total: dict[str, Any] = {"pagu_rkpd": total_rkpd, "kebutuhan_dana": total_kebutuhan, "selisih": total_kebutuhan - total_rkpd,
             "dinyatakan": {"pagu_rkpd": stated_totals_json(view, Stage.RKPD),
                            "kebutuhan_dana": stated_totals_json(view, Stage.KEBUTUHAN)}}
    payload = {**header(view, ReportKind.TABEL_2_3), "rows": rows, "total": total}
    return Rendered(payload, tabel_2_3(view, payload))


def report_dpa(view: PlanView, kind: ReportKind) -> Rendered:
    payload = report_rincian(view, kind.value)
    return Rendered(payload, rincian_belanja(view, payload, perubahan=kind is ReportKind.DPPA))


@dataclass(frozen=True)
class ReportDefinition:
    kind: ReportKind
    title: str
    build: Callable[[PlanView], Rendered]
    rekening: bool = False  # it prints the accounts of the rincian belanja: read the view with them
    accounts_only: bool = False  # a form of accounts only (DPA, DPPA): nothing to print without them


REPORTS: dict[ReportKind, ReportDefinition] = {each.kind: each for each in (
    ReportDefinition(ReportKind.RENJA, "Rencana Kerja (murni)", lambda view: report_plan(view, ReportKind.RENJA)),
    ReportDefinition(ReportKind.PERUBAHAN, "Tabel 3.2 Rumusan Perubahan Rencana Program dan Kegiatan",
                     lambda view: report_plan(view, ReportKind.PERUBAHAN)),
    ReportDefinition(ReportKind.RENCANA_AKSI, "Rencana Aksi (target dan Rp per triwulan)", report_rencana_aksi),
    ReportDefinition(ReportKind.TABEL_2_3, "Tabel 2.3 Reviu terhadap Rancangan RKPD: pagu indikatif dan kebutuhan dana",
                     report_tabel_2_3),
    ReportDefinition(ReportKind.DPA, "DPA Rincian Belanja per sub-kegiatan (murni)",
                     lambda view: report_dpa(view, ReportKind.DPA), rekening=True, accounts_only=True),
    ReportDefinition(ReportKind.DPPA, "DPPA Rincian Perubahan Belanja: sebelum, setelah, bertambah/(berkurang)",
                     lambda view: report_dpa(view, ReportKind.DPPA), rekening=True, accounts_only=True),
    ReportDefinition(ReportKind.TABEL_2_1, "Tabel 2.1 Evaluasi hasil Renja tahun lalu dan s.d. triwulan II",
                     report_tabel_2_1),
    ReportDefinition(ReportKind.EVALUASI, "Evaluasi Renja per triwulan (Permendagri 86/2017)", report_evaluasi,
                     rekening=True),
    ReportDefinition(ReportKind.PENGUKURAN, "Pengukuran Kinerja (alokasi, realisasi per bulan, kinerja)",
                     report_pengukuran, rekening=True),
)}


def line_refs(payload: dict[str, Any]) -> list[str]:
    """The lines a report shows, as references `history` and the web's line pages accept: kodes,
    and for a rincian belanja each sub-kegiatan and its accounts (``<sub-kegiatan>/<rekening>``)."""
    if "rows" in payload:
        return [str(row["kode"]) for row in payload["rows"] if row.get("kode")]
    refs: list[str] = []
    for section in payload.get("sub_kegiatan", []):
        if section.get("kode"):
            refs.append(section["kode"])
            refs += [f"{section['kode']}/{row['kode_rekening']}" for row in section["rows"] if row["level"] == "rekening"]
    return refs


class NothingToReport(LedgerError):
    """The form has no line to print at that point in time (the web answers 404)."""


def check_reportable(kind: ReportKind | str, view: PlanView) -> None:
    """A form with nothing to print is an answer in words, not an empty form (CLI and web alike)."""
    definition = REPORTS[ReportKind(kind)]
    if not view.lines:
        raise NothingToReport(_("the ledger knew no line of {opd} {tahun} at that point in time").format(
            opd=view.opd, tahun=view.tahun))
    if definition.accounts_only and not view.rekening:
        raise NothingToReport(_("{title}: the plan {opd} {tahun} holds no accounts (kode rekening) at that point in time; "
                            "a DPA or RKA's rincian belanja loads them (layout rincian, docs/dataset-layout.md)").format(
            title=definition.title, opd=view.opd, tahun=view.tahun))


def build_report(kind: ReportKind | str, view: PlanView) -> Rendered:
    """The form, whatever the view holds; a person asking (``ReadSide.report``) gets
    ``check_reportable``'s answer first."""
    return REPORTS[ReportKind(kind)].build(view)
