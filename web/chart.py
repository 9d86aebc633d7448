"""A line's pagu per stage over valid time: an inline SVG step chart drawn on the server (no
JavaScript), with a date axis in Indonesian months and a legend naming each stage.

Horizontal positions are percentages of the chart's width and everything else is in pixels, so
the chart takes the width of the page (a phone or a laptop) while its text keeps its size. Where
two stages' lines would run on top of each other they are drawn a few pixels apart, and marks on
the same date and figure side by side, so that a stage equal to another stays visible; each
mark's tooltip gives the exact figure (Rp 2.788.872.800) and date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from itertools import pairwise
from typing import TypeVar

from ledger.basis import PLAN_STAGES, Stage
from ledger.i18n import _
from ledger.money import format_rupiah
from ledger.periode import MONTHS
from ledger.tanggal import tanggal
from projections.history import Entry

COLOURS = {Stage.RKPD: "#7f7f7f", Stage.KEBUTUHAN: "#2e75b6", Stage.MURNI: "#548235", Stage.PERUBAHAN: "#c55a11",
           Stage.PRAKIRAAN_MAJU: "#7030a0"}
# Each stage its own mark too, so that the lines are told apart without their colour.
MARKS = {Stage.MURNI: '<circle r="4.5"/>', Stage.PERUBAHAN: '<rect x="-4" y="-4" width="8" height="8"/>',
         Stage.RKPD: '<path d="M0-5.5 5.5 0 0 5.5-5.5 0z"/>', Stage.KEBUTUHAN: '<path d="M0-5.5 5 4h-10z"/>',
         Stage.PRAKIRAAN_MAJU: '<path d="M-4.5-1.5h3v-3h3v3h3v3h-3v3h-3v-3h-3z"/>'}
HEIGHT, TOP, BOTTOM = 260, 22, 42  # pixels: the chart, room above the plot, room below it for the months
LEFT, RIGHT = 1.0, 99.0  # percent of the width the plot spans
LINE_GAP, MARK_GAP = 4.0, 10.0  # pixels between equal lines of two stages, and between marks on one spot

T = TypeVar("T")


@dataclass(frozen=True)
class Run:
    """A stage's pagu from ``start`` until ``end`` (exclusive)."""

    start: date
    end: date
    amount: int


@dataclass(frozen=True)
class Mark:
    """A statement of a stage's pagu on its effective date."""

    stage: Stage
    day: date
    amount: int


