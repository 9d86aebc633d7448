"""The bench's one summary of timed samples: count, median, 95th percentile, maximum and mean."""

from __future__ import annotations

import statistics


def ms_stats(samples: list[float]) -> dict[str, float]:
    """The samples' summary; there must be some (zeros would pass every "at most" target). The
    95th percentile is the sample at that rank (nearest rank), not an interpolation."""
    if not samples:
        raise ValueError("no samples to summarize")
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(samples), "p50": round(statistics.median(ordered), 3), "p95": round(p95, 3),
            "max": round(ordered[-1], 3), "mean": round(statistics.fmean(ordered), 3)}
