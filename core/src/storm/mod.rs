//! Alert storms: per key and fleet-wide storm detection with hysteresis, the mute list (the
//! runbooks' kill switch), flap detection, grouping, escalation and rate limits.
//!
//! - [`StormDetector`]: alerts in, `notify` / `suppress` / `mute` out with the reason, plus
//!   storm summaries; bounded keys (LRU), saved and restored as versioned JSON.
//! - [`Mute`], [`Matcher`]: Alertmanager-style silences that expire by themselves.
//! - [`FlapState`]: Nagios' weighted percent state change over 21 states.
//! - [`Grouper`]: Alertmanager's `group_by` / `group_wait` / `group_interval` / `repeat_interval`.
//! - [`escalations_due`]: warning -> critical after 4 h, auto-acknowledge after 7 days, P0-P3.
//! - [`RateLimiter`]: GCRA (60 a minute, then 429) or a strict sliding window.
//! - [`fingerprint`]: Alertmanager's label-set fingerprint.
//!
//! Every decision takes the event time from the caller.

mod client_key;
mod columns;
mod detector;
mod escalation;
mod fingerprint;
mod flap;
mod group;
mod keys;
mod kill_switch;
mod limit;
mod lru;
mod matcher;
mod mute;
mod spec;
mod window;

pub use client_key::{client_key, DEFAULT_IPV6_PREFIX};
pub use columns::{Ids, Times};
pub use detector::{Action, Alert, StormConfig, StormCounts, StormDetector, StormEvent, StormStats, Verdict};
pub use escalation::{escalations_due, AlertRecord, Due, DueAction, EscalationPolicy, Priority};
pub use fingerprint::{fingerprint, fingerprint_in_place};
pub use flap::{flap_series, FlapSeries, FlapSpec, FlapState, FLAP_HIGH_PERCENT, FLAP_LOW_PERCENT};
pub use group::{GroupConfig, GroupNotification, Grouper};
pub use kill_switch::KillSwitch;
pub use limit::{LimitConfig, LimitDecision, LimitMode, RateLimiter};
pub use matcher::{MatchOp, Matcher, MatcherSpec};
pub use mute::{Mute, MuteList, MAX_KILL_SWITCH_FILE_BYTES, MAX_MUTES, MUTE_RELOAD};
pub use spec::{
    mutes_from_json, records_from_json, EscalationSpec, GroupSpec, LimitSpec, StormSpec, PAGE_WHEN_STATE_RESET,
    TASK_FAILURES_PRESET,
};

/// The internal id of a key name: a name that is a number in canonical decimal (a vehicle
/// id: `0`, or digits without a leading zero, up to `u64::MAX`) is that number, mixed; any
/// other name is the XXH3-64 of its UTF-8 bytes. Numeric ids in batch calls are thereby keyed
/// without formatting and hashing their digits, and `17` and `"17"` are the same key.
pub(crate) fn key_id(key: &str) -> u64 {
    match canonical_decimal(key) {
        Some(n) => number_id(n),
        None => xxhash_rust::xxh3::xxh3_64(key.as_bytes()),
    }
}

/// The id of the key named by the decimal digits of `n` (SplitMix64's finaliser: a bijection,
/// so no two numbers share an id).
#[inline]
pub(crate) fn number_id(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn canonical_decimal(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 20 || (b[0] == b'0' && b.len() > 1) {
        return None;
    }
    b.iter().try_fold(
        0u64,
        |n, &c| {
            if c.is_ascii_digit() {
                n.checked_mul(10)?.checked_add(u64::from(c - b'0'))
            } else {
                None
            }
        },
    )
}

/// The u64 a [`RateLimiter`] keys a client name by (see the storm detector's key ids).
pub fn key_id_of(key: &str) -> u64 {
    key_id(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_names_and_ids_are_one_key_and_others_hash() {
        for n in [0u64, 7, 17, 100_000, u64::MAX] {
            assert_eq!(key_id(&n.to_string()), number_id(n));
        }
        for name in ["007", "", "-1", "1.0", "18446744073709551616", "TRK-017", " 17", "１７"] {
            assert_eq!(key_id(name), xxhash_rust::xxh3::xxh3_64(name.as_bytes()), "{name:?}");
        }
    }
}
