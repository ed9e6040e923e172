//! Instants: parsing, epoch conversion and time-zone localisation, all into UTC.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{FleetopsError, Result};

/// A point in time, always UTC.
pub type Timestamp = DateTime<Utc>;

/// The earliest instant fleetops accepts: the Unix epoch.
const MIN_SECS: f64 = 0.0;
/// The latest instant fleetops accepts: 9999-12-31T23:59:59Z.
const MAX_SECS: f64 = 253_402_300_799.0;

/// The current time; only for defaults at the edges, never inside a decision.
pub fn now() -> Timestamp {
    Utc::now()
}

/// Whether epoch seconds are finite and inside 1970-01-01 .. 9999-12-31.
pub(crate) fn in_range(secs: f64) -> bool {
    (MIN_SECS..=MAX_SECS).contains(&secs)
}

fn check_range(secs: f64, what: &str) -> Result<()> {
    if !secs.is_finite() {
        return Err(FleetopsError::InvalidTimestamp(format!("{what} is not a finite number")));
    }
    if !(MIN_SECS..=MAX_SECS).contains(&secs) {
        return Err(FleetopsError::InvalidTimestamp(format!("{what} {secs} s is outside 1970-01-01 .. 9999-12-31")));
    }
    Ok(())
}

/// Converts epoch seconds (fractions kept to the microsecond) to a timestamp.
pub fn from_epoch_seconds(secs: f64) -> Result<Timestamp> {
    check_range(secs, "epoch seconds")?;
    let micros = (secs * 1e6).round() as i64;
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| FleetopsError::InvalidTimestamp(format!("epoch seconds {secs} out of range")))
}

/// Converts epoch milliseconds (JavaScript's `Date.getTime()`) to a timestamp.
pub fn from_epoch_millis(ms: f64) -> Result<Timestamp> {
    if !ms.is_finite() {
        return Err(FleetopsError::InvalidTimestamp("epoch milliseconds is not a finite number".into()));
    }
    from_epoch_seconds(ms / 1e3)
}

/// Parses an RFC 3339 / ISO-8601 timestamp that states its offset (`Z` or `+02:00`).
///
/// A timestamp without an offset is a [`FleetopsError::NaiveTimestamp`]: fleetops does not
/// guess a zone. Use [`localize`] to state one.
pub fn parse_timestamp(text: &str) -> Result<Timestamp> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return checked(dt.with_timezone(&Utc));
    }
    // A space instead of `T` is common in SQL output (`2026-03-01 02:00:00+00:00`).
    if let Ok(dt) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return checked(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return checked(dt.with_timezone(&Utc));
    }
    let naive_forms = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"];
    let is_date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
    for fmt in naive_forms {
        if is_date || NaiveDateTime::parse_from_str(text, fmt).is_ok() {
            return Err(FleetopsError::NaiveTimestamp(format!(
                "'{text}' has no time zone; add an offset such as 'Z' or state the zone"
            )));
        }
    }
    Err(FleetopsError::InvalidTimestamp(format!("'{text}' is not an ISO-8601 timestamp")))
}

fn checked(ts: Timestamp) -> Result<Timestamp> {
    check_range(ts.timestamp() as f64, "timestamp")?;
    Ok(ts)
}

/// Looks up an IANA time zone such as `Europe/Amsterdam` (or `UTC`).
pub fn parse_timezone(name: &str) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| FleetopsError::InvalidTimeZone(format!("'{name}' is not an IANA time zone")))
}

/// Interprets a wall-clock time in the named zone.
///
/// A wall-clock time that does not exist (inside a spring-forward gap) or exists twice (inside
/// a fall-back overlap) is an error rather than a guess.
pub fn localize(naive: NaiveDateTime, zone: &str) -> Result<Timestamp> {
    let tz = parse_timezone(zone)?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => checked(dt.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Err(FleetopsError::InvalidTimestamp(format!(
            "{naive} happens twice in {zone} ({} and {}); pass an aware timestamp",
            a.to_rfc3339(),
            b.to_rfc3339()
        ))),
        LocalResult::None => {
            Err(FleetopsError::InvalidTimestamp(format!("{naive} does not exist in {zone} (clocks jump over it)")))
        }
    }
}

/// Builds a timestamp from a wall-clock time and its UTC offset in seconds (what an aware
/// Python `datetime` carries).
pub fn from_local_with_offset(naive: NaiveDateTime, offset_seconds: i32) -> Result<Timestamp> {
    let offset = FixedOffset::east_opt(offset_seconds)
        .ok_or_else(|| FleetopsError::InvalidTimestamp(format!("UTC offset of {offset_seconds} s is out of range")))?;
    match offset.from_local_datetime(&naive) {
        LocalResult::Single(dt) => checked(dt.with_timezone(&Utc)),
        _ => Err(FleetopsError::InvalidTimestamp(format!("{naive} with offset {offset} is out of range"))),
    }
}

/// Formats a timestamp as ISO-8601 UTC with a `Z` (fractions only when present: as
/// milliseconds, microseconds or nanoseconds, the shortest that is exact).
pub fn to_iso(ts: Timestamp) -> String {
    let mut out = String::with_capacity(30);
    push_iso(&mut out, ts);
    out
}

