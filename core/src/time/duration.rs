//! Durations: from float seconds, from dbt's `{count, period}` and from short text (`45m`).

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{FleetopsError, Result};

/// dbt's freshness periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// 60 seconds.
    Minute,
    /// 3,600 seconds.
    Hour,
    /// 86,400 seconds.
    Day,
}

impl Period {
    /// Parses dbt's period names exactly: `minute`, `hour`, `day`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "minute" => Ok(Self::Minute),
            "hour" => Ok(Self::Hour),
            "day" => Ok(Self::Day),
            other => Err(FleetopsError::InvalidDuration(format!(
                "unknown period '{other}' (dbt periods are minute, hour, day)"
            ))),
        }
    }

    /// Length of one period in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Self::Minute => 60,
            Self::Hour => 3_600,
            Self::Day => 86_400,
        }
    }

    /// dbt's name for the period.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::Day => "day",
        }
    }

    /// `count` periods as a duration; negative counts are refused.
    pub fn times(self, count: i64) -> Result<TimeDelta> {
        if count < 0 {
            return Err(FleetopsError::InvalidDuration(format!("count {count} is negative")));
        }
        match count.checked_mul(self.seconds()) {
            Some(secs) if secs as f64 <= MAX_DURATION_SECS => Ok(TimeDelta::seconds(secs)),
            _ => Err(FleetopsError::InvalidDuration(format!(
                "{count} {}s is longer than the maximum, 100 years",
                self.as_str()
            ))),
        }
    }
}

/// The longest duration fleetops accepts anywhere: 100 years of 365.25 days. Every instant is
/// in 1970 ..= 9999, so an instant plus or minus any accepted duration stays far inside the
/// range date arithmetic can hold (longer ones overflowed it and panicked).
pub const MAX_DURATION_SECS: f64 = 100.0 * 365.25 * 86_400.0;

/// Converts float seconds to a duration, refusing NaN, infinities, negatives and anything
/// longer than [`MAX_DURATION_SECS`].
pub fn duration_from_secs(secs: f64) -> Result<TimeDelta> {
    if !secs.is_finite() {
        return Err(FleetopsError::InvalidDuration(format!("{secs} is not a finite number of seconds")));
    }
    if secs < 0.0 {
        return Err(FleetopsError::InvalidDuration(format!("{secs} s is negative")));
    }
    if secs > MAX_DURATION_SECS {
        return Err(FleetopsError::InvalidDuration(format!("{secs} s is longer than the maximum, 100 years")));
    }
    Ok(TimeDelta::microseconds((secs * 1e6).round() as i64))
}

