//! `WarehouseTables`: the tables whose freshness is read from the warehouse (a dbt manifest or
//! a list), their one query for a dialect, and the judgement of what the query gave. Running
//! the query on a DB-API connection is `fleetops/warehouse.py`'s.

use fleetops::freshness::warehouse::{self as core, Dialect, TableSourceSpec, WarehouseTable};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert::{now_or_current, opt_timestamp, plain, spec};
use crate::errors::IntoPyResult;
use crate::freshness::{policy_or_runbook, FreshnessPolicy};

/// The tables of a warehouse whose freshness fleetops reads, and how.
#[pyclass(module = "fleetops", frozen, name = "WarehouseTables")]
pub struct WarehouseTables {
    tables: Vec<WarehouseTable>,
}

#[pymethods]
impl WarehouseTables {
    /// Tables listed by hand: each `{identifier, schema?, database?, name?, column | query,
    /// filter?, warn_after?, error_after?}`.
    #[new]
    fn new(tables: Bound<'_, PyAny>) -> PyResult<Self> {
        crate::errors::guard(|| {
            let specs: Vec<TableSourceSpec> = spec(plain(&tables)?)?;
            let tables = specs.iter().map(TableSourceSpec::build).collect::<fleetops::Result<Vec<_>>>().py()?;
            Ok(Self { tables })
        })
    }

    /// The fresh-checked source tables of a dbt project's `target/manifest.json` (its text).
    #[staticmethod]
    fn from_manifest(text: crate::args::Text) -> PyResult<Self> {
        crate::errors::guard(|| Ok(Self { tables: core::tables_from_manifest(&text.0).py()? }))
    }

    /// The tables' names, as results carry them.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.tables.iter().map(|t| t.name.clone()).collect()
    }

    /// The one query reading every table's last load time (`UNION ALL`), for `dialect`
    /// (`duckdb` or `postgres`): rows of `(table_name, max_loaded_at)`.
    #[pyo3(signature = (dialect="duckdb"))]
    fn query(&self, dialect: &str) -> PyResult<String> {
        crate::errors::guard(|| core::freshness_query(&self.tables, Dialect::parse(dialect).py()?).py())
    }

    /// The statement bounding the session's statements to `seconds` (PostgreSQL's
    /// `statement_timeout`), or None where the engine has none (DuckDB: interrupt it).
    #[pyo3(signature = (dialect, seconds))]
    fn timeout_statement(&self, dialect: &str, seconds: f64) -> PyResult<Option<String>> {
        crate::errors::guard(|| Dialect::parse(dialect).py()?.statement_timeout(seconds).py())
    }

    /// Each table's own query, `[(name, query)]`: to find which table a failed query failed on.
    #[pyo3(signature = (dialect="duckdb"))]
    fn table_queries(&self, dialect: &str) -> PyResult<Vec<(String, String)>> {
        crate::errors::guard(|| {
            let dialect = Dialect::parse(dialect).py()?;
            self.tables.iter().map(|t| Ok((t.name.clone(), core::table_query(t, dialect).py()?))).collect()
        })
    }

    /// Judges what was read: `values` maps a table's name to its last load time (None: no
    /// rows), `errors` a table's name to why it could not be read (that table is `error`).
    #[pyo3(signature = (values, errors=None, *, now=None, policy=None, assume_tz=None))]
    fn judge<'py>(
        &self,
        py: Python<'py>,
        values: Bound<'py, PyDict>,
        errors: Option<Bound<'py, PyDict>>,
        now: Option<Bound<'py, PyAny>>,
        policy: Option<crate::args::Class<'py, FreshnessPolicy>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| {
            let tz = assume_tz.as_deref();
            let mut reads: Vec<(String, core::TableRead)> = Vec::new();
            for (name, value) in values.iter() {
                let name = name.cast::<PyString>()?.to_str()?.to_owned();
                if tz.is_none() && is_naive(&value) {
                    // A `timestamp without time zone` column: its zone must be stated.
                    let column = self.tables.iter().find(|t| t.name == name).map(|t| match &t.loaded_at {
                        core::LoadedAt::Column(c) => format!("column '{c}'"),
                        core::LoadedAt::Query(_) => "loaded_at_query".to_owned(),
                    });
                    return Err(crate::errors::to_py(fleetops::FleetopsError::NaiveTimestamp(format!(
                        "table '{name}' {}: a timestamp without time zone; pass assume_tz with the zone it is written in",
                        column.unwrap_or_else(|| "value".to_owned())
                    ))));
                }
                reads.push((name, Ok(opt_timestamp(Some(&value), tz)?)));
            }
            for (name, reason) in errors.iter().flat_map(|e| e.iter()) {
                let name = name.cast::<PyString>()?.to_str()?.to_owned();
                reads.retain(|(n, _)| *n != name);
                reads.push((name, Err(reason.str()?.to_str()?.to_owned())));
            }
            let now = now_or_current(now.as_ref(), tz)?;
            let policy = policy_or_runbook(policy.as_ref().map(|p| &p.0));
            crate::pyser::to_py(py, &core::judge(&policy, &self.tables, &reads, now).py()?)
        })
    }

    fn __len__(&self) -> usize {
        self.tables.len()
    }
}

/// Whether `value` is a datetime without a zone.
fn is_naive(value: &Bound<'_, PyAny>) -> bool {
    use pyo3::types::{PyDateTime, PyTzInfoAccess};
    value.cast::<PyDateTime>().is_ok_and(|d| d.get_tzinfo().is_none())
}
