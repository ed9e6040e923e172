"""fleetops on Spark: replay-safe streaming de-duplication and alert storms with the kill switch
on Structured Streaming, and batch SLOs, keep-first/last and freshness over DataFrames. Glue
only: every decision is the Rust core's, made by the same engines as in one process; Spark
supplies the state store, the shuffle and the retries. Importing ``fleetops`` never imports
pyspark; importing this module does.

Streaming de-duplication keeps its state in Spark's state store through
``transformWithStateInPandas`` (Spark 4): one fleetops ``Deduper`` snapshot per key-hash bucket,
so checkpoints, task retries and exactly-once sinks behave as Spark promises. A restart with a
*new* checkpoint (the runbook's hotfix replay from the earliest offset) starts from the old
query's state, read back with Spark's state data source::

    from fleetops.spark import dedup_state, dedup_stream

    silver = dedup_stream(bronze, key=["vehicle_id", "event_id"], event_time="event_ts", horizon="24h")
    # The hotfix: a new checkpoint, replay from "earliest", the old query's de-duplication state.
    silver = dedup_stream(bronze, key=["vehicle_id", "event_id"], event_time="event_ts", horizon="24h",
                          initial_state=dedup_state(spark, "/checkpoints/silver-v1"))

The session needs the RocksDB state store provider (the default on Databricks Runtime 17.3 and
later): ``spark.sql.streaming.stateStore.providerClass`` =
``org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider``.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.streaming import StatefulProcessor, StatefulProcessorHandle
from pyspark.sql.types import BinaryType, BooleanType, DoubleType, IntegerType, StringType, StructField, StructType

from fleetops._files import read_bounded
from fleetops._fleetops import (
    DEDUP_OUTCOMES,
    MAX_KILL_SWITCH_FILE_BYTES,
    MUTE_RELOAD_SECONDS,
    Deduper,
    FleetopsError,
    SloTracker,
    StormDetector,
    classify_tables,
    dedup_mask,
    duration_seconds,
    key_hashes,
    kill_switch_mutes,
    utc_iso,
)

if TYPE_CHECKING:
    from fleetops.results import FreshnessReport, TrackerStatus

__all__ = [
    "ACTION",
    "EVENTS",
    "OUTCOME",
    "PAGE",
    "REASON",
    "dedup_batch",
    "dedup_state",
    "dedup_stream",
    "slo_status",
    "storms_stream",
    "table_freshness",
]

#: The column ``dedup_stream(..., outcomes=True)`` adds: ``first``, ``duplicate``, ``late`` or
#: ``future``, the core's outcome names.
OUTCOME = "fleetops_outcome"
_OUTCOMES = np.array(DEDUP_OUTCOMES, dtype=object)

#: The columns ``storms_stream`` adds: the core's verdict on each alert (``notify``,
#: ``suppress`` or ``mute``), why, and the storm events it set off as JSON (``storm_started``
#: with its count, ``storm_ended`` with the alerts suppressed, the fleet-wide ones).
ACTION = "fleetops_action"
REASON = "fleetops_reason"
EVENTS = "fleetops_events"
#: Whether the alert goes out (the core's ``Verdict.page``: every notified alert, and a storm's
#: summary at the alert that starts it).
PAGE = "fleetops_page"

# Working columns, dropped before the result is returned.
_BUCKET = "_fleetops_bucket"
_AT = "_fleetops_at"
_NOW = "_fleetops_now"
_HASH = "_fleetops_hash"

# The name of the state variable, as `dedup_state` reads it back.
_DEDUP_STATE = "fleetops_dedup"
_DEDUP_STATE_SCHEMA = StructType([StructField("snapshot", BinaryType()), StructField("buckets", IntegerType())])


def _columns(key: str | Sequence[str]) -> list[str]:
    return [key] if isinstance(key, str) else list(key)


def _epoch_seconds(column: str) -> Any:
    """Epoch seconds as a double computed by Spark, so no session time zone touches them."""
    return F.unix_micros(F.col(column).cast("timestamp")) / F.lit(1_000_000.0)


def _buckets(df: DataFrame, buckets: int | None) -> int:
    # Spark's own parallelism for shuffles, unless the caller picks one.
    return buckets if buckets is not None else int(df.sparkSession.conf.get("spark.sql.shuffle.partitions") or "1")


def _bucketed(df: DataFrame, keys: list[str], buckets: int) -> DataFrame:
    return df.withColumn(_BUCKET, F.pmod(F.xxhash64(*keys), F.lit(buckets)).cast("int"))


class _DedupProcessor(StatefulProcessor):  # type: ignore[misc]
    """One fleetops `Deduper` per bucket, saved to the state store after every micro-batch."""

    def __init__(self, horizon: Any, options: Mapping[str, Any], keys: list[str], columns: list[str], buckets: int):
        self._horizon = horizon
        self._options = dict(options)
        self._keys = keys
        self._columns = columns
        self._buckets = buckets

    def init(self, handle: StatefulProcessorHandle) -> None:
        self._state = handle.getValueState(_DEDUP_STATE, _DEDUP_STATE_SCHEMA)

    def handleInputRows(self, key: Any, rows: Iterator[pd.DataFrame], timerValues: Any) -> Iterator[pd.DataFrame]:
        batch = pd.concat(list(rows), ignore_index=True)
        if batch.empty:
            return
        deduper = Deduper.from_bytes(self._state.get()[0]) if self._state.exists() else self._new()
        # Event time, then key: the same rows give the same decisions however Spark ordered them
        # (a retried task, a replay).
        batch[_HASH] = np.frombuffer(key_hashes([batch[k] for k in self._keys]), dtype=np.uint64)
        batch = batch.sort_values([_AT, _HASH], kind="stable", ignore_index=True)
        codes = deduper.observe_batch(
            batch[_HASH].to_numpy(), batch[_AT].to_numpy(dtype=np.float64), now=float(batch[_NOW].iloc[0])
        )
        self._state.update((deduper.to_bytes(), self._buckets))
        out = batch[self._columns].copy()
        out[OUTCOME] = _OUTCOMES[np.frombuffer(codes, dtype=np.uint8)]
        yield out

    def handleInitialState(self, key: Any, initialState: pd.DataFrame, timerValues: Any) -> None:
        snapshots = [Deduper.from_bytes(bytes(s)) for s in initialState["snapshot"]]
        merged = snapshots[0]
        for other in snapshots[1:]:
            merged.merge(other)
        self._state.update((merged.to_bytes(), self._buckets))

    def close(self) -> None:
        pass

    def _new(self) -> Deduper:
        return Deduper(self._horizon, **self._options)


def dedup_stream(
    df: DataFrame,
    *,
    key: str | Sequence[str],
    event_time: str,
    horizon: Any,
    allowed_lateness: Any | None = None,
    max_future: Any | None = None,
    max_keys: int | None = None,
    buckets: int | None = None,
    initial_state: DataFrame | None = None,
    outcomes: bool = False,
    now: str | datetime | None = None,
) -> DataFrame:
    """The stream with duplicates removed: the first event of each key (one column or several)
    within ``horizon`` of event time passes, and so do neither later copies nor events behind
    the watermark (``allowed_lateness`` behind the newest event) nor events more than
    ``max_future`` ahead of the batch time. ``outcomes=True`` keeps every row and adds
    ``fleetops_outcome`` (the side output of what was dropped and why).

    State: one fleetops ``Deduper`` per key-hash bucket (``buckets``, default
    ``spark.sql.shuffle.partitions``) in Spark's state store; the watermark is each bucket's.
    ``initial_state`` (from :func:`dedup_state`) seeds a query on a new checkpoint with an old
    query's state; both must use the same ``buckets``. ``now`` (an instant) pins the clock
    ``max_future`` is judged at; by default it is each micro-batch's time, which Spark records in
    the checkpoint so that a retried batch sees the same one."""
    keys = _columns(key)
    options: dict[str, Any] = {
        k: v
        for k, v in {"allowed_lateness": allowed_lateness, "max_future": max_future, "max_keys": max_keys}.items()
        if v is not None
    }
    Deduper(horizon, **options)  # a bad option fails here, on the driver, not in a task
    n = _buckets(df, buckets)
    staged = _bucketed(df, keys, n).withColumn(_AT, _epoch_seconds(event_time))
    clock = F.current_timestamp() if now is None else F.lit(utc_iso(now)).cast("timestamp")
    staged = staged.withColumn(_NOW, F.unix_micros(clock) / F.lit(1_000_000.0))
    schema = StructType([*df.schema.fields, StructField(OUTCOME, StringType())])
    processor = _DedupProcessor(horizon, options, keys, list(df.columns), n)
    initial = None
    if initial_state is not None:
        _check_buckets(initial_state, n)
        initial = initial_state.select(_BUCKET, "snapshot").groupBy(_BUCKET)
    result = staged.groupBy(_BUCKET).transformWithStateInPandas(
        processor, schema, "Append", "None", initialState=initial
    )
    return result if outcomes else result.filter(F.col(OUTCOME) == "first").drop(OUTCOME)


def _check_buckets(initial_state: DataFrame, buckets: int) -> None:
    found = {r[0] for r in initial_state.select("buckets").distinct().collect()}
    if found and found != {buckets}:
        from fleetops._fleetops import InvalidArgumentError

        raise InvalidArgumentError(
            f"initial_state was saved with {sorted(found)} buckets, this query uses {buckets}: pass buckets="
            f"{min(found)} so that every key finds its state"
        )


def dedup_state(spark: SparkSession, checkpoint: str, *, operator_id: int | None = None) -> DataFrame:
    """The de-duplication state of a :func:`dedup_stream` query, read from its checkpoint with
    Spark's state data source: one row per bucket (``_fleetops_bucket``, ``snapshot``,
    ``buckets``), for ``initial_state`` of a query on a new checkpoint. ``operator_id`` picks
    the operator when the query has more than one stateful operator."""
    reader = spark.read.format("statestore").option("path", checkpoint).option("stateVarName", _DEDUP_STATE)
    if operator_id is not None:
        reader = reader.option("operatorId", str(operator_id))
    return reader.load().select(
        F.col(f"key.{_BUCKET}").alias(_BUCKET),
        F.col("value.snapshot").alias("snapshot"),
        F.col("value.buckets").alias("buckets"),
    )


_STORM_STATE = "fleetops_storms"
_STORM_STATE_SCHEMA = StructType([StructField("snapshot", BinaryType()), StructField("reloaded_at", DoubleType())])


class _StormProcessor(StatefulProcessor):  # type: ignore[misc]
    """The whole fleet's `StormDetector` in one group, saved after every micro-batch, with the
    kill-switch table re-read into its mute list when `reload` has passed since the last read."""

    def __init__(self, options: Mapping[str, Any], key: str, columns: list[str], mutes: str | None, reload: float):
        self._options = dict(options)
        self._key = key
        self._columns = columns
        self._mutes = mutes
        self._reload = reload

    def init(self, handle: StatefulProcessorHandle) -> None:
        self._state = handle.getValueState(_STORM_STATE, _STORM_STATE_SCHEMA)

    def handleInputRows(self, key: Any, rows: Iterator[pd.DataFrame], timerValues: Any) -> Iterator[pd.DataFrame]:
        batch = pd.concat(list(rows), ignore_index=True)
        if batch.empty:
            return
        if self._state.exists():
            snapshot, reloaded_at = self._state.get()
            detector = StormDetector.from_bytes(bytes(snapshot))
        else:
            detector, reloaded_at = StormDetector(**self._options), None
        now = float(batch[_NOW].iloc[0])
        if self._mutes is not None and (reloaded_at is None or now - reloaded_at >= self._reload):
            mutes, skipped = _kill_switch(self._mutes, self._key)
            for problem in skipped:
                _log.warning("fleetops kill switch %s: %s", self._mutes, problem)
            if skipped:
                _log.warning(
                    "fleetops kill switch %s: %d skipped, %d mutes applied", self._mutes, len(skipped), len(mutes)
                )
            try:
                detector.set_mutes(mutes)
            except FleetopsError as e:  # the list as a whole (the core's word): keep the last one
                _log.warning("fleetops kill switch %s: not applied, the last list stays: %s", self._mutes, e)
            reloaded_at = now
        # Alert time, then key: the order the in-process detector is fed in.
        batch = batch.sort_values([_AT, self._key], kind="stable", ignore_index=True)
        actions, reasons, events, pages = [], [], [], []
        for k, at in zip(batch[self._key], batch[_AT], strict=True):
            verdict = detector.observe(k, float(at), now=now)
            actions.append(verdict["action"])
            reasons.append(verdict["reason"])
            events.append(json.dumps(verdict["events"]) if verdict["events"] else None)
            pages.append(verdict["page"])
        self._state.update((detector.to_bytes(), reloaded_at))
        out = batch[self._columns].copy()
        out[ACTION], out[REASON], out[EVENTS], out[PAGE] = actions, reasons, events, pages
        yield out

    def close(self) -> None:
        pass


_log = logging.getLogger("fleetops.spark")


def _kill_switch(path: str, key: str) -> tuple[list[Mapping[str, Any]], list[str]]:
    """The kill-switch files' rows as the core's mutes (``kill_switch_mutes``: one per key until
    its latest ``until``, bad rows and unreadable files reported by file name, never fatal), and
    what was skipped. This reads the files and renames the key column; the rules are the core's."""
    files = sorted(Path(path).glob("*.json")) + sorted(Path(path).glob("*.parquet"))
    tables: list[tuple[str, list[dict[str, Any]] | str]] = []
    for f in files:
        try:
            data = io.BytesIO(read_bounded(f, MAX_KILL_SWITCH_FILE_BYTES, "kill-switch file"))
            table = pd.read_json(data, lines=True, dtype=False) if f.suffix == ".json" else pd.read_parquet(data)
            rows = table.to_dict("records")
        except (OSError, ValueError, FleetopsError, ImportError) as e:
            tables.append((f.name, str(e)))
            continue
        tables.append((f.name, [_kill_switch_row(row, key) for row in rows]))
    mutes, skipped = kill_switch_mutes(tables)
    return list(mutes), skipped


