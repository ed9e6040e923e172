//! `FreshnessPolicy`, `LoadSchedule`, `classify_tables`, `dbt_sources`, `check_cadence`.

use fleetops::freshness::{
    self as core, FreshnessPolicy as CorePolicy, LoadSchedule as CoreSchedule, PolicySpec, ScheduleSpec, TableInput,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyMapping, PyString};

use crate::convert::{given, now_or_current, opt_timestamp, spec, timestamp};
use crate::errors::IntoPyResult;

/// How a table's age is judged: tiers, dbt warn/error limits, staleness, clock skew.
#[pyclass(module = "fleetops", frozen, name = "FreshnessPolicy")]
pub struct FreshnessPolicy {
    pub inner: CorePolicy,
}

#[pymethods]
impl FreshnessPolicy {
    #[new]
    #[pyo3(signature = (*, preset=None, tiers=None, warn_after=None, error_after=None, stale_after=None, clock_skew_tolerance=None, missing_level=None, future_level=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        preset: Option<Bound<'_, PyAny>>,
        tiers: Option<Bound<'_, PyAny>>,
        warn_after: Option<Bound<'_, PyAny>>,
        error_after: Option<Bound<'_, PyAny>>,
        stale_after: Option<Bound<'_, PyAny>>,
        clock_skew_tolerance: Option<Bound<'_, PyAny>>,
        missing_level: Option<Bound<'_, PyAny>>,
        future_level: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guard(|| {
            let spec: PolicySpec = spec(given!(
                preset,
                tiers,
                warn_after,
                error_after,
                stale_after,
                clock_skew_tolerance,
                missing_level,
                future_level
            ))?;
            Ok(Self { inner: spec.build().py()? })
        })
    }

    /// The runbooks' policy: tiers 60/360/720 min, warn > 360 min, error > 720 min, stale > 3 h.
    #[staticmethod]
    fn runbook() -> PyResult<Self> {
        crate::errors::guard(|| Ok(Self { inner: CorePolicy::runbook() }))
    }

    /// Every class a result can have: the tiers, then MISSING and FUTURE.
    #[getter]
    fn class_names(&self) -> PyResult<Vec<&str>> {
        crate::errors::guard(|| Ok(self.inner.class_names()))
    }

    /// Classifies one table from its last load time (None: never loaded).
    #[pyo3(signature = (last_loaded_at, *, now=None, table=None, assume_tz=None))]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        last_loaded_at: Option<Bound<'py, PyAny>>,
        now: Option<Bound<'py, PyAny>>,
        table: Option<crate::args::Text>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(table, assume_tz);
        let table = table.unwrap_or_default();
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref(), assume_tz.as_deref())?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            crate::pyser::to_py(py, &self.inner.classify(&table, last, now))
        })
    }

    /// Classes of many ages in seconds (a float64 buffer such as a numpy array, or any
    /// sequence of numbers), in one call.
    fn classify_ages<'py>(&self, py: Python<'py>, ages: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        crate::errors::guard(|| {
            let classes = self.codes(&ages)?;
            let names: Vec<Bound<'py, PyString>> =
                self.inner.class_names().into_iter().map(|n| PyString::intern(py, n)).collect();
            PyList::new(py, classes.iter().map(|&c| &names[c as usize]))
        })
    }

    /// Like `classify_ages`, but one byte per age: the index of its class in `class_names`.
    fn classify_age_codes<'py>(&self, py: Python<'py>, ages: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
        crate::errors::guard(|| Ok(PyBytes::new(py, &self.codes(&ages)?)))
    }

    fn __repr__(&self) -> String {
        format!("FreshnessPolicy(classes={:?})", self.inner.class_names())
    }
}

impl FreshnessPolicy {
    /// Class indices of a float64 buffer (read in place) or a sequence of numbers.
    fn codes(&self, ages: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
        crate::convert::with_f64_slice(ages, |values| {
            let mut classes = Vec::new();
            self.inner.classify_ages(values, &mut classes).py()?;
            Ok(classes)
        })
    }
}

/// When loads are expected: a cron expression in a time zone, late after a delay.
#[pyclass(module = "fleetops", frozen, name = "LoadSchedule")]
pub struct LoadSchedule {
    inner: CoreSchedule,
}

