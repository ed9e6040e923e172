"""De-duplication from Python: the restart-and-replay guarantee in a new process, numpy and
pandas inputs, bad input that leaves the state untouched, merge, and bounded memory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fleetops
import numpy as np
import pandas as pd
import pytest

T0 = datetime(2026, 11, 22, 8, tzinfo=UTC).timestamp()


def telemetry(n: int = 20_000, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Readings every 0.25 s with 20 % exact re-sends of recent ones and some disorder."""
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 2**63, size=n, dtype=np.uint64)
    times = T0 + np.arange(n) * 0.25 - rng.uniform(0, 60, size=n)
    resend = np.flatnonzero(rng.random(n) < 0.2)
    resend = resend[resend > 100]
    src = resend - rng.integers(1, 100, size=resend.size)
    keys[resend] = keys[src]
    times[resend] = times[src]
    return keys, times


REPLAY = """
import sys, numpy as np, fleetops
state, keys, times = sys.argv[1], sys.argv[2], sys.argv[3]
d = fleetops.Deduper.from_bytes(open(state, "rb").read())
codes = np.frombuffer(d.observe_batch(np.load(keys), np.load(times)), dtype=np.uint8)
np.save(sys.argv[4], np.flatnonzero(codes == 0))
"""


def test_restart_in_a_new_process_and_replay_from_the_start(tmp_path: Path) -> None:
    keys, times = telemetry()
    once = fleetops.Deduper("30m", allowed_lateness="2m")
    expected = np.flatnonzero(np.frombuffer(once.observe_batch(keys, times), dtype=np.uint8) == 0)

    cut = 12_345
    before = fleetops.Deduper("30m", allowed_lateness="2m")
    codes = np.frombuffer(before.observe_batch(keys[:cut], times[:cut]), dtype=np.uint8)
    emitted_before = np.flatnonzero(codes == 0)
    (tmp_path / "state.bin").write_bytes(before.to_bytes())
    np.save(tmp_path / "keys.npy", keys)
    np.save(tmp_path / "times.npy", times)
    del before  # the job dies; a new process restores the state and replays from offset 0
    subprocess.run(
        [
            sys.executable,
            "-c",
            REPLAY,
            str(tmp_path / "state.bin"),
            str(tmp_path / "keys.npy"),
            str(tmp_path / "times.npy"),
            str(tmp_path / "out.npy"),
        ],
        check=True,
    )
    emitted_after = np.load(tmp_path / "out.npy")
    assert emitted_after.min() >= cut, "an event emitted before the restart came out again"
    assert np.array_equal(np.concatenate([emitted_before, emitted_after]), expected), "an original was lost"


def test_numpy_pandas_and_lists_give_the_same_masks() -> None:
    keys, _ = telemetry(5_000)
    as_int64 = keys.astype(np.int64) >> 1
    from_numpy = fleetops.dedup_mask(as_int64)
    assert fleetops.dedup_mask(pd.Series(as_int64)) == from_numpy
    assert fleetops.dedup_mask([int(k) for k in as_int64]) == from_numpy
    small = as_int64 % 2**52  # exact as float64
    assert fleetops.dedup_mask(small.astype(np.float64)) == fleetops.dedup_mask(small)
    mask = np.frombuffer(from_numpy, dtype=bool)
    assert mask.sum() == len(np.unique(as_int64))
    # pandas' own keep="first" agrees.
    assert np.array_equal(mask, ~pd.Series(as_int64).duplicated(keep="first").to_numpy())
    assert np.array_equal(
        np.frombuffer(fleetops.dedup_mask(as_int64, keep="last"), dtype=bool),
        ~pd.Series(as_int64).duplicated(keep="last").to_numpy(),
    )


def test_staging_table_keep_latest_loaded_at() -> None:
    raw = pd.DataFrame(
        {
            "package_id": ["P1", "P2", "P1", "P3", "P2"],
            "_loaded_at": pd.to_datetime(
                ["2026-11-22 06:00", "2026-11-22 06:00", "2026-11-22 07:00", "2026-11-22 06:00", "2026-11-22 05:00"],
                utc=True,
            ),
        }
    )
    idx = fleetops.dedup_indices(
        raw["package_id"], keep="last", order_by=raw["_loaded_at"].astype("int64").to_numpy(np.float64)
    )
    assert list(idx) == [1, 2, 3]
    staged = raw.iloc[np.asarray(idx)]
    assert list(staged["package_id"]) == ["P2", "P1", "P3"]


def test_composite_key_columns() -> None:
    vehicle = ["TRK-1", "TRK-1", "TRK-2", "TRK-1"]
    ts = [1763798400, 1763798460, 1763798400, 1763798400]
    hashes = np.asarray(fleetops.key_hashes([vehicle, ts]))
    assert hashes.dtype == np.uint64 and hashes[0] == hashes[3] and len(set(hashes.tolist())) == 3
    assert hashes[0] == fleetops.key_hash(("TRK-1", 1763798400))
    with pytest.raises(fleetops.InvalidArgumentError, match="column 1"):
        fleetops.key_hashes([vehicle, ts[:2]])


