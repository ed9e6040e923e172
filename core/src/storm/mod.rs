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

mod detector;
mod escalation;
mod fingerprint;
mod flap;
mod group;
mod keys;
mod limit;
mod lru;
mod matcher;
mod mute;
mod spec;

pub use detector::{Action, Alert, Ids, StormConfig, StormCounts, StormDetector, StormEvent, StormStats, Times, Verdict};
pub use escalation::{escalations_due, AlertRecord, Due, DueAction, EscalationPolicy, Priority};
pub use fingerprint::fingerprint;
pub use flap::{flap_series, FlapState};
pub use group::{GroupConfig, GroupNotification, Grouper};
pub use limit::{LimitConfig, LimitDecision, LimitMode, RateLimiter};
pub use matcher::{MatchOp, Matcher, MatcherSpec};
pub use mute::{Mute, MuteList};
pub use spec::{mutes_from_json, records_from_json, EscalationSpec, GroupSpec, LimitSpec, StormSpec};

/// The internal id of a key name (XXH3-64 of its UTF-8 bytes).
pub(crate) fn key_id(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

/// The u64 a [`RateLimiter`] keys a client name by (XXH3-64 of its UTF-8 bytes).
pub fn key_id_of(key: &str) -> u64 {
    key_id(key)
}
