"""Timing and memory: percentiles of a list of durations, and a process's peak memory."""

from __future__ import annotations

import math
import resource
import time
from collections.abc import Callable, Iterable
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at
    or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def latency_summary(milliseconds: list[float]) -> dict:
    return {
        "count": len(milliseconds),
        "p50_ms": percentile(milliseconds, 0.50),
        "p95_ms": percentile(milliseconds, 0.95),
        "p99_ms": percentile(milliseconds, 0.99),
        "mean_ms": sum(milliseconds) / len(milliseconds),
        "max_ms": max(milliseconds),
    }


def milliseconds(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    outcome = action()
    return (time.perf_counter() - started) * 1000, outcome


def timed_each(actions: Iterable[Callable[[], object]]) -> list[float]:
    return [milliseconds(action)[0] for action in actions]


def peak_rss_megabytes() -> float:
    """The most resident memory this process has used so far (VmHWM), in MB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
