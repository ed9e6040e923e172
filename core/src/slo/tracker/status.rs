//! What a tracker reports at `now`, and the deploy gate on it.

use serde::{Deserialize, Serialize};

use crate::slo::budget::Budget;
use crate::slo::burn::BurnAlert;
use crate::slo::period::Window;

/// Counts dropped events by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Dropped {
    /// Older than the retention.
    pub too_old: u64,
    /// Further ahead of the caller's `now` than `max_future`.
    pub future: u64,
}

/// One objective's standing.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ObjectiveStatus {
    /// The objective's name.
    pub name: String,
    /// The target.
    pub target: f64,
    /// Its events since the tracker started, outside maintenance windows: what the
    /// exposition's counters (`slo_events_total`, `slo_good_events_total`) carry and
    /// Prometheus rules read.
    pub counted: crate::slo::Counts,
    /// Events-based budget over the period (status `no_data` without events).
    pub budget: Budget,
    /// Every burn tier's verdict.
    pub burn: Vec<BurnAlert>,
    /// With a slice target: the period's time-slice budget, one slice per bucket outside
    /// maintenance and corrections (slices without events are left out).
    pub timeslices: Option<crate::slo::TimeSliceBudget>,
}

/// Latency percentiles over a window (ms; null without timed requests).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LatencyStatus {
    /// Timed requests.
    pub count: u64,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 95th percentile.
    pub p95_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
    /// 99.9th percentile.
    pub p999_ms: Option<f64>,
}

/// Everything at `now`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TrackerStatus {
    /// The period's bounds and budget length.
    pub period: Window,
    /// One entry per objective.
    pub objectives: Vec<ObjectiveStatus>,
    /// Percentiles over the period (hour granularity; 1 % precision).
    pub latency: LatencyStatus,
    /// Events accepted so far.
    pub recorded: u64,
    /// Events dropped, by reason.
    pub dropped: Dropped,
    /// Maintenance and corrections: what the budgets left out.
    pub excluded: super::Excluded,
}

/// What stops a deploy gate by default: a spent budget, or a firing `page` burn tier.
pub const DEFAULT_GATE_FAIL_ON: &[&str] = &["overspent", "page"];

impl TrackerStatus {
    /// A deploy gate (the runbook's roll-back rule): why it should stop, one line per problem,
    /// empty when it may go on. `fail_on` holds `"overspent"` (a budget spent) and burn-tier
    /// severities (e.g. `"page"`) whose firing stops it; default [`DEFAULT_GATE_FAIL_ON`]. A
    /// tier inhibited by a faster one is left out when that one is named already.
    pub fn gate_problems(&self, fail_on: Option<&[&str]>) -> Vec<String> {
        let fail_on = fail_on.unwrap_or(DEFAULT_GATE_FAIL_ON);
        let mut out = Vec::new();
        for o in &self.objectives {
            out.extend(o.budget.gate_problems(Some(fail_on)).into_iter().map(|p| format!("{}: {p}", o.name)));
            // An inhibited tier is left out when the tier inhibiting it is reported.
            let stops = |t: &&crate::slo::BurnAlert| t.firing && fail_on.contains(&t.severity.as_str());
            let reported = |name: &str| o.burn.iter().filter(stops).any(|t| t.tier == name);
            for t in o.burn.iter().filter(stops).filter(|t| t.inhibited_by.as_deref().is_none_or(|by| !reported(by))) {
                out.push(format!("{}: {} ({}) firing: {}", o.name, t.tier, t.severity, t.reason));
            }
        }
        out
    }
}
