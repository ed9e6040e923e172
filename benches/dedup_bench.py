"""Batch keep-first on 10M u64 keys with ~20 % duplicates from Python: fleetops (numpy input,
read in place) vs polars `unique(maintain_order=True)`, pandas `drop_duplicates` and a `set`
loop; plus the streaming Deduper. Run with benches/run."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import polars as pl

import fleetops

N = 10_000_000
N_SET = 2_000_000  # the set loop runs ~2M/s; 10M would take a while and say nothing new
rng = np.random.default_rng(5)
keys = rng.integers(0, 2**63, size=N, dtype=np.uint64)
repeat = np.flatnonzero(rng.random(N) < 0.2)
repeat = repeat[repeat > 0]
keys[repeat] = keys[(rng.random(repeat.size) * repeat).astype(np.int64)]


def best(fn, runs=3):
    out, times = None, []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def set_loop(values):
    seen, keep = set(), []
    add = seen.add
    for v in values:
        if v in seen:
            keep.append(False)
        else:
            add(v)
            keep.append(True)
    return keep


t_ours, mask = best(lambda: fleetops.dedup_mask(keys))
t_polars, uniq = best(lambda: pl.Series(keys).unique(maintain_order=True))
t_pandas, _ = best(lambda: pd.Series(keys).drop_duplicates(keep="first"))
t_set, _ = best(lambda: set_loop(keys[:N_SET].tolist()), runs=1)
kept = int(np.frombuffer(mask, dtype=bool).sum())
assert kept == len(uniq), (kept, len(uniq))


def line(name, secs, n=N, extra=""):
    print(f"python  {name:<44} {n / secs / 1e6:>7.1f} M keys/s  {extra}")


line("fleetops dedup_mask(numpy uint64)", t_ours, extra=f"{t_polars / t_ours:.1f}x polars")
line("polars Series.unique(maintain_order=True)", t_polars)
line("pandas Series.drop_duplicates(keep='first')", t_pandas)
line(f"python set loop ({N_SET // 1_000_000}M)", t_set, N_SET)

# Streaming: 10M events, 10 per ms of event time, 20-minute horizon.
times = 1_763_798_400.0 + np.arange(N) / 10_000.0
d = fleetops.Deduper("20m")
start = time.perf_counter()
codes = d.observe_batch(keys, times)
t_stream = time.perf_counter() - start
s = d.stats()
print(f"python  fleetops Deduper.observe_batch (stream)        {N / t_stream / 1e6:>7.1f} M events/s  "
      f"{s['live_keys'] / 1e6:.1f}M keys held, {s['memory_bytes'] / s['live_keys']:.1f} B/key")
