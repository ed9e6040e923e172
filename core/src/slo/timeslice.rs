//! Time-slice budgeting: a slice (e.g. one minute) is good when its own SLI meets the slice
//! target; the budget is counted in bad slices, i.e. minutes of downtime, which is what the
//! runbook's "43.8 minutes of downtime a month" means.

use chrono::TimeDelta;
use serde::Serialize;

use super::objective::{Counts, Objective};
use crate::error::{FleetopsError, Result};
use crate::time::secs_f64;

/// What a slice without any event counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EmptySlice {
    /// No traffic is no downtime (the default).
    #[default]
    Good,
    /// No traffic is downtime (the runbook's "application down: 0 requests").
    Bad,
    /// Left out of the SLI and the downtime.
    Skip,
}

impl EmptySlice {
    /// Parses `good`, `bad` or `skip`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "good" => Ok(Self::Good),
            "bad" => Ok(Self::Bad),
            "skip" => Ok(Self::Skip),
            other => Err(FleetopsError::InvalidArgument(format!("empty slices are good, bad or skip, not '{other}'"))),
        }
    }

    /// Parses a name if given, else the default (`good`).
    pub fn parse_or_default(name: Option<&str>) -> Result<Self> {
        name.map_or(Ok(Self::default()), Self::parse)
    }
}

/// The result of time-slice budgeting over a period.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TimeSliceBudget {
    /// The objective (share of good slices).
    pub objective: Objective,
    /// Slices whose SLI met the slice target.
    pub good_slices: u64,
    /// Slices that missed it (downtime).
    pub bad_slices: u64,
    /// Slices without events (counted as `empty_slices_are`).
    pub empty_slices: u64,
    /// `good_slices / (good_slices + bad_slices)`; null when no slice counted.
    pub sli: Option<f64>,
    /// Downtime: `bad_slices * slice length`.
    pub downtime_minutes: f64,
    /// Downtime the period allows: `(1 - objective) * period minutes`.
    pub budget_minutes: f64,
    /// `budget_minutes - downtime_minutes` (negative when overspent).
    pub remaining_minutes: f64,
    /// `downtime_minutes / budget_minutes * 100`.
    pub used_percent: f64,
    /// Downtime exceeds the budget.
    pub overspent: bool,
}

/// Judges each slice's counts against `slice_target` and budgets the bad ones.
pub fn timeslice_budget(
    objective: Objective,
    slice_target: Objective,
    slice: TimeDelta,
    period: TimeDelta,
    slices: &[Counts],
    empty: EmptySlice,
) -> Result<TimeSliceBudget> {
    if slice <= TimeDelta::zero() || period < slice {
        return Err(FleetopsError::InvalidDuration("slices must be longer than zero and fit in the period".into()));
    }
    let (mut good, mut bad, mut empty_n) = (0u64, 0u64, 0u64);
    for c in slices {
        match c.ratio() {
            None => {
                empty_n += 1;
                match empty {
                    EmptySlice::Good => good += 1,
                    EmptySlice::Bad => bad += 1,
                    EmptySlice::Skip => {}
                }
            }
            Some(r) if r >= slice_target.target() => good += 1,
            Some(_) => bad += 1,
        }
    }
    let slice_minutes = secs_f64(slice) / 60.0;
    let downtime = bad as f64 * slice_minutes;
    let budget = objective.error_budget() * secs_f64(period) / 60.0;
    let counted = good + bad;
    Ok(TimeSliceBudget {
        objective,
        good_slices: good,
        bad_slices: bad,
        empty_slices: empty_n,
        sli: (counted > 0).then(|| good as f64 / counted as f64),
        downtime_minutes: downtime,
        budget_minutes: budget,
        remaining_minutes: budget - downtime,
        used_percent: downtime / budget * 100.0,
        overspent: downtime > budget,
    })
}

/// RatioTimeslices: each slice with events counts with its own SLI. The SLI is their mean; a
/// slice's downtime is its bad share of its length; `good_slices` are those without a bad
/// event, `bad_slices` the rest, and slices without events are left out (`empty_slices`).
pub fn ratio_timeslice_budget(
    objective: Objective,
    slice: TimeDelta,
    period: TimeDelta,
    slices: &[Counts],
) -> Result<TimeSliceBudget> {
    if slice <= TimeDelta::zero() || period < slice {
        return Err(FleetopsError::InvalidDuration("slices must be longer than zero and fit in the period".into()));
    }
    let ratios: Vec<f64> = slices.iter().filter_map(|c| c.ratio()).collect();
    let good = ratios.iter().filter(|&&r| r == 1.0).count() as u64;
    let slice_minutes = secs_f64(slice) / 60.0;
    let downtime: f64 = ratios.iter().map(|r| (1.0 - r) * slice_minutes).sum();
    let budget = objective.error_budget() * secs_f64(period) / 60.0;
    Ok(TimeSliceBudget {
        objective,
        good_slices: good,
        bad_slices: ratios.len() as u64 - good,
        empty_slices: (slices.len() - ratios.len()) as u64,
        sli: (!ratios.is_empty()).then(|| ratios.iter().sum::<f64>() / ratios.len() as f64),
        downtime_minutes: downtime,
        budget_minutes: budget,
        remaining_minutes: budget - downtime,
        used_percent: downtime / budget * 100.0,
        overspent: downtime > budget,
    })
}