/// Appends [`to_iso`]'s text to `out` (a message built around a time allocates once).
pub fn push_iso(out: &mut String, ts: Timestamp) {
    let (secs, nanos) = (ts.timestamp(), ts.timestamp_subsec_nanos());
    // The accepted range (no leap second): written digit by digit, a tenth of chrono's
    // general formatter, which every result's timestamps go through.
    if !(0..=MAX_SECS as i64).contains(&secs) || nanos >= 1_000_000_000 {
        out.push_str(&ts.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        return;
    }
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    let mut text = [0u8; 30];
    let mut at = 0;
    let mut put = |value: u32, width: usize, sep: u8| {
        let mut v = value;
        for i in (0..width).rev() {
            text[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        text[at + width] = sep;
        at += width + 1;
    };
    put(year, 4, b'-');
    put(month, 2, b'-');
    put(day, 2, b'T');
    put((rest / 3600) as u32, 2, b':');
    put((rest / 60 % 60) as u32, 2, b':');
    let fraction = match nanos {
        0 => None,
        n if n % 1_000_000 == 0 => Some((n / 1_000_000, 3)),
        n if n % 1_000 == 0 => Some((n / 1_000, 6)),
        n => Some((n, 9)),
    };
    match fraction {
        None => put((rest % 60) as u32, 2, b'Z'),
        Some((digits, width)) => {
            put((rest % 60) as u32, 2, b'.');
            put(digits, width, b'Z');
        }
    }
    out.push_str(std::str::from_utf8(&text[..at]).unwrap_or_default());
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01 (zero or
/// more): the era arithmetic of Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as u32, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets_and_rejects_naive() {
        let a = parse_timestamp("2026-03-29T03:00:00+02:00").unwrap();
        assert_eq!(to_iso(a), "2026-03-29T01:00:00Z");
        let b = parse_timestamp("2026-03-29 01:00:00+00:00").unwrap();
        assert_eq!(a, b);
        let e = parse_timestamp("2026-03-29T01:00:00").unwrap_err();
        assert_eq!(e.code(), "NAIVE_TIMESTAMP");
        assert_eq!(parse_timestamp("yesterday").unwrap_err().code(), "INVALID_TIMESTAMP");
    }

    #[test]
    fn iso_is_chronos_rfc3339_across_the_range() {
        let chrono_iso = |t: Timestamp| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        // Calendar edges (epoch, leap days, century rules, the last second) and a walk through
        // the whole accepted range in odd steps, with every kind of fraction.
        let mut secs: Vec<i64> = vec![0, 59, 86_399, 951_782_400, 951_868_799, 4_107_542_400, MAX_SECS as i64];
        secs.extend((0..200_000i64).map(|i| i * 1_267_013 + i % 86_400));
        for s in secs.into_iter().filter(|&s| s <= MAX_SECS as i64) {
            for nanos in [0, 7_000_000, 123_456_000, 1_000, 999_999_999, 5] {
                let t = DateTime::from_timestamp(s, nanos).unwrap();
                assert_eq!(to_iso(t), chrono_iso(t), "{s} s {nanos} ns");
            }
        }
        assert_eq!(to_iso(DateTime::from_timestamp(951_782_400, 0).unwrap()), "2000-02-29T00:00:00Z");
        assert_eq!(to_iso(DateTime::from_timestamp(1, 120_000_000).unwrap()), "1970-01-01T00:00:01.120Z");
        // Outside the accepted range: chrono's form.
        let before = DateTime::from_timestamp(-1, 0).unwrap();
        assert_eq!(to_iso(before), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn epoch_conversions_keep_microseconds_and_reject_nan() {
        let t = from_epoch_seconds(1_790_000_000.123456).unwrap();
        assert_eq!(t.timestamp_subsec_micros(), 123_456);
        assert_eq!(from_epoch_millis(1_790_000_000_123.0).unwrap().timestamp_subsec_millis(), 123);
        assert_eq!(from_epoch_seconds(f64::NAN).unwrap_err().code(), "INVALID_TIMESTAMP");
        assert_eq!(from_epoch_seconds(-1.0).unwrap_err().code(), "INVALID_TIMESTAMP");
        assert_eq!(from_epoch_seconds(1e13).unwrap_err().code(), "INVALID_TIMESTAMP");
    }

    #[test]
    fn localize_refuses_gaps_and_overlaps() {
        let n = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let ok = localize(n("2026-07-01 02:00"), "Europe/Amsterdam").unwrap();
        assert_eq!(to_iso(ok), "2026-07-01T00:00:00Z");
        assert_eq!(localize(n("2026-03-29 02:30"), "Europe/Amsterdam").unwrap_err().code(), "INVALID_TIMESTAMP");
        assert_eq!(localize(n("2026-10-25 02:30"), "Europe/Amsterdam").unwrap_err().code(), "INVALID_TIMESTAMP");
        assert_eq!(localize(n("2026-10-25 02:30"), "Mars/Olympus").unwrap_err().code(), "INVALID_TIME_ZONE");
    }
}
