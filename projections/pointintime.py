"""`renja pagu` and `renja diff`: point-in-time values, answered from the time index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from events_store.time_index import IndexedEvent, LineRow, TimeIndex
from ledger.basis import PLAN_STAGES, Stage
from ledger.events import DomainEvent
from ledger.kode import Level
from ledger.line_events import Role
from ledger.line_fold import fold_line
from ledger.line_state import LineState
from ledger.money import percent_change
from projections.catalog import find_line, plain_kode
from projections.contract import target_json
from projections.hierarchy import build_tree, computed, plan_in_force, rolled_up, walk, whole
from projections.history import reason_words
from projections.timeline import PlanView, plan_view


@dataclass(frozen=True)
class SummedRow:
    """A row whose figure a parent's pagu adds up (``PaguAnswer.rows``)."""

    kode: str | None
    nama: str
    level: str
    pagu: int

    def to_json(self) -> dict[str, Any]:
        return {"kode": self.kode, "nama": self.nama, "level": self.level, "pagu": self.pagu}


@dataclass
class PaguAnswer:
    line: LineRow
    stage: Stage | None
    pagu: int | None
    event: DomainEvent | None
    recorded_at: str | None
    nama: str = ""  # the name in force (ledger.line_fold: the one printed first in valid time)
    # How the roll-up rule (projections.hierarchy.rolled_up) gave the figure: the rows it adds
    # up, or none when the line's own statement counts (``event`` then set it).
    rows: tuple[SummedRow, ...] = ()
    stated: int | None = None  # the line's own statement at ``stage``, shown beside a sum

    @property
    def rule(self) -> str | None:
        """``sum`` (of ``rows``) or ``own`` (its own statement); None without a figure."""
        if self.pagu is None:
            return None
        return "sum" if self.rows else "own"

    @property
    def rolled(self) -> bool:
        """A program or kegiatan: its pagu is given by the roll-up rule (``rows`` or its own statement)."""
        return self.line.level in ROLLED_LEVELS

    def to_json(self, as_of: date | None, known_at: datetime | None, realised: int | None = None) -> dict[str, Any]:
        """``realised``: beside the plan, what the line had spent by then (a line with realisasi only)."""
        event = self.event
        return {
            "kode": self.line.kode, "nama": self.nama or self.line.nama, "stage": self.stage.value if self.stage else None,
            "pagu": self.pagu, "as_of": as_of.isoformat() if as_of else None,
            "known_at": known_at.isoformat() if known_at else None,
            "rule": self.rule, "rows": [row.to_json() for row in self.rows], "pagu_dinyatakan": self.stated,
            "set_by": None if event is None else {
                "version": event.originator_version, "event": type(event).__name__,
                "effective_on": event.basis.effective_on.isoformat(), "recorded_at": self.recorded_at,
                "recorded_by": event.basis.recorded_by, "basis": event.basis.source.describe(),
                "reason": event.basis.reason, "alasan": reason_words(event.basis.reason),
            },
            **({"realisasi": realised} if realised is not None else {}),
        }


def pagu_of(index: TimeIndex, opd: str, tahun: int, ref: str, stage: Stage | None, *, as_of: date | None,
            known_at: datetime | None) -> PaguAnswer:
    """The pagu of the line ``ref`` names (as ``find_line`` reads it). A kode that names one
    line is found and read in one query; any other reference finds its line first.

    (Folding the query's bodies with ``stored_fold`` was measured too: with the state then
    validated back into a ``LineState``, it took as long as decoding the line's few events.)"""
    kode = plain_kode(ref)
    found = index.kode_line_events(opd, tahun, kode, as_of=as_of, known_at=known_at) if kode else None
    if found is None:
        return pagu_at(index, find_line(index, opd, tahun, ref), stage, as_of=as_of, known_at=known_at)
    return _answer(index, *found, stage, as_of=as_of, known_at=known_at)


def pagu_at(index: TimeIndex, line: LineRow, stage: Stage | None, *, as_of: date | None,
            known_at: datetime | None) -> PaguAnswer:
    rows = index.line_events(line.line_id, as_of=as_of, known_at=known_at)
    return _answer(index, line, rows, stage, as_of=as_of, known_at=known_at)


ROLLED_LEVELS = (Level.PROGRAM.value, Level.KEGIATAN.value)  # the levels whose pagu the roll-up rule gives


