"""Engines shared by Python threads: no "Already borrowed" when a call runs Python
code (a tzinfo, a generator of keys), exact totals under contention, no deadlock in crossed
merges, and batch calls that let other threads run while the core works."""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from collections.abc import Callable, Iterator

import fleetops
import numpy as np

T0 = 1_763_798_400.0  # 2025-11-22T08:00:00Z
NOW = dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC)


def run_threads(n: int, body: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            body(i)
        except BaseException as e:  # noqa: BLE001 - collected and re-raised below
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive(), "a thread hung (deadlock?)"
    assert not errors, errors[0]


def test_a_generator_of_keys_may_use_the_same_engine() -> None:
    # The keys are read before the engine is locked, so the generator may call it.
    d = fleetops.Deduper("1h")
    d.observe(1, T0)
    seen: list[int] = []

    def keys() -> Iterator[int]:
        for k in range(5):
            seen.append(d.stats()["counts"]["first"])
            yield k

    codes = d.observe_batch(keys(), np.full(5, T0))
    assert list(codes) == [0, 1, 0, 0, 0]  # key 1 was seen; 0, 2, 3, 4 are new
    assert seen == [1] * 5


class SlowUTC(dt.tzinfo):
    """A tzinfo whose methods run Python code and give up the GIL (like dateutil's)."""

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        time.sleep(0.0005)
        return dt.timedelta(0)

    def dst(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def tzname(self, when: dt.datetime | None) -> str:
        return "UTC"


def test_threads_share_a_tracker_with_a_python_tzinfo_and_every_outcome_counts() -> None:
    tracker = fleetops.SloTracker()
    tz = SlowUTC()

    def body(i: int) -> None:
        for j in range(50):
            at = dt.datetime(2026, 11, 22, 8, 0, j, tzinfo=tz)
            tracker.record(at, ok=(j % 10 != 0), now=NOW)
            tracker.status(NOW)

    run_threads(8, body)
    counts = tracker.window_counts("availability", "1h", NOW)
    assert counts == {"good": 8 * 45, "total": 8 * 50}


def test_threads_share_a_deduper_and_a_storm_detector_exactly() -> None:
    d = fleetops.Deduper("1d")
    storms = fleetops.StormDetector()
    keys = np.arange(10_000, dtype=np.uint64)

    def body(i: int) -> None:
        # Every thread sends the same keys: each key is first exactly once overall.
        for part in np.array_split(keys, 10):
            d.observe_batch(part, np.full(len(part), T0))
        storms.observe_batch([f"host-{i}"] * 100, T0 + np.arange(100) * 0.01)

    run_threads(8, body)
    counts = d.stats()["counts"]
    assert counts["first"] == 10_000 and counts["duplicate"] == 7 * 10_000
    assert storms.stats()["counts"]["alerts"] == 800


def test_crossed_merges_on_two_threads_do_not_deadlock() -> None:
    a, b = fleetops.Deduper("1h"), fleetops.Deduper("1h")
    a.observe(1, T0)
    b.observe(2, T0)

    def body(i: int) -> None:
        for _ in range(200):
            (a.merge(b) if i % 2 == 0 else b.merge(a))

    run_threads(4, body)
    a.merge(a)  # a copy of itself: no self-deadlock
    assert a.observe(2, T0 + 1) == "duplicate" and b.observe(1, T0 + 1) == "duplicate"


def test_a_batch_releases_the_gil_while_the_core_works() -> None:
    # With a 10 s switch interval the interpreter never takes the GIL from a thread: another
    # thread runs during a call only if the call releases it. The ticker gives the GIL up on
    # each loop (sleep(0)), so the main thread gets it to start the batch.
    d = fleetops.Deduper("1d")
    keys = np.arange(500_000, dtype=np.uint64)
    times = T0 + np.arange(500_000) * 0.001
    ticks = [0]
    done = threading.Event()

    def ticker() -> None:
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)
    try:
        t = threading.Thread(target=ticker)
        t.start()
        while ticks[0] == 0:
            time.sleep(0.001)
        before = ticks[0]
        d.observe_batch(keys, times)
        during = ticks[0] - before
    finally:
        done.set()
        sys.setswitchinterval(old)
    t.join(timeout=30)
    assert during > 0, "no other thread ran during a 500k-event batch: the GIL was held"
    assert d.stats()["counts"]["first"] == 500_000
