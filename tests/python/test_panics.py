"""No panic crosses into Python: a panic in the core is a fleetops.InternalError (code INTERNAL)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import fleetops
from fleetops import _fleetops


def test_a_panic_in_the_core_raises_internal_error_and_the_process_lives() -> None:
    with pytest.raises(fleetops.InternalError) as info:
        _fleetops._panic_for_test("boom")
    assert info.value.code == "INTERNAL"
    assert "boom" in str(info.value) and "a bug in fleetops" in str(info.value)
    # An ordinary `except Exception` catches it (pyo3's PanicException is a BaseException).
    assert isinstance(info.value, Exception) and isinstance(info.value, fleetops.FleetopsError)
    # The module still answers.
    assert fleetops.error_budget(0.999, good=999, total=1000)["used_percent"] == pytest.approx(100.0)


def test_a_panic_does_not_end_a_fresh_process() -> None:
    code = (
        "import fleetops\n"
        "from fleetops import _fleetops\n"
        "try:\n"
        "    _fleetops._panic_for_test('boom')\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, e.code)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "InternalError INTERNAL"
