"""fleetops.airflow without Airflow installed: its own exceptions and poke result."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import fleetops
import pytest
from conftest import run_at_frozen_clock
from fleetops import airflow as fa
from fleetops._fleetops import MAX_STATE_FILE_BYTES

NOW = "2026-11-22T08:00:00Z"
TABLES = {"packages": "2026-11-22T07:30:00Z", "stops": "2026-11-22T01:00:00Z", "trips": "2026-11-21T01:00:00Z"}


def test_importing_fleetops_never_imports_airflow() -> None:
    code = "import sys, fleetops, fleetops.airflow; print('airflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fail_on_error_level() -> None:
    with pytest.raises(fa.FreshnessCheckFailed, match="trips=POOR/error"):
        fa.check_freshness(TABLES, policy=fleetops.FreshnessPolicy.runbook(), now=NOW)


def test_skip_on_warn_level() -> None:
    tables = {k: v for k, v in TABLES.items() if k != "trips"}
    with pytest.raises(fa.FreshnessCheckSkipped, match="stops=ACCEPTABLE/warn"):
        fa.check_freshness(tables, now=NOW, skip_on=("warn",))


def test_pass_returns_the_report_for_xcom() -> None:
    report = fa.check_freshness(lambda: {"packages": "2026-11-22T07:30:00Z"}, now=NOW)
    assert report["summary"]["worst_level"] == "pass"


def test_poke_is_done_only_when_every_table_passes() -> None:
    waiting = fa.freshness_poke(TABLES, now=NOW)
    assert isinstance(waiting, fa.PokeResult) and waiting.is_done is False
    assert waiting.xcom_value["summary"]["error"] == ["trips"]
    done = fa.freshness_poke({"packages": "2026-11-22T07:30:00Z"}, now=NOW)
    assert done.is_done is True
    with pytest.raises(fa.FreshnessCheckFailed):
        fa.freshness_poke(TABLES, now=NOW, fail_on=("error",))


# --- error-budget gate and the failure callback (Airflow itself: tests/airflow/run.sh) ---


def test_budget_gate_passes_with_budget_left_and_returns_a_plain_dict() -> None:
    # 1,800 bad of 5M at 99.9 %: 36 % of the 5,000-event budget.
    result = fa.check_error_budget({"good": 4_998_200, "total": 5_000_000}, objective=0.999)
    assert result["status"] == "ok"
    assert result["overspent"] is False and abs(result["used_percent"] - 36.0) < 1e-9


def test_budget_gate_fails_when_the_budget_is_spent() -> None:
    with pytest.raises(fa.FreshnessCheckFailed, match="budget overspent"):
        fa.check_error_budget(lambda: {"bad": 6_000, "total": 5_000_000}, objective=0.999)
    # Without "overspent" in fail_on it only reports.
    spent = fa.check_error_budget({"bad": 6_000, "total": 5_000_000}, objective=0.999, fail_on=())
    assert spent["status"] == "ok" and spent["overspent"] is True


def test_budget_gate_reads_a_saved_tracker_and_fails_on_a_page(tmp_path: Path) -> None:
    tracker = fleetops.SloTracker()
    start = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    for s in range(0, 3600, 2):
        # The last 10 minutes all fail: far above 14.4x over 1h and 5m.
        tracker.record(start + timedelta(seconds=s), ok=s < 3000, latency_ms=100.0, now=start + timedelta(hours=1))
    saved = tmp_path / "tracker.bin"
    saved.write_bytes(tracker.to_bytes())
    now = start + timedelta(hours=1)
    with pytest.raises(fa.FreshnessCheckFailed, match=r"page_fast \(page\) firing"):
        fa.check_error_budget(saved, now=now, fail_on=("page",))
    status = fa.check_error_budget(saved, now=now, fail_on=())
    assert status["objectives"][0]["name"] == "availability"


def test_budget_gate_reports_a_page_once_not_each_slower_tier_it_inhibits() -> None:
    tracker = fleetops.SloTracker()
    start = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    now = start + timedelta(hours=6)
    # Six hours, a request every 2 s; the last 10 minutes all fail: 300 bad of 10,800.
    # At 99.9 %: 1 h 300/1,800 (burn 167 > 14.4) and 5 m all bad: page_fast fires; 6 h
    # 300/10,800 (27.8 > 6) and 30 m 300/900: page_slow fires; 72 h (27.8 > 1) and 6 h: the
    # ticket fires. Both slower tiers are inhibited by page_fast, which pages already.
    at = [start.timestamp() + s for s in range(0, 6 * 3600, 2)]
    ok = [s < (5 * 60 + 50) * 60 for s in range(0, 6 * 3600, 2)]
    tracker.record_batch(at, ok, [100.0] * len(at), now=now)
    with pytest.raises(fa.FreshnessCheckFailed) as failed:
        fa.check_error_budget(tracker, now=now, fail_on=("page",))
    message = str(failed.value)
    assert "availability: page_fast (page) firing" in message
    assert "page_slow" not in message and "ticket" not in message, message
    # The status the gate returns (its XCom) still says every tier fires, and who inhibits it.
    status = fa.check_error_budget(tracker, now=now, fail_on=())
    burn = {t["tier"]: t for t in status["objectives"][0]["burn"]}
    assert [burn[t]["firing"] for t in ("page_fast", "page_slow", "ticket")] == [True, True, True]
    assert (burn["page_fast"]["inhibited_by"], burn["page_slow"]["inhibited_by"]) == (None, "page_fast")
    assert burn["ticket"]["inhibited_by"] == "page_fast"
    # A gate on tickets alone still stops: the page inhibiting the ticket is not reported there.
    with pytest.raises(fa.FreshnessCheckFailed, match=r"availability: ticket \(ticket\) firing"):
        fa.check_error_budget(tracker, now=now, fail_on=("ticket",))


def test_budget_gate_needs_an_objective_for_counts() -> None:
    # fleetops' own error, as every refusal is (an InvalidArgumentError is a ValueError).
    with pytest.raises(fleetops.InvalidArgumentError, match="objective"):
        fa.check_error_budget({"good": 1, "total": 2})
    with pytest.raises(fleetops.InvalidArgumentError, match="cannot read a budget from int"):
        fa.check_error_budget(5)


def test_failure_callback_pages_until_a_task_storms_then_summarises(tmp_path: Path) -> None:
    pages: list[tuple[str, str]] = []
    callback = fa.storm_routed_callback(
        lambda ctx, v: pages.append((ctx["ti"].task_id, v["action"])), state_path=tmp_path / "storms.bin"
    )
    t0 = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)

    def fail(task: str, minutes: int) -> fa.FailureVerdict:
        ti = SimpleNamespace(dag_id="loads", task_id=task, end_date=t0 + timedelta(minutes=minutes))
        return callback({"ti": ti})

    verdicts = [fail("load_trips", m) for m in range(0, 50, 10)]
    # The task_failures preset: more than 3 failures in an hour storm. Three page, the fourth
    # is the storm's one summary (suppressed, with a storm_started event), the fifth is quiet.
    assert [v["action"] for v in verdicts] == ["notify", "notify", "notify", "suppress", "suppress"]
    assert [e["event"] for e in verdicts[3]["events"]] == ["storm_started"]
    assert pages == [("load_trips", "notify")] * 3 + [("load_trips", "suppress")]
    # Another task is its own key; the state survives across callbacks (separate processes).
    assert fail("load_packages", 45)["action"] == "notify"
    restored = fleetops.StormDetector.from_bytes((tmp_path / "storms.bin").read_bytes())
    assert restored.stats()["counts"]["alerts"] == 6


def test_without_now_a_task_is_judged_at_its_data_interval_end(monkeypatch: pytest.MonkeyPatch) -> None:
    # Inside a running task (its context stood in for here) the helpers judge at the run's
    # data_interval_end, one instant for every part of a decision, never the wall clock.
    end = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    monkeypatch.setattr(fa, "_current_context", lambda: {"data_interval_end": end})
    assert fa.decision_time() == end
    assert fa.decision_time("2026-11-01T00:00:00Z") == "2026-11-01T00:00:00Z"
    report = fa.check_freshness({"packages": "2026-11-22T07:30:00Z"})
    assert report["results"][0]["age_seconds"] == 1800
    waiting = fa.freshness_poke({"packages": "2026-11-22T07:30:00Z", "trip_events": "2026-11-21T07:00:00Z"})
    assert waiting.is_done is False
    tracker = fleetops.SloTracker()
    start = end - timedelta(hours=1)
    for s in range(0, 3600, 2):
        tracker.record(start + timedelta(seconds=s), ok=s < 3000, latency_ms=100.0, now=end)
    # The last 10 minutes failed: a page at `end`, whether status or gate is asked.
    with pytest.raises(fa.FreshnessCheckFailed, match=r"page_fast \(page\) firing"):
        fa.check_error_budget(tracker, fail_on=("page",))
    status = fa.check_error_budget(tracker, fail_on=())
    # 1 Nov 00:00 to 22 Nov 08:00: 21 days and 8 hours into the calendar month.
    assert status["period"]["elapsed_minutes"] == 21 * 1440 + 480


def test_outside_a_task_the_wall_clock_is_read_once() -> None:
    code = "from fleetops.airflow import decision_time; print(decision_time().isoformat())"
    assert run_at_frozen_clock("2027-01-01 00:00:00", code) == "2027-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    "damage", [b"", b'{"format":"fleetops.storm', b"\0" * 64, b'{"format":"fleetops.dedup","version":1}']
)
def test_a_damaged_callback_state_pages_and_says_it_was_reset(tmp_path, damage: bytes) -> None:  # type: ignore[no-untyped-def]
    # Every later callback raised InvalidStateError and paged nobody.
    pages: list[fa.FailureVerdict] = []
    state = tmp_path / "storms.bin"
    callback = fa.storm_routed_callback(lambda ctx, v: pages.append(v), state_path=state)
    t0 = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    state.write_bytes(damage)
    verdict = callback({"ti": SimpleNamespace(dag_id="loads", task_id="load_trips", end_date=t0)})
    assert verdict["action"] == "notify" and "could not be read and was reset" in verdict["state_reset"]
    assert len(pages) == 1 and pages[0]["state_reset"] == verdict["state_reset"]
    # The state is whole again: the next failure is judged from it, with no reset.
    verdict = callback(
        {"ti": SimpleNamespace(dag_id="loads", task_id="load_trips", end_date=t0 + timedelta(minutes=1))}
    )
    assert "state_reset" not in verdict
    assert fleetops.StormDetector.from_bytes(state.read_bytes()).stats()["counts"]["alerts"] == 2


def test_callback_options_apply_to_an_existing_state(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # detector_options were ignored once the state file existed.
    state = tmp_path / "storms.bin"
    t0 = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)

    def fail(cb: Callable[[dict[str, Any]], fa.FailureVerdict], m: int) -> fa.FailureVerdict:
        return cb({"ti": SimpleNamespace(dag_id="loads", task_id="t", end_date=t0 + timedelta(minutes=m))})

    fail(fa.storm_routed_callback(lambda ctx, v: None, state_path=state), 0)
    strict = fa.storm_routed_callback(lambda ctx, v: None, state_path=state, enter_above=1)
    first = fail(strict, 1)
    assert "options changed" in first["state_reset"]
    assert fleetops.StormDetector.from_bytes(state.read_bytes()).config["enter_above"] == 1
    assert "state_reset" not in fail(strict, 2)


def _failure(task: str, minutes: int) -> dict[str, Any]:
    t0 = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    return {"ti": SimpleNamespace(dag_id="loads", task_id=task, end_date=t0 + timedelta(minutes=minutes))}


def test_two_state_files_never_share_a_temporary_file(tmp_path: Path) -> None:
    # x.bin and x.dat both wrote x.tmp: one ended up with the other's state.
    a = fa.storm_routed_callback(lambda ctx, v: None, state_path=tmp_path / "x.bin")
    b = fa.storm_routed_callback(lambda ctx, v: None, state_path=tmp_path / "x.dat")
    for m in range(3):
        a(_failure("a", m))
        b(_failure("b", m))
    b(_failure("b", 4))
    counts = [
        fleetops.StormDetector.from_bytes((tmp_path / n).read_bytes()).stats()["counts"]["alerts"]
        for n in ("x.bin", "x.dat")
    ]
    assert counts == [3, 4]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_a_held_lock_pages_after_the_bounded_wait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    monkeypatch.setattr(fa, "STATE_LOCK_WAIT_SECONDS", 0.2)
    state = tmp_path / "storms.bin"
    pages: list[fa.FailureVerdict] = []
    callback = fa.storm_routed_callback(lambda ctx, v: pages.append(v), state_path=state)
    with open(tmp_path / "storms.bin.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        verdict = callback(_failure("t", 0))
    assert verdict["action"] == "notify" and "stayed locked" in verdict["state_reset"]
    assert len(pages) == 1


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_lock_or_state_that_is_no_file_pages_at_once(tmp_path: Path, kind: str) -> None:
    import os

    pages: list[fa.FailureVerdict] = []

    def page(ctx: Any, verdict: fa.FailureVerdict) -> None:
        pages.append(verdict)

    for target in ("storms.bin.lock", "storms.bin"):
        d = tmp_path / f"{kind}-{target}"
        d.mkdir()
        (d / target).mkdir() if kind == "directory" else os.mkfifo(d / target)
        verdict = fa.storm_routed_callback(page, state_path=d / "storms.bin")(_failure("t", 0))
        assert verdict["page"] and "state_reset" in verdict, (kind, target)
    assert len(pages) == 2


def test_without_airflow_home_the_state_is_under_airflows_default_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIRFLOW_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    fa.storm_routed_callback(lambda ctx, v: None)(_failure("t", 0))
    assert (tmp_path / "airflow" / "fleetops-failure-storms.bin").is_file()


def test_check_error_budget_refuses_what_is_no_state_file(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "fifo")
    for source in ("/dev/zero", tmp_path / "fifo", tmp_path, tmp_path / "missing"):
        with pytest.raises(fleetops.InvalidArgumentError):
            fa.check_error_budget(source)


def test_a_state_file_past_the_limit_is_never_read_and_the_failure_pages(tmp_path: Path) -> None:
    # A 1.5 GB state file was read whole. A sparse file past MAX_STATE_FILE_BYTES costs no disk.
    state = tmp_path / "storms.bin"
    with open(state, "wb") as f:
        f.truncate(MAX_STATE_FILE_BYTES + 1)
    pages: list[fa.FailureVerdict] = []
    verdict = fa.storm_routed_callback(lambda ctx, v: pages.append(v), state_path=state)(_failure("t", 0))
    assert verdict["page"] and "at most" in verdict["state_reset"] and len(pages) == 1
    # The state was replaced with a whole one, small again.
    assert state.stat().st_size < 1 << 20
    with pytest.raises(fleetops.InvalidArgumentError, match="at most"):
        with open(tmp_path / "big.bin", "wb") as f:
            f.truncate(MAX_STATE_FILE_BYTES + 1)
        fa.check_error_budget(tmp_path / "big.bin")
