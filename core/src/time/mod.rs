//! Time handling shared by every capability: instants are UTC, durations are explicit.
//!
//! Decisions never read the clock: they take `now` from the caller. [`now`] exists only for
//! the bindings' and the CLI's defaults.

mod duration;
mod instant;

pub(crate) use duration::duration_whole_count;
pub use duration::{duration_from_secs, parse_duration, DurationSpec, Period, MAX_DURATION_SECS};
pub use instant::{
    from_epoch_millis, from_epoch_seconds, from_local_with_offset, localize, now, parse_timestamp, parse_timezone,
    push_iso, to_iso, Timestamp,
};

/// Converts a duration to float seconds (the unit of every result).
pub fn secs_f64(d: chrono::TimeDelta) -> f64 {
    d.num_microseconds().map(|us| us as f64 / 1e6).unwrap_or_else(|| d.num_milliseconds() as f64 / 1e3)
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
    check_epoch(at, unit)?;
    Ok(at.iter().map(|&t| epoch_millis(t, unit)).collect())
}

/// Checks float epoch timestamps as [`epoch_to_millis`] does, without converting them: for
/// batches that convert each value as they go instead of copying millions first.
pub fn check_epoch(at: &[f64], unit: EpochUnit) -> crate::Result<()> {
    let to_secs = unit.to_secs();
    // Every value inside the range converts, so the range check is the whole check (and
    // batches of millions skip building a date per value).
    match crate::scan::first_failing(at, |t| instant::in_range(t * to_secs)) {
        Some(i) => Err(from_epoch_seconds(at[i] * to_secs).expect_err("out of range").at(format!("index {i}"))),
        None => Ok(()),
    }
}

/// One timestamp checked by [`check_epoch`], in epoch milliseconds (rounded). Only for
/// checked values: the rounding is exact for 0 .. 2^53 and wrong below zero.
#[inline]
pub(crate) fn epoch_millis(t: f64, unit: EpochUnit) -> i64 {
    let ms_per_unit = match unit {
        EpochUnit::Seconds => 1e3,
        EpochUnit::Millis => 1.0, // milliseconds stay as given: no rounding error to round away
    };
    round_non_negative(t * ms_per_unit)
}

impl EpochUnit {
    fn to_secs(self) -> f64 {
        match self {
            EpochUnit::Seconds => 1.0,
            EpochUnit::Millis => 1e-3,
        }
    }
}

/// `x.round() as i64` for 0 <= x < 2^53, without the libm call `round` becomes on x86-64
/// targets without SSE4.1: the cast truncates, and the remainder is exact.
#[inline]
/// An instant in epoch milliseconds, rounded to the nearest (half up): the one rule by which
/// every engine that counts in milliseconds (de-duplication, storms) reads an instant, the
/// same rounding a batch of float epochs gets.
pub fn round_millis(t: Timestamp) -> i64 {
    (t.timestamp_micros() + 500).div_euclid(1_000)
}

/// A duration to the nearest millisecond (half up), for engines that count in milliseconds:
/// the same rule as [`round_millis`], so what is configured is what is saved.
pub fn round_delta_millis(d: chrono::TimeDelta) -> chrono::TimeDelta {
    match d.num_microseconds() {
        Some(us) => chrono::TimeDelta::milliseconds((us + 500).div_euclid(1_000)),
        None => chrono::TimeDelta::milliseconds(d.num_milliseconds()),
    }
}

fn round_non_negative(x: f64) -> i64 {
    let whole = x as i64;
    whole + i64::from(x - whole as f64 >= 0.5)
}

/// A duration read back from saved state, in milliseconds: at most [`MAX_DURATION_SECS`] either
/// way, or an error naming the value.
pub fn delta_from_saved_ms(ms: i64) -> crate::Result<chrono::TimeDelta> {
    let max_ms = (MAX_DURATION_SECS * 1e3) as i64;
    if ms.unsigned_abs() > max_ms as u64 {
        return Err(crate::FleetopsError::InvalidState(format!(
            "a saved duration of {ms} ms is longer than 100 years"
        )));
    }
    Ok(chrono::TimeDelta::milliseconds(ms))
}

/// Serde for a duration as whole milliseconds (saved state).
pub mod serde_delta_ms {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the milliseconds.
    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_milliseconds())
    }

    /// Reads milliseconds, refusing more than the longest duration fleetops accepts (a crafted
    /// state's huge value made chrono panic).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let ms = i64::deserialize(d)?;
        super::delta_from_saved_ms(ms).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod round_tests {
    use super::*;

    #[test]
    fn rounding_matches_f64_round_on_halves_and_near_halves() {
        let mut xs = vec![
            0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            1_763_798_400_000.5,
            253_402_300_799_999.0,
            4_503_599_627_370_495.5,
        ];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            xs.push((x >> 11) as f64 / (1u64 << 53) as f64 * 2.5e14);
        }
        for x in xs {
            assert_eq!(round_non_negative(x), x.round() as i64, "{x}");
        }
    }

    #[test]
    fn batch_conversion_checks_like_one_value() {
        assert_eq!(epoch_to_millis(&[1.0, 2.0005], EpochUnit::Seconds).unwrap(), vec![1000, 2001]);
        for bad in [f64::NAN, -1.0, f64::INFINITY, 3e11] {
            let err = epoch_to_millis(&[1.0, bad], EpochUnit::Seconds).unwrap_err();
            assert_eq!(err.code(), "INVALID_TIMESTAMP");
            assert!(err.to_string().contains("index 1"), "{err}");
        }
    }
}
