"""fleetops.SloTracker from Python: batches, status, late and dropped events, merge, save/restore."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fleetops
import numpy as np
import pytest
from conftest import checked

NOW = datetime(2026, 11, 22, 8, tzinfo=UTC)


def stream(start: str, n: int, bad_every: int, ms: float) -> tuple[np.ndarray, list[bool], np.ndarray]:
    t0 = datetime.fromisoformat(start).timestamp()
    at = t0 + np.arange(n, dtype=np.float64)
    ok = [bad_every == 0 or (i + 1) % bad_every != 0 for i in range(n)]
    return at, ok, np.full(n, ms)


def objective(status: Any, name: str) -> Any:
    return next(o for o in status["objectives"] if o["name"] == name)


def test_runbook_month_budgets() -> None:
    t = fleetops.SloTracker()
    assert t.record_batch(*stream("2026-11-10T00:00:00+00:00", 10_000, 100, 120.0), now=NOW) == 0
    s = checked("SloTracker.status", t.status(NOW))
    assert s["period"]["start"] == "2026-11-01T00:00:00Z"
    avail = objective(s, "availability")["budget"]
    assert (avail["good"], avail["total"]) == (9_900, 10_000)
    assert avail["used_percent"] == pytest.approx(1000.0)
    assert avail["budget_minutes"] == pytest.approx(43.2)
    assert objective(s, "error_rate")["budget"]["used_percent"] == pytest.approx(100.0)
    assert s["latency"]["p95_ms"] == pytest.approx(120.0, rel=0.01)


def test_a_bad_hour_pages() -> None:
    t = fleetops.SloTracker()
    t.record_batch(*stream("2026-11-21T07:00:00+00:00", 86_400, 0, 50.0), now=NOW)
    t.record_batch(*stream("2026-11-22T07:00:00+00:00", 3_600, 10, 50.0), now=NOW)
    s = checked("SloTracker.status", t.status("2026-11-22T07:59:59Z"))
    fast = next(a for a in objective(s, "availability")["burn"] if a["tier"] == "page_fast")
    assert fast["firing"] is True and fast["long_burn_rate"] == pytest.approx(100.0)
    counts = checked("SloTracker.window_counts", t.window_counts("availability", "1h", "2026-11-22T07:59:59Z"))
    assert counts == {"good": 3_240, "total": 3_600}
    latency = checked("SloTracker.latency", t.latency("1h", "2026-11-22T07:59:59Z"))
    assert latency["count"] == 3_600 and latency["p50_ms"] == pytest.approx(50.0, rel=0.01)


def test_numpy_columns_of_every_flag_kind_agree() -> None:
    at, ok, lat = stream("2026-11-21T00:00:00+00:00", 1_000, 4, 90.0)
    statuses = []
    for flags in (ok, np.array(ok, dtype=bool), np.array(ok, dtype=np.uint8), bytes(np.array(ok, dtype=np.uint8))):
        t = fleetops.SloTracker()
        t.record_batch(at, flags, lat, now=NOW)
        statuses.append(t.status(NOW))
    assert all(s == statuses[0] for s in statuses)
    assert objective(statuses[0], "availability")["budget"]["bad"] == 250


def test_late_and_dropped_events_are_counted() -> None:
    t = fleetops.SloTracker(period="30d")
    t.record(NOW, True, now=NOW)
    t.record("2026-11-20T08:00:00Z", False, now=NOW)
    t.record("2026-09-01T00:00:00Z", False, now=NOW)
    t.record("2026-11-22T09:00:00Z", True, now=NOW)
    s = t.status(NOW)
    assert s["recorded"] == 2
    assert s["dropped"] == {"too_old": 1, "future": 1}
    assert t.watermark == "2026-11-22T08:00:00Z"


def test_bad_batches_change_nothing() -> None:
    t = fleetops.SloTracker()
    before = t.status(NOW)
    with pytest.raises(fleetops.InvalidDurationError):
        t.record_batch([NOW.timestamp()] * 2, [True, True], [1.0, -1.0], now=NOW)
    with pytest.raises(fleetops.InvalidArgumentError):
        t.record_batch([NOW.timestamp()] * 2, [True], now=NOW)
    with pytest.raises(fleetops.InvalidTimestampError):
        t.record_batch([float("nan")], [True], now=NOW)
    with pytest.raises(fleetops.NaiveTimestampError):
        t.record(datetime(2026, 11, 22, 7), True, now=NOW)
    assert t.status(NOW) == before


def test_merge_and_save_restore() -> None:
    a_stream = stream("2026-11-21T00:00:00+00:00", 5_000, 7, 80.0)
    b_stream = stream("2026-11-21T00:30:00+00:00", 5_000, 13, 700.0)
    one, a, b = fleetops.SloTracker(), fleetops.SloTracker(), fleetops.SloTracker()
    one.record_batch(*a_stream, now=NOW)
    one.record_batch(*b_stream, now=NOW)
    a.record_batch(*a_stream, now=NOW)
    b.record_batch(*b_stream, now=NOW)
    a.merge(b)
    assert a.status(NOW) == one.status(NOW)
    restored = fleetops.SloTracker.from_bytes(a.to_bytes())
    assert restored.status(NOW) == one.status(NOW)
    with pytest.raises(fleetops.InvalidStateError):
        fleetops.SloTracker.from_bytes(b"{}")
    with pytest.raises(fleetops.InvalidArgumentError):
        a.merge(fleetops.SloTracker(resolution="5m"))


def test_custom_objectives_and_bad_configuration() -> None:
    t = fleetops.SloTracker(
        period="7d",
        objectives=[{"name": "db_p95", "kind": "latency_under", "threshold_ms": 100, "target": 0.95}],
        burn={"preset": "sloth", "period": "7d"},
    )
    t.record(NOW, True, 40.0, now=NOW)
    assert objective(t.status(NOW), "db_p95")["budget"]["sli"] == 1.0
    with pytest.raises(fleetops.InvalidTargetError):
        fleetops.SloTracker(objectives=[{"name": "x", "kind": "success", "target": 1.0}])
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.SloTracker(objectives=[{"name": "x", "kind": "nonsense", "target": 0.9}])


def test_gate_problems_name_spent_budgets_and_paging_tiers() -> None:
    from datetime import datetime, timedelta

    tracker = fleetops.SloTracker()
    start = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    for s in range(0, 3600, 2):
        tracker.record(start + timedelta(seconds=s), ok=s < 3000, now=start + timedelta(hours=1))
    now = start + timedelta(hours=1)
    problems = tracker.gate_problems(now)
    # 300 bad of 1,800: every budget is spent; the last 10 min all fail: page_fast fires.
    assert "availability: budget overspent (16666.7 % used)" in problems
    assert any(p.startswith("availability: page_fast (page) firing") for p in problems)
    assert not any("(ticket)" in p for p in problems), "tickets do not stop a deploy by default"
    tickets = tracker.gate_problems(now, fail_on=["ticket"])
    assert tickets and all(": ticket (ticket) firing" in p for p in tickets)
    assert tracker.gate_problems(now, fail_on=[]) == []


def test_http_outcomes_and_bad_statuses() -> None:
    assert fleetops.http_outcomes([200, 404, 429, 500, 503], [429]) == bytes([1, 1, 0, 0, 0])
    with pytest.raises(fleetops.InvalidArgumentError, match="-1 is not an HTTP status"):
        fleetops.http_outcomes([200, -1])
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.http_outcomes([200], [70000])


def test_a_quiet_gap_longer_than_max_future_does_not_stop_recording() -> None:
    # "Future" is judged against the caller's clock, never against the newest event: after a
    # gap longer than max_future (5 min) the tracker used to drop every later event.
    t = fleetops.SloTracker()
    for at, ok in [("2026-11-22T08:00:00Z", True), ("2026-11-22T08:06:00Z", False), ("2026-11-22T09:00:00Z", False)]:
        t.record(at, ok, 10, now=at)  # a live recorder: its clock reads the event's time
    s = t.status("2026-11-22T09:00:00Z")
    assert (s["recorded"], s["dropped"]["future"], s["dropped"]["too_old"]) == (3, 0, 0)
    budget = s["objectives"][0]["budget"]
    assert budget["status"] == "ok" and budget["bad"] == 2
    # Ahead of the caller's clock by more than max_future: future, in both calls.
    t.record("2026-11-22T09:05:01Z", False, now="2026-11-22T09:00:00Z")
    times = np.array(
        [
            datetime(2026, 11, 22, 9, 5, 1, tzinfo=UTC).timestamp(),
            datetime(2026, 11, 22, 9, 5, tzinfo=UTC).timestamp(),
        ]
    )
    assert t.record_batch(times, [False, False], now="2026-11-22T09:00:00Z") == 1
    s = t.status("2026-11-22T09:06:00Z")
    assert (s["recorded"], s["dropped"]["future"]) == (4, 2)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "prometheus"


def test_prometheus_rules_are_the_committed_examples() -> None:
    tracker = fleetops.SloTracker.from_openslo((EXAMPLES / "fleet-api.openslo.yaml").read_text())
    rules = checked("SloTracker.prometheus_rules", tracker.prometheus_rules())
    assert rules["rules"] == (EXAMPLES / "fleet-api-rules.yml").read_text()
    assert rules["inhibit_rules"] == (EXAMPLES / "fleet-api-inhibit.yml").read_text()
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.SloTracker().prometheus_rules(prefix="9lives")


def test_the_counters_leave_maintenance_out() -> None:
    t = fleetops.SloTracker(maintenance=[{"start": "2026-11-22T02:00:00Z", "end": "2026-11-22T03:00:00Z"}])
    now = "2026-11-22T02:31:00Z"
    t.record("2026-11-22T01:59:00Z", True, now=now)
    t.record("2026-11-22T02:30:00Z", False, now=now)
    text = t.prometheus(now)
    assert 'fleetops_slo_events_total{objective="availability"} 1\n' in text
    assert 'fleetops_slo_good_events_total{objective="availability"} 1\n' in text
    assert "fleetops_slo_maintenance 1\n" in text
    assert objective(t.status(now), "availability")["counted"] == {"good": 1, "total": 1}
