//! What a tracker measures and how: its objectives, period, resolution, burn tiers and bounds.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};
use crate::freshness::DurationSpec;
use crate::maintenance::{Maintenance, MaintenanceSpec};
use crate::slo::burn::BurnPolicy;
use crate::slo::objective::Objective;
use crate::slo::period::{CalendarUnit, Period};
use crate::slo::spec::BurnPolicySpec;

/// Latency thresholds a tracker can count exactly (one counter each per bucket).
pub const MAX_LATENCY_OBJECTIVES: usize = 4;
/// The most buckets a tracker keeps (32 bytes each, 32 MiB): two years of history at the
/// default one-minute resolution. Longer periods or burn windows need a coarser resolution.
pub const MAX_BUCKETS: usize = 1 << 20;
pub use crate::slo::rules::DEFAULT_RESOLUTION;
/// How far ahead of the caller's `now` an event may be by default.
pub const DEFAULT_MAX_FUTURE: TimeDelta = TimeDelta::minutes(5);

/// What an objective measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectiveKind {
    /// Share of requests that succeeded (availability, error rate).
    Success,
    /// Share of timed requests at or under a latency threshold.
    LatencyUnder {
        /// The threshold in ms.
        threshold_ms: f64,
    },
}

/// One tracked objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrackedObjective {
    /// Its name in results, e.g. `availability`.
    pub name: String,
    /// What it measures.
    #[serde(flatten)]
    pub kind: ObjectiveKind,
    /// Its target, strictly between 0 and 1.
    pub target: f64,
    /// Time-slice budgeting besides the events budget: each bucket of the tracker's resolution
    /// is a slice, good when its SLI reaches `slice_target` (OpenSLO's `Timeslices`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeslices: Option<SliceTarget>,
}

/// Time-slice budgeting of an objective: each bucket of the tracker's resolution is a slice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SliceTarget {
    /// OpenSLO's `Timeslices`: a slice is good when its SLI is at or above this, strictly
    /// between 0 and 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice_target: Option<f64>,
    /// OpenSLO's `RatioTimeslices` instead: every slice counts with its own SLI (the period's
    /// SLI is their mean; a slice's downtime is its bad share of its minutes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ratio: bool,
}

/// How a tracker is set up.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackerConfig {
    /// The SLO period.
    pub period: Period,
    /// Bucket width (default 1 min).
    pub resolution: TimeDelta,
    /// The objectives.
    pub objectives: Vec<TrackedObjective>,
    /// Burn-rate tiers evaluated for every objective.
    pub burn: BurnPolicy,
    /// How far ahead of the caller's `now` an event may be (default 5 min).
    pub max_future: TimeDelta,
    /// Planned time left out of budgets and burn windows (default none).
    pub maintenance: Maintenance,
}

impl TrackerConfig {
    /// The runbook's (the fleet API runbook): calendar month in UTC; availability 99.9 %, error rate < 1 %
    /// (99 % success), 95 % of requests under 500 ms, 99 % under 1000 ms; SRE Workbook tiers.
    pub fn runbook() -> Self {
        let ok = |name: &str, target| TrackedObjective {
            name: name.into(),
            kind: ObjectiveKind::Success,
            target,
            timeslices: None,
        };
        let lat = |name: &str, threshold_ms, target| TrackedObjective {
            name: name.into(),
            kind: ObjectiveKind::LatencyUnder { threshold_ms },
            target,
            timeslices: None,
        };
        Self {
            period: Period::Calendar { unit: CalendarUnit::Month, tz: chrono_tz::UTC },
            resolution: DEFAULT_RESOLUTION,
            objectives: vec![
                ok("availability", crate::slo::runbook::AVAILABILITY),
                ok("error_rate", crate::slo::runbook::ERROR_RATE_OBJECTIVE),
                lat("latency_p95", crate::slo::runbook::LATENCY_P95_MS, 0.95),
                lat("latency_p99", crate::slo::runbook::LATENCY_P99_MS, 0.99),
            ],
            burn: BurnPolicy::sre_workbook(),
            max_future: DEFAULT_MAX_FUTURE,
            maintenance: Maintenance::default(),
        }
    }

