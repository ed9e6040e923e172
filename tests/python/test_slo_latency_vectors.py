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


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "uint64", "int32", "uint32"])
def test_every_numeric_dtype_is_read_in_place_as_whole_milliseconds(dtype: str) -> None:
    # Past the batched path's threshold (one value per bucket), with values past the maximum.
    ms = (np.arange(60_000) * 977) % 4_000_000
    expected = fleetops.LatencyHistogram()
    expected.record_batch(ms.astype("float64").tolist())
    h = fleetops.LatencyHistogram()
    h.record_batch(ms.astype(dtype))
    assert h.to_bytes() == expected.to_bytes()
    assert h.summary()["clamped"] == expected.summary()["clamped"] > 0


def test_a_negative_integer_fails_its_batch() -> None:
    h = fleetops.LatencyHistogram()
    column = np.full(50_000, 7, dtype="int64")
    column[40_000] = -1
    with pytest.raises(fleetops.InvalidDurationError, match="index 40000 is -1 ms"):
        h.record_batch(column)
    assert h.count == 0
