//! `error_budget`, `period_window`, `timeslice_budget`, `BurnPolicy`, `forecast_budget`.

use fleetops::slo::{self as core, BurnPolicySpec, Counts, CountsSpec, Objective};
use pyo3::prelude::*;

use crate::engine::Engine;

use crate::convert::{duration, given, now_or_current, spec};
use crate::errors::IntoPyResult;

use crate::pyser::to_py as json;

/// The events-based error budget of good/bad/total counts (give any two).
#[pyfunction]
#[pyo3(signature = (objective, *, good=None, bad=None, total=None, period_minutes=None))]
pub fn error_budget<'py>(
    py: Python<'py>,
    objective: crate::args::Num,
    good: Option<Bound<'py, PyAny>>,
    bad: Option<Bound<'py, PyAny>>,
    total: Option<Bound<'py, PyAny>>,
    period_minutes: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(objective);
    crate::errors::guard(|| {
        let spec: core::EventBudgetSpec = spec(given!(good, bad, total, period_minutes))?;
        let objective = Objective::new(objective).py()?;
        json(py, &spec.budget(objective).py()?)
    })
}

/// The deploy gate on counts alone: `["budget overspent (N % used)"]` when the budget is spent
/// and `fail_on` (default `["overspent", "page"]`) holds `"overspent"`, else `[]`.
#[pyfunction]
#[pyo3(signature = (objective, *, good=None, bad=None, total=None, fail_on=None))]
pub fn error_budget_gate(
    objective: crate::args::Num,
    good: Option<Bound<'_, PyAny>>,
    bad: Option<Bound<'_, PyAny>>,
    total: Option<Bound<'_, PyAny>>,
    fail_on: Option<crate::args::List<crate::args::Text>>,
) -> PyResult<Vec<String>> {
    crate::args::plain!(objective, fail_on);
    crate::errors::guard(|| {
        let spec: CountsSpec = spec(given!(good, bad, total))?;
        let objective = Objective::new(objective).py()?;
        let counts = spec.build().py()?;
        let fail_on: Option<Vec<&str>> = fail_on.as_ref().map(|f| f.iter().map(String::as_str).collect());
        Ok(core::event_budget(objective, counts, None).py()?.gate_problems(fail_on.as_deref()))
    })
}

/// A period's bounds at `now` (`"30d"`, `"month"`, `"week"`, `"quarter"`), with the budget in
/// minutes when `objective` is given.
#[pyfunction]
#[pyo3(signature = (period, *, now=None, timezone=None, objective=None, assume_tz=None))]
pub fn period_window<'py>(
    py: Python<'py>,
    period: Bound<'py, PyAny>,
    now: Option<Bound<'py, PyAny>>,
    timezone: Option<Bound<'py, PyAny>>,
    objective: Option<Bound<'py, PyAny>>,
    assume_tz: Option<crate::args::Text>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(assume_tz);
    crate::errors::guard(|| {
        let period = Some(period);
        let spec: core::PeriodWindowSpec = spec(given!(period, timezone, objective))?;
        let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
        json(py, &spec.window(now).py()?)
    })
}

/// Time-slice budgeting: each `(good, total)` slice is good when its SLI meets `slice_target`.
#[pyfunction]
#[pyo3(signature = (objective, slices, *, slice_target, slice, period, empty=None))]
pub fn timeslice_budget<'py>(
    py: Python<'py>,
    objective: crate::args::Num,
    slices: crate::args::List<crate::args::Pair<crate::args::Num, crate::args::Num>>,
    slice_target: Bound<'py, PyAny>,
    slice: Bound<'py, PyAny>,
    period: Bound<'py, PyAny>,
    empty: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(objective, slices);
    crate::errors::guard(|| {
        let (slice_target, slice, period) = (Some(slice_target), Some(slice), Some(period));
        let spec: core::TimesliceSpec = spec(given!(slice_target, slice, period, empty))?;
        let objective = Objective::new(objective).py()?;
        let slices =
            slices.iter().map(|&(g, t)| Counts::from_good_total(g, t)).collect::<fleetops::Result<Vec<_>>>().py()?;
        json(py, &spec.budget(objective, &slices).py()?)
    })
}

