//! `FreshnessPolicy`, `LoadSchedule`, `classify_tables`, `dbt_sources`, `check_cadence`.

use fleetops::freshness::{
    self as core, CadenceSpec, FreshnessPolicy as CorePolicy, LoadSchedule as CoreSchedule, PolicySpec, ScheduleSpec,
    TableInput, TierSpec,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyMapping, PyString};

use crate::convert::{duration, now_or_current, opt_duration, opt_timestamp, timestamp, to_python};
use crate::errors::IntoPyResult;

/// How a table's age is judged: tiers, dbt warn/error limits, staleness, clock skew.
#[pyclass(module = "fleetops", frozen, name = "FreshnessPolicy")]
pub struct FreshnessPolicy {
    pub inner: CorePolicy,
}

#[pymethods]
impl FreshnessPolicy {
    #[new]
    #[pyo3(signature = (*, preset=None, tiers=None, warn_after=None, error_after=None, stale_after=None, clock_skew_tolerance=None, missing_level=None, future_level=None, **unknown))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        preset: Option<crate::args::Text>,
        tiers: Option<crate::args::List<crate::args::Any<'_>>>,
        warn_after: Option<Bound<'_, PyAny>>,
        error_after: Option<Bound<'_, PyAny>>,
        stale_after: Option<Bound<'_, PyAny>>,
        clock_skew_tolerance: Option<Bound<'_, PyAny>>,
        missing_level: Option<crate::args::Text>,
        future_level: Option<crate::args::Text>,
        unknown: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Self> {
        crate::args::no_unknown(unknown)?;
        crate::args::plain!(preset, missing_level, future_level);
        crate::errors::guard(|| {
            let tiers = tiers.map(|ts| ts.0.iter().map(|t| tier(&t.0)).collect::<PyResult<Vec<_>>>()).transpose()?;
            let spec = PolicySpec {
                preset,
                tiers,
                warn_after: opt_duration(warn_after.as_ref())?,
                error_after: opt_duration(error_after.as_ref())?,
                stale_after: opt_duration(stale_after.as_ref())?,
                clock_skew_tolerance: opt_duration(clock_skew_tolerance.as_ref())?,
                missing_level,
                future_level,
            };
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
    #[pyo3(signature = (last_loaded_at, *, now=None, table=None, assume_tz=None, **unknown))]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        last_loaded_at: Option<Bound<'py, PyAny>>,
        now: Option<Bound<'py, PyAny>>,
        table: Option<crate::args::Text>,
        assume_tz: Option<crate::args::Text>,
        unknown: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::no_unknown(unknown)?;
        crate::args::plain!(table, assume_tz);
        let table = table.unwrap_or_default();
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref(), assume_tz.as_deref())?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            to_python(py, &fleetops::wire::to_value(&self.inner.classify(&table, last, now)).py()?)
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
    #[pyo3(signature = (cron, *, timezone=None, allowed_delay=None, **unknown))]
    fn new(
        cron: crate::args::Text,
        timezone: Option<crate::args::Text>,
        allowed_delay: Option<Bound<'_, PyAny>>,
        unknown: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Self> {
        crate::args::no_unknown(unknown)?;
        crate::args::plain!(cron, timezone);
        crate::errors::guard(|| {
            let spec = ScheduleSpec { cron, timezone, allowed_delay: opt_duration(allowed_delay.as_ref())? };
            Ok(Self { inner: spec.build().py()? })
        })
    }

    /// Where a table stands against the schedule at `now`.
    #[pyo3(signature = (last_loaded_at, *, now=None, assume_tz=None, **unknown))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        last_loaded_at: Option<Bound<'py, PyAny>>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
        unknown: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::no_unknown(unknown)?;
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref(), assume_tz.as_deref())?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            to_python(py, &fleetops::wire::to_value(&self.inner.check(last, now)).py()?)
        })
    }

    fn __repr__(&self) -> String {
        format!("LoadSchedule({:?}, timezone={:?})", self.inner.expression(), self.inner.time_zone())
    }
}

