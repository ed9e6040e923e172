//! `FreshnessPolicy`, `LoadSchedule`, `classifyTables`, `dbtSources`, `checkCadence`.

use fleetops::freshness::{
    self as core, CadenceSpec, FreshnessPolicy as CorePolicy, LoadSchedule as CoreSchedule, PolicySpec, ScheduleSpec,
    TableInput, TierSpec,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::convert::{duration, now_or_current, opt_duration, opt_timestamp, timestamp, Duration, Time};
use crate::errors::{self, IntoJs};
use crate::results;

/// A tier: `maxAge` null (or absent) for the last, catch-all tier.
#[napi(object)]
pub struct TierOption<'a> {
    /// The class name.
    pub name: String,
    /// Inclusive upper bound.
    #[napi(ts_type = "DurationLike | null")]
    pub max_age: Option<Duration<'a>>,
}

/// A tier as `{name, maxAge}` or `[name, maxAge]` (the form Python writes).
fn tier(t: &Either<TierOption<'_>, Vec<Unknown<'_>>>) -> errors::Result<TierSpec> {
    match t {
        Either::A(t) => Ok(TierSpec::Pair(t.name.clone(), opt_duration(t.max_age.as_ref())?)),
        Either::B(pair) => match pair.as_slice() {
            [name, max_age] if name.get_type().js()? == ValueType::String => {
                // SAFETY: the value's JS type was checked just before (the match guard).
                let name = unsafe { name.cast::<String>() }.js()?;
                Ok(TierSpec::Pair(name, opt_duration(Some(max_age))?))
            }
            _ => {
                let err = fleetops::wire::wrong_type("a tier ({name, maxAge} or [name, maxAge])", "another array");
                Err(crate::errors::to_js(err))
            }
        },
    }
}

/// Policy options; every one left out keeps its default.
#[napi(object)]
pub struct PolicyOptions<'a> {
    /// Start from a preset (`"runbook"`).
    pub preset: Option<Option<String>>,
    /// Tiers (default: the runbook's): `{name, maxAge}` or, as in Python, `[name, maxAge]`.
    #[napi(ts_type = "Array<TierOption | [string, DurationLike | null]>")]
    pub tiers: Option<Vec<Either<TierOption<'a>, Vec<Unknown<'a>>>>>,
    /// dbt's warn_after.
    #[napi(ts_type = "DurationLike | null")]
    pub warn_after: Option<Duration<'a>>,
    /// dbt's error_after.
    #[napi(ts_type = "DurationLike | null")]
    pub error_after: Option<Duration<'a>>,
    /// Stale after this long.
    #[napi(ts_type = "DurationLike | null")]
    pub stale_after: Option<Duration<'a>>,
    /// Clock-skew tolerance (default 5 min).
    #[napi(ts_type = "DurationLike | null")]
    pub clock_skew_tolerance: Option<Duration<'a>>,
    /// Level of a missing table (default `"error"`).
    pub missing_level: Option<Option<String>>,
    /// Level of a future-dated table (default `"warn"`).
    pub future_level: Option<Option<String>>,
}

/// How a table's age is judged: tiers, dbt warn/error limits, staleness, clock skew.
#[napi]
pub struct FreshnessPolicy {
    inner: CorePolicy,
}

