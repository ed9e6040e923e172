"""Native Python inputs: aware/naive datetimes, pandas, timedelta, numpy buffers, bad values."""

from __future__ import annotations

import inspect
import json
import math
import zoneinfo
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import fleetops
import numpy as np
import pandas as pd
import pytest
from conftest import run_at_frozen_clock

NOW = datetime(2026, 11, 22, 8, tzinfo=UTC)
RUNBOOK = fleetops.FreshnessPolicy.runbook()


def test_errors_are_value_errors_with_codes() -> None:
    kinds = [n for n in fleetops.__all__ if n.endswith("Error") and n != "FleetopsError"]
    assert len(kinds) == 15  # one per code, and InvalidArgumentTypeError
    for name in kinds:
        cls = getattr(fleetops, name)
        assert issubclass(cls, fleetops.FleetopsError) and issubclass(cls, ValueError)
        assert isinstance(cls.code, str) and cls.code.isupper()
    assert fleetops.NaiveTimestampError.code == "NAIVE_TIMESTAMP"
    assert fleetops.InvalidSpecError.code == "INVALID_SPEC"


def test_naive_datetime_is_refused_unless_a_zone_is_stated() -> None:
    naive = datetime(2026, 11, 22, 2)
    with pytest.raises(fleetops.NaiveTimestampError, match="assume_tz"):
        RUNBOOK.classify(naive, now=NOW)
    with pytest.raises(fleetops.NaiveTimestampError):
        RUNBOOK.classify(NOW, now=datetime(2026, 11, 22, 8))
    r = RUNBOOK.classify(naive, now=NOW, assume_tz="Europe/Amsterdam")
    assert r["last_loaded_at"] == "2026-11-22T01:00:00Z"
    with pytest.raises(fleetops.InvalidTimeZoneError):
        RUNBOOK.classify(naive, now=NOW, assume_tz="Europe/Atlantis")
    with pytest.raises(fleetops.InvalidTimestampError, match="does not exist"):
        RUNBOOK.classify(datetime(2026, 3, 29, 2, 30), now=NOW, assume_tz="Europe/Amsterdam")


