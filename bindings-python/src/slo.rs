//! `error_budget`, `period_window`, `timeslice_budget`, `BurnPolicy`, `forecast_budget`.

use fleetops::slo::{
    self as core, BurnPolicySpec, BurnTierSpec, Counts, CountsSpec, EmptySlice, Objective, PeriodSpec,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping};
use serde::Serialize;

use crate::convert::{duration, now_or_current, opt_duration, to_python};
use crate::errors::IntoPyResult;

fn json<'py>(py: Python<'py>, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    to_python(py, &serde_json::to_value(value).expect("results serialise"))
}

/// The events-based error budget of good/bad/total counts (give any two).
#[pyfunction]
#[pyo3(signature = (objective, *, good=None, bad=None, total=None, period_minutes=None))]
pub fn error_budget<'py>(
    py: Python<'py>,
    objective: f64,
    good: Option<f64>,
    bad: Option<f64>,
    total: Option<f64>,
    period_minutes: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let objective = Objective::new(objective).py()?;
    let counts = CountsSpec { good, bad, total }.build().py()?;
    json(py, &core::event_budget(objective, counts, period_minutes))
}

/// A period's bounds at `now` (`"30d"`, `"month"`, `"week"`, `"quarter"`), with the budget in
/// minutes when `objective` is given.
#[pyfunction]
#[pyo3(signature = (period, *, now=None, timezone=None, objective=None, assume_tz=None))]
pub fn period_window<'py>(
    py: Python<'py>,
    period: String,
    now: Option<Bound<'py, PyAny>>,
    timezone: Option<String>,
    objective: Option<f64>,
    assume_tz: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let period = PeriodSpec { period, timezone }.build().py()?;
    let objective = objective.map(Objective::new).transpose().py()?;
    let now = now_or_current(now.as_ref(), assume_tz)?;
    json(py, &period.window_with_budget(now, objective))
}

/// Time-slice budgeting: each `(good, total)` slice is good when its SLI meets `slice_target`.
#[pyfunction]
#[pyo3(signature = (objective, slices, *, slice_target, slice, period, empty="good"))]
pub fn timeslice_budget<'py>(
    py: Python<'py>,
    objective: f64,
    slices: Vec<(f64, f64)>,
    slice_target: f64,
    slice: Bound<'py, PyAny>,
    period: Bound<'py, PyAny>,
    empty: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let objective = Objective::new(objective).py()?;
    let target = Objective::new(slice_target).py()?;
    let slices = slices.iter().map(|&(g, t)| Counts::from_good_total(g, t)).collect::<fleetops::Result<Vec<_>>>().py()?;
    let slice = duration(&slice)?.to_delta().py()?;
    let period = duration(&period)?.to_delta().py()?;
    let empty = EmptySlice::parse(empty).py()?;
    json(py, &core::timeslice_budget(objective, target, slice, period, &slices, empty).py()?)
}

/// Where the budget is heading at a burn rate: time to exhaustion and what is left at the end.
#[pyfunction]
#[pyo3(signature = (remaining_percent, burn_rate, *, period, time_left))]
pub fn forecast_budget<'py>(
    py: Python<'py>,
    remaining_percent: f64,
    burn_rate: f64,
    period: Bound<'py, PyAny>,
    time_left: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let period = duration(&period)?.to_delta().py()?;
    let time_left = duration(&time_left)?.to_delta().py()?;
    json(py, &core::forecast(remaining_percent, burn_rate, period, time_left))
}

/// Multiwindow, multi-burn-rate alert tiers: a preset (`sre_workbook`, `sloth`, `pyrra`) or
/// explicit tiers, and a low-traffic guard.
#[pyclass(module = "fleetops", frozen, name = "BurnPolicy")]
pub struct BurnPolicy {
    inner: core::BurnPolicy,
}

