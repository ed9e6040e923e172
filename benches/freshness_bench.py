"""Classify 1M (table, age) pairs from Python: fleetops' batch call vs the same loop in pure Python.

Run with benches/run (builds the release binding first)."""

from __future__ import annotations

import time

import numpy as np

import fleetops

N = 1_000_000
ages = np.random.default_rng(7).uniform(0, 172_800, N)
ages_list = ages.tolist()
policy = fleetops.FreshnessPolicy.runbook()


def pure_python(values: list[float]) -> list[str]:
    """What a DAG author would write by hand: the runbook's tiers as an if-chain."""
    out = []
    append = out.append
    for age in values:
        if age < -300:
            append("FUTURE")
        elif age <= 3600:
            append("EXCELLENT")
        elif age <= 21600:
            append("GOOD")
        elif age <= 43200:
            append("ACCEPTABLE")
        else:
            append("POOR")
    return out


def best_of(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


assert policy.classify_ages(ages) == pure_python(ages_list), "fleetops and the pure loop disagree"
names = policy.class_names
assert [names[c] for c in policy.classify_age_codes(ages)] == pure_python(ages_list)
rows = [
    ("python  fleetops classify_age_codes(numpy)", best_of(lambda: policy.classify_age_codes(ages))),
    ("python  fleetops classify_ages(numpy)", best_of(lambda: policy.classify_ages(ages))),
    ("python  fleetops classify_ages(list) ", best_of(lambda: policy.classify_ages(ages_list))),
    ("python  pure-Python if-chain loop    ", best_of(lambda: pure_python(ages_list))),
]
base = rows[-1][1]
for name, secs in rows:
    print(f"{name}  {N / secs / 1e6:>7.1f} M events/s  {secs * 1e3:>7.1f} ms  x{base / secs:>5.1f} vs pure")
