"""Freshness read straight from the warehouse, on any DB-API 2.0 connection (DuckDB,
psycopg, ...) or SQLAlchemy engine or connection: the tables come from a dbt manifest or a
list (``WarehouseTables``), their last load times from one ``UNION ALL`` query written by the
core for the dialect, and the judgement is ``classify_tables``' with each dbt source's own
limits. A table whose query fails (missing table or column, no permission) is ``error`` with
the database's words; the others are still judged. This module only runs SQL and hands the
rows back.

    import duckdb
    from fleetops import WarehouseTables
    from fleetops.warehouse import read_freshness

    tables = WarehouseTables.from_manifest(open("target/manifest.json").read())
    report = read_freshness(duckdb.connect("warehouse.duckdb"), tables, now=now)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from fleetops._fleetops import (
    WAREHOUSE_INTERRUPT_POLL_MS,
    WAREHOUSE_QUERY_TIMEOUT_SECONDS,
    FreshnessPolicy,
    WarehouseTables,
)

if TYPE_CHECKING:
    from fleetops.results import FreshnessReport


class _Cursor(Protocol):
    def execute(self, operation: str, /) -> object: ...
    def fetchall(self) -> list[Any]: ...


class _Connection(Protocol):
    def cursor(self) -> Any: ...


def read_freshness(
    connection: Any,
    tables: WarehouseTables,
    *,
    dialect: str = "duckdb",
    now: Any = None,
    policy: FreshnessPolicy | None = None,
    assume_tz: str | None = None,
    timeout_seconds: float = WAREHOUSE_QUERY_TIMEOUT_SECONDS,
) -> FreshnessReport:
    """Reads every table's last load time in one query and judges them. When that query fails,
    each table is read alone, so a failure is charged to its table only. ``assume_tz`` states
    the zone of ``timestamp without time zone`` columns (without it such a column is a
    ``NaiveTimestampError`` naming the table and column). Every statement runs for at most
    ``timeout_seconds`` (PostgreSQL's ``statement_timeout``; a DuckDB cursor is interrupted):
    a table that takes longer is ``error`` with the database's words, the others are judged."""
    connection, release = _dbapi(connection)
    try:
        values, errors = _read(connection, tables, dialect, timeout_seconds)
    finally:
        release()
    return tables.judge(values, errors, now=now, policy=policy, assume_tz=assume_tz)


def _dbapi(connection: Any) -> tuple[_Connection, Callable[[], None]]:
    """The DB-API connection behind ``connection``, and what to do with it afterwards: an
    SQLAlchemy engine lends one from its pool (given back after), an SQLAlchemy connection
    shows the one it holds, anything else is taken as a DB-API connection."""
    raw_connection = getattr(connection, "raw_connection", None)
    if callable(raw_connection):  # sqlalchemy.engine.Engine
        lent = raw_connection()
        return lent, lent.close
    if hasattr(connection, "execution_options") and hasattr(connection, "connection"):  # sqlalchemy Connection
        return connection.connection, lambda: None
    return connection, lambda: None


def _read(
    connection: _Connection, tables: WarehouseTables, dialect: str, timeout: float
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    query, per_table = tables.query(dialect), tables.table_queries(dialect)
    bound = tables.timeout_statement(dialect, timeout)
    cursor = connection.cursor()

    def run(sql: str) -> list[Any]:
        # The engine's own timeout where it has one (set again: a rollback may undo it), else
        # the cursor is interrupted (DuckDB: a cursor is a connection of its own).
        if bound is not None:
            cursor.execute(bound)
            return _run(cursor, sql)
        with _interrupted_after(cursor, timeout):
            return _run(cursor, sql)

    try:
        values = {name: value for name, value in run(query)}
    except Exception:  # noqa: BLE001 -- DB-API errors are each driver's own classes
        _rollback(connection)
        for name, sql in per_table:
            try:
                values[name] = run(sql)[0][1]
            except Exception as e:  # noqa: BLE001 -- the database's reason, kept for its table
                errors[name] = str(e).strip() or type(e).__name__
                _rollback(connection)
    return values, errors


class _interrupted_after:
    """Interrupts `cursor` (DuckDB's ``interrupt()``) after `seconds`, when it can be. A thread
    polls the monotonic clock in short sleeps rather than waiting on a timed lock, whose
    absolute deadline would be wrong under a shifted clock (libfaketime)."""

    def __init__(self, cursor: Any, seconds: float) -> None:
        self.interrupt = getattr(cursor, "interrupt", None)
        self.seconds = seconds
        self.done = False

    def __enter__(self) -> None:
        interrupt = self.interrupt
        if not callable(interrupt):
            return
        deadline = time.monotonic() + self.seconds

        def watch() -> None:
            while not self.done:
                if time.monotonic() >= deadline:
                    interrupt()
                    return
                time.sleep(WAREHOUSE_INTERRUPT_POLL_MS / 1000)

        threading.Thread(target=watch, daemon=True).start()

    def __exit__(self, *_: object) -> None:
        self.done = True


def _run(cursor: _Cursor, sql: str) -> list[Any]:
    cursor.execute(sql)
    return cursor.fetchall()


def _rollback(connection: _Connection) -> None:
    """Ends a failed transaction where the driver keeps one (PostgreSQL refuses every later
    statement until then)."""
    rollback = getattr(connection, "rollback", None)
    if callable(rollback):
        try:
            rollback()
        except Exception:  # noqa: BLE001, S110 -- nothing to roll back
            pass
