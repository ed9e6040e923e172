//! Loose forms of counts, periods and burn policies, as bindings and test vectors give them.
//! Defaults live here, once, for every language.

use serde::{Deserialize, Serialize};

use super::burn::{BurnPolicy, BurnTier};
use super::objective::Counts;
use super::period::Period;
use crate::error::{FleetopsError, Result};
use crate::freshness::DurationSpec;

/// Counts as any two of good, bad and total (all three must agree).
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountsSpec {
    /// Good events.
    pub good: Option<f64>,
    /// Bad events.
    pub bad: Option<f64>,
    /// All events.
    pub total: Option<f64>,
}

impl CountsSpec {
    /// Builds the counts.
    pub fn build(&self) -> Result<Counts> {
        match (self.good, self.bad, self.total) {
            (Some(g), None, Some(t)) => Counts::from_good_total(g, t),
            (Some(g), Some(b), None) => Counts::from_good_bad(g, b),
            (None, Some(b), Some(t)) => Counts::from_bad_total(b, t),
            (Some(g), Some(b), Some(t)) => {
                let c = Counts::from_good_total(g, t)?;
                if Counts::from_good_bad(g, b)? != c {
                    return Err(FleetopsError::InvalidCount(format!("good {g} + bad {b} != total {t}")));
                }
                Ok(c)
            }
            _ => Err(FleetopsError::InvalidCount("give two of good, bad and total".into())),
        }
    }
}

/// A period as text (`30d`, `month`, ...) and the zone of calendar periods.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    /// `30d`, `28d`, any duration, or `month` / `week` / `quarter`.
    pub period: String,
    /// IANA zone for calendar periods (default UTC).
    #[serde(default, alias = "timeZone", alias = "tz")]
    pub timezone: Option<String>,
}

impl PeriodSpec {
    /// Builds the period.
    pub fn build(&self) -> Result<Period> {
        Period::parse(&self.period, self.timezone.as_deref())
    }
}

/// A burn-rate tier as options.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BurnTierSpec {
    /// Name.
    pub name: String,
    /// Severity (default `page`).
    #[serde(default)]
    pub severity: Option<String>,
    /// Long window.
    pub long: DurationSpec,
    /// Short window.
    pub short: DurationSpec,
    /// Burn-rate factor.
    pub factor: f64,
}

/// A burn policy: a preset or explicit tiers, and the low-traffic guard.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BurnPolicySpec {
    /// `sre_workbook` (default), `sloth` or `pyrra`.
    pub preset: Option<String>,
    /// The SLO period the Sloth and Pyrra presets scale with (default `30d`).
    pub period: Option<DurationSpec>,
    /// Explicit tiers instead of a preset.
    pub tiers: Option<Vec<BurnTierSpec>>,
    /// Events the long window needs before a tier may fire (default 1).
    #[serde(alias = "minEvents")]
    pub min_events: Option<u64>,
}

impl BurnPolicySpec {
    /// Builds the policy.
    pub fn build(&self) -> Result<BurnPolicy> {
        let period = match &self.period {
            Some(p) => p.to_delta()?,
            None => chrono::TimeDelta::days(30),
        };
        let mut policy = match (&self.tiers, self.preset.as_deref()) {
            (Some(_), Some(_)) => {
                return Err(FleetopsError::InvalidArgument("give either a preset or tiers, not both".into()))
            }
            (Some(tiers), None) => {
                let tiers = tiers
                    .iter()
                    .map(|t| {
                        BurnTier::new(
                            &t.name,
                            t.severity.as_deref().unwrap_or("page"),
                            t.long.to_delta()?,
                            t.short.to_delta()?,
                            t.factor,
                        )
                    })
                    .collect::<Result<Vec<_>>>()?;
                BurnPolicy::new(tiers, 1)?
            }
            (None, None | Some("sre_workbook")) => BurnPolicy::sre_workbook(),
            (None, Some("sloth")) => BurnPolicy::sloth(period)?,
            (None, Some("pyrra")) => BurnPolicy::pyrra(period)?,
            (None, Some(other)) => {
                return Err(FleetopsError::InvalidArgument(format!(
                    "unknown burn preset '{other}' (presets: sre_workbook, sloth, pyrra)"
                )))
            }
        };
        if let Some(n) = self.min_events {
            policy.min_events = n.max(1);
        }
        Ok(policy)
    }
}

impl BurnPolicySpec {
    /// The explicit form of a built policy (what a snapshot stores).
    pub fn from_policy(policy: &BurnPolicy) -> Self {
        let secs = |d: chrono::TimeDelta| DurationSpec::Seconds(crate::time::secs_f64(d));
        Self {
            preset: None,
            period: None,
            tiers: Some(
                policy
                    .tiers
                    .iter()
                    .map(|t| BurnTierSpec {
                        name: t.name.clone(),
                        severity: Some(t.severity.clone()),
                        long: secs(t.long),
                        short: secs(t.short),
                        factor: t.factor,
                    })
                    .collect(),
            ),
            min_events: Some(policy.min_events),
        }
    }
}

