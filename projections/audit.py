"""The audit questions as read use cases, each answered once for the CLI and the web: a line's
history (why did this pagu change) and the change between two dates (DPPA style)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from events_store.time_index import LineRow, TimeIndex
from ledger.i18n import _
from ledger.line_fold import fold_line
from ledger.tanggal import tanggal
from projections.forms import perubahan_dppa
from projections.history import Entry, is_figure_entry, is_identity, is_pagu_entry, line_history
from projections.pointintime import diff_between
from projections.tabular import Column, Rendered, Tabular
from projections.usulan import Proposal


@dataclass(frozen=True)
class LineStory:
    """A line's history as every reader shows it (`history`, the web's line page, the demo's tour):
    each event before -> after, and what the line had realised when a pagu took effect."""

    line: LineRow
    opd: str
    tahun: int
    recorded: list[Entry]  # every event of the line, its identity (opening, kode, names) included

    @property
    def identity(self) -> list[Entry]:
        return [e for e in self.recorded if is_identity(e)]

    @property
    def entries(self) -> list[Entry]:
        """The line's statements: every event but its identity."""
        return [e for e in self.recorded if not is_identity(e)]

    @property
    def figures(self) -> list[Entry]:
        """What a history shows by default: the statements of a figure or of who answers for the line."""
        return [e for e in self.entries if is_figure_entry(e)]

    @property
    def pagu(self) -> list[Entry]:
        """The statements of its pagu: the story told in words and drawn as a chart."""
        return [e for e in self.figures if is_pagu_entry(e)]

    @property
    def realised(self) -> bool:
        """Whether any figure says what the line had realised by its date (a column of its own)."""
        return any(e.realised is not None for e in self.figures)


def line_story(index: TimeIndex, line: LineRow, opd: str, tahun: int, *, as_of: date | None = None,
               known_at: datetime | None = None) -> LineStory:
    return LineStory(line, opd, tahun, line_history(index, line, as_of=as_of, known_at=known_at, plan=(opd, tahun)))


def history_report(story: LineStory, *, all_events: bool, proposals: Mapping[UUID, Proposal] | None = None) -> Rendered:
    """Every event of the line (its figures only, unless ``all_events``), with its basis, who
    recorded it, before and after; the JSON always holds every event. An event a proposal's
    decision recorded carries the proposal's trail (``proposals``, by id: its source's document)."""
    opd, tahun, entries = story.opd, story.tahun, story.entries
    state = fold_line(e.event for e in story.recorded)
    shown = entries if all_events else story.figures
    decided = {e.version: found for e in entries
               if (found := (proposals or {}).get(e.event.basis.source.document_id)) is not None}  # type: ignore[arg-type]

    def with_trail(entry: Entry) -> dict[str, Any]:
        found = decided.get(entry.version)
        return {**entry.to_json(), **({"usulan": {"nomor_usulan": found.short, "jejak": found.to_json()["jejak"]}}
                                      if found else {})}
    payload = {"kode": state.kode, "nama": state.nama, "nama_tercetak": sorted(state.names), "opd": opd, "tahun": tahun,
               "events": [with_trail(e) for e in entries], "identity_events": [e.to_json() for e in story.identity]}
    columns = [Column("version", "#", kind="number"), Column("effective_on", "Berlaku", kind="date"),
               Column("recorded_at", "Dicatat", kind="instant"),
               Column("recorded_by", "Oleh"), Column("peristiwa", "Peristiwa"), Column("stage", "Tahap"),
               Column("before", "Sebelum", kind="number"), Column("after", "Sesudah", kind="number"),
               Column("change", "Bertambah/ Berkurang", kind="money"), Column("change_percent", "%", kind="percent"),
               Column("basis", "Dasar", width=40), Column("alasan", "Alasan", width=24)]
    if any(e.realised is not None for e in shown):  # what the line had spent when each pagu took effect
        columns.insert(9, Column("realisasi_saat_itu", "Realisasi s.d. saat itu", kind="money"))
    rows = [e.to_json() for e in shown]
    styles = ["flag" if "DISAGREES" in str(e.kind) or "correction" in str(e.kind) else None for e in shown]
    # Notes are drawn as plain text (never read as markup), so stored names print as they are.
    notes = ["", _("{line}: the story of its pagu").format(line=f"{state.reference} {state.nama}")]
    notes += [f"  {e.story}" for e in story.pagu]
    notes += [_("event {version} was decided through proposal {id}: {trail}").format(
        version=version, id=found.short, trail="; ".join(found.steps())) for version, found in sorted(decided.items())]
    tabular = Tabular(f"Riwayat {state.reference} {state.nama}", columns, rows,
                      [("Perangkat Daerah", opd), ("Tahun", str(tahun))], styles, notes, sheet="Riwayat",
                      stacked=True, block_title=("version", "effective_on", "peristiwa"))
    return Rendered(payload, tabular)


def diff_report(index: TimeIndex, opd: str, tahun: int, start: date, end: date, *, known_at: datetime | None,
                rekening: bool = False) -> Rendered:
    """The plan at ``start`` against the plan at ``end`` (``pointintime.diff_between``), as the
    DPPA-style comparison form."""
    result = diff_between(index, opd, tahun, start, end, known_at=known_at, rekening=rekening)
    payload = {"report": "diff", "opd": opd, "tahun": tahun, "from": start.isoformat(), "to": end.isoformat(),
               "known_at": known_at.isoformat() if known_at else None, **result}
    return Rendered(payload, perubahan_dppa(payload, (tanggal(start), tanggal(end))))
