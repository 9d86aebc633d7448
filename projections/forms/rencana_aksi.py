"""The Rencana Aksi per triwulan."""

from __future__ import annotations

from typing import Any

from ledger.document import DocumentKind
from ledger.periode import ROMAN
from ledger.plan import SasaranStated
from projections.forms.shared import LEGEND, STYLES, check_columns, heading_for, meta, printed_name, signature, stated_check
from projections.tabular import Column, Tabular
from projections.timeline import PlanView


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
