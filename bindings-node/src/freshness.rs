//! `FreshnessPolicy`, `LoadSchedule`, `classifyTables`, `dbtSources`, `checkCadence`.

use fleetops::freshness::{
    self as core, FreshnessPolicy as CorePolicy, LoadSchedule as CoreSchedule, PolicySpec, ScheduleSpec, TableInput,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::arg;
use crate::convert::{now_or_current, opt_timestamp, options, spec, take_now, timestamp, Time};
use crate::errors::{self, IntoJs};
use crate::jsser::Js;
use crate::results;

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
    pub fn classify(&self, last_loaded_at: Option<Time<'_>>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            // Types first, then values (as Python, whose typed parameters pyo3 reads first).
            let [now, table] = arg::fields(options.as_ref(), "options", ["now", "table"])?;
            let table = arg::opt_text(table.as_ref(), "table")?;
            let last = opt_timestamp(last_loaded_at.as_ref())?;
            let now = now_or_current(now.as_ref())?;
            results::js(self.inner.classify(table.as_deref().unwrap_or(""), last, now))
        })
    }

    /// Like `classifyAges`, but one byte per age: the index of its class in `classNames`.
    /// The fastest form: no JS string is created.
    #[napi(ts_args_type = "ages: Float64Array | number[]")]
    pub fn classify_age_codes(&self, ages: Unknown<'_>) -> errors::Result<Uint8Array> {
        crate::errors::guard(|| Ok(Uint8Array::new(self.codes(&ages)?)))
    }

    /// Classes of many ages in seconds, crossing into Rust once.
    #[napi(ts_args_type = "ages: Float64Array | number[]", ts_return_type = "Array<string>")]
    pub fn classify_ages<'env>(&self, env: &'env Env, ages: Unknown<'_>) -> errors::Result<Array<'env>> {
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
    fn codes(&self, ages: &Unknown<'_>) -> errors::Result<Vec<u8>> {
        let mut classes = Vec::new();
        self.inner.classify_ages(arg::floats(ages, "ages")?.as_slice(), &mut classes).js()?;
        Ok(classes)
    }
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
            let spec: ScheduleSpec = spec(self::options(options.as_ref())?.with("cron", arg::plain(&cron, "cron")?))?;
            Ok(Self { inner: spec.build().js()? })
        })
    }

    /// Where a table stands against the schedule.
    #[napi(ts_args_type = "lastLoadedAt: TimeLike | null, options?: NowOptions", ts_return_type = "ScheduleCheck")]
    pub fn check(&self, last_loaded_at: Option<Time<'_>>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let last = opt_timestamp(last_loaded_at.as_ref())?;
            let [now] = arg::fields(options.as_ref(), "options", ["now"])?;
            let now = now_or_current(now.as_ref())?;
            results::js(self.inner.check(last, now))
        })
    }
}

/// The schedule of a `LoadSchedule` instance, if the value is one.
/// One table record of a list: `{table, lastLoadedAt, history, schedule}`.
fn table_input(value: &Unknown<'_>, at: &str) -> errors::Result<TableInput> {
    let [table, last, history, schedule] =
        arg::fields(Some(value), at, ["table", "lastLoadedAt", "history", "schedule"])?;
    let name = match &table {
        Some(t) => arg::text(t, &format!("{at}.table"))?,
        None => {
            let missing = fleetops::FleetopsError::InvalidArgument(format!("{at}.table is required"));
            return Err(errors::to_js(missing));
        }
    };
    let history = match history {
        Some(h) if !arg::absent(Some(&h))? => {
            Some(arg::items(&h, &format!("{at}.history"))?.iter().map(timestamp).collect::<errors::Result<Vec<_>>>()?)
        }
        _ => None,
    };
    // A `LoadSchedule` instance (as Python takes one in a table record), or its options.
    let schedule = match schedule {
        Some(s) if !arg::absent(Some(&s))? => match arg::instance::<LoadSchedule>(&s, "schedule", "LoadSchedule") {
            Ok(instance) => Some(instance.inner.clone()),
            Err(_) => Some(spec::<ScheduleSpec>(arg::plain(&s, &format!("{at}.schedule"))?)?.build().js()?),
        },
        _ => None,
    };
    Ok(TableInput { name, last_loaded_at: opt_timestamp(last.as_ref())?, history, schedule })
}

