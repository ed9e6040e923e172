//! Typed JS mirrors of the core's results (camelCase, `null` where the core has none).

use fleetops::freshness as core;
use fleetops::time::to_iso;
use napi_derive::napi;
use serde_json::{Map, Value};

/// A learned-cadence check.
#[napi(object, use_nullable = true)]
pub struct CadenceCheck {
    /// `learned` or `insufficient_history`.
    pub status: String,
    /// Median gap between loads (learned only).
    pub expected_interval_seconds: Option<f64>,
    /// 1.4826 x MAD of the gaps (learned only).
    pub spread_seconds: Option<f64>,
    /// The largest gap that is not late (learned only).
    pub allowed_gap_seconds: Option<f64>,
    /// Time since the last load (learned only).
    pub current_gap_seconds: Option<f64>,
    /// Intervals in the history.
    pub intervals: u32,
    /// Intervals needed (insufficient history only).
    pub needed: Option<u32>,
    /// Late, or null with too little history.
    pub late: Option<bool>,
}

impl From<&core::CadenceCheck> for CadenceCheck {
    fn from(c: &core::CadenceCheck) -> Self {
        match *c {
            core::CadenceCheck::Learned {
                expected_interval_seconds,
                spread_seconds,
                allowed_gap_seconds,
                current_gap_seconds,
                intervals,
                late,
            } => Self {
                status: "learned".into(),
                expected_interval_seconds: Some(expected_interval_seconds),
                spread_seconds: Some(spread_seconds),
                allowed_gap_seconds: Some(allowed_gap_seconds),
                current_gap_seconds: Some(current_gap_seconds),
                intervals: intervals as u32,
                needed: None,
                late: Some(late),
            },
            core::CadenceCheck::InsufficientHistory { intervals, needed } => Self {
                status: "insufficient_history".into(),
                expected_interval_seconds: None,
                spread_seconds: None,
                allowed_gap_seconds: None,
                current_gap_seconds: None,
                intervals: intervals as u32,
                needed: Some(needed as u32),
                late: None,
            },
        }
    }
}

/// A schedule check.
#[napi(object, use_nullable = true)]
pub struct ScheduleCheck {
    /// The latest scheduled run whose deadline has passed (ISO-8601 UTC).
    pub expected_run_at: Option<String>,
    /// That run's deadline.
    pub deadline: Option<String>,
    /// The next deadline after now.
    pub next_deadline: Option<String>,
    /// No load at or after the expected run.
    pub late: bool,
}

impl From<&core::ScheduleCheck> for ScheduleCheck {
    fn from(s: &core::ScheduleCheck) -> Self {
        Self {
            expected_run_at: s.expected_run_at.map(to_iso),
            deadline: s.deadline.map(to_iso),
            next_deadline: s.next_deadline.map(to_iso),
            late: s.late,
        }
    }
}

/// One table's freshness verdict.
#[napi(object, use_nullable = true)]
pub struct TableFreshness {
    /// The table's name.
    pub table: String,
    /// Tier name, `MISSING` or `FUTURE`.
    #[napi(js_name = "class")]
    pub class_name: String,
    /// `pass`, `warn` or `error`.
    pub level: String,
    /// Seconds since the last load (null when missing, negative when future).
    pub age_seconds: Option<f64>,
    /// The last load (ISO-8601 UTC).
    pub last_loaded_at: Option<String>,
    /// The `now` judged at.
    pub snapshotted_at: String,
    /// Older than `staleAfter`.
    pub stale: bool,
    /// Seconds the last load is dated ahead of now.
    pub clock_skew_seconds: f64,
    /// Late against cadence or schedule; null when neither is known.
    pub late: Option<bool>,
    /// The cadence check, when a history was given.
    pub cadence: Option<CadenceCheck>,
    /// The schedule check, when a schedule was given.
    pub schedule: Option<ScheduleCheck>,
}

impl From<&core::TableFreshness> for TableFreshness {
    fn from(r: &core::TableFreshness) -> Self {
        Self {
            table: r.table.clone(),
            class_name: r.class.clone(),
            level: r.level.as_str().into(),
            age_seconds: r.age_seconds,
            last_loaded_at: r.last_loaded_at.map(to_iso),
            snapshotted_at: to_iso(r.snapshotted_at),
            stale: r.stale,
            clock_skew_seconds: r.clock_skew_seconds,
            late: r.late,
            cadence: r.cadence.as_ref().map(Into::into),
            schedule: r.schedule.as_ref().map(Into::into),
        }
    }
}

/// Counts and lists over a batch.
#[napi(object)]
pub struct Summary {
    /// Tables judged.
    pub total: u32,
    /// The worst level.
    pub worst_level: String,
    /// Tables per level.
    pub levels: Map<String, Value>,
    /// Tables per class.
    pub classes: Map<String, Value>,
    /// Stale tables.
    pub stale: Vec<String>,
    /// Late tables.
    pub late: Vec<String>,
    /// Tables at warn.
    pub warn: Vec<String>,
    /// Tables at error.
    pub error: Vec<String>,
}

/// A batch result.
#[napi(object)]
pub struct FreshnessReport {
    /// One result per table, in input order.
    pub results: Vec<TableFreshness>,
    /// The summary.
    pub summary: Summary,
}

impl From<&core::FreshnessReport> for FreshnessReport {
    fn from(r: &core::FreshnessReport) -> Self {
        let s = &r.summary;
        // A JSON map keeps the tier order that a HashMap would lose.
        let counts = |pairs: &[(String, usize)]| pairs.iter().map(|(k, v)| (k.clone(), Value::from(*v))).collect();
        Self {
            results: r.results.iter().map(Into::into).collect(),
            summary: Summary {
                total: s.total as u32,
                worst_level: s.worst_level.as_str().into(),
                levels: counts(&s.levels),
                classes: counts(&s.classes),
                stale: s.stale.clone(),
                late: s.late.clone(),
                warn: s.warn.clone(),
                error: s.error.clone(),
            },
        }
    }
}

/// Result fields whose keys are data (label names, mute ids), not field names: kept as they are.
const DATA_KEYED: &[&str] = &["group", "muted_by", "checks", "details"];

/// Renames object keys from snake_case to camelCase, recursively (JSON results for JS); the
/// keys of [`DATA_KEYED`] maps are data and stay as they are.
pub fn camel(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if DATA_KEYED.contains(&k.as_str()) { v } else { camel(v) };
                    let mut out = String::with_capacity(k.len());
                    let mut upper = false;
                    for c in k.chars() {
                        match (c, upper) {
                            ('_', _) => upper = true,
                            (c, true) => {
                                out.extend(c.to_uppercase());
                                upper = false
                            }
                            (c, false) => out.push(c),
                        }
                    }
                    (out, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel).collect()),
        other => other,
    }
}

/// Renames object keys from camelCase to snake_case, recursively (JS options for the core).
pub fn snake(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut out = String::with_capacity(k.len() + 4);
                    for c in k.chars() {
                        if c.is_ascii_uppercase() {
                            out.push('_');
                            out.push(c.to_ascii_lowercase());
                        } else {
                            out.push(c);
                        }
                    }
                    (out, snake(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(snake).collect()),
        other => other,
    }
}

/// A core result as camelCase JSON for JavaScript (see [`camel`]).
pub fn js(value: &impl serde::Serialize) -> crate::errors::Result<Value> {
    use crate::errors::IntoJs;
    Ok(camel(fleetops::wire::to_value(value).js()?))
}
