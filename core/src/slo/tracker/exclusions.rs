//! Time left out of a tracker's budgets and burn windows: the configuration's maintenance
//! windows, and corrections (past ranges excluded after the fact, e.g. a provider's outage).
//!
//! Both work on the buckets already held: a bucket whose start lies inside an excluded span
//! counts neither good nor bad, so a correction recomputes every budget without replaying an
//! event, and a window that is not a whole number of buckets is rounded to the buckets whose
//! start it covers. Budget minutes are the period's minutes outside the spans (exact, not
//! rounded). Latency percentiles (hourly histograms) still include excluded time.

use serde::{Deserialize, Serialize};

use super::buckets::Bucket;
use super::SloTracker;
use crate::error::{FleetopsError, Result};
use crate::maintenance::{covered, union, Occurrence};
use crate::time::Timestamp;

/// The most corrections a tracker keeps.
pub const MAX_CORRECTIONS: usize = 1_000;
/// The longest reason a correction may give, in bytes.
pub const MAX_REASON_BYTES: usize = 500;

/// A past range excluded after the fact: `[start, end)`, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The first instant excluded.
    #[serde(with = "crate::wire::iso_de")]
    #[schemars(with = "String")]
    pub start: Timestamp,
    /// The first instant after.
    #[serde(with = "crate::wire::iso_de")]
    #[schemars(with = "String")]
    pub end: Timestamp,
    /// Why, e.g. `provider outage INC-1234`.
    pub reason: String,
}

impl Correction {
    /// Checks the range and the reason (`end` after `start`, not after `now` when given).
    pub(super) fn check(&self, now: Option<Timestamp>) -> Result<()> {
        if self.end <= self.start {
            return Err(FleetopsError::InvalidArgument(format!(
                "a correction's end ({}) must follow its start ({})",
                crate::time::to_iso(self.end),
                crate::time::to_iso(self.start)
            )));
        }
        if let Some(now) = now.filter(|now| self.end > *now) {
            return Err(FleetopsError::InvalidArgument(format!(
                "a correction is made after the fact: its end ({}) is after now ({}); plan future time as maintenance",
                crate::time::to_iso(self.end),
                crate::time::to_iso(now)
            )));
        }
        if self.reason.trim().is_empty() || self.reason.len() > MAX_REASON_BYTES {
            return Err(FleetopsError::InvalidArgument(format!(
                "a correction needs a reason of 1 to {MAX_REASON_BYTES} bytes"
            )));
        }
        Ok(())
    }
}

/// What a status left out of the period.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Excluded {
    /// Minutes of the whole period inside maintenance windows or corrections: the budget
    /// minutes are counted over the rest.
    pub period_minutes: f64,
    /// Of those, the minutes from the period's start to `now`.
    pub elapsed_minutes: f64,
    /// Events recorded in excluded time this period so far, counted neither good nor bad.
    pub events: u64,
    /// Whether `now` is inside a maintenance window.
    pub in_maintenance: bool,
    /// The maintenance windows overlapping the period, those still ahead included.
    pub maintenance: Vec<Occurrence>,
    /// The corrections overlapping the period.
    pub corrections: Vec<Correction>,
}

/// The excluded spans around one query: microsecond spans and the bucket slots they cover.
pub(super) struct Spans {
    us: Vec<(i64, i64)>,
    /// Inclusive slot ranges of the buckets whose start lies in a span.
    slots: Vec<(i64, i64)>,
}

impl Spans {
    /// Whether bucket `slot` is excluded.
    pub(super) fn covers_slot(&self, slot: i64) -> bool {
        let i = self.slots.partition_point(|&(_, hi)| hi < slot);
        self.slots.get(i).is_some_and(|&(lo, _)| lo <= slot)
    }
}

