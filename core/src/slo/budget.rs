//! Events-based error budgets: SLI, budget, consumed, remaining (may go negative), used %,
//! burn rate, and the same budget in minutes of a period.

use serde::Serialize;

use super::objective::{Counts, Objective};
use crate::error::{FleetopsError, Result};

/// An events-based budget, or no data when there were no events.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Budget {
    /// At least one event.
    Ok(EventBudget),
    /// No events: nothing to judge, and no NaN.
    NoData {
        /// The objective.
        objective: Objective,
    },
}

/// The numbers of an events-based budget. Nothing is rounded or clamped: an overspent budget
/// has negative `remaining_events` and `used_percent` above 100.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EventBudget {
    /// The objective.
    pub objective: Objective,
    /// `1 - objective`.
    pub error_budget: f64,
    /// Good events.
    pub good: u64,
    /// Bad events (the budget consumed).
    pub bad: u64,
    /// All events.
    pub total: u64,
    /// `good / total`.
    pub sli: f64,
    /// Bad events allowed: `(1 - objective) * total`.
    pub budget_events: f64,
    /// `budget_events - bad`.
    pub remaining_events: f64,
    /// `bad / budget_events * 100`.
    pub used_percent: f64,
    /// `100 - used_percent`.
    pub remaining_percent: f64,
    /// `(bad / total) / (1 - objective)`.
    pub burn_rate: f64,
    /// More bad events than the budget allows.
    pub overspent: bool,
    /// The budget in minutes of the period, when a period length was given.
    pub budget_minutes: Option<f64>,
    /// Minutes of budget left: `budget_minutes * remaining_percent / 100`.
    pub remaining_minutes: Option<f64>,
}

impl Budget {
    /// A deploy gate on this budget alone: `budget overspent (N % used)` when it is spent and
    /// `fail_on` (default [`DEFAULT_GATE_FAIL_ON`](super::DEFAULT_GATE_FAIL_ON)) holds
    /// `"overspent"`; empty otherwise (and with no events).
    pub fn gate_problems(&self, fail_on: Option<&[&str]>) -> Vec<String> {
        let fail_on = fail_on.unwrap_or(super::DEFAULT_GATE_FAIL_ON);
        match self {
            Budget::Ok(b) if b.overspent && fail_on.contains(&"overspent") => {
                vec![format!("budget overspent ({:.1} % used)", b.used_percent)]
            }
            _ => vec![],
        }
    }
}

/// The budget of `counts` against `objective`; `period_minutes` (finite, > 0) adds the budget
/// in minutes.
pub fn event_budget(objective: Objective, counts: Counts, period_minutes: Option<f64>) -> Result<Budget> {
    if let Some(m) = period_minutes.filter(|m| !m.is_finite() || *m <= 0.0) {
        return Err(FleetopsError::InvalidDuration(format!("period_minutes {m} must be a finite number > 0")));
    }
    if counts.total == 0 {
        return Ok(Budget::NoData { objective });
    }
    let error_budget = objective.error_budget();
    let total = counts.total as f64;
    let bad = counts.bad() as f64;
    let budget_events = error_budget * total;
    let used_percent = bad / budget_events * 100.0;
    let budget_minutes = period_minutes.map(|m| error_budget * m);
    Ok(Budget::Ok(EventBudget {
        objective,
        error_budget,
        good: counts.good,
        bad: counts.bad(),
        total: counts.total,
        sli: counts.good as f64 / total,
        budget_events,
        remaining_events: budget_events - bad,
        used_percent,
        remaining_percent: 100.0 - used_percent,
        burn_rate: (bad / total) / error_budget,
        overspent: bad > budget_events,
        budget_minutes,
        remaining_minutes: budget_minutes.map(|m| m * (100.0 - used_percent) / 100.0),
    }))
}

/// Minutes of downtime a period of `period_minutes` allows at `objective` (43.2 for 99.9 % of
/// 30 days).
pub fn budget_minutes(objective: Objective, period_minutes: f64) -> f64 {
    objective.error_budget() * period_minutes
}