/// A tier as `(name, max_age)` or, as in Node, `{"name": ..., "max_age": ...}`; `max_age` None
/// for the last, catch-all tier.
fn tier(t: &Bound<'_, PyAny>) -> PyResult<TierSpec> {
    if let Ok(d) = t.cast::<PyDict>() {
        let unknown: Vec<String> =
            d.keys().iter().map(|k| k.to_string()).filter(|k| !TierSpec::FIELDS.contains(&k.as_str())).collect();
        if !unknown.is_empty() {
            return Err(crate::errors::to_py(fleetops::wire::unknown_options(&unknown)));
        }
        let name = d.get_item("name")?.ok_or_else(|| {
            crate::errors::to_py(fleetops::FleetopsError::InvalidArgument("a tier needs a 'name'".into()))
        })?;
        let max_age = d.get_item("max_age")?;
        return Ok(TierSpec::Pair(name.extract::<crate::args::Text>()?.0, opt_duration(max_age.as_ref())?));
    }
    let crate::args::Pair(name, max_age) = t.extract::<crate::args::Pair<crate::args::Text, crate::args::Any<'_>>>()?;
    Ok(TierSpec::Pair(name.0, opt_duration(Some(&max_age.0))?))
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
    for item in obj.try_iter()? {
        let item = item?;
        if let Ok(d) = item.cast::<PyDict>() {
            // What Node's conversion of a table record checks: the types of its text fields.
            if let Some(s) = d.get_item("schedule")?.filter(|s| !s.is_none()) {
                if let Ok(s) = s.cast::<PyDict>() {
                    for k in ["cron", "timezone"] {
                        if let Some(v) = s.get_item(k)?.filter(|v| !v.is_none()) {
                            v.extract::<crate::args::Text>()?;
                        }
                    }
                }
            }
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
    for item in obj.try_iter()? {
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
            .map(|h| h.try_iter()?.map(|t| timestamp(&t?, assume_tz)).collect::<PyResult<Vec<_>>>())
            .transpose()?;
        let schedule = match get("schedule")? {
            Some(s) if !s.is_none() => Some(match s.cast::<LoadSchedule>() {
                Ok(sched) => sched.get().inner.clone(),
                Err(_) => {
                    let d = s.extract::<crate::args::Dict<'_>>()?.0;
                    let text = |k: &str| -> PyResult<Option<String>> {
                        let v = d.get_item(k)?.filter(|v| !v.is_none());
                        Ok(v.map(|v| v.extract::<crate::args::Text>()).transpose()?.map(|t| t.0))
                    };
                    let spec = ScheduleSpec {
                        cron: text("cron")?.unwrap_or_default(),
                        timezone: text("timezone")?,
                        allowed_delay: opt_duration(d.get_item("allowed_delay")?.as_ref())?,
                    };
                    spec.build().py()?
                }
            }),
            _ => None,
        };
        let last = opt_timestamp(get("last_loaded_at")?.as_ref(), assume_tz)?;
        out.push(TableInput { name, last_loaded_at: last, history, schedule });
    }
    Ok(out)
}

/// Cadence options as numbers (their types checked when the call is read, as Node's
/// conversion does); their values are judged by [`cadence_options`] after the tables.
fn cadence_numbers(cadence: Option<&Bound<'_, PyDict>>) -> PyResult<[Option<f64>; 3]> {
    let Some(d) = cadence else { return Ok([None; 3]) };
    // Field by field (not through JSON) so that a NaN reaches the core's checks, as from Node.
    let num = |k: &str| -> PyResult<Option<f64>> {
        let v = d.get_item(k)?.filter(|v| !v.is_none());
        Ok(v.map(|v| v.extract::<crate::args::Num>()).transpose()?.map(|n| n.0))
    };
    Ok([num("min_intervals")?, num("spread_factor")?, num("min_slack_ratio")?])
}

/// `min_intervals` as a count, by the core's rule.
fn intervals(n: Option<f64>) -> PyResult<Option<usize>> {
    let count = |n| {
        let c = fleetops::wire::count_from_f64(n, "min_intervals")?;
        fleetops::wire::count_at_most(c, usize::MAX as u64, "min_intervals")
    };
    Ok(n.map(count).transpose().py()?.map(|n| n as usize))
}

/// The cadence options the numbers make, by the core's rules.
fn cadence_options(
    [min_intervals, spread_factor, min_slack_ratio]: [Option<f64>; 3],
) -> PyResult<core::CadenceOptions> {
    CadenceSpec { min_intervals: intervals(min_intervals)?, spread_factor, min_slack_ratio }.build().py()
}

fn policy_or_runbook(policy: Option<&Bound<'_, FreshnessPolicy>>) -> CorePolicy {
    policy.map_or_else(CorePolicy::runbook, |p| p.get().inner.clone())
}

/// The policy used and the report of `classify_tables` / `dbt_sources`.
fn batch_report(
    tables: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, FreshnessPolicy>>,
    now: Option<&Bound<'_, PyAny>>,
    assume_tz: Option<&str>,
    cadence: Option<&Bound<'_, PyDict>>,
) -> PyResult<(CorePolicy, core::FreshnessReport)> {
    // In Node's order: the arguments' types, the tables, `now`, then the cadence options' values.
    let numbers = cadence_numbers(cadence)?;
    let inputs = self::tables(tables, assume_tz)?;
    let now = now_or_current(now, assume_tz)?;
    let policy = policy_or_runbook(policy);
    let report = core::classify_tables(&policy, &inputs, now, &cadence_options(numbers)?).py()?;
    Ok((policy, report))
}

/// Classifies many tables in one call: one result per table plus a summary.
#[pyfunction]
#[pyo3(signature = (tables, *, policy=None, now=None, assume_tz=None, cadence=None, **unknown))]
pub fn classify_tables<'py>(
    py: Python<'py>,
    tables: Bound<'py, PyAny>,
    policy: Option<crate::args::Class<'py, FreshnessPolicy>>,
    now: Option<Bound<'py, PyAny>>,
    assume_tz: Option<crate::args::Text>,
    cadence: Option<crate::args::Dict<'py>>,
    unknown: Option<&Bound<'_, pyo3::types::PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::no_unknown(unknown)?;
    crate::args::plain!(cadence, assume_tz);
    crate::errors::guard(|| {
        let (_, report) =
            batch_report(&tables, policy.as_ref().map(|p| &p.0), now.as_ref(), assume_tz.as_deref(), cadence.as_ref())?;
        to_python(py, &fleetops::wire::to_value(&report).py()?)
    })
}

/// The same batch in the shape of dbt's `sources.json`.
#[pyfunction]
#[pyo3(signature = (tables, *, policy=None, now=None, source=None, assume_tz=None, cadence=None, **unknown))]
pub fn dbt_sources<'py>(
    py: Python<'py>,
    tables: Bound<'py, PyAny>,
    policy: Option<crate::args::Class<'py, FreshnessPolicy>>,
    now: Option<Bound<'py, PyAny>>,
    source: Option<crate::args::Text>,
    assume_tz: Option<crate::args::Text>,
    cadence: Option<crate::args::Dict<'py>>,
    unknown: Option<&Bound<'_, pyo3::types::PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::no_unknown(unknown)?;
    crate::args::plain!(cadence, source, assume_tz);
    crate::errors::guard(|| {
        let (policy, report) =
            batch_report(&tables, policy.as_ref().map(|p| &p.0), now.as_ref(), assume_tz.as_deref(), cadence.as_ref())?;
        to_python(py, &fleetops::wire::to_value(&report.to_dbt_sources(&policy, source.as_deref())).py()?)
    })
}

