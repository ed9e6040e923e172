//! `errorBudget`, `periodWindow`, `timesliceBudget`, `forecastBudget`, `BurnPolicy`.

use fleetops::slo::{self as core, BurnPolicySpec, Counts, CountsSpec, Objective};
use napi::bindgen_prelude::{BigInt64Array, Either, Float64Array, Uint16Array, Uint8Array, Unknown};
use napi_derive::napi;

use crate::convert::{duration, now_or_current, plain, spec, take_now, Duration, Time};
use crate::errors::{self, invalid_argument, IntoJs};
use crate::external::External;
use crate::jsser::Js;
use crate::results::js;
use napi::Env;

/// Options of `SloTracker.announceMaintenance`.
#[napi(object)]
pub struct AnnounceOptions<'a> {
    /// A name for status and reports (default `emergency maintenance`).
    pub name: Option<Option<String>>,
    /// The least time between `now` and the start (default: the runbook's hour).
    #[napi(ts_type = "DurationLike | null")]
    pub notice: Option<Duration<'a>>,
}

/// Whether an optional value was given as `null` or `undefined`.
fn is_nullish(value: &Unknown<'_>) -> bool {
    matches!(value.get_type(), Ok(napi::ValueType::Null | napi::ValueType::Undefined))
}

// Declared for `index.d.ts`; read as the core's `CountsSpec`.
/// Counts: any two of good, bad and total.
#[allow(dead_code)]
#[napi(object)]
pub struct CountsOption {
    /// Good events.
    pub good: Option<Option<f64>>,
    /// Bad events.
    pub bad: Option<Option<f64>>,
    /// All events.
    pub total: Option<Option<f64>>,
}

// Declared for `index.d.ts`; read as the core's `EventBudgetSpec`.
/// Counts and the period of an events budget.
#[allow(dead_code)]
#[napi(object)]
pub struct BudgetCountsOption {
    /// Good events.
    pub good: Option<Option<f64>>,
    /// Bad events.
    pub bad: Option<Option<f64>>,
    /// All events.
    pub total: Option<Option<f64>>,
    /// Adds the budget in minutes of a period this long.
    pub period_minutes: Option<Option<f64>>,
}

/// The events-based error budget (`{status: "no_data"}` without events).
#[napi(ts_args_type = "objective: number, counts: BudgetCountsOption", ts_return_type = "Budget")]
pub fn error_budget(objective: f64, counts: Unknown<'_>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        // No counts (null or left out) is counts with none given: the core's INVALID_COUNT.
        let spec: core::EventBudgetSpec = spec(given_or_empty(plain(&counts)?))?;
        let objective = Objective::new(objective).js()?;
        js(spec.budget(objective).js()?)
    })
}

/// Options left out (`null`, `undefined`) as an empty mapping: "not given" for every field.
fn given_or_empty(options: fleetops::options::Plain) -> fleetops::options::Plain {
    match options {
        fleetops::options::Plain::Null => fleetops::options::Plain::Map(vec![]),
        other => other,
    }
}

/// The deploy gate on counts alone: `["budget overspent (N % used)"]` when the budget is spent
/// and `failOn` (default `["overspent", "page"]`) holds `"overspent"`, else `[]`.
#[napi(ts_args_type = "objective: number, counts: CountsOption, failOn?: string[] | null")]
pub fn error_budget_gate(
    objective: f64,
    counts: Unknown<'_>,
    fail_on: Option<Vec<String>>,
) -> errors::Result<Vec<String>> {
    crate::errors::guard(|| {
        let spec: CountsSpec = spec(given_or_empty(plain(&counts)?))?;
        let objective = Objective::new(objective).js()?;
        let c = spec.build().js()?;
        let fail_on: Option<Vec<&str>> = fail_on.as_ref().map(|f| f.iter().map(String::as_str).collect());
        Ok(core::event_budget(objective, c, None).js()?.gate_problems(fail_on.as_deref()))
    })
}

// Declared for `index.d.ts`; `now`, then the core's `PeriodWindowSpec`.
/// Options of `periodWindow`.
#[allow(dead_code)]
#[napi(object)]
pub struct PeriodOptions<'a> {
    /// Judge at this time (default: now).
    #[napi(ts_type = "TimeLike")]
    pub now: Option<Time<'a>>,
    /// IANA zone of calendar periods (default UTC).
    pub timezone: Option<Option<String>>,
    /// Adds the budget in minutes at this objective.
    pub objective: Option<Option<f64>>,
}

