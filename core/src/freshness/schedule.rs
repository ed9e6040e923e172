//! Schedule-aware expectations: loads expected by cron in a time zone, late after a delay.
//!
//! Cron parsing and DST rules come from `croner` (OCPS / Vixie-cron semantics): a fixed-time
//! job whose wall-clock time is skipped by spring-forward runs at the first valid time after
//! the gap; one whose time repeats at fall-back runs once, at the first occurrence.

use std::str::FromStr;

use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;
use croner::Cron;
use serde::Serialize;

use crate::error::{FleetopsError, Result};
use crate::time::{parse_timezone, Timestamp};
use crate::wire::iso_opt;

/// When loads are expected: a cron expression in a time zone, and how late they may be.
#[derive(Debug, Clone)]
pub struct LoadSchedule {
    cron: Cron,
    expression: String,
    tz: Tz,
    allowed_delay: TimeDelta,
}

impl PartialEq for LoadSchedule {
    fn eq(&self, other: &Self) -> bool {
        self.expression == other.expression && self.tz == other.tz && self.allowed_delay == other.allowed_delay
    }
}

/// Where a table stands against its schedule at `now`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ScheduleCheck {
    /// The latest scheduled run whose deadline has passed.
    #[serde(serialize_with = "iso_opt")]
    #[schemars(with = "Option<String>")]
    pub expected_run_at: Option<Timestamp>,
    /// That run's deadline (run time + allowed delay).
    #[serde(serialize_with = "iso_opt")]
    #[schemars(with = "Option<String>")]
    pub deadline: Option<Timestamp>,
    /// The next deadline after `now`.
    #[serde(serialize_with = "iso_opt")]
    #[schemars(with = "Option<String>")]
    pub next_deadline: Option<Timestamp>,
    /// No load at or after `expected_run_at`.
    pub late: bool,
}

impl LoadSchedule {
    /// A schedule such as `("0 2 * * *", "Europe/Amsterdam", 45 min)`.
    pub fn new(cron: &str, time_zone: &str, allowed_delay: TimeDelta) -> Result<Self> {
        let parsed = Cron::from_str(cron).map_err(|e| FleetopsError::InvalidSchedule(format!("'{cron}': {e}")))?;
        if allowed_delay < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("allowed_delay cannot be negative".into()));
        }
        Ok(Self { cron: parsed, expression: cron.to_owned(), tz: parse_timezone(time_zone)?, allowed_delay })
    }

    /// The cron expression.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The time zone the expression is read in.
    pub fn time_zone(&self) -> &str {
        self.tz.name()
    }

    /// The allowed delay after each scheduled run.
    pub fn allowed_delay(&self) -> TimeDelta {
        self.allowed_delay
    }

    /// Checks a table's last load against the schedule at `now`.
    ///
    /// The expected run is the latest scheduled time `t` with `t + allowed_delay <= now`; the
    /// table is late when it has no load at or after `t`.
    pub fn check(&self, last_loaded_at: Option<Timestamp>, now: Timestamp) -> ScheduleCheck {
        let cutoff = (now - self.allowed_delay).with_timezone(&self.tz);
        let expected = self.cron.find_previous_occurrence(&cutoff, true).ok().map(|t| t.with_timezone(&Utc));
        let next = self.cron.find_next_occurrence(&cutoff, false).ok().map(|t| t.with_timezone(&Utc));
        let late = match expected {
            Some(run) => last_loaded_at.is_none_or(|last| last < run),
            None => false,
        };
        ScheduleCheck {
            expected_run_at: expected,
            deadline: expected.map(|t| t + self.allowed_delay),
            next_deadline: next.map(|t| t + self.allowed_delay),
            late,
        }
    }
}
