//! The runbook's health endpoint: checks in, `{status, httpStatus, checks}` out.

use fleetops::health::{self as core, CheckInput};
use napi_derive::napi;

use crate::errors::{self, invalid_argument, IntoJs};
use crate::results::snake;

/// Judges dependency checks `{name, ok, latencyMs?, degradedAboveMs?, message?, details?}`:
/// a failed check is down, one slower than its limit (default 1,000 ms) degraded; the service
/// is the worst of them (`healthy` / `degraded` / `down`, HTTP 200 / 200 / 503).
#[napi(
    ts_args_type = "checks: Array<{ name: string; ok: boolean; latencyMs?: number | null; degradedAboveMs?: number | null; message?: string | null; details?: unknown }>",
    ts_return_type = "Health"
)]
pub fn assess_health(checks: Vec<serde_json::Value>) -> errors::Result<crate::jsser::Js> {
    crate::errors::guard(|| {
        let checks = checks
            .into_iter()
            .map(|mut c| {
                // `details` is the caller's data: passed through with its own key names.
                let details = c.as_object_mut().and_then(|o| o.remove("details"));
                let mut c = snake(c);
                if let (Some(o), Some(d)) = (c.as_object_mut(), details) {
                    o.insert("details".into(), d);
                }
                serde_json::from_value::<CheckInput>(c).map_err(|e| invalid_argument(format!("check: {e}")))
            })
            .collect::<errors::Result<Vec<_>>>()?;
        let health = core::assess(&checks).js()?;
        crate::results::js(health)
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
