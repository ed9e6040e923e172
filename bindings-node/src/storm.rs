//! `StormDetector`, `RateLimiter`, `Grouper`, `escalationsDue`, `fingerprint`,
//! `labelMatches`, `flapSeries`.

use fleetops::storm::{self as core, Alert, EscalationSpec, GroupSpec, LimitSpec, MatcherSpec, StormSpec};
use napi::bindgen_prelude::{BigInt, Float64Array, TypedArrayType, Uint8Array, Unknown};
use napi::JsValue;
use napi_derive::napi;

use crate::arg;
use crate::convert::{now_or_current, opt_timestamp, timestamp, Time};
use crate::errors::{self, IntoJs};
use crate::external::External;
use crate::jsser::Js;
use crate::results::js;
use napi::Env;

/// Options (an object, or null/undefined for none) read by the core's one serde path.
fn spec<T: serde::de::DeserializeOwned>(options: Option<Unknown<'_>>) -> errors::Result<T> {
    crate::convert::spec(crate::convert::options(options.as_ref())?)
}

fn borrow(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Alertmanager's fingerprint of a label set, as a bigint.
#[napi(ts_args_type = "labels: Record<string, string>")]
pub fn fingerprint(labels: Unknown<'_>) -> errors::Result<BigInt> {
    crate::errors::guard(|| Ok(BigInt::from(core::fingerprint(&borrow(&arg::labels(&labels, "labels")?)))))
}

/// The rate-limit key of a client at `address`: IPv4 as written, an IPv4-mapped IPv6 address as
/// its IPv4, other IPv6 as its `/ipv6Prefix` network (default 64); anything else as given.
#[napi(ts_args_type = "address: string, ipv6Prefix?: number | null")]
pub fn client_key(address: Unknown<'_>, ipv6_prefix: Option<Unknown<'_>>) -> errors::Result<String> {
    crate::errors::guard(|| {
        let address = arg::text(&address, "address")?;
        let prefix: Option<u32> = arg::opt_data(ipv6_prefix.as_ref(), "ipv6Prefix")?;
        core::client_key(&address, prefix).js()
    })
}

/// Whether an Alertmanager-style matcher matches the labels.
#[napi(ts_args_type = "matcher: MatcherOption, labels: Record<string, string>")]
pub fn label_matches(matcher: Unknown<'_>, labels: Unknown<'_>) -> errors::Result<bool> {
    crate::errors::guard(|| {
        let spec: MatcherSpec = arg::data(&matcher, "matcher")?;
        let m = core::Matcher::try_from(spec).js()?;
        Ok(m.matches(&borrow(&arg::labels(&labels, "labels")?)))
    })
}

/// Nagios' percent state change and flapping after each state (true = problem).
#[napi(ts_args_type = "states: boolean[], options?: FlapOptions | null", ts_return_type = "FlapSeries")]
pub fn flap_series(states: Unknown<'_>, options: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let states: Vec<bool> = arg::data(&states, "states")?;
        js(spec::<core::FlapSpec>(options)?.series(&states).js()?)
    })
}

