"""Every case of tests/vectors/slo_maintenance.json through fleetops.maintenance_windows and
SloTracker (maintenance windows, corrections, save and restore)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import fleetops
import pytest
from conftest import check_case, checked, load_cases

CASES = load_cases("slo_maintenance.json")


def traffic(case: dict[str, Any]) -> tuple[list[float], list[bool], list[float]]:
    at: list[float] = []
    ok: list[bool] = []
    latency: list[float] = []
    for run in case["traffic"]:
        start = datetime.fromisoformat(run["from"]).timestamp()
        at += [start + k * run["every_s"] for k in range(run["count"])]
        ok += [run["ok"]] * run["count"]
        latency += [run.get("latency_ms", math.nan)] * run["count"]
    return at, ok, latency


def announce(t: fleetops.SloTracker, a: dict[str, Any]) -> None:
    kept = t.announce_maintenance(a["start"], a["end"], name=a.get("name"), notice=a.get("notice"), now=a["at"])
    checked("SloTracker.announce_maintenance", kept)


def run(case: dict[str, Any]) -> Any:
    if case["op"] == "windows":
        return checked("maintenance_windows", fleetops.maintenance_windows(case["windows"], case["start"], case["end"]))
    now = case["now"]
    t = fleetops.SloTracker(**case["tracker"])
    for a in case.get("announce", []):
        announce(t, a)
    at, ok, latency = traffic(case)
    t.record_batch(at, ok, latency, now=now)
    for step in case.get("steps", []):
        if "restore" in step:
            t = fleetops.SloTracker.from_bytes(t.to_bytes())
        elif "announce" in step:
            announce(t, step["announce"])
        else:
            c = step["correct"]
            t.correct(c["start"], c["end"], c["reason"], now=now)
    checked("SloTracker.corrections", t.corrections())
    checked("SloTracker.announced_maintenance", t.announced_maintenance())
    return checked("SloTracker.status", t.status(now))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    check_case(case, run)