def _kill_switch_row(row: Mapping[Any, Any], key: str) -> dict[str, Any]:
    """A row as the core reads it: pandas' timestamps as datetimes, the key column as ``key``."""
    until = row.get("until")
    return {
        "key": row.get(key),
        "until": until.to_pydatetime() if isinstance(until, pd.Timestamp) else until,
        "reason": row.get("reason"),
    }


def storms_stream(
    df: DataFrame,
    *,
    key: str = "vehicle_id",
    time: str,
    mutes: str | None = None,
    reload: Any | None = None,
    verdicts: bool = False,
    now: str | datetime | None = None,
    **detector_options: Any,
) -> DataFrame:
    """Alert storms on a stream of alerts (one row per alert, `key` naming its source): per-key
    storms with one summary alert, flapping, fleet-wide storms, and the runbook's kill switch,
    the files under ``mutes`` (rows of `key`, `until`, `reason`; JSON lines or Parquet) re-read
    every ``reload`` (default the core's ``MUTE_RELOAD_SECONDS``, the runbook's 5 minutes). The
    result is the alerts to send (the core's ``page``: every notified alert and each storm's one
    summary), with ``fleetops_reason`` and the storm events (``fleetops_events``: a storm's start
    with its count, its end with the alerts suppressed); ``verdicts=True`` keeps every alert with
    its ``fleetops_action`` and ``fleetops_page``.

    One detector holds the whole fleet (one state group), so every decision, fleet-wide storms
    included, is the in-process ``StormDetector``'s on the same alerts in time order."""
    StormDetector(**detector_options)  # a bad option fails here, on the driver, not in a task
    reload_s = float(MUTE_RELOAD_SECONDS) if reload is None else duration_seconds(reload)
    clock = F.current_timestamp() if now is None else F.lit(utc_iso(now)).cast("timestamp")
    staged = (
        df.withColumn(_BUCKET, F.lit(0))
        .withColumn(_AT, _epoch_seconds(time))
        .withColumn(_NOW, F.unix_micros(clock) / F.lit(1_000_000.0))
    )
    added = [StructField(name, StringType()) for name in (ACTION, REASON, EVENTS)]
    schema = StructType([*df.schema.fields, *added, StructField(PAGE, BooleanType())])
    processor = _StormProcessor(detector_options, key, list(df.columns), mutes, reload_s)
    result = staged.groupBy(_BUCKET).transformWithStateInPandas(processor, schema, "Append", "None")
    return result if verdicts else result.filter(F.col(PAGE)).drop(ACTION, PAGE)


