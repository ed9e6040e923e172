//! Loose, declarative forms of the storm, group, limit and escalation settings, as bindings,
//! config files and test vectors give them. Defaults live in the core types, once.

use serde::Deserialize;

use super::detector::StormConfig;
use super::escalation::{AlertRecord, EscalationPolicy};
use super::group::GroupConfig;
use super::limit::{LimitConfig, LimitMode};
use super::mute::Mute;
use crate::error::{FleetopsError, Result};
use crate::freshness::DurationSpec;
use crate::options::{Case, Plain};

fn dur(d: &Option<DurationSpec>, into: &mut chrono::TimeDelta) -> Result<()> {
    if let Some(d) = d {
        *into = d.to_delta()?;
    }
    Ok(())
}

/// [`StormConfig`] with every field optional.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct StormSpec {
    /// The base the other fields change: `runbook` (default) or `task_failures`.
    pub preset: Option<String>,
    pub window: Option<DurationSpec>,
    pub resolution: Option<DurationSpec>,
    pub enter_above: Option<u32>,
    pub exit_below: Option<u32>,
    pub cooldown: Option<DurationSpec>,
    pub fleet_enter: Option<u32>,
    pub fleet_exit: Option<u32>,
    pub flap_high: Option<f64>,
    pub flap_low: Option<f64>,
    pub max_future: Option<DurationSpec>,
    pub max_keys: Option<usize>,
    pub maintenance: Option<Vec<crate::maintenance::MaintenanceSpec>>,
}

/// The preset for a pipeline's task failures (more than 3 failures of a task in an hour storm;
/// calm after an hour), what the Airflow failure callback starts from.
pub const TASK_FAILURES_PRESET: &str = "task_failures";

/// A failure judged by a detector whose saved state was set aside (unreadable, made with other
/// options, out of reach) pages: the new detector knows nothing of the failures before it, so
/// holding this one back could hide the start of a storm nobody was told of.
pub const PAGE_WHEN_STATE_RESET: bool = true;

impl StormSpec {
    /// The configuration (checked by [`StormDetector::new`](super::StormDetector::new)).
    pub fn build(&self) -> Result<StormConfig> {
        let mut c = match self.preset.as_deref() {
            None | Some("runbook") => StormConfig::default(),
            Some(TASK_FAILURES_PRESET) => StormConfig::task_failures(),
            Some(other) => {
                return Err(crate::FleetopsError::InvalidArgument(format!(
                    "preset must be 'runbook' or '{TASK_FAILURES_PRESET}', not {other:?}"
                )))
            }
        };
        dur(&self.window, &mut c.window)?;
        dur(&self.resolution, &mut c.resolution)?;
        dur(&self.cooldown, &mut c.cooldown)?;
        dur(&self.max_future, &mut c.max_future)?;
        c.enter_above = self.enter_above.unwrap_or(c.enter_above);
        c.exit_below = self.exit_below.unwrap_or(c.exit_below);
        c.fleet_enter = self.fleet_enter.unwrap_or(c.fleet_enter);
        c.fleet_exit = self.fleet_exit.unwrap_or(c.fleet_exit);
        c.flap_high = self.flap_high.unwrap_or(c.flap_high);
        c.flap_low = self.flap_low.unwrap_or(c.flap_low);
        c.max_keys = self.max_keys.unwrap_or(c.max_keys);
        if let Some(m) = &self.maintenance {
            c.maintenance = crate::maintenance::Maintenance::new(m)?;
        }
        Ok(c)
    }
}

/// [`GroupConfig`] with every field optional.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct GroupSpec {
    pub group_by: Option<Vec<String>>,
    pub group_wait: Option<DurationSpec>,
    pub group_interval: Option<DurationSpec>,
    pub repeat_interval: Option<DurationSpec>,
    pub maintenance: Option<Vec<crate::maintenance::MaintenanceSpec>>,
}

impl GroupSpec {
    /// The configuration.
    pub fn build(&self) -> Result<GroupConfig> {
        let mut c = GroupConfig::default();
        if let Some(g) = &self.group_by {
            c.group_by = g.clone();
        }
        dur(&self.group_wait, &mut c.group_wait)?;
        dur(&self.group_interval, &mut c.group_interval)?;
        dur(&self.repeat_interval, &mut c.repeat_interval)?;
        if let Some(m) = &self.maintenance {
            c.maintenance = crate::maintenance::Maintenance::new(m)?;
        }
        Ok(c)
    }
}

/// [`LimitConfig`] with every field optional (`burst` defaults to `limit`).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct LimitSpec {
    pub limit: Option<u32>,
    pub period: Option<DurationSpec>,
    pub burst: Option<u32>,
    pub mode: Option<String>,
    pub max_keys: Option<usize>,
}

impl LimitSpec {
    /// The configuration.
    pub fn build(&self) -> Result<LimitConfig> {
        let mut c = LimitConfig::runbook();
        c.limit = self.limit.unwrap_or(c.limit);
        c.burst = self.burst.unwrap_or(c.limit);
        dur(&self.period, &mut c.period)?;
        c.max_keys = self.max_keys.unwrap_or(c.max_keys);
        c.mode = match self.mode.as_deref() {
            None | Some("gcra") => LimitMode::Gcra,
            Some("sliding_window") => LimitMode::SlidingWindow,
            Some(m) => {
                return Err(FleetopsError::InvalidArgument(format!(
                    "mode must be 'gcra' or 'sliding_window', not {m:?}"
                )))
            }
        };
        Ok(c)
    }
}

/// [`EscalationPolicy`] overrides.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EscalationSpec {
    pub warning_to_critical: Option<DurationSpec>,
    pub auto_acknowledge: Option<DurationSpec>,
    pub timezone: Option<String>,
}

impl EscalationSpec {
    /// The policy.
    pub fn build(&self) -> Result<EscalationPolicy> {
        let mut p = EscalationPolicy::runbook();
        dur(&self.warning_to_critical, &mut p.warning_to_critical)?;
        dur(&self.auto_acknowledge, &mut p.auto_acknowledge)?;
        if let Some(tz) = &self.timezone {
            p.timezone = crate::time::parse_timezone(tz)?;
        }
        Ok(p)
    }
}

/// Mutes from JSON (a list of mute objects); a bad one is `INVALID_ARGUMENT` naming it.
pub fn mutes_from_json(value: serde_json::Value) -> Result<Vec<Mute>> {
    crate::options::parse_named(Plain::from(&value), Case::Snake, "mutes")
}

/// Alert records from JSON (a list of objects).
pub fn records_from_json(value: serde_json::Value) -> Result<Vec<AlertRecord>> {
    crate::options::parse_named(Plain::from(&value), Case::Snake, "alerts")
}
