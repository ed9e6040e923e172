//! Time to exhaustion at the current burn rate, and the budget forecast for the period's end.

use chrono::TimeDelta;
use serde::Serialize;

use crate::error::{FleetopsError, Result};
use crate::time::secs_f64;

/// Where the budget is heading.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Forecast {
    /// Seconds until the budget is spent at `burn_rate`: 0 when already spent, null when the
    /// burn rate is 0 (never).
    pub exhaustion_seconds: Option<f64>,
    /// Budget left at the end of the period if `burn_rate` holds, in percent (may be negative).
    pub remaining_percent_at_end: f64,
    /// The budget will be spent before the period ends.
    pub exhausts_before_end: bool,
}

/// With `remaining_percent` of the budget left and a burn rate (1 = spending exactly the
/// budget over `period`), how long until it is spent, and what is left at `time_left`.
pub fn forecast(remaining_percent: f64, burn_rate: f64, period: TimeDelta, time_left: TimeDelta) -> Result<Forecast> {
    if period <= TimeDelta::zero() {
        return Err(FleetopsError::InvalidDuration("the period must be longer than zero".into()));
    }
    if !remaining_percent.is_finite() || !burn_rate.is_finite() || burn_rate < 0.0 {
        return Err(FleetopsError::InvalidArgument(format!(
            "remaining_percent {remaining_percent} and burn_rate {burn_rate} must be finite, the burn rate >= 0"
        )));
    }
    let period_s = secs_f64(period);
    let left_s = secs_f64(time_left.max(TimeDelta::zero()));
    // At burn rate b the budget drains at b * 100 % per period.
    let drain_per_s = burn_rate.max(0.0) * 100.0 / period_s;
    let exhaustion_seconds = if remaining_percent <= 0.0 {
        Some(0.0)
    } else if drain_per_s > 0.0 {
        Some(remaining_percent / drain_per_s)
    } else {
        None
    };
    let at_end = remaining_percent - drain_per_s * left_s;
    Ok(Forecast {
        exhaustion_seconds,
        remaining_percent_at_end: at_end,
        exhausts_before_end: exhaustion_seconds.is_some_and(|s| s < left_s) || remaining_percent <= 0.0,
    })
}