def dedup_batch(
    df: DataFrame,
    *,
    key: str | Sequence[str],
    order_by: str | None = None,
    keep: str | None = None,
    buckets: int | None = None,
) -> DataFrame:
    """Batch keep-first (or ``keep="last"``) by ``order_by`` (ties by position), computed per
    key-hash bucket by the core's ``dedup_mask``: the rows a ``row_number()`` window over the key
    ordered by ``order_by`` keeps."""
    keys = _columns(key)
    n = _buckets(df, buckets)
    columns = list(df.columns)
    staged = _bucketed(df, keys, n)
    if order_by is not None:
        staged = staged.withColumn(_AT, F.col(order_by).cast("double"))

    def keep_rows(batch: pd.DataFrame) -> pd.DataFrame:
        hashes = np.frombuffer(key_hashes([batch[k] for k in keys]), dtype=np.uint64)
        order = batch[_AT].to_numpy(dtype=np.float64) if order_by is not None else None
        mask = np.frombuffer(dedup_mask(hashes, keep=keep, order_by=order), dtype=np.bool_)  # type: ignore[arg-type]
        kept: pd.DataFrame = batch[mask]
        return kept[columns]

    return staged.groupBy(_BUCKET).applyInPandas(keep_rows, schema=df.schema)


def slo_status(
    df: DataFrame,
    *,
    at: str,
    ok: str,
    now: Any,
    latency_ms: str | None = None,
    **tracker_options: Any,
) -> TrackerStatus:
    """The SLO status at ``now`` of a DataFrame of requests: a fleetops ``SloTracker`` per
    partition, their saved states merged on the driver (merging is exact), so the result equals
    one tracker fed every row."""
    SloTracker(**tracker_options)  # a bad option fails here, on the driver
    cols = [_epoch_seconds(at).alias(_AT), F.col(ok).cast("boolean").alias(ok)]
    if latency_ms is not None:
        cols.append(F.col(latency_ms).cast("double").alias(latency_ms))

    def track(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        tracker = SloTracker(**tracker_options)
        for b in batches:
            lat = b[latency_ms].to_numpy(dtype=np.float64, na_value=np.nan) if latency_ms is not None else None
            # A null outcome stays None (refused by the core), never False.
            tracker.record_batch(b[_AT].to_numpy(dtype=np.float64), b[ok].to_numpy(), lat, now=now)
        yield pd.DataFrame({"snapshot": [tracker.to_bytes()]})

    parts = df.select(*cols).mapInPandas(track, schema=StructType([StructField("snapshot", BinaryType())])).collect()
    total = SloTracker(**tracker_options)
    for row in parts:
        total.merge(SloTracker.from_bytes(bytes(row[0])))
    return total.status(now)


def table_freshness(
    df: DataFrame, *, table: str, loaded_at: str, now: Any, policy: Any | None = None
) -> FreshnessReport:
    """Freshness of many tables: Spark computes ``MAX(loaded_at)`` per table, fleetops classifies
    them (policy default: the runbook's)."""
    latest = df.groupBy(table).agg(F.max(_epoch_seconds(loaded_at)).alias(_AT)).collect()
    # A null table name goes to the core as it is (refused there), never as the text "None".
    last: dict[Any, float | None] = {r[0]: (None if r[1] is None else float(r[1])) for r in latest}
    return classify_tables(last, policy=policy, now=now)
