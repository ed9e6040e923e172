"""Freshness read from a real DuckDB database through its DB-API connection: the one query,
a dbt manifest's sources with their own limits, filters and loaded_at_query, a missing table
charged to itself, hostile names quoted and never executed, naive columns needing a zone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import duckdb
import fleetops
import pytest
from fleetops import WarehouseTables
from fleetops.warehouse import read_freshness

NOW = datetime(2026, 11, 22, 8, tzinfo=UTC)


@pytest.fixture()
def db() -> Any:
    con = duckdb.connect(":memory:")
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.packages (_loaded_at TIMESTAMPTZ)")
    con.execute("INSERT INTO raw.packages VALUES ('2026-11-22 07:42:00+00'), ('2026-11-22 06:00:00+00')")
    con.execute("CREATE TABLE raw.events (_loaded_at TIMESTAMPTZ, region VARCHAR)")
    con.execute("INSERT INTO raw.events VALUES ('2026-11-22 07:55:00+00', 'us'), ('2026-11-22 05:00:00+00', 'eu')")
    con.execute("CREATE TABLE raw.load_log (logged_at TIMESTAMPTZ)")
    con.execute("INSERT INTO raw.load_log VALUES ('2026-11-21 08:00:00+00')")
    con.execute("CREATE TABLE raw.naive (_loaded_at TIMESTAMP)")
    con.execute("INSERT INTO raw.naive VALUES ('2026-11-22 08:30:00')")  # 07:30 UTC in Berlin time
    con.execute('CREATE TABLE raw."odd; DROP TABLE raw.packages; --" ("c""ol" TIMESTAMPTZ)')
    con.execute("""INSERT INTO raw."odd; DROP TABLE raw.packages; --" VALUES ('2026-11-22 07:59:00+00')""")
    con.execute("CREATE TABLE raw.empty (_loaded_at TIMESTAMPTZ)")
    return con


def source(name: str, *, field: str | None = "_loaded_at", **freshness: Any) -> dict[str, Any]:
    return {
        "resource_type": "source",
        "source_name": "raw",
        "name": name,
        "identifier": name,
        "schema": "raw",
        "loaded_at_field": field,
        "freshness": freshness,
    }


def test_a_list_of_tables_is_one_query_and_judged_like_classify_tables(db: Any) -> None:
    tables = WarehouseTables([{"schema": "raw", "identifier": "packages", "column": "_loaded_at"}])
    assert tables.names == ["raw.packages"] and len(tables) == 1
    report = read_freshness(db, tables, now=NOW)
    expected = fleetops.classify_tables({"raw.packages": "2026-11-22T07:42:00Z"}, now=NOW)
    assert report == expected


def test_a_dbt_manifest_with_its_limits_filter_query_and_a_missing_table(db: Any) -> None:
    hour = {"count": 1, "period": "hour"}
    manifest = {
        "sources": {
            "source.f.raw.packages": source("packages", warn_after={"count": 15, "period": "minute"}),
            "source.f.raw.events": source("events", error_after=hour, filter="region = 'eu'"),
            "source.f.raw.logged": {
                **source("logged", field=None, error_after={"count": 2, "period": "day"}),
                "loaded_at_query": "select max(logged_at) from raw.load_log",
            },
            "source.f.raw.gone": source("gone", warn_after=hour),
            "source.f.raw.empty": source("empty", warn_after=hour),
        }
    }
    tables = WarehouseTables.from_manifest(json.dumps(manifest))
    report = read_freshness(db, tables, now=NOW)
    by = {r["table"]: r for r in report["results"]}
    assert by["raw.packages"]["level"] == "warn"  # 18 minutes, past its own 15
    assert by["raw.events"]["level"] == "error"  # the eu rows only: 3 hours, past its own hour
    assert by["raw.logged"]["level"] == "pass"  # a day old by its query, within two
    assert by["raw.gone"]["level"] == "error"
    assert "gone" in (by["raw.gone"].get("read_error") or "")
    assert by["raw.empty"]["class"] == "MISSING" and "read_error" not in by["raw.empty"]
    assert "read_error" not in by["raw.packages"]


def test_hostile_names_are_quoted_never_executed(db: Any) -> None:
    odd = "odd; DROP TABLE raw.packages; --"
    label = "x'); DROP TABLE raw.events; --"
    tables = WarehouseTables([{"schema": "raw", "identifier": odd, "column": 'c"ol', "name": label}])
    report = read_freshness(db, tables, now=NOW)
    assert report["results"][0]["level"] == "pass"
    assert report["results"][0]["table"] == "x'); DROP TABLE raw.events; --"
    assert db.execute("SELECT count(*) FROM raw.packages").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM raw.events").fetchone() == (2,)


def test_a_naive_column_needs_its_zone(db: Any) -> None:
    tables = WarehouseTables([{"schema": "raw", "identifier": "naive", "column": "_loaded_at"}])
    with pytest.raises(fleetops.NaiveTimestampError, match=r"raw\.naive.*_loaded_at"):
        read_freshness(db, tables, now=NOW)
    report = read_freshness(db, tables, now=NOW, assume_tz="Europe/Berlin")
    assert report["results"][0]["last_loaded_at"] == "2026-11-22T07:30:00Z"


def test_bad_lists_are_refused() -> None:
    with pytest.raises(fleetops.InvalidArgumentError):
        WarehouseTables([{"identifier": "t"}])  # neither column nor query
    with pytest.raises(fleetops.InvalidArgumentError):
        WarehouseTables([{"identifier": "t", "column": "c", "colour": "red"}])
    with pytest.raises(fleetops.InvalidSpecError):
        WarehouseTables.from_manifest("{")
    with pytest.raises(fleetops.InvalidArgumentError):
        WarehouseTables([{"identifier": "", "column": "c"}]).query()
    with pytest.raises(fleetops.InvalidArgumentError):
        WarehouseTables([{"identifier": "t", "column": "c"}]).query("oracle")


def test_a_slow_duckdb_query_is_interrupted_at_the_timeout(db: Any) -> None:
    slow = {
        "identifier": "slow",
        "name": "slow",
        "query": "select to_timestamp(sum(range) % 1) from range(100000000000)",
    }
    tables = WarehouseTables([{"schema": "raw", "identifier": "packages", "column": "_loaded_at"}, slow])
    report = read_freshness(db, tables, now=NOW, timeout_seconds=0.5)
    by = {r["table"]: r for r in report["results"]}
    assert by["slow"]["level"] == "error"
    assert "nterrupt" in (by["slow"].get("read_error") or "")
    assert by["raw.packages"]["level"] == "pass"  # read alone after the union was interrupted
