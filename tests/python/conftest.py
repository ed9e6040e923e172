"""Shared helpers: loading the cross-language vectors and partial matching."""

from __future__ import annotations

import glob
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import fleetops
import pytest
from jsonschema import Draft202012Validator

VECTORS = Path(__file__).resolve().parent.parent / "vectors"
# The declared result types, generated from the core's (`cargo xtask codegen`).
RESULTS_SCHEMA = json.loads((VECTORS.parent / "types" / "results.schema.json").read_text())
_validators: dict[str, Draft202012Validator] = {}

T = TypeVar("T")


def checked(call: str, value: T) -> T:
    """``value`` after validating it against the declared result of ``call`` (its name in
    ``tests/types/returns.json``, e.g. ``"classify_tables"`` or ``"SloTracker.status"``): every key
    declared, none undeclared, every value of its type."""
    if call not in _validators:
        schema = {"$defs": RESULTS_SCHEMA["$defs"], **RESULTS_SCHEMA["returns"][call]}
        _validators[call] = Draft202012Validator(schema)
    errors = sorted(_validators[call].iter_errors(value), key=lambda e: list(e.path))
    assert not errors, f"{call} returned what its type does not declare: " + "; ".join(
        f"{'/'.join(map(str, e.path)) or '$'}: {e.message[:200]}" for e in errors[:5]
    )
    return value


def run_at_frozen_clock(instant: str, code: str) -> str:
    """Runs ``code`` in a new Python process whose clock libfaketime holds still at ``instant``
    (UTC, ``YYYY-MM-DD hh:mm:ss``) and returns what it printed: the way to test a default of
    "now" at a pinned instant."""
    # A clean libfaketime setting (the suite itself may run under one) and an absolute instant
    # read in UTC.
    # read in UTC. libfaketime is preloaded directly: its `faketime` wrapper refuses to nest.
    libs = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1") + glob.glob("/usr/lib/faketime/libfaketime.so.1"))
    assert libs, "libfaketime is missing (tests/setup.sh installs Debian's faketime)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    env |= {"TZ": "UTC", "LD_PRELOAD": libs[0], "FAKETIME": instant}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0, f"frozen-clock run failed: {r.stderr}"
    return r.stdout.strip()


def load_cases(name: str) -> list[dict[str, Any]]:
    data = json.loads((VECTORS / name).read_text())
    cases = data["cases"] if isinstance(data, dict) else data
    assert cases, f"{name} has no cases"
    return cast(list[dict[str, Any]], cases)


def assert_matches(expected: Any, actual: Any, path: str = "$", rel_tol: float = 1e-6) -> None:
    """Every key of ``expected`` must be in ``actual`` with an equal value (floats to ``rel_tol``)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: missing in {actual!r}"
            assert_matches(value, actual[key], f"{path}.{key}", rel_tol)
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_matches(e, a, f"{path}[{i}]", rel_tol)
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{path}: {actual!r}"
        assert math.isclose(actual, expected, rel_tol=rel_tol, abs_tol=rel_tol), (
            f"{path}: expected {expected}, got {actual}"
        )
    else:
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


def check_case(case: dict[str, Any], run: Callable[[dict[str, Any]], Any]) -> None:
    """Runs one vector: either the typed error it expects, or a result matching ``expect``."""
    expected = case["expect"]
    if "error" in expected:
        with pytest.raises(fleetops.FleetopsError) as info:
            run(case)
        assert info.value.code == expected["error"], str(info.value)
    else:
        assert_matches(expected, run(case), rel_tol=case.get("rel_tol", 1e-6))
