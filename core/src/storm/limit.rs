//! Per-key rate limiting: GCRA (a leaky bucket without a timer; the runbook's 60 requests a
//! minute, then 429) or a strict sliding window ("never more than N in any window").
//!
//! GCRA: each key has a theoretical arrival time `tat`. A request at `t` would move it to
//! `max(tat, t) + interval` (`interval = period / limit`); it is allowed when that is at most
//! `t + burst * interval`. `retry_after` is how long until it would be; `remaining` is how many
//! more requests would be allowed at `t`. With `burst = limit` a client may send its whole
//! minute at once, and the 61st request waits 1 s.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::lru::Lru;
use crate::error::{FleetopsError, Result};
use crate::time::{secs_f64, Timestamp};

/// How requests are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitMode {
    /// Generic cell rate algorithm (smooth, with a burst).
    Gcra,
    /// At most `limit` accepted requests in any `period`.
    SlidingWindow,
}

/// A limiter's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LimitConfig {
    /// Requests per period (runbook: 60).
    pub limit: u32,
    /// The period (runbook: 1 minute).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub period: TimeDelta,
    /// GCRA: requests allowed at once (default: `limit`).
    pub burst: u32,
    /// GCRA or sliding window.
    pub mode: LimitMode,
    /// Keys tracked at most; the least recently seen are evicted.
    pub max_keys: usize,
}

impl LimitConfig {
    /// The runbook's: 60 per minute per client, burst 60, GCRA, 100,000 clients tracked.
    pub fn runbook() -> Self {
        Self { limit: 60, period: TimeDelta::minutes(1), burst: 60, mode: LimitMode::Gcra, max_keys: 100_000 }
    }

    fn check(&self) -> Result<()> {
        if self.limit == 0 || self.burst == 0 || self.max_keys == 0 {
            return Err(FleetopsError::InvalidArgument("limit, burst and max_keys must be at least 1".into()));
        }
        if self.max_keys > crate::dedup::MAX_KEYS {
            return Err(FleetopsError::InvalidArgument(format!(
                "max_keys must be at most {} (2^30)",
                crate::dedup::MAX_KEYS
            )));
        }
        if self.period <= TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("the period must be positive".into()));
        }
        // GCRA spaces requests by period / limit in whole microseconds: at least one.
        if self.mode == LimitMode::Gcra && self.period.num_microseconds().is_none_or(|us| us < i64::from(self.limit)) {
            return Err(FleetopsError::InvalidArgument(format!(
                "limit {} in {} s is more than one request per microsecond",
                self.limit,
                secs_f64(self.period)
            )));
        }
        if self.mode == LimitMode::SlidingWindow && self.limit > 100_000 {
            return Err(FleetopsError::InvalidArgument(
                "a sliding window keeps every accepted time: limit at most 100000".into(),
            ));
        }
        Ok(())
    }
}

/// The answer for one request.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LimitDecision {
    /// Whether to serve it (else answer 429).
    pub allowed: bool,
    /// The limit per period.
    pub limit: u32,
    /// Requests still allowed right now after this one.
    pub remaining: u32,
    /// Seconds until a denied request would be allowed (0 when allowed): the `Retry-After`.
    pub retry_after: f64,
    /// `retry_after` rounded up to whole seconds, for the `Retry-After` header.
    pub retry_after_header: u64,
    /// Seconds until the key is back to its full allowance.
    pub reset_after: f64,
}

#[derive(Clone, Serialize, Deserialize)]
enum KeyState {
    /// Theoretical arrival time, epoch µs.
    Tat(i64),
    /// Accepted request times (epoch µs), oldest first.
    Window(std::collections::VecDeque<i64>),
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter").field("config", &self.config).field("keys", &self.keys.len()).finish()
    }
}

/// Per-key limiter with a bounded number of keys.
#[derive(Clone, Serialize, Deserialize)]
pub struct RateLimiter {
    config: LimitConfig,
    keys: Lru<KeyState>,
    evicted: u64,
}

impl RateLimiter {
    /// A limiter; the configuration is checked. The period is kept to the nearest millisecond
    /// (as it is saved).
    pub fn new(mut config: LimitConfig) -> Result<Self> {
        config.period = crate::time::round_delta_millis(config.period);
        config.check()?;
        Ok(Self { keys: Lru::new(config.max_keys), config, evicted: 0 })
    }

    /// Keys evicted so far because of `max_keys`.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// Decides one request of `key` at `now`, and counts it when allowed.
    pub fn check(&mut self, key: u64, now: Timestamp) -> LimitDecision {
        let mut d = self.decide(key, now);
        // HTTP's Retry-After is whole seconds: rounded up, so a client that waits it is served.
        d.retry_after_header = d.retry_after.ceil() as u64;
        d
    }

    fn decide(&mut self, key: u64, now: Timestamp) -> LimitDecision {
        let t = now.timestamp_micros();
        let c = &self.config;
        let period = c.period.num_microseconds().unwrap_or(i64::MAX);
        let fresh = match c.mode {
            LimitMode::Gcra => KeyState::Tat(i64::MIN),
            LimitMode::SlidingWindow => KeyState::Window(Default::default()),
        };
        let (state, evicted) = self.keys.touch(key, || fresh);
        self.evicted += u64::from(evicted.is_some());
        let secs = |us: i64| secs_f64(TimeDelta::microseconds(us.max(0)));
        match state {
            KeyState::Tat(tat) => {
                // At least 1 µs (checked with the configuration).
                let interval = (period / i64::from(c.limit)).max(1);
                let tolerance = interval.saturating_mul(i64::from(c.burst));
                let new_tat = (*tat).max(t).saturating_add(interval);
                let allow_at = new_tat - tolerance;
                if t < allow_at {
                    let remaining_tat = (*tat).max(t);
                    return LimitDecision {
                        allowed: false,
                        limit: c.limit,
                        remaining: 0,
                        retry_after: secs(allow_at - t),
                        retry_after_header: 0,
                        reset_after: secs(remaining_tat - t),
                    };
                }
                *tat = new_tat;
                LimitDecision {
                    allowed: true,
                    limit: c.limit,
                    remaining: ((t - allow_at) / interval) as u32,
                    retry_after: 0.0,
                    retry_after_header: 0,
                    reset_after: secs(new_tat - t),
                }
            }
            KeyState::Window(times) => {
                while times.front().is_some_and(|&a| a <= t - period) {
                    times.pop_front();
                }
                if times.len() >= c.limit as usize {
                    let oldest = times[0];
                    return LimitDecision {
                        allowed: false,
                        limit: c.limit,
                        remaining: 0,
                        retry_after: secs(oldest + period - t),
                        retry_after_header: 0,
                        reset_after: secs(times.back().copied().unwrap_or(t) + period - t),
                    };
                }
                times.push_back(t);
                LimitDecision {
                    allowed: true,
                    limit: c.limit,
                    remaining: c.limit - times.len() as u32,
                    retry_after: 0.0,
                    retry_after_header: 0,
                    reset_after: secs(period),
                }
            }
        }
    }

    /// The saved state (versioned JSON).
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::snapshot::save("fleetops.rate_limiter", self)
    }

    /// Restores a saved limiter; bad bytes are `INVALID_STATE`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut l: Self = crate::snapshot::load("fleetops.rate_limiter", bytes)?;
        l.config.check().map_err(|e| FleetopsError::InvalidState(e.to_string()))?;
        l.keys.reindex().map_err(|e| FleetopsError::InvalidState(format!("per-key state: {e}")))?;
        Ok(l)
    }
}
