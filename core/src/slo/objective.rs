//! Objectives (targets in the open interval (0, 1)) and good/total event counts.

use serde::Serialize;

use crate::error::{FleetopsError, Result};

/// An SLO target such as 0.999, strictly between 0 and 1 (100 % leaves no error budget).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Objective(f64);

impl Objective {
    /// Validates a target: finite and strictly between 0 and 1.
    pub fn new(target: f64) -> Result<Self> {
        if !target.is_finite() || target <= 0.0 || target >= 1.0 {
            return Err(FleetopsError::InvalidTarget(format!(
                "objective {target} must be strictly between 0 and 1 (99.9 % is 0.999; 100 % leaves no budget)"
            )));
        }
        Ok(Self(target))
    }

    /// The target, e.g. 0.999.
    pub fn target(self) -> f64 {
        self.0
    }

    /// The error-budget ratio, `1 - target`.
    pub fn error_budget(self) -> f64 {
        1.0 - self.0
    }
}

/// Good and total events over some window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct Counts {
    /// Events that met the objective.
    pub good: u64,
    /// All events.
    pub total: u64,
}

fn whole(value: f64, name: &str) -> Result<u64> {
    if !value.is_finite() || value < 0.0 || value.fract() != 0.0 || value > 9.007_199_254_740_992e15 {
        return Err(FleetopsError::InvalidCount(format!("{name} {value} is not a whole number >= 0")));
    }
    Ok(value as u64)
}

impl Counts {
    /// From good and total counts (`good <= total`).
    pub fn new(good: u64, total: u64) -> Result<Self> {
        if good > total {
            return Err(FleetopsError::InvalidCount(format!("good {good} exceeds total {total}")));
        }
        Ok(Self { good, total })
    }

    /// From float good and total (as bindings receive numbers), checked for NaN and negatives.
    pub fn from_good_total(good: f64, total: f64) -> Result<Self> {
        Self::new(whole(good, "good")?, whole(total, "total")?)
    }

    /// From good and bad counts.
    pub fn from_good_bad(good: f64, bad: f64) -> Result<Self> {
        let (good, bad) = (whole(good, "good")?, whole(bad, "bad")?);
        let total = good.checked_add(bad).ok_or_else(|| FleetopsError::InvalidCount("good + bad overflows".into()))?;
        Self::new(good, total)
    }

    /// From bad and total counts (`bad <= total`).
    pub fn from_bad_total(bad: f64, total: f64) -> Result<Self> {
        let (bad, total) = (whole(bad, "bad")?, whole(total, "total")?);
        if bad > total {
            return Err(FleetopsError::InvalidCount(format!("bad {bad} exceeds total {total}")));
        }
        Self::new(total - bad, total)
    }

    /// Events that missed the objective.
    pub fn bad(self) -> u64 {
        self.total - self.good
    }

    /// Sum of two windows' counts.
    pub fn plus(self, other: Counts) -> Counts {
        Counts { good: self.good + other.good, total: self.total + other.total }
    }

    /// `good / total`, or `None` without events.
    pub fn ratio(self) -> Option<f64> {
        (self.total > 0).then(|| self.good as f64 / self.total as f64)
    }

    /// `(bad / total) / (1 - objective)`, or `None` without events.
    pub fn burn_rate(self, objective: Objective) -> Option<f64> {
        (self.total > 0).then(|| (self.bad() as f64 / self.total as f64) / objective.error_budget())
    }
}
