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
    maintenance: crate::maintenance::Maintenance,
}

impl PartialEq for LoadSchedule {
    fn eq(&self, other: &Self) -> bool {
        self.expression == other.expression
            && self.tz == other.tz
            && self.allowed_delay == other.allowed_delay
            && self.maintenance == other.maintenance
    }
}

/// The most scheduled runs one check walks past inside maintenance windows.
const MAX_RUNS_WALKED: usize = 20_000;

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
    /// The maintenance window that moved `next_deadline` to its end (the run it waits for
    /// is scheduled inside it), if one did.
    pub held_by_maintenance: Option<String>,
}

impl LoadSchedule {
    /// A schedule such as `("0 2 * * *", "Europe/Amsterdam", 45 min)`.
    pub fn new(cron: &str, time_zone: &str, allowed_delay: TimeDelta) -> Result<Self> {
        let parsed = Cron::from_str(cron).map_err(|e| FleetopsError::InvalidSchedule(format!("'{cron}': {e}")))?;
        if allowed_delay < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("allowed_delay cannot be negative".into()));
        }
        Ok(Self {
            cron: parsed,
            expression: cron.to_owned(),
            tz: parse_timezone(time_zone)?,
            allowed_delay,
            maintenance: Default::default(),
        })
    }

    /// The same schedule, with runs scheduled inside `maintenance` due by the window's end
    /// (plus the allowed delay): a table is not late for a load planned during maintenance.
    pub fn with_maintenance(mut self, maintenance: crate::maintenance::Maintenance) -> Self {
        self.maintenance = maintenance;
        self
    }

    /// When the load of the run at `run` is due, and the window that moved it, if any.
    fn due(&self, run: Timestamp) -> (Timestamp, Option<String>) {
        match self.maintenance.covering_longest(run) {
            Some(o) => (o.end + self.allowed_delay, Some(o.name)),
            None => (run + self.allowed_delay, None),
        }
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
        let (expected, next) = if self.maintenance.is_empty() {
            let cutoff = (now - self.allowed_delay).with_timezone(&self.tz);
            let expected = self.cron.find_previous_occurrence(&cutoff, true).ok().map(|t| t.with_timezone(&Utc));
            let next = self.cron.find_next_occurrence(&cutoff, false).ok().map(|t| t.with_timezone(&Utc));
            (expected, next)
        } else {
            // Dues only grow with the run (a run inside a window is due at its end, before any
            // later run's), so the expected run is the latest whose due has passed.
            let mut next = None;
            let mut expected = None;
            let runs =
                self.cron.iter_from(now.with_timezone(&self.tz), croner::Direction::Backward).take(MAX_RUNS_WALKED);
            for run in runs.map(|t| t.with_timezone(&Utc)) {
                if self.due(run).0 <= now {
                    expected = Some(run);
                    break;
                }
                next = Some(run);
            }
            let next = next.or_else(|| {
                let after = expected.unwrap_or(now).with_timezone(&self.tz);
                let mut later = self.cron.iter_after(after).take(MAX_RUNS_WALKED).map(|t| t.with_timezone(&Utc));
                later.find(|&run| self.due(run).0 > now)
            });
            (expected, next)
        };
        let due_next = next.map(|t| self.due(t));
        let late = match expected {
            Some(run) => last_loaded_at.is_none_or(|last| last < run),
            None => false,
        };
        ScheduleCheck {
            expected_run_at: expected,
            deadline: expected.map(|t| self.due(t).0),
            next_deadline: due_next.as_ref().map(|d| d.0),
            late,
            held_by_maintenance: due_next.and_then(|d| d.1),
        }
    }
}
