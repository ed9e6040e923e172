"""End to end: the README's first command runs `fleetops report` on the bundled demo fleet and
finds every planted incident and nothing else.

The expected numbers come from what the demo generator plants (core/src/demo/mod.rs, the
docs/report.md), worked out by hand from the runbook rules, not from running the report:

- TRK-017's failing sensor alerts every 5 s from 02:00 to 06:00 on 6 Nov: 2,880 alerts. The
  storm rule (more than 20 in 5 min) lets 20 through, the 21st (02:01:40) starts the storm and
  is its summary, so 2,880 - 21 = 2,859 are suppressed.
- The streaming restart at 10:00 on 4 Nov re-sends the hour before it from 50 trucks reporting
  once a minute: 50 x 60 = 3,000 duplicates, all with event times in 09:00-10:00, none late
  (the report allows 2 h of lateness).
- trip_events loads every 30 min and stops at 17:45 on 7 Nov: at 07:00 on 8 Nov it is more
  than 720 min old (POOR, an error); every other table loaded within its cadence.
- 5 % of requests fail from 14:00 to 15:00 on 5 Nov: 50x the 0.1 % budget rate, above the
  14.4x page tier, and only on the availability objective (5 % is 5x the 1 % error-rate
  objective, under its 6x and 14.4x tiers over their long windows).
- TRK-031's door sensor fires and resolves every 3 min from 20:00 to 23:00 on 3 Nov: flapping.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "target" / "release" / "fleetops"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert block, "the README starts with a sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def readme_run() -> subprocess.CompletedProcess[str]:
    first = readme_commands()[0]
    assert " report" in first, f"the README's first command runs the report: {first}"
    return subprocess.run(shlex.split(first), cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def report(readme_run: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert BINARY.exists(), "the README command builds the release binary"
    out = subprocess.run([BINARY, "report", "--json"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2, out.stderr
    assert out.stderr == "", "piped: no progress bar, no noise"
    return cast(dict[str, Any], json.loads(out.stdout))


def test_readme_command_prints_every_planted_incident(readme_run: subprocess.CompletedProcess[str]) -> None:
    assert readme_run.returncode == 0, readme_run.stderr
    text = readme_run.stdout
    for needle in ["trip_events", "POOR", "page_fast", "TRK-017", "2859", "TRK-031", "flapping", "3000 duplicates"]:
        assert needle in text, f"{needle!r} missing from:\n{text}"
    assert readme_run.stderr == "", "no progress bar when piped"


def test_nothing_but_the_planted_incidents_is_flagged(report: dict[str, Any]) -> None:
    found = sorted({(f["check"], f["subject"]) for f in report["findings"]})
    assert found == [
        ("dedup", "duplicates"),
        ("freshness", "trip_events"),
        ("slo", "availability"),
        ("storms", "TRK-017"),
        ("storms", "TRK-031"),
    ]
    assert report["level"] == "error" and report["exit_code"] == 2


def test_the_storm_truck_and_its_suppressed_count(report: dict[str, Any]) -> None:
    storms = report["storms"]
    assert [s["key"] for s in storms["storms"]] == ["TRK-017"]
    storm = storms["storms"][0]
    assert storm["suppressed"] == 2880 - 21
    assert storm["started_at"] == "2026-11-06T02:01:40Z"
    assert at("2026-11-06T06:00:00Z") <= at(storm["ended_at"]) <= at("2026-11-06T06:20:00Z")
    assert storms["fleet_storms"] == []
    assert storms["counts"]["muted"] == 0


def test_the_replayed_hour_is_found_as_duplicates(report: dict[str, Any]) -> None:
    dedup = report["dedup"]
    assert dedup["counts"]["duplicate"] == 50 * 60
    assert dedup["counts"]["late"] == 0 and dedup["counts"]["future"] == 0
    assert dedup["duplicate_hours"] == [{"hour": "2026-11-04T09:00:00Z", "duplicates": 3000}]


def test_the_stale_table_is_poor_and_every_other_table_passes(report: dict[str, Any]) -> None:
    tables = {t["table"]: t for t in report["freshness"]["tables"]["results"]}
    assert len(tables) == 20
    stale = tables.pop("trip_events")
    assert stale["class"] == "POOR" and stale["level"] == "error" and stale["stale"] and stale["late"]
    assert stale["age_seconds"] > 720 * 60
    assert {t["level"] for t in tables.values()} == {"pass"}
    assert not any(t["stale"] or t["late"] for t in tables.values())


def test_the_bad_hour_pages_and_nothing_else_burns(report: dict[str, Any]) -> None:
    alerts = report["slo"]["alerts"]
    assert {a["objective"] for a in alerts} == {"availability"}
    tiers = {a["tier"]: a for a in alerts}
    assert tiers["page_fast"]["severity"] == "page"
    assert at("2026-11-05T14:00:00Z") <= at(tiers["page_fast"]["from"]) <= at("2026-11-05T15:00:00Z")
    # A slower tier is inhibited while a faster one fires: each takes over as the one before ends.
    assert [a["tier"] for a in sorted(alerts, key=lambda a: a["from"])] == ["page_fast", "page_slow", "ticket"]
    assert tiers["page_slow"]["from"] == tiers["page_fast"]["to"]
    assert tiers["ticket"]["from"] == tiers["page_slow"]["to"]
    for a in alerts:
        assert a["to"] is not None, "nothing still burns at the morning check"
    # 5 % failing against a 0.1 % budget: a 50x burn at the peak of the short window.
    assert 40 <= tiers["page_fast"]["peak_short_burn"] <= 60
    availability = report["slo"]["status"]["objectives"][0]
    assert availability["name"] == "availability" and not availability["budget"]["overspent"]


def test_the_planned_downtime_is_left_out(report: dict[str, Any]) -> None:
    # Every request fails 02:20-02:50 on Sunday 8 November, inside the weekly 02:00-04:00 UTC
    # window: no episode starts that night, and the section says what it left out (November's
    # Sundays 1 and 8 so far: 240 minutes).
    slo = report["slo"]
    assert not [a for a in slo["alerts"] if a["from"].startswith("2026-11-08")]
    excluded = slo["status"]["excluded"]
    assert excluded["elapsed_minutes"] == 240
    assert excluded["events"] > 30 * 60  # at least the downtime's requests (night rate ~3/s)
    assert slo["maintenance"] == [{"name": "weekly", "start": "2026-11-08T02:00:00Z", "end": "2026-11-08T04:00:00Z"}]


def test_the_flapping_sensor(report: dict[str, Any]) -> None:
    flapping = report["storms"]["flapping"]
    assert [f["key"] for f in flapping] == ["TRK-031"]
    assert at("2026-11-03T20:00:00Z") <= at(flapping[0]["started_at"]) <= at("2026-11-03T23:00:00Z")


def test_the_same_week_from_files_gives_the_same_report(report: dict[str, Any], tmp_path: Path) -> None:
    subprocess.run([BINARY, "demo", "--out", tmp_path], check=True, capture_output=True, timeout=300)
    out = subprocess.run(
        [BINARY, "report", "--json", "--config", tmp_path / "fleetops.toml"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 2, out.stderr
    from_files = json.loads(out.stdout)
    assert from_files["findings"] == report["findings"]
    assert from_files["slo"]["status"] == report["slo"]["status"]


def test_progress_bar_on_a_terminal_only(readme_run: subprocess.CompletedProcess[str]) -> None:
    # `script` gives the command a pseudo-terminal; what it draws comes back on our pipe.
    cmd = f"{shlex.quote(str(BINARY))} report --exit-zero > /dev/null"
    tty = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, timeout=300)
    assert tty.returncode == 0
    assert b"%" in tty.stdout and b"error budget and burn rates" in tty.stdout


@pytest.mark.parametrize(
    "name, content, flag, expected",
    [
        ("loads.csv", None, "--loads", r"loads\.csv: cannot read"),
        ("loads.csv", "name,when\na,b\n", "--loads", r"loads\.csv: no column 'table'"),
        (
            "loads.csv",
            "table,loaded_at\npackages,2026-11-08T06:00:00Z\npackages,yesterday\n",
            "--loads",
            r"loads\.csv: row 3: invalid timestamp",
        ),
        ("requests.csv", "", "--requests", r"requests\.csv: the file is empty"),
        (
            "requests.csv",
            "timestamp,status\n2026-11-08T06:00:00Z,200\n2026-11-08T06:00:01Z,abc\n",
            "--requests",
            r"requests\.csv: line 3: status 'abc'",
        ),
        ("events.csv", "vehicle_id,event_time\nTRK-001,noon\n", "--events", r"events\.csv: row 2: invalid timestamp"),
        ("alerts.jsonl", '{"at": "2026-11-08T06:00:00Z"}\n{"at": \n', "--alerts", r"alerts\.jsonl: line 2: not JSON"),
        ("fleetops.toml", "now = 5\n", "--config", r"fleetops\.toml: TOML parse error"),
    ],
)
def test_bad_inputs_give_one_line_and_exit_2(
    tmp_path: Path,
    readme_run: subprocess.CompletedProcess[str],
    name: str,
    content: str | None,
    flag: str,
    expected: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    # A pinned `--now`: the report judges files at the wall clock otherwise.
    args: list[str | Path] = [BINARY, "report", flag, path]
    if flag != "--config":
        args += ["--now", "2026-11-08T07:00:00Z"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(expected, lines[0]), out.stderr
    assert "panicked" not in out.stderr and "Traceback" not in out.stderr
