"""The bench's SIPD case: `renja sipd sync` of a synthetic wp-sipd snapshot (cli.bench.sipd_snapshot)
of ``rows`` data_rka rows, in a fresh ledger database of the bench's kind, timed as a user meets
it (the command through the application, reading the CSV folder):

* ``first``: the first sync of the sub-unit (every line, figure and komponen new);
* ``changed``: a later snapshot where 1% of the komponen changed since the one before (the usual
  sync), ``REPEATS`` times, each its own later snapshot; the median is the figure;
* ``unchanged``: the last snapshot again (nothing changes, nothing is written), ``REPEATS`` times.

Memory is the process's resident set: its peak during each sync (Linux: the high-water mark reset
before each sync), against the resident set before the first sync, and what stays after each (the
allocator's free memory handed back first), with Python's count of allocated blocks."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from cli.bench.references import scratch_database
from cli.bench.sipd_snapshot import TAHUN, UNIT_NAMA, SipdShape, changed_komponen, write_snapshot
from events_store.config import StoreConfig
from ledger.application.commands import SyncSipd
from ledger.application.sipd.stated import SipdStage
from ledger.basis import Source
from projections.system import System, open_system

SIPD_ROWS = 50_000  # issue 25: a sync of 50,000 data_rka rows
REPEATS = 3
CHANGED = 0.01  # the share of komponen a usual later sync finds changed
FIRST_INSTANT = datetime(2025, 1, 10, 9, 0, 0)


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Reset the process's resident high-water mark (Linux); False where it cannot be."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def rss_now_mb() -> float:
    return _status_mb("VmRSS") or peak_mb()


def peak_mb() -> float:
    """The resident high-water mark since the last reset (else since the process started)."""
    found = _status_mb("VmHWM")
    if found is not None:
        return found
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def release_free_memory() -> None:
    """Collect, then hand the allocator's free memory back to the system (glibc ``malloc_trim``), so
    that the resident set after a sync is what the process still holds, not free arenas."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back this way
        ctypes.CDLL(None).malloc_trim(0)


def measure_sipd(store: StoreConfig, near: Path | None, rows: int, seed: int, user: str,
                 settle: Callable[[Engine], float]) -> dict[str, Any]:
    shape = SipdShape.for_rows(rows)
    folder = Path(tempfile.mkdtemp(prefix="renja-bench-sipd-", dir=near))
    try:
        first = write_snapshot(folder / "0", shape, seed, FIRST_INSTANT)
        later = [write_snapshot(folder / str(n), shape, seed, FIRST_INSTANT + timedelta(days=7 * n),
                                changed_komponen(shape, seed, CHANGED, n)) for n in range(1, REPEATS + 1)]
        with scratch_database(store, near) as scratch:
            ledger = open_system(scratch, user=None if scratch.is_postgres else user)
            try:
                release_free_memory()
                can_reset, base = reset_peak(), rss_now_mb()
                syncs = [_sync(ledger, first, "first", shape, base)]
                settle(ledger.engine)  # PostgreSQL: analyzed after the bulk write, as autovacuum soon does
                syncs += [_sync(ledger, snapshot, "changed", shape, base) for snapshot in later]
                syncs += [_sync(ledger, later[-1], "unchanged", shape, base) for _ in range(REPEATS)]
            finally:
                ledger.engine.dispose()
                ledger.app.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"rows": shape.rows, "sub_kegiatan": shape.subs, "accounts": shape.subs * shape.accounts,
            "shape": f"{shape.subs} sub-kegiatan x {shape.accounts} accounts x {shape.komponen} komponen",
            "changed_share": CHANGED, "rss_base_mb": round(base, 1), "peak_reset": can_reset,
            "figures": sipd_figures(syncs, shape.rows), "syncs": syncs}


def _sync(ledger: System, snapshot: Path, what: str, shape: SipdShape, base: float) -> dict[str, Any]:
    command = SyncSipd(opd=UNIT_NAMA, tahun=TAHUN, source=Source(command="renja bench (SIPD case)"),
                       location=str(snapshot), stage=SipdStage.MURNI)
    before = rss_now_mb()
    reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    events = ledger.app.handle(command)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_mb()
    count, types = len(events), dict(sorted(Counter(type(event).__name__ for event in events).items()))
    del command, events
    release_free_memory()
    return {"what": what, "snapshot": snapshot.name, "events": count, "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu_seconds, 3), "rows_per_s": round(shape.rows / seconds, 1),
            "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak, 1),
            "peak_growth_mb": round(peak - base, 1), "rss_after_mb": round(rss_now_mb(), 1),
            # Python's own heap after the sync (sys.getallocatedblocks): flat from sync to sync, or a leak.
            "python_blocks_after": sys.getallocatedblocks(), "event_types": types}


def sipd_figures(syncs: list[dict[str, Any]], rows: int) -> dict[str, float]:
    """Per case: rows/s and seconds (the median of its syncs), the peak's growth over the resident
    set before the first sync (the largest of its syncs) and that growth per data_rka row."""
    figures: dict[str, float] = {}
    for what in ("first", "changed", "unchanged"):
        mine = [sync for sync in syncs if sync["what"] == what]
        seconds = statistics.median(sync["seconds"] for sync in mine)
        growth = max(sync["peak_growth_mb"] for sync in mine)
        figures |= {f"{what}_rows_per_s": round(rows / seconds, 1), f"{what}_seconds": round(seconds, 3),
                    f"{what}_cpu_seconds": round(statistics.median(sync["cpu_seconds"] for sync in mine), 3),
                    f"{what}_events": mine[-1]["events"], f"{what}_peak_growth_mb": growth,
                    f"{what}_kb_per_row": round(growth * 1024 / rows, 2)}
    # Memory flat: what the process holds after the last sync against after the second (the first
    # sync of a plan that holds the lines already), in resident MB and in Python's allocated blocks.
    second = syncs[1 if len(syncs) > 1 else 0]
    figures["retained_growth_mb"] = round(syncs[-1]["rss_after_mb"] - second["rss_after_mb"], 1)
    figures["python_blocks_growth"] = syncs[-1]["python_blocks_after"] - second["python_blocks_after"]
    figures["peak_rss_mb"] = max(sync["peak_rss_mb"] for sync in syncs)
    return figures