#[napi]
impl FreshnessPolicy {
    /// Builds a policy; options left out keep their defaults.
    #[napi(constructor)]
    pub fn new(options: Option<PolicyOptions<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let Some(o) = options else {
                return Ok(Self { inner: PolicySpec::default().build().js()? });
            };
            let tiers = o.tiers.map(|ts| ts.iter().map(tier).collect::<errors::Result<Vec<_>>>()).transpose()?;
            let spec = PolicySpec {
                preset: o.preset.clone().flatten(),
                tiers,
                warn_after: opt_duration(o.warn_after.as_ref())?,
                error_after: opt_duration(o.error_after.as_ref())?,
                stale_after: opt_duration(o.stale_after.as_ref())?,
                clock_skew_tolerance: opt_duration(o.clock_skew_tolerance.as_ref())?,
                missing_level: o.missing_level.clone().flatten(),
                future_level: o.future_level.clone().flatten(),
            };
            Ok(Self { inner: spec.build().js()? })
        })
    }

    /// The runbooks' policy: tiers 60/360/720 min, warn > 360 min, error > 720 min, stale > 3 h.
    #[napi(factory)]
    pub fn runbook() -> errors::Result<Self> {
        crate::errors::guard(|| Ok(Self { inner: CorePolicy::runbook() }))
    }

    /// Every class a result can have: the tiers, then MISSING and FUTURE.
    #[napi(getter)]
    pub fn class_names(&self) -> errors::Result<Vec<String>> {
        crate::errors::guard(|| Ok(self.inner.class_names().into_iter().map(String::from).collect()))
    }

    /// Classifies one table from its last load (null: never loaded).
    #[napi(
        ts_args_type = "lastLoadedAt: TimeLike | null, options?: ClassifyOptions",
        ts_return_type = "TableFreshness"
    )]
    pub fn classify(
        &self,
        last_loaded_at: Option<Time<'_>>,
        options: Option<ClassifyOptions<'_>>,
    ) -> errors::Result<serde_json::Value> {
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref())?;
            let (now, table) = match &options {
                Some(o) => (now_or_current(o.now.as_ref())?, o.table.as_ref().and_then(|t| t.as_deref()).unwrap_or("")),
                None => (now_or_current(None)?, ""),
            };
            results::js(&self.inner.classify(table, last, now))
        })
    }

    /// Like `classifyAges`, but one byte per age: the index of its class in `classNames`.
    /// The fastest form: no JS string is created.
    #[napi]
    pub fn classify_age_codes(&self, ages: Either<Float64Array, Vec<f64>>) -> errors::Result<Uint8Array> {
        crate::errors::guard(|| Ok(Uint8Array::new(self.codes(&ages)?)))
    }

    /// Classes of many ages in seconds, crossing into Rust once.
    #[napi(ts_return_type = "Array<string>")]
    pub fn classify_ages<'env>(
        &self,
        env: &'env Env,
        ages: Either<Float64Array, Vec<f64>>,
    ) -> errors::Result<Array<'env>> {
        crate::errors::guard(|| {
            let classes = self.codes(&ages)?;
            let names = self
                .inner
                .class_names()
                .into_iter()
                .map(|n| env.create_string(n))
                .collect::<napi::Result<Vec<_>>>()
                .js()?;
            let mut out = env.create_array(classes.len() as u32).js()?;
            for (i, &c) in classes.iter().enumerate() {
                out.set(i as u32, names[c as usize]).js()?;
            }
            Ok(out)
        })
    }
}

impl FreshnessPolicy {
    /// Class indices of a typed array (read in place) or a plain array of numbers.
    fn codes(&self, ages: &Either<Float64Array, Vec<f64>>) -> errors::Result<Vec<u8>> {
        let mut classes = Vec::new();
        match ages {
            Either::A(typed) => self.inner.classify_ages(typed, &mut classes),
            Either::B(list) => self.inner.classify_ages(list, &mut classes),
        }
        .js()?;
        Ok(classes)
    }
}

/// Options of `classify`.
#[napi(object)]
pub struct ClassifyOptions<'a> {
    /// Judge at this time (default: now).
    #[napi(ts_type = "TimeLike")]
    pub now: Option<Time<'a>>,
    /// The table's name in the result.
    pub table: Option<Option<String>>,
}

/// Schedule options.
#[napi(object)]
pub struct ScheduleOptions<'a> {
    /// IANA time zone (default `"UTC"`).
    pub timezone: Option<Option<String>>,
    /// Allowed delay after each run (default 0).
    #[napi(ts_type = "DurationLike | null")]
    pub allowed_delay: Option<Duration<'a>>,
}

/// When loads are expected: a cron expression in a time zone, late after a delay.
#[napi]
pub struct LoadSchedule {
    inner: CoreSchedule,
}

#[napi]
impl LoadSchedule {
    /// A schedule such as `new LoadSchedule("0 2 * * *", {timezone: "Europe/Amsterdam", allowedDelay: "45m"})`.
    #[napi(constructor)]
    pub fn new(cron: String, options: Option<ScheduleOptions<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let (timezone, delay) = match options {
                Some(o) => (o.timezone.clone().flatten(), opt_duration(o.allowed_delay.as_ref())?),
                None => (None, None),
            };
            Ok(Self { inner: ScheduleSpec { cron, timezone, allowed_delay: delay }.build().js()? })
        })
    }

    /// Where a table stands against the schedule.
    #[napi(ts_args_type = "lastLoadedAt: TimeLike | null, options?: NowOptions", ts_return_type = "ScheduleCheck")]
    pub fn check(
        &self,
        last_loaded_at: Option<Time<'_>>,
        options: Option<NowOptions<'_>>,
    ) -> errors::Result<serde_json::Value> {
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref())?;
            let now = now_or_current(options.as_ref().and_then(|o| o.now.as_ref()))?;
            results::js(&self.inner.check(last, now))
        })
    }
}

