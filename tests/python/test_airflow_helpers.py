"""fleetops.airflow without Airflow installed: its own exceptions and poke result."""

from __future__ import annotations

import subprocess
import sys

import pytest

import fleetops
from fleetops import airflow as fa

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
