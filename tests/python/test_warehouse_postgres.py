"""Freshness read from a real PostgreSQL server (a throwaway cluster on a Unix socket), through
psycopg's DB-API connection and through an SQLAlchemy engine: the same answers as DuckDB's, a
missing table charged to itself (the failed transaction rolled back), hostile names quoted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import fleetops
import psycopg
import pytest
import sqlalchemy
from fleetops import WarehouseTables
from fleetops.warehouse import read_freshness
from pg_cluster import cluster

NOW = datetime(2026, 11, 22, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    with cluster() as dsn:
        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute("CREATE SCHEMA raw")
            con.execute("CREATE TABLE raw.packages (_loaded_at timestamptz)")
            con.execute("INSERT INTO raw.packages VALUES ('2026-11-22 07:42:00+00'), ('2026-11-22 06:00:00+00')")
            con.execute("CREATE TABLE raw.naive (_loaded_at timestamp)")
            con.execute("INSERT INTO raw.naive VALUES ('2026-11-22 08:30:00')")
            con.execute('CREATE TABLE raw."odd; DROP TABLE raw.packages; --" ("c""ol" timestamptz)')
            con.execute("""INSERT INTO raw."odd; DROP TABLE raw.packages; --" VALUES ('2026-11-22 07:59:00+00')""")
        yield dsn


TABLES = [
    {"schema": "raw", "identifier": "packages", "column": "_loaded_at"},
    {"schema": "raw", "identifier": "gone", "column": "_loaded_at"},
    {"schema": "raw", "identifier": "odd; DROP TABLE raw.packages; --", "column": 'c"ol', "name": "odd"},
    {"schema": "raw", "identifier": "naive", "column": "_loaded_at"},
]


def check(report: Any) -> None:
    by = {r["table"]: r for r in report["results"]}
    expected = fleetops.classify_tables({"raw.packages": "2026-11-22T07:42:00Z"}, now=NOW)["results"][0]
    assert by["raw.packages"] == expected
    assert by["raw.gone"]["level"] == "error" and "gone" in (by["raw.gone"].get("read_error") or "")
    assert by["odd"]["level"] == "pass"
    assert by["raw.naive"]["last_loaded_at"] == "2026-11-22T07:30:00Z"  # written in Berlin time


def test_a_psycopg_connection(dsn: str) -> None:
    with psycopg.connect(dsn) as con:
        report = read_freshness(con, WarehouseTables(TABLES), dialect="postgres", now=NOW, assume_tz="Europe/Berlin")
        check(report)
        # The hostile name was a name, not a statement; the failed query left no open transaction.
        assert con.execute("SELECT count(*) FROM raw.packages").fetchone() == (2,)


def test_an_sqlalchemy_engine(dsn: str) -> None:
    params = dict(part.split("=", 1) for part in dsn.split())
    url = f"postgresql+psycopg://{params['user']}@/{params['dbname']}?host={params['host']}"
    engine = sqlalchemy.create_engine(url)
    try:
        report = read_freshness(engine, WarehouseTables(TABLES), dialect="postgres", now=NOW, assume_tz="Europe/Berlin")
        check(report)
    finally:
        engine.dispose()


def test_a_naive_column_without_a_zone_names_the_table(dsn: str) -> None:
    with psycopg.connect(dsn) as con, pytest.raises(fleetops.NaiveTimestampError, match=r"raw\.naive"):
        read_freshness(con, WarehouseTables(TABLES[3:]), dialect="postgres", now=NOW)


def test_a_slow_table_is_cut_off_at_the_timeout_and_the_others_judged(dsn: str) -> None:
    slow = {"identifier": "slow", "query": "select now() from pg_sleep(5)", "name": "slow"}
    tables = WarehouseTables([TABLES[0], slow])
    with psycopg.connect(dsn) as con:
        report = read_freshness(con, tables, dialect="postgres", now=NOW, timeout_seconds=0.5)
    by = {r["table"]: r for r in report["results"]}
    assert by["raw.packages"]["level"] == "pass"
    assert by["slow"]["level"] == "error" and "statement timeout" in (by["slow"].get("read_error") or "")