/// A period's bounds at `now` (`"30d"`, `"month"`, `"week"`, `"quarter"`).
#[napi(ts_args_type = "period: string, options?: PeriodOptions | null", ts_return_type = "Window")]
pub fn period_window(period: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let mut options = crate::convert::options(options.as_ref())?;
        let now = take_now(&mut options);
        let spec: core::PeriodWindowSpec = spec(options.with("period", plain(&period)?))?;
        js(spec.window(now?).js()?)
    })
}

// Declared for `index.d.ts`; read as the core's `TimesliceSpec`.
/// Options of `timesliceBudget`.
#[allow(dead_code)]
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
    pub empty: Option<Option<String>>,
}

/// Time-slice budgeting over `[good, total]` slices.
#[napi(
    ts_args_type = "objective: number, slices: Array<[number, number]>, options: TimesliceOptions",
    ts_return_type = "TimeSliceBudget"
)]
pub fn timeslice_budget(objective: f64, slices: Vec<Vec<f64>>, options: Unknown<'_>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let spec: core::TimesliceSpec = spec(plain(&options)?)?;
        let objective = Objective::new(objective).js()?;
        let slices = slices.iter().map(pair).collect::<errors::Result<Vec<_>>>()?;
        js(spec.budget(objective, &slices).js()?)
    })
}

fn pair(p: &Vec<f64>) -> errors::Result<Counts> {
    match p.as_slice() {
        [good, total] => Counts::from_good_total(*good, *total).js(),
        _ => Err(invalid_argument("counts are [good, total] pairs")),
    }
}

// Declared for `index.d.ts`; read as the core's `ForecastSpec`.
/// Options of `forecastBudget`.
#[allow(dead_code)]
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
#[napi(
    ts_args_type = "remainingPercent: number, burnRate: number, options: ForecastOptions",
    ts_return_type = "Forecast"
)]
pub fn forecast_budget(remaining_percent: f64, burn_rate: f64, options: Unknown<'_>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let spec: core::ForecastSpec = spec(plain(&options)?)?;
        js(spec.forecast(remaining_percent, burn_rate).js()?)
    })
}

// Declared for `index.d.ts`.
/// One explicit tier.
#[allow(dead_code)]
#[napi(object)]
pub struct BurnTierOption<'a> {
    /// Name.
    pub name: String,
    /// Severity (default `"page"`).
    pub severity: Option<Option<String>>,
    /// Long window.
    #[napi(ts_type = "DurationLike")]
    pub long: Duration<'a>,
    /// Short window.
    #[napi(ts_type = "DurationLike")]
    pub short: Duration<'a>,
    /// Burn-rate factor.
    pub factor: f64,
}

// Declared for `index.d.ts`; read as the core's `BurnPolicySpec`.
/// Options of `BurnPolicy`.
#[allow(dead_code)]
#[napi(object)]
pub struct BurnPolicyOptions<'a> {
    /// `"sre_workbook"` (default), `"sloth"` or `"pyrra"`.
    pub preset: Option<Option<String>>,
    /// Period the Sloth / Pyrra presets scale with (default 30 days).
    #[napi(ts_type = "DurationLike | null")]
    pub period: Option<Duration<'a>>,
    /// Explicit tiers instead of a preset.
    pub tiers: Option<Vec<BurnTierOption<'a>>>,
    /// Events the long window needs before a tier may fire (default 1).
    pub min_events: Option<Option<f64>>,
}

/// Multiwindow, multi-burn-rate alert tiers.
#[napi]
pub struct BurnPolicy {
    inner: core::BurnPolicy,
}

