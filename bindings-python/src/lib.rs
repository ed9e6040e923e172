//! Python bindings of fleetops: argument parsing and result conversion only.
// pyo3 signatures mirror the Python API's keyword arguments, one Rust parameter each.
#![allow(clippy::too_many_arguments)]

mod args;
mod convert;
mod dedup;
mod engine;
mod errors;
mod freshness;
mod keys;
mod pyser;
mod slo;
mod storm;
mod warehouse;

use pyo3::prelude::*;

/// A duration (a `timedelta`, seconds, text such as `45m` or dbt's `{"count", "period"}`) in
/// seconds, read as every duration option is.
#[pyfunction]
fn duration_seconds(duration: Bound<'_, PyAny>) -> PyResult<f64> {
    use crate::errors::IntoPyResult;
    errors::guard(|| Ok(fleetops::time::secs_f64(convert::duration(&duration)?.to_delta().py()?)))
}

/// An instant (an aware `datetime`, epoch seconds or ISO-8601 text with an offset) as the core
/// reads it, written as ISO-8601 UTC: a naive one is refused unless `assume_tz` names its zone.
#[pyfunction]
#[pyo3(signature = (instant, *, assume_tz=None))]
fn utc_iso(instant: Bound<'_, PyAny>, assume_tz: Option<args::Text>) -> PyResult<String> {
    args::plain!(assume_tz);
    errors::guard(|| Ok(fleetops::time::to_iso(convert::timestamp(&instant, assume_tz.as_deref())?)))
}

/// Test hook: panics inside the core on purpose; raises `InternalError` (the process lives).
/// With `within`, the panic happens while that de-duplicator is locked, which leaves it
/// refusing every later call.
#[pyfunction]
#[pyo3(signature = (message, within=None))]
fn _panic_for_test(py: Python<'_>, message: &str, within: Option<PyRef<'_, dedup::Deduper>>) -> PyResult<()> {
    errors::guard(|| match within {
        Some(d) => d.panic_while_locked_for_test(py, message),
        None => errors::IntoPyResult::py(fleetops::error::panic_for_test(message)),
    })
}

/// The compiled part of the `fleetops` package; import `fleetops` instead.
#[pymodule]
fn _fleetops(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<freshness::FreshnessPolicy>()?;
    m.add_class::<warehouse::WarehouseTables>()?;
    m.add_class::<freshness::LoadSchedule>()?;
    m.add_function(wrap_pyfunction!(freshness::classify_tables, m)?)?;
    m.add_function(wrap_pyfunction!(freshness::dbt_sources, m)?)?;
    m.add_function(wrap_pyfunction!(freshness::check_cadence, m)?)?;
    m.add_class::<slo::BurnPolicy>()?;
    m.add_class::<slo::LatencyHistogram>()?;
    m.add_class::<slo::SloTracker>()?;
    m.add_function(wrap_pyfunction!(slo::error_budget, m)?)?;
    m.add_function(wrap_pyfunction!(slo::error_budget_gate, m)?)?;
    m.add_function(wrap_pyfunction!(slo::period_window, m)?)?;
    m.add_function(wrap_pyfunction!(slo::maintenance_windows, m)?)?;
    m.add_function(wrap_pyfunction!(slo::read_openslo, m)?)?;
    m.add_function(wrap_pyfunction!(slo::timeslice_budget, m)?)?;
    m.add_function(wrap_pyfunction!(slo::forecast_budget, m)?)?;
    m.add_function(wrap_pyfunction!(slo::runbook_rules, m)?)?;
    m.add_function(wrap_pyfunction!(slo::judge_rule, m)?)?;
    m.add_function(wrap_pyfunction!(slo::http_outcomes, m)?)?;
    m.add_function(wrap_pyfunction!(slo::assess_health, m)?)?;
    m.add_class::<dedup::Deduper>()?;
    m.add_function(wrap_pyfunction!(dedup::dedup_mask, m)?)?;
    m.add_function(wrap_pyfunction!(dedup::dedup_indices, m)?)?;
    m.add_function(wrap_pyfunction!(dedup::key_hash, m)?)?;
    m.add_function(wrap_pyfunction!(dedup::key_hashes, m)?)?;
    m.add_class::<storm::StormDetector>()?;
    m.add_class::<storm::RateLimiter>()?;
    m.add_class::<storm::Grouper>()?;
    m.add_function(wrap_pyfunction!(storm::fingerprint, m)?)?;
    m.add_function(wrap_pyfunction!(storm::kill_switch_mutes, m)?)?;
    m.add_function(wrap_pyfunction!(storm::label_matches, m)?)?;
    m.add_function(wrap_pyfunction!(storm::flap_series, m)?)?;
    m.add_function(wrap_pyfunction!(storm::escalations_due, m)?)?;
    m.add_function(wrap_pyfunction!(duration_seconds, m)?)?;
    m.add_function(wrap_pyfunction!(utc_iso, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // How often a stream re-reads the kill-switch table (seconds; fleetops.spark's default).
    m.add("MUTE_RELOAD_SECONDS", fleetops::storm::MUTE_RELOAD.num_seconds())?;
    // The integrations' bounds on files they read and locks they wait for.
    m.add("MAX_KILL_SWITCH_FILE_BYTES", fleetops::storm::MAX_KILL_SWITCH_FILE_BYTES)?;
    m.add("MAX_MUTES", fleetops::storm::MAX_MUTES)?;
    m.add("MAX_STATE_FILE_BYTES", fleetops::snapshot::MAX_STATE_FILE_BYTES)?;
    m.add("STATE_LOCK_WAIT_SECONDS", fleetops::snapshot::STATE_LOCK_WAIT_SECONDS)?;
    m.add("STATE_LOCK_POLL_MS", fleetops::snapshot::STATE_LOCK_POLL_MS)?;
    m.add("WAREHOUSE_QUERY_TIMEOUT_SECONDS", fleetops::freshness::warehouse::DEFAULT_QUERY_TIMEOUT_SECONDS)?;
    m.add("WAREHOUSE_INTERRUPT_POLL_MS", fleetops::freshness::warehouse::INTERRUPT_POLL_MS)?;
    // The Airflow helpers' presets (fleetops.airflow holds no rule of its own).
    let levels = |l: &[fleetops::freshness::Level]| -> Vec<&'static str> { l.iter().map(|l| l.as_str()).collect() };
    m.add("TASK_FAIL_ON", pyo3::types::PyTuple::new(m.py(), levels(fleetops::freshness::TASK_FAIL_ON))?)?;
    m.add("TASK_SKIP_ON", pyo3::types::PyTuple::new(m.py(), levels(fleetops::freshness::TASK_SKIP_ON))?)?;
    m.add("SENSOR_DONE_ON", pyo3::types::PyTuple::new(m.py(), levels(fleetops::freshness::SENSOR_DONE_ON))?)?;
    m.add("TASK_FAILURES_PRESET", fleetops::storm::TASK_FAILURES_PRESET)?;
    m.add("PAGE_WHEN_STATE_RESET", fleetops::storm::PAGE_WHEN_STATE_RESET)?;
    // The names of `Deduper.observe_batch`'s codes, in code order.
    let outcomes: Vec<&str> = fleetops::dedup::Outcome::ALL.iter().map(|o| o.as_str()).collect();
    m.add("DEDUP_OUTCOMES", pyo3::types::PyTuple::new(m.py(), outcomes)?)?;
    Ok(())
}
