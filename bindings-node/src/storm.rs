//! `StormDetector`, `RateLimiter`, `Grouper`, `escalationsDue`, `fingerprint`,
//! `labelMatches`, `flapSeries`.

use std::collections::HashMap;

use fleetops::storm::{self as core, Alert, EscalationSpec, GroupSpec, LimitSpec, MatcherSpec, StormSpec};
use napi::bindgen_prelude::{BigInt, Float64Array, Uint8Array, Unknown};
use napi::JsValue;
use napi_derive::napi;

use crate::convert::Record;
use crate::convert::{now_or_current, opt_timestamp, timestamp, Time};
use crate::errors::{self, invalid_argument, IntoJs};
use crate::external::External;
use crate::jsser::Js;
use crate::results::{js, snake};
use napi::Env;

/// Options (an object, or null/undefined for none) read by the core's one serde path.
fn spec<T: serde::de::DeserializeOwned>(options: Option<Unknown<'_>>) -> errors::Result<T> {
    crate::convert::spec(crate::convert::options(options.as_ref())?)
}

fn pairs(labels: Option<Record<HashMap<String, String>>>) -> Vec<(String, String)> {
    labels.map(|m| m.0.into_iter().collect()).unwrap_or_default()
}

fn borrow(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Alertmanager's fingerprint of a label set, as a bigint.
#[napi(ts_args_type = "labels: Record<string, string>")]
pub fn fingerprint(labels: Record<HashMap<String, String>>) -> errors::Result<BigInt> {
    crate::errors::guard(|| Ok(BigInt::from(core::fingerprint(&borrow(&pairs(Some(labels)))))))
}

/// The rate-limit key of a client at `address`: IPv4 as written, an IPv4-mapped IPv6 address as
/// its IPv4, other IPv6 as its `/ipv6Prefix` network (default 64); anything else as given.
#[napi(ts_args_type = "address: string, ipv6Prefix?: number | null")]
pub fn client_key(address: String, ipv6_prefix: Option<u32>) -> errors::Result<String> {
    crate::errors::guard(|| core::client_key(&address, ipv6_prefix).js())
}

/// Whether an Alertmanager-style matcher matches the labels.
#[napi(
    ts_args_type = "matcher: { name: string; op?: '=' | '!=' | '=~' | '!~'; value: string }, labels: Record<string, string>"
)]
pub fn label_matches(matcher: Unknown<'_>, labels: Record<HashMap<String, String>>) -> errors::Result<bool> {
    crate::errors::guard(|| {
        let spec: MatcherSpec = spec(Some(matcher))?;
        let m = core::Matcher::try_from(spec).js()?;
        Ok(m.matches(&borrow(&pairs(Some(labels)))))
    })
}

// Declared for `index.d.ts`; read as the core's `FlapSpec`.
/// Options of `flapSeries`.
#[allow(dead_code)]
#[napi(object)]
pub struct FlapOptions {
    /// Flapping starts above this percent (20).
    pub high: Option<Option<f64>>,
    /// ... and stops below this one (5).
    pub low: Option<Option<f64>>,
}

/// Nagios' percent state change and flapping after each state (true = problem).
#[napi(ts_args_type = "states: boolean[], options?: FlapOptions | null", ts_return_type = "FlapSeries")]
pub fn flap_series(states: Vec<bool>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| js(spec::<core::FlapSpec>(options)?.series(&states).js()?))
}

/// What is due at `now` for alert records (`id`, `raisedAt`, `severity`, `priority`,
/// `ackedAt`, `actionedAt`, `resolvedAt`).
#[napi(
    ts_args_type = "alerts: Array<AlertRecordOption>, now?: TimeLike | null, policy?: { warningToCritical?: DurationLike; autoAcknowledge?: DurationLike; timezone?: string } | null",
    ts_return_type = "Due[]"
)]
pub fn escalations_due(
    alerts: serde_json::Value,
    now: Option<Time<'_>>,
    policy: Option<Unknown<'_>>,
) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let policy = spec::<EscalationSpec>(policy)?.build().js()?;
        let records = core::records_from_json(snake(alerts)).js()?;
        js(core::escalations_due(&records, &policy, now_or_current(now.as_ref())?))
    })
}

