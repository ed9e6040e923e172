"""fleetops: fleet-platform runbook judgement calls as tested code.

All logic lives in the Rust core; this package re-exports the compiled module. Results are
plain dicts (ISO-8601 UTC strings, float seconds, enum values as strings), ready for XCom.
Timestamps: aware ``datetime`` (pandas / pendulum included), epoch seconds, or ISO-8601
strings with an offset. A naive ``datetime`` raises ``NaiveTimestampError`` unless
``assume_tz`` names its zone. Durations: ``timedelta``, seconds, text (``"45m"``) or dbt's
``{"count": 6, "period": "hour"}``.
"""

from fleetops._fleetops import (
    BurnPolicy,
    EmptyHistoryError,
    FleetopsError,
    FreshnessPolicy,
    InvalidArgumentError,
    InvalidCountError,
    InvalidDurationError,
    InvalidScheduleError,
    InvalidStateError,
    InvalidTargetError,
    InvalidThresholdError,
    InvalidTiersError,
    LatencyHistogram,
    InvalidTimeZoneError,
    InvalidTimestampError,
    LoadSchedule,
    NaiveTimestampError,
    SloTracker,
    __version__,
    check_cadence,
    classify_tables,
    dbt_sources,
    error_budget,
    forecast_budget,
    judge_rule,
    period_window,
    runbook_rules,
    timeslice_budget,
)

__all__ = [
    "BurnPolicy",
    "EmptyHistoryError",
    "FleetopsError",
    "FreshnessPolicy",
    "InvalidArgumentError",
    "InvalidCountError",
    "InvalidDurationError",
    "InvalidScheduleError",
    "InvalidStateError",
    "InvalidTargetError",
    "InvalidThresholdError",
    "InvalidTiersError",
    "LatencyHistogram",
    "InvalidTimeZoneError",
    "InvalidTimestampError",
    "LoadSchedule",
    "NaiveTimestampError",
    "SloTracker",
    "__version__",
    "check_cadence",
    "classify_tables",
    "dbt_sources",
    "error_budget",
    "forecast_budget",
    "judge_rule",
    "period_window",
    "runbook_rules",
    "timeslice_budget",
]
