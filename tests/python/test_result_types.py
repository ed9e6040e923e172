"""The declared result types (fleetops/results.py, generated from the core's) are the ones the
stubs annotate, and every call's declared result is checked against what it returns."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any, Literal, assert_type

import fleetops
import fleetops.results
from conftest import RESULTS_SCHEMA, checked

ROOT = Path(__file__).resolve().parents[2]
RETURNS = json.loads((ROOT / "tests" / "types" / "returns.json").read_text())
STUB = ROOT / "bindings-python" / "python" / "fleetops" / "_fleetops.pyi"


def stub_returns() -> dict[str, str]:
    """Each function's and method's return annotation in the stub, by its name in returns.json."""
    out: dict[str, str] = {}
    tree = ast.parse(STUB.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.returns is not None:
            out[node.name] = ast.unparse(node.returns)
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.returns is not None:
                    out[f"{node.name}.{item.name}"] = ast.unparse(item.returns)
    return out


def test_the_stub_annotates_every_call_with_its_declared_result() -> None:
    stub = stub_returns()
    for call, declared in RETURNS.items():
        if call == "StormDetector.observe_batch.events":
            assert stub["StormDetector.observe_batch"] == f"tuple[bytes, {declared['python']}]"
        else:
            assert stub.get(call) == declared["python"], f"{call}: the stub says {stub.get(call)}"
    assert "dict[str, Any]" not in STUB.read_text()


def test_every_declared_name_is_importable() -> None:
    for expr in (d["python"] for d in RETURNS.values()):
        for name in re.findall(r"[A-Z]\w+", expr):
            assert hasattr(fleetops.results, name), name
    assert set(RESULTS_SCHEMA["returns"]) == set(RETURNS)


def test_every_call_is_checked_against_its_type_somewhere_in_the_suite() -> None:
    sources = "\n".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    unchecked = [call for call in RETURNS if not re.search(r'checked\(\s*"' + re.escape(call) + '"', sources)]
    assert not unchecked, f"no test validates the result of {unchecked}"


def test_health_results_are_declared() -> None:
    health = checked(
        "assess_health",
        fleetops.assess_health(
            [{"name": "database", "ok": True, "latency_ms": 1200.0}, {"name": "redis", "ok": False}]
        ),
    )
    assert health["status"] == "down" and list(health["checks"]) == ["database", "redis"]
    assert health["checks"]["database"]["status"] == "degraded"


def test_a_result_dict_has_exactly_the_keys_written_each_time() -> None:
    # Result dicts are copied from the first one of their type (pyser's shapes); a field that is
    # left out of a later result must stay out of it, in any order of calls.
    def check(ms: float | None) -> dict[str, Any]:
        c: dict[str, Any] = {"name": "db", "ok": True}
        if ms is not None:
            c["latency_ms"] = ms
        return dict(fleetops.assess_health([c])["checks"]["db"])

    for order in ([1.0, None], [None, 1.0]):
        first, second = (check(ms) for ms in order)
        with_latency, without = (first, second) if order[0] is not None else (second, first)
        assert list(with_latency) == ["status", "message", "latency"], with_latency
        assert list(without) == ["status", "message"], without
        assert with_latency["latency"] == 1.0
    # The same type, many times: fresh dicts, never the shared template.
    a, b = check(2.0), check(3.0)
    a["latency"] = 99
    assert b["latency"] == 3.0 and check(4.0)["latency"] == 4.0


def test_a_result_with_an_undeclared_key_fails_the_check() -> None:
    budget = dict(fleetops.error_budget(0.999, good=999, total=1000))
    budget["surprise"] = 1
    try:
        checked("error_budget", budget)
    except AssertionError as e:
        assert "surprise" in str(e)
    else:
        raise AssertionError("an undeclared key passed")


def test_results_are_typed_for_mypy() -> None:
    # Checked by `mypy --strict` in ./test; at run time only the narrowing is asserted.
    report = fleetops.classify_tables({"orders": "2026-11-22T07:00:00Z"}, now="2026-11-22T08:00:00Z")
    assert_type(report["summary"]["worst_level"], Literal["pass", "warn", "error"])
    first = report["results"][0]
    assert_type(first["age_seconds"], float | None)
    budget = fleetops.error_budget(0.999, good=999, total=1000)
    if budget["status"] == "ok":
        assert_type(budget["used_percent"], float)
    else:
        raise AssertionError("events were given")
    events = fleetops.StormDetector().advance("2026-11-22T08:00:00Z")
    for e in events:
        if e["event"] == "storm_ended":
            assert_type(e["suppressed"], int)
    assert first["cadence"] is None and events == []


def test_unknown_option_names_are_refused_naming_them() -> None:
    # An unknown keyword is Python's TypeError (the call's shape), an unknown key inside an
    # options mapping fleetops' InvalidArgumentError: either way the name is in the message.
    def typo(name: str) -> dict[str, Any]:
        return {name: "2h"}  # passed through ** so that mypy lets the deliberate typo through

    cases: list[tuple[Any, str]] = [
        (lambda: fleetops.Deduper("1h", **typo("horizn")), "horizn"),
        (lambda: fleetops.error_budget(0.999, good=1, **typo("totl")), "totl"),
        (lambda: fleetops.FreshnessPolicy(**typo("tierz")), "tierz"),
        (lambda: fleetops.StormDetector(**typo("windw")), "windw"),
        (lambda: fleetops.SloTracker().status(**typo("assum_tz")), "assum_tz"),
    ]
    for call, name in cases:
        try:
            call()
        except (fleetops.InvalidArgumentError, TypeError) as e:
            assert name in str(e), str(e)
        else:
            raise AssertionError(f"{name} was accepted")
