//! dbt's `warn_after` / `error_after` criteria, with dbt's strict comparison.

use chrono::TimeDelta;
use serde::Serialize;

use super::level::Level;
use crate::error::{FleetopsError, Result};
use crate::time::{secs_f64, Period};

/// One limit, remembered in dbt's `{count, period}` shape when it was given that way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    duration: TimeDelta,
    secs: f64,
    shape: Option<(i64, Period)>,
}

impl Limit {
    /// dbt's shape: `{count: 6, period: hour}`.
    pub fn dbt(count: i64, period: Period) -> Result<Self> {
        let duration = period.times(count)?;
        Ok(Self { duration, secs: secs_f64(duration), shape: Some((count, period)) })
    }

    /// Any non-negative duration.
    pub fn after(duration: TimeDelta) -> Result<Self> {
        if duration < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("a freshness limit cannot be negative".into()));
        }
        Ok(Self { duration, secs: secs_f64(duration), shape: None })
    }

    /// The limit as a duration.
    pub fn duration(&self) -> TimeDelta {
        self.duration
    }

    /// dbt's `{count, period}`, choosing the largest whole period when given as a duration.
    pub fn to_dbt(&self) -> DbtLimit {
        let whole = |count: i64, period: Period| DbtLimit { count: Some(count.into()), period: Some(period) };
        if let Some((count, period)) = self.shape {
            return whole(count, period);
        }
        let secs = self.duration.num_seconds();
        let exact = self.duration.subsec_nanos() == 0;
        for period in [Period::Day, Period::Hour, Period::Minute] {
            if exact && secs % period.seconds() == 0 {
                return whole(secs / period.seconds(), period);
            }
        }
        let minutes = serde_json::Number::from_f64(secs_f64(self.duration) / 60.0);
        DbtLimit { count: minutes, period: Some(Period::Minute) }
    }
}

/// dbt's `{count, period}`: both null for a limit not set.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(extend("x-keep-case" = true))]
pub struct DbtLimit {
    /// How many periods (whole, or fractional minutes for a duration of odd seconds).
    pub count: Option<serde_json::Number>,
    /// `minute`, `hour` or `day`.
    pub period: Option<Period>,
}

/// dbt's `criteria` of a source.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(extend("x-keep-case" = true))]
pub struct DbtCriteria {
    /// Warn past this age.
    pub warn_after: DbtLimit,
    /// Error past this age.
    pub error_after: DbtLimit,
    /// dbt's row filter (always null: fleetops judges the loads it is given).
    pub filter: Option<String>,
}

/// dbt's criteria: an age strictly past `error_after` errors, strictly past `warn_after` warns.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Criteria {
    /// Warn when the age is strictly greater.
    pub warn_after: Option<Limit>,
    /// Error when the age is strictly greater.
    pub error_after: Option<Limit>,
}

impl Criteria {
    /// Checks that `warn_after` does not exceed `error_after` (dbt would never warn then).
    pub fn new(warn_after: Option<Limit>, error_after: Option<Limit>) -> Result<Self> {
        if let (Some(w), Some(e)) = (warn_after, error_after) {
            if w.duration > e.duration {
                return Err(FleetopsError::InvalidThreshold(format!(
                    "warn_after ({} s) exceeds error_after ({} s)",
                    secs_f64(w.duration),
                    secs_f64(e.duration)
                )));
            }
        }
        Ok(Self { warn_after, error_after })
    }

    /// The level of an age in seconds (strict: equal to a limit passes).
    #[inline]
    pub fn level_of(&self, age_secs: f64) -> Level {
        let past = |l: &Option<Limit>| l.is_some_and(|l| age_secs > l.secs);
        if past(&self.error_after) {
            Level::Error
        } else if past(&self.warn_after) {
            Level::Warn
        } else {
            Level::Pass
        }
    }

    /// dbt's `criteria` object for `sources.json`.
    pub fn to_dbt(&self) -> DbtCriteria {
        let limit = |l: Option<Limit>| l.map_or(DbtLimit { count: None, period: None }, |l| l.to_dbt());
        DbtCriteria { warn_after: limit(self.warn_after), error_after: limit(self.error_after), filter: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_comparison_like_dbt() {
        let c =
            Criteria::new(Some(Limit::dbt(360, Period::Minute).unwrap()), Some(Limit::dbt(12, Period::Hour).unwrap()))
                .unwrap();
        assert_eq!(c.level_of(21_600.0), Level::Pass);
        assert_eq!(c.level_of(21_600.000001), Level::Warn);
        assert_eq!(c.level_of(43_200.0), Level::Warn);
        assert_eq!(c.level_of(43_200.000001), Level::Error);
    }

    #[test]
    fn dbt_shape_round_trips() {
        let json = |l: Limit| serde_json::to_value(l.to_dbt()).unwrap();
        assert_eq!(json(Limit::after(TimeDelta::hours(6)).unwrap()), serde_json::json!({"count": 6, "period": "hour"}));
        assert_eq!(
            json(Limit::dbt(360, Period::Minute).unwrap()),
            serde_json::json!({"count": 360, "period": "minute"})
        );
        let warn_after_error = Criteria::new(
            Some(Limit::after(TimeDelta::hours(2)).unwrap()),
            Some(Limit::after(TimeDelta::hours(1)).unwrap()),
        );
        assert_eq!(warn_after_error.unwrap_err().code(), "INVALID_THRESHOLD");
    }
}
