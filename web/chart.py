"""A line's pagu per stage over valid time, as a small server-rendered SVG (no JavaScript)."""

from __future__ import annotations

from html import escape

from ledger.basis import Stage
from ledger.money import format_rupiah
from projections.history import Entry

COLOURS = {Stage.RKPD: "#7f7f7f", Stage.KEBUTUHAN: "#2e75b6", Stage.MURNI: "#548235", Stage.PERUBAHAN: "#c55a11",
           Stage.PRAKIRAAN_MAJU: "#7030a0"}
WIDTH, HEIGHT, LEFT, BOTTOM = 640, 220, 110, 30


def pagu_chart(entries: list[Entry]) -> str:
    """One step line per stage: each point is an event that set the stage's pagu, on its effective date."""
    points = [(e.event.basis.effective_on, e.stage, e.pagu_after.get(e.stage.value)) for e in entries
              if e.stage is not None and e.pagu_after.get(e.stage.value) is not None]
    if not points:
        return ""
    days = [p[0].toordinal() for p in points]
    amounts = [int(p[2]) for p in points if p[2] is not None]
    low_day, high_day = min(days), max(days) + 1
    top = max(amounts) or 1

    def x(day: int) -> float:
        return LEFT + (day - low_day) / (high_day - low_day) * (WIDTH - LEFT - 20)

    def y(amount: int) -> float:
        return 10 + (1 - amount / top) * (HEIGHT - BOTTOM - 10)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img" '
             f'aria-label="Pagu per tahap menurut tanggal berlaku" class="chart">',
             f'<text x="4" y="16" font-size="10">Rp {escape(format_rupiah(top))}</text>',
             f'<text x="4" y="{HEIGHT - BOTTOM}" font-size="10">0</text>',
             f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 10}" y2="{HEIGHT - BOTTOM}" stroke="#000"/>']
    for index, stage in enumerate(s for s in Stage if any(p[1] is s for p in points)):
        mine = [(p[0].toordinal(), int(p[2])) for p in points if p[1] is stage and p[2] is not None]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(d):.1f},{y(a):.1f}" for i, (d, a) in enumerate(mine))
        colour = COLOURS.get(stage, "#000")
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x(d):.1f}" cy="{y(a):.1f}" r="3" fill="{colour}"><title>{escape(stage.label)}: Rp '
                  f'{escape(format_rupiah(a))}</title></circle>' for d, a in mine]
        parts.append(f'<text x="{LEFT + 4 + index * 110}" y="{HEIGHT - 8}" font-size="10" fill="{colour}">'
                     f'{escape(stage.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