/// Tables as a list of records, or a record of `{name: lastLoadedAt}` judged in the core's
/// record order (by name).
fn table_inputs(tables: &Unknown<'_>) -> errors::Result<Vec<TableInput>> {
    if arg::is_array(tables)? {
        return arg::items(tables, "tables")?
            .iter()
            .enumerate()
            .map(|(i, t)| table_input(t, &format!("tables[{i}]")))
            .collect();
    }
    let mut out = arg::entries(tables, "tables")?
        .iter()
        .map(|(name, last)| Ok(TableInput::new(name, opt_timestamp(Some(last))?)))
        .collect::<errors::Result<Vec<_>>>()?;
    core::record_order(&mut out);
    Ok(out)
}

fn batch(
    tables: &Unknown<'_>,
    policy: Option<&Unknown<'_>>,
    options: Option<&Unknown<'_>>,
) -> errors::Result<(CorePolicy, core::FreshnessReport, core::BatchSpec)> {
    // The options, the tables, `now`, then the cadence options' values (as Python).
    let mut options = self::options(options)?;
    let now = take_now(&mut options);
    let spec: core::BatchSpec = spec(options)?;
    let inputs = table_inputs(tables)?;
    let now = now?;
    let cadence = spec.cadence.unwrap_or_default().build().js()?;
    let policy = match policy {
        Some(p) if !arg::absent(Some(p))? => {
            arg::instance::<FreshnessPolicy>(p, "policy", "FreshnessPolicy")?.inner.clone()
        }
        _ => CorePolicy::runbook(),
    };
    let report = core::classify_tables(&policy, &inputs, now, &cadence).js()?;
    Ok((policy, report, spec))
}

/// Classifies many tables in one call (policy default: the runbook's).
#[napi(
    ts_args_type = "tables: Array<TableOption> | Record<string, TimeLike | null>, policy?: FreshnessPolicy | null, options?: BatchOptions",
    ts_return_type = "FreshnessReport"
)]
pub fn classify_tables(
    tables: Unknown<'_>,
    policy: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let (_, report, _) = batch(&tables, policy.as_ref(), options.as_ref())?;
        results::js(report)
    })
}

/// The same batch in the shape of dbt's `sources.json` (dbt's snake_case keys).
#[napi(
    ts_args_type = "tables: Array<TableOption> | Record<string, TimeLike | null>, policy?: FreshnessPolicy | null, options?: BatchOptions",
    ts_return_type = "DbtSources"
)]
pub fn dbt_sources(
    tables: Unknown<'_>,
    policy: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> errors::Result<serde_json::Value> {
    crate::errors::guard(|| {
        let (policy, report, spec) = batch(&tables, policy.as_ref(), options.as_ref())?;
        let source = spec.source.as_deref();
        // dbt's artifact keeps dbt's names (the schema marks it `x-keep-case`).
        fleetops::wire::to_value(&report.to_dbt_sources(&policy, source)).js()
    })
}

/// Learns a table's cadence from its load history and checks the current gap.
#[napi(ts_args_type = "history: Array<TimeLike>, options?: CheckCadenceOptions", ts_return_type = "CadenceCheck")]
pub fn check_cadence(history: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        // The options, the history, `now`, then the options' values (as Python).
        let mut options = self::options(options.as_ref())?;
        let now = take_now(&mut options);
        let spec: core::CheckCadenceSpec = spec(options)?;
        let history = arg::items(&history, "history")?.iter().map(timestamp).collect::<errors::Result<Vec<_>>>()?;
        results::js(spec.check(&history, now?).js()?)
    })
}
