//! The report in the shape of dbt's `sources.json` (`dbt source freshness` output, v3), so
//! that tools reading dbt's artifact read fleetops' too.

use serde::Serialize;

use super::criteria::DbtCriteria;
use super::level::Level;
use super::policy::FreshnessPolicy;
use super::report::{FreshnessReport, DEFAULT_DBT_SOURCE};
use crate::time::to_iso;

/// dbt's `sources.json`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(extend("x-keep-case" = true))]
pub struct DbtSources {
    /// The artifact's metadata.
    pub metadata: DbtMetadata,
    /// One result per table, in input order.
    pub results: Vec<DbtSourceResult>,
    /// Seconds the run took (0: fleetops judges in-process).
    pub elapsed_time: f64,
}

/// The artifact's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(extend("x-keep-case" = true))]
pub struct DbtMetadata {
    /// The schema dbt's readers check.
    pub dbt_schema_version: &'static str,
    /// The `now` judged at (null for an empty batch).
    pub generated_at: Option<String>,
    /// dbt's run id (null: no dbt run).
    pub invocation_id: Option<String>,
}

/// One source's result: judged, or dbt's `runtime error` for a table never loaded.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(extend("x-keep-case" = true))]
pub enum DbtSourceResult {
    /// A table with a last load.
    Judged(DbtJudged),
    /// A table with a NULL `max(loaded_at)`.
    Failed(DbtFailed),
}

/// A judged source.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(extend("x-keep-case" = true))]
pub struct DbtJudged {
    /// `source.<source>.<table>`.
    pub unique_id: String,
    /// The last load (ISO-8601 UTC).
    pub max_loaded_at: String,
    /// The `now` judged at.
    pub snapshotted_at: String,
    /// Seconds since the last load.
    pub max_loaded_at_time_ago_in_s: Option<f64>,
    /// `pass`, `warn` or `error`.
    pub status: Level,
    /// The criteria judged by.
    pub criteria: DbtCriteria,
    /// dbt's adapter response (empty: no warehouse was queried).
    pub adapter_response: serde_json::Map<String, serde_json::Value>,
    /// dbt's timing entries (none).
    pub timing: Vec<serde_json::Value>,
    /// The thread that judged it.
    pub thread_id: &'static str,
    /// Seconds taken (0).
    pub execution_time: f64,
}

/// A source dbt could not judge.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(extend("x-keep-case" = true))]
pub struct DbtFailed {
    /// `source.<source>.<table>`.
    pub unique_id: String,
    /// Always `runtime error`.
    #[schemars(with = "RuntimeError")]
    pub status: &'static str,
    /// What went wrong.
    pub error: String,
    /// The criteria it would have been judged by.
    pub criteria: DbtCriteria,
}

/// The one status word of [`DbtFailed`], as the schema declares it.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
enum RuntimeError {
    #[serde(rename = "runtime error")]
    RuntimeError,
}

impl FreshnessReport {
    /// The report in the shape of dbt's `sources.json`. A missing table is a `runtime error`,
    /// as dbt reports a NULL `max(loaded_at)`. `source` names the dbt source (default
    /// [`DEFAULT_DBT_SOURCE`]).
    pub fn to_dbt_sources(&self, policy: &FreshnessPolicy, source: Option<&str>) -> DbtSources {
        let source = source.unwrap_or(DEFAULT_DBT_SOURCE);
        let criteria = policy.criteria().to_dbt();
        let results = self
            .results
            .iter()
            .map(|r| {
                let unique_id = format!("source.{source}.{}", r.table);
                match r.last_loaded_at {
                    None => DbtSourceResult::Failed(DbtFailed {
                        unique_id,
                        status: "runtime error",
                        error: format!("{}: max(loaded_at) is null (no data)", r.table),
                        criteria: criteria.clone(),
                    }),
                    Some(last) => DbtSourceResult::Judged(DbtJudged {
                        unique_id,
                        max_loaded_at: to_iso(last),
                        snapshotted_at: to_iso(r.snapshotted_at),
                        max_loaded_at_time_ago_in_s: r.age_seconds,
                        status: r.level,
                        criteria: criteria.clone(),
                        adapter_response: serde_json::Map::new(),
                        timing: Vec::new(),
                        thread_id: "fleetops",
                        execution_time: 0.0,
                    }),
                }
            })
            .collect();
        DbtSources {
            metadata: DbtMetadata {
                dbt_schema_version: "https://schemas.getdbt.com/dbt/sources/v3.json",
                generated_at: self.results.first().map(|r| to_iso(r.snapshotted_at)),
                invocation_id: None,
            },
            results,
            elapsed_time: 0.0,
        }
    }
}
