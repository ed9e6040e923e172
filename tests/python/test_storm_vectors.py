"""Every case of tests/vectors/storm.json through fleetops' storm API."""

from __future__ import annotations

from typing import Any

import fleetops
import pytest
from conftest import check_case, checked, load_cases

CASES = load_cases("storm.json")


def labels_of(v: Any) -> Any:
    return [tuple(p) for p in v] if isinstance(v, list) else (v or {})


def run(case: dict[str, Any]) -> Any:
    op = case["op"]
    if op == "detector":
        d = fleetops.StormDetector(**case.get("config", {}))
        if "mutes" in case:
            d.set_mutes(case["mutes"])
        actions, events = [], []
        for a in case["alerts"]:
            v = d.observe(
                a["key"], a["at"], labels=a.get("labels"), firing=a.get("status") != "resolved", now=case.get("now")
            )
            checked("StormDetector.observe", v)
            assert v["reason"]
            actions.append(v["action"])
            events += v["events"]
        d = fleetops.StormDetector.from_bytes(d.to_bytes())
        checked("StormDetector.config", d.config)
        advance = checked("StormDetector.advance", d.advance(case["advance"])) if "advance" in case else []
        counts = checked("StormDetector.stats", d.stats())["counts"]
        return {"actions": actions, "events": events, "advance_events": advance, "counts": counts}
    if op == "fingerprint":
        return {"fingerprint": str(fleetops.fingerprint(labels_of(case["labels"])))}
    if op == "matcher":
        return {"matches": fleetops.label_matches(case["matcher"], case["labels"])}
    if op == "flap":
        return checked("flap_series", fleetops.flap_series(case["states"]))
    if op == "limit":
        limiter = fleetops.RateLimiter(**case.get("config", {}))
        return {"decisions": [checked("RateLimiter.check", limiter.check(k, at)) for k, at in case["requests"]]}
    if op == "escalation":
        due = fleetops.escalations_due(case["alerts"], case["now"], **case.get("policy", {}))
        return {"due": checked("escalations_due", due)}
    if op == "group":
        g = fleetops.Grouper(**case.get("config", {}))
        alerts, out, i = case["alerts"], [], 0
        for due in case["due"]:
            while i < len(alerts) and alerts[i][1] <= due:
                g.add(alerts[i][0], alerts[i][1], firing=alerts[i][2])
                i += 1
            out.append(checked("Grouper.due", g.due(due)))
        return {"notifications": out}
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    check_case(case, run)