#[napi]
impl BurnPolicy {
    /// A preset or explicit tiers.
    #[napi(constructor, ts_args_type = "options?: BurnPolicyOptions | null")]
    pub fn new(options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec: BurnPolicySpec = spec(crate::convert::options(options.as_ref())?)?;
            Ok(Self { inner: spec.build().js()? })
        })
    }

    /// The tiers (windows in seconds).
    #[napi(getter, ts_return_type = "BurnTier[]")]
    pub fn tiers(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.tiers.clone()))
    }

    /// Events the long window needs before a tier may fire.
    #[napi(getter)]
    pub fn min_events(&self) -> errors::Result<f64> {
        crate::errors::guard(|| Ok(self.inner.min_events as f64))
    }

    /// Evaluates every tier from `{windowSeconds: [good, total]}`.
    #[napi(
        ts_args_type = "objective: number, windows: Record<string, [number, number]>",
        ts_return_type = "BurnAlert[]"
    )]
    pub fn evaluate(&self, objective: f64, windows: std::collections::HashMap<String, Vec<f64>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let objective = Objective::new(objective).js()?;
            let windows = windows
                .iter()
                .map(|(secs, c)| Ok((core::window_key(secs).js()?, pair(c)?)))
                .collect::<errors::Result<Vec<_>>>()?;
            js(self.inner.evaluate_windows(objective, &windows).js()?)
        })
    }
}

/// Latencies in ms in an HdrHistogram: percentiles and the share under a threshold.
#[napi]
pub struct LatencyHistogram {
    inner: core::LatencyHistogram,
}

// Declared for `index.d.ts`; read as the core's `HistogramSpec`.
/// Options of `LatencyHistogram`.
#[allow(dead_code)]
#[napi(object)]
pub struct LatencyHistogramOptions {
    /// Highest trackable latency in ms (default one hour).
    pub max_ms: Option<Option<f64>>,
    /// Precision, 1 to 5 (default 3: 0.1 %).
    pub significant_figures: Option<Option<f64>>,
}

#[napi]
impl LatencyHistogram {
    /// A histogram from 1 µs to `maxMs`.
    #[napi(constructor, ts_args_type = "options?: LatencyHistogramOptions | null")]
    pub fn new(options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec: core::HistogramSpec = spec(crate::convert::options(options.as_ref())?)?;
            Ok(Self { inner: spec.build().js()? })
        })
    }

    /// Records one latency in ms.
    #[napi]
    pub fn record(&mut self, latency_ms: f64) -> errors::Result<()> {
        crate::errors::guard(|| self.inner.record(latency_ms).js())
    }

    /// Records many latencies in ms in one call (a typed array is read in place).
    #[napi]
    pub fn record_batch(&mut self, latencies_ms: Either<Float64Array, Vec<f64>>) -> errors::Result<()> {
        crate::errors::guard(|| {
            match &latencies_ms {
                Either::A(typed) => self.inner.record_batch(typed),
                Either::B(list) => self.inner.record_batch(list),
            }
            .js()
        })
    }

    /// Recorded latencies.
    #[napi(getter)]
    pub fn count(&self) -> errors::Result<f64> {
        crate::errors::guard(|| Ok(self.inner.count() as f64))
    }

    /// The latency at percentile `p` (0 to 100); null when empty.
    #[napi]
    pub fn percentile(&self, p: f64) -> errors::Result<Option<f64>> {
        crate::errors::guard(|| self.inner.percentile(p).js())
    }

    /// The share of latencies at or under `thresholdMs`; null when empty.
    #[napi]
    pub fn fraction_under(&self, threshold_ms: f64) -> errors::Result<Option<f64>> {
        crate::errors::guard(|| self.inner.fraction_under(threshold_ms).js())
    }

    /// Count, extremes, mean, p50/p95/p99/p99.9.
    #[napi(ts_return_type = "LatencySummary")]
    pub fn summary(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.summary()))
    }
}

