"""Defaults, rules and messages come from the core, once: what a binding's left-out
option means, and the gate and reset messages, are the core's in Python and Node alike (the
same cases run in tests/node/core_defaults.test.mjs)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import fleetops
import numpy as np
import pytest

NOW = "2026-11-22T08:00:00Z"


def test_the_budget_gate_on_counts_is_the_core_rule() -> None:
    assert fleetops.error_budget_gate(0.999, bad=6_000, total=5_000_000) == ["budget overspent (120.0 % used)"]
    assert fleetops.error_budget_gate(0.999, bad=6_000, total=5_000_000, fail_on=["page"]) == []
    assert fleetops.error_budget_gate(0.999, bad=4_000, total=5_000_000) == []
    assert fleetops.error_budget_gate(0.999, good=0, total=0) == []  # no events: nothing to judge


def test_a_tracker_gate_names_the_objective_of_the_same_message() -> None:
    t = fleetops.SloTracker()
    for s in range(100):
        t.record(1_795_334_400 + s, False, 10, now=NOW)  # 2026-11-22T08:00:00Z + s
    later = "2026-11-22T08:05:00Z"
    problems = t.gate_problems(later)
    assert "availability: budget overspent (100000.0 % used)" in problems
    assert t.gate_problems(later, fail_on=[]) == []


def test_left_out_options_are_the_core_defaults() -> None:
    assert fleetops.SloTracker().prometheus(NOW).startswith("# HELP fleetops_")
    assert fleetops.dbt_sources({"orders": NOW}, now=NOW)["results"][0]["unique_id"].startswith("source.fleetops.")
    keys = np.array([1, 1, 2], dtype=np.uint64)
    assert bytes(fleetops.dedup_mask(keys)) == bytes(fleetops.dedup_mask(keys, keep="first")) == b"\x01\x00\x01"
    states = [True, False] * 10
    assert fleetops.flap_series(states) == fleetops.flap_series(states, high=20, low=5)


def test_flap_thresholds_are_checked() -> None:
    for high, low in [(float("nan"), 5.0), (20.0, float("nan")), (5.0, 20.0), (101.0, 5.0), (20.0, -1.0)]:
        with pytest.raises(fleetops.InvalidThresholdError):
            fleetops.flap_series([True, False], high=high, low=low)


def test_restore_or_new_says_why_a_saved_detector_was_set_aside() -> None:
    saved = fleetops.StormDetector(preset="task_failures").to_bytes()
    same, reason = fleetops.StormDetector.restore_or_new(saved, "s.bin", preset="task_failures")
    assert reason is None and same.to_bytes() == saved
    _, reason = fleetops.StormDetector.restore_or_new(b"\0" * 10, "s.bin", preset="task_failures")
    assert reason is not None and reason.startswith("the saved storm state at s.bin could not be read and was reset: ")
    _, reason = fleetops.StormDetector.restore_or_new(saved, "s.bin", preset="task_failures", enter_above=1)
    assert reason == "the storm detector's options changed; the state at s.bin was reset"
    _, reason = fleetops.StormDetector.restore_or_new(None, "s.bin")
    assert reason is None


def test_counts_are_never_wrapped_or_truncated() -> None:
    # Node wrapped minEvents 5e9 to 705032704 and -1 to 4294967295, and cut 2.5 to 2; Python
    # raised bare OverflowError / TypeError. One rule now, the core's (same cases in Node).
    assert fleetops.BurnPolicy(min_events=5_000_000_000).min_events == 5_000_000_000
    bad: list[object] = [-1, 2.5, float("nan"), True, "6", 2**64]
    for value in bad:
        with pytest.raises(fleetops.InvalidArgumentError):
            fleetops.BurnPolicy(min_events=cast(Any, value))
        with pytest.raises(fleetops.InvalidArgumentError):
            fleetops.Deduper("1h", max_keys=cast(Any, value))
        with pytest.raises(fleetops.InvalidArgumentError):
            fleetops.check_cadence([NOW], now=NOW, min_intervals=cast(Any, value))
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.LatencyHistogram(significant_figures=300)
    assert fleetops.Deduper("1h", max_keys=np.int64(1000)).stats()["counts"]["first"] == 0
    assert fleetops.Deduper("1h", max_keys=1000.0).observe(1, 1_795_334_400.0) == "first"


def test_options_take_one_plain_data_path() -> None:
    # StormDetector(window=timedelta(...)) raised a raw TypeError (options went through
    # json.dumps); lone surrogates, deep nesting and foreign objects raised UnicodeEncodeError,
    # RecursionError and TypeError.
    assert fleetops.StormDetector(window=timedelta(minutes=5)).config["window"] == 300_000
    nested: list[Any] = []
    inner = nested
    for _ in range(200):
        inner.append([])
        inner = inner[0]
    bad_options: list[tuple[dict[str, Any], str]] = [
        ({"window": object()}, "plain data"),
        ({"window": "\ud800"}, "not valid Unicode"),
        ({"window": nested}, "plain data"),
    ]
    for bad, message in bad_options:
        with pytest.raises(fleetops.InvalidArgumentError, match=message):
            fleetops.StormDetector(**bad)
    # A non-finite number is plain data (JSON could not carry it; the core's options path
    # does), so it reaches the duration's own check, with its code, as from Node.
    with pytest.raises(fleetops.InvalidDurationError, match="not a finite number"):
        fleetops.StormDetector(window=float("inf"))


def test_dbt_sources_reads_cadence_options_as_node_does() -> None:
    # Python's dbt_sources ignored cadence options; Node's honoured them. Both read them now.
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.dbt_sources({"orders": NOW}, now=NOW, cadence={"min_intervals": -1})
    assert fleetops.dbt_sources({"orders": NOW}, now=NOW, cadence={"min_intervals": 3})["results"]


def test_storm_calls_take_assume_tz_like_every_other_python_call() -> None:
    # A naive datetime is refused unless assume_tz names its zone; storm calls had no assume_tz.
    from datetime import datetime

    naive = datetime(2026, 11, 22, 9, 0)  # 09:00 in Amsterdam is 08:00 UTC
    with pytest.raises(fleetops.NaiveTimestampError):
        fleetops.StormDetector().observe("k", naive)
    d = fleetops.StormDetector()
    v = d.observe("k", naive, now=naive, assume_tz="Europe/Amsterdam")
    assert v["action"] == "notify"
    assert d.advance(naive, assume_tz="Europe/Amsterdam") == []
    g = fleetops.Grouper()
    g.add({"alertname": "x"}, naive, assume_tz="Europe/Amsterdam")
    assert g.due(naive, assume_tz="Europe/Amsterdam") == []  # group_wait has not passed
    assert fleetops.RateLimiter().check("c", naive, assume_tz="Europe/Amsterdam")["allowed"] is True
    assert fleetops.escalations_due([], naive, assume_tz="Europe/Amsterdam") == []


def test_table_records_name_their_table_as_in_node() -> None:
    # Python also took "name" for "table"; Node did not. One form now: the core's "table".
    ok = fleetops.classify_tables([{"table": "orders", "last_loaded_at": NOW}], now=NOW)
    assert ok["results"][0]["table"] == "orders"
    for bad in ([{"name": "orders", "last_loaded_at": NOW}], [{"table": 7, "last_loaded_at": NOW}]):
        with pytest.raises(fleetops.InvalidArgumentError, match="'table' name"):
            fleetops.classify_tables(bad, now=NOW)


def test_tiers_take_the_object_form_node_uses_too() -> None:
    pairs = fleetops.FreshnessPolicy(tiers=[("FRESH", "15m"), ("OK", None)])
    named = fleetops.FreshnessPolicy(tiers=[{"name": "FRESH", "max_age": "15m"}, {"name": "OK"}])
    assert pairs.class_names == named.class_names == ["FRESH", "OK", "MISSING", "FUTURE"]
    with pytest.raises(fleetops.InvalidArgumentError, match="max_ag"):
        fleetops.FreshnessPolicy(tiers=[{"name": "FRESH", "max_ag": "15m"}, {"name": "OK"}])  # type: ignore[list-item]
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.FreshnessPolicy(tiers=["FRESH"])  # type: ignore[list-item]


def test_importing_fleetops_never_imports_pyspark_or_airflow() -> None:
    import subprocess
    import sys

    code = (
        "import sys, fleetops, fleetops.airflow; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'airflow')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
