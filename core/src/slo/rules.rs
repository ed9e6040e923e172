//! Threshold alert rules over windows, with severities: the runbook's alert table (the fleet API runbook).
//!
//! A rule compares one metric of a window (error rate, requests, failures, p95 or p99 latency)
//! with a threshold. A rule with `sustained` holds only when it held at every resolution step
//! through that duration (Prometheus' `for:`), e.g. "roll back when the error rate is above
//! 5 % for more than 5 minutes". A metric without data (an error rate with no requests, a
//! percentile with no timed requests) never fires, and the answer says so.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};
use crate::freshness::DurationSpec;
use crate::time::secs_f64;

/// Default bucket width of a tracker, and the step rules are judged at: one minute.
pub const DEFAULT_RESOLUTION: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// The most resolution steps a sustained rule may span (each is judged on every evaluation):
/// one week at the default one-minute resolution.
pub const MAX_SUSTAINED_STEPS: usize = 10_080;

/// What a rule measures over its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleMetric {
    /// Failed / all requests (0 to 1).
    ErrorRate,
    /// Requests in the window.
    Requests,
    /// Failed requests in the window.
    Failures,
    /// 95th percentile latency, ms.
    LatencyP95Ms,
    /// 99th percentile latency, ms.
    LatencyP99Ms,
}

/// How the metric is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Comparison {
    /// Strictly above.
    #[serde(rename = ">")]
    Above,
    /// At or above.
    #[serde(rename = ">=")]
    AtLeast,
    /// Strictly below.
    #[serde(rename = "<")]
    Below,
    /// At or below.
    #[serde(rename = "<=")]
    AtMost,
}

impl Comparison {
    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::Above => value > threshold,
            Self::AtLeast => value >= threshold,
            Self::Below => value < threshold,
            Self::AtMost => value <= threshold,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Above => ">",
            Self::AtLeast => ">=",
            Self::Below => "<",
            Self::AtMost => "<=",
        }
    }
}

/// One rule, as options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdRule {
    /// Its name, e.g. `high_error_rate`.
    pub name: String,
    /// What it measures.
    pub metric: RuleMetric,
    /// `>`, `>=`, `<` or `<=`.
    pub op: Comparison,
    /// The threshold (a ratio for `error_rate`, ms for latencies, a count otherwise).
    pub threshold: f64,
    /// The window the metric is measured over.
    pub window: DurationSpec,
    /// Severity label.
    pub severity: String,
    /// Must hold throughout this long (optional).
    #[serde(default)]
    pub sustained: Option<DurationSpec>,
}

/// One window's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WindowStats {
    /// Requests.
    pub requests: u64,
    /// Failed requests.
    pub failures: u64,
    /// 95th percentile latency, ms.
    #[serde(default)]
    pub p95_ms: Option<f64>,
    /// 99th percentile latency, ms.
    #[serde(default)]
    pub p99_ms: Option<f64>,
}

impl WindowStats {
    fn metric(&self, m: RuleMetric) -> Option<f64> {
        match m {
            RuleMetric::ErrorRate => (self.requests > 0).then(|| self.failures as f64 / self.requests as f64),
            RuleMetric::Requests => Some(self.requests as f64),
            RuleMetric::Failures => Some(self.failures as f64),
            RuleMetric::LatencyP95Ms => self.p95_ms,
            RuleMetric::LatencyP99Ms => self.p99_ms,
        }
    }
}

/// A rule's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleResult {
    /// The rule's name.
    pub name: String,
    /// Its severity.
    pub severity: String,
    /// The metric over the latest window (null without data).
    pub value: Option<f64>,
    /// The threshold.
    pub threshold: f64,
    /// Whether it fires.
    pub firing: bool,
    /// Why, in words.
    pub reason: String,
}

/// The runbook's alert table (the fleet API runbook) over request outcomes: error rate > 1 % over 5 min
/// (warning), p95 > 1 s over 5 min (warning), no requests in 2 min (critical), more than 10
/// failed requests in 5 min (warning), and the roll-back decision: error rate > 5 % sustained
/// for 5 min. (Memory and database rules need signals a request tracker does not see.)
pub fn runbook_rules() -> Vec<ThresholdRule> {
    let r = |name: &str, metric, op, threshold, window: &str, severity: &str, sustained: Option<&str>| ThresholdRule {
        name: name.into(),
        metric,
        op,
        threshold,
        window: DurationSpec::Text(window.into()),
        severity: severity.into(),
        sustained: sustained.map(|s| DurationSpec::Text(s.into())),
    };
    use Comparison::*;
    use RuleMetric::*;
    vec![
        r("high_error_rate", ErrorRate, Above, 0.01, "5m", "warning", None),
        r("high_response_time", LatencyP95Ms, Above, 1000.0, "5m", "warning", None),
        r("application_down", Requests, AtMost, 0.0, "2m", "critical", None),
        r("failed_requests", Failures, Above, 10.0, "5m", "warning", None),
        r("roll_back", ErrorRate, Above, 0.05, "1m", "decision", Some("5m")),
    ]
}

