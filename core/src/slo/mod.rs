//! SLOs and error budgets: objectives, events-based and time-slice budgets over rolling or
//! calendar periods, burn rates, multiwindow multi-burn-rate alerts, forecasts.
//!
//! The runbook's numbers (the fleet API runbook) are in [`runbook`]: availability 99.9 % a month (43.8 min
//! at the 30.44-day average month), latency p95 < 500 ms and p99 < 1000 ms, error rate < 1 %,
//! database p95 < 100 ms.

mod budget;
mod burn;
mod exposition;
mod forecast;
mod http;
mod latency;
mod objective;
pub mod openslo;
mod period;
mod prometheus_rules;
mod ring;
mod rules;
pub mod runbook;
mod spec;
mod timeslice;
mod tracker;

/// The longest name (objective, tier, severity) a spec may give, in characters.
pub const MAX_NAME_CHARS: usize = 128;
/// The most objectives one tracker spec may hold.
pub const MAX_OBJECTIVES: usize = 64;

/// Refuses an empty name, one longer than [`MAX_NAME_CHARS`], or one holding U+FFFD
/// (`INVALID_ARGUMENT`): Prometheus writes an expression back out with that character raw and
/// then reads it as a broken byte sequence, so no escape survives it. Any other text is
/// accepted: every writer escapes it for where it lands.
pub(crate) fn check_name(what: &str, name: &str) -> crate::Result<()> {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Err(crate::FleetopsError::InvalidArgument(format!(
            "a {what} name of {chars} characters; 1 to {MAX_NAME_CHARS}"
        )));
    }
    if name.contains('\u{fffd}') {
        return Err(crate::FleetopsError::InvalidArgument(format!(
            "a {what} name holds U+FFFD, the replacement character (a broken byte sequence where it was read)"
        )));
    }
    Ok(())
}

pub use budget::{budget_minutes, event_budget, Budget, EventBudget};
pub use burn::{window_key, BurnAlert, BurnPolicy, BurnTier, MAX_TIERS};
pub use exposition::DEFAULT_METRIC_PREFIX;
pub use forecast::{forecast, Forecast};
pub use http::{http_outcomes, status_is_good, CLOCK_RESYNC_MS, NO_RESPONSE, RECORD_BATCH};
pub use latency::{
    LatencyHistogram, LatencyMs, LatencySummary, DEFAULT_MAX_MS, DEFAULT_SIGNIFICANT_FIGURES, MAX_LATENCY_MS,
};
pub use objective::{Counts, Objective};
pub use period::{CalendarUnit, Period, Window, AVERAGE_MONTH};
pub use prometheus_rules::{prometheus_rules, ratio_rule_name, PrometheusRules};
pub use rules::{runbook_rules, Comparison, RuleMetric, RuleResult, ThresholdRule, WindowStats, MAX_SUSTAINED_STEPS};
pub use spec::{
    AnnounceSpec, BurnPolicySpec, BurnTierSpec, CountsSpec, EventBudgetSpec, ForecastSpec, HistogramSpec, JudgeSpec,
    PeriodSpec, PeriodWindowSpec, TimesliceSpec,
};
pub use timeslice::{ratio_timeslice_budget, timeslice_budget, EmptySlice, TimeSliceBudget};
pub use tracker::{
    Announcement, Correction, Dropped, EpochUnit, Excluded, LatencyStatus, ObjectiveKind, ObjectiveStatus, Outcome,
    SloTracker, TrackedObjective, TrackerConfig, TrackerSpec, TrackerStatus, ANNOUNCED_NAME, DEFAULT_GATE_FAIL_ON,
    DEFAULT_RESOLUTION, MAINTENANCE_NOTICE_MINUTES, MAX_ANNOUNCED, MAX_BUCKETS, MAX_CORRECTIONS,
    MAX_LATENCY_OBJECTIVES, MAX_REASON_BYTES,
};
