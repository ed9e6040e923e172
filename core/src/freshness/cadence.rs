//! Expected load cadence learned from a table's history of load times.
//!
//! The expected interval is the median of the gaps between consecutive loads; the spread is
//! the median absolute deviation scaled by 1.4826 (a standard deviation for normal data). Both
//! ignore outliers such as one long outage. A table is late when the current gap is strictly
//! greater than `median + max(spread_factor * spread, min_slack_ratio * median)`: the slack
//! floor keeps perfectly regular loads from turning late one second after the median.

use chrono::TimeDelta;
use serde::Serialize;

use crate::error::{FleetopsError, Result};
use crate::time::{secs_f64, Timestamp};

/// How cadence is learned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CadenceOptions {
    /// Intervals needed before a cadence is trusted (default 5).
    pub min_intervals: usize,
    /// Spreads allowed above the median (default 3).
    pub spread_factor: f64,
    /// Least slack as a fraction of the median (default 0.1).
    pub min_slack_ratio: f64,
}

impl Default for CadenceOptions {
    fn default() -> Self {
        Self { min_intervals: 5, spread_factor: 3.0, min_slack_ratio: 0.1 }
    }
}

impl CadenceOptions {
    /// Checks that the options make sense (at least one interval, finite non-negative factors).
    pub fn validate(&self) -> Result<()> {
        if self.min_intervals == 0 {
            return Err(FleetopsError::InvalidThreshold("min_intervals must be at least 1".into()));
        }
        for (name, v) in [("spread_factor", self.spread_factor), ("min_slack_ratio", self.min_slack_ratio)] {
            if !v.is_finite() || v < 0.0 {
                return Err(FleetopsError::InvalidThreshold(format!("{name} must be a finite number >= 0, not {v}")));
            }
        }
        Ok(())
    }
}

/// The result of checking a table against its learned cadence.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CadenceCheck {
    /// Enough history: the cadence is known and the table is or is not late.
    Learned {
        /// Median gap between loads.
        expected_interval_seconds: f64,
        /// 1.4826 x median absolute deviation of the gaps.
        spread_seconds: f64,
        /// The largest gap that is not late.
        allowed_gap_seconds: f64,
        /// Time since the last load.
        current_gap_seconds: f64,
        /// Intervals the cadence was learned from.
        intervals: usize,
        /// The current gap exceeds the allowed gap.
        late: bool,
    },
    /// Too few intervals to say; no guess is made.
    InsufficientHistory {
        /// Intervals in the history.
        intervals: usize,
        /// Intervals needed.
        needed: usize,
    },
}

impl CadenceCheck {
    /// `Some(late)` when learned, `None` with too little history.
    pub fn late(&self) -> Option<bool> {
        match self {
            Self::Learned { late, .. } => Some(*late),
            Self::InsufficientHistory { .. } => None,
        }
    }
}

fn median(sorted: &[i64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0
    }
}

/// Learns the cadence from `history` (any order; repeated timestamps count once) and checks
/// the gap since the latest load at `now`.
///
/// An empty history is an [`FleetopsError::EmptyHistory`]; a load dated after `now` plus
/// `clock_skew` is an [`FleetopsError::InvalidTimestamp`].
pub fn check_cadence(
    history: &[Timestamp],
    now: Timestamp,
    clock_skew: TimeDelta,
    options: &CadenceOptions,
) -> Result<CadenceCheck> {
    options.validate()?;
    if history.is_empty() {
        return Err(FleetopsError::EmptyHistory("a cadence needs at least one load time".into()));
    }
    let mut loads = history.to_vec();
    loads.sort_unstable();
    loads.dedup();
    let last = *loads.last().expect("not empty");
    if last > now + clock_skew {
        return Err(FleetopsError::InvalidTimestamp(format!(
            "history holds a load at {} after now ({})",
            crate::time::to_iso(last),
            crate::time::to_iso(now)
        )));
    }
    let mut gaps: Vec<i64> = loads.windows(2).map(|w| (w[1] - w[0]).num_microseconds().unwrap_or(i64::MAX)).collect();
    if gaps.len() < options.min_intervals {
        return Ok(CadenceCheck::InsufficientHistory { intervals: gaps.len(), needed: options.min_intervals });
    }
    gaps.sort_unstable();
    let med = median(&gaps);
    let mut deviations: Vec<i64> = gaps.iter().map(|&g| (g as f64 - med).abs().round() as i64).collect();
    deviations.sort_unstable();
    let spread = 1.4826 * median(&deviations);
    let slack = (options.spread_factor * spread).max(options.min_slack_ratio * med);
    let allowed = med + slack;
    let current = secs_f64((now - last).max(TimeDelta::zero()));
    Ok(CadenceCheck::Learned {
        expected_interval_seconds: med / 1e6,
        spread_seconds: spread / 1e6,
        allowed_gap_seconds: allowed / 1e6,
        current_gap_seconds: current,
        intervals: gaps.len(),
        late: current * 1e6 > allowed,
    })
}