def _answer(index: TimeIndex, line: LineRow, rows: list[IndexedEvent], stage: Stage | None, *, as_of: date | None,
            known_at: datetime | None) -> PaguAnswer:
    """A sub-kegiatan (or an account) counts by its own figure; a program or kegiatan by the
    roll-up rule the reports use, read on the plan at the same point in time."""
    state = fold_line(row.event for row in rows)
    if line.level not in ROLLED_LEVELS or not state.opd:
        return _own_answer(line, state, rows, stage)
    view = plan_view(index, state.opd, state.tahun, as_of=as_of, known_at=known_at, rekening=False)
    node = next((n for n in walk(build_tree(view.lines)) if n.line.key == line.key), None)
    if node is None:  # not in force at that point in time
        return _own_answer(line, state, rows, stage)
    chosen = stage or next((s for s in reversed(PLAN_STAGES) if computed(node, stage_pagu(s)) is not None), None)
    if chosen is None:
        return _own_answer(line, state, rows, None)
    if chosen is Stage.PERUBAHAN:  # the plan in force: rows the perubahan does not restate keep their murni
        in_force = plan_in_force(build_tree(view.lines))
        if not in_force[node.line.key].by_sum:
            return _own_answer(line, state, rows, chosen)
        summed = tuple(SummedRow(child.line.kode, child.line.nama, child.level.value, value)
                       for child in node.children if (value := in_force[child.line.key].value) is not None)
        return PaguAnswer(line, chosen, in_force[node.line.key].value, None, None, state.nama, rows=summed,
                          stated=whole(state.pagu(chosen)))
    figure = stage_pagu(chosen)
    rolled = rolled_up(node, figure)
    if not rolled.by_sum:
        return _own_answer(line, state, rows, chosen)
    summed = tuple(SummedRow(child.line.kode, child.line.nama, child.level.value, int(computed(child, figure) or 0))
                   for child in rolled.rows)
    return PaguAnswer(line, chosen, rolled.value, None, None, state.nama, rows=summed, stated=whole(state.pagu(chosen)))


def stage_pagu(stage: Stage) -> Callable[[LineState], int | None]:
    """A line's own pagu at one stage, as the roll-up reads it."""
    def pagu(line: LineState) -> int | None:
        return whole(line.pagu(stage))
    return pagu


def _own_answer(line: LineRow, state: LineState, rows: list[IndexedEvent], stage: Stage | None) -> PaguAnswer:
    """The line's own statement at ``stage`` (default: its plan in force) and the event that set it."""
    chosen = stage or state.stage_in_force
    figures = state.figures(chosen) if chosen else None
    if figures is None or figures.pagu is None:
        return PaguAnswer(line, chosen, None, None, None, state.nama)
    pagu = int(figures.pagu)
    by_version = {row.event.originator_version: row for row in rows}
    # A corrected figure was set by the correction, not by the event it corrects.
    setter = next((s.corrected_by for s in figures.statements
                   if s.version == figures.pagu_version and s.corrected_by), figures.pagu_version)
    if setter not in by_version:  # pragma: no cover - the fold only keeps versions it read
        return PaguAnswer(line, chosen, pagu, None, None, state.nama, stated=pagu)
    found = by_version[setter]
    return PaguAnswer(line, chosen, pagu, found.event, found.recorded_at, state.nama, stated=pagu)


# --- diff -----------------------------------------------------------------------------------

def plan_snapshot(line: LineState, counts: bool = True) -> dict[str, Any]:
    """What `diff` compares: the plan in force for one line (its pagu only where it counts)."""
    stage = line.stage_in_force
    figures = line.figures(stage) if stage else None
    tw_stage = next((s for s in (Stage.PERUBAHAN, Stage.MURNI)
                     if (f := line.figures(s)) is not None and f.triwulan is not None), None)
    tw_figures = line.figures(tw_stage) if tw_stage else None
    return {
        "pagu": int(figures.pagu) if counts and figures and figures.pagu is not None else None,
        "target": target_json(figures.targets.get(Role.OWN)) if figures else None,
        "triwulan": [int(s.rupiah) if s.rupiah is not None else None for s in tw_figures.triwulan]
        if tw_figures and tw_figures.triwulan else None,
        "indikator": figures.indicators.get(Role.OWN) if figures else None,
        "penanggung_jawab": line.penanggung_jawab,
        "stage": stage.value if stage else None,
    }


def rekening_changes(before: PlanView, after: PlanView, sub_key: str) -> list[dict[str, Any]]:
    """The accounts of one sub-kegiatan whose amount in force changed, with the pergeseran that
    took force between the two dates (``diff --rekening``). They sum into their sub-kegiatan,
    so no total counts them again."""
    keys = {key for view in (before, after) for key, account in view.rekening.items() if account.parent_key == sub_key}
    rows = []
    for key in sorted(keys):
        old, new = before.rekening.get(key), after.rekening.get(key)
        sebelum = int(old.pagu_in_force) if old and old.pagu_in_force is not None else None
        sesudah = int(new.pagu_in_force) if new and new.pagu_in_force is not None else None
        if sebelum == sesudah:
            continue
        shown = new or old
        assert shown is not None
        legs = [leg for figures in (new.stages.values() if new else []) for leg in figures.shifts
                if leg.effective_on and (before.as_of is None or leg.effective_on > before.as_of)]
        words = [f"pergeseran {leg.decision or leg.authority or '-'} ({leg.effective_on})" for leg in legs]
        rows.append({"kode": shown.kode, "level": "rekening", "nama": shown.nama,
                     "changed": ["pagu", *words], "sebelum": sebelum, "sesudah": sesudah,
                     "bertambah_berkurang": (sesudah or 0) - (sebelum or 0),
                     "persen": percent_change(sebelum, sesudah or 0) if sebelum else None,
                     "pergeseran": [{"jumlah": leg.delta, "lawan": leg.counterpart, "tingkat": leg.scope,
                                     "dasar": leg.authority, "nomor": leg.decision,
                                     "berlaku": leg.effective_on.isoformat() if leg.effective_on else None,
                                     "alasan": leg.reason} for leg in legs]})
    return rows


