//! The freshness policy: tiers, dbt criteria, staleness, clock-skew tolerance, and the
//! levels given to missing and future-dated tables.

use chrono::TimeDelta;

use super::criteria::{Criteria, Limit};
use super::level::Level;
use super::tiers::{Tiers, FUTURE, MISSING};
use super::verdict::TableFreshness;
use crate::error::{FleetopsError, Result};
use crate::time::{secs_f64, Timestamp};

/// Default tolerance for load timestamps ahead of `now` (clock skew between systems).
pub const DEFAULT_CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// How a table's age is judged. Build one with [`FreshnessPolicy::runbook`] or
/// [`FreshnessPolicy::new`] and the `with_*` methods.
///
/// ```
/// use fleetops::freshness::FreshnessPolicy;
/// use fleetops::time::parse_timestamp;
///
/// let policy = FreshnessPolicy::runbook();
/// let now = parse_timestamp("2026-11-22T08:00:00Z").unwrap();
/// let last = parse_timestamp("2026-11-22T01:00:00Z").unwrap();
/// let r = policy.classify("packages", Some(last), now);
/// assert_eq!(r.class, "ACCEPTABLE"); // 420 min: > 360, <= 720
/// assert_eq!(r.level.as_str(), "warn"); // past warn_after 360 min
/// assert!(r.stale); // older than 3 h
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FreshnessPolicy {
    tiers: Tiers,
    criteria: Criteria,
    stale_after: Option<TimeDelta>,
    stale_after_secs: Option<f64>,
    clock_skew: TimeDelta,
    clock_skew_secs: f64,
    missing_level: Level,
    future_level: Level,
}

/// Where one age falls: a class index (tiers, then `MISSING`, then `FUTURE`) and a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeVerdict {
    /// Index into [`FreshnessPolicy::class_names`].
    pub class: usize,
    /// The dbt level.
    pub level: Level,
    /// Older than `stale_after`.
    pub stale: bool,
}

impl FreshnessPolicy {
    /// Tiers only: no warn/error limits, no staleness, 5 min skew tolerance, missing = error,
    /// future = warn.
    pub fn new(tiers: Tiers) -> Self {
        Self {
            tiers,
            criteria: Criteria::default(),
            stale_after: None,
            stale_after_secs: None,
            clock_skew: DEFAULT_CLOCK_SKEW,
            clock_skew_secs: secs_f64(DEFAULT_CLOCK_SKEW),
            missing_level: Level::Error,
            future_level: Level::Warn,
        }
    }

    /// The runbooks' policy (the data platform, analytics and compressor fleet runbooks): tiers 60/360/720 min, warn_after 360 min,
    /// error_after 720 min, stale after 3 h, 5 min clock-skew tolerance.
    pub fn runbook() -> Self {
        let minutes = |n| Limit::dbt(n, crate::time::Period::Minute).expect("runbook limits are valid");
        Self {
            criteria: Criteria::new(Some(minutes(360)), Some(minutes(720))).expect("runbook criteria are valid"),
            stale_after: Some(TimeDelta::hours(3)),
            stale_after_secs: Some(10_800.0),
            ..Self::new(Tiers::runbook())
        }
    }

    /// Replaces the tiers.
    pub fn with_tiers(mut self, tiers: Tiers) -> Self {
        self.tiers = tiers;
        self
    }

    /// Sets dbt's `warn_after` / `error_after` (checked: warn must not exceed error).
    pub fn with_criteria(mut self, warn_after: Option<Limit>, error_after: Option<Limit>) -> Result<Self> {
        self.criteria = Criteria::new(warn_after, error_after)?;
        Ok(self)
    }

    /// Flags tables older than `stale_after` (strictly) as stale, whatever their tier.
    pub fn with_stale_after(mut self, stale_after: Option<TimeDelta>) -> Result<Self> {
        if stale_after.is_some_and(|d| d < TimeDelta::zero()) {
            return Err(FleetopsError::InvalidDuration("stale_after cannot be negative".into()));
        }
        self.stale_after = stale_after;
        self.stale_after_secs = stale_after.map(secs_f64);
        Ok(self)
    }

