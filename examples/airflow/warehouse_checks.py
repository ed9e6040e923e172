"""Freshness read from the warehouse itself, as an Airflow 3 DAG: the dbt project's manifest
says which source tables are fresh-checked and how (their own warn_after / error_after,
filters), and fleetops reads their MAX(_loaded_at) in one query through the Airflow connection
`fleet_warehouse` (any common.sql connection: Postgres here).

- `warehouse_fresh`: a task that fails on an `error` table and returns the report for XCom;
- `warehouse_landed`: a sensor that is done once every table passes.

The manifest is `warehouse_manifest.json` next to this file (FLEETOPS_DBT_MANIFEST points
elsewhere, e.g. a dbt project's target/manifest.json).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from airflow.sdk import dag, task
from fleetops import WarehouseTables
from fleetops.airflow import check_warehouse_freshness, warehouse_freshness_poke

HERE = Path(__file__).resolve().parent


def fresh_checked_tables() -> WarehouseTables:
    """The dbt project's fresh-checked sources."""
    path = Path(os.environ.get("FLEETOPS_DBT_MANIFEST", HERE / "warehouse_manifest.json"))
    return WarehouseTables.from_manifest(path.read_text())


@dag(
    schedule="0 7 * * *",
    start_date=datetime(2026, 11, 1, tzinfo=UTC),
    catchup=False,
    default_args={"retries": 0},
    tags=["fleetops", "runbook", "warehouse"],
)
def warehouse_checks():
    @task
    def warehouse_fresh(logical_date=None):
        return check_warehouse_freshness("fleet_warehouse", fresh_checked_tables(), now=logical_date)

    @task.sensor(poke_interval=5, timeout=60, mode="poke")
    def warehouse_landed(logical_date=None):
        return warehouse_freshness_poke("fleet_warehouse", fresh_checked_tables(), now=logical_date)

    warehouse_fresh() >> warehouse_landed()


warehouse_checks()
