"""Every case of tests/vectors/freshness.json through the Python API."""

from __future__ import annotations

from typing import Any

import fleetops
import pytest
from conftest import check_case, checked, load_cases

CASES = load_cases("freshness.json")


def policy_of(spec: dict[str, Any]) -> fleetops.FreshnessPolicy:
    spec = dict(spec)
    if "tiers" in spec:
        spec["tiers"] = [tuple(t) for t in spec["tiers"]]
    return fleetops.FreshnessPolicy(**spec)


def run(case: dict[str, Any]) -> Any:
    op = case["op"]
    if op == "policy":
        return {"class_names": policy_of(case["policy"]).class_names}
    if op == "classify":
        return checked(
            "FreshnessPolicy.classify", policy_of(case["policy"]).classify(case["last_loaded_at"], now=case["now"])
        )
    if op == "classify_ages":
        ages = [float("nan") if a == "NaN" else a for a in case["ages"]]
        return {"classes": policy_of(case["policy"]).classify_ages(ages)}
    if op == "batch":
        report = fleetops.classify_tables(
            case["tables"], policy=policy_of(case["policy"]), now=case["now"], cadence=case.get("options")
        )
        return checked("classify_tables", report)
    if op == "dbt_sources":
        sources = fleetops.dbt_sources(
            case["tables"], policy=policy_of(case["policy"]), now=case["now"], source=case["source"]
        )
        return checked("dbt_sources", sources)
    if op == "cadence":
        return checked(
            "check_cadence", fleetops.check_cadence(case["history"], now=case["now"], **case.get("options", {}))
        )
    if op == "schedule":
        spec = case["schedule"]
        schedule = fleetops.LoadSchedule(
            spec["cron"],
            timezone=spec.get("timezone"),
            allowed_delay=spec.get("allowed_delay"),
            maintenance=spec.get("maintenance"),
        )
        return checked("LoadSchedule.check", schedule.check(case["last_loaded_at"], now=case["now"]))
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    check_case(case, run)


def test_vector_count() -> None:
    assert len(CASES) >= 40
