"""One call from Python: what a single fleetops call costs, beside a C builtin call (`dict.get`
on a one-key dict, the floor any extension call has) in the same run. 200k calls a row,
round-robin, median of 5 with min-max, in ns per call. Run with benches/run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import fleetops

N = 200_000
NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
LAST = datetime(2026, 11, 22, 7, 42, tzinfo=UTC)
EPOCH_NOW, EPOCH_LAST = NOW.timestamp(), LAST.timestamp()
policy = fleetops.FreshnessPolicy.runbook()
detector = fleetops.StormDetector()
histogram = fleetops.LatencyHistogram()
builtin = {"k": 1}
LABELS = {"alertname": "temp", "vehicle": "truck-7"}  # built once: the row measures the call


def loop(call: object) -> None:
    f = call  # a local: the loop measures the call, not a global lookup
    for _ in range(N):
        f()  # type: ignore[operator]


def observe() -> None:
    t = EPOCH_NOW
    for i in range(N):
        detector.observe("truck-7", t + i * 0.001, now=t + i * 0.001)


ROWS: list[tuple[str, Callable[[], None]]] = [
    ("builtin dict.get (the floor)", lambda: loop(lambda: builtin.get("k"))),
    ("FreshnessPolicy.classify(datetime)", lambda: loop(lambda: policy.classify(LAST, now=NOW))),
    ("FreshnessPolicy.classify(epoch)", lambda: loop(lambda: policy.classify(EPOCH_LAST, now=EPOCH_NOW))),
    ("StormDetector.observe", observe),
    ("fingerprint(labels)", lambda: loop(lambda: fleetops.fingerprint(LABELS))),
    ("LatencyHistogram.record", lambda: loop(lambda: histogram.record(120.0))),
]
RUNS = 5
ns: dict[str, list[float]] = {name: [] for name, _ in ROWS}
for _ in range(RUNS):
    for name, run in ROWS:
        start = time.perf_counter()
        run()
        ns[name].append((time.perf_counter() - start) / N * 1e9)
floor = statistics.median(ns[ROWS[0][0]])
for name, xs in ns.items():
    m = statistics.median(xs)
    print(f"python  {name:<40} {m:>8.0f} ns/call (min {min(xs):.0f}, max {max(xs):.0f})  {m / floor:>6.1f}x the floor")
