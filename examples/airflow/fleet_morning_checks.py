"""The runbooks' morning checks as an Airflow 3 DAG, with fleetops making every call.

- one freshness task per raw-table group: fails on POOR (error), skips on a clock problem
  (a load dated in the future is a warning here, and warnings skip the task);
- a deploy gate that fails when the API's error budget is spent or a page tier fires;
- every task failure goes through a storm detector, so a task that keeps failing pages once.

Where the last load times come from is the DAG author's business; here a JSON file stands in
for `SELECT table, MAX(_loaded_at) FROM ... GROUP BY table` (FLEETOPS_LAST_LOADS, or
`last_loads.json` next to this file), and the page is a log line (swap in Slack or PagerDuty).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from airflow.sdk import dag, task
from fleetops import FreshnessPolicy
from fleetops.airflow import check_error_budget, check_freshness, storm_routed_callback

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def last_loads(*tables: str) -> dict[str, str | None]:
    """The warehouse's MAX(_loaded_at) per table (None: never loaded)."""
    path = Path(os.environ.get("FLEETOPS_LAST_LOADS", HERE / "last_loads.json"))
    loads = json.loads(path.read_text())
    return {t: loads.get(t) for t in tables}


def api_request_counts() -> dict[str, int]:
    """The fleet API's requests this month (good / total), e.g. from the access-log table."""
    path = Path(os.environ.get("FLEETOPS_LAST_LOADS", HERE / "last_loads.json"))
    return json.loads(path.read_text())["_api_requests"]


def page_on_call(context, verdict) -> None:
    """Stand-in for a pager: one log line per failure the storm detector lets through."""
    ti = context["ti"]
    log.warning("PAGE %s.%s failed: %s", ti.dag_id, ti.task_id, verdict["reason"])


# Load times in the future are a clock problem to look at, not a stale table: warn, and skip.
POLICY = FreshnessPolicy.runbook()
FUTURE_WARNS = FreshnessPolicy(future_level="warn")


@dag(
    schedule="0 7 * * *",
    start_date=datetime(2026, 11, 1, tzinfo=UTC),
    catchup=False,
    default_args={"retries": 0, "on_failure_callback": storm_routed_callback(page_on_call)},
    tags=["fleetops", "runbook"],
)
def fleet_morning_checks():
    @task
    def packages_fresh(logical_date=None):
        return check_freshness(lambda: last_loads("packages", "tracking_events"), policy=POLICY, now=logical_date)

    @task
    def trip_events_fresh(logical_date=None):
        return check_freshness(lambda: last_loads("trip_events"), policy=POLICY, now=logical_date)

    @task
    def vehicles_fresh(logical_date=None):
        return check_freshness(lambda: last_loads("vehicles"), policy=FUTURE_WARNS, now=logical_date, skip_on=("warn",))

    @task
    def deploy_gate():
        return check_error_budget(api_request_counts(), objective=0.999)

    packages_fresh()
    trip_events_fresh()
    vehicles_fresh()
    deploy_gate()


fleet_morning_checks()
