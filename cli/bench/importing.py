"""Timing the bench's import: the synthetic ledger written through the application, with the
library's own save run between its chunks (cli.bench.references.LibraryReference), so that
both meet the same machine load and the same database size; and the process's memory."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, text

from cli.bench.references import Figure
from cli.bench.synthetic import generate
from events_store.tables import events_table, stored_events_id_column
from ledger.application import RenjaLedger

console = Console()
CHUNKS = 6  # the import is timed in this many chunks, each followed by the library's save of as many events

# Between two chunks of the import: (events of the chunk, events per transaction in it) -> the
# reference's figure for as many events, measured there and then.
Interleave = Callable[[int, int], Figure]


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the peak is the best we have
        return maxrss_mb()


def maxrss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


@dataclass(frozen=True)
class Mark:
    """Where a stretch of the import began: events and saves so far, the clocks, and the time
    spent until then outside the import (the progress bar, the reference's runs)."""

    events: int
    saves: int
    wall: float
    cpu: float
    paused: float
    paused_cpu: float


def measure_import(app: RenjaLedger, events: int, seed: int, reference: Interleave | None = None) -> dict[str, Any]:
    """The import, timed without its progress bar and without the reference runs between its
    chunks. Samples (events so far, RSS MB, events/s since the last sample) at every tenth;
    chunks (the ledger's events/s and CPU s, then the library's, for the same events)."""
    samples: list[tuple[int, float, float]] = []
    chunks: list[dict[str, Any]] = []
    done, saves, paused, paused_cpu = 0, 0, 0.0, 0.0
    every, chunk_every = max(1, events // 10), max(1, -(-events // CHUNKS))
    columns = (TextColumn("generating synthetic ledger"), BarColumn(), MofNCompleteColumn(), TextColumn("events"),
               TimeElapsedColumn())
    started, started_cpu = time.perf_counter(), time.process_time()  # (starting the bar takes a millisecond at most)
    sample = chunk = Mark(0, 0, started, started_cpu, 0.0, 0.0)
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("generate", total=events)

        def on_saved(count: int) -> None:
            nonlocal done, saves, paused, paused_cpu, sample, chunk
            now, cpu = time.perf_counter(), time.process_time()
            done, saves = done + count, saves + 1
            if (done - count) // every != done // every:
                rate = (done - sample.events) / (now - sample.wall - (paused - sample.paused))
                samples.append((done, round(rss_mb(), 1), round(rate, 1)))
                sample = Mark(done, saves, now, cpu, paused, paused_cpu)
            ended = (done - count) // chunk_every != done // chunk_every
            if ended:
                close_chunk(now, cpu)
            progress.advance(task, count)
            paused += time.perf_counter() - now
            paused_cpu += time.process_time() - cpu
            if ended:  # the next chunk starts now
                chunk = Mark(done, saves, time.perf_counter(), time.process_time(), paused, paused_cpu)

        def close_chunk(now: float, cpu: float) -> None:
            """Time the ledger's chunk that ends now, then run the library's save of as many events."""
            if reference is None or done == chunk.events:
                return
            count_in, wall = done - chunk.events, now - chunk.wall - (paused - chunk.paused)
            own_cpu = cpu - chunk.cpu - (paused_cpu - chunk.paused_cpu)
            per_transaction = max(1, round(count_in / max(1, saves - chunk.saves)))
            library = reference(count_in, per_transaction)
            chunks.append({"events": count_in, "events_per_s": round(count_in / wall, 1), "cpu_seconds": round(own_cpu, 3),
                           "per_transaction": per_transaction, "library": library.to_json()})

        generated = generate(app, events=events, seed=seed, on_saved=on_saved)
        seconds = time.perf_counter() - started - paused
        cpu_seconds = time.process_time() - started_cpu - paused_cpu
        close_chunk(time.perf_counter(), time.process_time())  # the last whole plans, past the last boundary
    growth = samples[-1][1] - samples[0][1] if samples else 0.0
    return {"events": generated.events, "plans": generated.plans, "lines": generated.lines,
            "units_of_work": generated.units_of_work, "seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3),
            "events_per_s": round(generated.events / seconds, 1), "samples": samples,
            "rss_growth_mb": round(growth, 1), "maxrss_mb": round(maxrss_mb(), 1), "chunks": chunks}


def chunk_ratios(chunks: list[dict[str, Any]]) -> dict[str, float]:
    """The import against the library, chunk by chunk: the median of the ratios (wall and CPU)."""
    if not chunks:
        return {"wall": 0.0, "cpu": 0.0}
    wall = [c["events_per_s"] / max(c["library"]["per_second"], 1e-9) for c in chunks]
    cpu = [(c["library"]["cpu_seconds"] / c["library"]["count"]) / max(c["cpu_seconds"] / c["events"], 1e-12)
           for c in chunks]
    return {"wall": statistics.median(wall), "cpu": statistics.median(cpu)}


def mean_state_bytes(engine: Engine, after: int = 0) -> tuple[int, int]:
    """The mean size of the stored events after notification ``after``, and the last id."""
    length = "octet_length" if engine.dialect.name == "postgresql" else "length"
    column = stored_events_id_column(engine)
    with engine.connect() as connection:
        mean, last = connection.execute(text(f"SELECT AVG({length}(state)), MAX({column}) FROM {events_table(engine)} "
                                             f"WHERE {column} > :after"), {"after": after}).one()
    return round(mean or 0), int(last or after)
