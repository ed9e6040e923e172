//! `errorBudget`, `periodWindow`, `timesliceBudget`, `forecastBudget`, `BurnPolicy`.

use fleetops::slo::{self as core, BurnPolicySpec, Counts, CountsSpec, Objective};
use napi::bindgen_prelude::{BigInt64Array, TypedArrayType, Uint16Array, Uint8Array, Unknown};
use napi_derive::napi;

use crate::arg;
use crate::convert::{duration, now_or_current, plain, spec, take_now, Duration, Time};
use crate::errors::{self, invalid_argument, IntoJs};
use crate::external::External;
use crate::jsser::Js;
use crate::results::js;
use napi::Env;

/// The events-based error budget (`{status: "no_data"}` without events).
#[napi(ts_args_type = "objective: number, counts: BudgetCountsOption", ts_return_type = "Budget")]
pub fn error_budget(objective: Unknown<'_>, counts: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let objective = arg::number(&objective, "objective")?;
        // No counts (null or left out) is counts with none given: the core's INVALID_COUNT.
        let spec: core::EventBudgetSpec = spec(crate::convert::options(counts.as_ref())?)?;
        let objective = Objective::new(objective).js()?;
        js(spec.budget(objective).js()?)
    })
}

/// The deploy gate on counts alone: `["budget overspent (N % used)"]` when the budget is spent
/// and `failOn` (default `["overspent", "page"]`) holds `"overspent"`, else `[]`.
#[napi(ts_args_type = "objective: number, counts: CountsOption, failOn?: string[] | null")]
pub fn error_budget_gate(
    objective: Unknown<'_>,
    counts: Option<Unknown<'_>>,
    fail_on: Option<Unknown<'_>>,
) -> errors::Result<Vec<String>> {
    crate::errors::guard(|| {
        let objective = arg::number(&objective, "objective")?;
        let fail_on: Option<Vec<String>> = arg::opt_data(fail_on.as_ref(), "failOn")?;
        let spec: CountsSpec = spec(crate::convert::options(counts.as_ref())?)?;
        let objective = Objective::new(objective).js()?;
        let c = spec.build().js()?;
        let fail_on: Option<Vec<&str>> = fail_on.as_ref().map(|f| f.iter().map(String::as_str).collect());
        Ok(core::event_budget(objective, c, None).js()?.gate_problems(fail_on.as_deref()))
    })
}

/// A period's bounds at `now` (`"30d"`, `"month"`, `"week"`, `"quarter"`).
#[napi(ts_args_type = "period: string, options?: PeriodOptions | null", ts_return_type = "Window")]
pub fn period_window(period: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let mut options = crate::convert::options(options.as_ref())?;
        let now = take_now(&mut options);
        let spec: core::PeriodWindowSpec = spec(options.with("period", arg::plain(&period, "period")?))?;
        js(spec.window(now?).js()?)
    })
}

/// Time-slice budgeting over `[good, total]` slices.
#[napi(
    ts_args_type = "objective: number, slices: Array<[number, number]>, options: TimesliceOptions",
    ts_return_type = "TimeSliceBudget"
)]
pub fn timeslice_budget(
    objective: Unknown<'_>,
    slices: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let objective = arg::number(&objective, "objective")?;
        let slices: Vec<Vec<f64>> = arg::data(&slices, "slices")?;
        let spec: core::TimesliceSpec = spec(crate::convert::options(options.as_ref())?)?;
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

/// Time to exhaustion at a burn rate, and the budget left at the period's end.
#[napi(
    ts_args_type = "remainingPercent: number, burnRate: number, options: ForecastOptions",
    ts_return_type = "Forecast"
)]
pub fn forecast_budget(
    remaining_percent: Unknown<'_>,
    burn_rate: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let remaining_percent = arg::number(&remaining_percent, "remainingPercent")?;
        let burn_rate = arg::number(&burn_rate, "burnRate")?;
        let spec: core::ForecastSpec = spec(crate::convert::options(options.as_ref())?)?;
        js(spec.forecast(remaining_percent, burn_rate).js()?)
    })
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
    pub fn evaluate(&self, objective: Unknown<'_>, windows: Unknown<'_>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let objective = arg::number(&objective, "objective")?;
            let windows = arg::entries(&windows, "windows")?
                .iter()
                .map(|(secs, c)| {
                    let counts: Vec<f64> = arg::data(c, &format!("windows.{secs}"))?;
                    Ok((core::window_key(secs).js()?, pair(&counts)?))
                })
                .collect::<errors::Result<Vec<_>>>()?;
            let objective = Objective::new(objective).js()?;
            js(self.inner.evaluate_windows(objective, &windows).js()?)
        })
    }
}

/// Latencies in ms in an HdrHistogram: percentiles and the share under a threshold.
#[napi]
pub struct LatencyHistogram {
    inner: core::LatencyHistogram,
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
    #[napi(ts_args_type = "latencyMs: number")]
    pub fn record(&mut self, latency_ms: Unknown<'_>) -> errors::Result<()> {
        crate::errors::guard(|| self.inner.record(arg::number(&latency_ms, "latencyMs")?).js())
    }

