"""Ordinary configuration values never panic, overflow or allocate without limit: each size and
duration has a documented maximum (docs/guarantees.md) and is refused past it with a typed error.
Each case here once panicked (PanicException), hung or tried to allocate gigabytes."""

from __future__ import annotations

from datetime import UTC, datetime

import fleetops
import pytest

NOW = "2026-11-22T08:00:00Z"


@pytest.mark.parametrize(
    "make",
    [
        lambda: fleetops.LoadSchedule("0 2 * * *", allowed_delay=1e15),
        lambda: fleetops.check_cadence(
            ["2026-11-21T10:00:00Z", "2026-11-21T11:00:00Z"], now=NOW, clock_skew_tolerance=1e15
        ),
        lambda: fleetops.escalations_due(
            [{"id": "w1", "raised_at": NOW, "severity": "warning"}], NOW, warning_to_critical=1e15
        ),
        lambda: fleetops.period_window("1000000000d", now=NOW),
        lambda: fleetops.SloTracker(period="200000000d"),
        lambda: fleetops.SloTracker(period="100000d"),
        lambda: fleetops.BurnPolicy(
            tiers=[{"name": "t", "severity": "page", "long": "3000000d", "short": "1h", "factor": 1.0}]
        ),
        lambda: fleetops.SloTracker().evaluate_rules([{**fleetops.runbook_rules()[0], "sustained": 1e15}], NOW),
        lambda: fleetops.SloTracker().evaluate_rules([{**fleetops.runbook_rules()[0], "sustained": 2**32}], NOW),
    ],
)
def test_durations_past_the_maximum_are_refused(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(fleetops.InvalidDurationError):
        make()


def test_a_tracker_longer_than_its_bucket_limit_needs_a_coarser_resolution() -> None:
    with pytest.raises(fleetops.InvalidDurationError, match="coarser resolution"):
        fleetops.SloTracker(period="1500d")
    assert fleetops.SloTracker(period="1500d", resolution="1h").memory_bytes < 2_000_000


def test_a_rate_limit_finer_than_a_microsecond_is_refused() -> None:
    # It divided by zero: 1e7 requests a second is a 0.1 µs spacing.
    with pytest.raises(fleetops.InvalidArgumentError, match="per microsecond"):
        fleetops.RateLimiter(limit=10_000_000, period="1s")
    limiter = fleetops.RateLimiter(limit=1_000_000, period="1s")
    assert limiter.check("a", NOW)["allowed"] is True


@pytest.mark.parametrize("max_keys", [2**30 + 1, 2**32, 2**62, 2**64 - 1])
def test_deduper_key_caps_past_the_maximum_are_refused(max_keys: int) -> None:
    with pytest.raises(fleetops.FleetopsError) as info:
        fleetops.Deduper("1h", max_keys=max_keys)
    assert info.value.code == "INVALID_ARGUMENT"


def test_a_large_key_cap_costs_nothing_until_used() -> None:
    # It reserved 16 GB up front for 2^30 keys; the table now grows with the keys it holds.
    d = fleetops.Deduper("1h", max_keys=2**30)
    assert d.memory_bytes < 1_000_000
    for i in range(1000):
        assert d.observe(i, 1_795_852_800.0 + i) == "first"
    assert d.memory_bytes < 1_000_000


def test_bloom_sizes_past_the_maximum_are_refused() -> None:
    for options in ({"expected_keys": 10**12}, {"expected_keys": 2**30, "fpr": 1e-9}, {"allowed_lateness": "100h"}):
        with pytest.raises(fleetops.InvalidArgumentError):
            fleetops.Deduper("1h", mode="bloom", **options)


def test_grouper_due_at_the_end_of_time_returns_at_once() -> None:
    # It stepped one group_interval at a time to year 9999; missed repeats now collapse into one.
    g = fleetops.Grouper()
    g.add({"alertname": "HighTemp", "vehicle_id": "TRK-1"}, NOW)
    sent = g.due(datetime.max.replace(tzinfo=UTC))
    assert [n["repeat"] for n in sent] == [False, True]
    assert sent[0]["at"] == "2026-11-22T08:00:30Z"
    assert g.due(datetime.max.replace(tzinfo=UTC)) == []


def test_a_crafted_histogram_state_is_refused_before_anything_is_allocated() -> None:
    # A 53-byte state once made from_bytes take 4 GB and 24 s before refusing it.
    saved = bytearray(fleetops.LatencyHistogram().to_bytes())
    saved[13 + 24 : 13 + 32] = (2**62).to_bytes(8, "big")  # highest trackable value
    with pytest.raises(fleetops.InvalidStateError, match="bounds"):
        fleetops.LatencyHistogram.from_bytes(bytes(saved))
    with pytest.raises(fleetops.InvalidThresholdError):
        fleetops.LatencyHistogram(max_ms=1e12)
