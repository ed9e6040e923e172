"""Every case of tests/vectors/slo.json through the Python API."""

from __future__ import annotations

from typing import Any

import fleetops
import pytest
from conftest import check_case, checked, load_cases

CASES = load_cases("slo.json")


def num(value: Any) -> Any:
    return float("nan") if value == "NaN" else value


def run(case: dict[str, Any]) -> Any:
    op = case["op"]
    if op == "budget":
        counts = {k: num(v) for k, v in case["counts"].items()}
        budget = fleetops.error_budget(num(case["objective"]), period_minutes=num(case.get("period_minutes")), **counts)
        return checked("error_budget", budget)
    if op == "period":
        spec = case["period"]
        window = fleetops.period_window(
            spec["period"], timezone=spec.get("timezone"), now=case["now"], objective=case.get("objective")
        )
        return checked("period_window", window)
    if op == "timeslice":
        return checked(
            "timeslice_budget",
            fleetops.timeslice_budget(
                case["objective"],
                [tuple(s) for s in case["slices"]],
                slice_target=case["slice_target"],
                slice=case["slice"],
                period=case["period"],
                empty=case.get("empty", "good"),
            ),
        )
    if op == "burn_tiers":
        policy = fleetops.BurnPolicy(**case["policy"])
        checked("BurnPolicy.tiers", policy.tiers)
        return {"tiers": checked("BurnPolicy.evaluate", policy.evaluate(0.999, _empty_windows(case["policy"])))}
    if op == "burn":
        windows: dict[float, tuple[float, float]] = {int(k): (v[0], v[1]) for k, v in case["windows"].items()}
        alerts = checked(
            "BurnPolicy.evaluate", fleetops.BurnPolicy(**case["policy"]).evaluate(case["objective"], windows)
        )
        return {"alerts": alerts, "alerts_by_tier": {a["tier"]: a for a in alerts}}
    if op == "forecast":
        forecast = fleetops.forecast_budget(
            case["remaining_percent"], case["burn_rate"], period=case["period"], time_left=case["time_left"]
        )
        return checked("forecast_budget", forecast)
    raise AssertionError(f"unknown op {op}")


def _empty_windows(policy: dict[str, Any]) -> dict[float, tuple[int, int]]:
    tiers = fleetops.BurnPolicy(**policy).tiers
    return {w: (0, 0) for t in tiers for w in (t["long"], t["short"])}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    check_case(case, run)


def test_vector_count() -> None:
    assert len(CASES) >= 60