    /// Records many latencies in ms in one call (a typed array is read in place).
    #[napi(ts_args_type = "latenciesMs: Float64Array | number[]")]
    pub fn record_batch(&mut self, latencies_ms: Unknown<'_>) -> errors::Result<()> {
        crate::errors::guard(|| self.inner.record_batch(arg::floats(&latencies_ms, "latenciesMs")?.as_slice()).js())
    }

    /// Recorded latencies.
    #[napi(getter)]
    pub fn count(&self) -> errors::Result<f64> {
        crate::errors::guard(|| Ok(self.inner.count() as f64))
    }

    /// The latency at percentile `p` (0 to 100); null when empty.
    #[napi(ts_args_type = "p: number")]
    pub fn percentile(&self, p: Unknown<'_>) -> errors::Result<Option<f64>> {
        crate::errors::guard(|| self.inner.percentile(arg::number(&p, "p")?).js())
    }

    /// The share of latencies at or under `thresholdMs`; null when empty.
    #[napi(ts_args_type = "thresholdMs: number")]
    pub fn fraction_under(&self, threshold_ms: Unknown<'_>) -> errors::Result<Option<f64>> {
        crate::errors::guard(|| self.inner.fraction_under(arg::number(&threshold_ms, "thresholdMs")?).js())
    }

    /// Count, extremes, mean, p50/p95/p99/p99.9.
    #[napi(ts_return_type = "LatencySummary")]
    pub fn summary(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.summary()))
    }
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
#[napi(ts_args_type = "text: string", ts_return_type = "SloTrackerOptions")]
pub fn read_openslo(text: Unknown<'_>) -> errors::Result<Js> {
    crate::errors::guard(|| js(core::openslo::read(&arg::text(&text, "text")?).js()?))
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
        ok: Unknown<'_>,
        latency_ms: Option<Unknown<'_>>,
        now: Option<Time<'_>>,
    ) -> errors::Result<()> {
        let out = crate::errors::guard(|| {
            // Types first, then values (as Python, whose typed parameters pyo3 reads first).
            let ok = arg::flag(&ok, "ok")?;
            let latency_ms = arg::opt_number(latency_ms.as_ref(), "latencyMs")?;
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
        ts_args_type = "atMs: Float64Array | BigInt64Array | number[], ok: Uint8Array | boolean[], latencyMs?: Float64Array | number[] | null, now?: TimeLike | null"
    )]
    pub fn record_batch(
        &mut self,
        env: Env,
        at_ms: Unknown<'_>,
        ok: Unknown<'_>,
        latency_ms: Option<Unknown<'_>>,
        now: Option<Time<'_>>,
    ) -> errors::Result<u32> {
        let out = crate::errors::guard(|| {
            let ok = arg::flags(&ok, "ok")?;
            let latency = arg::opt_floats(latency_ms.as_ref(), "latencyMs")?;
            let latency: &[f64] = latency.as_ref().map_or(&[], |l| l.as_slice());
            let now = now_or_current(now.as_ref())?;
            // Integer milliseconds are exact as f64 up to the year 287,396.
            let at_ms = match arg::typed_only::<BigInt64Array>(&at_ms, "atMs", TypedArrayType::BigInt64, "") {
                Ok(ms) => arg::Column::Plain(ms.iter().map(|&v| v as f64).collect()),
                Err(_) => arg::floats(&at_ms, "atMs")?,
            };
            let dropped = self
                .inner
                .record_batch_epoch(at_ms.as_slice(), core::EpochUnit::Millis, ok.as_slice(), latency, now)
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
    pub fn gate_problems(&self, now: Option<Time<'_>>, fail_on: Option<Unknown<'_>>) -> errors::Result<Vec<String>> {
        crate::errors::guard(|| {
            let fail_on: Option<Vec<String>> = arg::opt_data(fail_on.as_ref(), "failOn")?;
            let fail_on: Option<Vec<&str>> = fail_on.as_ref().map(|f| f.iter().map(String::as_str).collect());
            Ok(self.inner.status(now_or_current(now.as_ref())?).gate_problems(fail_on.as_deref()))
        })
    }

    /// The status at `now` in the Prometheus text exposition format (metric names start with
    /// `prefix`, default `fleetops`): SLI, budget remaining, burn rate per window, firing tiers,
    /// latency quantiles, event counts.
    #[napi(ts_args_type = "now?: TimeLike | null, prefix?: string | null")]
    pub fn prometheus(&self, now: Option<Time<'_>>, prefix: Option<Unknown<'_>>) -> errors::Result<String> {
        crate::errors::guard(|| {
            let prefix = arg::opt_text(prefix.as_ref(), "prefix")?;
            let status = self.inner.status(now_or_current(now.as_ref())?);
            status.prometheus(prefix.as_deref()).js()
        })
    }

    /// `{good, total}` of one objective over the `window` ending at `now`.
    #[napi(ts_args_type = "objective: string, window: DurationLike, now?: TimeLike | null", ts_return_type = "Counts")]
    pub fn window_counts(
        &self,
        objective: Unknown<'_>,
        window: Duration<'_>,
        now: Option<Time<'_>>,
    ) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let objective = arg::text(&objective, "objective")?;
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
    pub fn evaluate_rules(&self, rules: Option<Unknown<'_>>, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let rules = match rules.as_ref() {
                Some(r) if !arg::absent(Some(r))? => Some(
                    arg::items(r, "rules")?
                        .iter()
                        .map(|r| arg::json(r, "rules"))
                        .collect::<errors::Result<Vec<_>>>()?,
                ),
                _ => None,
            };
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
        reason: Unknown<'_>,
        now: Option<Time<'_>>,
    ) -> errors::Result<()> {
        crate::errors::guard(|| {
            let reason = arg::text(&reason, "reason")?;
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
        options: Option<Unknown<'_>>,
        now: Option<Time<'_>>,
    ) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let (start, end) = (crate::convert::timestamp(&start)?, crate::convert::timestamp(&end)?);
            let spec: core::AnnounceSpec = spec(crate::convert::options(options.as_ref())?)?;
            let announced = spec.announcement(start, end).js()?;
            let now = now_or_current(now.as_ref())?;
            js(self.inner.announce_maintenance(announced, now).js()?)
        })
    }

    /// The maintenance windows announced at run time and kept, by start.
    #[napi(ts_return_type = "Occurrence[]")]
    pub fn announced_maintenance(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.announced_maintenance()))
    }

    /// A tracker of the spec that OpenSLO v1 YAML documents describe (see `readOpenslo`).
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_openslo(env: Env, text: Unknown<'_>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec = core::openslo::read(&arg::text(&text, "text")?).js()?;
            Ok(Self::reported(&env, core::SloTracker::new(spec.build().js()?).js()?))
        })
    }

    /// The tracker's spec as OpenSLO v1 YAML (indicators reading the counters under `prefix`).
    #[napi(ts_args_type = "prefix?: string | null")]
    pub fn to_openslo(&self, prefix: Option<Unknown<'_>>) -> errors::Result<String> {
        crate::errors::guard(|| {
            let prefix = arg::opt_text(prefix.as_ref(), "prefix")?;
            core::openslo::write(self.inner.config(), prefix.as_deref()).js()
        })
    }

    /// Prometheus rules for the fleet-wide SLO of every instance running this spec: the error
    /// ratio per objective and burn window, the burn tiers' alerts, and Alertmanager inhibit
    /// rules, reading the counters `prometheus()` exposes under `prefix`.
    #[napi(ts_args_type = "prefix?: string | null", ts_return_type = "PrometheusRules")]
    pub fn prometheus_rules(&self, prefix: Option<Unknown<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let prefix = arg::opt_text(prefix.as_ref(), "prefix")?;
            js(core::prometheus_rules(self.inner.config(), prefix.as_deref()).js()?)
        })
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
    core::ThresholdRule::from_name_or_json(rule).js()
}

