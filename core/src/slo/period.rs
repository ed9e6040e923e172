//! SLO periods: rolling (`30d`) or calendar-aligned (month, week, quarter) in a time zone.
//!
//! A calendar period's length is its real length in that zone: February has 28 or 29 days, a
//! month with a DST change an hour more or less. The runbook's "43.8 min a month" is the
//! average month ([`AVERAGE_MONTH`], 30.44 days), offered for rolling periods only.

use chrono::{Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::objective::Objective;
use crate::error::{FleetopsError, Result};
use crate::time::{parse_duration, parse_timezone, secs_f64, Timestamp};
use crate::wire::iso;

/// The average Gregorian month, 30.44 days (365.25 / 12 rounded as the runbook does).
pub const AVERAGE_MONTH: TimeDelta = TimeDelta::seconds(2_630_016); // 30.44 * 86_400

/// A calendar unit a period can align to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarUnit {
    /// Monday 00:00 to Monday 00:00 (ISO weeks).
    Week,
    /// The 1st 00:00 to the next 1st 00:00.
    Month,
    /// January, April, July, October 1st 00:00.
    Quarter,
}

/// The time an SLO is measured over.
#[derive(Debug, Clone, PartialEq)]
pub enum Period {
    /// The last `duration` up to now.
    Rolling(TimeDelta),
    /// The calendar unit containing now, in a time zone.
    Calendar {
        /// Week, month or quarter.
        unit: CalendarUnit,
        /// The zone whose midnight starts the unit.
        tz: Tz,
    },
}

/// A period's bounds at some `now`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Window {
    /// Inclusive start.
    #[serde(serialize_with = "iso")]
    #[schemars(with = "String")]
    pub start: Timestamp,
    /// Exclusive end (`now` for rolling periods).
    #[serde(serialize_with = "iso")]
    #[schemars(with = "String")]
    pub end: Timestamp,
    /// `end - start` in minutes.
    pub length_minutes: f64,
    /// Time from `start` to `now` in minutes.
    pub elapsed_minutes: f64,
    /// Downtime the whole period allows at the objective, when one was given.
    pub budget_minutes: Option<f64>,
}

impl Period {
    /// Parses `30d`, `28d`, `7d`, any duration, or `month` / `week` / `quarter` (in `tz`, default
    /// UTC).
    pub fn parse(text: &str, tz: Option<&str>) -> Result<Self> {
        let unit = match text.trim() {
            "month" | "calendar_month" => Some(CalendarUnit::Month),
            "week" | "calendar_week" => Some(CalendarUnit::Week),
            "quarter" | "calendar_quarter" => Some(CalendarUnit::Quarter),
            _ => None,
        };
        match unit {
            Some(unit) => Ok(Self::Calendar { unit, tz: parse_timezone(tz.unwrap_or("UTC"))? }),
            None => Self::rolling(parse_duration(text)?),
        }
    }

    /// A rolling period; it must be longer than zero.
    pub fn rolling(duration: TimeDelta) -> Result<Self> {
        if duration <= TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("a period must be longer than zero".into()));
        }
        Ok(Self::Rolling(duration))
    }

    /// The period's bounds at `now`, with the budget in minutes at `objective` when given
    /// (43.2 min for 99.9 % of 30 days; 40.32 for February).
    pub fn window_with_budget(&self, now: Timestamp, objective: Option<Objective>) -> Window {
        let mut w = self.window_at(now);
        w.budget_minutes = objective.map(|o| o.error_budget() * w.length_minutes);
        w
    }

    /// The period's bounds at `now`.
    pub fn window_at(&self, now: Timestamp) -> Window {
        let (start, end, elapsed_end) = match *self {
            Self::Rolling(d) => (now - d, now, now),
            Self::Calendar { unit, tz } => {
                let local = now.with_timezone(&tz).date_naive();
                let (first, next) = unit_bounds(unit, local);
                (local_midnight(tz, first), local_midnight(tz, next), now)
            }
        };
        Window {
            start,
            end,
            length_minutes: secs_f64(end - start) / 60.0,
            elapsed_minutes: secs_f64(elapsed_end - start) / 60.0,
            budget_minutes: None,
        }
    }

    /// A short description, e.g. `rolling 30d` or `month (Europe/Amsterdam)`.
    pub fn describe(&self) -> String {
        match self {
            Self::Rolling(d) => format!("rolling {} s", d.num_seconds()),
            Self::Calendar { unit, tz } => format!("{unit:?} ({})", tz.name()).to_lowercase(),
        }
    }
}

fn unit_bounds(unit: CalendarUnit, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let ymd = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("valid first of month");
    let next_month = |y: i32, m: u32, step: u32| {
        let m0 = m - 1 + step;
        ymd(y + (m0 / 12) as i32, m0 % 12 + 1)
    };
    match unit {
        CalendarUnit::Month => (ymd(day.year(), day.month()), next_month(day.year(), day.month(), 1)),
        CalendarUnit::Quarter => {
            let first = (day.month() - 1) / 3 * 3 + 1;
            (ymd(day.year(), first), next_month(day.year(), first, 3))
        }
        CalendarUnit::Week => {
            let monday = day - TimeDelta::days(day.weekday().num_days_from_monday() as i64);
            (monday, monday + TimeDelta::days(7))
        }
    }
}

/// Local midnight of `day` in `tz` (the first instant of that day where midnight is skipped).
fn local_midnight(tz: Tz, day: NaiveDate) -> Timestamp {
    let mut t = day.and_hms_opt(0, 0, 0).expect("midnight");
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.with_timezone(&Utc);
        }
        t += TimeDelta::minutes(30);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
}