/// The storm detector; options override the defaults (camelCase `StormConfig` fields).
#[napi(custom_finalize)]
pub struct StormDetector {
    inner: core::StormDetector,
    /// What it has told V8 it holds.
    external: External,
}

crate::external::reports_external_memory!(StormDetector);

#[napi]
impl StormDetector {
    /// A detector.
    #[napi(constructor, ts_args_type = "options?: StormOptions | null")]
    pub fn new(env: Env, options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            Ok(Self::reported(&env, core::StormDetector::new(spec::<StormSpec>(options)?.build().js()?).js()?))
        })
    }

    /// Judges one alert: `{action, reason, events}`.
    #[napi(
        ts_args_type = "key: string, at: TimeLike, options?: { labels?: Record<string, string>; firing?: boolean; now?: TimeLike } | null",
        ts_return_type = "Verdict"
    )]
    pub fn observe(
        &mut self,
        env: Env,
        key: String,
        at: Time<'_>,
        options: Option<ObserveOptions<'_>>,
    ) -> errors::Result<Js> {
        let out = crate::errors::guard(|| {
            let (labels, firing, now) = match options {
                Some(o) => (o.labels.clone().flatten(), o.firing.flatten(), o.now),
                None => (None, None, None),
            };
            let pairs = pairs(labels);
            let alert =
                Alert { key: &key, labels: &borrow(&pairs), at: timestamp(&at)?, firing: firing.unwrap_or(true) };
            let now = opt_timestamp(now.as_ref())?;
            js(self.inner.observe(&alert, now))
        });
        self.external.set(&env, self.inner.memory_bytes());
        out
    }

    /// Judges a batch (key names, or numeric ids as BigUint64Array / Float64Array; epoch-ms
    /// times; optional firing flags): `{actions: Uint8Array (0 notify, 1 suppress, 2 mute),
    /// events}`. Times are checked first.
    #[napi(
        ts_args_type = "keys: string[] | BigUint64Array | Float64Array, atMs: Float64Array, firing?: Uint8Array | null, now?: TimeLike | null",
        ts_return_type = "{ actions: Uint8Array; events: StormEvent[] }"
    )]
    pub fn observe_batch(
        &mut self,
        env: Env,
        keys: Unknown<'_>,
        at_ms: Float64Array,
        firing: Option<Uint8Array>,
        now: Option<Time<'_>>,
    ) -> errors::Result<BatchResult> {
        let out = crate::errors::guard(|| {
            let now = opt_timestamp(now.as_ref())?;
            // Ids and times are read in place: no copy of a 10M-alert batch.
            let times = core::Times::Epoch(&at_ms, fleetops::time::EpochUnit::Millis);
            let flags = firing.as_deref();
            let (codes, events) = if keys.is_typedarray().js()? {
                // SAFETY: this conversion checks the JS value's type itself and fails (Err) on any other.
                if let Ok(ids) = unsafe { keys.cast::<Float64Array>() } {
                    self.inner.observe_batch_ids(core::Ids::F64(&ids), times, flags, now).js()?
                } else {
                    crate::keys::with_keys(&keys, |ids| self.inner.observe_batch_ids(ids, times, flags, now).js())?
                }
            } else {
                // SAFETY: this conversion checks the JS value's type itself and fails (Err) on any other.
                let names: Vec<String> = unsafe { keys.cast() }
                    .map_err(|_| invalid_argument("keys must be strings or a typed array of ids"))?;
                self.inner.observe_batch_names(&names, times, flags, now).js()?
            };
            Ok(BatchResult { actions: Uint8Array::new(codes), events: js(events)? })
        });
        self.external.set(&env, self.inner.memory_bytes());
        out
    }

    /// Storm ends due by `now`.
    #[napi(ts_args_type = "now?: TimeLike | null", ts_return_type = "StormEvent[]")]
    pub fn advance(&mut self, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.advance(now_or_current(now.as_ref())?)))
    }

    /// Replaces the mute list; per-key state is kept.
    #[napi(
        ts_args_type = "mutes: Array<{ id: string; key?: string; matchers?: Array<{ name: string; op?: string; value: string }>; startsAt: string; endsAt: string; reason?: string }>"
    )]
    pub fn set_mutes(&mut self, env: Env, mutes: serde_json::Value) -> errors::Result<()> {
        let out = crate::errors::guard(|| {
            let mutes = core::mutes_from_json(snake(mutes)).js()?;
            self.inner.set_mutes(mutes).js()
        });
        self.external.set(&env, self.inner.memory_bytes());
        out
    }

    /// The configuration as saved with the state (durations in milliseconds).
    #[napi(getter, ts_return_type = "StormConfig")]
    pub fn config(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.config().clone()))
    }

    /// Totals, storming and flapping keys, alerts caught per mute.
    #[napi(ts_return_type = "StormStats")]
    pub fn stats(&self) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.stats()))
    }

    /// Bytes of per-key state.
    #[napi(getter)]
    pub fn memory_bytes(&self) -> errors::Result<f64> {
        crate::errors::guard(|| Ok(self.inner.memory_bytes() as f64))
    }
}

