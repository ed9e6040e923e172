//! `errorBudget`, `periodWindow`, `timesliceBudget`, `forecastBudget`, `BurnPolicy`.

use fleetops::slo::{self as core, BurnPolicySpec, BurnTierSpec, Counts, CountsSpec, EmptySlice, Objective, PeriodSpec};
use napi::bindgen_prelude::{Buffer, Either, Float64Array};
use napi_derive::napi;
use serde::Serialize;

use crate::convert::{duration, now_or_current, opt_duration, Duration, Time};
use crate::errors::{self, invalid_argument, IntoJs};
use crate::results::camel;

fn js(value: &impl Serialize) -> serde_json::Value {
    camel(serde_json::to_value(value).expect("results serialise"))
}

/// Counts: any two of good, bad and total.
#[napi(object)]
pub struct CountsOption {
    /// Good events.
    pub good: Option<f64>,
    /// Bad events.
    pub bad: Option<f64>,
    /// All events.
    pub total: Option<f64>,
    /// Adds the budget in minutes of a period this long.
    pub period_minutes: Option<f64>,
}

/// The events-based error budget (`{status: "no_data"}` without events).
#[napi(ts_return_type = "Record<string, any>")]
pub fn error_budget(objective: f64, counts: CountsOption) -> errors::Result<serde_json::Value> {
    let objective = Objective::new(objective).js()?;
    let c = CountsSpec { good: counts.good, bad: counts.bad, total: counts.total }.build().js()?;
    Ok(js(&core::event_budget(objective, c, counts.period_minutes)))
}

/// Options of `periodWindow`.
#[napi(object)]
pub struct PeriodOptions<'a> {
    /// Judge at this time (default: now).
    #[napi(ts_type = "TimeLike")]
    pub now: Option<Time<'a>>,
    /// IANA zone of calendar periods (default UTC).
    pub timezone: Option<String>,
    /// Adds the budget in minutes at this objective.
    pub objective: Option<f64>,
}

/// A period's bounds at `now` (`"30d"`, `"month"`, `"week"`, `"quarter"`).
#[napi(ts_return_type = "{ start: string; end: string; lengthMinutes: number; elapsedMinutes: number; budgetMinutes: number | null }")]
pub fn period_window(period: String, options: Option<PeriodOptions<'_>>) -> errors::Result<serde_json::Value> {
    let (now, timezone, objective) = match &options {
        Some(o) => (o.now.as_ref(), o.timezone.clone(), o.objective),
        None => (None, None, None),
    };
    let period = PeriodSpec { period, timezone }.build().js()?;
    let objective = objective.map(Objective::new).transpose().js()?;
    Ok(js(&period.window_with_budget(now_or_current(now)?, objective)))
}

/// Options of `timesliceBudget`.
#[napi(object)]
pub struct TimesliceOptions<'a> {
    /// A slice is good when its SLI reaches this.
    pub slice_target: f64,
    /// Slice length.
    #[napi(ts_type = "DurationLike")]
    pub slice: Duration<'a>,
    /// Period length.
    #[napi(ts_type = "DurationLike")]
    pub period: Duration<'a>,
    /// Slices without events: `"good"` (default), `"bad"` or `"skip"`.
    pub empty: Option<String>,
}

/// Time-slice budgeting over `[good, total]` slices.
#[napi(ts_args_type = "objective: number, slices: Array<[number, number]>, options: TimesliceOptions", ts_return_type = "Record<string, any>")]
pub fn timeslice_budget(objective: f64, slices: Vec<Vec<f64>>, options: TimesliceOptions<'_>) -> errors::Result<serde_json::Value> {
    let objective = Objective::new(objective).js()?;
    let target = Objective::new(options.slice_target).js()?;
    let slices = slices.iter().map(pair).collect::<errors::Result<Vec<_>>>()?;
    let slice = duration(&options.slice)?.to_delta().js()?;
    let period = duration(&options.period)?.to_delta().js()?;
    let empty = EmptySlice::parse(options.empty.as_deref().unwrap_or("good")).js()?;
    Ok(js(&core::timeslice_budget(objective, target, slice, period, &slices, empty).js()?))
}