/// Where the budget is heading at a burn rate: time to exhaustion and what is left at the end.
#[pyfunction]
#[pyo3(signature = (remaining_percent, burn_rate, *, period, time_left))]
pub fn forecast_budget<'py>(
    py: Python<'py>,
    remaining_percent: crate::args::Num,
    burn_rate: crate::args::Num,
    period: Bound<'py, PyAny>,
    time_left: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(remaining_percent, burn_rate);
    crate::errors::guard(|| {
        let (period, time_left) = (Some(period), Some(time_left));
        let spec: core::ForecastSpec = spec(given!(period, time_left))?;
        json(py, &spec.forecast(remaining_percent, burn_rate).py()?)
    })
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
        preset: Option<Bound<'_, PyAny>>,
        period: Option<Bound<'_, PyAny>>,
        tiers: Option<Bound<'_, PyAny>>,
        min_events: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guard(|| {
            let spec: BurnPolicySpec = spec(given!(preset, period, tiers, min_events))?;
            Ok(Self { inner: spec.build().py()? })
        })
    }

    /// The tiers as dicts (windows in seconds).
    #[getter]
    fn tiers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(|| json(py, &self.inner.tiers))
    }

    /// Events the long window needs before a tier may fire.
    #[getter]
    fn min_events(&self) -> PyResult<u64> {
        crate::errors::guard(|| Ok(self.inner.min_events))
    }

    /// Evaluates every tier from `{window_seconds: (good, total)}`.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        objective: crate::args::Num,
        windows: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(objective);
        crate::errors::guard(|| {
            let windows = crate::args::mapping(&windows)?;
            let objective = Objective::new(objective).py()?;
            let windows = windows
                .items()?
                .iter()
                .map(|item| {
                    // A mapping's items are (key, value) tuples.
                    let (key, counts) = (item.get_item(0)?, item.get_item(1)?);
                    let counts = counts.extract::<crate::args::Pair<crate::args::Num, crate::args::Num>>()?;
                    // Seconds as a number, or as text (`"3600"`, the JSON form Node takes).
                    let window = match key.extract::<crate::args::Text>() {
                        Ok(text) => core::window_key(&text.0).py()?,
                        Err(_) => {
                            let secs = key.extract::<crate::args::Num>()?.0;
                            fleetops::freshness::DurationSpec::Seconds(secs).to_delta().py()?
                        }
                    };
                    let (good, total) = (counts.0 .0, counts.1 .0);
                    Ok((window, Counts::from_good_total(good, total).py()?))
                })
                .collect::<PyResult<Vec<_>>>()?;
            json(py, &self.inner.evaluate_windows(objective, &windows).py()?)
        })
    }
}

/// Latencies in ms in an HdrHistogram: percentiles and the share under a threshold.
#[pyclass(module = "fleetops", frozen, name = "LatencyHistogram")]
pub struct LatencyHistogram {
    inner: Engine<core::LatencyHistogram>,
}

#[pymethods]
impl LatencyHistogram {
    #[new]
    #[pyo3(signature = (*, max_ms=None, significant_figures=None))]
    fn new(max_ms: Option<Bound<'_, PyAny>>, significant_figures: Option<Bound<'_, PyAny>>) -> PyResult<Self> {
        crate::errors::guard(|| {
            let spec: core::HistogramSpec = spec(given!(max_ms, significant_figures))?;
            Ok(Self { inner: Engine::new(spec.build().py()?) })
        })
    }

    /// Records one latency in ms.
    fn record(&self, py: Python<'_>, latency_ms: crate::args::Num) -> PyResult<()> {
        crate::args::plain!(latency_ms);
        crate::errors::guard(|| self.inner.with(py, |h| h.record(latency_ms)))
    }

    /// Records many latencies in ms: a float or integer buffer (numpy) read in place, or a
    /// sequence. Held under the GIL: recording runs at memory speed, faster than a copy would.
    fn record_batch(&self, py: Python<'_>, latencies_ms: Bound<'_, PyAny>) -> PyResult<()> {
        use crate::convert::Column;
        crate::errors::guard(|| {
            crate::convert::with_column(&latencies_ms, |column| {
                self.inner.holding_gil(py, |h| match column {
                    Column::F64(v) => h.record_batch_of(v),
                    Column::F32(v) => h.record_batch_of(v),
                    Column::I64(v) => h.record_batch_of(v),
                    Column::U64(v) => h.record_batch_of(v),
                    Column::I32(v) => h.record_batch_of(v),
                    Column::U32(v) => h.record_batch_of(v),
                })
            })
        })
    }

    /// Recorded latencies.
    #[getter]
    fn count(&self, py: Python<'_>) -> PyResult<u64> {
        crate::errors::guard(|| self.inner.with(py, |h| Ok(h.count())))
    }

