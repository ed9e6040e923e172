"""The first runbook's Silver job (Event Hub -> Bronze -> Silver -> alerts) with fleetops, as a
Databricks notebook or job would run it: replay-safe de-duplication of truck telemetry, and
alert storms with the kill-switch table re-read every 5 minutes.

On Databricks (Runtime 17.3 LTS or later: Spark 4.0 with RocksDB as the state store), install
the fleetops wheel on the cluster and run::

    silver = start_silver(spark, bronze="/Volumes/fleet/raw/telemetry", silver="/Volumes/fleet/silver/telemetry",
                          checkpoint="/Volumes/fleet/_checkpoints/silver-v1")
    alerts = start_alerts(spark, silver="/Volumes/fleet/silver/telemetry",
                          alerts="/Volumes/fleet/gold/alerts", kill_switch="/Volumes/fleet/ops/kill_switch",
                          checkpoint="/Volumes/fleet/_checkpoints/alerts-v1")

The hotfix procedure (a corrupt batch, a fix, a replay from the earliest offset on a NEW
checkpoint) hands the de-duplication state over in one argument::

    start_silver(spark, ..., checkpoint="/Volumes/fleet/_checkpoints/silver-v2",
                 handover_from="/Volumes/fleet/_checkpoints/silver-v1")

Locally: ``python examples/spark/silver_telemetry.py BRONZE_DIR OUT_DIR`` (JSON files of
``vehicle_id``, ``event_id``, ``event_ts``, ``alert``) runs both once (``availableNow``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fleetops.spark import dedup_state, dedup_stream, storms_stream
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.streaming import StreamingQuery
from pyspark.sql.types import BooleanType, StringType, StructField, StructType, TimestampType

TELEMETRY = StructType(
    [
        StructField("vehicle_id", StringType()),
        StructField("event_id", StringType()),
        StructField("event_ts", TimestampType()),
        StructField("alert", BooleanType()),
    ]
)


def start_silver(
    spark: SparkSession,
    *,
    bronze: str,
    silver: str,
    checkpoint: str,
    handover_from: str | None = None,
    once: bool = False,
    now: str | None = None,
) -> StreamingQuery:
    """Bronze telemetry -> Silver, each (vehicle_id, event_id) once within 24 h of event time;
    events more than 10 minutes behind the newest are late and dropped, as the runbook's watermark."""
    bronze_stream = spark.readStream.schema(TELEMETRY).option("maxFilesPerTrigger", 1).json(bronze)
    initial = dedup_state(spark, handover_from) if handover_from else None
    deduped = dedup_stream(
        bronze_stream,
        key=["vehicle_id", "event_id"],
        event_time="event_ts",
        horizon="24h",
        allowed_lateness="10m",
        initial_state=initial,
        now=now,
    )
    writer = deduped.writeStream.format("parquet").option("checkpointLocation", checkpoint).option("path", silver)
    return (writer.trigger(availableNow=True) if once else writer.trigger(processingTime="1 minute")).start()


def start_alerts(
    spark: SparkSession,
    *,
    silver: str,
    alerts: str,
    kill_switch: str,
    checkpoint: str,
    once: bool = False,
    now: str | None = None,
) -> StreamingQuery:
    """Silver alerts -> the alerts to send: a storming truck pages once with its count, muted
    trucks stay quiet until their kill-switch row expires."""
    silver_alerts: DataFrame = spark.readStream.schema(TELEMETRY).parquet(silver).where("alert")
    to_send = storms_stream(silver_alerts, key="vehicle_id", time="event_ts", mutes=kill_switch, now=now)
    writer = to_send.writeStream.format("parquet").option("checkpointLocation", checkpoint).option("path", alerts)
    return (writer.trigger(availableNow=True) if once else writer.trigger(processingTime="1 minute")).start()


def main(bronze: str, out: str) -> None:
    spark = (
        SparkSession.builder.appName("fleet-silver")
        .config(
            "spark.sql.streaming.stateStore.providerClass",
            "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider",
        )
        .getOrCreate()
    )
    root = Path(out)
    (root / "kill_switch").mkdir(parents=True, exist_ok=True)
    start_silver(
        spark, bronze=bronze, silver=str(root / "silver"), checkpoint=str(root / "_ck" / "silver"), once=True
    ).awaitTermination()
    start_alerts(
        spark,
        silver=str(root / "silver"),
        alerts=str(root / "alerts"),
        kill_switch=str(root / "kill_switch"),
        checkpoint=str(root / "_ck" / "alerts"),
        once=True,
    ).awaitTermination()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