/// Options of `StormDetector.observe`.
#[napi(object)]
pub struct ObserveOptions<'a> {
    /// Labels.
    #[napi(ts_type = "Record<string, string> | null")]
    pub labels: Option<Option<Record<HashMap<String, String>>>>,
    /// Firing (default) or resolved.
    pub firing: Option<Option<bool>>,
    /// Enables the future check.
    #[napi(ts_type = "TimeLike | null")]
    pub now: Option<Time<'a>>,
}

// Declared for `index.d.ts`; read through core's `StormSpec`.
/// Options of `StormDetector`.
#[allow(dead_code)]
#[napi(object)]
pub struct StormOptions {
    /// `"runbook"` (default) or `"task_failures"`: the base the other options change.
    pub preset: Option<Option<String>>,
    /// Sliding window of the per-key count (5 min).
    #[napi(ts_type = "DurationLike")]
    pub window: Option<serde_json::Value>,
    /// Bucket width (30 s).
    #[napi(ts_type = "DurationLike")]
    pub resolution: Option<serde_json::Value>,
    /// A key storms above this many alerts in the window (20).
    pub enter_above: Option<Option<u32>>,
    /// ... and calms below this many (5).
    pub exit_below: Option<Option<u32>>,
    /// ... for this long (10 min).
    #[napi(ts_type = "DurationLike")]
    pub cooldown: Option<serde_json::Value>,
    /// Keys storming at once for a fleet-wide storm (10).
    pub fleet_enter: Option<Option<u32>>,
    /// ... ending below this many (5).
    pub fleet_exit: Option<Option<u32>>,
    /// Flapping starts above this percent (20).
    pub flap_high: Option<Option<f64>>,
    /// ... and stops below this one (5).
    pub flap_low: Option<Option<f64>>,
    /// How far ahead of `now` an alert may be (5 min).
    #[napi(ts_type = "DurationLike")]
    pub max_future: Option<serde_json::Value>,
    /// Keys tracked at most; the least recently seen are evicted (100,000).
    pub max_keys: Option<Option<u32>>,
    /// Maintenance windows: every alert inside one is muted (counted, never storming).
    #[napi(ts_type = "MaintenanceWindowOptions[]")]
    pub maintenance: Option<serde_json::Value>,
}

