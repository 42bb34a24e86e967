"""Timing helpers: a warm-up, then the median of several runs within a time budget."""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    median_ms: float
    runs_ms: tuple[float, ...]

    @property
    def runs(self) -> int:
        return len(self.runs_ms)


def measure(
    fn: Callable[[], object],
    repeat: int = 5,
    budget_s: float = 30.0,
    warmup: int = 1,
    before: Callable[[], object] | None = None,
    min_time_s: float = 1.0,
    max_runs: int = 25,
) -> Timing:
    """Median wall time of ``fn`` after ``warmup`` untimed calls.

    At least ``repeat`` timed runs; fast calls run on (up to ``max_runs``) until the runs
    add up to ``min_time_s``, so that a busy machine's noise is outvoted. Stops early when
    the timed runs have used ``budget_s`` (at least one run always), so a slow path at L
    still finishes. ``before`` runs untimed before each call (e.g. clearing a cache).
    """
    for _ in range(warmup):
        if before:
            before()
        fn()
    runs: list[float] = []
    spent = 0.0

    def more() -> bool:
        if not runs:
            return True
        if spent >= budget_s:
            return False
        return len(runs) < repeat or (spent < min_time_s and len(runs) < max_runs)

    while more():
        if before:
            before()
        gc.collect()
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        spent += elapsed
        runs.append(elapsed * 1000.0)
    return Timing(round(statistics.median(runs), 2), tuple(round(r, 2) for r in runs))


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round(peak / divisor, 1)
