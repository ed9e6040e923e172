"""examples/spark/silver_telemetry.py run as written: Silver once, the alerts once, then the
hotfix (a new checkpoint, replay from the first file, the state handed over)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

from pyspark.sql import SparkSession

T0 = 1_795_334_400  # 2026-11-22T08:00:00Z
NOW = "2026-11-22T09:00:00Z"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "spark" / "silver_telemetry.py"


def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("silver_telemetry", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_silver_job_and_its_hotfix(spark: SparkSession, tmp_path: Path) -> None:
    job = example()
    bronze = tmp_path / "bronze"
    bronze.mkdir()
    for f in range(3):
        # TRK-017 storms: 30 alerts a file; the others report normally; file f repeats file f-1.
        rows = [
            {
                "vehicle_id": "TRK-017",
                "event_id": f"s{f}-{i}",
                "event_ts": f"2026-11-22T08:0{f}:{i:02d}Z",
                "alert": True,
            }
            for i in range(30)
        ]
        rows += [
            {
                "vehicle_id": f"TRK-{i:03d}",
                "event_id": f"n{f}-{i}",
                "event_ts": f"2026-11-22T08:0{f}:{i:02d}Z",
                "alert": False,
            }
            for i in range(20)
        ]
        if f:
            rows += [dict(r, event_id=r["event_id"].replace(str(f), str(f - 1), 1)) for r in rows[:10]]
        path = bronze / f"part-{f}.json"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        os.utime(path, (T0 + f, T0 + f))
    out = tmp_path / "lake"
    (out / "kill_switch").mkdir(parents=True)

    def silver(checkpoint: str, sink: str, handover: str | None = None) -> None:
        job.start_silver(
            spark,
            bronze=str(bronze),
            silver=str(out / sink),
            checkpoint=str(out / checkpoint),
            handover_from=str(out / handover) if handover else None,
            once=True,
            now=NOW,
        ).awaitTermination()

    silver("ck-silver-v1", "silver")
    job.start_alerts(
        spark,
        silver=str(out / "silver"),
        alerts=str(out / "alerts"),
        kill_switch=str(out / "kill_switch"),
        checkpoint=str(out / "ck-alerts"),
        once=True,
        now=NOW,
    ).awaitTermination()
    first = spark.read.parquet(str(out / "silver"))
    assert first.count() == first.select("vehicle_id", "event_id").distinct().count() == 150
    sent = spark.read.parquet(str(out / "alerts")).collect()
    # 90 alerts from one truck: the first 20 go out, the 21st is the storm's summary, the rest wait.
    assert len(sent) == 21
    assert "storm" in sent[-1]["fleetops_reason"]

    # The hotfix: a new checkpoint replays every file; the old state comes along.
    silver("ck-silver-v2", "silver-replay", handover="ck-silver-v1")
    assert spark.read.parquet(str(out / "silver-replay")).count() == 0
