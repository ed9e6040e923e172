"""Airflow helpers for fleetops freshness checks, with no hard Airflow dependency.

Importing this module never imports Airflow; Airflow's exceptions and ``PokeReturnValue`` are
looked up when a helper needs them (``airflow.sdk`` on 3.x, the 2.x locations otherwise), and
fleetops' own stand-ins are used where Airflow is absent.

    from fleetops.airflow import check_freshness

    @task
    def freshness(data_interval_end=None):
        return check_freshness(fetch_last_loads(), now=data_interval_end, skip_on=("warn",))
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from fleetops._fleetops import FreshnessPolicy, classify_tables

__all__ = [
    "FreshnessCheckFailed",
    "FreshnessCheckSkipped",
    "check_freshness",
    "freshness_poke",
    "raise_for_levels",
]


class FreshnessCheckFailed(Exception):
    """Raised instead of ``AirflowFailException`` when Airflow is not installed."""


class FreshnessCheckSkipped(Exception):
    """Raised instead of ``AirflowSkipException`` when Airflow is not installed."""


@dataclass(frozen=True)
class PokeResult:
    """Stand-in for Airflow's ``PokeReturnValue`` when Airflow is not installed."""

    is_done: bool
    xcom_value: Any = None


def _airflow_exceptions() -> tuple[type[BaseException], type[BaseException]]:
    try:
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
    except ImportError:
        try:
            from airflow.exceptions import AirflowFailException, AirflowSkipException
        except ImportError:
            return FreshnessCheckFailed, FreshnessCheckSkipped
    return AirflowFailException, AirflowSkipException


def _poke_return_value() -> Callable[..., Any]:
    try:
        from airflow.sdk import PokeReturnValue
    except ImportError:
        try:
            from airflow.sensors.base import PokeReturnValue
        except ImportError:
            return PokeResult
    return PokeReturnValue


def _describe(report: Mapping[str, Any], levels: Collection[str]) -> str:
    bad = [r for r in report["results"] if r["level"] in levels]
    parts = [f"{r['table']}={r['class']}/{r['level']}" for r in bad]
    return "freshness: " + ", ".join(parts)


def raise_for_levels(
    report: Mapping[str, Any],
    *,
    fail_on: Collection[str] = ("error",),
    skip_on: Collection[str] = (),
) -> Mapping[str, Any]:
    """Fails the task when any table is at a level in ``fail_on``, else skips it when any is
    at a level in ``skip_on``; returns the report unchanged otherwise.

    ``report`` is what ``classify_tables`` returned."""
    fail, skip = _airflow_exceptions()
    levels = {r["level"] for r in report["results"]}
    if levels & set(fail_on):
        raise fail(_describe(report, fail_on))
    if levels & set(skip_on):
        raise skip(_describe(report, skip_on))
    return report


def check_freshness(
    tables: Any,
    *,
    policy: FreshnessPolicy | None = None,
    now: Any = None,
    fail_on: Collection[str] = ("error",),
    skip_on: Collection[str] = (),
    assume_tz: str | None = None,
) -> dict[str, Any]:
    """Classifies ``tables`` (a mapping table -> last load, or a callable returning one) and
    fails or skips the task by level. Returns the report as a plain dict for XCom."""
    if callable(tables):
        tables = tables()
    report = classify_tables(tables, policy=policy, now=now, assume_tz=assume_tz)
    raise_for_levels(report, fail_on=fail_on, skip_on=skip_on)
    return report


def freshness_poke(
    tables: Any,
    *,
    policy: FreshnessPolicy | None = None,
    now: Any = None,
    done_levels: Collection[str] = ("pass",),
    fail_on: Collection[str] = (),
    assume_tz: str | None = None,
) -> Any:
    """A poke function for ``@task.sensor``: done when every table's level is in
    ``done_levels``; fails at once for a level in ``fail_on``. Returns Airflow's
    ``PokeReturnValue`` (``PokeResult`` without Airflow) carrying the report."""
    if callable(tables):
        tables = tables()
    report = classify_tables(tables, policy=policy, now=now, assume_tz=assume_tz)
    raise_for_levels(report, fail_on=fail_on)
    done = all(r["level"] in done_levels for r in report["results"])
    return _poke_return_value()(is_done=done, xcom_value=report)