impl ThresholdRule {
    /// The runbook rule named `name` (`INVALID_ARGUMENT` when there is none).
    pub fn runbook(name: &str) -> Result<Self> {
        runbook_rules()
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| FleetopsError::InvalidArgument(format!("no runbook rule '{name}'")))
    }

    /// A rule given either as a runbook rule's name (a JSON string) or as rule options.
    pub fn from_name_or_json(value: serde_json::Value) -> Result<Self> {
        match value {
            serde_json::Value::String(name) => Self::runbook(&name),
            options => Self::from_json(options),
        }
    }

    /// Reads a rule from JSON-like options (`INVALID_ARGUMENT` naming what is wrong).
    pub fn from_json(value: serde_json::Value) -> Result<Self> {
        let rule: Self =
            crate::options::parse_named(crate::options::Plain::from(&value), crate::options::Case::Snake, "rule")?;
        rule.validate()?;
        Ok(rule)
    }

    /// Checks the rule's window and threshold.
    pub fn validate(&self) -> Result<(TimeDelta, TimeDelta)> {
        let window = self.window.to_delta()?;
        if window <= TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration(format!(
                "rule '{}': the window must be longer than zero",
                self.name
            )));
        }
        if !self.threshold.is_finite() {
            return Err(FleetopsError::InvalidThreshold(format!("rule '{}': threshold {}", self.name, self.threshold)));
        }
        let sustained = self.sustained.as_ref().map(|s| s.to_delta()).transpose()?.unwrap_or(TimeDelta::zero());
        Ok((window, sustained))
    }

    /// Judges the rule on window stats, newest first: `stats[0]` is the window ending now,
    /// `stats[k]` the one ending `k` resolution steps earlier. A sustained rule needs every
    /// step through `sustained` (`steps_needed`) to hold.
    pub fn judge(&self, stats: &[WindowStats], steps_needed: usize) -> Result<RuleResult> {
        self.validate()?;
        let latest = stats.first().copied().unwrap_or_default();
        let value = latest.metric(self.metric);
        let needed = steps_needed.max(1);
        let holds = |s: &WindowStats| s.metric(self.metric).is_some_and(|v| self.op.holds(v, self.threshold));
        let held = stats.iter().take(needed).take_while(|s| holds(s)).count();
        let firing = stats.len() >= needed && held >= needed;
        let reason = match value {
            None => "no data in the window".to_owned(),
            Some(v) if needed > 1 => {
                format!("{v} {} {} held for {held} of {needed} consecutive steps", self.op.symbol(), self.threshold)
            }
            Some(v) => {
                format!("{v} {} {}: {}", self.op.symbol(), self.threshold, if firing { "true" } else { "false" })
            }
        };
        Ok(RuleResult {
            name: self.name.clone(),
            severity: self.severity.clone(),
            value,
            threshold: self.threshold,
            firing,
            reason,
        })
    }

    /// How many resolution steps a sustained rule must hold for (1 for plain rules, at most
    /// [`MAX_SUSTAINED_STEPS`]):
    /// `sustained / resolution + 1` evaluations span the whole duration. `None` means the
    /// tracker's default resolution (1 min).
    pub fn steps(&self, resolution: Option<TimeDelta>) -> Result<usize> {
        let (_, sustained) = self.validate()?;
        let resolution = resolution.unwrap_or(DEFAULT_RESOLUTION);
        if resolution <= TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("the resolution must be longer than zero".into()));
        }
        let steps = (secs_f64(sustained) / secs_f64(resolution)).ceil() + 1.0;
        if steps > MAX_SUSTAINED_STEPS as f64 {
            return Err(FleetopsError::InvalidDuration(format!(
                "'{}': sustained over {steps} steps of {} s; at most {MAX_SUSTAINED_STEPS} (a week at one minute)",
                self.name,
                secs_f64(resolution)
            )));
        }
        Ok(steps as usize)
    }
}
