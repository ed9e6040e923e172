"""Record 10M latencies and read p50/p95/p99/p99.9 from Python: fleetops' batch call (float64
and uint64 columns) against numpy's percentile on the same array and the `hdrhistogram`
package (HdrHistogram's Python port), round-robin. Run with benches/run."""

from __future__ import annotations

import numpy as np
from hdrh.histogram import HdrHistogram
from measure import Row, rounds

import fleetops

N = 10_000_000
N_PORT = 200_000  # the pure-Python port records ~1M/s
PS = (50, 95, 99, 99.9)
rng = np.random.default_rng(11)
latencies = rng.lognormal(mean=4.5, sigma=0.6, size=N)  # ms, median ~90 ms
whole_ms = np.rint(latencies).astype(np.uint64)
port_micros = np.rint(latencies[:N_PORT] * 1000).astype(np.int64).tolist()


def fleetops_batch(column: np.ndarray) -> list[float | None]:
    h = fleetops.LatencyHistogram()
    h.record_batch(column)
    return [h.percentile(p) for p in PS]


def port_loop() -> list[float]:
    h = HdrHistogram(1, 3_600_000_000, 3)
    record = h.record_value
    for v in port_micros:
        record(v)
    return [h.get_value_at_percentile(p) / 1000 for p in PS]


ours, exact = fleetops_batch(latencies), np.percentile(latencies, PS)
assert all(abs(o - e) <= e * 0.001 + 0.001 for o, e in zip(ours, exact, strict=True) if o is not None), (ours, exact)
rounds(
    [
        Row("fleetops LatencyHistogram.record_batch(float64)", lambda: fleetops_batch(latencies), N),
        Row("fleetops LatencyHistogram.record_batch(uint64 ms)", lambda: fleetops_batch(whole_ms), N),
        Row("numpy percentile(p50/95/99/99.9), same array", lambda: np.percentile(latencies, PS), N),
        Row(f"hdrhistogram port record_value loop ({N_PORT // 1000}k)", port_loop, N_PORT),
    ]
)