def test_aware_datetimes_of_every_kind_agree() -> None:
    amsterdam = datetime(2026, 11, 22, 2, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    fixed = datetime(2026, 11, 22, 3, tzinfo=timezone(timedelta(hours=2)))
    pandas_ts = pd.Timestamp("2026-11-22T01:00:00Z")
    epoch = datetime(2026, 11, 22, 1, tzinfo=UTC).timestamp()
    ages = {
        RUNBOOK.classify(t, now=NOW)["age_seconds"]
        for t in (amsterdam, fixed, pandas_ts, epoch, "2026-11-22T01:00:00Z")
    }
    assert ages == {25200.0}
    with pytest.raises(fleetops.NaiveTimestampError):
        RUNBOOK.classify(pd.Timestamp("2026-11-22T01:00:00"), now=NOW)


def test_microseconds_survive() -> None:
    last = datetime(2026, 11, 22, 6, 59, 59, 999_999, tzinfo=UTC)
    r = RUNBOOK.classify(last, now=NOW)
    assert r["class"] == "GOOD" and r["age_seconds"] == pytest.approx(3600.000001)


def test_bad_timestamps() -> None:
    for bad in (math.nan, math.inf, -5, 1e13):
        with pytest.raises(fleetops.InvalidTimestampError):
            RUNBOOK.classify(bad, now=NOW)
    with pytest.raises(fleetops.InvalidArgumentError):
        RUNBOOK.classify(True, now=NOW)
    with pytest.raises(fleetops.InvalidArgumentError):
        RUNBOOK.classify(cast(Any, object()), now=NOW)


def test_durations_in_every_form() -> None:
    forms: list[Any] = [timedelta(hours=6), 21600, 21600.0, "6h", "360m", {"count": 6, "period": "hour"}]
    for form in forms:
        policy = fleetops.FreshnessPolicy(warn_after=form)
        assert policy.classify("2026-11-22T01:59:59Z", now=NOW)["level"] == "warn", form
        assert policy.classify("2026-11-22T02:00:00Z", now=NOW)["level"] == "pass", form
    for bad in (
        math.nan,
        -1,
        timedelta(seconds=-1),
        "soon",
        {"count": 1, "period": "week"},
        {"count": 1.5, "period": "hour"},
    ):
        with pytest.raises(fleetops.InvalidDurationError):
            fleetops.FreshnessPolicy(stale_after=bad)
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.FreshnessPolicy(stale_after=True)
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.FreshnessPolicy(stale_after={"count": 1})


def test_classify_ages_takes_numpy_without_copies_and_lists() -> None:
    ages = np.array([0.0, 3600.0, 3600.5, 43201.0, -301.0])
    expected = ["EXCELLENT", "EXCELLENT", "GOOD", "POOR", "FUTURE"]
    assert RUNBOOK.classify_ages(ages) == expected
    assert RUNBOOK.classify_ages(list(ages)) == expected
    assert RUNBOOK.classify_ages(ages[::2]) == expected[::2]  # strided: copied, same answer
    with pytest.raises(fleetops.InvalidDurationError, match="index 1"):
        RUNBOOK.classify_ages(np.array([1.0, np.nan]))
    assert RUNBOOK.classify_ages(np.array([], dtype=float)) == []


def test_batch_from_a_mapping_is_json_ready() -> None:
    report = fleetops.classify_tables(
        {"packages": datetime(2026, 11, 22, 7, 30, tzinfo=UTC), "trip_events": None}, now=NOW
    )
    assert json.loads(json.dumps(report)) == report
    assert [r["class"] for r in report["results"]] == ["EXCELLENT", "MISSING"]
    assert list(report["summary"]["classes"]) == ["EXCELLENT", "GOOD", "ACCEPTABLE", "POOR", "MISSING", "FUTURE"]


def test_batch_accepts_schedule_objects() -> None:
    nightly = fleetops.LoadSchedule("0 2 * * *", timezone="Europe/Amsterdam", allowed_delay=timedelta(minutes=45))
    report = fleetops.classify_tables(
        [{"table": "nightly", "last_loaded_at": "2026-11-21T01:20:00Z", "schedule": nightly}],
        now="2026-11-22T01:45:00Z",
    )
    assert report["results"][0]["late"] is True
    assert report["summary"]["late"] == ["nightly"]


def test_bad_tables_argument() -> None:
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.classify_tables(cast(Any, [42]), now=NOW)
    with pytest.raises(fleetops.InvalidArgumentError):
        fleetops.classify_tables([{"last_loaded_at": None}], now=NOW)


def test_now_defaults_to_the_current_time() -> None:
    # Read once, at the edge; the clock is held at a pinned instant by libfaketime in a child.
    code = (
        "import json, fleetops; r = fleetops.FreshnessPolicy.runbook().classify('2026-12-31T23:50:00Z'); "
        "print(json.dumps([r['class'], r['age_seconds']]))"
    )
    assert json.loads(run_at_frozen_clock("2027-01-01 00:00:00", code)) == ["EXCELLENT", 600]


def test_classify_age_codes_index_class_names() -> None:
    ages = np.array([0.0, 3600.5, 43201.0, -301.0])
    codes = RUNBOOK.classify_age_codes(ages)
    assert isinstance(codes, bytes)
    assert [RUNBOOK.class_names[c] for c in codes] == ["EXCELLENT", "GOOD", "POOR", "FUTURE"]
    with pytest.raises(fleetops.InvalidDurationError):
        RUNBOOK.classify_age_codes([math.inf])


def test_wrong_argument_types_are_invalid_argument_never_type_error() -> None:
    # Each raised pyo3's bare TypeError (or UnicodeEncodeError) before fleetops read it.
    wrong: list[Any] = [
        lambda: fleetops.timeslice_budget("0.999", [], slice_target=0.9, slice="1m", period="1h"),  # type: ignore[arg-type]
        lambda: fleetops.error_budget(True, good=1, total=2),
        lambda: fleetops.classify_tables({}, policy="runbook", now=0),  # type: ignore[arg-type]
        lambda: fleetops.Deduper("1h").merge(fleetops.SloTracker()),  # type: ignore[arg-type]
        lambda: fleetops.StormDetector().set_mutes("x"),  # type: ignore[arg-type]
        lambda: fleetops.dedup_mask("abc"),
        lambda: fleetops.key_hashes("abc"),
        lambda: fleetops.assess_health("abc"),  # type: ignore[arg-type]
        lambda: fleetops.SloTracker().evaluate_rules(5, 0),  # type: ignore[arg-type]
        lambda: fleetops.StormDetector().observe_batch(5, [0.0]),
        lambda: fleetops.Deduper.from_bytes("abc"),  # type: ignore[arg-type]
        lambda: fleetops.FreshnessPolicy().classify(None, now=0, table="\ud800"),
        lambda: fleetops.fingerprint({"a": 1}),  # type: ignore[dict-item]
        lambda: fleetops.fingerprint({1: "a"}),  # type: ignore[dict-item]
        lambda: fleetops.fingerprint({"a": "\udc80"}),
        lambda: fleetops.label_matches({"name": "a", "op": "=", "value": "x"}, {"a": b"x"}),  # type: ignore[dict-item]
        lambda: fleetops.LatencyHistogram().record_batch(["x"]),
        lambda: fleetops.SloTracker().record_batch([0.0, 0.0], [True, None], now=0),
        lambda: fleetops.StormDetector().observe_batch(["a"], [0.0], [None], now=0),  # type: ignore[list-item]
    ]
    for call in wrong:
        with pytest.raises(fleetops.InvalidArgumentError):
            call()


# An instance of every class, for calling its methods with calls of the wrong shape.
INSTANCES: dict[str, Any] = {
    "FreshnessPolicy": RUNBOOK,
    "LoadSchedule": fleetops.LoadSchedule("0 6 * * *"),
    "BurnPolicy": fleetops.BurnPolicy(),
    "LatencyHistogram": fleetops.LatencyHistogram(),
    "SloTracker": fleetops.SloTracker(),
    "Deduper": fleetops.Deduper("1h"),
    "StormDetector": fleetops.StormDetector(),
    "RateLimiter": fleetops.RateLimiter(),
    "Grouper": fleetops.Grouper(),
    "WarehouseTables": fleetops.WarehouseTables([{"identifier": "t", "column": "c"}]),
}


def _exports() -> list[tuple[str, Any, bool]]:
    """Every callable the compiled module exports: (name, callable, has a required parameter)."""
    import fleetops._fleetops as native

    out: list[tuple[str, Any, bool]] = []

    def required(f: Any) -> bool:
        params = inspect.signature(f).parameters.values()
        return any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)

    for name, value in vars(native).items():
        if name.startswith("_") or (isinstance(value, type) and issubclass(value, BaseException)):
            continue
        if isinstance(value, type):
            assert name in INSTANCES, f"add an instance of {name} to INSTANCES"
            out.append((name, value, required(value)))
            for attr, member in vars(value).items():
                if attr.startswith("_") or not callable(getattr(value, attr)) or isinstance(member, property):
                    continue
                bound = getattr(INSTANCES[name], attr)
                if callable(bound) and not isinstance(bound, type):
                    out.append((f"{name}.{attr}", bound, required(bound)))
        elif callable(value):
            out.append((name, value, required(value)))
    return out