def test_bad_input_is_typed_and_leaves_the_state_untouched() -> None:
    d = fleetops.Deduper(timedelta(hours=1))
    d.observe_batch(np.array([1, 2], dtype=np.uint64), np.array([T0, T0 + 1]))
    before = d.to_bytes()
    bad_calls: list[tuple[Callable[[], object], type[Exception]]] = [
        (
            lambda: d.observe_batch(np.array([1, 2, 3], dtype=np.uint64), np.array([T0, T0])),
            fleetops.InvalidArgumentError,
        ),
        (
            lambda: d.observe_batch(np.array([5, 6], dtype=np.uint64), np.array([T0, np.nan])),
            fleetops.InvalidTimestampError,
        ),
        (
            lambda: d.observe_batch(np.array([5, 6], dtype=np.uint64), np.array([T0, -1.0])),
            fleetops.InvalidTimestampError,
        ),
        (lambda: d.observe_batch(np.array([5, -6], dtype=np.int64), np.array([T0, T0])), fleetops.InvalidArgumentError),
        (lambda: d.observe_batch(np.array([5.5, 6.0]), np.array([T0, T0])), fleetops.InvalidArgumentError),
        (lambda: d.observe_batch([5, {"x": 1}], np.array([T0, T0])), fleetops.InvalidArgumentError),
        (lambda: d.observe(7, datetime(2026, 11, 22, 9)), fleetops.NaiveTimestampError),
    ]
    for call, error in bad_calls:
        with pytest.raises(error):
            call()
        assert d.to_bytes() == before
    for horizon in (0, -5, "0s", timedelta(0)):
        with pytest.raises(fleetops.InvalidDurationError):
            fleetops.Deduper(horizon)
    with pytest.raises(fleetops.InvalidStateError):
        fleetops.Deduper.from_bytes(before[:-1])


def test_merge_of_partitions_and_plain_dict_stats() -> None:
    keys, times = telemetry(20_000)
    head, tail = slice(0, 10_000), slice(10_000, None)
    even = keys[head] % 2 == 0
    a, b, one = (fleetops.Deduper("30m", allowed_lateness="2m") for _ in range(3))
    a.observe_batch(keys[head][even], times[head][even])
    b.observe_batch(keys[head][~even], times[head][~even])
    one.observe_batch(keys[head], times[head])
    a.merge(b)
    stats = a.stats()
    assert stats["watermark"] == one.stats()["watermark"]
    # From here on the merged state answers like the one that saw everything.
    assert a.observe_batch(keys[tail], times[tail]) == one.observe_batch(keys[tail], times[tail])
    assert set(stats) >= {"mode", "live_keys", "memory_bytes", "counts", "watermark", "estimated_fpr"}
    with pytest.raises(fleetops.InvalidArgumentError):
        a.merge(fleetops.Deduper("1h"))


def test_a_key_cap_bounds_memory_and_counts_evictions() -> None:
    d = fleetops.Deduper("1d", max_keys=1000)
    keys = np.arange(200_000, dtype=np.uint64)
    d.observe_batch(keys, T0 + np.arange(200_000) * 0.001)
    s = d.stats()
    assert s["live_keys"] <= 1000
    assert s["counts"]["evicted"] + s["live_keys"] == 200_000
    assert d.memory_bytes <= 1000 / 0.7 * 12 + 64


def test_bloom_mode_reports_its_estimated_rate() -> None:
    d = fleetops.Deduper("1h", mode="bloom", expected_keys=10_000, fpr=0.01)
    d.observe_batch(np.arange(10_000, dtype=np.uint64), T0 + np.arange(10_000) * 0.1)
    fpr = d.stats()["estimated_fpr"]
    assert fpr is not None and 0.002 < fpr < 0.01
    assert d.memory_bytes < 10_000 * 4


def test_bloom_mode_holds_its_rate_far_past_expected_keys() -> None:
    # Issue 16: sized for 10,000 keys and fed 20x as many, one filter answered "duplicate" for
    # nearly every new key. The filter now grows by slices and keeps the stated 1 %.
    d = fleetops.Deduper("24h", mode="bloom", expected_keys=10_000, fpr=0.01)
    n = 200_000
    d.observe_batch(np.arange(n, dtype=np.uint64), T0 + np.arange(n) * 0.01)
    fresh = np.arange(10_000_000, 10_000_000 + 20_000, dtype=np.uint64)
    codes = d.observe_batch(fresh, np.full(20_000, T0 + n * 0.01))
    false_duplicates = int((np.asarray(codes) == 1).sum())
    assert false_duplicates <= 20_000 * 0.01 * 1.2  # sampling noise on 200 expected at most
    est = d.stats()["estimated_fpr"]
    assert est is not None and 0.001 < est < 0.01
    assert d.stats()["counts"]["evicted"] == 0
    assert d.memory_bytes < n * 4  # slices for 10k, 20k, ... 160k keys: 310k of room


def test_one_call_and_a_batch_round_sub_millisecond_times_alike() -> None:
    # observe() truncated 1001.0006 s to 1001.000 (a duplicate within 1 s) while observe_batch()
    # rounded it to 1001.001 (first): one rule now, the nearest millisecond, in both.
    one = fleetops.Deduper("1s")
    singles = [one.observe(7, t) for t in (1000.0, 1001.0006)]
    batch = fleetops.Deduper("1s").observe_batch(np.array([7, 7], dtype=np.uint64), np.array([1000.0, 1001.0006]))
    assert singles == ["first", "first"]
    assert list(batch) == [0, 0]  # 0 = first
    two = fleetops.Deduper("1s")
    assert [two.observe(7, t) for t in (1000.0, 1001.0004)] == ["first", "duplicate"]