fn pair(p: &Vec<f64>) -> errors::Result<Counts> {
    match p.as_slice() {
        [good, total] => Counts::from_good_total(*good, *total).js(),
        _ => Err(invalid_argument("counts are [good, total] pairs")),
    }
}

/// Options of `forecastBudget`.
#[napi(object)]
pub struct ForecastOptions<'a> {
    /// The SLO period.
    #[napi(ts_type = "DurationLike")]
    pub period: Duration<'a>,
    /// Time left in the period.
    #[napi(ts_type = "DurationLike")]
    pub time_left: Duration<'a>,
}

/// Time to exhaustion at a burn rate, and the budget left at the period's end.
#[napi(ts_return_type = "{ exhaustionSeconds: number | null; remainingPercentAtEnd: number; exhaustsBeforeEnd: boolean }")]
pub fn forecast_budget(remaining_percent: f64, burn_rate: f64, options: ForecastOptions<'_>) -> errors::Result<serde_json::Value> {
    let period = duration(&options.period)?.to_delta().js()?;
    let left = duration(&options.time_left)?.to_delta().js()?;
    Ok(js(&core::forecast(remaining_percent, burn_rate, period, left)))
}

/// One explicit tier.
#[napi(object)]
pub struct BurnTierOption<'a> {
    /// Name.
    pub name: String,
    /// Severity (default `"page"`).
    pub severity: Option<String>,
    /// Long window.
    #[napi(ts_type = "DurationLike")]
    pub long: Duration<'a>,
    /// Short window.
    #[napi(ts_type = "DurationLike")]
    pub short: Duration<'a>,
    /// Burn-rate factor.
    pub factor: f64,
}

/// Options of `BurnPolicy`.
#[napi(object)]
pub struct BurnPolicyOptions<'a> {
    /// `"sre_workbook"` (default), `"sloth"` or `"pyrra"`.
    pub preset: Option<String>,
    /// Period the Sloth / Pyrra presets scale with (default 30 days).
    #[napi(ts_type = "DurationLike | null")]
    pub period: Option<Duration<'a>>,
    /// Explicit tiers instead of a preset.
    pub tiers: Option<Vec<BurnTierOption<'a>>>,
    /// Events the long window needs before a tier may fire (default 1).
    pub min_events: Option<u32>,
}

/// Multiwindow, multi-burn-rate alert tiers.
#[napi]
pub struct BurnPolicy {
    inner: core::BurnPolicy,
}

#[napi]
impl BurnPolicy {
    /// A preset or explicit tiers.
    #[napi(constructor)]
    pub fn new(options: Option<BurnPolicyOptions<'_>>) -> errors::Result<Self> {
        let spec = match options {
            None => BurnPolicySpec::default(),
            Some(o) => BurnPolicySpec {
                preset: o.preset,
                period: opt_duration(o.period.as_ref())?,
                tiers: o
                    .tiers
                    .map(|ts| {
                        ts.iter()
                            .map(|t| {
                                Ok(BurnTierSpec {
                                    name: t.name.clone(),
                                    severity: t.severity.clone(),
                                    long: duration(&t.long)?,
                                    short: duration(&t.short)?,
                                    factor: t.factor,
                                })
                            })
                            .collect::<errors::Result<Vec<_>>>()
                    })
                    .transpose()?,
                min_events: o.min_events.map(u64::from),
            },
        };
        Ok(Self { inner: spec.build().js()? })
    }

    /// The tiers (windows in seconds).
    #[napi(getter, ts_return_type = "Array<{ name: string; severity: string; long: number; short: number; factor: number }>")]
    pub fn tiers(&self) -> serde_json::Value {
        js(&self.inner.tiers)
    }

    /// Events the long window needs before a tier may fire.
    #[napi(getter)]
    pub fn min_events(&self) -> f64 {
        self.inner.min_events as f64
    }