#[pymethods]
impl LoadSchedule {
    #[new]
    #[pyo3(signature = (cron, *, timezone=None, allowed_delay=None, maintenance=None))]
    fn new(
        cron: Bound<'_, PyAny>,
        timezone: Option<Bound<'_, PyAny>>,
        allowed_delay: Option<Bound<'_, PyAny>>,
        maintenance: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guard(|| {
            let cron = Some(cron);
            let spec: ScheduleSpec = spec(given!(cron, timezone, allowed_delay, maintenance))?;
            Ok(Self { inner: spec.build().py()? })
        })
    }

    /// Where a table stands against the schedule at `now`.
    #[pyo3(signature = (last_loaded_at, *, now=None, assume_tz=None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        last_loaded_at: Option<Bound<'py, PyAny>>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref(), assume_tz.as_deref())?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            crate::pyser::to_py(py, &self.inner.check(last, now))
        })
    }

    fn __repr__(&self) -> String {
        format!("LoadSchedule({:?}, timezone={:?})", self.inner.expression(), self.inner.time_zone())
    }
}

/// Tables as a mapping `{name: last_loaded_at}` or a sequence of dicts
/// `{"table", "last_loaded_at", "history", "schedule"}`.
///
/// As in Node, the whole argument is read for its shape first (every string valid Unicode,
/// every record a dict with a string `table`) before any table is judged, so that the same bad
/// call fails with the same code in both languages.
fn tables(obj: &Bound<'_, PyAny>, assume_tz: Option<&str>) -> PyResult<Vec<TableInput>> {
    crate::convert::check_unicode(obj, "tables")?;
    if let Ok(map) = obj.cast::<PyMapping>() {
        let mut out = map
            .items()?
            .iter()
            .map(|item| {
                let (name, last) = (item.get_item(0)?.extract::<crate::args::Text>()?.0, item.get_item(1)?);
                Ok(TableInput::new(&name, opt_timestamp(Some(&last), assume_tz)?))
            })
            .collect::<PyResult<Vec<_>>>()?;
        core::record_order(&mut out);
        return Ok(out);
    }
    for item in crate::args::items(obj)? {
        let item = item?;
        if let Ok(d) = item.cast::<PyDict>() {
            match d.get_item("table")?.filter(|n| !n.is_none()) {
                Some(name) if name.extract::<crate::args::Text>().is_ok() => {}
                _ => {
                    return Err(crate::errors::to_py(fleetops::FleetopsError::InvalidArgument(
                        "a table needs a 'table' name (a string)".into(),
                    )))
                }
            }
        }
    }
    let mut out = Vec::new();
    for item in crate::args::items(obj)? {
        let item = item?;
        let d = item.cast::<PyDict>().map_err(|_| {
            crate::errors::to_py(fleetops::FleetopsError::InvalidArgument(
                "each table must be a dict with 'table' and 'last_loaded_at'".into(),
            ))
        })?;
        let get = |k: &str| d.get_item(k);
        // `table`, as in the core's TableSpec and in Node (`name` was a Python-only alias).
        let name = get("table")?.filter(|n| !n.is_none()).ok_or_else(|| {
            crate::errors::to_py(fleetops::FleetopsError::InvalidArgument(
                "a table needs a 'table' name (a string)".into(),
            ))
        })?;
        let name = name.extract::<crate::args::Text>()?.0;
        let history = get("history")?
            .filter(|h| !h.is_none())
            .map(|h| crate::args::items(&h)?.map(|t| timestamp(&t?, assume_tz)).collect::<PyResult<Vec<_>>>())
            .transpose()?;
        let schedule = match get("schedule")? {
            Some(s) if !s.is_none() => Some(match s.cast::<LoadSchedule>() {
                Ok(sched) => sched.get().inner.clone(),
                Err(_) => spec::<ScheduleSpec>(crate::convert::plain(&s)?)?.build().py()?,
            }),
            _ => None,
        };
        let last = opt_timestamp(get("last_loaded_at")?.as_ref(), assume_tz)?;
        out.push(TableInput { name, last_loaded_at: last, history, schedule });
    }
    Ok(out)
}

