//! Versioned JSON snapshots of engine state:
//! `{"format": ..., "version": 2, "checksum": "<XXH3-64 of state>", "state": ...}`.
//! Bytes of another format or version, that do not parse, or whose state does not match its
//! checksum are `INVALID_STATE`. Version 1 (the same without a checksum) is refused: a state
//! that only claims to be old would otherwise escape the checksum.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use xxhash_rust::xxh3::xxh3_64;

use crate::error::{FleetopsError, Result};

/// The largest saved state the integrations read from a file (Airflow's storm state, a
/// tracker's state for a deploy gate): 512 MiB. A larger file is refused before it is read.
pub const MAX_STATE_FILE_BYTES: u64 = 512 << 20;

/// How long a process waits for the lock on a shared state file before it gives up and acts
/// on its own (the Airflow storm callback then pages, saying why): 10 s.
pub const STATE_LOCK_WAIT_SECONDS: u64 = 10;

/// How often a waiter tries a held state lock again (ms): short against the wait, long enough
/// not to spin.
pub const STATE_LOCK_POLL_MS: u64 = 50;

/// The snapshot version this build writes.
pub const VERSION: u32 = 2;

#[derive(Serialize)]
struct Out<'a> {
    format: &'a str,
    version: u32,
    checksum: String,
    state: &'a RawValue,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
struct In<'a> {
    #[serde(default)]
    checksum: Option<String>,
    #[serde(borrow)]
    state: &'a RawValue,
}

/// The checksum of a state's exact bytes, as written in a snapshot.
fn checksum(state: &str) -> String {
    format!("{:016x}", xxh3_64(state.as_bytes()))
}

/// Saves `state` under `format`.
pub fn save<T: Serialize>(format: &str, state: &T) -> Vec<u8> {
    let state = serde_json::value::to_raw_value(state).expect("state serialises");
    serde_json::to_vec(&Out { format, version: VERSION, checksum: checksum(state.get()), state: &state })
        .expect("snapshot serialises")
}

/// Loads a `format` snapshot (version 2, its checksum matching).
pub fn load<T: DeserializeOwned>(format: &str, bytes: &[u8]) -> Result<T> {
    let bad = |m: String| FleetopsError::InvalidState(format!("{format}: {m}"));
    let header: Header = serde_json::from_slice(bytes).map_err(|e| bad(format!("not a snapshot: {e}")))?;
    if header.format != format {
        return Err(bad(format!("a '{}' snapshot", header.format)));
    }
    if header.version != VERSION {
        return Err(bad(format!("format version {}, this build reads version {VERSION}", header.version)));
    }
    let snap: In<'_> = serde_json::from_slice(bytes).map_err(|e| bad(format!("corrupt: {e}")))?;
    match &snap.checksum {
        Some(sum) if *sum == checksum(snap.state.get()) => {}
        Some(_) => return Err(bad("checksum mismatch (corrupt or changed)".into())),
        None => return Err(bad("no checksum".into())),
    }
    serde_json::from_str(snap.state.get()).map_err(|e| bad(format!("corrupt: {e}")))
}

/// The largest number a saved counter or time may hold: 2^53. Real counts and epoch
/// milliseconds are far below it, JavaScript holds every integer up to it exactly, and a
/// crafted value above it overflowed the next increment.
pub const MAX_SAVED_NUMBER: f64 = 9_007_199_254_740_992.0;

/// Whether every number anywhere in `state` is within +-[`MAX_SAVED_NUMBER`] (checked on
/// restore, for the parts of a state that hold counters and times).
pub fn numbers_are_sane<T: Serialize>(state: &T) -> bool {
    fn walk(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Number(n) => n.as_f64().is_some_and(|x| x.abs() <= MAX_SAVED_NUMBER),
            serde_json::Value::Array(a) => a.iter().all(walk),
            serde_json::Value::Object(o) => o.values().all(walk),
            _ => true,
        }
    }
    serde_json::to_value(state).is_ok_and(|v| walk(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_state_is_refused_and_so_is_one_claiming_version_one() {
        let saved = save("fleetops.test", &vec![1u64, 2, 3]);
        assert_eq!(load::<Vec<u64>>("fleetops.test", &saved).unwrap(), vec![1, 2, 3]);
        let text = String::from_utf8(saved).unwrap();
        let changed = text.replace("[1,2,3]", "[1,2,4]");
        assert!(load::<Vec<u64>>("fleetops.test", changed.as_bytes()).unwrap_err().to_string().contains("checksum"));
        // A hand-edited state that says version 1 and drops its checksum.
        let v1 = br#"{"format":"fleetops.test","version":1,"state":[1,2,4]}"#;
        assert!(load::<Vec<u64>>("fleetops.test", v1).unwrap_err().to_string().contains("version 1"));
        let v3 = text.replacen("\"version\":2", "\"version\":3", 1);
        assert!(load::<Vec<u64>>("fleetops.test", v3.as_bytes()).unwrap_err().to_string().contains("version 3"));
        assert_eq!(load::<Vec<u64>>("fleetops.other", text.as_bytes()).unwrap_err().code(), "INVALID_STATE");
    }
}

/// An engine whose state is data: saved as versioned bytes, restored from them (refused with
/// `INVALID_STATE` when corrupt, foreign or too large). The bindings' `to_bytes` / `from_bytes`
/// are written once over this trait.
pub trait Saved: Sized {
    /// The saved state.
    fn save(&self) -> Vec<u8>;
    /// The engine a saved state holds.
    fn restore(bytes: &[u8]) -> Result<Self>;
}

/// An engine two of which fold into one exactly (same configuration): what partitions of a
/// stream judged apart merge into. The bindings' `merge` is written once over this trait.
pub trait Merge {
    /// Folds `other` into `self`; a different configuration is refused and changes nothing.
    fn merge_with(&mut self, other: &Self) -> Result<()>;
}

macro_rules! saved {
    ($($engine:ty),+) => {$(
        impl Saved for $engine {
            fn save(&self) -> Vec<u8> {
                <$engine>::to_bytes(self)
            }
            fn restore(bytes: &[u8]) -> Result<Self> {
                <$engine>::from_bytes(bytes)
            }
        }
    )+};
}

macro_rules! mergeable {
    ($($engine:ty),+) => {$(
        impl Merge for $engine {
            fn merge_with(&mut self, other: &Self) -> Result<()> {
                <$engine>::merge(self, other)
            }
        }
    )+};
}

saved!(
    crate::dedup::Deduper,
    crate::slo::LatencyHistogram,
    crate::slo::SloTracker,
    crate::storm::RateLimiter,
    crate::storm::StormDetector
);
mergeable!(crate::dedup::Deduper, crate::slo::LatencyHistogram, crate::slo::SloTracker);