    /// The latency at percentile `p` (0 to 100); None when empty.
    fn percentile(&self, py: Python<'_>, p: crate::args::Num) -> PyResult<Option<f64>> {
        crate::args::plain!(p);
        crate::errors::guard(|| self.inner.with(py, |h| h.percentile(p)))
    }

    /// The share of latencies at or under `threshold_ms`; None when empty.
    fn fraction_under(&self, py: Python<'_>, threshold_ms: crate::args::Num) -> PyResult<Option<f64>> {
        crate::args::plain!(threshold_ms);
        crate::errors::guard(|| self.inner.with(py, |h| h.fraction_under(threshold_ms)))
    }

    /// Count, extremes, mean, p50/p95/p99/p99.9 as a dict.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(|| json(py, &self.inner.with(py, |h| Ok(h.summary()))?))
    }
}

/// The streaming SLO tracker: request outcomes in; budgets, burn rates and percentiles out.
#[pyclass(module = "fleetops", frozen, name = "SloTracker")]
pub struct SloTracker {
    inner: Engine<core::SloTracker>,
}

#[pymethods]
impl SloTracker {
    /// Options left out keep the runbook's: calendar month (UTC), 1 min buckets, availability
    /// 99.9 %, error rate < 1 %, 95 % under 500 ms, 99 % under 1000 ms, SRE Workbook tiers.
    #[new]
    #[pyo3(signature = (*, period=None, timezone=None, resolution=None, objectives=None, burn=None, max_future=None, maintenance=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        period: Option<Bound<'_, PyAny>>,
        timezone: Option<Bound<'_, PyAny>>,
        resolution: Option<Bound<'_, PyAny>>,
        objectives: Option<Bound<'_, PyAny>>,
        burn: Option<Bound<'_, PyAny>>,
        max_future: Option<Bound<'_, PyAny>>,
        maintenance: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guard(|| {
            let spec: core::TrackerSpec =
                spec(given!(period, timezone, resolution, objectives, burn, max_future, maintenance))?;
            Ok(Self { inner: Engine::new(core::SloTracker::new(spec.build().py()?).py()?) })
        })
    }

    /// Records one outcome at `at` (aware datetime, epoch seconds or ISO string), judged at the
    /// caller's clock `now` (default: the current time): more than `max_future` ahead of it is
    /// dropped as future.
    #[pyo3(signature = (at, ok, latency_ms=None, *, now=None, assume_tz=None))]
    fn record(
        &self,
        py: Python<'_>,
        at: Bound<'_, PyAny>,
        ok: crate::args::Flag,
        latency_ms: Option<crate::args::Num>,
        now: Option<Bound<'_, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<()> {
        crate::args::plain!(ok, latency_ms, assume_tz);
        crate::errors::guard(|| {
            let at = crate::convert::timestamp(&at, assume_tz.as_deref())?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            self.inner.with(py, |t| t.record(core::Outcome { at, ok, latency_ms }, now))
        })
    }

    /// Records many outcomes: `at` in epoch seconds (float64 buffer or sequence), `ok` as
    /// booleans, `latency_ms` (NaN for unmeasured) or None. All or nothing; returns how many
    /// were dropped as too old or more than `max_future` ahead of `now` (the caller's clock;
    /// default: the current time).
    #[pyo3(signature = (at, ok, latency_ms=None, *, now=None))]
    fn record_batch(
        &self,
        py: Python<'_>,
        at: Bound<'_, PyAny>,
        ok: Bound<'_, PyAny>,
        latency_ms: Option<Bound<'_, PyAny>>,
        now: Option<Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        crate::errors::guard(|| {
            use crate::convert::{owned_f64, owned_flags};
            let now = now_or_current(now.as_ref(), None)?;
            let (at, ok) = (owned_f64(&at)?, owned_flags(&ok)?);
            let latency = latency_ms.as_ref().map(owned_f64).transpose()?.unwrap_or_default();
            self.inner.detached(py, |t| t.record_batch_epoch(&at, core::EpochUnit::Seconds, &ok, &latency, now))
        })
    }

    /// Every objective's budget and burn-rate verdicts, and latency percentiles, at `now`.
    #[pyo3(signature = (now=None, *, assume_tz=None))]
    fn status<'py>(
        &self,
        py: Python<'py>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| self.inner.json_at(py, now.as_ref(), assume_tz.as_deref(), |t, now| t.status(now)))
    }

    /// Why a deploy gate should stop at `now` (empty: go on): spent budgets when `fail_on`
    /// holds `"overspent"`, firing burn tiers of the severities in `fail_on` (default both
    /// `"overspent"` and `"page"`).
    #[pyo3(signature = (now=None, *, fail_on=None, assume_tz=None))]
    fn gate_problems(
        &self,
        py: Python<'_>,
        now: Option<Bound<'_, PyAny>>,
        fail_on: Option<crate::args::List<crate::args::Text>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Vec<String>> {
        crate::args::plain!(fail_on, assume_tz);
        crate::errors::guard(|| {
            let fail_on: Option<Vec<&str>> = fail_on.as_ref().map(|f| f.iter().map(String::as_str).collect());
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            Ok(self.inner.with(py, |t| Ok(t.status(now)))?.gate_problems(fail_on.as_deref()))
        })
    }

    /// The status at `now` in the Prometheus text exposition format (metric names start with
    /// `prefix`): SLI, budget remaining, burn rate per window, firing tiers, latency quantiles.
    #[pyo3(signature = (now=None, *, prefix=None, assume_tz=None))]
    fn prometheus(
        &self,
        py: Python<'_>,
        now: Option<Bound<'_, PyAny>>,
        prefix: Option<crate::args::Text>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<String> {
        crate::args::plain!(prefix, assume_tz);
        crate::errors::guard(|| {
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            self.inner.with(py, |t| Ok(t.status(now)))?.prometheus(prefix.as_deref()).py()
        })
    }

    /// `{"good", "total"}` of one objective over the `window` ending at `now`.
    #[pyo3(signature = (objective, window, now=None, *, assume_tz=None))]
    fn window_counts<'py>(
        &self,
        py: Python<'py>,
        objective: crate::args::Text,
        window: Bound<'py, PyAny>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(objective, assume_tz);
        crate::errors::guard(|| {
            let window = duration(&window)?.to_delta().py()?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            json(py, &self.inner.with(py, |t| t.window_counts(&objective, window, now))?)
        })
    }

    /// Latency percentiles over the `window` ending at `now`.
    #[pyo3(signature = (window, now=None, *, assume_tz=None))]
    fn latency<'py>(
        &self,
        py: Python<'py>,
        window: Bound<'py, PyAny>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| {
            let window = duration(&window)?.to_delta().py()?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            json(py, &self.inner.with(py, |t| Ok(t.latency(window, now)))?)
        })
    }

    /// Evaluates threshold rules (default: the runbook's) at `now`.
    #[pyo3(signature = (rules=None, now=None, *, assume_tz=None))]
    fn evaluate_rules<'py>(
        &self,
        py: Python<'py>,
        rules: Option<Bound<'py, PyAny>>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(assume_tz);
        crate::errors::guard(|| {
            let rules = rules_of(py, rules)?;
            let now = now_or_current(now.as_ref(), assume_tz.as_deref())?;
            json(py, &self.inner.with(py, |t| t.evaluate_rules(&rules, now))?)
        })
    }

    /// Excludes the past range `[start, end)` from every budget and burn window (recomputed
    /// from the buckets held, no event replayed), with a `reason`; saved with the state and
    /// listed in the status. `end` may not be after `now` (default: the current time).
    #[pyo3(signature = (start, end, reason, *, now=None, assume_tz=None))]
    #[allow(clippy::too_many_arguments)]
    fn correct(
        &self,
        py: Python<'_>,
        start: Bound<'_, PyAny>,
        end: Bound<'_, PyAny>,
        reason: crate::args::Text,
        now: Option<Bound<'_, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<()> {
        crate::args::plain!(reason, assume_tz);
        crate::errors::guard(|| {
            let tz = assume_tz.as_deref();
            let (start, end) = (crate::convert::timestamp(&start, tz)?, crate::convert::timestamp(&end, tz)?);
            let now = now_or_current(now.as_ref(), tz)?;
            self.inner.with(py, |t| t.correct(core::Correction { start, end, reason }, now))
        })
    }

    /// Announces maintenance at run time (emergency maintenance): `[start, end)` is left out
    /// of every budget and burn window, its events out of the counters and latency
    /// percentiles; saved with the state and listed in the status. It must start at least
    /// `notice` (default: the runbook's hour) after `now` and after every event recorded.
    #[pyo3(signature = (start, end, *, name=None, notice=None, now=None, assume_tz=None))]
    #[allow(clippy::too_many_arguments)]
    fn announce_maintenance<'py>(
        &self,
        py: Python<'py>,
        start: Bound<'py, PyAny>,
        end: Bound<'py, PyAny>,
        name: Option<crate::args::Text>,
        notice: Option<Bound<'py, PyAny>>,
        now: Option<Bound<'py, PyAny>>,
        assume_tz: Option<crate::args::Text>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(name, assume_tz);
        crate::errors::guard(|| {
            let tz = assume_tz.as_deref();
            let (start, end) = (crate::convert::timestamp(&start, tz)?, crate::convert::timestamp(&end, tz)?);
            let notice = notice.map(|n| duration(&n)?.to_delta().py()).transpose()?;
            let now = now_or_current(now.as_ref(), tz)?;
            let announced = core::Announcement { name, start, end, notice };
            json(py, &self.inner.with(py, |t| t.announce_maintenance(announced, now))?)
        })
    }

    /// The maintenance windows announced at run time and kept, by start.
    fn announced_maintenance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(|| json(py, &self.inner.with(py, |t| Ok(t.announced_maintenance()))?))
    }

    /// A tracker of the spec that OpenSLO v1 YAML documents describe (see `read_openslo`).
    #[staticmethod]
    fn from_openslo(text: crate::args::Text) -> PyResult<Self> {
        let text = text.0;
        crate::errors::guard(|| {
            let spec = core::openslo::read(&text).py()?;
            Ok(Self { inner: Engine::new(core::SloTracker::new(spec.build().py()?).py()?) })
        })
    }

    /// The tracker's spec as OpenSLO v1 YAML (indicators reading the counters under `prefix`).
    #[pyo3(signature = (*, prefix=None))]
    fn to_openslo(&self, py: Python<'_>, prefix: Option<crate::args::Text>) -> PyResult<String> {
        crate::args::plain!(prefix);
        crate::errors::guard(|| self.inner.with(py, |t| core::openslo::write(t.config(), prefix.as_deref())))
    }

    /// Prometheus rules for the fleet-wide SLO of every instance running this spec: the error
    /// ratio per objective and burn window, the burn tiers' alerts, and Alertmanager inhibit
    /// rules (`{"rules": yaml, "inhibit_rules": yaml}`), reading the counters `prometheus()`
    /// exposes under `prefix`.
    #[pyo3(signature = (*, prefix=None))]
    fn prometheus_rules<'py>(&self, py: Python<'py>, prefix: Option<crate::args::Text>) -> PyResult<Bound<'py, PyAny>> {
        crate::args::plain!(prefix);
        crate::errors::guard(|| {
            let rules = self.inner.with(py, |t| core::prometheus_rules(t.config(), prefix.as_deref()))?;
            json(py, &rules)
        })
    }

    /// The corrections kept, by start.
    fn corrections<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(|| json(py, &self.inner.with(py, |t| Ok(t.corrections().to_vec()))?))
    }

    /// Bytes held by buckets and histograms.
    #[getter]
    fn memory_bytes(&self, py: Python<'_>) -> PyResult<usize> {
        crate::errors::guard(|| self.inner.with(py, |t| Ok(t.memory_bytes())))
    }

    /// The newest event time accepted (ISO-8601 UTC), or None.
    #[getter]
    fn watermark(&self, py: Python<'_>) -> PyResult<Option<String>> {
        crate::errors::guard(|| Ok(self.inner.with(py, |t| Ok(t.watermark()))?.map(fleetops::time::to_iso)))
    }
}

