//! `FreshnessPolicy`, `LoadSchedule`, `classifyTables`, `dbtSources`, `checkCadence`.

use fleetops::freshness::{
    self as core, FreshnessPolicy as CorePolicy, LoadSchedule as CoreSchedule, PolicySpec, ScheduleSpec, TableInput,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::convert::{now_or_current, opt_timestamp, options, plain, spec, take_now, timestamp, Duration, Time};
use crate::errors::{self, IntoJs};
use crate::jsser::Js;
use crate::results;
use fleetops::options::Plain;

// Declared for `index.d.ts`.
/// A tier: `maxAge` null (or absent) for the last, catch-all tier.
#[allow(dead_code)]
#[napi(object)]
pub struct TierOption<'a> {
    /// The class name.
    pub name: String,
    /// Inclusive upper bound.
    #[napi(ts_type = "DurationLike | null")]
    pub max_age: Option<Duration<'a>>,
}

// Declared for `index.d.ts`; read as the core's `PolicySpec`.
/// Policy options; every one left out keeps its default.
#[allow(dead_code)]
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
    #[napi(constructor, ts_args_type = "options?: PolicyOptions | null")]
    pub fn new(options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec: PolicySpec = spec(self::options(options.as_ref())?)?;
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
    ) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref())?;
            let (now, table) = match &options {
                Some(o) => (now_or_current(o.now.as_ref())?, o.table.as_ref().and_then(|t| t.as_deref()).unwrap_or("")),
                None => (now_or_current(None)?, ""),
            };
            results::js(self.inner.classify(table, last, now))
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

// Declared for `index.d.ts`; read as the core's `ScheduleSpec`.
/// Schedule options.
#[allow(dead_code)]
#[napi(object)]
pub struct ScheduleOptions<'a> {
    /// IANA time zone (default `"UTC"`).
    pub timezone: Option<Option<String>>,
    /// Allowed delay after each run (default 0).
    #[napi(ts_type = "DurationLike | null")]
    pub allowed_delay: Option<Duration<'a>>,
    /// Maintenance windows: a run scheduled inside one is due by the window's end plus the
    /// allowed delay.
    #[napi(ts_type = "MaintenanceWindowOptions[] | null")]
    pub maintenance: Option<serde_json::Value>,
}

/// When loads are expected: a cron expression in a time zone, late after a delay.
#[napi]
pub struct LoadSchedule {
    inner: CoreSchedule,
}

#[napi]
impl LoadSchedule {
    /// A schedule such as `new LoadSchedule("0 2 * * *", {timezone: "Europe/Amsterdam", allowedDelay: "45m"})`.
    #[napi(constructor, ts_args_type = "cron: string, options?: ScheduleOptions | null")]
    pub fn new(cron: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            let spec: ScheduleSpec = spec(self::options(options.as_ref())?.with("cron", plain(&cron)?))?;
            Ok(Self { inner: spec.build().js()? })
        })
    }

    /// Where a table stands against the schedule.
    #[napi(ts_args_type = "lastLoadedAt: TimeLike | null, options?: NowOptions", ts_return_type = "ScheduleCheck")]
    pub fn check(&self, last_loaded_at: Option<Time<'_>>, options: Option<NowOptions<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref())?;
            let now = now_or_current(options.as_ref().and_then(|o| o.now.as_ref()))?;
            results::js(self.inner.check(last, now))
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
    #[napi(ts_type = "LoadSchedule | ScheduleSpecOption | null")]
    pub schedule: Option<Unknown<'a>>,
}

// Declared for `index.d.ts`; read as the core's `ScheduleSpec`.
/// A schedule inside a table entry.
#[allow(dead_code)]
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

/// Cadence options (defaults: 5 intervals, 3 spreads, 10 % slack), declared for `index.d.ts`.
#[allow(dead_code)]
#[napi(object)]
pub struct CadenceOption {
    /// Intervals needed.
    pub min_intervals: Option<Option<f64>>,
    /// Spreads allowed above the median.
    pub spread_factor: Option<Option<f64>>,
    /// Least slack as a fraction of the median.
    pub min_slack_ratio: Option<Option<f64>>,
}

// Declared for `index.d.ts`; `now`, then the core's `BatchSpec`.
/// Options of the batch calls.
#[allow(dead_code)]
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

/// The schedule of a `LoadSchedule` instance, if the value is one.
fn schedule_instance(value: &Unknown<'_>) -> Option<CoreSchedule> {
    use napi::bindgen_prelude::{ClassInstance, FromNapiValue};
    use napi::JsValue;
    let raw = value.value();
    // SAFETY: a value napi handed this call, in its env. `ClassInstance` checks that it wraps a
    // `LoadSchedule` (type tag and class) before reading it; a plain object is an error.
    let instance = unsafe { ClassInstance::<LoadSchedule>::from_napi_value(raw.env, raw.value) }.ok()?;
    Some(instance.inner.clone())
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
                // A `LoadSchedule` instance (as Python takes one in a table record), or options.
                let schedule = match t.schedule.as_ref() {
                    None => None,
                    Some(s) => match schedule_instance(s) {
                        Some(schedule) => Some(schedule),
                        None => match plain(s)? {
                            Plain::Null => None,
                            s => Some(spec::<ScheduleSpec>(s)?.build().js()?),
                        },
                    },
                };
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
    options: Option<&Unknown<'_>>,
) -> errors::Result<(CorePolicy, core::FreshnessReport, core::BatchSpec)> {
    // The options, the tables, `now`, then the cadence options' values (as Python).
    let mut options = self::options(options)?;
    let now = take_now(&mut options);
    let spec: core::BatchSpec = spec(options)?;
    let inputs = table_inputs(tables)?;
    let now = now?;
    let cadence = spec.cadence.unwrap_or_default().build().js()?;
    let policy = policy.map_or_else(CorePolicy::runbook, |p| p.inner.clone());
    let report = core::classify_tables(&policy, &inputs, now, &cadence).js()?;
    Ok((policy, report, spec))
}

/// Classifies many tables in one call (policy default: the runbook's).
#[napi(
    ts_args_type = "tables: Array<TableOption> | Record<string, TimeLike | null>, policy?: FreshnessPolicy | null, options?: BatchOptions",
    ts_return_type = "FreshnessReport"
)]
pub fn classify_tables(
    tables: Tables<'_>,
    policy: Option<&FreshnessPolicy>,
    options: Option<Unknown<'_>>,
) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let (_, report, _) = batch(&tables, policy, options.as_ref())?;
        results::js(report)
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
    options: Option<Unknown<'_>>,
) -> errors::Result<serde_json::Value> {
    crate::errors::guard(|| {
        let (policy, report, spec) = batch(&tables, policy, options.as_ref())?;
        let source = spec.source.as_deref();
        // dbt's artifact keeps dbt's names (the schema marks it `x-keep-case`).
        fleetops::wire::to_value(&report.to_dbt_sources(&policy, source)).js()
    })
}

// Declared for `index.d.ts`; `now`, then the core's `CheckCadenceSpec`.
/// Options of `checkCadence`.
#[allow(dead_code)]
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
pub fn check_cadence(history: Vec<Time<'_>>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        // The options, the history, `now`, then the options' values (as Python).
        let mut options = self::options(options.as_ref())?;
        let now = take_now(&mut options);
        let spec: core::CheckCadenceSpec = spec(options)?;
        let history = history.iter().map(timestamp).collect::<errors::Result<Vec<_>>>()?;
        results::js(spec.check(&history, now?).js()?)
    })
}
