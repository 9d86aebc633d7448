"""The audit questions as read use cases, each answered once for the CLI and the web: a line's
history (why did this pagu change) and the change between two dates (DPPA style)."""

from __future__ import annotations

from datetime import date, datetime

from events_store.time_index import LineRow, TimeIndex
from ledger.line_fold import fold_line
from projections.forms import perubahan_dppa
from projections.history import is_figure_entry, is_identity, is_pagu_entry, line_history
from projections.pointintime import diff_between
from projections.tabular import Column, Rendered, Tabular
from projections.words import tanggal


def history_report(index: TimeIndex, line: LineRow, opd: str, tahun: int, *, as_of: date | None,
                   known_at: datetime | None, all_events: bool) -> Rendered:
    """Every event of the line (its figures only, unless ``all_events``), with its basis, who
    recorded it, before and after; the JSON always holds every event."""
    recorded = line_history(index, line, as_of=as_of, known_at=known_at, plan=(opd, tahun))
    identity = [e for e in recorded if is_identity(e)]
    entries = [e for e in recorded if not is_identity(e)]
    state = fold_line(e.event for e in recorded)
    shown = entries if all_events else [e for e in entries if is_figure_entry(e)]
    payload = {"kode": state.kode, "nama": state.nama, "nama_tercetak": sorted(state.names), "opd": opd, "tahun": tahun,
               "events": [e.to_json() for e in entries], "identity_events": [e.to_json() for e in identity]}
    columns = [Column("version", "#", kind="number"), Column("effective_on", "Berlaku"), Column("recorded", "Dicatat"),
               Column("recorded_by", "Oleh"), Column("kind", "Peristiwa"), Column("stage", "Tahap"),
               Column("before", "Sebelum", kind="number"), Column("after", "Sesudah", kind="number"),
               Column("change", "Bertambah/ Berkurang", kind="money"), Column("change_percent", "%", kind="percent"),
               Column("basis", "Dasar", width=40), Column("reason", "Alasan", width=24)]
    if any(e.realised is not None for e in shown):  # what the line had spent when each pagu took effect
        columns.insert(9, Column("realisasi_saat_itu", "Realisasi s.d. saat itu", kind="money"))
    rows = [{**e.to_json(), "recorded": e.recorded_at[:19].replace("T", " ")} for e in shown]
    styles = ["flag" if "DISAGREES" in e.kind or "correction" in e.kind else None for e in shown]
    # Notes are drawn as plain text (never read as markup), so stored names print as they are.
    notes = ["", f"{state.reference} {state.nama}: the story of its pagu"]
    notes += [f"  {e.story}" for e in entries if is_pagu_entry(e)]
    tabular = Tabular(f"Riwayat {state.reference} {state.nama}", columns, rows,
                      [("Perangkat Daerah", opd), ("Tahun", str(tahun))], styles, notes, sheet="Riwayat",
                      stacked=True, block_title=("version", "effective_on", "kind"))
    return Rendered(payload, tabular)


def diff_report(index: TimeIndex, opd: str, tahun: int, start: date, end: date, *, known_at: datetime | None,
                rekening: bool = False) -> Rendered:
    """The plan at ``start`` against the plan at ``end`` (``pointintime.diff_between``), as the
    DPPA-style comparison form."""
    result = diff_between(index, opd, tahun, start, end, known_at=known_at, rekening=rekening)
    payload = {"report": "diff", "opd": opd, "tahun": tahun, "from": start.isoformat(), "to": end.isoformat(),
               "known_at": known_at.isoformat() if known_at else None, **result}
    return Rendered(payload, perubahan_dppa(payload, (tanggal(start), tanggal(end))))