impl SloTracker {
    /// Excludes a past range from every budget and burn window, recomputed from the buckets
    /// held (no event is replayed); saved with the state and listed in the status. The same
    /// correction twice is kept once. `INVALID_ARGUMENT` for an empty or future range, a
    /// missing reason, or more than [`MAX_CORRECTIONS`] (those wholly older than the history
    /// held are dropped first).
    pub fn correct(&mut self, correction: Correction, now: Timestamp) -> Result<()> {
        correction.check(Some(now))?;
        if self.corrections.contains(&correction) {
            return Ok(());
        }
        // Built aside and swapped in: a refused correction leaves the list as it was.
        let horizon = self.watermark.map(|w| w - self.retention_us());
        let mut kept: Vec<Correction> =
            self.corrections.iter().filter(|c| horizon.is_none_or(|h| c.end.timestamp_micros() > h)).cloned().collect();
        if kept.len() >= MAX_CORRECTIONS {
            return Err(FleetopsError::InvalidArgument(format!(
                "a tracker keeps at most {MAX_CORRECTIONS} corrections"
            )));
        }
        kept.push(correction);
        kept.sort_by_key(|c| (c.start, c.end));
        self.corrections = kept;
        Ok(())
    }

    /// The corrections kept, by start.
    pub fn corrections(&self) -> &[Correction] {
        &self.corrections
    }

    /// The excluded spans overlapping `[from_us, to_us)`.
    pub(super) fn spans(&self, from_us: i64, to_us: i64) -> Spans {
        let mut us: Vec<(i64, i64)> = self
            .corrections
            .iter()
            .map(|c| (c.start.timestamp_micros(), c.end.timestamp_micros()))
            .filter(|&(a, b)| a < to_us && b > from_us)
            .collect();
        if !self.config.maintenance.is_empty() {
            let at = |us: i64| chrono::DateTime::from_timestamp_micros(us).expect("a tracker's times are in range");
            let windows = self.config.maintenance.occurrences(at(from_us), at(to_us));
            us.extend(windows.iter().map(|o| (o.start.timestamp_micros(), o.end.timestamp_micros())));
        }
        let us = union(us);
        let res = self.res_us;
        let slots =
            us.iter().map(|&(a, b)| (div_ceil(a, res), div_ceil(b, res) - 1)).filter(|(lo, hi)| lo <= hi).collect();
        Spans { us, slots }
    }

    /// The bucket sum of slots `[lo, hi]` without the excluded ones.
    pub(super) fn sum_outside(&self, lo: i64, hi: i64, spans: &Spans) -> Bucket {
        let mut out = self.sum(lo, hi);
        for &(a, b) in &spans.slots {
            let (a, b) = (a.max(lo), b.min(hi));
            if a <= b {
                out.sub(&self.sum(a, b));
            }
        }
        out
    }

    /// The bucket sum of the excluded slots in `[lo, hi]`.
    pub(super) fn sum_inside(&self, lo: i64, hi: i64, spans: &Spans) -> Bucket {
        let mut out = Bucket::default();
        for &(a, b) in &spans.slots {
            let (a, b) = (a.max(lo), b.min(hi));
            if a <= b {
                out.add(&self.sum(a, b));
            }
        }
        out
    }

    /// What the period `[start, end)` left out by `now`.
    pub(super) fn excluded(&self, start: Timestamp, end: Timestamp, now: Timestamp, spans: &Spans) -> Excluded {
        let (from, to, now_us) = (start.timestamp_micros(), end.timestamp_micros(), now.timestamp_micros());
        let minutes = |us: i64| us as f64 / 60e6;
        let inside = self.sum_inside(from.div_euclid(self.res_us), now_us.div_euclid(self.res_us), spans);
        let maintenance = self.config.maintenance.occurrences(start, end.max(now));
        Excluded {
            period_minutes: minutes(covered(&spans.us, from, to)),
            elapsed_minutes: minutes(covered(&spans.us, from, to.min(now_us))),
            events: u64::from(inside.total),
            in_maintenance: maintenance.iter().any(|o| o.start <= now && now < o.end),
            maintenance,
            corrections: self.corrections.iter().filter(|c| c.start < end.max(now) && c.end > start).cloned().collect(),
        }
    }
}

fn div_ceil(a: i64, b: i64) -> i64 {
    -(-a).div_euclid(b)
}