// Declared for `index.d.ts`; read as the core's `TrackerSpec`.
/// Tracker options; left-out fields keep the runbook's.
#[allow(dead_code)]
#[napi(object)]
pub struct SloTrackerOptions<'a> {
    /// `"30d"`, `"month"`, ... (default `"month"`).
    pub period: Option<Option<String>>,
    /// Zone of calendar periods (default UTC).
    pub timezone: Option<Option<String>>,
    /// Bucket width (default 1 min).
    #[napi(ts_type = "DurationLike | null")]
    pub resolution: Option<Duration<'a>>,
    /// Objectives: `{name, kind: "success" | "latency_under", thresholdMs?, target, timeslices?: {sliceTarget} or {ratio: true}}`.
    #[napi(
        ts_type = "Array<{ name: string; kind: 'success' | 'latency_under'; thresholdMs?: number; target: number; timeslices?: { sliceTarget?: number; ratio?: boolean } | null }>"
    )]
    pub objectives: Option<serde_json::Value>,
    /// Burn policy options, as for `BurnPolicy` (windows in seconds or text).
    #[napi(ts_type = "BurnPolicyOptions")]
    pub burn: Option<serde_json::Value>,
    /// How far ahead of the newest event an event may be (default 5 min).
    #[napi(ts_type = "DurationLike | null")]
    pub max_future: Option<Duration<'a>>,
    /// Maintenance windows left out of budgets and burn windows.
    #[napi(ts_type = "MaintenanceWindowOptions[] | null")]
    pub maintenance: Option<serde_json::Value>,
}

// Declared for `index.d.ts`; read as the core's `MaintenanceSpec`.
/// A maintenance window: recurring (`cron`, `duration`, `timezone`) or once (`start`, `end`).
#[allow(dead_code)]
#[napi(object)]
pub struct MaintenanceWindowOptions<'a> {
    /// A name for status and reports (default `maintenance`).
    pub name: Option<String>,
    /// Recurring: when each window starts, e.g. `0 2 * * SUN#1`.
    pub cron: Option<String>,
    /// Recurring: how long each window lasts (elapsed time).
    #[napi(ts_type = "DurationLike")]
    pub duration: Option<Duration<'a>>,
    /// Recurring: the zone the cron expression is read in (default UTC).
    pub timezone: Option<String>,
    /// Once: the first instant inside (ISO-8601 with an offset).
    pub start: Option<String>,
    /// Once: the first instant after.
    pub end: Option<String>,
}

/// Every occurrence of the maintenance `windows` overlapping `[start, end)` (at most 400 days),
/// by start.
#[napi(
    ts_args_type = "windows: MaintenanceWindowOptions[], start: TimeLike, end: TimeLike",
    ts_return_type = "Occurrence[]"
)]
pub fn maintenance_windows(windows: Unknown<'_>, start: Time<'_>, end: Time<'_>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let windows: Vec<fleetops::maintenance::MaintenanceSpec> = spec(plain(&windows)?)?;
        let (start, end) = (crate::convert::timestamp(&start)?, crate::convert::timestamp(&end)?);
        js(fleetops::maintenance::windows_between(&windows, start, end).js()?)
    })
}

/// OpenSLO v1 YAML documents (`SLO`, `SLI`, `AlertPolicy`, `AlertCondition`) as the tracker
/// options they describe (`new SloTracker(readOpenslo(text))`). An unknown or unsupported field
/// throws `INVALID_SPEC` naming it and its line.
#[napi(ts_return_type = "SloTrackerOptions")]
pub fn read_openslo(text: String) -> errors::Result<Js> {
    crate::errors::guard(|| js(core::openslo::read(&text).js()?))
}

/// The streaming SLO tracker: request outcomes in; budgets, burn rates and percentiles out.
#[napi(custom_finalize)]
pub struct SloTracker {
    inner: core::SloTracker,
    /// What it has told V8 it holds.
    external: External,
}

crate::external::reports_external_memory!(SloTracker);

