"""10M alerts over 100k keys through the storm detector from Python: fleetops'
StormDetector.observe_batch (numpy ids and times, one call) vs the dict + deque sliding
window a user would write. The data storms: in every other stretch of 1M alerts, 20 keys take
three alerts in ten, so storms start, last and end (the count is printed). Run with
benches/run."""

from __future__ import annotations

from collections import deque

import numpy as np
from measure import Row, rounds

import fleetops

N = 10_000_000
N_LOOP = 1_000_000  # the pure loop runs ~1M/s
WINDOW, ENTER = 300.0, 20  # the detector's defaults (5 min, more than 20 alerts)
rng = np.random.default_rng(3)
ids = rng.integers(20, 100_020, size=N, dtype=np.uint64)
i = np.arange(N)
storming = ((i // 1_000_000) % 2 == 0) & (i % 10 < 3)
ids[storming] = (i[storming] % 20).astype(np.uint64)
times = 1_763_798_400.0 + i * 0.06  # one alert per 60 ms: a week
loop_ids, loop_times = ids[:N_LOOP].tolist(), times[:N_LOOP].tolist()


def loop() -> list[int]:
    windows: dict[int, deque[float]] = {}
    out = []
    for k, t in zip(loop_ids, loop_times, strict=True):
        w = windows.get(k)
        if w is None:
            w = windows[k] = deque()
        w.append(t)
        while w[0] <= t - WINDOW:
            w.popleft()
        out.append(1 if len(w) > ENTER else 0)
    return out


def ours() -> fleetops.StormDetector:
    d = fleetops.StormDetector()
    d.observe_batch(ids, times)
    return d


d = fleetops.StormDetector()
codes, events = d.observe_batch(ids, times)
kinds = [e["event"] for e in events]
suppressed = int(np.count_nonzero(np.frombuffer(codes, dtype=np.uint8) == 1))
print(
    f"python  data: {kinds.count('storm_started')} storms started, {kinds.count('storm_ended')} ended, "
    f"{suppressed} alerts suppressed; {d.memory_bytes / d.stats()['tracked_keys']:.0f} B/key"
)
rounds(
    [
        Row("fleetops StormDetector.observe_batch(numpy)", ours, N),
        Row(f"dict + deque sliding-window loop ({N_LOOP // 1_000_000}M)", loop, N_LOOP),
    ]
)
