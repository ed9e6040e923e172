"""Every case of tests/vectors/slo_openslo.json through fleetops.read_openslo, and the tracker
it describes; a refused document names the offending line."""

from __future__ import annotations

from typing import Any

import fleetops
import pytest
from conftest import assert_matches, load_cases

CASES = load_cases("slo_openslo.json")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    expected = case["expect"]
    if "error" in expected:
        with pytest.raises(fleetops.FleetopsError) as info:
            fleetops.read_openslo(case["yaml"])
        assert info.value.code == expected["error"], str(info.value)
        if "line" in expected:
            assert f"line {expected['line']}:" in str(info.value)
        with pytest.raises(fleetops.FleetopsError):
            fleetops.SloTracker.from_openslo(case["yaml"])
    else:
        spec = fleetops.read_openslo(case["yaml"])
        assert_matches(expected, spec)
        # The options build the tracker, and it writes back what reads as the same spec.
        tracker = fleetops.SloTracker(**spec)
        again = fleetops.read_openslo(tracker.to_openslo())
        assert fleetops.SloTracker(**again).to_openslo() == tracker.to_openslo()
        assert fleetops.SloTracker.from_openslo(case["yaml"]).to_openslo() == tracker.to_openslo()


def test_a_non_string_is_a_typed_error() -> None:
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.read_openslo(42)  # type: ignore[arg-type]