/// Every occurrence of the maintenance `windows` overlapping `[start, end)` (at most 400 days),
/// by start.
#[pyfunction]
#[pyo3(signature = (windows, start, end, *, assume_tz=None))]
pub fn maintenance_windows<'py>(
    py: Python<'py>,
    windows: Bound<'py, PyAny>,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    assume_tz: Option<crate::args::Text>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::args::plain!(assume_tz);
    crate::errors::guard(|| {
        let windows: Vec<fleetops::maintenance::MaintenanceSpec> = spec(crate::convert::plain(&windows)?)?;
        let tz = assume_tz.as_deref();
        let (start, end) = (crate::convert::timestamp(&start, tz)?, crate::convert::timestamp(&end, tz)?);
        json(py, &fleetops::maintenance::windows_between(&windows, start, end).py()?)
    })
}

/// OpenSLO v1 YAML documents (`SLO`, `SLI`, `AlertPolicy`, `AlertCondition`) as the tracker
/// options they describe (`SloTracker(**read_openslo(text))`). An unknown or unsupported field
/// raises `InvalidSpecError` naming it and its line.
#[pyfunction]
pub fn read_openslo(py: Python<'_>, text: crate::args::Text) -> PyResult<Bound<'_, PyAny>> {
    let text = text.0;
    crate::errors::guard(|| json(py, &core::openslo::read(&text).py()?))
}

/// The runbook's alert rules (the fleet API runbook) as plain dicts.
#[pyfunction]
pub fn runbook_rules(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    crate::errors::guard(|| json(py, &core::runbook_rules()))
}

fn rule_of(py: Python<'_>, rule: &Bound<'_, PyAny>) -> PyResult<core::ThresholdRule> {
    core::ThresholdRule::from_name_or_json(crate::convert::to_json(py, rule)?).py()
}

fn rules_of(py: Python<'_>, rules: Option<Bound<'_, PyAny>>) -> PyResult<Vec<core::ThresholdRule>> {
    match rules {
        None => Ok(core::runbook_rules()),
        Some(list) => crate::args::items(&list)?.map(|r| rule_of(py, &r?)).collect(),
    }
}

/// Judges one rule (a runbook rule's name or a rule dict) on window stats, newest first.
#[pyfunction]
#[pyo3(signature = (rule, stats, *, resolution=None))]
pub fn judge_rule<'py>(
    py: Python<'py>,
    rule: Bound<'py, PyAny>,
    stats: Bound<'py, PyAny>,
    resolution: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(|| {
        // As in Node: both arguments read as data first, then the rule checked, then the stats.
        let (rule, stats) = (crate::convert::to_json(py, &rule)?, crate::convert::to_json(py, &stats)?);
        let rule = core::ThresholdRule::from_name_or_json(rule).py()?;
        let stats: Vec<core::WindowStats> = serde_json::from_value(stats)
            .map_err(|e| crate::errors::to_py(fleetops::FleetopsError::InvalidArgument(format!("stats: {e}"))))?;
        let resolution = resolution.map(|r| duration(&r)?.to_delta().py()).transpose()?;
        let steps = rule.steps(resolution).py()?;
        json(py, &rule.judge(&stats, steps).py()?)
    })
}

