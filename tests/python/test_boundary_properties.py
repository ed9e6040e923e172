"""Property tests at the Python boundary (hypothesis, derandomized: the same cases every run).

Any value reaches every public constructor and method: wrong types, NaN and infinities, huge and
negative numbers, lone surrogates, deep nesting, random bytes as saved state. Each call must
return or raise an ordinary exception, and never a panic: neither pyo3's PanicException (a
BaseException that `except Exception` misses) nor fleetops.InternalError (a caught panic, a bug).
FLEETOPS_PROPERTY_EXAMPLES sets how many examples each target gets (default 150).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import fleetops
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FLEETOPS_PROPERTY_EXAMPLES", "150"))
NOW = datetime(2026, 11, 22, 8, tzinfo=UTC)

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 2**31, 2**32, 2**53 + 1, 2**63, 2**64 - 1, 1e15, 1e308, -0.0, 0.5]),
)
texts = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=3),  # lone surrogates
    st.sampled_from(
        [
            "",
            "45m",
            "1h30m",
            "-5m",
            "36526d",
            "1e15",
            "month",
            "quarter",
            "2026-11-22T08:00:00Z",
            "2026-11-22T08:00:00",
            "Mars/Olympus",
        ]
    ),
)
instants = st.one_of(
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(),  # naive
    st.sampled_from([NOW, datetime.max, datetime.min]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, instants, st.timedeltas(), st.binary(max_size=24))
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)
deep = st.integers(min_value=50, max_value=400).map(lambda n: _nest(n))


def _nest(n: int) -> Any:
    v: Any = 1
    for _ in range(n):
        v = [v]
    return v


def _calls_never_panic(call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    try:
        call(*args, **kwargs)
    except fleetops.InternalError as e:  # a caught panic: a bug
        pytest.fail(f"{getattr(call, '__name__', call)} panicked: {e}")
    except fleetops.FleetopsError:  # a refusal; any other exception fails the property
        pass


def _at(now: Any) -> Any:
    """A `now` argument: any value, but never None, which would read the wall clock."""
    return NOW if now is None else now


def _fresh(kind: str) -> Any:
    makers: dict[str, Callable[[], Any]] = {
        "tracker": lambda: fleetops.SloTracker(),
        "deduper": lambda: fleetops.Deduper("1h"),
        "storms": lambda: fleetops.StormDetector(),
        "limiter": lambda: fleetops.RateLimiter(),
        "grouper": lambda: fleetops.Grouper(),
        "histogram": lambda: fleetops.LatencyHistogram(),
    }
    return makers[kind]()


TARGETS: list[tuple[str, Callable[..., Any]]] = [
    ("SloTracker", lambda a, b, c: fleetops.SloTracker(period=a, resolution=b, max_future=c)),
    ("SloTracker.record", lambda a, b, c: _fresh("tracker").record(a, b, c, now=NOW)),
    ("SloTracker.status", lambda a, b, c: _fresh("tracker").status(_at(a))),
    ("SloTracker.evaluate_rules", lambda a, b, c: _fresh("tracker").evaluate_rules(a, _at(b))),
    ("Deduper", lambda a, b, c: fleetops.Deduper(a, max_keys=b, allowed_lateness=c)),
    ("Deduper.bloom", lambda a, b, c: fleetops.Deduper("1h", mode="bloom", expected_keys=a, fpr=b, allowed_lateness=c)),
    ("Deduper.observe", lambda a, b, c: _fresh("deduper").observe(a, b, now=c)),
    ("Deduper.observe_batch", lambda a, b, c: _fresh("deduper").observe_batch(a, b)),
    ("StormDetector", lambda a, b, c: fleetops.StormDetector(window=a, resolution=b, enter_above=c)),
    ("StormDetector.observe", lambda a, b, c: _fresh("storms").observe(a, b, labels=c)),
    ("RateLimiter", lambda a, b, c: fleetops.RateLimiter(limit=a, period=b, burst=c)),
    ("RateLimiter.check", lambda a, b, c: _fresh("limiter").check(a, _at(b))),
    ("Grouper.due", lambda a, b, c: (g := _fresh("grouper"), g.add({"alertname": "x"}, NOW), g.due(_at(a)))),
    ("LatencyHistogram", lambda a, b, c: fleetops.LatencyHistogram(max_ms=a, significant_figures=b)),
    ("LatencyHistogram.record", lambda a, b, c: _fresh("histogram").record(a)),
    ("error_budget", lambda a, b, c: fleetops.error_budget(a, good=b, total=c)),
    ("period_window", lambda a, b, c: fleetops.period_window(a, now=_at(b), timezone=c)),
    ("classify_tables", lambda a, b, c: fleetops.classify_tables(a, now=_at(b))),
    ("check_cadence", lambda a, b, c: fleetops.check_cadence(a, now=NOW, min_intervals=b, clock_skew_tolerance=c)),
    ("escalations_due", lambda a, b, c: fleetops.escalations_due(a, _at(b))),
    ("LoadSchedule", lambda a, b, c: fleetops.LoadSchedule(a, timezone=b, allowed_delay=c)),
    ("fingerprint", lambda a, b, c: fleetops.fingerprint(a)),
    ("flap_series", lambda a, b, c: fleetops.flap_series(a, high=b, low=c)),
    ("key_hash", lambda a, b, c: fleetops.key_hash(a)),
    ("dedup_mask", lambda a, b, c: fleetops.dedup_mask(a, keep=b)),
]

SAVED: list[tuple[str, Callable[[bytes], Any]]] = [
    ("SloTracker", fleetops.SloTracker.from_bytes),
    ("Deduper", fleetops.Deduper.from_bytes),
    ("StormDetector", fleetops.StormDetector.from_bytes),
    ("RateLimiter", fleetops.RateLimiter.from_bytes),
    ("LatencyHistogram", fleetops.LatencyHistogram.from_bytes),
]

PROPERTY = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.parametrize("name, target", TARGETS, ids=[t[0] for t in TARGETS])
@PROPERTY
@given(a=anything, b=anything, c=anything)
def test_any_arguments_never_panic(name: str, target: Callable[..., Any], a: Any, b: Any, c: Any) -> None:
    _calls_never_panic(target, a, b, c)


@pytest.mark.parametrize("name, target", TARGETS, ids=[t[0] for t in TARGETS])
@PROPERTY
@given(nested=deep)
def test_deep_nesting_never_panics(name: str, target: Callable[..., Any], nested: Any) -> None:
    _calls_never_panic(target, nested, nested, nested)


@pytest.mark.parametrize("name, restore", SAVED, ids=[s[0] for s in SAVED])
@PROPERTY
@given(data=st.one_of(st.binary(max_size=256), st.binary(max_size=16).map(lambda b: b'{"format":"fleetops.' + b)))
def test_random_bytes_as_saved_state_are_refused_not_panicked_on(
    name: str, restore: Callable[[bytes], Any], data: bytes
) -> None:
    _calls_never_panic(restore, data)