/// Just `now`.
#[napi(object)]
pub struct NowOptions<'a> {
    /// Judge at this time (default: now).
    #[napi(ts_type = "TimeLike")]
    pub now: Option<Time<'a>>,
}

/// One table of a batch.
#[napi(object)]
pub struct TableOption<'a> {
    /// The table's name.
    pub table: String,
    /// `MAX(_loaded_at)`, or null when never loaded.
    #[napi(ts_type = "TimeLike | null")]
    pub last_loaded_at: Option<Time<'a>>,
    /// Past load times, to learn a cadence from.
    #[napi(ts_type = "Array<TimeLike>")]
    pub history: Option<Vec<Time<'a>>>,
    /// The expected schedule.
    pub schedule: Option<Option<ScheduleSpecOption<'a>>>,
}

/// A schedule inside a table entry.
#[napi(object)]
pub struct ScheduleSpecOption<'a> {
    /// Cron expression.
    pub cron: String,
    /// IANA time zone (default `"UTC"`).
    pub timezone: Option<Option<String>>,
    /// Allowed delay (default 0).
    #[napi(ts_type = "DurationLike | null")]
    pub allowed_delay: Option<Duration<'a>>,
}

/// Cadence options (defaults: 5 intervals, 3 spreads, 10 % slack).
#[napi(object)]
pub struct CadenceOption {
    /// Intervals needed.
    pub min_intervals: Option<Option<f64>>,
    /// Spreads allowed above the median.
    pub spread_factor: Option<Option<f64>>,
    /// Least slack as a fraction of the median.
    pub min_slack_ratio: Option<Option<f64>>,
}

fn cadence_spec(o: Option<&CadenceOption>) -> errors::Result<CadenceSpec> {
    Ok(match o {
        None => CadenceSpec::default(),
        Some(o) => CadenceSpec {
            min_intervals: min_intervals(o.min_intervals.flatten())?,
            spread_factor: o.spread_factor.flatten(),
            min_slack_ratio: o.min_slack_ratio.flatten(),
        },
    })
}

fn min_intervals(v: Option<f64>) -> errors::Result<Option<usize>> {
    Ok(crate::convert::opt_count(v, usize::MAX as u64, "minIntervals")?.map(|n| n as usize))
}

/// Options of the batch calls.
#[napi(object)]
pub struct BatchOptions<'a> {
    /// Judge at this time (default: now).
    #[napi(ts_type = "TimeLike")]
    pub now: Option<Time<'a>>,
    /// Cadence options.
    pub cadence: Option<Option<CadenceOption>>,
    /// dbt source name for `dbtSources` (default `"fleetops"`).
    pub source: Option<Option<String>>,
}

fn table_inputs(tables: &Tables<'_>) -> errors::Result<Vec<TableInput>> {
    match tables {
        Either::A(list) => list
            .iter()
            .map(|t| {
                let history = t
                    .history
                    .as_ref()
                    .map(|h| h.iter().map(timestamp).collect::<errors::Result<Vec<_>>>())
                    .transpose()?;
                let schedule = t
                    .schedule
                    .as_ref()
                    .and_then(Option::as_ref)
                    .map(|s| {
                        let spec = ScheduleSpec {
                            cron: s.cron.clone(),
                            timezone: s.timezone.clone().flatten().clone(),
                            allowed_delay: opt_duration(s.allowed_delay.as_ref())?,
                        };
                        spec.build().js()
                    })
                    .transpose()?;
                Ok(TableInput {
                    name: t.table.clone(),
                    last_loaded_at: opt_timestamp(t.last_loaded_at.as_ref())?,
                    history,
                    schedule,
                })
            })
            .collect(),
        Either::B(map) => {
            let mut out = map
                .iter()
                .map(|(name, last)| Ok(TableInput::new(name, opt_timestamp(last.as_ref())?)))
                .collect::<errors::Result<Vec<_>>>()?;
            core::record_order(&mut out);
            Ok(out)
        }
    }
}