/// The counts of an events budget and, optionally, the period it adds the budget in minutes of.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBudgetSpec {
    /// Good events.
    pub good: Option<f64>,
    /// Bad events.
    pub bad: Option<f64>,
    /// All events.
    pub total: Option<f64>,
    /// Adds the budget in minutes of a period this long.
    pub period_minutes: Option<f64>,
}

impl EventBudgetSpec {
    /// The events-based budget at `objective`.
    pub fn budget(&self, objective: super::Objective) -> Result<super::Budget> {
        let counts = CountsSpec { good: self.good, bad: self.bad, total: self.total }.build()?;
        super::event_budget(objective, counts, self.period_minutes)
    }
}

/// A period window's options: the period, its zone, and the objective that adds the budget.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodWindowSpec {
    /// `30d`, `month`, `week`, `quarter`, ...
    pub period: String,
    /// IANA zone for calendar periods (default UTC).
    #[serde(default)]
    pub timezone: Option<String>,
    /// Adds the budget in minutes at this objective.
    #[serde(default)]
    pub objective: Option<f64>,
}

impl PeriodWindowSpec {
    /// The window at `now`.
    pub fn window(&self, now: crate::time::Timestamp) -> Result<super::Window> {
        let period = Period::parse(&self.period, self.timezone.as_deref())?;
        let objective = self.objective.map(super::Objective::new).transpose()?;
        Ok(period.window_with_budget(now, objective))
    }
}

/// Time-slice budgeting's options.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimesliceSpec {
    /// A slice is good when its SLI reaches this.
    pub slice_target: f64,
    /// Slice length.
    pub slice: DurationSpec,
    /// Period length.
    pub period: DurationSpec,
    /// Slices without events: `good` (default), `bad` or `skip`.
    #[serde(default)]
    pub empty: Option<String>,
}

impl TimesliceSpec {
    /// The budget of `slices` at `objective`.
    pub fn budget(&self, objective: super::Objective, slices: &[Counts]) -> Result<super::TimeSliceBudget> {
        let target = super::Objective::new(self.slice_target)?;
        let (slice, period) = (self.slice.to_delta()?, self.period.to_delta()?);
        let empty = super::EmptySlice::parse_or_default(self.empty.as_deref())?;
        super::timeslice_budget(objective, target, slice, period, slices, empty)
    }
}

/// A forecast's windows.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastSpec {
    /// The SLO period.
    pub period: DurationSpec,
    /// Time left in it.
    pub time_left: DurationSpec,
}

impl ForecastSpec {
    /// Where the budget heads from `remaining_percent` at `burn_rate`.
    pub fn forecast(&self, remaining_percent: f64, burn_rate: f64) -> Result<super::Forecast> {
        super::forecast(remaining_percent, burn_rate, self.period.to_delta()?, self.time_left.to_delta()?)
    }
}

/// A latency histogram's range and precision.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistogramSpec {
    /// Highest trackable latency in ms (default one hour).
    pub max_ms: Option<f64>,
    /// 1 to 5 (default 3).
    pub significant_figures: Option<u64>,
}

impl HistogramSpec {
    /// The histogram.
    pub fn build(&self) -> Result<super::LatencyHistogram> {
        let figures = match self.significant_figures {
            None => super::DEFAULT_SIGNIFICANT_FIGURES,
            Some(n) => u8::try_from(n)
                .map_err(|_| FleetopsError::InvalidArgument(format!("significant_figures {n} must be 1 to 5")))?,
        };
        super::LatencyHistogram::new(self.max_ms.unwrap_or(super::DEFAULT_MAX_MS), figures)
    }
}

/// The options of `SloTracker.announce_maintenance`: a name and the least notice.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnounceSpec {
    /// A name for status and reports (default [`super::ANNOUNCED_NAME`]).
    pub name: Option<String>,
    /// The least time between `now` and the start (default [`super::MAINTENANCE_NOTICE_MINUTES`]).
    pub notice: Option<DurationSpec>,
}

impl AnnounceSpec {
    /// The announcement of `[start, end)`.
    pub fn announcement(
        self,
        start: crate::time::Timestamp,
        end: crate::time::Timestamp,
    ) -> Result<super::Announcement> {
        let notice = self.notice.map(|n| n.to_delta()).transpose()?;
        Ok(super::Announcement { name: self.name, start, end, notice })
    }
}

/// The options of `judge_rule`: the tracker resolution the stats were taken at.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgeSpec {
    /// The resolution (default [`super::DEFAULT_RESOLUTION`]).
    pub resolution: Option<DurationSpec>,
}

impl JudgeSpec {
    /// Judges `rule` on window stats, newest first.
    pub fn judge(&self, rule: &super::ThresholdRule, stats: &[super::WindowStats]) -> Result<super::RuleResult> {
        let resolution = self.resolution.as_ref().map(DurationSpec::to_delta).transpose()?;
        rule.judge(stats, rule.steps(resolution)?)
    }
}
