//! A detector's settings and their checks.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};
use crate::storm::keys::MAX_BUCKETS;

/// Settings; [`StormConfig::default`] documents each default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StormConfig {
    /// Sliding window of the per-key count (5 min).
    #[serde(with = "crate::time::serde_delta_ms")]
    #[schemars(with = "i64")]
    pub window: TimeDelta,
    /// Bucket width; the window is a whole number of buckets (30 s).
    #[serde(with = "crate::time::serde_delta_ms")]
    #[schemars(with = "i64")]
    pub resolution: TimeDelta,
    /// A key storms when its count exceeds this (20 alerts in the window).
    pub enter_above: u32,
    /// A storm calms when the count is below this (5).
    pub exit_below: u32,
    /// ... for this long (10 min).
    #[serde(with = "crate::time::serde_delta_ms")]
    #[schemars(with = "i64")]
    pub cooldown: TimeDelta,
    /// This many keys storming at once is one fleet-wide storm (10).
    pub fleet_enter: u32,
    /// The fleet storm ends below this many storming keys (5).
    pub fleet_exit: u32,
    /// Flapping starts above this percent state change (Nagios' sample: 20).
    pub flap_high: f64,
    /// ... and stops below this one (5).
    pub flap_low: f64,
    /// Alerts this far ahead of `now` are not counted (5 min).
    #[serde(with = "crate::time::serde_delta_ms")]
    #[schemars(with = "i64")]
    pub max_future: TimeDelta,
    /// Keys tracked at most; the least recently seen are evicted and counted (100,000).
    pub max_keys: usize,
    /// Maintenance windows: every alert inside one is muted (passed to the caller as `mute`,
    /// counted per occurrence in `muted_by`), not judged for storms (default none).
    #[serde(default)]
    #[schemars(with = "Vec<crate::maintenance::MaintenanceSpec>")]
    pub maintenance: crate::maintenance::Maintenance,
}

impl Default for StormConfig {
    fn default() -> Self {
        Self {
            window: TimeDelta::minutes(5),
            resolution: TimeDelta::seconds(30),
            enter_above: 20,
            exit_below: 5,
            cooldown: TimeDelta::minutes(10),
            fleet_enter: 10,
            fleet_exit: 5,
            flap_high: crate::storm::flap::FLAP_HIGH_PERCENT,
            flap_low: crate::storm::flap::FLAP_LOW_PERCENT,
            max_future: TimeDelta::minutes(5),
            max_keys: 100_000,
            maintenance: Default::default(),
        }
    }
}

impl StormConfig {
    /// For task failures (an Airflow `on_failure_callback`): a task failing more than 3 times
    /// in an hour storms (5-minute buckets), and calms after an hour with no failure.
    /// Failures are rarer than sensor alerts, so the runbook's 20-in-5-minutes never fires.
    pub fn task_failures() -> Self {
        Self {
            window: TimeDelta::hours(1),
            resolution: TimeDelta::minutes(5),
            enter_above: 3,
            exit_below: 1,
            cooldown: TimeDelta::hours(1),
            ..Self::default()
        }
    }

    pub(super) fn check(&self) -> Result<u32> {
        let pos = |d: TimeDelta, what: &str| {
            if d <= TimeDelta::zero() {
                Err(FleetopsError::InvalidDuration(format!("{what} must be positive")))
            } else {
                Ok(())
            }
        };
        pos(self.window, "window")?;
        pos(self.resolution, "resolution")?;
        if self.cooldown < TimeDelta::zero() || self.max_future < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("cooldown and max_future must be zero or more".into()));
        }
        let (w, r) = (self.window.num_milliseconds(), self.resolution.num_milliseconds());
        if r == 0 || w % r != 0 || w / r > MAX_BUCKETS as i64 {
            return Err(FleetopsError::InvalidDuration(format!(
                "the window must be 1 to {MAX_BUCKETS} whole resolutions (of at least 1 ms)"
            )));
        }
        if self.exit_below == 0 || self.exit_below > self.enter_above {
            return Err(FleetopsError::InvalidThreshold("need 1 <= exit_below <= enter_above".into()));
        }
        if self.fleet_exit == 0 || self.fleet_exit > self.fleet_enter {
            return Err(FleetopsError::InvalidThreshold("need 1 <= fleet_exit <= fleet_enter".into()));
        }
        crate::storm::flap::check_thresholds(self.flap_high, self.flap_low)?;
        if self.max_keys == 0 || self.max_keys > crate::dedup::MAX_KEYS {
            return Err(FleetopsError::InvalidArgument(format!(
                "max_keys must be in 1 ..= {} (2^30)",
                crate::dedup::MAX_KEYS
            )));
        }
        Ok((w / r) as u32)
    }
}
