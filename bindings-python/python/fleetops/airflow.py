"""Airflow helpers: freshness checks and sensors, an error-budget gate, and a failure
callback that routes task failures through a storm detector. No hard Airflow dependency.

Importing this module never imports Airflow; Airflow's exceptions and ``PokeReturnValue`` are
looked up when a helper needs them (``airflow.sdk`` on 3.x, the 2.x locations otherwise), and
fleetops' own stand-ins are used where Airflow is absent. Every judgement is made by the Rust
core; these functions only fetch inputs, call it, and turn its verdict into Airflow's terms.

    from fleetops.airflow import check_freshness, check_error_budget, storm_routed_callback

    @task
    def freshness(data_interval_end=None):
        return check_freshness(fetch_last_loads(), now=data_interval_end, skip_on=("warn",))

    @task
    def deploy_gate():
        return check_error_budget(SloTracker.from_bytes(load_state()))

    default_args = {"on_failure_callback": storm_routed_callback(page_on_call)}
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NotRequired, cast, overload

from fleetops._files import LockTimeout, locked, read_bounded, replace_atomically
from fleetops._fleetops import (
    MAX_STATE_FILE_BYTES,
    PAGE_WHEN_STATE_RESET,
    SENSOR_DONE_ON,
    STATE_LOCK_WAIT_SECONDS,
    TASK_FAIL_ON,
    TASK_FAILURES_PRESET,
    TASK_SKIP_ON,
    FreshnessPolicy,
    InvalidArgumentError,
    SloTracker,
    StormDetector,
    WarehouseTables,
    classify_tables,
    error_budget,
    error_budget_gate,
)
from fleetops.results import Budget, FreshnessReport, TrackerStatus, Verdict

__all__ = [
    "FreshnessCheckFailed",
    "FreshnessCheckSkipped",
    "check_error_budget",
    "check_freshness",
    "check_warehouse_freshness",
    "decision_time",
    "freshness_poke",
    "raise_for_levels",
    "storm_routed_callback",
    "warehouse_freshness",
    "warehouse_freshness_poke",
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
    return cast(Callable[..., Any], PokeReturnValue)


def _current_context() -> Mapping[str, Any] | None:
    """The running task's Airflow context, or None outside a task (or without Airflow)."""
    try:
        from airflow.sdk import get_current_context
    except ImportError:
        try:
            from airflow.operators.python import get_current_context
        except ImportError:
            return None
    try:
        return cast("Mapping[str, Any] | None", get_current_context())
    except Exception:  # noqa: BLE001 - Airflow raises when no task runs; any failure means "no context"
        return None


def decision_time(now: Any = None) -> Any:
    """The one instant a helper judges at: ``now`` if given, else the running task's
    ``data_interval_end`` (the end of the interval the run is for), else the wall clock, read
    once. Every part of one decision is judged at this same instant."""
    if now is not None:
        return now
    context = _current_context()
    end = context.get("data_interval_end") if context is not None else None
    if end is not None:
        return end
    return datetime.now(UTC)


def _describe(report: Mapping[str, Any], levels: Collection[str]) -> str:
    bad = [r for r in report["results"] if r["level"] in levels]
    parts = [f"{r['table']}={r['class']}/{r['level']}" for r in bad]
    return "freshness: " + ", ".join(parts)


