"""Writes tests/vectors/slo_maintenance.json. Every expectation below is worked out by hand
(calendar facts checked with Python's own zoneinfo), never by running fleetops."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

AVAIL = [{"name": "availability", "kind": "success", "target": 0.99}]
FAST = {"tiers": [{"name": "fast", "severity": "page", "long": "1h", "short": "5m", "factor": 10}]}
DAILY = {"name": "daily", "cron": "0 2 * * *", "duration": "1h", "timezone": "UTC"}


def tracker(**extra: Any) -> dict[str, Any]:
    return {"period": "month", "timezone": "UTC", "objectives": AVAIL, "burn": FAST, **extra}


def run(start: str, count: int, ok: bool, every: int = 60, latency_ms: float | None = None) -> dict[str, Any]:
    """`count` events, one every `every` seconds from `start` (each taking `latency_ms`)."""
    out: dict[str, Any] = {"from": start, "count": count, "every_s": every, "ok": ok}
    if latency_ms is not None:
        out["latency_ms"] = latency_ms
    return out


def announce(start: str, end: str, at: str, **extra: Any) -> dict[str, Any]:
    """Maintenance announced at run time, at instant `at`."""
    return {"start": start, "end": end, "at": at, **extra}


def fix(start: str, end: str, reason: str = "provider outage INC-1234") -> dict[str, Any]:
    return {"correct": {"start": start, "end": end, "reason": reason}}


D = "2026-11-22T"
cases: list[dict[str, Any]] = []


def case(name: str, op: str, expect: dict[str, Any] | list[Any], **fields: Any) -> None:
    cases.append({"name": name, "op": op, **fields, "expect": expect})


def windows(name: str, specs: list[dict[str, Any]], start: str, end: str, expect: Any) -> None:
    case(name, "windows", expect, windows=specs, start=start, end=end)


def occ(start: str, end: str, name: str = "maintenance") -> dict[str, str]:
    return {"name": name, "start": start, "end": end}


ny_first_sunday = {"cron": "0 2 * * SUN#1", "duration": "2h", "timezone": "America/New_York"}
# --- windows: when each occurrence falls -------------------------------------------------
windows(
    "first Sunday 02:00 New York keeps its local time: EDT (UTC-4) in summer, EST (UTC-5) from November 1",
    [ny_first_sunday],
    "2026-07-01T00:00:00Z",
    "2027-01-01T00:00:00Z",
    [
        occ("2026-07-05T06:00:00Z", "2026-07-05T08:00:00Z"),
        occ("2026-08-02T06:00:00Z", "2026-08-02T08:00:00Z"),
        occ("2026-09-06T06:00:00Z", "2026-09-06T08:00:00Z"),
        occ("2026-10-04T06:00:00Z", "2026-10-04T08:00:00Z"),
        occ("2026-11-01T07:00:00Z", "2026-11-01T09:00:00Z"),
        occ("2026-12-06T07:00:00Z", "2026-12-06T09:00:00Z"),
    ],
)
windows(
    "a start in the hour repeated at fall-back happens once, at the first (EDT) 01:30",
    [{"cron": "30 1 * * SUN#1", "duration": "1h", "timezone": "America/New_York"}],
    "2026-11-01T00:00:00Z",
    "2026-11-02T00:00:00Z",
    [occ("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z")],
)
windows(
    "a start skipped by spring-forward moves to the first valid time after the gap (03:00 EDT)",
    [{"cron": "30 2 * * SUN#2", "duration": "1h", "timezone": "America/New_York"}],
    "2026-03-01T00:00:00Z",
    "2026-03-31T00:00:00Z",
    [occ("2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z")],
)
windows(
    "Amsterdam 02:30 on the last Sunday of March (skipped) moves to 03:00 CEST",
    [{"cron": "30 2 * * SUN#L", "duration": "30m", "timezone": "Europe/Amsterdam"}],
    "2026-03-01T00:00:00Z",
    "2026-04-01T00:00:00Z",
    [occ("2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z")],
)
windows(
    "a window begun before the range overlaps it and is listed whole",
    [DAILY],
    D + "02:30:00Z",
    D + "02:31:00Z",
    [occ(D + "02:00:00Z", D + "03:00:00Z", "daily")],
)
windows("a window starting at the range's end is outside it", [DAILY], D + "00:00:00Z", D + "02:00:00Z", [])
windows("a window ending at the range's start is outside it", [DAILY], D + "03:00:00Z", D + "04:00:00Z", [])
windows(
    "one-off and recurring windows come back by start",
    [DAILY, {"name": "emergency", "start": D + "01:00:00Z", "end": D + "01:30:00Z"}],
    D + "00:00:00Z",
    "2026-11-23T00:00:00Z",
    [occ(D + "01:00:00Z", D + "01:30:00Z", "emergency"), occ(D + "02:00:00Z", D + "03:00:00Z", "daily")],
)
windows(
    "leap day: a window on February 29 comes in 2028",
    [{"cron": "0 0 29 2 *", "duration": "1h"}],
    "2028-01-01T00:00:00Z",
    "2029-01-01T00:00:00Z",
    [occ("2028-02-29T00:00:00Z", "2028-02-29T01:00:00Z")],
)
windows(
    "leap day: none in 2027",
    [{"cron": "0 0 29 2 *", "duration": "1h"}],
    "2027-01-01T00:00:00Z",
    "2028-01-01T00:00:00Z",
    [],
)
windows(
    "the last day of the month at 22:00 for 2 h runs into March",
    [{"cron": "0 22 L * *", "duration": "2h", "timezone": "UTC"}],
    "2026-02-01T00:00:00Z",
    "2026-03-01T00:00:00Z",
    [occ("2026-02-28T22:00:00Z", "2026-03-01T00:00:00Z")],
)
windows(
    "hourly windows are allowed",
    [{"cron": "0 * * * *", "duration": "30m"}],
    D + "00:00:00Z",
    D + "03:00:00Z",
    [
        occ(D + "00:00:00Z", D + "00:30:00Z"),
        occ(D + "01:00:00Z", D + "01:30:00Z"),
        occ(D + "02:00:00Z", D + "02:30:00Z"),
    ],
)
windows(
    "the runbook's weekly window, Sunday 02:00-04:00 UTC",
    [{"name": "weekly", "cron": "0 2 * * SUN", "duration": "2h", "timezone": "UTC"}],
    "2026-11-01T00:00:00Z",
    "2026-11-16T00:00:00Z",
    [
        occ("2026-11-01T02:00:00Z", "2026-11-01T04:00:00Z", "weekly"),
        occ("2026-11-08T02:00:00Z", "2026-11-08T04:00:00Z", "weekly"),
        occ("2026-11-15T02:00:00Z", "2026-11-15T04:00:00Z", "weekly"),
    ],
)
bad = {"error": "INVALID_SCHEDULE"}
windows("a cron of four fields is refused", [{"cron": "0 2 * *", "duration": "1h"}], D + "00:00:00Z", D + "01:00:00Z", bad)
windows(
    "a window starting more often than hourly is refused",
    [{"cron": "*/5 * * * *", "duration": "1m"}],
    D + "00:00:00Z",
    D + "01:00:00Z",
    bad,
)
windows("a window of zero length is refused", [{"cron": "0 2 * * *", "duration": 0}], D + "00:00:00Z", D + "01:00:00Z", bad)
windows("a window over 7 days is refused", [{"cron": "0 2 * * *", "duration": "8d"}], D + "00:00:00Z", D + "01:00:00Z", bad)
windows(
    "a one-off window ending before it starts is refused",
    [{"start": D + "03:00:00Z", "end": D + "02:00:00Z"}],
    D + "00:00:00Z",
    D + "01:00:00Z",
    bad,
)
windows(
    "a window that is both recurring and one-off is refused",
    [{**DAILY, "start": D + "03:00:00Z"}],
    D + "00:00:00Z",
    D + "01:00:00Z",
    bad,
)
windows("a recurring window without a duration is refused", [{"cron": "0 2 * * *"}], D + "00:00:00Z", D + "01:00:00Z", bad)
windows(
    "an unknown zone is refused",
    [{"cron": "0 2 * * *", "duration": "1h", "timezone": "Mars/Olympus_Mons"}],
    D + "00:00:00Z",
    D + "01:00:00Z",
    {"error": "INVALID_TIME_ZONE"},
)
windows(
    "an unknown field is refused, not ignored",
    [{**DAILY, "every": "day"}],
    D + "00:00:00Z",
    D + "01:00:00Z",
    {"error": "INVALID_ARGUMENT"},
)
windows("a range over 400 days is refused", [DAILY], "2026-01-01T00:00:00Z", "2027-03-01T00:00:00Z", {"error": "INVALID_ARGUMENT"})

# --- the tracker: budgets and burn windows outside maintenance --------------------------
# November 2026 has 43,200 minutes; the daily window takes 30 x 60 = 1,800 of them.
outage = [run(D + "00:00:00Z", 120, True), run(D + "02:00:00Z", 60, False), run(D + "03:00:00Z", 60, True)]
case(
    "events inside the daily window count neither good nor bad",
    "tracker",
    {
        "objectives": [
            {
                "name": "availability",
                "budget": {"status": "ok", "good": 180, "bad": 0, "total": 180, "budget_minutes": 414.0},
                "burn": [{"tier": "fast", "firing": False, "long_events": 59}],
            }
        ],
        "excluded": {"period_minutes": 1800.0, "elapsed_minutes": 1320.0, "events": 60, "in_maintenance": False},
    },
    tracker=tracker(maintenance=[DAILY]),
    traffic=outage,
    now=D + "04:00:00Z",
)
case(
    "without a window the same outage pages",
    "tracker",
    {
        "objectives": [
            {
                "budget": {"good": 120, "bad": 60, "total": 180, "budget_minutes": 432.0},
                "burn": [{"firing": True, "long_burn_rate": 100.0, "short_burn_rate": 100.0, "long_events": 60, "short_events": 5}],
            }
        ],
        "excluded": {"period_minutes": 0.0, "elapsed_minutes": 0.0, "events": 0, "in_maintenance": False, "maintenance": [], "corrections": []},
    },
    tracker=tracker(),
    traffic=outage[:2],
    now=D + "02:59:00Z",
)
case(
    "inside the window nothing pages: both burn windows hold no counted event",
    "tracker",
    {
        "objectives": [
            {
                "budget": {"good": 120, "bad": 0, "total": 120},
                "burn": [{"firing": False, "long_burn_rate": None, "short_burn_rate": None, "long_events": 0, "short_events": 0}],
            }
        ],
        "excluded": {"elapsed_minutes": 1319.0, "events": 60, "in_maintenance": True},
    },
    tracker=tracker(maintenance=[DAILY]),
    traffic=outage[:2],
    now=D + "02:59:00Z",
)
upgrade = {"name": "upgrade", "start": D + "09:00:00Z", "end": D + "11:00:00Z"}
case(
    "a window covering the whole long burn window: no data, no page",
    "tracker",
    {
        "objectives": [{"budget": {"status": "no_data"}, "burn": [{"firing": False, "long_events": 0}]}],
        "excluded": {
            "period_minutes": 120.0,
            "elapsed_minutes": 90.0,
            "events": 91,
            "in_maintenance": True,
            "maintenance": [occ(D + "09:00:00Z", D + "11:00:00Z", "upgrade")],
        },
    },
    tracker=tracker(maintenance=[upgrade]),
    traffic=[run(D + "09:00:00Z", 91, False)],
    now=D + "10:30:00Z",
)
case(
    "burn windows are judged over the time outside a window they overlap",
    "tracker",
    {
        "objectives": [
            {
                "budget": {"bad": 31, "total": 31},
                "burn": [{"firing": True, "long_events": 30, "short_events": 1, "long_burn_rate": 100.0}],
            }
        ],
        "excluded": {"events": 30, "period_minutes": 30.0},
    },
    tracker=tracker(maintenance=[{"start": D + "10:00:00Z", "end": D + "10:30:00Z"}]),
    traffic=[run(D + "09:30:00Z", 61, False)],
    now=D + "10:30:00Z",
)
case(
    "a window off the minute excludes the buckets whose start it covers; its minutes are exact",
    "tracker",
    {
        "objectives": [{"budget": {"bad": 3, "total": 3}}],
        "excluded": {"events": 60, "period_minutes": 60.0, "elapsed_minutes": 60.0},
    },
    tracker=tracker(maintenance=[{"start": D + "02:00:30Z", "end": D + "03:00:30Z"}]),
    traffic=[run(D + "01:59:00Z", 63, False)],
    now=D + "03:01:00Z",
)
case(
    "five-minute buckets: a window 02:02-02:13 excludes the buckets starting 02:05 and 02:10",
    "tracker",
    {"objectives": [{"budget": {"bad": 5, "total": 5}}], "excluded": {"events": 10, "period_minutes": 11.0}},
    tracker=tracker(resolution="5m", maintenance=[{"start": D + "02:02:00Z", "end": D + "02:13:00Z"}]),
    traffic=[run(D + "02:00:00Z", 15, False)],
    now=D + "02:14:00Z",
)
case(
    "overlapping daily, weekly and first-Sunday windows are counted once",
    "tracker",
    {
        # daily 1,800 + Sundays' 03:00-04:00 5 x 60 + November 1's 00:00-02:00 120.
        "objectives": [{"budget": {"total": 1, "budget_minutes": 409.8}}],
        "excluded": {"period_minutes": 2220.0, "elapsed_minutes": 1680.0, "events": 0},
    },
    tracker=tracker(
        maintenance=[
            DAILY,
            {"name": "weekly", "cron": "0 2 * * SUN", "duration": "2h", "timezone": "UTC"},
            {"name": "monthly", "cron": "0 0 * * SUN#1", "duration": "4h", "timezone": "UTC"},
        ]
    ),
    traffic=[run(D + "11:00:00Z", 1, True)],
    now=D + "12:00:00Z",
)
ny = tracker(timezone="America/New_York", maintenance=[ny_first_sunday])
case(
    "New York month of November (30 days and the fall-back hour): 43,260 minutes, 120 in maintenance",
    "tracker",
    {
        "period": {"start": "2026-11-01T04:00:00Z", "end": "2026-12-01T05:00:00Z", "length_minutes": 43260.0},
        "objectives": [{"budget": {"total": 1, "budget_minutes": 431.4}}],
        "excluded": {"period_minutes": 120.0, "maintenance": [occ("2026-11-01T07:00:00Z", "2026-11-01T09:00:00Z")]},
    },
    tracker=ny,
    traffic=[run("2026-11-15T11:00:00Z", 1, True)],
    now="2026-11-15T12:00:00Z",
)
case(
    "New York month of July: the window is at 06:00 UTC (EDT)",
    "tracker",
    {
        "objectives": [{"budget": {"total": 1, "budget_minutes": 445.2}}],
        "excluded": {"period_minutes": 120.0, "maintenance": [occ("2026-07-05T06:00:00Z", "2026-07-05T08:00:00Z")]},
    },
    tracker=ny,
    traffic=[run("2026-07-09T23:00:00Z", 1, True)],
    now="2026-07-10T00:00:00Z",
)
case(
    "a rolling 7-day period counts the seven daily windows inside it",
    "tracker",
    {"objectives": [{"budget": {"total": 1, "budget_minutes": 96.6}}], "excluded": {"period_minutes": 420.0, "elapsed_minutes": 420.0}},
    tracker=tracker(period="7d", maintenance=[DAILY]),
    traffic=[run(D + "03:30:00Z", 1, True)],
    now=D + "04:00:00Z",
)
case(
    "an event at a window's end is counted again",
    "tracker",
    {"objectives": [{"budget": {"bad": 1, "total": 1}}], "excluded": {"events": 1}},
    tracker=tracker(maintenance=[DAILY]),
    traffic=[run(D + "02:59:00Z", 2, False)],
    now=D + "03:00:00Z",
)

# --- time slices: each minute a slice, good at 90 % or better ---------------------------------
sliced = [{"name": "availability", "kind": "success", "target": 0.99, "timeslices": {"slice_target": 0.9}}]
slices = [
    run(D + "10:00:00Z", 300, True, 6),  # 10:00-10:29: 10 good a minute
    run(D + "10:30:00Z", 10, False, 6),  # 10:30: all bad
    run(D + "10:31:00Z", 9, True, 6),  # 10:31: 9 good, 1 bad: 90 %, good
    run(D + "10:31:54Z", 1, False, 6),
    run(D + "10:32:00Z", 8, True, 6),  # 10:32: 8 good, 2 bad: 80 %, bad
    run(D + "10:32:48Z", 2, False, 6),
]
case(
    "time slices: 31 good minutes and 2 bad against 432 budget minutes",
    "tracker",
    {
        "objectives": [
            {
                "budget": {"bad": 13, "total": 330},
                "timeslices": {
                    "good_slices": 31,
                    "bad_slices": 2,
                    "empty_slices": 0,
                    "sli": 31 / 33,
                    "downtime_minutes": 2.0,
                    "budget_minutes": 432.0,
                    "remaining_minutes": 430.0,
                    "used_percent": 2 / 432 * 100,
                    "overspent": False,
                },
            }
        ]
    },
    tracker=tracker(objectives=sliced),
    traffic=slices,
    now=D + "10:33:00Z",
)
case(
    "time slices inside maintenance are skipped, and their minutes leave the budget",
    "tracker",
    {
        "objectives": [
            {
                "budget": {"bad": 3, "total": 320},
                "timeslices": {"good_slices": 31, "bad_slices": 1, "downtime_minutes": 1.0, "budget_minutes": 431.99, "used_percent": 1 / 431.99 * 100},
            }
        ]
    },
    tracker=tracker(objectives=sliced, maintenance=[{"start": D + "10:30:00Z", "end": D + "10:31:00Z"}]),
    traffic=slices,
    now=D + "10:33:00Z",
)
case(
    "ratio time slices: the mean of the slices' SLIs, each slice's bad share its downtime",
    "tracker",
    {
        "objectives": [
            {
                "timeslices": {
                    # 30 slices at 100 %, then 0 %, 90 % and 80 %.
                    "good_slices": 30,
                    "bad_slices": 3,
                    "sli": (30 + 0 + 0.9 + 0.8) / 33,
                    "downtime_minutes": 1.0 + 0.1 + 0.2,
                    "budget_minutes": 432.0,
                    "used_percent": 1.3 / 432 * 100,
                    "overspent": False,
                },
            }
        ]
    },
    tracker=tracker(objectives=[{**sliced[0], "timeslices": {"ratio": True}}]),
    traffic=slices,
    now=D + "10:33:00Z",
)
case(
    "time slices take a slice target or ratio, not both",
    "tracker",
    {"error": "INVALID_ARGUMENT"},
    tracker=tracker(objectives=[{**sliced[0], "timeslices": {"slice_target": 0.9, "ratio": True}}]),
    traffic=[],
    now=D + "10:33:00Z",
)
case(
    "an events objective has no time-slice budget",
    "tracker",
    {"objectives": [{"timeslices": None}]},
    tracker=tracker(),
    traffic=slices,
    now=D + "10:33:00Z",
)
case(
    "a slice target outside (0, 1) is refused",
    "tracker",
    {"error": "INVALID_TARGET"},
    tracker=tracker(objectives=[{**sliced[0], "timeslices": {"slice_target": 1.0}}]),
    traffic=[],
    now=D + "10:33:00Z",
)

# --- corrections ---------------------------------------------------------------------------
bad_hour = [run(D + "10:00:00Z", 60, False)]
fixed = {
    "objectives": [
        {
            "budget": {"bad": 30, "total": 30},
            "burn": [{"firing": True, "long_events": 30, "short_events": 4, "long_burn_rate": 100.0}],
        }
    ],
    "excluded": {
        "period_minutes": 30.0,
        "elapsed_minutes": 30.0,
        "events": 30,
        "corrections": [{"start": D + "10:00:00Z", "end": D + "10:30:00Z", "reason": "provider outage INC-1234"}],
    },
}
first_half = fix(D + "10:00:00Z", D + "10:30:00Z")
case("a correction takes its range out of the budget, from the buckets", "tracker", fixed, tracker=tracker(), traffic=bad_hour, steps=[first_half], now=D + "11:00:00Z")
case("a correction made after a save and restore", "tracker", fixed, tracker=tracker(), traffic=bad_hour, steps=[{"restore": True}, first_half], now=D + "11:00:00Z")
case("a correction survives a save and restore", "tracker", fixed, tracker=tracker(), traffic=bad_hour, steps=[first_half, {"restore": True}], now=D + "11:00:00Z")
case("the same correction twice is kept once", "tracker", fixed, tracker=tracker(), traffic=bad_hour, steps=[first_half, first_half], now=D + "11:00:00Z")
case(
    "overlapping corrections exclude their union",
    "tracker",
    {
        "objectives": [{"budget": {"bad": 15, "total": 15}}],
        "excluded": {
            "period_minutes": 45.0,
            "events": 45,
            "corrections": [
                {"start": D + "10:00:00Z", "end": D + "10:30:00Z", "reason": "provider outage INC-1234"},
                {"start": D + "10:15:00Z", "end": D + "10:45:00Z", "reason": "bad deploy"},
            ],
        },
    },
    tracker=tracker(),
    traffic=bad_hour,
    steps=[fix(D + "10:15:00Z", D + "10:45:00Z", "bad deploy"), first_half],
    now=D + "11:00:00Z",
)
case(
    "a correction and a maintenance window overlapping are counted once",
    "tracker",
    {
        "objectives": [{"budget": {"bad": 30, "total": 30}}],
        "excluded": {"period_minutes": 1830.0, "elapsed_minutes": 1350.0, "events": 90},
    },
    tracker=tracker(maintenance=[DAILY]),
    traffic=[run(D + "01:00:00Z", 120, False)],
    steps=[fix(D + "01:30:00Z", D + "02:30:00Z")],
    now=D + "03:00:00Z",
)
invalid = {"error": "INVALID_ARGUMENT"}
case(
    "a correction ending after now is refused (plan the future as maintenance)",
    "tracker",
    invalid,
    tracker=tracker(),
    traffic=bad_hour,
    steps=[fix(D + "10:00:00Z", D + "12:00:00Z")],
    now=D + "11:00:00Z",
)
case("a correction ending before it starts is refused", "tracker", invalid, tracker=tracker(), traffic=bad_hour, steps=[fix(D + "10:30:00Z", D + "10:00:00Z")], now=D + "11:00:00Z")
case("a correction without a reason is refused", "tracker", invalid, tracker=tracker(), traffic=bad_hour, steps=[fix(D + "10:00:00Z", D + "10:30:00Z", " ")], now=D + "11:00:00Z")
case("a tracker with a bad cron is refused", "tracker", bad, tracker=tracker(maintenance=[{"cron": "0 25 * * *", "duration": "1h"}]), traffic=[], now=D + "11:00:00Z")
case("a tracker with an unknown maintenance field is refused", "tracker", invalid, tracker=tracker(maintenance=[{**DAILY, "every": 1}]), traffic=[], now=D + "11:00:00Z")

# --- maintenance announced at run time (the fleet API runbook: emergency maintenance, 1 h notice) ----
emergency = announce(D + "10:00:00Z", D + "10:30:00Z", D + "09:00:00Z", name="emergency db failover")
# The correction case's numbers (30 bad of 60, the first 30 left out), now by a window.
emergency_out = {
    **fixed,
    "excluded": {
        **{k: v for k, v in fixed["excluded"].items() if k != "corrections"},
        "in_maintenance": False,
        "maintenance": [{"name": "emergency db failover", "start": D + "10:00:00Z", "end": D + "10:30:00Z"}],
        "corrections": [],
    },
}
case("emergency maintenance announced an hour ahead counts neither good nor bad", "tracker", emergency_out, tracker=tracker(), announce=[emergency], traffic=bad_hour, now=D + "11:00:00Z")
case("announced maintenance survives a save and restore", "tracker", emergency_out, tracker=tracker(), announce=[emergency], traffic=bad_hour, steps=[{"restore": True}], now=D + "11:00:00Z")
case(
    "a shorter notice when the caller asks for it: 15 minutes",
    "tracker",
    emergency_out,
    tracker=tracker(),
    announce=[announce(D + "10:00:00Z", D + "10:30:00Z", D + "09:45:00Z", name="emergency db failover", notice="15m")],
    traffic=bad_hour,
    now=D + "11:00:00Z",
)
case(
    "59 minutes' notice is less than the runbook's hour: refused",
    "tracker",
    invalid,
    tracker=tracker(),
    announce=[announce(D + "10:00:00Z", D + "10:30:00Z", D + "09:01:00Z")],
    traffic=[],
    now=D + "11:00:00Z",
)
case(
    "announcing after events inside were recorded is refused (a correction's job)",
    "tracker",
    invalid,
    tracker=tracker(),
    traffic=bad_hour,
    steps=[{"announce": announce(D + "10:30:00Z", D + "11:30:00Z", D + "09:00:00Z")}],
    now=D + "11:00:00Z",
)
case(
    "an announced window over 7 days is refused",
    "tracker",
    bad,
    tracker=tracker(),
    announce=[announce(D + "10:00:00Z", "2026-11-30T10:00:00Z", D + "09:00:00Z")],
    traffic=[],
    now=D + "11:00:00Z",
)
# Latency: 30 requests at 3 s inside 10:00-10:30, 30 at 100 ms after. HdrHistogram at 2
# significant figures reports 100 ms as 100.351 ms and 3 s as 3,014.655 ms (within 1 %).
slow_then_fast = [run(D + "10:00:00Z", 30, True, latency_ms=3000.0), run(D + "10:30:00Z", 30, True, latency_ms=100.0)]
fast_only = {
    "objectives": [{"budget": {"good": 30, "total": 30}}],
    "latency": {"count": 30, "p50_ms": 100.0, "p99_ms": 100.0},
}
case(
    "latency inside an announced window stays out of the percentiles",
    "tracker",
    fast_only,
    tracker=tracker(),
    announce=[announce(D + "10:00:00Z", D + "10:30:00Z", D + "09:00:00Z")],
    traffic=slow_then_fast,
    now=D + "11:00:00Z",
    rel_tol=0.01,
)
case(
    "latency inside a spec's one-off window stays out of the percentiles",
    "tracker",
    fast_only,
    tracker=tracker(maintenance=[{"start": D + "10:00:00Z", "end": D + "10:30:00Z"}]),
    traffic=slow_then_fast,
    now=D + "11:00:00Z",
    rel_tol=0.01,
)
slow_hour_then_fast = [run(D + "09:00:00Z", 60, True, latency_ms=3000.0), run(D + "10:00:00Z", 60, True, latency_ms=100.0)]
case(
    "a correction over a whole hour takes its latency out of the period's percentiles",
    "tracker",
    {"latency": {"count": 60, "p50_ms": 100.0, "p99_ms": 100.0}},
    tracker=tracker(),
    traffic=slow_hour_then_fast,
    steps=[fix(D + "09:00:00Z", D + "10:00:00Z", "load test")],
    now=D + "11:00:00Z",
    rel_tol=0.01,
)
case(
    "a correction over part of an hour leaves that hour's latency in (hourly histograms)",
    "tracker",
    {"objectives": [{"budget": {"good": 90, "total": 90}}], "latency": {"count": 120, "p50_ms": 100.0, "p99_ms": 3000.0}},
    tracker=tracker(),
    traffic=slow_hour_then_fast,
    steps=[fix(D + "09:00:00Z", D + "09:30:00Z", "load test")],
    now=D + "11:00:00Z",
    rel_tol=0.01,
)

about = (
    "Maintenance windows and corrections, worked out by hand from the data platform and fleet API runbooks' windows (docs/runbooks.md) "
    "and the calendar (zoneinfo). Ops: windows (every occurrence of `windows` overlapping [start, end)); "
    "tracker (a tracker of `tracker` options; first the `announce` list, each maintenance announced at run time "
    "{start, end, name?, notice?} at its own instant `at`; then `traffic` runs -- `count` events `every_s` seconds "
    "apart from `from`, each taking `latency_ms` when given, all recorded at `now` -- then `steps` in order: "
    "`correct` {start, end, reason} at `now`, `announce` {start, end, at, ...} as above, or `restore` (save and "
    "restore the tracker) -- and its status at `now` must match `expect`). "
    "An expect of {\"error\": CODE} means the call must fail with that code."
)
out = Path(__file__).resolve().parent.parent / "slo_maintenance.json"
out.write_text(json.dumps({"about": about, "cases": cases}, indent=1) + "\n")
print(f"{len(cases)} cases -> {out}")