// A record's tables are judged in the core's record order (by name).
type Tables<'a> = Either<Vec<TableOption<'a>>, crate::convert::Record<indexmap::IndexMap<String, Option<Time<'a>>>>>;

fn batch(
    tables: &Tables<'_>,
    policy: Option<&FreshnessPolicy>,
    options: Option<&BatchOptions<'_>>,
) -> errors::Result<(CorePolicy, core::FreshnessReport)> {
    let inputs = table_inputs(tables)?;
    let now = now_or_current(options.and_then(|o| o.now.as_ref()))?;
    let cadence = cadence_spec(options.and_then(|o| o.cadence.as_ref().and_then(Option::as_ref)))?.build().js()?;
    let policy = policy.map_or_else(CorePolicy::runbook, |p| p.inner.clone());
    let report = core::classify_tables(&policy, &inputs, now, &cadence).js()?;
    Ok((policy, report))
}

/// Classifies many tables in one call (policy default: the runbook's).
#[napi(
    ts_args_type = "tables: Array<TableOption> | Record<string, TimeLike | null>, policy?: FreshnessPolicy | null, options?: BatchOptions",
    ts_return_type = "FreshnessReport"
)]
pub fn classify_tables(
    tables: Tables<'_>,
    policy: Option<&FreshnessPolicy>,
    options: Option<BatchOptions<'_>>,
) -> errors::Result<serde_json::Value> {
    crate::errors::guard(|| {
        let (_, report) = batch(&tables, policy, options.as_ref())?;
        results::js(&report)
    })
}

/// The same batch in the shape of dbt's `sources.json` (dbt's snake_case keys).
#[napi(
    ts_args_type = "tables: Array<TableOption> | Record<string, TimeLike | null>, policy?: FreshnessPolicy | null, options?: BatchOptions",
    ts_return_type = "DbtSources"
)]
pub fn dbt_sources(
    tables: Tables<'_>,
    policy: Option<&FreshnessPolicy>,
    options: Option<BatchOptions<'_>>,
) -> errors::Result<serde_json::Value> {
    crate::errors::guard(|| {
        let (policy, report) = batch(&tables, policy, options.as_ref())?;
        let source = options.as_ref().and_then(|o| o.source.as_ref().and_then(|s| s.as_deref()));
        // dbt's artifact keeps dbt's names (the schema marks it `x-keep-case`).
        fleetops::wire::to_value(&report.to_dbt_sources(&policy, source)).js()
    })
}

/// Options of `checkCadence`.
#[napi(object)]
pub struct CheckCadenceOptions<'a> {
    /// Judge at this time (default: now).
    #[napi(ts_type = "TimeLike")]
    pub now: Option<Time<'a>>,
    /// Intervals needed (default 5).
    pub min_intervals: Option<Option<f64>>,
    /// Spreads allowed (default 3).
    pub spread_factor: Option<Option<f64>>,
    /// Least slack ratio (default 0.1).
    pub min_slack_ratio: Option<Option<f64>>,
    /// Clock-skew tolerance for history entries (default 5 min).
    #[napi(ts_type = "DurationLike | null")]
    pub clock_skew_tolerance: Option<Duration<'a>>,
}

/// Learns a table's cadence from its load history and checks the current gap.
#[napi(ts_args_type = "history: Array<TimeLike>, options?: CheckCadenceOptions", ts_return_type = "CadenceCheck")]
pub fn check_cadence(
    history: Vec<Time<'_>>,
    options: Option<CheckCadenceOptions<'_>>,
) -> errors::Result<serde_json::Value> {
    crate::errors::guard(|| {
        let history = history.iter().map(timestamp).collect::<errors::Result<Vec<_>>>()?;
        let o = options.as_ref();
        let now = now_or_current(o.and_then(|o| o.now.as_ref()))?;
        let spec = CadenceSpec {
            min_intervals: min_intervals(o.and_then(|o| o.min_intervals.flatten()))?,
            spread_factor: o.and_then(|o| o.spread_factor.flatten()),
            min_slack_ratio: o.and_then(|o| o.min_slack_ratio.flatten()),
        };
        let skew = match o.and_then(|o| o.clock_skew_tolerance.as_ref()) {
            Some(d) => duration(d)?.to_delta().js()?,
            None => core::DEFAULT_CLOCK_SKEW,
        };
        let check = core::check_cadence(&history, now, skew, &spec.build().js()?).js()?;
        results::js(&check)
    })
}
