"""The consistency check's form: each finding of a plan as a row."""

from __future__ import annotations

from typing import Any

from ledger.i18n import N_, _
from projections.forms.shared import meta
from projections.tabular import Column, Tabular
from projections.timeline import PlanView

SEVERITY_WORDS = (N_("error"), N_("warning"), N_("info"))  # shown through _(): galat, peringatan, info


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