#[pymethods]
impl BurnPolicy {
    #[new]
    #[pyo3(signature = (*, preset=None, period=None, tiers=None, min_events=None))]
    fn new(
        preset: Option<String>,
        period: Option<Bound<'_, PyAny>>,
        tiers: Option<Vec<Bound<'_, PyDict>>>,
        min_events: Option<u64>,
    ) -> PyResult<Self> {
        let tiers = tiers
            .map(|ts| {
                ts.iter()
                    .map(|t| {
                        let get = |k: &str| t.get_item(k);
                        let required = |k: &str| {
                            get(k)?.ok_or_else(|| {
                                crate::errors::to_py(fleetops::FleetopsError::InvalidArgument(format!("a tier needs '{k}'")))
                            })
                        };
                        Ok(BurnTierSpec {
                            name: required("name")?.extract()?,
                            severity: get("severity")?.map(|s| s.extract()).transpose()?,
                            long: duration(&required("long")?)?,
                            short: duration(&required("short")?)?,
                            factor: required("factor")?.extract()?,
                        })
                    })
                    .collect::<PyResult<Vec<_>>>()
            })
            .transpose()?;
        let spec = BurnPolicySpec { preset, period: opt_duration(period.as_ref())?, tiers, min_events };
        Ok(Self { inner: spec.build().py()? })
    }

    /// The tiers as dicts (windows in seconds).
    #[getter]
    fn tiers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json(py, &self.inner.tiers)
    }

    /// Events the long window needs before a tier may fire.
    #[getter]
    fn min_events(&self) -> u64 {
        self.inner.min_events
    }

    /// Evaluates every tier from `{window_seconds: (good, total)}`.
    fn evaluate<'py>(&self, py: Python<'py>, objective: f64, windows: Bound<'py, PyMapping>) -> PyResult<Bound<'py, PyAny>> {
        let objective = Objective::new(objective).py()?;
        let windows = windows
            .items()?
            .iter()
            .map(|item| {
                let (secs, (good, total)): (f64, (f64, f64)) = item.extract()?;
                let window = fleetops::freshness::DurationSpec::Seconds(secs).to_delta().py()?;
                Ok((window, Counts::from_good_total(good, total).py()?))
            })
            .collect::<PyResult<Vec<_>>>()?;
        json(py, &self.inner.evaluate_windows(objective, &windows).py()?)
    }
}

/// Latencies in ms in an HdrHistogram: percentiles and the share under a threshold.
#[pyclass(module = "fleetops", name = "LatencyHistogram")]
pub struct LatencyHistogram {
    inner: core::LatencyHistogram,
}

#[pymethods]
impl LatencyHistogram {
    #[new]
    #[pyo3(signature = (*, max_ms=None, significant_figures=None))]
    fn new(max_ms: Option<f64>, significant_figures: Option<u8>) -> PyResult<Self> {
        let inner = core::LatencyHistogram::new(
            max_ms.unwrap_or(core::DEFAULT_MAX_MS),
            significant_figures.unwrap_or(core::DEFAULT_SIGNIFICANT_FIGURES),
        )
        .py()?;
        Ok(Self { inner })
    }

    /// Records one latency in ms.
    fn record(&mut self, latency_ms: f64) -> PyResult<()> {
        self.inner.record(latency_ms).py()
    }

    /// Records many latencies in ms: a float64 buffer (numpy) read in place, or a sequence.
    fn record_batch(&mut self, latencies_ms: Bound<'_, PyAny>) -> PyResult<()> {
        crate::convert::with_f64_slice(&latencies_ms, |values| self.inner.record_batch(values).py())
    }

    /// Recorded latencies.
    #[getter]
    fn count(&self) -> u64 {
        self.inner.count()
    }

    /// The latency at percentile `p` (0 to 100); None when empty.
    fn percentile(&self, p: f64) -> PyResult<Option<f64>> {
        self.inner.percentile(p).py()
    }

    /// The share of latencies at or under `threshold_ms`; None when empty.
    fn fraction_under(&self, threshold_ms: f64) -> PyResult<Option<f64>> {
        self.inner.fraction_under(threshold_ms).py()
    }

    /// Count, extremes, mean, p50/p95/p99/p99.9 as a dict.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json(py, &self.inner.summary())
    }

    /// Adds another histogram's counts.
    fn merge(&mut self, other: PyRef<'_, LatencyHistogram>) -> PyResult<()> {
        self.inner.merge(&other.inner).py()
    }

    /// The saved form (versioned bytes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
        pyo3::types::PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Restores a saved histogram; bad bytes raise InvalidStateError.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self { inner: core::LatencyHistogram::from_bytes(data).py()? })
    }
}