fn rules_of(rules: Option<Vec<serde_json::Value>>) -> errors::Result<Vec<core::ThresholdRule>> {
    match rules {
        None => Ok(core::runbook_rules()),
        Some(list) => list.into_iter().map(rule_of).collect(),
    }
}

/// Judges one rule (a runbook rule's name or a rule object) on window stats, newest first.
#[napi(
    ts_args_type = "rule: string | RuleOption, stats: WindowStatsOption[], options?: JudgeOptions | null",
    ts_return_type = "RuleResult"
)]
pub fn judge_rule(rule: Unknown<'_>, stats: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        // As in Python: both arguments read as data first, then the rule checked, then the stats.
        let (rule, stats) = (arg::json(&rule, "rule")?, arg::json(&stats, "stats")?);
        let rule = rule_of(rule)?;
        let plain = fleetops::options::Plain::from(&stats);
        let stats: Vec<core::WindowStats> =
            fleetops::options::parse_named(plain, fleetops::options::Case::Camel, "stats").js()?;
        let options: core::JudgeSpec = spec(crate::convert::options(options.as_ref())?)?;
        js(options.judge(&rule, &stats).js()?)
    })
}

/// HTTP statuses as outcomes for `recordBatch`: 1 good, 0 bad. A 5xx is bad, and so is any
/// status in `badStatuses` (e.g. `[429]`).
#[napi(ts_args_type = "status: Uint16Array | number[], badStatuses?: number[] | null")]
pub fn http_outcomes(status: Unknown<'_>, bad_statuses: Option<Unknown<'_>>) -> errors::Result<Uint8Array> {
    crate::errors::guard(|| {
        let status = arg::column::<Uint16Array, u16>(
            &status,
            "status",
            TypedArrayType::Uint16,
            "a Uint16Array or an array of HTTP statuses",
            arg::data,
        )?;
        let bad: Vec<u16> = arg::opt_data(bad_statuses.as_ref(), "badStatuses")?.unwrap_or_default();
        Ok(core::http_outcomes(status.as_slice(), &bad).into())
    })
}

// The saved-state methods, written once (crate::external::saved_methods).
crate::external::saved_methods!(LatencyHistogram, plain, merge = "other: LatencyHistogram");
crate::external::saved_methods!(SloTracker, reported, merge = "other: SloTracker");
