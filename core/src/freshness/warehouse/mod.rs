//! Freshness read from the warehouse itself: which tables (a dbt project's `manifest.json`, or
//! a list of relations), and the one query that reads every table's `MAX(loaded_at)` in a single
//! round trip (the runbook's `UNION ALL`), written for the engine's SQL dialect with every
//! identifier quoted and every label a string literal, so a table name from a manifest can never
//! inject SQL. `loaded_at_query` and `filter` are the user's own SQL by design (dbt's
//! semantics): they are placed as written, in parentheses.
//!
//! Running the query is the binding's (a DB-API connection in Python); judging the values is
//! [`super::classify_tables`]'s, with each dbt source's own `warn_after` / `error_after`.

mod judge;
mod manifest;
mod sql;

pub use judge::{judge, TableRead};
pub use manifest::{tables_from_manifest, MAX_MANIFEST_BYTES};
pub use sql::{freshness_query, quote_ident, quote_literal, table_query, Dialect};

use super::criteria::Limit;

/// The most tables one query reads; a larger list is refused (split it).
pub const MAX_TABLES: usize = 10_000;

/// How long one statement reading a warehouse may run unless told otherwise (seconds): the one
/// query, and each per-table query that follows when it fails.
pub const DEFAULT_QUERY_TIMEOUT_SECONDS: f64 = 60.0;

/// How often a binding that interrupts a query itself (DuckDB) looks at the clock (ms): short
/// against any timeout, long enough not to spin.
pub const INTERRUPT_POLL_MS: u64 = 10;

/// Where a table's last load time comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadedAt {
    /// `MAX(<column>)`: the column's name, quoted for the dialect.
    Column(String),
    /// A query of the user's returning one timestamp (dbt 1.10's `loaded_at_query`), placed
    /// as written.
    Query(String),
}

/// One table whose freshness is read from the warehouse.
#[derive(Debug, Clone, PartialEq)]
pub struct WarehouseTable {
    /// The name results carry (`source.table` for a dbt source).
    pub name: String,
    /// Database (catalog), if the relation names one.
    pub database: Option<String>,
    /// Schema, if the relation names one.
    pub schema: Option<String>,
    /// The table's identifier in the warehouse.
    pub identifier: String,
    /// Where its last load time comes from.
    pub loaded_at: LoadedAt,
    /// A `WHERE` condition of the user's (dbt's `freshness.filter`), placed as written.
    pub filter: Option<String>,
    /// The table's own `warn_after`, when its source declares one (dbt).
    pub warn_after: Option<Limit>,
    /// The table's own `error_after`, when its source declares one (dbt).
    pub error_after: Option<Limit>,
}

/// A table listed by hand (Python's `WarehouseTables([...])`, fleetops.toml), as options.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableSourceSpec {
    /// The name results carry (default: `schema.identifier`, or the identifier).
    pub name: Option<String>,
    /// Database (catalog).
    pub database: Option<String>,
    /// Schema.
    pub schema: Option<String>,
    /// The table's identifier in the warehouse.
    pub identifier: String,
    /// The load-time column (`MAX` of it is read); one of `column` and `query`.
    pub column: Option<String>,
    /// A query of the user's returning the last load time, instead of a column.
    pub query: Option<String>,
    /// A `WHERE` condition of the user's.
    pub filter: Option<String>,
    /// The table's own warn limit (default: the policy's).
    pub warn_after: Option<crate::freshness::DurationSpec>,
    /// The table's own error limit (default: the policy's).
    pub error_after: Option<crate::freshness::DurationSpec>,
}

impl TableSourceSpec {
    /// The table, checked: one of `column` and `query`.
    pub fn build(&self) -> crate::Result<WarehouseTable> {
        let loaded_at = match (&self.column, &self.query) {
            (Some(c), None) => LoadedAt::Column(c.clone()),
            (None, Some(q)) => LoadedAt::Query(q.clone()),
            _ => {
                return Err(crate::FleetopsError::InvalidArgument(format!(
                    "table '{}': give one of column and query",
                    self.identifier
                )))
            }
        };
        let limit = |d: &Option<crate::freshness::DurationSpec>| d.as_ref().map(|d| d.to_limit()).transpose();
        Ok(WarehouseTable {
            name: self.name.clone().unwrap_or_else(|| match &self.schema {
                Some(s) => format!("{s}.{}", self.identifier),
                None => self.identifier.clone(),
            }),
            database: self.database.clone(),
            schema: self.schema.clone(),
            identifier: self.identifier.clone(),
            loaded_at,
            filter: self.filter.clone(),
            warn_after: limit(&self.warn_after)?,
            error_after: limit(&self.error_after)?,
        })
    }
}
