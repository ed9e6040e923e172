"""Reads Airflow's own metadata DB after `airflow dags test fleet_morning_checks` and checks the
task states and XComs the example DAG must produce. Run with the Airflow venv's Python."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from airflow.models import TaskInstance
from airflow.models.xcom import XComModel
from airflow.utils.session import create_session

DAG = "fleet_morning_checks"
WAREHOUSE = "warehouse_checks"


def value(row: XComModel):
    v = row.value
    return json.loads(v) if isinstance(v, (str, bytes)) else v


def run_of(dag_id: str) -> tuple[dict, dict]:
    """The task states and returned XComs of `dag_id`'s run."""
    with create_session() as s:
        states = {ti.task_id: ti.state for ti in s.query(TaskInstance).filter(TaskInstance.dag_id == dag_id)}
        xcoms = {
            x.task_id: value(x)
            for x in s.query(XComModel).filter(XComModel.dag_id == dag_id, XComModel.key == "return_value")
        }
    return states, xcoms


def main() -> int:
    states, xcoms = run_of(DAG)
    print("task states:", states)
    problems = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            problems.append(what)

    check(states.get("packages_fresh") == "success", "the fresh tables' task succeeded")
    fresh = xcoms.get("packages_fresh") or {}
    classes = {r["table"]: r["class"] for r in fresh.get("results", [])}
    # 06:40 and 06:55 loads at 07:00: 20 and 5 minutes old, both within the 60-minute tier.
    check(
        classes == {"packages": "EXCELLENT", "tracking_events": "EXCELLENT"},
        f"its XCom classifies both tables EXCELLENT: {classes}",
    )
    check(fresh.get("summary", {}).get("worst_level") == "pass", "its XCom summary is pass")
    check(states.get("trip_events_fresh") == "failed", "the stale table's task failed (13.5 h > 720 min: POOR)")
    check("trip_events_fresh" not in xcoms, "a failed task pushed no report")
    check(states.get("vehicles_fresh") == "skipped", "the future-dated table's task was skipped")
    gate = xcoms.get("deploy_gate") or {}
    # 1,800 bad of 5,000,000 at 99.9 %: 1,800 of a 5,000-event budget = 36 % used.
    check(
        states.get("deploy_gate") == "success" and abs(gate.get("used_percent", -1) - 36.0) < 1e-9,
        f"the deploy gate passed with 36 % used: {gate.get('used_percent')}",
    )
    wh_states, wh_xcoms = run_of(WAREHOUSE)
    print("warehouse task states:", wh_states)
    check(wh_states.get("warehouse_fresh") == "success", "the warehouse task read Postgres and succeeded")
    levels = {r["table"]: r["level"] for r in (wh_xcoms.get("warehouse_fresh") or {}).get("results", [])}
    # At 07:00: packages 20 min old (warn after 2 h); the eu tracking events 5 min (warn after 30).
    check(levels == {"raw.packages": "pass", "raw.tracking_events": "pass"}, f"both sources pass: {levels}")
    check(wh_states.get("warehouse_landed") == "success", "the warehouse sensor was done at its first poke")
    state = Path(os.environ["AIRFLOW_HOME"]) / "fleetops-failure-storms.bin"
    check(state.exists() and state.stat().st_size > 0, "the failure callback saved its storm detector")
    log = Path(sys.argv[1]).read_text() if len(sys.argv) > 1 else ""
    check(
        log.count("PAGE fleet_morning_checks.trip_events_fresh failed") == 1,
        "the failure paged once through the storm detector",
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