/// What is due at `now` for alert records (`id`, `raisedAt`, `severity`, `priority`,
/// `ackedAt`, `actionedAt`, `resolvedAt`).
#[napi(
    ts_args_type = "alerts: Array<AlertRecordOption>, now?: TimeLike | null, policy?: EscalationPolicyOptions | null",
    ts_return_type = "Due[]"
)]
pub fn escalations_due(alerts: Unknown<'_>, now: Option<Time<'_>>, policy: Option<Unknown<'_>>) -> errors::Result<Js> {
    crate::errors::guard(|| {
        let alerts = arg::json(&alerts, "alerts")?;
        let policy = spec::<EscalationSpec>(policy)?.build().js()?;
        let records = core::records_from_json(alerts).js()?;
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
    #[napi(ts_args_type = "key: string, at: TimeLike, options?: ObserveOptions | null", ts_return_type = "Verdict")]
    pub fn observe(
        &mut self,
        env: Env,
        key: Unknown<'_>,
        at: Time<'_>,
        options: Option<Unknown<'_>>,
    ) -> errors::Result<Js> {
        let out = crate::errors::guard(|| {
            let key = arg::text(&key, "key")?;
            let at = timestamp(&at)?;
            let [labels, firing, now] = arg::fields(options.as_ref(), "options", ["labels", "firing", "now"])?;
            let pairs = arg::opt_labels(labels.as_ref(), "labels")?;
            let firing = arg::opt_flag(firing.as_ref(), "firing")?.unwrap_or(true);
            let alert = Alert { key: &key, labels: &borrow(&pairs), at, firing };
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
        ts_args_type = "keys: string[] | BigUint64Array | Float64Array, atMs: Float64Array | number[], firing?: Uint8Array | boolean[] | null, now?: TimeLike | null",
        ts_return_type = "{ actions: Uint8Array; events: StormEvent[] }"
    )]
    pub fn observe_batch(
        &mut self,
        env: Env,
        keys: Unknown<'_>,
        at_ms: Unknown<'_>,
        firing: Option<Unknown<'_>>,
        now: Option<Time<'_>>,
    ) -> errors::Result<BatchResult> {
        let out = crate::errors::guard(|| {
            // Ids and times are read in place: no copy of a 10M-alert batch.
            let at_ms = arg::floats(&at_ms, "atMs")?;
            let firing = arg::opt_flags(firing.as_ref(), "firing")?;
            let now = opt_timestamp(now.as_ref())?;
            let times = core::Times::Epoch(at_ms.as_slice(), fleetops::time::EpochUnit::Millis);
            let flags = firing.as_ref().map(|f| f.as_slice());
            let (codes, events) =
                if let Ok(ids) = arg::typed_only::<Float64Array>(&keys, "keys", TypedArrayType::Float64, "") {
                    self.inner.observe_batch_ids(core::Ids::F64(&ids), times, flags, now).js()?
                } else if keys.is_typedarray().js()? {
                    crate::keys::with_keys(&keys, |ids| self.inner.observe_batch_ids(ids, times, flags, now).js())?
                } else {
                    let names: Vec<String> = arg::data(&keys, "keys")?;
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
    #[napi(ts_args_type = "mutes: MuteOption[]")]
    pub fn set_mutes(&mut self, env: Env, mutes: Unknown<'_>) -> errors::Result<()> {
        let out = crate::errors::guard(|| {
            let mutes = core::mutes_from_json(arg::json(&mutes, "mutes")?).js()?;
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
    #[napi(constructor, ts_args_type = "options?: RateLimiterOptions | null")]
    pub fn new(options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| {
            Ok(Self { inner: core::RateLimiter::new(spec::<LimitSpec>(options)?.build().js()?).js()? })
        })
    }

    /// The decision for one request of `key` at `now`.
    #[napi(ts_args_type = "key: string, now?: TimeLike | null", ts_return_type = "LimitDecision")]
    pub fn check(&mut self, key: Unknown<'_>, now: Option<Time<'_>>) -> errors::Result<Js> {
        crate::errors::guard(|| {
            let key = arg::text(&key, "key")?;
            js(self.inner.check(core::key_id_of(&key), now_or_current(now.as_ref())?))
        })
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
    #[napi(constructor, ts_args_type = "options?: GrouperOptions | null")]
    pub fn new(options: Option<Unknown<'_>>) -> errors::Result<Self> {
        crate::errors::guard(|| Ok(Self { inner: core::Grouper::new(spec::<GroupSpec>(options)?.build().js()?).js()? }))
    }

    /// Adds an alert that was passed on.
    #[napi(ts_args_type = "labels: Record<string, string>, at: TimeLike, firing?: boolean | null")]
    pub fn add(&mut self, labels: Unknown<'_>, at: Time<'_>, firing: Option<Unknown<'_>>) -> errors::Result<()> {
        crate::errors::guard(|| {
            let pairs = arg::labels(&labels, "labels")?;
            let (at, firing) = (timestamp(&at)?, arg::opt_flag(firing.as_ref(), "firing")?);
            self.inner.add(&borrow(&pairs), at, firing.unwrap_or(true));
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