    pub(crate) fn validate(&self) -> Result<Vec<Objective>> {
        if self.resolution < TimeDelta::seconds(1) {
            return Err(FleetopsError::InvalidDuration("resolution must be at least 1 s".into()));
        }
        if self.max_future < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("max_future cannot be negative".into()));
        }
        // The bucket ring is allocated whole: its length is bounded, not the period alone.
        let res = self.resolution.num_seconds().max(1);
        if self.retention().num_seconds() / res >= MAX_BUCKETS as i64 {
            return Err(FleetopsError::InvalidDuration(format!(
                "a history of {} s at a {} s resolution needs more than {MAX_BUCKETS} buckets (two years \
                 at one minute); use a coarser resolution",
                self.retention().num_seconds(),
                res
            )));
        }
        if self.objectives.is_empty() {
            return Err(FleetopsError::InvalidArgument("a tracker needs at least one objective".into()));
        }
        if self.objectives.len() > crate::slo::MAX_OBJECTIVES {
            return Err(FleetopsError::InvalidArgument(format!(
                "a tracker of {} objectives; at most {}",
                self.objectives.len(),
                crate::slo::MAX_OBJECTIVES
            )));
        }
        let latency = self.objectives.iter().filter(|o| matches!(o.kind, ObjectiveKind::LatencyUnder { .. })).count();
        if latency > MAX_LATENCY_OBJECTIVES {
            return Err(FleetopsError::InvalidArgument(format!(
                "at most {MAX_LATENCY_OBJECTIVES} latency objectives, not {latency}"
            )));
        }
        let mut names = std::collections::HashSet::with_capacity(self.objectives.len());
        for o in &self.objectives {
            crate::slo::check_name("objective", &o.name)?;
            if !names.insert(o.name.as_str()) {
                return Err(FleetopsError::InvalidArgument(format!(
                    "objective {} appears twice",
                    crate::escape::json::string(&o.name)
                )));
            }
            match o.timeslices {
                Some(SliceTarget { slice_target: Some(t), ratio: false }) => {
                    Objective::new(t).map_err(|e| e.at(format!("'{}' slice_target", o.name)))?;
                }
                Some(SliceTarget { slice_target, ratio }) if slice_target.is_some() == ratio => {
                    return Err(FleetopsError::InvalidArgument(format!(
                        "'{}': time slices take a slice_target, or ratio: true, not {}",
                        o.name,
                        if ratio { "both" } else { "neither" }
                    )));
                }
                _ => {}
            }
            if let ObjectiveKind::LatencyUnder { threshold_ms } = o.kind {
                if !threshold_ms.is_finite() || threshold_ms < 0.0 {
                    return Err(FleetopsError::InvalidThreshold(format!("'{}': threshold {threshold_ms} ms", o.name)));
                }
            }
        }
        self.objectives.iter().map(|o| Objective::new(o.target).map_err(|e| e.at(&o.name))).collect()
    }

    /// How much history the tracker keeps: the longest period it may need and burn window.
    pub(super) fn retention(&self) -> TimeDelta {
        let period = match &self.period {
            Period::Rolling(d) => *d,
            Period::Calendar { unit: CalendarUnit::Week, .. } => TimeDelta::days(7) + TimeDelta::hours(1),
            Period::Calendar { unit: CalendarUnit::Month, .. } => TimeDelta::days(31) + TimeDelta::hours(1),
            Period::Calendar { unit: CalendarUnit::Quarter, .. } => TimeDelta::days(92) + TimeDelta::hours(1),
        };
        let burn = self.burn.tiers.iter().map(|t| t.long).max().unwrap_or(TimeDelta::zero());
        period.max(burn)
    }
}

/// A tracker's configuration as options; left-out fields keep the runbook's.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackerSpec {
    /// `30d`, `month`, ... (default `month`).
    pub period: Option<String>,
    /// Zone of calendar periods (default UTC).
    #[serde(alias = "timeZone", alias = "tz")]
    pub timezone: Option<String>,
    /// Bucket width (default 1 min).
    pub resolution: Option<DurationSpec>,
    /// Objectives (default the runbook's four).
    pub objectives: Option<Vec<TrackedObjective>>,
    /// Burn tiers (default the SRE Workbook's).
    pub burn: Option<BurnPolicySpec>,
    /// How far ahead of the newest event an event may be (default 5 min).
    #[serde(alias = "maxFuture")]
    pub max_future: Option<DurationSpec>,
    /// Maintenance windows left out of budgets and burn windows (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<Vec<MaintenanceSpec>>,
}

impl TrackerSpec {
    /// Builds the configuration over the runbook's defaults.
    pub fn build(&self) -> Result<TrackerConfig> {
        let mut c = TrackerConfig::runbook();
        if self.period.is_some() || self.timezone.is_some() {
            let period = self.period.as_deref().unwrap_or("month");
            c.period = Period::parse(period, self.timezone.as_deref())?;
        }
        if let Some(r) = &self.resolution {
            c.resolution = r.to_delta()?;
        }
        if let Some(o) = &self.objectives {
            c.objectives = o.clone();
        }
        if let Some(b) = &self.burn {
            c.burn = b.build()?;
        }
        if let Some(f) = &self.max_future {
            c.max_future = f.to_delta()?;
        }
        if let Some(m) = &self.maintenance {
            c.maintenance = Maintenance::new(m)?;
        }
        Ok(c)
    }

    /// The explicit form of a configuration (what a snapshot stores).
    pub fn from_config(c: &TrackerConfig) -> Self {
        let secs = |d: chrono::TimeDelta| DurationSpec::Seconds(crate::time::secs_f64(d));
        let (period, timezone) = match &c.period {
            Period::Rolling(d) => (format!("{}", crate::time::secs_f64(*d)), None),
            Period::Calendar { unit, tz } => (format!("{unit:?}").to_lowercase(), Some(tz.name().to_owned())),
        };
        Self {
            period: Some(period),
            timezone,
            resolution: Some(secs(c.resolution)),
            objectives: Some(c.objectives.clone()),
            burn: Some(BurnPolicySpec::from_policy(&c.burn)),
            max_future: Some(secs(c.max_future)),
            maintenance: (!c.maintenance.is_empty()).then(|| c.maintenance.specs().to_vec()),
        }
    }
}