#[napi]
impl SloTracker {
    /// A tracker; options left out keep the runbook's.
    #[napi(constructor, ts_args_type = "options?: SloTrackerOptions | null")]
    pub fn new(env: Env, options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec: core::TrackerSpec = spec(crate::convert::options(options.as_ref())?)?;
            Ok(Self::reported(&env, core::SloTracker::new(spec.build().js()?).js()?))
        })
    }

    /// Records one outcome, judged at the caller's clock `now` (default: the current time):
    /// more than `maxFuture` ahead of it is dropped as future.
    #[napi(ts_args_type = "at: TimeLike, ok: boolean, latencyMs?: number | null, now?: TimeLike | null")]
    pub fn record(
        &mut self,
        env: Env,
        at: Time<'_>,
        ok: bool,
        latency_ms: Option<f64>,
        now: Option<Time<'_>>,
    ) -> errors::Result<()> {
        let out = crate::errors::guard(|| {
            let at = crate::convert::timestamp(&at)?;
            let now = now_or_current(now.as_ref())?;
            self.inner.record(core::Outcome { at, ok, latency_ms }, now).js()
        });
        self.external.set(&env, self.inner.memory_bytes());
        out
    }

    /// Records many outcomes in one call: epoch ms (Float64Array, or BigInt64Array as from
    /// `process.hrtime`-style integer clocks), success flags (non-zero = ok), latencies in ms
    /// (NaN = unmeasured), judged at the caller's clock `now` (default: the current time). All
    /// or nothing; returns how many were dropped (too old, or more than `maxFuture` ahead of `now`).
    #[napi(
        ts_args_type = "atMs: Float64Array | BigInt64Array, ok: Uint8Array, latencyMs?: Float64Array | undefined | null, now?: TimeLike | null"
    )]
    pub fn record_batch(
        &mut self,
        env: Env,
        at_ms: Either<Float64Array, BigInt64Array>,
        ok: Uint8Array,
        latency_ms: Option<Float64Array>,
        now: Option<Time<'_>>,
    ) -> errors::Result<u32> {
        let out = crate::errors::guard(|| {
            let now = now_or_current(now.as_ref())?;
            let latency: &[f64] = latency_ms.as_deref().unwrap_or(&[]);
            let dropped = match &at_ms {
                Either::A(ms) => self.inner.record_batch_epoch(ms, core::EpochUnit::Millis, &ok, latency, now),
                // Integer milliseconds are exact as f64 up to the year 287,396.
                Either::B(ms) => {
                    let ms: Vec<f64> = ms.iter().map(|&v| v as f64).collect();
                    self.inner.record_batch_epoch(&ms, core::EpochUnit::Millis, &ok, latency, now)
                }
            }
            .js()?;
            Ok(dropped as u32)
        });
        self.external.set(&env, self.inner.memory_bytes());
        out
    }

    /// Every objective's budget and burn-rate verdicts, and latency percentiles, at `now`.
    #[napi(ts_args_type = "now?: TimeLike | null", ts_return_type = "TrackerStatus")]
    pub fn status(&self, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.status(now_or_current(now.as_ref())?)))
    }

    /// Why a deploy gate should stop at `now` (empty: go on): spent budgets when `failOn`
    /// holds `'overspent'`, firing burn tiers of the severities in `failOn` (default both
    /// `'overspent'` and `'page'`).
    #[napi(ts_args_type = "now?: TimeLike | null, failOn?: string[] | null")]
    pub fn gate_problems(&self, now: Option<Time<'_>>, fail_on: Option<Vec<String>>) -> errors::Result<Vec<String>> {
        crate::errors::guard(|| {
            let fail_on: Option<Vec<&str>> = fail_on.as_ref().map(|f| f.iter().map(String::as_str).collect());
            Ok(self.inner.status(now_or_current(now.as_ref())?).gate_problems(fail_on.as_deref()))
        })
    }

    /// The status at `now` in the Prometheus text exposition format (metric names start with
    /// `prefix`, default `fleetops`): SLI, budget remaining, burn rate per window, firing tiers,
    /// latency quantiles, event counts.
    #[napi(ts_args_type = "now?: TimeLike | null, prefix?: string | null")]
    pub fn prometheus(&self, now: Option<Time<'_>>, prefix: Option<String>) -> errors::Result<String> {
        crate::errors::guard(|| {
            let status = self.inner.status(now_or_current(now.as_ref())?);
            status.prometheus(prefix.as_deref()).js()
        })
    }

    /// `{good, total}` of one objective over the `window` ending at `now`.
    #[napi(ts_args_type = "objective: string, window: DurationLike, now?: TimeLike | null", ts_return_type = "Counts")]
    pub fn window_counts(&self, objective: String, window: Duration<'_>, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let window = duration(&window)?.to_delta().js()?;
            js(self.inner.window_counts(&objective, window, now_or_current(now.as_ref())?).js()?)
        })
    }

    /// Latency percentiles over the `window` ending at `now`.
    #[napi(ts_args_type = "window: DurationLike, now?: TimeLike | null", ts_return_type = "LatencyStatus")]
    pub fn latency(&self, window: Duration<'_>, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let window = duration(&window)?.to_delta().js()?;
            js(self.inner.latency(window, now_or_current(now.as_ref())?))
        })
    }

    /// Evaluates threshold rules (default: the runbook's) at `now`.
    #[napi(
        ts_args_type = "rules?: Array<string | RuleOption> | null, now?: TimeLike | null",
        ts_return_type = "RuleResult[]"
    )]
    pub fn evaluate_rules(&self, rules: Option<Vec<serde_json::Value>>, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let rules = rules_of(rules)?;
            js(self.inner.evaluate_rules(&rules, now_or_current(now.as_ref())?).js()?)
        })
    }

    /// Excludes the past range `[start, end)` from every budget and burn window (recomputed
    /// from the buckets held, no event replayed), with a `reason`; saved with the state and
    /// listed in the status. `end` may not be after `now` (default: the current time).
    #[napi(ts_args_type = "start: TimeLike, end: TimeLike, reason: string, now?: TimeLike | null")]
    pub fn correct(
        &mut self,
        start: Time<'_>,
        end: Time<'_>,
        reason: String,
        now: Option<Time<'_>>,
    ) -> errors::Result<()> {
        crate::errors::guard(|| {
            let (start, end) = (crate::convert::timestamp(&start)?, crate::convert::timestamp(&end)?);
            let now = now_or_current(now.as_ref())?;
            self.inner.correct(core::Correction { start, end, reason }, now).js()
        })
    }

    /// Announces maintenance at run time (emergency maintenance): `[start, end)` is left out
    /// of every budget and burn window, its events out of the counters and latency
    /// percentiles; saved with the state and listed in the status. It must start at least
    /// `notice` (default: the runbook's hour) after `now` and after every event recorded.
    #[napi(
        ts_args_type = "start: TimeLike, end: TimeLike, options?: AnnounceOptions | null, now?: TimeLike | null",
        ts_return_type = "Occurrence"
    )]
    pub fn announce_maintenance(
        &mut self,
        start: Time<'_>,
        end: Time<'_>,
        options: Option<AnnounceOptions<'_>>,
        now: Option<Time<'_>>,
    ) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let (start, end) = (crate::convert::timestamp(&start)?, crate::convert::timestamp(&end)?);
            let (name, notice) = options.map_or((None, None), |o| (o.name.flatten(), o.notice));
            let notice = notice.filter(|n| !is_nullish(n)).map(|n| duration(&n)?.to_delta().js()).transpose()?;
            let now = now_or_current(now.as_ref())?;
            js(self.inner.announce_maintenance(core::Announcement { name, start, end, notice }, now).js()?)
        })
    }

    /// The maintenance windows announced at run time and kept, by start.
    #[napi(ts_return_type = "Occurrence[]")]
    pub fn announced_maintenance(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.announced_maintenance()))
    }

    /// A tracker of the spec that OpenSLO v1 YAML documents describe (see `readOpenslo`).
    #[napi(factory)]
    pub fn from_openslo(env: Env, text: String) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec = core::openslo::read(&text).js()?;
            Ok(Self::reported(&env, core::SloTracker::new(spec.build().js()?).js()?))
        })
    }

    /// The tracker's spec as OpenSLO v1 YAML (indicators reading the counters under `prefix`).
    #[napi(ts_args_type = "prefix?: string | null")]
    pub fn to_openslo(&self, prefix: Option<String>) -> errors::Result<String> {
        crate::errors::guard(|| core::openslo::write(self.inner.config(), prefix.as_deref()).js())
    }

    /// Prometheus rules for the fleet-wide SLO of every instance running this spec: the error
    /// ratio per objective and burn window, the burn tiers' alerts, and Alertmanager inhibit
    /// rules, reading the counters `prometheus()` exposes under `prefix`.
    #[napi(ts_args_type = "prefix?: string | null", ts_return_type = "PrometheusRules")]
    pub fn prometheus_rules(&self, prefix: Option<String>) -> errors::Result<Js> {
        crate::errors::guard(|| js(core::prometheus_rules(self.inner.config(), prefix.as_deref()).js()?))
    }

    /// The corrections kept, by start.
    #[napi(ts_return_type = "Correction[]")]
    pub fn corrections(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.corrections().to_vec()))
    }

    /// Bytes held by buckets and histograms.
    #[napi(getter)]
    pub fn memory_bytes(&self) -> errors::Result<f64> {
        crate::errors::guard(|| Ok(self.inner.memory_bytes() as f64))
    }

    /// The newest event time accepted (ISO-8601 UTC), or null.
    #[napi(getter)]
    pub fn watermark(&self) -> errors::Result<Option<String>> {
        crate::errors::guard(|| Ok(self.inner.watermark().map(fleetops::time::to_iso)))
    }
}

