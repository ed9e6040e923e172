//! Many tables in one call: one result per table plus a summary, and dbt's `sources.json`.

use chrono::TimeDelta;
use serde::Serialize;

use super::cadence::{check_cadence, CadenceOptions};
use super::level::Level;
use super::policy::FreshnessPolicy;
use super::schedule::LoadSchedule;
use super::verdict::TableFreshness;
use crate::error::{FleetopsError, Result};
use crate::time::Timestamp;

/// One table to classify.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableInput {
    /// The table's name (unique within a batch).
    pub name: String,
    /// `MAX(_loaded_at)`; `None` when the table has never loaded (or is empty).
    pub last_loaded_at: Option<Timestamp>,
    /// Past load times to learn a cadence from; `None` skips the cadence check.
    pub history: Option<Vec<Timestamp>>,
    /// When loads are expected; `None` skips the schedule check.
    pub schedule: Option<LoadSchedule>,
}

impl TableInput {
    /// A table with only its last load time.
    pub fn new(name: &str, last_loaded_at: Option<Timestamp>) -> Self {
        Self { name: name.to_owned(), last_loaded_at, ..Self::default() }
    }
}

/// Counts and lists over a batch.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// Tables judged.
    pub total: usize,
    /// The worst level (pass for an empty batch).
    pub worst_level: Level,
    /// Tables per level.
    #[serde(serialize_with = "crate::wire::ordered_map")]
    #[schemars(with = "std::collections::BTreeMap<String, usize>")]
    pub levels: Vec<(String, usize)>,
    /// Tables per class, in tier order, then `MISSING` and `FUTURE`.
    #[serde(serialize_with = "crate::wire::ordered_map")]
    #[schemars(with = "std::collections::BTreeMap<String, usize>")]
    pub classes: Vec<(String, usize)>,
    /// Names of stale tables.
    pub stale: Vec<String>,
    /// Names of late tables (cadence or schedule).
    pub late: Vec<String>,
    /// Names of tables at warn level.
    pub warn: Vec<String>,
    /// Names of tables at error level.
    pub error: Vec<String>,
}

/// A batch result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FreshnessReport {
    /// One result per input table, in input order.
    pub results: Vec<TableFreshness>,
    /// The batch summary.
    pub summary: Summary,
}

/// The order of tables given as a record (a mapping of name to last load): by name, bytewise.
/// A JavaScript object cannot keep its keys' order (integer-like keys come first), so one order
/// both languages can give is the rule; a list of table records keeps its own order.
pub fn record_order(tables: &mut [TableInput]) {
    tables.sort_by(|a, b| a.name.cmp(&b.name));
}

/// Classifies every table at `now`. Any bad input (an empty history, a history dated after
/// `now`, a repeated table name) fails the whole batch with the table named.
pub fn classify_tables(
    policy: &FreshnessPolicy,
    tables: &[TableInput],
    now: Timestamp,
    cadence: &CadenceOptions,
) -> Result<FreshnessReport> {
    cadence.validate()?;
    let mut results = Vec::with_capacity(tables.len());
    for (i, t) in tables.iter().enumerate() {
        if tables[..i].iter().any(|o| o.name == t.name) {
            return Err(FleetopsError::InvalidArgument(format!("table '{}' appears twice", t.name)));
        }
        results.push(classify_table(policy, t, now, cadence).map_err(|e| e.at(format!("table '{}'", t.name)))?);
    }
    Ok(report_of(policy, results))
}

/// The report of results already judged by `policy` (their summary added).
pub fn report_of(policy: &FreshnessPolicy, results: Vec<TableFreshness>) -> FreshnessReport {
    let summary = summarise(policy, &results);
    FreshnessReport { results, summary }
}

/// Classifies one table, with its cadence and schedule checks when given.
pub fn classify_table(
    policy: &FreshnessPolicy,
    table: &TableInput,
    now: Timestamp,
    cadence: &CadenceOptions,
) -> Result<TableFreshness> {
    let history_last = table.history.as_ref().and_then(|h| h.iter().max().copied());
    let last = table.last_loaded_at.max(history_last);
    let cadence_check = match &table.history {
        Some(h) => Some(check_cadence(h, now, policy.clock_skew_tolerance().max(TimeDelta::zero()), cadence)?),
        None => None,
    };
    let schedule_check = table.schedule.as_ref().map(|s| s.check(last, now));
    Ok(policy.classify(&table.name, last, now).with_expectations(cadence_check, schedule_check))
}

fn summarise(policy: &FreshnessPolicy, results: &[TableFreshness]) -> Summary {
    let names_where = |f: &dyn Fn(&TableFreshness) -> bool| -> Vec<String> {
        results.iter().filter(|r| f(r)).map(|r| r.table.clone()).collect()
    };
    let count_level = |l: Level| results.iter().filter(|r| r.level == l).count();
    Summary {
        total: results.len(),
        worst_level: results.iter().map(|r| r.level).max().unwrap_or(Level::Pass),
        levels: [Level::Pass, Level::Warn, Level::Error]
            .into_iter()
            .map(|l| (l.as_str().to_owned(), count_level(l)))
            .collect(),
        classes: policy
            .class_names()
            .into_iter()
            .map(|c| (c.to_owned(), results.iter().filter(|r| r.class == c).count()))
            .collect(),
        stale: names_where(&|r| r.stale),
        late: names_where(&|r| r.late == Some(true)),
        warn: names_where(&|r| r.level == Level::Warn),
        error: names_where(&|r| r.level == Level::Error),
    }
}

/// The dbt source name of [`FreshnessReport::to_dbt_sources`] when none is given.
pub const DEFAULT_DBT_SOURCE: &str = "fleetops";
