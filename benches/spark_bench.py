"""Streaming de-duplication on Spark (local[2]), side by side in one run on the same 1M-event
stream (10 Parquet files, one micro-batch each, ~20 % duplicates): fleetops' ``dedup_stream``
(a Deduper snapshot per key-hash bucket) and Spark's own ``dropDuplicatesWithinWatermark``; and,
on the first file only (100k events, it is that slow), the same judgement kept per key in Spark's
state store (one state row per key: the grouping fleetops did not choose, measured to show
why). Reports events/s as the median and min-max of the runs, and the state each leaves per
live key (RocksDB files in the checkpoint).

    benches/spark_run    # builds the wheel and a venv, then runs this file
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from fleetops.spark import dedup_stream
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.streaming import StatefulProcessor, StatefulProcessorHandle
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType, TimestampType

EVENTS = 1_000_000
FILES = 10
RUNS = int(os.environ.get("FLEETOPS_SPARK_RUNS", "3"))
HORIZON_S = 3600.0


def make_stream(src: Path) -> int:
    rng = np.random.default_rng(7)
    unique = int(EVENTS * 0.8)
    ids = np.concatenate([np.arange(unique), rng.integers(0, unique, EVENTS - unique)])
    rng.shuffle(ids)
    per = EVENTS // FILES
    t0 = pd.Timestamp("2026-11-22T08:00:00Z")
    src.mkdir(parents=True)
    for f in range(FILES):
        part = ids[f * per : (f + 1) * per]
        frame = pd.DataFrame(
            {
                "vehicle_id": pd.Series(part % 5000).map(lambda v: f"TRK-{v:04d}"),
                "event_id": part.astype(np.int64),
                "event_ts": t0 + pd.to_timedelta(f * 60 + np.sort(rng.random(per)) * 60, unit="s"),
            }
        )
        path = src / f"part-{f:03d}.parquet"
        frame.to_parquet(path, coerce_timestamps="us", allow_truncated_timestamps=True)
        os.utime(path, (1_795_334_400 + f, 1_795_334_400 + f))
    return unique


class PerKey(StatefulProcessor):  # type: ignore[misc]
    """The grouping not chosen: one state row per key (its first-seen event time)."""

    def init(self, handle: StatefulProcessorHandle) -> None:
        self.first = handle.getValueState("first_seen", StructType([StructField("at", DoubleType())]))

    def handleInputRows(self, key: Any, rows: Iterator[pd.DataFrame], timerValues: Any) -> Iterator[pd.DataFrame]:
        batch = pd.concat(list(rows), ignore_index=True).sort_values("at", kind="stable")
        first = self.first.get()[0] if self.first.exists() else None
        keep = []
        for at in batch["at"]:
            if first is None or at > first + HORIZON_S:
                first = at
                keep.append(True)
            else:
                keep.append(False)
        self.first.update((first,))
        yield batch.loc[keep, ["vehicle_id", "event_id", "event_ts"]]

    def close(self) -> None:
        pass


def per_key(df: DataFrame) -> DataFrame:
    schema = StructType(
        [
            StructField("vehicle_id", StringType()),
            StructField("event_id", LongType()),
            StructField("event_ts", TimestampType()),
        ]
    )
    staged = df.withColumn("at", F.unix_micros("event_ts") / 1e6)
    return staged.groupBy("vehicle_id", "event_id").transformWithStateInPandas(PerKey(), schema, "Append", "None")


def live_keys(spark: SparkSession, path: Path) -> int:
    return int(spark.read.parquet(str(path)).select("vehicle_id", "event_id").distinct().count())


def main() -> None:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.shuffle.partitions", "4")
        .config(
            "spark.sql.streaming.stateStore.providerClass",
            "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider",
        )
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    work = Path(tempfile.mkdtemp())
    src = work / "bronze"
    unique = make_stream(src)
    contenders: dict[str, Callable[[DataFrame], DataFrame]] = {
        "fleetops dedup_stream (buckets)": lambda df: dedup_stream(
            df, key=["vehicle_id", "event_id"], event_time="event_ts", horizon="1h", now="2026-11-22T09:00:00Z"
        ),
        "per-key state (same rule, 100k events)": per_key,
        "Spark dropDuplicatesWithinWatermark": lambda df: df.withWatermark(
            "event_ts", "1 hour"
        ).dropDuplicatesWithinWatermark(["vehicle_id", "event_id"]),
    }
    schema = spark.read.parquet(str(src)).schema
    first_file = work / "bronze-first"
    first_file.mkdir()
    shutil.copy2(src / "part-000.parquet", first_file / "part-000.parquet")
    sources = {name: (src, EVENTS) for name in contenders}
    sources["per-key state (same rule, 100k events)"] = (first_file, EVENTS // FILES)
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    sizes: dict[str, float] = {}
    for run in range(RUNS):
        for name, build in contenders.items():  # round robin: every contender sees the same machine
            ck, out = work / f"ck-{run}-{len(rates[name])}-{hash(name)}", work / f"out-{run}-{hash(name)}"
            path, events = sources[name]
            stream = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).parquet(str(path))
            start = time.perf_counter()
            q = (
                build(stream)
                .writeStream.format("noop")
                .option("checkpointLocation", str(ck))
                .trigger(availableNow=True)
                .start()
            )
            q.awaitTermination()
            rates[name].append(events / (time.perf_counter() - start))
            state = sum(p.stat().st_size for p in (ck / "state").rglob("*") if p.is_file())
            sizes[name] = state / (unique if events == EVENTS else live_keys(spark, path))
            shutil.rmtree(ck, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    print(f"== streaming dedup on Spark {spark.version}, local[2], {EVENTS:,} events, {unique:,} keys, {RUNS} runs")
    base = statistics.median(rates["Spark dropDuplicatesWithinWatermark"])
    for name, r in rates.items():
        med = statistics.median(r)
        print(
            f"{name:<38} {med / 1e3:8.1f} k events/s (min {min(r) / 1e3:.1f}, max {max(r) / 1e3:.1f})"
            f"  {med / base:5.2f}x Spark's  state {sizes[name]:6.1f} B/key on disk"
        )
    spark.stop()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