/// The runbook's alert rules (the fleet API runbook).
#[napi(ts_return_type = "ThresholdRule[]")]
pub fn runbook_rules() -> errors::Result<Js> {
    crate::errors::guard(|| js(core::runbook_rules()))
}

fn rule_of(rule: serde_json::Value) -> errors::Result<core::ThresholdRule> {
    core::ThresholdRule::from_name_or_json(crate::results::snake(rule)).js()
}

fn rules_of(rules: Option<Vec<serde_json::Value>>) -> errors::Result<Vec<core::ThresholdRule>> {
    match rules {
        None => Ok(core::runbook_rules()),
        Some(list) => list.into_iter().map(rule_of).collect(),
    }
}

/// Options of `judgeRule`.
#[napi(object)]
pub struct JudgeOptions<'a> {
    /// The tracker resolution the stats were taken at (default 1 min).
    #[napi(ts_type = "DurationLike")]
    pub resolution: Option<Duration<'a>>,
}

/// Judges one rule (a runbook rule's name or a rule object) on window stats, newest first.
#[napi(
    ts_args_type = "rule: string | RuleOption, stats: Array<{ requests: number; failures: number; p95Ms?: number | null; p99Ms?: number | null }>, options?: JudgeOptions",
    ts_return_type = "RuleResult"
)]
pub fn judge_rule(
    rule: serde_json::Value,
    stats: serde_json::Value,
    options: Option<JudgeOptions<'_>>,
) -> errors::Result<Js> {
    let rule = rule_of(rule)?;
    let stats: Vec<core::WindowStats> =
        serde_json::from_value(crate::results::snake(stats)).map_err(|e| invalid_argument(format!("stats: {e}")))?;
    let resolution =
        options.as_ref().and_then(|o| o.resolution.as_ref()).map(|r| duration(r)?.to_delta().js()).transpose()?;
    let steps = rule.steps(resolution).js()?;
    js(rule.judge(&stats, steps).js()?)
}

