"""One options path: every options argument is read by the core's serde form from
plain data, so a NaN reaches the spec's own check with its code, a whole float is a count, and
a duration takes every form (timedelta included) wherever one goes. The Node twin is
tests/node/options_path.test.mjs, same cases and same expected codes."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import fleetops
import pytest

NAN = math.nan


def code(f: Callable[[], Any]) -> str:
    try:
        f()
    except fleetops.FleetopsError as e:
        return str(e.code)
    return "ok"


def test_a_nan_option_reaches_the_core_check_of_its_spec() -> None:
    assert code(lambda: fleetops.error_budget(0.99, good=1, total=NAN)) == "INVALID_COUNT"
    assert code(lambda: fleetops.FreshnessPolicy(warn_after=NAN)) == "INVALID_DURATION"
    assert code(lambda: fleetops.StormDetector(window=math.inf)) == "INVALID_DURATION"
    assert code(lambda: fleetops.flap_series([True], high=NAN)) == "INVALID_THRESHOLD"
    tiers = [{"name": "p", "long": "1h", "short": "5m", "factor": NAN}]
    assert code(lambda: fleetops.BurnPolicy(tiers=tiers)) == "INVALID_THRESHOLD"
    assert code(lambda: fleetops.forecast_budget(50, 1, period=NAN, time_left="1d")) == "INVALID_DURATION"


def test_counts_are_whole_numbers() -> None:
    capped = fleetops.Deduper("1h", max_keys=2.0)
    for k in ["a", "b", "c"]:
        capped.observe(k, "2026-11-22T08:00:00Z")
    assert capped.stats()["counts"]["evicted"] == 1
    bad_counts: list[Any] = [2.5, -1, True, "5"]
    for bad in bad_counts:
        with pytest.raises(fleetops.InvalidArgumentError, match="max_keys"):
            fleetops.Deduper("1h", max_keys=bad)


def test_a_duration_takes_every_form_in_every_option() -> None:
    tiers = [{"name": "p", "long": {"count": 1, "period": "hour"}, "short": timedelta(minutes=5), "factor": 14.4}]
    policy = fleetops.BurnPolicy(tiers=tiers)
    assert [(t["long"], t["short"]) for t in policy.tiers] == [(3600, 300)]
    assert code(lambda: fleetops.FreshnessPolicy(warn_after={"count": 6, "period": "hour", "unit": 1})) == (
        "INVALID_ARGUMENT"
    )
    assert code(lambda: fleetops.FreshnessPolicy(warn_after=cast(Any, []))) == "INVALID_ARGUMENT"
    # A tier as Node writes it, with a name the core does not know: refused, naming it.
    with pytest.raises(fleetops.InvalidArgumentError, match=r"tiers\[0\]\.max_ag"):
        fleetops.FreshnessPolicy(tiers=cast(Any, [{"name": "A", "max_ag": None}]))


def test_utc_iso_is_the_core_reading_an_instant() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    assert fleetops.utc_iso(datetime(2026, 11, 22, 9, 0, tzinfo=timezone(timedelta(hours=1)))) == "2026-11-22T08:00:00Z"
    assert fleetops.utc_iso(1_795_334_400) == "2026-11-22T08:00:00Z"
    assert fleetops.utc_iso("2026-11-22T08:00:00.5+00:00") == "2026-11-22T08:00:00.500Z"
    assert fleetops.utc_iso(datetime(2026, 11, 22, 9, 0), assume_tz="Europe/Amsterdam") == "2026-11-22T08:00:00Z"
    assert code(lambda: fleetops.utc_iso(datetime(2026, 11, 22, 9, 0))) == "NAIVE_TIMESTAMP"
    assert code(lambda: fleetops.utc_iso("2026-11-22T08:00:00")) == "NAIVE_TIMESTAMP"
    assert code(lambda: fleetops.utc_iso(NAN)) == "INVALID_TIMESTAMP"
    assert datetime.fromisoformat(fleetops.utc_iso(datetime(2026, 2, 28, 23, 59, tzinfo=UTC))).day == 28