pub(crate) fn policy_or_runbook(policy: Option<&Bound<'_, FreshnessPolicy>>) -> CorePolicy {
    policy.map_or_else(CorePolicy::runbook, |p| p.get().inner.clone())
}

/// The policy used and the report of `classify_tables` / `dbt_sources`.
fn batch_report(
    tables: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, FreshnessPolicy>>,
    now: Option<&Bound<'_, PyAny>>,
    assume_tz: Option<&str>,
    spec: &core::BatchSpec,
) -> PyResult<(CorePolicy, core::FreshnessReport)> {
    // In Node's order: the options (read by the caller), the tables, `now`, then the cadence
    // options' values.
    let inputs = self::tables(tables, assume_tz)?;
    let now = now_or_current(now, assume_tz)?;
    let policy = policy_or_runbook(policy);
    let cadence = spec.cadence.unwrap_or_default().build().py()?;
    let report = core::classify_tables(&policy, &inputs, now, &cadence).py()?;
    Ok((policy, report))
}

/// Classifies many tables in one call: one result per table plus a summary.
#[pyfunction]
#[pyo3(signature = (tables, *, policy=None, now=None, assume_tz=None, cadence=None))]
pub fn classify_tables<'py>(
    py: Python<'py>,
    tables: Bound<'py, PyAny>,
    policy: Option<crate::args::Class<'py, FreshnessPolicy>>,
    now: Option<Bound<'py, PyAny>>,
    assume_tz: Option<crate::args::Text>,
    cadence: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(assume_tz);
    crate::errors::guard(|| {
        let spec = spec(given!(cadence))?;
        let (_, report) =
            batch_report(&tables, policy.as_ref().map(|p| &p.0), now.as_ref(), assume_tz.as_deref(), &spec)?;
        crate::pyser::to_py(py, &report)
    })
}

/// The same batch in the shape of dbt's `sources.json`.
#[pyfunction]
#[pyo3(signature = (tables, *, policy=None, now=None, source=None, assume_tz=None, cadence=None))]
pub fn dbt_sources<'py>(
    py: Python<'py>,
    tables: Bound<'py, PyAny>,
    policy: Option<crate::args::Class<'py, FreshnessPolicy>>,
    now: Option<Bound<'py, PyAny>>,
    source: Option<Bound<'py, PyAny>>,
    assume_tz: Option<crate::args::Text>,
    cadence: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(assume_tz);
    crate::errors::guard(|| {
        let spec: core::BatchSpec = spec(given!(cadence, source))?;
        let (policy, report) =
            batch_report(&tables, policy.as_ref().map(|p| &p.0), now.as_ref(), assume_tz.as_deref(), &spec)?;
        crate::pyser::to_py(py, &report.to_dbt_sources(&policy, spec.source.as_deref()))
    })
}

/// Learns a table's cadence from its load history and checks the current gap.
#[pyfunction]
#[pyo3(signature = (history, *, now=None, min_intervals=None, spread_factor=None, min_slack_ratio=None, clock_skew_tolerance=None, assume_tz=None))]
#[allow(clippy::too_many_arguments)]
pub fn check_cadence<'py>(
    py: Python<'py>,
    history: Bound<'py, PyAny>,
    now: Option<Bound<'py, PyAny>>,
    min_intervals: Option<Bound<'py, PyAny>>,
    spread_factor: Option<Bound<'py, PyAny>>,
    min_slack_ratio: Option<Bound<'py, PyAny>>,
    clock_skew_tolerance: Option<Bound<'py, PyAny>>,
    assume_tz: Option<crate::args::Text>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(assume_tz);
    crate::errors::guard(|| {
        // In Node's order: the options, the history, `now`, then the options' values.
        let spec: core::CheckCadenceSpec =
            spec(given!(min_intervals, spread_factor, min_slack_ratio, clock_skew_tolerance))?;
        let history = crate::args::items(&history)?
            .map(|t| timestamp(&t?, assume_tz.as_deref()))
            .collect::<PyResult<Vec<_>>>()?;
        let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
        let check = spec.check(&history, now).py()?;
        crate::pyser::to_py(py, &check)
    })
}
