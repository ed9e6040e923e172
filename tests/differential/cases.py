"""Seeded random calls for the differential test: the same inputs, valid and invalid, for every
public function, in a neutral form both drivers read (tests/differential/driver_py.py and
driver_node.mjs): option names in snake_case, special values as sentinels JSON cannot carry
(``{"$nan": 1}``, ``{"$inf": 1}``, ``{"$epoch": seconds}``, ``{"$tuple": [...]}``)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

NAN: dict[str, int] = {"$nan": 1}
INF: dict[str, int] = {"$inf": 1}
T0 = 1_795_334_400  # 2026-11-22T08:00:00Z


class Gen:
    """Draws ordinary values most of the time and edge or wrong ones otherwise."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, *items: Any) -> Any:
        return items[self.r.randrange(len(items))]

    def maybe(self, value: Callable[[], Any], p: float = 0.5) -> Any:
        """A value, or "not given": left out, or given as None / null (the README's promise that
        both mean the same, in keyword arguments and options fields and positional arguments)."""
        if self.r.random() < p:
            return value()
        return OMIT if self.r.random() < 0.5 else None

    def bad(self, p: float = 0.12) -> bool:
        return self.r.random() < p

    def junk(self) -> Any:
        return self.pick(
            None, NAN, INF, -1, 2.5, 2**40, 5_000_000_000, "x", "", "\ud800", True, [], {}, [1, "a"], {"a": {"b": 1}}
        )

    def ts(self) -> Any:
        if self.bad():
            return self.pick(
                "2026-11-22T08:00:00",
                "yesterday",
                "2026-13-01T00:00:00Z",
                NAN,
                INF,
                {"$epoch": -1e15},
                {"$epoch": -5},
                "",
            )
        secs = T0 + self.r.randrange(-40 * 86_400, 86_400)
        form = self.r.randrange(4)
        if form == 0:
            return {"$epoch": secs}
        if form == 1:
            return {"$epoch": secs + self.r.randrange(1000) / 1000}
        iso = _iso(secs)
        return iso if form == 2 else iso.replace("Z", "+02:00")

    def dur(self) -> Any:
        if self.bad():
            return self.pick("-5m", "abc", -1, 0, NAN, INF, 1e300, {"count": "6", "period": "hour"}, {"count": 1})
        return self.pick(
            "45m",
            "1h",
            "1h30m",
            "90s",
            "1d",
            300,
            3600,
            86_400.5,
            {"count": 6, "period": "hour"},
            {"count": 2, "period": "day"},
        )

    def count(self) -> Any:
        if self.bad():
            return self.pick(-1, 2.5, 2**40, 2**64, NAN, INF, "6", True, None)
        return self.pick(0, 1, 2, 5, 10, 100, 1000, 100_000)

    def num(self, lo: float = 0.0, hi: float = 100.0) -> Any:
        if self.bad():
            return self.pick(NAN, INF, -1.0, 1e308, "x", None)
        return round(self.r.uniform(lo, hi), 3)

    def objective(self) -> Any:
        if self.bad():
            return self.pick(0.0, 1.0, 99.9, -0.5, NAN, "0.999")
        return self.pick(0.9, 0.99, 0.995, 0.999, 0.9999)

    def text(self) -> Any:
        if self.bad(0.05):
            return self.pick("", "\ud800", "x" * 300, 42, None)
        return self.pick("orders", "trips", "vehicle_7", "ü-table", "db.schema.t", "a b")

    def tz(self) -> Any:
        if self.bad():
            return self.pick("Mars/Olympus", "", 5, "utc+1")
        return self.pick("UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata")

    def level(self) -> Any:
        return self.pick("pass", "warn", "error") if not self.bad() else self.pick("fatal", "", 1)

    def labels(self) -> Any:
        if self.bad(0.05):
            return self.pick({"a": 1}, [["a"]], "alertname=x", None)
        n = self.r.randrange(4)
        names = ["alertname", "vehicle", "severity", "team", "zone"]
        return {self.pick(*names): self.pick("GpsLost", "v7", "critical", "ü", "") for _ in range(n)}

    def key(self) -> Any:
        if self.bad(0.06):
            return self.pick(-1, 2.5, NAN, None, True, [], {"a": 1})
        return self.pick(
            self.r.randrange(50), self.pick("a", "b", "truck-1", "ü", ""), {"$tuple": ["v", self.r.randrange(5)]}
        )


