//! The runbook's health endpoint: checks in, `{status, httpStatus, checks}` out.

use fleetops::health::{self as core, CheckInput};
use napi_derive::napi;

use fleetops::options::{Case, Plain};
use napi::bindgen_prelude::Unknown;

use crate::arg;
use crate::errors::{self, IntoJs};

/// Judges dependency checks `{name, ok, latencyMs?, degradedAboveMs?, message?, details?}`:
/// a failed check is down, one slower than its limit (default 1,000 ms) degraded; the service
/// is the worst of them (`healthy` / `degraded` / `down`, HTTP 200 / 200 / 503).
#[napi(ts_args_type = "checks: HealthCheckOption[]", ts_return_type = "Health")]
pub fn assess_health(checks: Unknown<'_>) -> errors::Result<crate::jsser::Js> {
    crate::errors::guard(|| {
        let checks = arg::items(&checks, "checks")?
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let at = format!("checks[{i}]");
                let names = ["name", "ok", "latencyMs", "degradedAboveMs", "message", "details"];
                let given = arg::fields(Some(c), &at, names)?;
                let mut entries = Vec::new();
                for (name, value) in names.iter().zip(&given) {
                    let Some(value) = value else { continue };
                    let field = format!("{at}.{name}");
                    // `details` is the caller's data: passed through with its own key names.
                    let plain = if *name == "details" {
                        crate::convert::data_named(value, &field)?
                    } else {
                        arg::plain(value, &field)?
                    };
                    entries.push((fleetops::wire::snake_name(name), plain));
                }
                fleetops::options::parse_named::<CheckInput>(Plain::Map(entries), Case::Camel, &at).js()
            })
            .collect::<errors::Result<Vec<_>>>()?;
        crate::results::js(core::assess(&checks).js()?)
    })
}

/// Responses `fleetops/express`'s recorder buffers before recording them in one batch.
#[napi]
pub const DEFAULT_RECORD_BATCH: u32 = fleetops::slo::RECORD_BATCH;

/// The status `fleetops/express`'s recorder gives a request that ended without a response
/// (client gone, socket destroyed, server timeout): always bad.
#[napi]
pub const NO_RESPONSE_STATUS: u32 = fleetops::slo::NO_RESPONSE as u32;

/// The IPv6 prefix length `rateLimit()` keys clients by unless told otherwise.
#[napi]
pub const DEFAULT_IPV6_PREFIX: u32 = fleetops::storm::DEFAULT_IPV6_PREFIX;

/// How often (ms) `fleetops/express`'s recorder re-anchors its clock to the wall clock.
#[napi]
pub const CLOCK_RESYNC_MS: u32 = fleetops::slo::CLOCK_RESYNC_MS;

/// How often (seconds) a stream re-reads the kill-switch table (the runbook's 5 minutes).
#[napi]
pub const MUTE_RELOAD_SECONDS: u32 = fleetops::storm::MUTE_RELOAD.num_seconds() as u32;

/// How long `fleetops/express`'s health router waits for a check before it counts as down (ms).
#[napi]
pub const DEFAULT_CHECK_TIMEOUT_MS: u32 = fleetops::health::DEFAULT_CHECK_TIMEOUT_MS;

/// The server-log line `fleetops/express`'s health router writes before a failed check's error
/// (the core's words).
#[napi(ts_args_type = "name: string")]
pub fn health_check_failed_message(name: Unknown<'_>) -> errors::Result<String> {
    crate::errors::guard(|| Ok(core::check_failed_log(&arg::text(&name, "name")?)))
}
