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