// Declared for `index.d.ts`; values cross as JSON.
/// A threshold rule as an option.
#[allow(dead_code)]
#[napi(object)]
pub struct RuleOption {
    /// Name.
    pub name: String,
    /// `error_rate`, `requests`, `failures`, `latency_p95_ms` or `latency_p99_ms`.
    pub metric: String,
    /// `>`, `>=`, `<` or `<=`.
    pub op: String,
    /// Threshold (a ratio for error_rate, ms for latencies, a count otherwise).
    pub threshold: f64,
    /// Window, e.g. `"5m"`.
    #[napi(ts_type = "DurationLike")]
    pub window: serde_json::Value,
    /// Severity label.
    pub severity: String,
    /// Must hold throughout this long.
    #[napi(ts_type = "DurationLike | null")]
    pub sustained: Option<serde_json::Value>,
}

/// HTTP statuses as outcomes for `recordBatch`: 1 good, 0 bad. A 5xx is bad, and so is any
/// status in `badStatuses` (e.g. `[429]`).
#[napi]
pub fn http_outcomes(status: Uint16Array, bad_statuses: Option<Vec<u32>>) -> errors::Result<Uint8Array> {
    crate::errors::guard(|| {
        let bad = bad_statuses
            .unwrap_or_default()
            .into_iter()
            .map(|s| u16::try_from(s).map_err(|_| invalid_argument(format!("{s} is not an HTTP status"))))
            .collect::<errors::Result<Vec<u16>>>()?;
        Ok(core::http_outcomes(&status, &bad).into())
    })
}

// The saved-state methods, written once (crate::external::saved_methods).
crate::external::saved_methods!(LatencyHistogram, plain, merge);
crate::external::saved_methods!(SloTracker, reported, merge);
