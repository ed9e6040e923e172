"""Every case of tests/vectors/slo_rules.json through fleetops.judge_rule."""

from __future__ import annotations

from typing import Any

import fleetops
import pytest
from conftest import check_case, checked, load_cases

CASES = load_cases("slo_rules.json")


def run(case: dict[str, Any]) -> Any:
    return checked("judge_rule", fleetops.judge_rule(case["rule"], case["stats"], resolution=case["resolution"]))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    check_case(case, run)


def test_the_tracker_evaluates_the_runbook_rules() -> None:
    t = fleetops.SloTracker()
    t.record_batch(
        [1_795_852_800.0 + i for i in range(600)],
        [i % 10 != 0 for i in range(600)],
        [1500.0] * 600,
        now=1_795_852_800.0 + 599,
    )
    results = {r["name"]: r for r in checked("SloTracker.evaluate_rules", t.evaluate_rules(now=1_795_852_800.0 + 599))}
    assert results["high_error_rate"]["firing"] is True  # 10 % errors
    assert results["high_response_time"]["firing"] is True  # p95 1.5 s
    assert results["application_down"]["firing"] is False
    assert results["roll_back"]["firing"] is True  # above 5 % for every minute of 5
    assert [r["name"] for r in checked("runbook_rules", fleetops.runbook_rules())] == list(results)
