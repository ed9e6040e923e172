//! Versioned JSON snapshots of engine state: `{"format": ..., "version": 1, "state": ...}`.
//! Bytes of another format, another version, or that do not parse are `INVALID_STATE`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};

/// The snapshot version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Out<'a, T> {
    format: &'a str,
    version: u32,
    state: &'a T,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
struct In<T> {
    state: T,
}

/// Saves `state` under `format`.
pub fn save<T: Serialize>(format: &str, state: &T) -> Vec<u8> {
    serde_json::to_vec(&Out { format, version: VERSION, state }).expect("state serialises")
}

/// Loads a `format` snapshot.
pub fn load<T: DeserializeOwned>(format: &str, bytes: &[u8]) -> Result<T> {
    let bad = |m: String| FleetopsError::InvalidState(format!("{format}: {m}"));
    let header: Header = serde_json::from_slice(bytes).map_err(|e| bad(format!("not a snapshot: {e}")))?;
    if header.format != format {
        return Err(bad(format!("a '{}' snapshot", header.format)));
    }
    if header.version != VERSION {
        return Err(bad(format!("format version {}, this build reads {VERSION}", header.version)));
    }
    let snap: In<T> = serde_json::from_slice(bytes).map_err(|e| bad(format!("corrupt: {e}")))?;
    Ok(snap.state)
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
