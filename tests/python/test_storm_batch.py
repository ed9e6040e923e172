"""A batch large enough to be judged on two threads (65,536 alerts or more) gives what the same
alerts give judged in smaller batches on one: actions, events, totals and saved state."""

from __future__ import annotations

from datetime import UTC, datetime

import fleetops
import numpy as np
from conftest import checked
from fleetops.results import StormEvent, StormStats

N = 200_000


def stream() -> tuple[np.ndarray, np.ndarray]:
    """5,000 trucks alerting every 20 ms between them; every 40,000 alerts one truck storms
    (100 alerts in 40 s), and 20 minutes later it alerts once more, which ends the storm."""
    rng = np.random.default_rng(7)
    ids = rng.integers(0, 5_000, N).astype(np.uint64)
    for start in range(5_000, N, 40_000):
        ids[start : start + 2_000 : 20] = 10_000 + start
        if start + 60_000 < N:
            ids[start + 60_000] = 10_000 + start
    at = 1_763_769_600.0 + np.arange(N) * 0.02
    return ids, at


def judged(batch: int) -> tuple[bytes, list[StormEvent], StormStats, bytes]:
    d = fleetops.StormDetector()
    start = datetime.fromtimestamp(1_763_769_600 + 1_000, tz=UTC)
    d.set_mutes(
        [
            {
                "id": "ks-1",
                "key": "42",
                "starts_at": start.isoformat(),
                "ends_at": "2025-11-22T00:30:00Z",
                "reason": "sensor",
            }
        ]
    )
    ids, at = stream()
    codes, events = b"", []  # type: bytes, list[StormEvent]
    for lo in range(0, N, batch):
        c, e = d.observe_batch(ids[lo : lo + batch], at[lo : lo + batch])
        checked("StormDetector.observe_batch.events", e)
        codes += c
        events += e
    return codes, events, d.stats(), d.to_bytes()


def test_one_large_batch_equals_small_batches() -> None:
    large, small = judged(N), judged(40_000)
    assert large[0] == small[0]
    assert large[1] == small[1]
    assert large[2] == small[2]
    assert large[3] == small[3]
    kinds = {e["event"] for e in large[1]}
    assert {"storm_started", "storm_ended"} <= kinds, kinds
    assert large[2]["counts"]["muted"] > 0


def test_float_ids_are_read_as_the_whole_numbers_they_hold_as_in_node() -> None:
    # A float64 column of ids (what a JavaScript caller's Float64Array is) was refused as "a
    # string"; whole numbers up to 2**53 are ids, as the uint64 column of the same values.
    ids = np.array([7, 7, 9, 7] * 10, dtype=np.uint64)
    at = np.arange(len(ids), dtype=np.float64) + 1_795_334_400.0
    a, b = fleetops.StormDetector(), fleetops.StormDetector()
    assert a.observe_batch(ids, at) == b.observe_batch(ids.astype(np.float64), at)
    with np.testing.assert_raises(fleetops.InvalidArgumentError):
        fleetops.StormDetector().observe_batch(np.array([1.5]), np.array([1.0]))
