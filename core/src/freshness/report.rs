//! Many tables in one call: one result per table plus a summary, and dbt's `sources.json`.

use chrono::TimeDelta;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Value};

use super::cadence::{check_cadence, CadenceOptions};
use super::level::Level;
use super::policy::FreshnessPolicy;
use super::schedule::LoadSchedule;
use super::verdict::TableFreshness;
use crate::error::{FleetopsError, Result};
use crate::time::{to_iso, Timestamp};

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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Tables judged.
    pub total: usize,
    /// The worst level (pass for an empty batch).
    pub worst_level: Level,
    /// Tables per level.
    #[serde(serialize_with = "ordered")]
    pub levels: Vec<(String, usize)>,
    /// Tables per class, in tier order, then `MISSING` and `FUTURE`.
    #[serde(serialize_with = "ordered")]
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

fn ordered<S: Serializer>(pairs: &[(String, usize)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// A batch result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreshnessReport {
    /// One result per input table, in input order.
    pub results: Vec<TableFreshness>,
    /// The batch summary.
    pub summary: Summary,
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
    let summary = summarise(policy, &results);
    Ok(FreshnessReport { results, summary })
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

impl FreshnessReport {
    /// The report as JSON (results and summary).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a freshness report always serialises")
    }

    /// The report in the shape of dbt's `sources.json` (`dbt source freshness` output, v3).
    /// A missing table is a `runtime error`, as dbt reports a NULL `max(loaded_at)`.
    /// `source` names the dbt source (default [`DEFAULT_DBT_SOURCE`]).
    pub fn to_dbt_sources(&self, policy: &FreshnessPolicy, source: Option<&str>) -> Value {
        let source = source.unwrap_or(DEFAULT_DBT_SOURCE);
        let criteria = policy.criteria().to_dbt();
        let results: Vec<Value> = self
            .results
            .iter()
            .map(|r| {
                let unique_id = format!("source.{source}.{}", r.table);
                match r.last_loaded_at {
                    None => json!({
                        "unique_id": unique_id,
                        "status": "runtime error",
                        "error": format!("{}: max(loaded_at) is null (no data)", r.table),
                        "criteria": criteria,
                    }),
                    Some(last) => json!({
                        "unique_id": unique_id,
                        "max_loaded_at": to_iso(last),
                        "snapshotted_at": to_iso(r.snapshotted_at),
                        "max_loaded_at_time_ago_in_s": r.age_seconds,
                        "status": r.level.as_str(),
                        "criteria": criteria,
                        "adapter_response": {},
                        "timing": [],
                        "thread_id": "fleetops",
                        "execution_time": 0.0,
                    }),
                }
            })
            .collect();
        let generated = self.results.first().map(|r| to_iso(r.snapshotted_at));
        json!({
            "metadata": {
                "dbt_schema_version": "https://schemas.getdbt.com/dbt/sources/v3.json",
                "generated_at": generated,
                "invocation_id": null,
            },
            "results": results,
            "elapsed_time": 0.0,
        })
    }
}
