"""De-duplication from Python. Batch keep-first on 10M u64 keys with ~20 % duplicates:
fleetops (numpy input, read in place) vs polars `unique(maintain_order=True)`, pandas
`drop_duplicates` and a `set` loop. Streaming: 10M events with repeats, late events (two hours
behind, past the 20-minute horizon) and events from the future (an hour ahead of `now`),
through the Deduper from empty (sized up front by `expected_keys`, and growing) vs a dict loop
that judges the same three cases. Round-robin, median of 5 with min-max. Run with benches/run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
from measure import Row, rounds

import fleetops

N = 10_000_000
N_LOOP = 1_000_000  # the pure loops run ~1-3M/s
HORIZON = 1_200.0
rng = np.random.default_rng(5)
keys = rng.integers(0, 2**63, size=N, dtype=np.uint64)
repeat = np.flatnonzero(rng.random(N) < 0.2)
repeat = repeat[repeat > 0]
keys[repeat] = keys[(rng.random(repeat.size) * repeat).astype(np.int64)]

times = 1_763_798_400.0 + np.arange(N) / 10_000.0  # 10 events per ms
late = rng.random(N) < 0.01
times[late] -= 7_200.0
future = rng.random(N) < 0.005
now = float(times[~future].max())
times[future] = now + 3_600.0
loop_keys, loop_times = keys[:N_LOOP].tolist(), times[:N_LOOP].tolist()
loop_now = max(t for t, f in zip(loop_times, future[:N_LOOP], strict=True) if not f)


def set_loop() -> list[bool]:
    seen: set[int] = set()
    keep = []
    add = seen.add
    for v in loop_keys:
        if v in seen:
            keep.append(False)
        else:
            add(v)
            keep.append(True)
    return keep


def dict_stream() -> list[int]:
    """First-seen per key with a horizon, the watermark, late and future events."""
    first: dict[int, float] = {}
    watermark = float("-inf")
    out = []
    for k, t in zip(loop_keys, loop_times, strict=True):
        if t > loop_now + 300.0:
            out.append(3)
        elif t < watermark - HORIZON:
            out.append(2)
        else:
            watermark = max(watermark, t)
            t0 = first.get(k)
            if t0 is not None and t - t0 <= HORIZON:
                out.append(1)
            else:
                first[k] = t
                out.append(0)
    return out


def stream(**kw: int) -> bytes:
    return fleetops.Deduper("20m", **kw).observe_batch(keys, times, now=now)


mask = fleetops.dedup_mask(keys)
assert int(np.frombuffer(mask, dtype=bool).sum()) == len(pl.Series(keys).unique())
codes = np.frombuffer(stream(expected_keys=N), dtype=np.uint8)
counts = {name: int((codes == i).sum()) for i, name in enumerate(fleetops.DEDUP_OUTCOMES)}
print(f"python  stream outcomes: {counts}")
rounds(
    [
        Row("fleetops dedup_mask(numpy uint64)", lambda: fleetops.dedup_mask(keys), N, "keys"),
        Row("polars Series.unique(maintain_order=True)", lambda: pl.Series(keys).unique(maintain_order=True), N, "keys"),
        Row("pandas Series.drop_duplicates(keep='first')", lambda: pd.Series(keys).drop_duplicates(), N, "keys"),
        Row(f"python set loop ({N_LOOP // 1_000_000}M)", set_loop, N_LOOP, "keys"),
    ]
)
rounds(
    [
        Row("fleetops Deduper.observe_batch, expected_keys=10M", lambda: stream(expected_keys=N), N),
        Row("fleetops Deduper.observe_batch, growing from empty", stream, N),
        Row(f"python dict first-seen loop ({N_LOOP // 1_000_000}M)", dict_stream, N_LOOP),
    ]
)
d = fleetops.Deduper("20m", expected_keys=N)
d.observe_batch(keys, times, now=now)
s = d.stats()
print(f"python  Deduper memory: {s['live_keys'] / 1e6:.1f}M keys held, {s['memory_bytes'] / s['live_keys']:.1f} B/key")