class _Omit:
    pass


OMIT = _Omit()


def _iso(secs: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(secs, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _kw(**items: Any) -> dict[str, Any]:
    return {k: v for k, v in items.items() if v is not OMIT}


def policy(g: Gen) -> dict[str, Any]:
    def tiers() -> Any:
        if g.bad():
            return g.pick([], [["A", "1h"]], [["A", "2h"], ["B", "1h"], ["C", None]], [["MISSING", None]])
        return g.pick([["FRESH", "15m"], ["OK", None]], [["A", "1h"], ["B", "6h"], ["C", None]])

    return _kw(
        preset=g.maybe(lambda: g.pick("runbook", "nope"), 0.2),
        tiers=g.maybe(tiers, 0.3),
        warn_after=g.maybe(g.dur, 0.3),
        error_after=g.maybe(g.dur, 0.3),
        stale_after=g.maybe(g.dur, 0.2),
        clock_skew_tolerance=g.maybe(g.dur, 0.2),
        missing_level=g.maybe(g.level, 0.2),
        future_level=g.maybe(g.level, 0.2),
        bogus_option=g.maybe(lambda: 1, 0.03),
    )


def tables(g: Gen) -> Any:
    if g.r.random() < 0.4:
        return {g.text(): g.pick(g.ts(), None) for _ in range(g.r.randrange(4))}
    out = []
    for _ in range(g.r.randrange(4)):
        t = _kw(
            table=g.text(),
            last_loaded_at=g.maybe(lambda: g.pick(g.ts(), None), 0.8),
            history=g.maybe(lambda: [g.ts() for _ in range(g.r.randrange(8))], 0.3),
            # A schedule as options, or (`instance`) as a LoadSchedule made from them.
            schedule=g.maybe(
                lambda: _kw(
                    cron=g.pick("0 * * * *", "0 2 * * *", "bad cron"),
                    timezone=g.maybe(g.tz, 0.5),
                    instance=g.maybe(lambda: True, 0.5),
                ),
                0.2,
            ),
        )
        out.append(t)
    return out


def burn_options(g: Gen) -> dict[str, Any]:
    def tiers() -> list[dict[str, Any]]:
        return [
            _kw(
                name=g.pick("page", "ticket"),
                severity=g.maybe(lambda: g.pick("page", "ticket"), 0.5),
                long=g.dur(),
                short=g.dur(),
                factor=g.num(0, 20),
            )
            for _ in range(g.r.randrange(1, 3))
        ]

    return _kw(
        preset=g.maybe(lambda: g.pick("sre_workbook", "sloth", "pyrra", "nope"), 0.5),
        period=g.maybe(g.dur, 0.3),
        tiers=g.maybe(tiers, 0.2),
        min_events=g.maybe(g.count, 0.3),
    )


def storm_options(g: Gen) -> dict[str, Any]:
    return _kw(
        preset=g.maybe(lambda: g.pick("runbook", "task_failures", "nope"), 0.3),
        window=g.maybe(lambda: g.pick("5m", "10m", "1m", "7s"), 0.3),
        resolution=g.maybe(lambda: g.pick("30s", "1m", "0s"), 0.2),
        enter_above=g.maybe(lambda: g.pick(1, 2, 3, 20, -1, 2.5), 0.5),
        exit_below=g.maybe(lambda: g.pick(0, 1, 5, 50), 0.4),
        cooldown=g.maybe(g.dur, 0.3),
        fleet_enter=g.maybe(g.count, 0.2),
        flap_high=g.maybe(lambda: g.num(0, 100), 0.2),
        flap_low=g.maybe(lambda: g.num(0, 30), 0.2),
        max_keys=g.maybe(g.count, 0.2),
        bogus_option=g.maybe(lambda: 1, 0.03),
    )


def maintenance(g: Gen) -> list[Any]:
    """Maintenance windows, recurring or once, now and then wrong."""

    def one() -> Any:
        if g.bad(0.1):
            return g.pick({"cron": "0 2 * * *"}, {"cron": "* * * * *", "duration": "1h"}, g.junk(), {"start": g.ts()})
        if g.r.random() < 0.6:
            return _kw(
                name=g.maybe(lambda: g.pick("weekly", "monthly", ""), 0.5),
                cron=g.pick("0 2 * * SUN", "0 2 * * SUN#1", "30 1 * * *", "0 */6 * * *", "0 25 * * *"),
                duration=g.pick("1h", "2h", "30m", "8d", 0, "x"),
                timezone=g.maybe(g.tz, 0.6),
            )
        start = T0 - g.r.randrange(86_400 * 3)
        return {"start": _iso(start), "end": _iso(start + g.pick(1800, 3600, 7200, -60))}

    return [one() for _ in range(g.r.randrange(3))]


OPENSLO = """apiVersion: openslo/v1
kind: SLO
metadata:
  name: {name}
spec:
  indicator:
    metadata:
      name: {name}
    spec:
      {metric}
  timeWindow:
    - duration: {window}
      isRolling: {rolling}
  budgetingMethod: {method}
  objectives:
    - target: {target}
{extra}"""
RATIO = "ratioMetric:\n        good:\n          metricSource:\n            type: Prometheus\n        total:\n          metricSource:\n            type: Prometheus"
THRESHOLD = "thresholdMetric:\n        metricSource:\n          type: Prometheus"


def openslo(g: Gen) -> str:
    """A small SLO document: mostly valid, now and then one field wrong."""
    wrong = g.r.randrange(8) if g.bad(0.5) else -1
    return OPENSLO.format(
        name=g.pick("api", "checkout"),
        metric="rawMetric: 1" if wrong == 0 else RATIO,
        window=g.pick("2M", "x") if wrong == 1 else g.pick("28d", "7d"),
        rolling="maybe" if wrong == 2 else "true",
        method=g.pick("Timeslices", "Nope") if wrong == 3 else "Occurrences",
        target=g.pick("1.5", "abc") if wrong == 4 else g.pick("0.999", "0.99"),
        extra={5: "  owner: me\n", 6: "      op: lte\n      value: 500\n"}.get(wrong, ""),
    )


def _dedup_indices(g: Gen) -> dict[str, Any]:
    keys = [g.r.randrange(5) if not g.bad(0.04) else g.junk() for _ in range(g.r.randrange(10))]
    # `order_by` as a plain list of numbers: a Python list, a JavaScript Array (not a typed one).
    order = [float(g.r.randrange(9)) for _ in keys] if not g.bad() else [1.0]
    return _kw(
        keys=keys, keep=g.maybe(lambda: g.pick("first", "last", "both"), 0.5), order_by=g.maybe(lambda: order, 0.4)
    )


def _batch(g: Gen, key: Callable[[], Any]) -> list[list[Any]]:
    """A batch call's rows `[key, epoch seconds, flag, latency ms]`: whole milliseconds (the
    unit both languages can say exactly: Python takes seconds, Node milliseconds), now and then a
    bad one."""
    rows = []
    for _ in range(g.r.randrange(8)):
        ms = (T0 - g.r.randrange(3 * 86_400)) * 1000 + g.r.randrange(1000)
        secs: Any = ms / 1000 if not g.bad(0.03) else NAN
        k = key() if not g.bad(0.03) else g.pick(-1, 2.5, NAN)
        rows.append([k, secs, g.pick(True, False), g.pick(12.5, 480.0, NAN)])
    return rows


def call(g: Gen) -> dict[str, Any]:
    """One random call: ``{"fn": name, "a": neutral arguments}``."""
    fn = g.pick(*MAKERS)
    return {"fn": fn, "a": MAKERS[fn](g)}


MAKERS: dict[str, Callable[[Gen], dict[str, Any]]] = {
    "FreshnessPolicy.classify": lambda g: _kw(
        policy=policy(g), last=g.pick(g.ts(), None), now=g.ts(), table=g.maybe(g.text, 0.5)
    ),
    "FreshnessPolicy.class_names": lambda g: _kw(policy=policy(g)),
    "FreshnessPolicy.classify_ages": lambda g: _kw(
        policy=policy(g),
        ages=[g.pick(g.num(-600, 90_000), NAN) if g.bad(0.05) else g.num(-600, 90_000) for _ in range(5)],
    ),
    "classify_tables": lambda g: _kw(
        tables=tables(g),
        policy=g.maybe(lambda: policy(g), 0.6),
        now=g.ts(),
        cadence=g.maybe(lambda: _kw(min_intervals=g.maybe(g.count, 0.5), spread_factor=g.maybe(g.num, 0.3)), 0.3),
    ),
    "dbt_sources": lambda g: _kw(
        tables=tables(g), policy=g.maybe(lambda: policy(g), 0.6), now=g.ts(), source=g.maybe(g.text, 0.3)
    ),
    "check_cadence": lambda g: _kw(
        history=[g.ts() for _ in range(g.r.randrange(9))],
        now=g.ts(),
        min_intervals=g.maybe(g.count, 0.3),
        spread_factor=g.maybe(lambda: g.num(0, 5), 0.2),
        min_slack_ratio=g.maybe(lambda: g.num(0, 1), 0.2),
        clock_skew_tolerance=g.maybe(g.dur, 0.2),
    ),
    "LoadSchedule.check": lambda g: _kw(
        cron=g.pick("0 2 * * *", "*/15 * * * *", "0 9 * * 1-5", "61 * * * *", "nonsense"),
        timezone=g.maybe(g.tz, 0.5),
        allowed_delay=g.maybe(g.dur, 0.4),
        maintenance=g.maybe(lambda: maintenance(g), 0.3),
        last=g.pick(g.ts(), None),
        now=g.ts(),
    ),
    "error_budget": lambda g: _kw(
        objective=g.objective(),
        good=g.maybe(g.count, 0.6),
        bad=g.maybe(g.count, 0.5),
        total=g.maybe(g.count, 0.6),
        period_minutes=g.maybe(lambda: g.num(0, 50_000), 0.3),
    ),
    "error_budget_gate": lambda g: _kw(
        objective=g.objective(),
        good=g.maybe(g.count, 0.6),
        bad=g.maybe(g.count, 0.5),
        total=g.maybe(g.count, 0.6),
        fail_on=g.maybe(lambda: g.pick(["overspent"], [], ["page"], ["bogus"]), 0.4),
    ),
    "period_window": lambda g: _kw(
        period=g.pick("30d", "28d", "month", "week", "quarter", "7d", "0d", "fortnight"),
        now=g.ts(),
        timezone=g.maybe(g.tz, 0.4),
        objective=g.maybe(g.objective, 0.4),
    ),
    "timeslice_budget": lambda g: _kw(
        objective=g.objective(),
        slices=[
            [g.r.randrange(10), g.r.randrange(10, 12)] if not g.bad(0.05) else [5, 2] for _ in range(g.r.randrange(6))
        ],
        slice_target=g.pick(0.9, 0.95, 0.99, 1.0, NAN),
        slice=g.dur(),
        period=g.dur(),
        empty=g.maybe(lambda: g.pick("good", "bad", "skip", "maybe"), 0.4),
    ),
    "forecast_budget": lambda g: _kw(remaining=g.num(-50, 100), burn=g.num(0, 20), period=g.dur(), time_left=g.dur()),
    "BurnPolicy": lambda g: _kw(
        options=burn_options(g),
        objective=g.objective(),
        windows=g.maybe(
            lambda: [
                [g.pick(300, 3600, 1800, 21_600, 259_200), g.r.randrange(100), g.r.randrange(100, 200)]
                for _ in range(4)
            ],
            0.7,
        ),
    ),
    "LatencyHistogram": lambda g: _kw(
        max_ms=g.maybe(lambda: g.num(1, 100_000), 0.3),
        significant_figures=g.maybe(lambda: g.pick(1, 2, 3, 5, 6, 0, 2.5), 0.3),
        values=[g.num(0, 5000) for _ in range(g.r.randrange(20))],
        p=g.pick(50, 95, 99, 99.9, 0, 100, 101, NAN),
        threshold=g.num(0, 2000),
    ),
    "SloTracker": lambda g: _kw(
        options=_kw(
            period=g.maybe(lambda: g.pick("month", "30d", "week", "nope"), 0.4),
            timezone=g.maybe(g.tz, 0.3),
            resolution=g.maybe(lambda: g.pick("1m", "30s", "5m", "7s", 0), 0.2),
            objectives=g.maybe(
                lambda: [
                    _kw(
                        name=g.pick("avail", "fast"),
                        kind=g.pick("success", "latency_under", "bogus"),
                        threshold_ms=g.maybe(lambda: g.num(1, 1000), 0.5),
                        target=g.objective(),
                    )
                    for _ in range(g.r.randrange(1, 3))
                ],
                0.3,
            ),
            max_future=g.maybe(g.dur, 0.2),
            maintenance=g.maybe(lambda: maintenance(g), 0.3),
        ),
        corrections=[[g.ts(), g.ts(), g.pick("provider outage", "", "bad deploy")] for _ in range(g.r.randrange(3))],
        announcements=[
            [g.ts(), g.ts(), g.pick(None, "db failover", "", "x" * 201), g.pick(None, g.dur())]
            for _ in range(g.r.randrange(3))
        ],
        events=[
            [g.ts(), g.pick(True, False, True, True), g.maybe(lambda: g.num(0, 3000), 0.8)]
            for _ in range(g.r.randrange(12))
        ],
        now=g.ts(),
        window=g.dur(),
        rules=g.maybe(lambda: g.pick(["high_error_rate"], ["nope"], ["roll_back", "application_down"]), 0.4),
        fail_on=g.maybe(lambda: g.pick(["overspent"], ["page", "ticket"], []), 0.3),
        prefix=g.maybe(lambda: g.pick("svc", "fleet_api", "9bad"), 0.2),
        batch=_batch(g, lambda: None),
    ),
    "maintenance_windows": lambda g: _kw(windows=maintenance(g), start=g.ts(), end=g.ts()),
    "read_openslo": lambda g: _kw(text=openslo(g)),
    "assess_health": lambda g: _kw(
        checks=[
            _kw(
                name=g.pick("database", "redis", "queue"),
                ok=g.pick(True, False, True),
                latency_ms=g.maybe(lambda: g.num(0, 3000), 0.7),
                degraded_above_ms=g.maybe(lambda: g.num(0, 2000), 0.3),
                message=g.maybe(g.text, 0.2),
            )
            for _ in range(g.r.randrange(4))
        ]
    ),
    "runbook_rules": lambda g: {},
    "judge_rule": lambda g: _kw(
        rule=g.pick(
            "high_error_rate",
            "roll_back",
            "application_down",
            "nope",
            _kw(
                name="custom",
                metric=g.pick("error_rate", "requests", "failures", "latency_p95_ms", "bogus"),
                op=g.pick(">", ">=", "<", "=="),
                threshold=g.num(0, 100),
                window=g.pick("5m", "1m", "0m"),
                severity="warning",
            ),
        ),
        stats=[
            _kw(requests=g.count(), failures=g.count(), p95_ms=g.maybe(lambda: g.num(0, 2000), 0.5))
            for _ in range(g.r.randrange(7))
        ],
        resolution=g.maybe(lambda: g.pick("1m", "30s", "0s"), 0.3),
    ),
    "key_hash": lambda g: _kw(key=g.key()),
    "key_hashes": lambda g: _kw(
        columns=[
            [g.pick("a", "b", 1, 2) if not g.bad(0.05) else g.junk() for _ in range(g.pick(3, 3, 3, 2))]
            for _ in range(g.r.randrange(1, 3))
        ]
    ),
    "dedup_mask": lambda g: _kw(
        keys=[g.pick(1, 2, 3, "a", "b") if not g.bad(0.04) else g.junk() for _ in range(g.r.randrange(10))],
        keep=g.maybe(lambda: g.pick("first", "last", "middle"), 0.5),
    ),
    "dedup_indices": lambda g: _dedup_indices(g),
    "Deduper": lambda g: _kw(
        horizon=g.pick(g.dur(), None),
        allowed_lateness=g.maybe(g.dur, 0.3),
        max_future=g.maybe(g.dur, 0.2),
        max_keys=g.maybe(g.count, 0.2),
        mode=g.maybe(lambda: g.pick("exact", "bloom", "fuzzy"), 0.3),
        expected_keys=g.maybe(g.count, 0.1),
        fpr=g.maybe(lambda: g.pick(0.01, 0.5, 0, 1.5), 0.1),
        horizn=g.maybe(lambda: "1h", 0.03),
        events=[[g.key(), g.ts(), g.maybe(g.ts, 0.3)] for _ in range(g.r.randrange(12))],
        batch=_batch(g, lambda: g.r.randrange(2**53) if g.r.random() < 0.2 else g.r.randrange(8)),
    ),
    "fingerprint": lambda g: _kw(labels=g.labels()),
    "label_matches": lambda g: _kw(
        matcher=_kw(
            name=g.pick("alertname", "zone"),
            op=g.maybe(lambda: g.pick("=", "!=", "=~", "!~", "~"), 0.8),
            value=g.pick("GpsLost", "Gps.*", "(", "", ".+"),
        ),
        labels=g.labels(),
    ),
    "duration_seconds": lambda g: _kw(duration=g.dur()),
    "utc_iso": lambda g: _kw(instant=g.ts()),
    "flap_series": lambda g: _kw(
        states=[g.pick(True, False) for _ in range(g.r.randrange(25))],
        high=g.maybe(lambda: g.num(0, 100), 0.3),
        low=g.maybe(lambda: g.num(0, 50), 0.3),
    ),
    "escalations_due": lambda g: _kw(
        alerts=[
            _kw(
                id=g.pick("a1", "a2", "a3"),
                raised_at=g.ts(),
                severity=g.maybe(lambda: g.pick("warning", "critical", "loud"), 0.6),
                priority=g.maybe(lambda: g.pick("P0", "P1", "P2", "P3", "P9"), 0.5),
                acked_at=g.maybe(g.ts, 0.2),
            )
            for _ in range(g.r.randrange(4))
        ],
        now=g.ts(),
        policy=_kw(
            warning_to_critical=g.maybe(g.dur, 0.2), auto_acknowledge=g.maybe(g.dur, 0.2), timezone=g.maybe(g.tz, 0.2)
        ),
    ),
    "StormDetector": lambda g: _kw(
        options=storm_options(g),
        alerts=[
            [g.pick("v1", "v2", "v3"), g.ts(), g.maybe(g.labels, 0.3), g.pick(True, True, False)]
            for _ in range(g.r.randrange(30))
        ],
        now=g.maybe(g.ts, 0.3),
        advance=g.ts(),
        batch=_batch(g, lambda: g.pick("v1", "v2", "v3")),
    ),
    "RateLimiter": lambda g: _kw(
        options=_kw(
            limit=g.maybe(lambda: g.pick(1, 2, 60, 0, -1, 2.5), 0.6),
            period=g.maybe(lambda: g.pick("1m", "10s", "1s", 0), 0.5),
            burst=g.maybe(lambda: g.pick(1, 5, 0), 0.3),
            mode=g.maybe(lambda: g.pick("gcra", "sliding_window", "leaky"), 0.4),
        ),
        requests=[[g.pick("c1", "c2"), g.ts()] for _ in range(g.r.randrange(10))],
    ),
    "Grouper": lambda g: _kw(
        options=_kw(
            group_by=g.maybe(lambda: g.pick(["alertname"], [], ["zone", "alertname"]), 0.5),
            group_wait=g.maybe(g.dur, 0.3),
            group_interval=g.maybe(g.dur, 0.3),
            repeat_interval=g.maybe(g.dur, 0.3),
        ),
        alerts=[[g.labels(), g.ts(), g.pick(True, False)] for _ in range(g.r.randrange(6))],
        due=[g.ts() for _ in range(g.r.randrange(1, 4))],
    ),
    "http_outcomes": lambda g: _kw(
        status=[
            g.pick(200, 201, 404, 429, 500, 503, 599) if not g.bad(0.03) else g.pick(70_000, -1)
            for _ in range(g.r.randrange(8))
        ],
        bad_statuses=g.maybe(lambda: g.pick([429], [404, 429], [], [70_000]), 0.4),
    ),
}


def strip(v: Any) -> Any:
    """Drops left-out values: keys from objects, trailing items from argument lists."""
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if x is not OMIT}
    if isinstance(v, list):
        return [strip(x) for x in v if x is not OMIT]
    return v


def make_cases(seed: int, n: int) -> list[dict[str, Any]]:
    g = Gen(seed)
    return [strip(call(g)) for _ in range(n)]