    /// How far ahead of `now` a load may be and still count as age 0.
    pub fn with_clock_skew_tolerance(mut self, tolerance: TimeDelta) -> Result<Self> {
        if tolerance < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("clock_skew_tolerance cannot be negative".into()));
        }
        self.clock_skew = tolerance;
        self.clock_skew_secs = secs_f64(tolerance);
        Ok(self)
    }

    /// The level of a table that has never loaded (default error).
    pub fn with_missing_level(mut self, level: Level) -> Self {
        self.missing_level = level;
        self
    }

    /// The level of a table dated beyond the skew tolerance (default warn).
    pub fn with_future_level(mut self, level: Level) -> Self {
        self.future_level = level;
        self
    }

    /// The tiers.
    pub fn tiers(&self) -> &Tiers {
        &self.tiers
    }

    /// The dbt criteria.
    pub fn criteria(&self) -> &Criteria {
        &self.criteria
    }

    /// The stale-after duration, if any.
    pub fn stale_after(&self) -> Option<TimeDelta> {
        self.stale_after
    }

    /// The clock-skew tolerance.
    pub fn clock_skew_tolerance(&self) -> TimeDelta {
        self.clock_skew
    }

    /// Level given to missing tables.
    pub fn missing_level(&self) -> Level {
        self.missing_level
    }

    /// Level given to future-dated tables.
    pub fn future_level(&self) -> Level {
        self.future_level
    }

    /// Every class a result can have: the tiers in order, then `MISSING`, then `FUTURE`.
    pub fn class_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.tiers.as_slice().iter().map(|t| t.name.as_str()).collect();
        names.extend([MISSING, FUTURE]);
        names
    }

    /// Index of `MISSING` in [`class_names`](Self::class_names).
    pub fn missing_class(&self) -> usize {
        self.tiers.as_slice().len()
    }

    /// Index of `FUTURE` in [`class_names`](Self::class_names).
    pub fn future_class(&self) -> usize {
        self.tiers.as_slice().len() + 1
    }

    /// Judges an age in seconds (negative: the load is dated after `now`; must not be NaN).
    /// The hot path: no allocation.
    #[inline]
    pub fn judge(&self, age_secs: f64) -> AgeVerdict {
        if -age_secs > self.clock_skew_secs {
            return AgeVerdict { class: self.future_class(), level: self.future_level, stale: false };
        }
        let age = age_secs.max(0.0);
        AgeVerdict {
            class: self.tiers.index_of(age),
            level: self.criteria.level_of(age),
            stale: self.stale_after_secs.is_some_and(|s| age > s),
        }
    }

    /// The class index of an age in seconds, skipping level and staleness (the batch path).
    #[inline]
    pub fn class_of(&self, age_secs: f64) -> usize {
        if -age_secs > self.clock_skew_secs {
            self.future_class()
        } else {
            self.tiers.index_of(age_secs.max(0.0))
        }
    }

    /// Judges many ages given in float seconds, writing class indices into `out`.
    ///
    /// Every age is checked first, so a NaN or infinite age fails the whole batch (naming its
    /// index) and leaves `out` untouched.
    pub fn classify_ages(&self, ages_secs: &[f64], out: &mut Vec<u8>) -> Result<()> {
        if let Some(i) = ages_secs.iter().position(|a| !a.is_finite()) {
            return Err(FleetopsError::InvalidDuration(format!("age at index {i} is {}", ages_secs[i])));
        }
        out.reserve(ages_secs.len());
        out.extend(ages_secs.iter().map(|&a| self.class_of(a) as u8));
        Ok(())
    }

    /// Classifies one table from its last load time (`None`: never loaded) at `now`.
    pub fn classify(&self, table: &str, last_loaded_at: Option<Timestamp>, now: Timestamp) -> TableFreshness {
        let names = self.class_names();
        let Some(last) = last_loaded_at else {
            // A table with no data at all has been without data for longer than any limit.
            return TableFreshness::new(
                table,
                names[self.missing_class()],
                self.missing_level,
                None,
                None,
                now,
                true,
                0.0,
            );
        };
        let age = now - last;
        let v = self.judge(secs_f64(age));
        let skew = if age < TimeDelta::zero() { secs_f64(-age) } else { 0.0 };
        let shown_age =
            if v.class == self.future_class() { secs_f64(age) } else { secs_f64(age.max(TimeDelta::zero())) };
        TableFreshness::new(table, names[v.class], v.level, Some(shown_age), Some(last), now, v.stale, skew)
    }
}