// Declared for `index.d.ts`; read through core's `AlertRecord`.
/// An alert record of `escalationsDue`.
#[allow(dead_code)]
#[napi(object)]
pub struct AlertRecordOption {
    /// The alert's id.
    pub id: String,
    /// When it was raised.
    #[napi(ts_type = "TimeLike")]
    pub raised_at: serde_json::Value,
    /// `warning` (default) or `critical`.
    pub severity: Option<Option<String>>,
    /// `P0` to `P3`.
    pub priority: Option<Option<String>>,
    /// When it was acknowledged.
    #[napi(ts_type = "TimeLike | null")]
    pub acked_at: Option<serde_json::Value>,
    /// When someone acted on it.
    #[napi(ts_type = "TimeLike | null")]
    pub actioned_at: Option<serde_json::Value>,
    /// When it was resolved.
    #[napi(ts_type = "TimeLike | null")]
    pub resolved_at: Option<serde_json::Value>,
}

/// What `observeBatch` returns.
#[napi(object, object_from_js = false)]
pub struct BatchResult {
    /// One action code per alert.
    pub actions: Uint8Array,
    /// Events produced.
    #[napi(ts_type = "StormEvent[]")]
    pub events: Js,
}

/// Per-client rate limiting (GCRA by default: the runbook's 60 a minute).
#[napi]
pub struct RateLimiter {
    inner: core::RateLimiter,
}

#[napi]
impl RateLimiter {
    /// A limiter: `{limit, period, burst, mode: 'gcra' | 'sliding_window', maxKeys}`.
    #[napi(
        constructor,
        ts_args_type = "options?: { limit?: number; period?: DurationLike; burst?: number; mode?: 'gcra' | 'sliding_window'; maxKeys?: number } | null"
    )]
    pub fn new(options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            Ok(Self { inner: core::RateLimiter::new(spec::<LimitSpec>(options)?.build().js()?).js()? })
        })
    }

    /// The decision for one request of `key` at `now`.
    #[napi(ts_args_type = "key: string, now?: TimeLike | null", ts_return_type = "LimitDecision")]
    pub fn check(&mut self, key: String, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.check(core::key_id_of(&key), now_or_current(now.as_ref())?)))
    }
}

/// Alertmanager-style grouping timers.
#[napi]
pub struct Grouper {
    inner: core::Grouper,
}

#[napi]
impl Grouper {
    /// A grouper: `{groupBy, groupWait, groupInterval, repeatInterval, maintenance}` (a
    /// notification due inside a maintenance window is held to its end).
    #[napi(
        constructor,
        ts_args_type = "options?: { groupBy?: string[]; groupWait?: DurationLike; groupInterval?: DurationLike; repeatInterval?: DurationLike; maintenance?: MaintenanceWindowOptions[] } | null"
    )]
    pub fn new(options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| Ok(Self { inner: core::Grouper::new(spec::<GroupSpec>(options)?.build().js()?).js()? }))
    }

    /// Adds an alert that was passed on.
    #[napi(ts_args_type = "labels: Record<string, string>, at: TimeLike, firing?: boolean | null")]
    pub fn add(
        &mut self,
        labels: Record<HashMap<String, String>>,
        at: Time<'_>,
        firing: Option<bool>,
    ) -> errors::Result<()> {
        crate::errors::guard(|| {
            let pairs = pairs(Some(labels));
            self.inner.add(&borrow(&pairs), timestamp(&at)?, firing.unwrap_or(true));
            Ok(())
        })
    }

    /// Notifications due by `now`.
    #[napi(ts_args_type = "now?: TimeLike | null", ts_return_type = "GroupNotification[]")]
    pub fn due(&mut self, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| js(self.inner.due(now_or_current(now.as_ref())?)))
    }
}

// The saved-state methods, written once (crate::external::saved_methods).
crate::external::saved_methods!(StormDetector, reported);
crate::external::saved_methods!(RateLimiter, plain);