def diff_views(before: PlanView, after: PlanView, rekening: bool = False) -> dict[str, Any]:
    """Lines whose plan in force changed, grouped by program, DPPA style. Programs and the
    total sum every row that counts (not only the changed ones), as a DPPA's columns do.
    With ``rekening``, each sub-kegiatan is followed by its accounts that changed."""
    roots = build_tree(after.lines)
    program_of: dict[str, str | None] = {}
    for root in [*roots, *build_tree(before.lines)]:
        stack = [root]
        while stack:
            node = stack.pop()
            program_of.setdefault(node.line.key, root.line.key if root.level is Level.PROGRAM else None)
            stack.extend(node.children)
    # The rows whose money counts (hierarchy.counted): sub-kegiatan, and a kegiatan or program
    # stated only at its own level. A row counted on one side only is absent on the other.
    # (The plan in force, docs/stages.md: hierarchy.plan_in_force, as Tabel 3.2 totals it.)
    counted_before = {key: int(row.value or 0) for key, row in plan_in_force(build_tree(before.lines)).items() if row.counts}
    counted_after = {key: int(row.value or 0) for key, row in plan_in_force(roots).items() if row.counts}
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for key, line in sorted(after.lines.items(), key=lambda item: (item[1].kode or "~", item[1].nama)):
        if key not in counted_before.keys() | counted_after.keys() and line.level is not Level.SUB_KEGIATAN:
            continue
        old_line = before.lines.get(key)
        old = plan_snapshot(old_line, key in counted_before) if old_line else {}
        new = plan_snapshot(line, key in counted_after)
        changed = [field for field in ("pagu", "target", "triwulan", "indikator", "penanggung_jawab")
                   if old.get(field) != new.get(field)]
        moved = rekening_changes(before, after, key) if rekening and line.level is Level.SUB_KEGIATAN else []
        if not changed and not moved:
            continue
        sebelum, sesudah = old.get("pagu"), new.get("pagu")
        delta = (sesudah or 0) - (sebelum or 0)
        groups.setdefault(program_of.get(key), []).append({
            "kode": line.kode, "level": line.level.value, "nama": line.nama, "changed": changed,
            "sebelum": sebelum, "sesudah": sesudah, "bertambah_berkurang": delta,
            "persen": percent_change(sebelum, sesudah or 0) if sebelum else None,
            "tahap_sebelum": old.get("stage"), "tahap_sesudah": new.get("stage"),
            "before": old, "after": new,
        })
        groups[program_of.get(key)].extend(moved)

    def program_total(counted_rows: dict[str, int], program_key: str | None) -> int:
        return sum(amount for key, amount in counted_rows.items() if program_of.get(key) == program_key)

    programs: list[dict[str, Any]] = []
    for program_key, rows in groups.items():
        program = after.lines.get(program_key) if program_key else None
        sebelum, sesudah = program_total(counted_before, program_key), program_total(counted_after, program_key)
        programs.append({"kode": program.kode if program else None, "nama": program.nama if program else "(tanpa program)",
                         "rows": rows, "sebelum": sebelum, "sesudah": sesudah, "bertambah_berkurang": sesudah - sebelum})
    sebelum_total, sesudah_total = sum(counted_before.values()), sum(counted_after.values())
    return {"programs": programs, "total": {"sebelum": sebelum_total, "sesudah": sesudah_total,
                                            "bertambah_berkurang": sesudah_total - sebelum_total,
                                            "persen": percent_change(sebelum_total, sesudah_total) if sebelum_total else None,
                                            "lines_changed": sum(1 for rows in groups.values() for row in rows
                                                                 if row["level"] != "rekening" and row["changed"])}}


def diff_between(index: TimeIndex, opd: str, tahun: int, start: date, end: date, *, known_at: datetime | None,
                 rekening: bool = False) -> dict[str, Any]:
    """`renja diff`: the plan at ``start`` against the plan at ``end`` (the web's comparison of two
    dates reads the same two views). Where a line has nothing in force at ``start``, the *sebelum* figures of a
    before/after form dated up to ``end`` without a date of their own are its "before"
    (``timeline.plan_view``'s ``sebelum_until``), so the form's printed change is reproduced."""
    before = plan_view(index, opd, tahun, as_of=start, known_at=known_at, sebelum_until=end)
    after = plan_view(index, opd, tahun, as_of=end, known_at=known_at)
    return diff_views(before, after, rekening=rekening)
