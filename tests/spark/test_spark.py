"""fleetops.spark on real PySpark: the runbook's telemetry stream (JSON files, availableNow) with
planted duplicates and late events, the hotfix replay on a new checkpoint with the state handed
over, a task that fails once, and the batch helpers against what Spark or one process gives."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fleetops
import pytest
from fleetops._fleetops import MAX_KILL_SWITCH_FILE_BYTES
from fleetops.spark import OUTCOME, dedup_batch, dedup_state, dedup_stream, slo_status, storms_stream, table_freshness
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType, TimestampType
from pyspark.sql.window import Window

SCHEMA = StructType(
    [
        StructField("vehicle_id", StringType()),
        StructField("event_id", StringType()),
        StructField("event_ts", TimestampType()),
    ]
)
KEY = ["vehicle_id", "event_id"]
# Every batch is judged at this instant (max_future), never at the wall clock.
NOW = "2026-11-22T09:00:00Z"
T0 = 1_795_334_400  # 2026-11-22T08:00:00Z


def iso(minute: int, second: int = 0) -> str:
    return f"2026-11-22T08:{minute:02d}:{second:02d}Z"


def write_files(src: Path, first: int, count: int) -> None:
    """Files `first` .. `first + count - 1`: 40 events each from 8 trucks; each file but the
    first repeats 10 events of the file before it (a retried Event Hub batch) and carries 2
    events two hours late and one three hours ahead of the batch clock (a truck's bad clock)."""
    src.mkdir(parents=True, exist_ok=True)
    for f in range(first, first + count):
        rows = [{"vehicle_id": f"TRK-{i % 8:03d}", "event_id": f"f{f}-e{i}", "event_ts": iso(f, i)} for i in range(40)]
        if f > 0:
            rows += [
                {"vehicle_id": f"TRK-{i % 8:03d}", "event_id": f"f{f - 1}-e{i}", "event_ts": iso(f - 1, i)}
                for i in range(10)
            ]
            rows += [
                {"vehicle_id": "TRK-001", "event_id": f"late-{f}-{i}", "event_ts": "2026-11-22T06:00:00Z"}
                for i in range(2)
            ]
            rows += [{"vehicle_id": "TRK-002", "event_id": f"future-{f}", "event_ts": "2026-11-22T12:00:00Z"}]
        path = src / f"part-{f:03d}.json"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        # The file source takes files oldest first: pin the order (and keep off the wall clock).
        os.utime(path, (T0 + f, T0 + f))


def run(
    spark: SparkSession,
    src: Path,
    checkpoint: Path,
    out: Path,
    build: Callable[[DataFrame], DataFrame],
    schema: StructType = SCHEMA,
) -> None:
    """One availableNow run of `build` over the JSON files in `src`, one file per micro-batch."""
    stream = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(str(src))
    query = (
        build(stream)
        .writeStream.format("parquet")
        .option("checkpointLocation", str(checkpoint))
        .option("path", str(out))
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()


def duplicates(spark: SparkSession, *outs: Path) -> int:
    rows = spark.read.parquet(*[str(o) for o in outs]) if outs else None
    assert rows is not None
    return rows.count() - rows.select(*KEY).distinct().count()


def test_a_replay_on_a_new_checkpoint_lets_no_duplicate_through(spark: SparkSession, tmp_path: Path) -> None:
    src = tmp_path / "bronze"
    write_files(src, 0, 4)

    def fleetops_dedup(initial: DataFrame | None) -> Callable[[DataFrame], DataFrame]:
        return lambda df: dedup_stream(
            df, key=KEY, event_time="event_ts", horizon="24h", allowed_lateness="10m", initial_state=initial, now=NOW
        )

    run(spark, src, tmp_path / "ck1", tmp_path / "silver1", fleetops_dedup(None))
    assert duplicates(spark, tmp_path / "silver1") == 0
    first_run = spark.read.parquet(str(tmp_path / "silver1")).count()
    assert first_run == 4 * 40  # every event once; the repeats, late and future events are dropped

    # The hotfix: two more files land, the job restarts on a new checkpoint and replays from the
    # first file, seeded with the old query's state.
    write_files(src, 4, 2)
    run(spark, src, tmp_path / "ck2", tmp_path / "silver2", fleetops_dedup(dedup_state(spark, str(tmp_path / "ck1"))))
    fleetops_dups = duplicates(spark, tmp_path / "silver1", tmp_path / "silver2")
    assert spark.read.parquet(str(tmp_path / "silver2")).count() == 2 * 40  # only the new events

    # Spark's own operator on the same two runs: its state starts empty on the new checkpoint.
    def spark_dedup(df: DataFrame) -> DataFrame:
        return df.withWatermark("event_ts", "10 minutes").dropDuplicatesWithinWatermark(KEY)

    write_files(tmp_path / "bronze-spark", 0, 4)
    run(spark, tmp_path / "bronze-spark", tmp_path / "sck1", tmp_path / "spark1", spark_dedup)
    write_files(tmp_path / "bronze-spark", 4, 2)
    run(spark, tmp_path / "bronze-spark", tmp_path / "sck2", tmp_path / "spark2", spark_dedup)
    spark_dups = duplicates(spark, tmp_path / "spark1", tmp_path / "spark2")
    print(
        f"\nnew-checkpoint replay: fleetops let {fleetops_dups} duplicates through, "
        f"dropDuplicatesWithinWatermark {spark_dups}"
    )
    assert fleetops_dups == 0
    assert spark_dups > 0


def test_the_side_output_says_why_each_row_was_dropped(spark: SparkSession, tmp_path: Path) -> None:
    write_files(tmp_path / "bronze", 0, 3)
    run(
        spark,
        tmp_path / "bronze",
        tmp_path / "ck",
        tmp_path / "out",
        lambda df: dedup_stream(
            df, key=KEY, event_time="event_ts", horizon="24h", allowed_lateness="10m", outcomes=True, now=NOW
        ),
    )
    counts = {r[0]: r[1] for r in spark.read.parquet(str(tmp_path / "out")).groupBy(OUTCOME).count().collect()}
    assert counts == {"first": 120, "duplicate": 20, "late": 4, "future": 2}


def test_a_task_that_fails_once_changes_neither_output_nor_state(spark: SparkSession, tmp_path: Path) -> None:
    marker = tmp_path / "failed-once"

    @F.udf(StringType())
    def fails_once(v: str) -> str:
        if v == "f1-e7" and not marker.exists():
            marker.write_text("x")
            raise RuntimeError("injected task failure")
        return v

    def build(flaky: bool) -> Callable[[DataFrame], DataFrame]:
        def f(df: DataFrame) -> DataFrame:
            if flaky:
                df = df.withColumn("event_id", fails_once("event_id"))
            return dedup_stream(df, key=KEY, event_time="event_ts", horizon="24h", outcomes=True, now=NOW)

        return f

    write_files(tmp_path / "bronze", 0, 3)
    run(spark, tmp_path / "bronze", tmp_path / "ck-clean", tmp_path / "clean", build(False))
    run(spark, tmp_path / "bronze", tmp_path / "ck-flaky", tmp_path / "flaky", build(True))
    assert marker.exists(), "the failure was injected"

    def rows(out: Path) -> list[Any]:
        return sorted(spark.read.parquet(str(out)).collect())

    assert rows(tmp_path / "clean") == rows(tmp_path / "flaky")

    def state(ck: Path) -> dict[int, bytes]:
        return {r[0]: bytes(r[1]) for r in dedup_state(spark, str(ck)).collect()}

    assert state(tmp_path / "ck-clean") == state(tmp_path / "ck-flaky")


def test_a_hand_over_with_other_buckets_is_refused(spark: SparkSession, tmp_path: Path) -> None:
    write_files(tmp_path / "bronze", 0, 1)
    build = lambda df: dedup_stream(df, key=KEY, event_time="event_ts", horizon="1h", now=NOW)  # noqa: E731
    run(spark, tmp_path / "bronze", tmp_path / "ck", tmp_path / "out", build)
    stream = spark.readStream.schema(SCHEMA).json(str(tmp_path / "bronze"))
    with pytest.raises(fleetops.InvalidArgumentError, match="buckets"):
        dedup_stream(
            stream,
            key=KEY,
            event_time="event_ts",
            horizon="1h",
            buckets=8,
            initial_state=dedup_state(spark, str(tmp_path / "ck")),
        )


def test_batch_keep_first_and_last_equal_a_row_number_window(spark: SparkSession) -> None:
    rows = [(f"TRK-{i % 5}", f"e{i % 7}", float((i * 37) % 101)) for i in range(300)]
    df = spark.createDataFrame(rows, ["vehicle_id", "event_id", "seq"])
    for keep, order in [("first", F.col("seq").asc()), ("last", F.col("seq").desc())]:
        window = Window.partitionBy(*KEY).orderBy(order)
        expected = df.withColumn("rn", F.row_number().over(window)).filter("rn = 1").drop("rn")
        got = dedup_batch(df, key=KEY, order_by="seq", keep=keep)
        assert sorted(got.collect()) == sorted(expected.collect()), keep


def test_slo_status_of_a_dataframe_equals_one_tracker_fed_every_row(spark: SparkSession) -> None:
    rows = [(T0 - 86_400.0 + i * 17.0, i % 53 != 0, float(50 + (i * 7) % 900)) for i in range(5_000)]
    df = spark.createDataFrame(rows, ["at_s", "ok", "latency_ms"]).withColumn("at", F.col("at_s").cast("timestamp"))
    now = "2026-11-22T08:00:00Z"
    got = slo_status(df.repartition(4), at="at", ok="ok", latency_ms="latency_ms", now=now)
    one = fleetops.SloTracker()
    one.record_batch([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], now=now)
    assert got == one.status(now)


def test_table_freshness_is_spark_max_then_fleetops_tiers(spark: SparkSession) -> None:
    loads = [
        ("trip_events", "2026-11-22T07:30:00Z"),
        ("trip_events", "2026-11-22T06:00:00Z"),
        ("vehicle_dim", "2026-11-21T19:00:00Z"),
    ]
    df = spark.createDataFrame(loads, ["table", "loaded_at"])
    report = table_freshness(df, table="table", loaded_at="loaded_at", now="2026-11-22T08:00:00Z")
    expected = fleetops.classify_tables(
        {"trip_events": "2026-11-22T07:30:00Z", "vehicle_dim": "2026-11-21T19:00:00Z"}, now="2026-11-22T08:00:00Z"
    )
    assert report == expected
    assert [r["class"] for r in report["results"]] == ["EXCELLENT", "POOR"]


ALERTS = StructType([StructField("vehicle_id", StringType()), StructField("alert_ts", TimestampType())])


def write_alerts(src: Path, name: str, alerts: list[tuple[str, str]], order: int) -> None:
    src.mkdir(parents=True, exist_ok=True)
    path = src / f"{name}.json"
    path.write_text("".join(json.dumps({"vehicle_id": k, "alert_ts": t}) + "\n" for k, t in alerts))
    os.utime(path, (T0 + order, T0 + order))


def storm_run(spark: SparkSession, src: Path, checkpoint: Path, out: Path, **options: Any) -> None:
    build = lambda df: storms_stream(df, key="vehicle_id", time="alert_ts", verdicts=True, **options)  # noqa: E731
    run(spark, src, checkpoint, out, build, ALERTS)


def test_storm_decisions_equal_the_in_process_detector(spark: SparkSession, tmp_path: Path) -> None:
    # TRK-017 raises 30 alerts in 90 s (a storm: more than 20 in 5 minutes), 12 other trucks
    # storm at once later (a fleet-wide storm), the rest raise one alert each.
    files = [
        [("TRK-017", iso(0, s * 3 % 60)) for s in range(30)] + [(f"TRK-{i:03d}", iso(1, i)) for i in range(30, 40)],
        [(f"TRK-{100 + k:03d}", iso(3, s)) for k in range(12) for s in range(22)],
        [("TRK-017", iso(9, 0)), ("TRK-200", iso(9, 1))],
    ]
    src = tmp_path / "alerts"
    for n, alerts in enumerate(files):
        write_alerts(src, f"part-{n}", alerts, n)
    storm_run(spark, src, tmp_path / "ck", tmp_path / "out", now="2026-11-22T08:10:00Z")
    got = [
        (r["vehicle_id"], r["alert_ts"], r["fleetops_action"], r["fleetops_reason"])
        for r in spark.read.parquet(str(tmp_path / "out")).collect()
    ]

    one = fleetops.StormDetector()
    expected = []
    for alerts in files:  # one micro-batch per file, each in time order, then key
        for key, at in sorted(alerts, key=lambda a: (a[1], a[0])):
            v = one.observe(key, at, now="2026-11-22T08:10:00Z")
            expected.append((key, at, v["action"], v["reason"]))
    by_key = lambda rows: sorted((k, str(a)[:19], act, why) for k, a, act, why in rows)  # noqa: E731
    assert by_key(got) == by_key([(k, a.replace("T", " ").rstrip("Z"), act, why) for k, a, act, why in expected])
    actions = [g[2] for g in got]
    assert actions.count("suppress") > 0
    assert any("fleet" in g[3] for g in got), "the fleet-wide storm was seen"


def test_mutes_in_the_kill_switch_take_effect_after_the_reload(spark: SparkSession, tmp_path: Path) -> None:
    src, kill = tmp_path / "alerts", tmp_path / "kill_switch"
    kill.mkdir()
    write_alerts(src, "part-0", [("TRK-005", iso(0, 0))], 0)
    storm_run(spark, src, tmp_path / "ck", tmp_path / "out", mutes=str(kill), now="2026-11-22T08:01:00Z")

    # The on-call engineer adds TRK-005 to the kill switch.
    (kill / "rows.json").write_text(
        json.dumps({"vehicle_id": "TRK-005", "until": "2026-11-22T12:00:00Z", "reason": "bad GPS unit"}) + "\n"
    )
    write_alerts(src, "part-1", [("TRK-005", iso(2, 0))], 1)
    storm_run(spark, src, tmp_path / "ck", tmp_path / "out", mutes=str(kill), now="2026-11-22T08:03:00Z")
    write_alerts(src, "part-2", [("TRK-005", iso(7, 0))], 2)
    storm_run(spark, src, tmp_path / "ck", tmp_path / "out", mutes=str(kill), now="2026-11-22T08:07:00Z")

    rows = spark.read.parquet(str(tmp_path / "out")).orderBy("alert_ts").collect()
    # Read at 08:01; at 08:03 the reload is not due (5 minutes); at 08:07 it is.
    assert [r["fleetops_action"] for r in rows] == ["notify", "notify", "mute"]
    reason = rows[2]["fleetops_reason"]
    assert "bad GPS unit" in reason


def test_null_inputs_are_refused_never_read_as_values(spark: SparkSession) -> None:
    # A null outcome is not a failure and a null table is not the table "None": both refused.
    df = spark.createDataFrame([(float(T0), True), (float(T0), None)], "at_s double, ok boolean")
    df = df.withColumn("at", F.col("at_s").cast("timestamp"))
    # (a null where a boolean goes is a wrong type: InvalidArgumentTypeError, raised in a worker)
    with pytest.raises(Exception, match=r"InvalidArgument(Type)?Error"):
        slo_status(df, at="at", ok="ok", now="2026-11-22T08:00:00Z")
    loads = spark.createDataFrame([(None, "2026-11-22T07:30:00Z")], "table string, loaded_at string")
    with pytest.raises(fleetops.InvalidArgumentError):
        table_freshness(loads, table="table", loaded_at="loaded_at", now="2026-11-22T08:00:00Z")


def test_a_bad_kill_switch_file_or_row_is_skipped_and_reported(tmp_path: Path) -> None:

    from fleetops.spark import _kill_switch

    (tmp_path / "a.json").write_text(
        '{"vehicle_id": "TRK-1", "until": "2026-11-22T10:00:00Z", "reason": "tow"}\n'
        '{"vehicle_id": "TRK-2", "until": "not a time"}\n'
        '{"until": "2026-11-22T10:00:00Z"}\n'
    )
    # The same truck in a second file: an operator extending its mute.
    (tmp_path / "b.json").write_text('{"vehicle_id": "TRK-1", "until": "2026-11-22T12:00:00Z", "reason": "longer"}\n')
    (tmp_path / "c.json").write_text('{"vehicle_id": "TRK-3", "unt')  # half written
    os.mkfifo(tmp_path / "d.json")  # would hang a reader
    with open(tmp_path / "e.json", "wb") as f:  # past the size limit (sparse: no disk used)
        f.truncate(MAX_KILL_SWITCH_FILE_BYTES + 1)
    mutes, skipped = _kill_switch(str(tmp_path), "vehicle_id")
    assert mutes == [
        {
            "id": "TRK-1",
            "key": "TRK-1",
            "matchers": [],
            "starts_at": "1970-01-01T00:00:00Z",
            "ends_at": "2026-11-22T12:00:00Z",
            "reason": "longer",
        }
    ]
    assert [s.split(":")[0] for s in skipped] == ["a.json row 2", "a.json row 3", "c.json", "d.json", "e.json"]
