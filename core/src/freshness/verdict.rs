//! One table's freshness result, serialisable as a plain dict / JSON object.

use serde::Serialize;

use super::cadence::CadenceCheck;
use super::level::Level;
use super::schedule::ScheduleCheck;
use crate::time::Timestamp;
use crate::wire::{iso, iso_opt};

/// The verdict for one table.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TableFreshness {
    /// The table's name.
    pub table: String,
    /// Its tier name, or `MISSING` / `FUTURE`.
    pub class: String,
    /// dbt level: pass, warn or error.
    pub level: Level,
    /// Seconds since the last load (0 within the skew tolerance, negative when `FUTURE`,
    /// absent when `MISSING`).
    pub age_seconds: Option<f64>,
    /// The last load time used.
    #[serde(serialize_with = "iso_opt")]
    #[schemars(with = "Option<String>")]
    pub last_loaded_at: Option<Timestamp>,
    /// The `now` the table was judged at.
    #[serde(serialize_with = "iso")]
    #[schemars(with = "String")]
    pub snapshotted_at: Timestamp,
    /// Older than the policy's `stale_after` (a missing table is stale).
    pub stale: bool,
    /// How far the last load is dated ahead of `now`, in seconds (0 when not ahead).
    pub clock_skew_seconds: f64,
    /// Late against its learned cadence or its schedule; absent when neither is known.
    pub late: Option<bool>,
    /// The learned-cadence check, when a history was given.
    pub cadence: Option<CadenceCheck>,
    /// The schedule check, when a schedule was given.
    pub schedule: Option<ScheduleCheck>,
    /// Why the table's load time could not be read from the warehouse (a missing table or
    /// column, no permission, a timeout), in the database's words; the table is then `error`.
    /// Absent when it was read (or handed over).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_error: Option<String>,
}

impl TableFreshness {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        table: &str,
        class: &str,
        level: Level,
        age_seconds: Option<f64>,
        last_loaded_at: Option<Timestamp>,
        now: Timestamp,
        stale: bool,
        clock_skew_seconds: f64,
    ) -> Self {
        Self {
            table: table.to_owned(),
            class: class.to_owned(),
            level,
            age_seconds,
            last_loaded_at,
            snapshotted_at: now,
            stale,
            clock_skew_seconds,
            late: None,
            cadence: None,
            schedule: None,
            read_error: None,
        }
    }

    /// Attaches the cadence and schedule checks and derives `late` from them.
    pub fn with_expectations(mut self, cadence: Option<CadenceCheck>, schedule: Option<ScheduleCheck>) -> Self {
        let late = [cadence.as_ref().and_then(CadenceCheck::late), schedule.as_ref().map(|s| s.late)];
        self.late = late.into_iter().flatten().reduce(|a, b| a || b);
        self.cadence = cadence;
        self.schedule = schedule;
        self
    }
}