def test_a_call_of_the_wrong_shape_is_pythons_own_type_error() -> None:
    # Python's convention: pyo3 (and CPython, for methods without parameters) check a call's
    # shape before fleetops runs, and raise the interpreter's TypeError, never a fleetops error.
    exports = _exports()
    assert len(exports) > 70
    for name, call, has_required in exports:
        # (a function whose keywords are its options, `restore_or_new`, refuses an unknown one
        # as an unknown option: a value error, checked with the options tests)
        takes_options = any(p.kind is p.VAR_KEYWORD for p in inspect.signature(call).parameters.values())
        shapes: list[tuple[tuple[Any, ...], dict[str, Any]]] = [((*range(30),), {})]
        if not takes_options:
            shapes.append(((), {"no_such_argument": 1}))
        for args, kwargs in shapes:
            with pytest.raises(TypeError) as raised:
                call(*args, **kwargs)
            assert not isinstance(raised.value, fleetops.FleetopsError), name
        if has_required:
            with pytest.raises(TypeError, match=r"missing|required"):
                call()
    with pytest.raises(TypeError, match="labels"):
        fleetops.fingerprint()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"takes no arguments"):
        INSTANCES["LatencyHistogram"].to_bytes(1)
    h = fleetops.LatencyHistogram()
    h.record(5.0)
    assert h.count == 1 and fleetops.LatencyHistogram.from_bytes(h.to_bytes()).count == 1


def test_a_wrong_type_inside_a_call_is_a_fleetops_type_error_and_a_bad_value_a_value_error() -> None:
    # Right shape, wrong type: InvalidArgumentTypeError, an InvalidArgumentError (code
    # INVALID_ARGUMENT, as Node's) that is also the TypeError Python code catches.
    for call in (
        lambda: fleetops.LatencyHistogram().record("5"),  # type: ignore[arg-type]
        lambda: fleetops.Deduper(horizon=["1h"]),  # type: ignore[arg-type]
        lambda: fleetops.StormDetector(window=True),
    ):
        with pytest.raises(fleetops.InvalidArgumentTypeError) as raised:
            call()
        assert isinstance(raised.value, TypeError) and isinstance(raised.value, fleetops.InvalidArgumentError)
        assert raised.value.code == "INVALID_ARGUMENT"
    # Right type, wrong value: a FleetopsError, a ValueError, never a TypeError.
    with pytest.raises(fleetops.InvalidDurationError) as bad:
        fleetops.Deduper("-1h")
    assert isinstance(bad.value, ValueError) and not isinstance(bad.value, TypeError)


def test_wrong_shapes_in_options_are_worded_as_in_node() -> None:
    # serde's words were "invalid type: boolean `true`, expected ..." and "missing field `name`";
    # tests/node/argument_errors.test.mjs checks the same texts from Node.
    cases: list[tuple[Any, str]] = [
        (
            lambda: fleetops.escalations_due("x", NOW),  # type: ignore[arg-type]
            'alerts: expected a list, got the string "x"',
        ),
        (
            lambda: fleetops.StormDetector(window=True),
            "window: expected a duration: seconds, text like '45m' or {count, period}, got true",
        ),
        (lambda: fleetops.judge_rule({"window": "5m"}, []), "rule: missing option 'name'"),
    ]
    for call, detail in cases:
        with pytest.raises(fleetops.InvalidArgumentError) as e:
            call()
        assert str(e.value) == f"invalid argument: {detail}"