    /// Evaluates every tier from `{windowSeconds: [good, total]}`.
    #[napi(ts_args_type = "objective: number, windows: Record<string, [number, number]>", ts_return_type = "Array<Record<string, any>>")]
    pub fn evaluate(&self, objective: f64, windows: std::collections::HashMap<String, Vec<f64>>) -> errors::Result<serde_json::Value> {
        let objective = Objective::new(objective).js()?;
        let windows = windows
            .iter()
            .map(|(secs, c)| {
                let secs: f64 = secs.parse().map_err(|_| invalid_argument(format!("window '{secs}' is not seconds")))?;
                let window = fleetops::freshness::DurationSpec::Seconds(secs).to_delta().js()?;
                Ok((window, pair(c)?))
            })
            .collect::<errors::Result<Vec<_>>>()?;
        Ok(js(&self.inner.evaluate_windows(objective, &windows).js()?))
    }
}

/// Latencies in ms in an HdrHistogram: percentiles and the share under a threshold.
#[napi]
pub struct LatencyHistogram {
    inner: core::LatencyHistogram,
}

/// Options of `LatencyHistogram`.
#[napi(object)]
pub struct LatencyHistogramOptions {
    /// Highest trackable latency in ms (default one hour).
    pub max_ms: Option<f64>,
    /// Precision, 1 to 5 (default 3: 0.1 %).
    pub significant_figures: Option<u32>,
}

#[napi]
impl LatencyHistogram {
    /// A histogram from 1 µs to `maxMs`.
    #[napi(constructor)]
    pub fn new(options: Option<LatencyHistogramOptions>) -> errors::Result<Self> {
        let (max, sig) = options.map_or((None, None), |o| (o.max_ms, o.significant_figures));
        let sig = sig.map_or(Ok(core::DEFAULT_SIGNIFICANT_FIGURES), |s| {
            u8::try_from(s).map_err(|_| invalid_argument(format!("significantFigures {s} is out of range")))
        })?;
        Ok(Self { inner: core::LatencyHistogram::new(max.unwrap_or(core::DEFAULT_MAX_MS), sig).js()? })
    }

    /// Records one latency in ms.
    #[napi]
    pub fn record(&mut self, latency_ms: f64) -> errors::Result<()> {
        self.inner.record(latency_ms).js()
    }

    /// Records many latencies in ms in one call (a typed array is read in place).
    #[napi]
    pub fn record_batch(&mut self, latencies_ms: Either<Float64Array, Vec<f64>>) -> errors::Result<()> {
        match &latencies_ms {
            Either::A(typed) => self.inner.record_batch(typed),
            Either::B(list) => self.inner.record_batch(list),
        }
        .js()
    }

    /// Recorded latencies.
    #[napi(getter)]
    pub fn count(&self) -> f64 {
        self.inner.count() as f64
    }

    /// The latency at percentile `p` (0 to 100); null when empty.
    #[napi]
    pub fn percentile(&self, p: f64) -> errors::Result<Option<f64>> {
        self.inner.percentile(p).js()
    }

    /// The share of latencies at or under `thresholdMs`; null when empty.
    #[napi]
    pub fn fraction_under(&self, threshold_ms: f64) -> errors::Result<Option<f64>> {
        self.inner.fraction_under(threshold_ms).js()
    }

    /// Count, extremes, mean, p50/p95/p99/p99.9.
    #[napi(ts_return_type = "{ count: number; clamped: number; minMs: number | null; maxMs: number | null; meanMs: number | null; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; p999Ms: number | null }")]
    pub fn summary(&self) -> serde_json::Value {
        js(&self.inner.summary())
    }

    /// Adds another histogram's counts.
    #[napi]
    pub fn merge(&mut self, other: &LatencyHistogram) -> errors::Result<()> {
        self.inner.merge(&other.inner).js()
    }

    /// The saved form (versioned bytes).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        self.inner.to_bytes().into()
    }

    /// Restores a saved histogram; bad bytes throw `INVALID_STATE`.
    #[napi(factory)]
    pub fn from_bytes(data: Buffer) -> errors::Result<Self> {
        Ok(Self { inner: core::LatencyHistogram::from_bytes(&data).js()? })
    }
}