/// HTTP statuses as outcomes for `record_batch`: bytes of 1 (good) / 0 (bad). A 5xx is bad,
/// and so is any status in `bad_statuses` (e.g. `[429]`).
#[pyfunction]
#[pyo3(signature = (status, bad_statuses=None))]
pub fn http_outcomes<'py>(
    py: Python<'py>,
    status: crate::args::List<crate::args::Int>,
    bad_statuses: Option<crate::args::List<crate::args::Int>>,
) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    crate::args::plain!(status, bad_statuses);
    crate::errors::guard(|| {
        let statuses = |v: Vec<i64>| -> PyResult<Vec<u16>> {
            v.into_iter()
                .map(|s| {
                    u16::try_from(s).map_err(|_| {
                        crate::errors::to_py(fleetops::FleetopsError::InvalidArgument(format!(
                            "{s} is not an HTTP status"
                        )))
                    })
                })
                .collect()
        };
        Ok(pyo3::types::PyBytes::new(
            py,
            &core::http_outcomes(&statuses(status)?, &statuses(bad_statuses.unwrap_or_default())?),
        ))
    })
}

/// The runbook's health endpoint: checks `{name, ok, latency_ms?, degraded_above_ms?,
/// message?, details?}` in; `{status, http_status, checks}` out (worst check wins).
#[pyfunction]
pub fn assess_health<'py>(
    py: Python<'py>,
    checks: crate::args::List<crate::args::Any<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(|| {
        let checks = checks
            .0
            .iter()
            .map(|c| {
                let value = crate::convert::to_json(py, &c.0)?;
                serde_json::from_value::<fleetops::health::CheckInput>(value)
                    .map_err(|e| crate::errors::to_py(fleetops::FleetopsError::InvalidArgument(format!("check: {e}"))))
            })
            .collect::<PyResult<Vec<_>>>()?;
        json(py, &fleetops::health::assess(&checks).py()?)
    })
}

// The saved-state methods, written once (crate::engine::saved_methods).
crate::engine::saved_methods!(LatencyHistogram, merge);
crate::engine::saved_methods!(SloTracker, merge);
