"""The read replica under a steady import (issue 28): how far a hot standby of the bench's
PostgreSQL ledger falls behind while the import writes, and how long it takes to catch up after.

A thread asks the standby its lag (``System.replica_lag``: WAL the primary has written that the
standby has not replayed, and for how long it has been behind) every ``EVERY`` seconds while the
import runs; once the import has returned, the bench waits for the standby to replay everything
the import committed and times that.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cli.bench.stats import ms_stats
from events_store.replica import ReplicaLag
from projections.system import System

EVERY = 0.25  # seconds between two samples
CATCH_UP_LIMIT = 600.0  # seconds the bench waits for the standby after the import, at most


class LagSampler:
    """Samples of the standby's lag, taken by a thread until ``stop``."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.samples: list[ReplicaLag] = []
        self.errors = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="replica-lag", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(EVERY):
            try:
                found = self.system.replica_lag()
            except Exception:  # a sample lost (the standby restarting) is counted, not fatal to the import
                self.errors += 1
                continue
            if found is not None:
                self.samples.append(found)

    def figures(self, catch_up_s: float | None) -> dict[str, Any]:
        """The lag's summary; None for an import too short for a sample."""
        taken = bool(self.samples)
        return {"samples": len(self.samples), "failed_samples": self.errors,
                "behind_kb": ms_stats([sample.behind_bytes / 1024 for sample in self.samples]) if taken else None,
                # a sample that is not behind has no time behind: it counts as 0 s
                "behind_s": ms_stats([sample.seconds or 0.0 for sample in self.samples]) if taken else None,
                "catch_up_s": catch_up_s}


@contextmanager
def sampled_lag(system: System | None) -> Iterator[LagSampler | None]:
    """Samples the replica's lag for the length of the block (None when the bench has no replica)."""
    if system is None or system.read_store is None:
        yield None
        return
    assert system.replica is not None  # opened here, before the thread asks for it
    sampler = LagSampler(system)
    sampler.start()
    try:
        yield sampler
    finally:
        sampler.stop()


def catch_up_seconds(system: System) -> float | None:
    """How long the standby takes, from now, to replay everything committed so far (None when
    it has not within ``CATCH_UP_LIMIT``)."""
    started = time.perf_counter()
    behind = system.written_through(CATCH_UP_LIMIT)
    return round(time.perf_counter() - started, 3) if behind is None else None
