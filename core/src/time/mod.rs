//! Time handling shared by every capability: instants are UTC, durations are explicit.
//!
//! Decisions never read the clock: they take `now` from the caller. [`now`] exists only for
//! the bindings' and the CLI's defaults.

mod duration;
mod instant;

pub use duration::{duration_from_secs, parse_duration, Period};
pub use instant::{
    from_epoch_millis, from_epoch_seconds, from_local_with_offset, localize, now, parse_timestamp,
    parse_timezone, to_iso, Timestamp,
};

/// Converts a duration to float seconds (the unit of every result).
pub fn secs_f64(d: chrono::TimeDelta) -> f64 {
    d.num_microseconds()
        .map(|us| us as f64 / 1e6)
        .unwrap_or_else(|| d.num_milliseconds() as f64 / 1e3)
}

/// The unit of float epoch timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochUnit {
    /// Seconds (Python's `time.time()`).
    Seconds,
    /// Milliseconds (JavaScript's `Date.now()`).
    Millis,
}

/// Float epoch timestamps in `unit` as epoch milliseconds (rounded), each checked to be
/// finite and within 1970 .. 9999; the error names the first bad index.
pub fn epoch_to_millis(at: &[f64], unit: EpochUnit) -> crate::Result<Vec<i64>> {
    let to_secs = match unit {
        EpochUnit::Seconds => 1.0,
        EpochUnit::Millis => 1e-3,
    };
    at.iter()
        .enumerate()
        .map(|(i, &t)| {
            from_epoch_seconds(t * to_secs).map_err(|e| e.at(format!("index {i}")))?;
            Ok((t * to_secs * 1e3).round() as i64)
        })
        .collect()
}

/// Serde for a duration as whole milliseconds (saved state).
pub mod serde_delta_ms {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the milliseconds.
    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_milliseconds())
    }

    /// Reads milliseconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        Ok(TimeDelta::milliseconds(i64::deserialize(d)?))
    }
}
