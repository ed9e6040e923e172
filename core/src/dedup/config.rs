//! A de-duplicator's configuration and its checks (the horizon, lateness, future bound, the
//! exact mode's cap and the Bloom mode's size), with the documented maxima.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};

/// How keys are remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DedupMode {
    /// Every key exactly (12-byte slots, 20.6-24.6 bytes per live key), optionally capped.
    #[default]
    Exact,
    /// A time-decaying, scalable Bloom filter that holds `fpr` however many keys arrive; it
    /// starts sized for `expected_keys` and grows by slices past it.
    Bloom,
}

/// The most keys an exact deduper may be capped at (`max_keys`) and a bloom one sized for
/// (`expected_keys`): 2^30, about 23 GB of exact table when full (21.6 bytes per live key).
/// The exact table grows with the keys it holds, so a large cap costs nothing until used.
pub const MAX_KEYS: usize = 1 << 30;
/// The most generations (filters side by side) a bloom deduper keeps: lateness of 62 horizons.
pub const MAX_GENERATIONS: i64 = 64;
/// The most memory a bloom deduper's filters may take together: 4 GiB. Past it the oldest
/// generations are evicted (and counted) to make room.
pub const MAX_BLOOM_BYTES: u64 = 4 << 30;

/// The settings of a [`Deduper`](super::Deduper).
#[derive(Debug, Clone, PartialEq)]
pub struct DedupConfig {
    /// How long a key is remembered after it was first seen (event time). Must be positive.
    pub horizon: TimeDelta,
    /// How far behind the largest event time an event may be and still be judged.
    pub allowed_lateness: TimeDelta,
    /// How far ahead of `now` an event may be (when `now` is given).
    pub max_future: TimeDelta,
    /// Exact mode: the most keys kept; the oldest are evicted (and counted) beyond it.
    pub max_keys: Option<usize>,
    /// Exact or Bloom.
    pub mode: DedupMode,
    /// Bloom mode: keys first seen per horizon that the first filter is sized for; more
    /// keep the rate and cost more memory (a new slice, twice as big, each time it fills).
    pub expected_keys: u64,
    /// Bloom mode: the target false-positive rate, in (0, 1).
    pub fpr: f64,
    /// Exact mode: the live keys the table starts sized for (24.6 bytes each, at once), so a
    /// stream of that many new keys runs without the table's growth steps, each of which
    /// re-inserts every key; it still grows past them. `None` starts small (memory follows
    /// use). A starting size only: not saved with the state.
    pub exact_capacity: Option<u64>,
}

impl DedupConfig {
    /// Exact mode, no lateness, 5 minutes of clock skew allowed (the runbooks' tolerance).
    pub fn new(horizon: TimeDelta) -> Self {
        Self {
            horizon,
            allowed_lateness: TimeDelta::zero(),
            max_future: TimeDelta::minutes(5),
            max_keys: None,
            mode: DedupMode::Exact,
            expected_keys: 1_000_000,
            fpr: 0.01,
            exact_capacity: None,
        }
    }

    pub(super) fn validate(&self) -> Result<()> {
        let dur = |d: TimeDelta, what: &str, positive: bool| {
            if d < TimeDelta::zero() || (positive && d.is_zero()) {
                return Err(FleetopsError::InvalidDuration(format!(
                    "{what} must be {}, got {} s",
                    if positive { "positive" } else { "zero or more" },
                    crate::time::secs_f64(d)
                )));
            }
            Ok(())
        };
        dur(self.horizon, "horizon", true)?;
        dur(self.allowed_lateness, "allowed_lateness", false)?;
        dur(self.max_future, "max_future", false)?;
        if (self.horizon + self.allowed_lateness).num_seconds() >= i64::from(i32::MAX) {
            return Err(FleetopsError::InvalidDuration("horizon + allowed_lateness must stay under 68 years".into()));
        }
        if let Some(n) = self.max_keys {
            if n == 0 || n > MAX_KEYS {
                return Err(FleetopsError::InvalidArgument(format!(
                    "max_keys must be in 1 ..= {MAX_KEYS} (2^30), got {n}"
                )));
            }
        }
        if let Some(n) = self.exact_capacity {
            if n == 0 || n > MAX_KEYS as u64 {
                return Err(FleetopsError::InvalidArgument(format!(
                    "expected_keys must be in 1 ..= {MAX_KEYS} (2^30), got {n}"
                )));
            }
        }
        if self.mode == DedupMode::Bloom {
            if self.max_keys.is_some() {
                return Err(FleetopsError::InvalidArgument(
                    "max_keys applies to exact mode; bloom mode is bounded by expected_keys".into(),
                ));
            }
            if !(self.fpr > 0.0 && self.fpr < 1.0) {
                return Err(FleetopsError::InvalidTarget(format!("fpr must be in (0, 1), got {}", self.fpr)));
            }
            if self.expected_keys == 0 || self.expected_keys > MAX_KEYS as u64 {
                return Err(FleetopsError::InvalidArgument(format!(
                    "expected_keys must be in 1 ..= {MAX_KEYS} (2^30)"
                )));
            }
            // Generations live side by side (one per horizon the lateness spans, plus two).
            let h = Self::ms(self.horizon).max(1);
            let generations = 2 + (Self::ms(self.allowed_lateness) + h - 1) / h;
            if generations > MAX_GENERATIONS {
                return Err(FleetopsError::InvalidArgument(format!(
                    "bloom mode keeps a filter per horizon of allowed lateness: at most {} horizons, not {}",
                    MAX_GENERATIONS - 2,
                    generations - 2
                )));
            }
            let bytes = super::bloom::initial_bytes(self.expected_keys, self.fpr, generations as u32);
            if bytes > MAX_BLOOM_BYTES {
                return Err(FleetopsError::InvalidArgument(format!(
                    "a bloom filter for {} keys at fpr {} starts at {bytes} bytes; at most {MAX_BLOOM_BYTES} (4 GiB)",
                    self.expected_keys, self.fpr
                )));
            }
        }
        Ok(())
    }

    pub(super) fn ms(d: TimeDelta) -> i64 {
        d.num_milliseconds()
    }

    /// Live Bloom generations: the horizon, the lateness, and the generation being filled.
    pub(super) fn generations(&self) -> u32 {
        let h = Self::ms(self.horizon);
        2 + ((Self::ms(self.allowed_lateness) + h - 1) / h) as u32
    }

    /// Exact-mode tick: 1 ms while horizon + lateness fit 2^31 ms (24.8 days), else 1 s.
    pub(super) fn unit_ms(&self) -> i64 {
        if Self::ms(self.horizon + self.allowed_lateness) < 1 << 31 {
            1
        } else {
            1000
        }
    }
}