def short_month(day: date) -> str:
    """``Agu`` (Indonesian, as the forms print dates in every language)."""
    return MONTHS[day.month - 1][:3]


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class DateAxis:
    """Valid time from the first month of the line's statements to the end of the year of its last."""

    start: date
    end: date

    @classmethod
    def over(cls, days: list[date]) -> DateAxis:
        return cls(min(days).replace(day=1), date(max(days).year + 1, 1, 1))

    def x(self, day: date) -> float:
        """The day's position, percent of the chart's width."""
        share = (day - self.start).days / (self.end - self.start).days
        return LEFT + share * (RIGHT - LEFT)

    def months(self) -> list[date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = next_month(month)
        return months

    def labelled_every(self) -> int:
        """Every how many months a label carries its year (the others are named on wide screens only)."""
        count = len(self.months())
        return 3 if count <= 18 else 6 if count <= 36 else 12


@dataclass(frozen=True)
class AmountAxis:
    """Rupiah from zero up to a round figure above the largest pagu, with three to five gridlines."""

    step: int
    top: int

    @classmethod
    def over(cls, amounts: list[int]) -> AmountAxis:
        highest = max([*amounts, 1])
        rough = max(highest // 4, 1)
        magnitude = 10 ** (len(str(rough)) - 1)
        step = next(magnitude * m // 2 for m in (2, 4, 5, 10, 20) if magnitude * m // 2 >= rough)
        return cls(step, -(-highest // step) * step)

    def y(self, amount: int) -> float:
        return TOP + (1 - amount / self.top) * (HEIGHT - TOP - BOTTOM)

    def ticks(self) -> range:
        return range(0, self.top + 1, self.step)


def stage_runs(entries: list[Entry], end: date) -> dict[Stage, list[Run]]:
    """Each stage's pagu as it stood over valid time: the entries come in effective order, and the
    last one of a date is the state the date ends with."""
    states: dict[date, dict[str, int]] = {}
    for entry in entries:
        states[entry.event.basis.effective_on] = entry.pagu_after
    runs: dict[Stage, list[Run]] = {}
    days = sorted(states)
    for stage in Stage:
        mine = [(day, states[day].get(stage.value)) for day in days]
        changes = [(day, amount) for index, (day, amount) in enumerate(mine)
                   if index == 0 or mine[index - 1][1] != amount]
        until = [day for day, _amount in changes[1:]] + [end]
        found = [Run(day, stop, amount) for (day, amount), stop in zip(changes, until, strict=True) if amount is not None]
        if found:
            runs[stage] = found
    return runs


def stage_marks(entries: list[Entry]) -> list[Mark]:
    """Each statement of a stage's pagu (a figure stated again too), the last of a date and stage."""
    marks = {(e.stage, e.event.basis.effective_on): Mark(e.stage, e.event.basis.effective_on, e.pagu_after[e.stage.value])
             for e in entries if e.stage is not None and e.stage.value in e.pagu_after}
    return list(marks.values())


def clusters_of(items: list[T], height: Callable[[T], float], gap: float) -> list[list[T]]:
    """The items from top to bottom, in groups whose neighbours are less than ``gap`` pixels apart
    (what would be drawn on top of each other)."""
    clusters: list[list[T]] = []
    for item in sorted(items, key=height):
        if clusters and height(item) - height(clusters[-1][-1]) < gap:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    return clusters


@dataclass(frozen=True)
class Segment:
    """A stretch of a stage's line, at the height it is drawn (pixels)."""

    start: date
    end: date
    y: float


def placed(runs: dict[Stage, list[Run]], amounts: AmountAxis) -> dict[Stage, list[Segment]]:
    """Each stage's line, moved apart from the others only where they would run on top of each
    other: in each stretch of time between two changes, stages whose heights are closer than
    LINE_GAP are spread around their middle, LINE_GAP apart."""
    edges = sorted({day for spans in runs.values() for run in spans for day in (run.start, run.end)})
    segments: dict[Stage, list[Segment]] = {stage: [] for stage in runs}
    for start, end in pairwise(edges):
        heights = [(amounts.y(run.amount), stage) for stage, spans in runs.items() for run in spans
                   if run.start <= start < run.end]
        for cluster in clusters_of(heights, lambda h: h[0], LINE_GAP):
            middle, centre = (len(cluster) - 1) / 2, sum(y for y, _stage in cluster) / len(cluster)
            for index, (_y, stage) in enumerate(cluster):
                segments[stage].append(Segment(start, end, centre + (index - middle) * LINE_GAP))
    return {stage: _joined(found) for stage, found in segments.items()}


def _joined(segments: list[Segment]) -> list[Segment]:
    """Neighbouring stretches at one height drawn as one."""
    joined: list[Segment] = []
    for segment in segments:
        if joined and joined[-1].end == segment.start and joined[-1].y == segment.y:
            joined[-1] = Segment(joined[-1].start, segment.end, segment.y)
        else:
            joined.append(segment)
    return joined


def height_on(segments: list[Segment], day: date) -> float:
    return next(s.y for s in segments if s.start <= day < s.end)


def _spread(marks: list[Mark], amounts: AmountAxis) -> dict[Mark, float]:
    """Marks that would cover each other (one date, figures a few pixels apart) set side by side."""
    shifts: dict[Mark, float] = {}
    for day in {mark.day for mark in marks}:
        on_day = [m for m in marks if m.day == day]
        for cluster in clusters_of(on_day, lambda m: amounts.y(m.amount), MARK_GAP):
            middle = (len(cluster) - 1) / 2
            shifts.update({mark: (index - middle) * MARK_GAP for index, mark in enumerate(cluster)})
    return shifts


def _grid(days: DateAxis, amounts: AmountAxis) -> list[str]:
    base = amounts.y(0)
    parts = [f'<line class="grid" x1="{LEFT}%" x2="{RIGHT}%" y1="{amounts.y(t):.1f}" y2="{amounts.y(t):.1f}"/>'
             f'<text class="amount" x="{LEFT}%" y="{amounts.y(t) - 4:.1f}">{escape(format_rupiah(t))}</text>'
             for t in amounts.ticks() if t]
    parts.append(f'<line class="axis" x1="{LEFT}%" x2="{RIGHT}%" y1="{base:.1f}" y2="{base:.1f}"/>')
    every = days.labelled_every()
    for month in days.months():
        left, right = days.x(month), days.x(next_month(month))
        parts.append(f'<line class="tick" x1="{left:.2f}%" x2="{left:.2f}%" y1="{base:.1f}" y2="{base + 6:.1f}"/>')
        major = (month.month - 1) % every == 0
        if major or every == 3:
            text = f"{short_month(month)} {month.year}" if major else short_month(month)
            parts.append(f'<text class="month{"" if major else " minor"}" x="{(left + right) / 2:.2f}%" '
                         f'y="{base + 20:.1f}">{escape(text)}</text>')
    return parts


def _lines(lines: dict[Stage, list[Segment]], days: DateAxis) -> list[str]:
    """One step line per stage: flat while its pagu holds, a riser where it changes."""
    parts = []
    for stage, segments in lines.items():
        dashed = "" if stage in PLAN_STAGES else ' stroke-dasharray="7 4"'
        drawn = []
        for before, segment in zip([None, *segments], segments, strict=False):
            drawn.append(f'<line x1="{days.x(segment.start):.2f}%" x2="{days.x(segment.end):.2f}%" '
                         f'y1="{segment.y:.1f}" y2="{segment.y:.1f}"/>')
            if before is not None and before.end == segment.start:
                drawn.append(f'<line x1="{days.x(segment.start):.2f}%" x2="{days.x(segment.start):.2f}%" '
                             f'y1="{before.y:.1f}" y2="{segment.y:.1f}"/>')
        parts.append(f'<g class="stage {stage.value}" stroke="{COLOURS[stage]}" stroke-width="2.5"{dashed}>'
                     f'{"".join(drawn)}</g>')
    return parts


def _marks(marks: list[Mark], lines: dict[Stage, list[Segment]], days: DateAxis, amounts: AmountAxis) -> list[str]:
    shifts = _spread(marks, amounts)
    return [f'<g class="mark {m.stage.value}" transform="translate({shifts[m]:.1f} 0)"><title>'
            f'{escape(m.stage.label)}, {escape(tanggal(m.day))}: Rp {escape(format_rupiah(m.amount))}</title>'
            f'<use href="#pagu-mark-{m.stage.value}" x="{days.x(m.day):.2f}%" '
            f'y="{height_on(lines[m.stage], m.day):.1f}"/></g>' for m in marks]


def _definitions() -> str:
    return "<defs>" + "".join(f'<g id="pagu-mark-{stage.value}" fill="{COLOURS[stage]}" stroke="#fff" stroke-width="1.2">'
                              f'{shape}</g>' for stage, shape in MARKS.items()) + "</defs>"


def _legend(stages: list[Stage]) -> str:
    """The stages in words (the catalog's names), each with its line and mark as drawn."""
    items = []
    for stage in stages:
        dashed = "" if stage in PLAN_STAGES else ' stroke-dasharray="7 4"'
        items.append(f'<li class="{stage.value}"><svg width="34" height="14" aria-hidden="true" focusable="false">'
                     f'<line x1="1" x2="33" y1="7" y2="7" stroke="{COLOURS[stage]}" stroke-width="2.5"{dashed}/>'
                     f'<use href="#pagu-mark-{stage.value}" x="17" y="7"/></svg>{escape(stage.label)}</li>')
    return f'<ul class="chart-legend">{"".join(items)}</ul>'


def pagu_chart(entries: list[Entry]) -> str:
    """The chart and its legend; empty when no entry states a pagu."""
    marks = stage_marks(entries)
    if not marks:
        return ""
    days = DateAxis.over([e.event.basis.effective_on for e in entries])
    runs = stage_runs(entries, days.end)
    amounts = AmountAxis.over([run.amount for spans in runs.values() for run in spans])
    label = escape(_("Pagu per stage by effective date"))
    lines = placed(runs, amounts)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" height="{HEIGHT}" role="img" '
           f'aria-label="{label}">{_definitions()}{"".join(_grid(days, amounts))}'
           f'{"".join(_lines(lines, days))}{"".join(_marks(marks, lines, days, amounts))}</svg>')
    return svg + _legend(list(runs))