/// Parses a short duration: `90s`, `45m`, `3h`, `7d`, `1h30m`, or plain seconds (`300`).
pub fn parse_duration(text: &str) -> Result<TimeDelta> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FleetopsError::InvalidDuration("empty duration".into()));
    }
    if let Ok(secs) = t.parse::<f64>() {
        return duration_from_secs(secs);
    }
    let bad = || FleetopsError::InvalidDuration(format!("'{text}' is not a duration like 45m, 3h or 1h30m"));
    let mut total = 0f64;
    let mut number = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        if c == '-' {
            return Err(FleetopsError::InvalidDuration(format!("'{text}' is negative")));
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            0.001
        } else {
            match c {
                's' => 1.0,
                'm' => 60.0,
                'h' => 3_600.0,
                'd' => 86_400.0,
                'w' => 604_800.0,
                _ => return Err(bad()),
            }
        };
        let n: f64 = number.parse().map_err(|_| bad())?;
        total += n * unit;
        number.clear();
    }
    if !number.is_empty() {
        return Err(bad());
    }
    duration_from_secs(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_forms() {
        assert_eq!(parse_duration("45m").unwrap(), TimeDelta::minutes(45));
        assert_eq!(parse_duration("1h30m").unwrap(), TimeDelta::minutes(90));
        assert_eq!(parse_duration("250ms").unwrap(), TimeDelta::milliseconds(250));
        assert_eq!(parse_duration("300").unwrap(), TimeDelta::seconds(300));
        assert_eq!(parse_duration("7d").unwrap(), TimeDelta::days(7));
        for bad in ["", "-5m", "5x", "m", "5m3"] {
            assert_eq!(parse_duration(bad).unwrap_err().code(), "INVALID_DURATION", "{bad}");
        }
    }

    #[test]
    fn periods_are_dbts_exactly() {
        assert_eq!(Period::parse("hour").unwrap().times(6).unwrap(), TimeDelta::hours(6));
        assert_eq!(Period::parse("hours").unwrap_err().code(), "INVALID_DURATION");
        assert_eq!(Period::Minute.times(-1).unwrap_err().code(), "INVALID_DURATION");
        assert_eq!(duration_from_secs(f64::NAN).unwrap_err().code(), "INVALID_DURATION");
    }

    #[test]
    fn nothing_longer_than_a_hundred_years() {
        assert_eq!(parse_duration("36525d").unwrap(), TimeDelta::days(36_525));
        for bad in ["36526d", "1000000000d", "1e15", "3000000d"] {
            assert_eq!(parse_duration(bad).unwrap_err().code(), "INVALID_DURATION", "{bad}");
        }
        assert_eq!(Period::Day.times(36_526).unwrap_err().code(), "INVALID_DURATION");
        assert_eq!(Period::Day.times(i64::MAX).unwrap_err().code(), "INVALID_DURATION");
    }
}

/// A duration as users write it: seconds, text (`45m`), or dbt's `{count, period}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum DurationSpec {
    /// Float seconds.
    Seconds(f64),
    /// `90s`, `45m`, `3h`, `1d`, `1h30m`.
    Text(String),
    /// dbt's shape.
    Dbt {
        /// How many periods (a whole number).
        count: f64,
        /// `minute`, `hour` or `day`.
        period: String,
    },
}

/// A dbt `count`: a whole number.
pub(crate) fn duration_whole_count(count: f64) -> Result<i64> {
    if !count.is_finite() || count.fract() != 0.0 || count.abs() > 9.0e15 {
        return Err(FleetopsError::InvalidDuration(format!("count {count} is not a whole number")));
    }
    Ok(count as i64)
}

impl DurationSpec {
    /// The duration.
    pub fn to_delta(&self) -> Result<TimeDelta> {
        match self {
            Self::Seconds(s) => duration_from_secs(*s),
            Self::Text(t) => parse_duration(t),
            Self::Dbt { count, period } => Period::parse(period)?.times(duration_whole_count(*count)?),
        }
    }
}

/// Read by hand rather than as an untagged enum: one clear message for a value of the wrong
/// kind, any number (NaN included, for [`duration_from_secs`] to judge) as seconds, and dbt's
/// shape with exactly its two fields.
impl<'de> Deserialize<'de> for DurationSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Spec;
        impl<'de> serde::de::Visitor<'de> for Spec {
            type Value = DurationSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration: seconds, text like '45m' or {count, period}")
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<DurationSpec, E> {
                Ok(DurationSpec::Seconds(v))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<DurationSpec, E> {
                Ok(DurationSpec::Seconds(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<DurationSpec, E> {
                Ok(DurationSpec::Seconds(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<DurationSpec, E> {
                Ok(DurationSpec::Text(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<DurationSpec, A::Error> {
                use serde::de::Error;
                let (mut count, mut period) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "count" => count = Some(map.next_value::<f64>()?),
                        "period" => period = Some(map.next_value::<String>()?),
                        other => return Err(A::Error::unknown_field(other, &["count", "period"])),
                    }
                }
                match (count, period) {
                    (Some(count), Some(period)) => Ok(DurationSpec::Dbt { count, period }),
                    (None, _) => Err(A::Error::custom("a dbt duration needs 'count'")),
                    (_, None) => Err(A::Error::custom("a dbt duration needs 'period'")),
                }
            }
        }
        d.deserialize_any(Spec)
    }
}
