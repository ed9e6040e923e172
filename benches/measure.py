"""Shared by the Python benchmarks: contenders run round-robin (each run of each sees the same
machine state), and every row reports its median rate with the min-max of the runs and its
ratio to the first contender's median. Best-of-N would hide the spread."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

RUNS = 5


@dataclass
class Row:
    name: str
    run: Callable[[], object]
    events: int
    unit: str = "events"


def rounds(rows: list[Row], runs: int = RUNS) -> dict[str, float]:
    """Runs every row `runs` times round-robin, prints each, returns the median rates."""
    rates: dict[str, list[float]] = {r.name: [] for r in rows}
    for _ in range(runs):
        for r in rows:
            start = time.perf_counter()
            r.run()
            rates[r.name].append(r.events / (time.perf_counter() - start))
    medians = {name: statistics.median(xs) for name, xs in rates.items()}
    first = medians[rows[0].name]
    for r in rows:
        xs = rates[r.name]
        print(
            f"python  {r.name:<50} {medians[r.name] / 1e6:>8.1f} M {r.unit}/s "
            f"(min {min(xs) / 1e6:.1f}, max {max(xs) / 1e6:.1f})  {first / medians[r.name]:>7.2f}x as fast: fleetops"
            if r is not rows[0]
            else f"python  {r.name:<50} {medians[r.name] / 1e6:>8.1f} M {r.unit}/s "
            f"(min {min(xs) / 1e6:.1f}, max {max(xs) / 1e6:.1f})  median of {runs}"
        )
    return medians
