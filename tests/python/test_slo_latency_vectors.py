"""Every case of tests/vectors/slo_latency.json through fleetops.LatencyHistogram."""

from __future__ import annotations

from typing import Any

import fleetops
import numpy as np
import pytest
from conftest import check_case, checked, load_cases

CASES = load_cases("slo_latency.json")


def values(case: dict[str, Any], key: str) -> np.ndarray:
    return np.array([float("nan") if v == "NaN" else v for v in case.get(key, [])], dtype=np.float64)


def run(case: dict[str, Any]) -> dict[str, Any]:
    h = fleetops.LatencyHistogram(max_ms=case.get("max_ms"), significant_figures=case.get("significant_figures"))
    h.record_batch(values(case, "latencies"))
    if "merge_with" in case:
        other = fleetops.LatencyHistogram(
            max_ms=case.get("max_ms"), significant_figures=case.get("merge_significant_figures")
        )
        other.record_batch(values(case, "merge_with"))
        h.merge(other)
    if case.get("round_trip"):
        h = fleetops.LatencyHistogram.from_bytes(h.to_bytes())
    if "restore" in case:
        h = fleetops.LatencyHistogram.from_bytes(case["restore"].encode())
    out: dict[str, Any] = {**checked("LatencyHistogram.summary", h.summary())}
    if "threshold_ms" in case:
        out["fraction_under"] = h.fraction_under(case["threshold_ms"])
    if "percentile" in case:
        out["percentile"] = h.percentile(case["percentile"])
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    check_case(case, run)


def test_record_one_at_a_time_matches_the_batch() -> None:
    one, batch = fleetops.LatencyHistogram(), fleetops.LatencyHistogram()
    for v in (120.0, 800.0, 3.5):
        one.record(v)
    batch.record_batch([120.0, 800.0, 3.5])
    assert one.to_bytes() == batch.to_bytes()
    assert one.count == 3


def test_a_failed_batch_records_nothing() -> None:
    h = fleetops.LatencyHistogram()
    h.record(1.0)
    with pytest.raises(fleetops.InvalidDurationError, match="index 2"):
        h.record_batch(np.array([1.0, 2.0, -3.0]))
    assert h.count == 1