def raise_for_levels(
    report: Mapping[str, Any],
    *,
    fail_on: Collection[str] = TASK_FAIL_ON,
    skip_on: Collection[str] = TASK_SKIP_ON,
) -> Mapping[str, Any]:
    """Fails the task when any table is at a level in ``fail_on`` (default the core's
    ``TASK_FAIL_ON``: ``error``), else skips it when any is at a level in ``skip_on`` (default
    none); returns the report unchanged otherwise.

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
    fail_on: Collection[str] = TASK_FAIL_ON,
    skip_on: Collection[str] = TASK_SKIP_ON,
    assume_tz: str | None = None,
) -> FreshnessReport:
    """Classifies ``tables`` (a mapping table -> last load, or a callable returning one) and
    fails or skips the task by level. Returns the report as a plain dict for XCom."""
    if callable(tables):
        tables = tables()
    report = classify_tables(tables, policy=policy, now=decision_time(now), assume_tz=assume_tz)
    raise_for_levels(report, fail_on=fail_on, skip_on=skip_on)
    return report


def freshness_poke(
    tables: Any,
    *,
    policy: FreshnessPolicy | None = None,
    now: Any = None,
    done_levels: Collection[str] = SENSOR_DONE_ON,
    fail_on: Collection[str] = (),
    assume_tz: str | None = None,
) -> Any:
    """A poke function for ``@task.sensor``: done when every table's level is in
    ``done_levels`` (default the core's ``SENSOR_DONE_ON``: ``pass``); fails at once for a level
    in ``fail_on``. Returns Airflow's
    ``PokeReturnValue`` (``PokeResult`` without Airflow) carrying the report."""
    if callable(tables):
        tables = tables()
    report = classify_tables(tables, policy=policy, now=decision_time(now), assume_tz=assume_tz)
    raise_for_levels(report, fail_on=fail_on)
    done = all(r["level"] in done_levels for r in report["results"])
    return _poke_return_value()(is_done=done, xcom_value=report)


def warehouse_freshness(
    conn_id: str,
    tables: WarehouseTables,
    *,
    policy: FreshnessPolicy | None = None,
    now: Any = None,
    assume_tz: str | None = None,
    dialect: str | None = None,
) -> FreshnessReport:
    """Reads ``tables``' last load times through the Airflow connection ``conn_id`` (its
    provider's DB-API hook: Postgres, or any common.sql hook) and judges them
    (``fleetops.warehouse.read_freshness``). The SQL dialect is the connection's type unless
    given."""
    from fleetops.warehouse import read_freshness

    connection = _base_hook().get_connection(conn_id)
    connection_dialect = dialect or connection.conn_type
    db = connection.get_hook().get_conn()
    try:
        return read_freshness(
            db, tables, dialect=connection_dialect, now=decision_time(now), policy=policy, assume_tz=assume_tz
        )
    finally:
        db.close()


def check_warehouse_freshness(
    conn_id: str,
    tables: WarehouseTables,
    *,
    policy: FreshnessPolicy | None = None,
    now: Any = None,
    fail_on: Collection[str] = TASK_FAIL_ON,
    skip_on: Collection[str] = TASK_SKIP_ON,
    assume_tz: str | None = None,
    dialect: str | None = None,
) -> FreshnessReport:
    """``check_freshness`` on the warehouse itself: reads ``tables`` through ``conn_id``, then
    fails or skips the task by level. Returns the report for XCom."""
    report = warehouse_freshness(conn_id, tables, policy=policy, now=now, assume_tz=assume_tz, dialect=dialect)
    raise_for_levels(report, fail_on=fail_on, skip_on=skip_on)
    return report


def warehouse_freshness_poke(
    conn_id: str,
    tables: WarehouseTables,
    *,
    policy: FreshnessPolicy | None = None,
    now: Any = None,
    done_levels: Collection[str] = SENSOR_DONE_ON,
    fail_on: Collection[str] = (),
    assume_tz: str | None = None,
    dialect: str | None = None,
) -> Any:
    """A poke function for ``@task.sensor`` on the warehouse: done when every table's level is
    in ``done_levels``; fails at once for a level in ``fail_on``."""
    report = warehouse_freshness(conn_id, tables, policy=policy, now=now, assume_tz=assume_tz, dialect=dialect)
    raise_for_levels(report, fail_on=fail_on)
    done = all(r["level"] in done_levels for r in report["results"])
    return _poke_return_value()(is_done=done, xcom_value=report)


def _base_hook() -> Any:
    """Airflow's ``BaseHook`` (``airflow.sdk`` on 3.x, ``airflow.hooks.base`` on 2.x)."""
    try:
        from airflow.sdk import BaseHook
    except ImportError:
        from airflow.hooks.base import BaseHook
    return BaseHook


@overload
def check_error_budget(
    source: Mapping[str, float] | Callable[[], Mapping[str, float]],
    *,
    objective: float,
    now: Any = None,
    fail_on: Collection[str] | None = None,
    assume_tz: str | None = None,
) -> Budget: ...
@overload
def check_error_budget(
    source: Any,
    *,
    objective: None = None,
    now: Any = None,
    fail_on: Collection[str] | None = None,
    assume_tz: str | None = None,
) -> TrackerStatus: ...
def check_error_budget(
    source: Any,
    *,
    objective: float | None = None,
    now: Any = None,
    fail_on: Collection[str] | None = None,
    assume_tz: str | None = None,
) -> TrackerStatus | Budget:
    """Fails the task when the error budget is spent or a burn-rate tier of a severity in
    ``fail_on`` fires (the runbook's roll-back rule as a deploy gate); returns the status as a
    plain dict for XCom otherwise.

    ``source`` is an ``SloTracker``, a tracker's saved bytes, a path to them, counts
    (``{"good": ..., "total": ...}``, any two of good / bad / total, with ``objective``), or a
    callable returning one of these. ``fail_on`` holds ``"overspent"`` and burn severities
    (default: the core's, a spent budget or a firing ``page`` tier)."""
    if callable(source) and not isinstance(source, SloTracker):
        source = source()
    if isinstance(source, (str, os.PathLike)):
        try:
            source = read_bounded(source, MAX_STATE_FILE_BYTES, "tracker state")
        except OSError as e:
            raise InvalidArgumentError(f"check_error_budget: cannot read {os.fspath(source)!r}: {e.strerror}") from e
    if isinstance(source, (bytes, bytearray)):
        source = SloTracker.from_bytes(bytes(source))
    if isinstance(source, SloTracker):
        at = decision_time(now)  # status and gate judged at one instant
        result: TrackerStatus | Budget = source.status(at, assume_tz=assume_tz)
        fail = None if fail_on is None else list(fail_on)
        problems = source.gate_problems(at, fail_on=fail, assume_tz=assume_tz)
    elif isinstance(source, Mapping):
        if objective is None:
            raise InvalidArgumentError("check_error_budget: counts need an objective, e.g. objective=0.999")
        counts = {k: source[k] for k in ("good", "bad", "total") if k in source}
        result = error_budget(objective, **counts)
        problems = error_budget_gate(objective, fail_on=None if fail_on is None else list(fail_on), **counts)
    else:
        raise InvalidArgumentError(f"check_error_budget: cannot read a budget from {type(source).__name__}")
    if problems:
        failure, _ = _airflow_exceptions()
        raise failure("error budget: " + "; ".join(problems))
    return result


def _failure_time(context: Mapping[str, Any]) -> datetime:
    ti = context.get("ti") or context.get("task_instance")
    for attr in ("end_date", "start_date"):
        value = getattr(ti, attr, None)
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value
    return datetime.now(UTC)


def _failure_key(context: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    ti = context.get("ti") or context.get("task_instance")
    dag_id = str(getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "unknown_dag"))
    task_id = str(getattr(ti, "task_id", "unknown_task"))
    return f"{dag_id}.{task_id}", {"dag_id": dag_id, "task_id": task_id}


class FailureVerdict(Verdict):
    """The storm verdict on a task failure, with why a saved detector was set aside, if it was."""

    state_reset: NotRequired[str]


def _saved_detector(path: Path, options: Mapping[str, Any]) -> tuple[StormDetector, str | None]:
    """The detector saved at ``path``, or a new one from ``options`` with the core's reason the
    saved one was set aside (unreadable, or made with other options)."""
    try:
        data: bytes | None = read_bounded(path, MAX_STATE_FILE_BYTES, "storm state")
    except FileNotFoundError:
        data = None
    except (OSError, InvalidArgumentError) as e:
        # Unreadable as a state (a directory, a FIFO, too large): start afresh, and say why.
        detector, _ = StormDetector.restore_or_new(None, str(path), **{"preset": TASK_FAILURES_PRESET, **options})
        return detector, f"{path}: {e}"
    return StormDetector.restore_or_new(data, str(path), **{"preset": TASK_FAILURES_PRESET, **options})


def _airflow_home() -> Path:
    """``$AIRFLOW_HOME``, else Airflow's own default home (``~/airflow``): never a shared
    temporary directory, where another user could plant the state or its lock."""
    home = os.environ.get("AIRFLOW_HOME")
    return Path(home) if home else Path.home() / "airflow"


def storm_routed_callback(
    notify: Callable[[Mapping[str, Any], FailureVerdict], Any],
    *,
    state_path: str | os.PathLike[str] | None = None,
    key: Callable[[Mapping[str, Any]], str] | None = None,
    **detector_options: Any,
) -> Callable[[Mapping[str, Any]], FailureVerdict]:
    """An ``on_failure_callback`` that passes each task failure through a ``StormDetector``
    (key ``dag_id.task_id`` unless ``key`` says otherwise), so a flapping DAG pages once and
    then is summarised instead of paging a thousand times.

    ``notify(context, verdict)`` is called for failures the detector passes on, once when a
    storm starts (the verdict's events say so) and once when it ends. A saved state that cannot
    be read, or was made with other ``detector_options``, is replaced by a new detector; that
    failure pages, with the reason in ``verdict["state_reset"]``. The detector's state
    lives in ``state_path`` (default ``$AIRFLOW_HOME/fleetops-failure-storms.bin``, or
    ``~/airflow`` when that is unset, as Airflow's own default) between task processes, updated
    under a file lock and replaced atomically. A lock not had within the core's
    ``STATE_LOCK_WAIT_SECONDS``, or a state that cannot be saved, is never a lost page: the
    failure is judged by a new detector and pages with the reason. The detector starts from the ``task_failures``
    preset (more than 3 failures of a task in an hour storm; calm after an hour), changed by
    ``detector_options``. Returns the verdict."""

    def callback(context: Mapping[str, Any]) -> FailureVerdict:
        path = Path(state_path) if state_path is not None else _airflow_home() / "fleetops-failure-storms.bin"
        name, labels = _failure_key(context)
        if key is not None:
            name = key(context)
        at = _failure_time(context)
        reset: str | None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with locked(path.with_name(path.name + ".lock"), STATE_LOCK_WAIT_SECONDS):
                detector, reset = _saved_detector(path, detector_options)
                verdict = cast(FailureVerdict, detector.observe(name, at, labels=labels))
                replace_atomically(path, detector.to_bytes())
        except (OSError, LockTimeout, InvalidArgumentError) as e:
            # The shared state is out of reach: this failure is judged alone, and pages.
            options = {"preset": TASK_FAILURES_PRESET, **detector_options}
            detector, _ = StormDetector.restore_or_new(None, str(path), **options)
            verdict = cast(FailureVerdict, detector.observe(name, at, labels=labels))
            reset = f"state {path} not used: {e}"
        if reset is not None:
            verdict["state_reset"] = reset
        # The core says when a failure pages, and that one judged after a reset does
        # (PAGE_WHEN_STATE_RESET: the new detector knows nothing of earlier failures).
        if verdict["page"] or (reset is not None and PAGE_WHEN_STATE_RESET):
            notify(context, verdict)
        return verdict

    return callback