/// Learns a table's cadence from its load history and checks the current gap.
#[pyfunction]
#[pyo3(signature = (history, *, now=None, min_intervals=None, spread_factor=None, min_slack_ratio=None, clock_skew_tolerance=None, assume_tz=None, **unknown))]
#[allow(clippy::too_many_arguments)]
pub fn check_cadence<'py>(
    py: Python<'py>,
    history: Bound<'py, PyAny>,
    now: Option<Bound<'py, PyAny>>,
    min_intervals: Option<crate::args::Num>,
    spread_factor: Option<crate::args::Num>,
    min_slack_ratio: Option<crate::args::Num>,
    clock_skew_tolerance: Option<Bound<'py, PyAny>>,
    assume_tz: Option<crate::args::Text>,
    unknown: Option<&Bound<'_, pyo3::types::PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::no_unknown(unknown)?;
    crate::args::plain!(min_intervals, spread_factor, min_slack_ratio, assume_tz);
    crate::errors::guard(|| {
        let history =
            history.try_iter()?.map(|t| timestamp(&t?, assume_tz.as_deref())).collect::<PyResult<Vec<_>>>()?;
        let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
        // In Node's order: the count, the skew, then the options' values.
        let min_intervals = intervals(min_intervals)?;
        let skew = match clock_skew_tolerance {
            Some(d) => duration(&d)?.to_delta().py()?,
            None => core::DEFAULT_CLOCK_SKEW,
        };
        let options = CadenceSpec { min_intervals, spread_factor, min_slack_ratio }.build().py()?;
        let check = core::check_cadence(&history, now, skew, &options).py()?;
        to_python(py, &fleetops::wire::to_value(&check).py()?)
    })
}
