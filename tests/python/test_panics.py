"""No panic crosses into Python: a panic in the core is a fleetops.InternalError (code INTERNAL)."""

from __future__ import annotations

import subprocess
import sys

import fleetops
import pytest
from fleetops import _fleetops


def test_a_panic_in_the_core_raises_internal_error_and_the_process_lives() -> None:
    with pytest.raises(fleetops.InternalError) as info:
        _fleetops._panic_for_test("boom")
    assert info.value.code == "INTERNAL"
    assert "boom" in str(info.value) and "a bug in fleetops" in str(info.value)
    # An ordinary `except Exception` catches it (pyo3's PanicException is a BaseException).
    assert isinstance(info.value, Exception) and isinstance(info.value, fleetops.FleetopsError)
    # The module still answers.
    budget = fleetops.error_budget(0.999, good=999, total=1000)
    assert budget["status"] == "ok" and budget["used_percent"] == pytest.approx(100.0)


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


def test_an_engine_a_panic_left_behind_refuses_every_later_call() -> None:
    # The call that panicked may have stopped half way through an update: the engine says so
    # on every later call instead of answering from a half-updated state.
    d = fleetops.Deduper("1h")
    assert d.observe(1, 1_763_798_400.0) == "first"
    with pytest.raises(fleetops.InternalError, match="boom"):
        _fleetops._panic_for_test("boom", d)
    for call in (lambda: d.observe(2, 1_763_798_401.0), d.stats, d.to_bytes, lambda: d.memory_bytes):
        with pytest.raises(fleetops.InternalError, match="left unusable"):
            call()
    # Other engines are untouched.
    assert fleetops.Deduper("1h").observe(1, 1_763_798_400.0) == "first"
