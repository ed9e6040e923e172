"""Classify 1M (table, age) pairs from Python: fleetops' batch call vs the same loop in pure Python,
round-robin, median of 5 with min-max. Run with benches/run (builds the release binding first)."""

from __future__ import annotations

import numpy as np
from measure import Row, rounds

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


assert policy.classify_ages(ages) == pure_python(ages_list), "fleetops and the pure loop disagree"
names = policy.class_names
assert [names[c] for c in policy.classify_age_codes(ages)] == pure_python(ages_list)
rounds(
    [
        Row("fleetops classify_age_codes(numpy)", lambda: policy.classify_age_codes(ages), N),
        Row("fleetops classify_ages(numpy)", lambda: policy.classify_ages(ages), N),
        Row("fleetops classify_ages(list)", lambda: policy.classify_ages(ages_list), N),
        Row("pure-Python if-chain loop", lambda: pure_python(ages_list), N),
    ]
)
