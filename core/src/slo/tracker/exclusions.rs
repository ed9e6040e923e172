//! Time left out of a tracker's budgets and burn windows: the configuration's maintenance
//! windows, and corrections (past ranges excluded after the fact, e.g. a provider's outage).
//!
//! Both work on the buckets already held: a bucket whose start lies inside an excluded span
//! counts neither good nor bad, so a correction recomputes every budget without replaying an
//! event, and a window that is not a whole number of buckets is rounded to the buckets whose
//! start it covers. Budget minutes are the period's minutes outside the spans (exact, not
//! rounded).
//!
//! Maintenance is known before its events arrive: the windows of the spec, and those announced
//! at run time (the fleet API runbook's emergency maintenance, at least an hour ahead). So its
//! events are also left out where they are recorded: the exposition's counters and the latency
//! percentiles. A correction comes after the fact: the percentiles leave out the histograms of
//! the whole steps (last 60) or hours (longer windows) it covers, and keep a partly covered
//! one, as the histograms keep no finer time.

use serde::{Deserialize, Serialize};

use super::buckets::Bucket;
use super::SloTracker;
use crate::error::{FleetopsError, Result};
use crate::maintenance::{covered, occurrences_of, union, Maintenance, MaintenanceSpec, Occurrence};
use crate::time::{to_iso, Timestamp};

/// The most corrections a tracker keeps.
pub const MAX_CORRECTIONS: usize = 1_000;
/// The longest reason a correction may give, in bytes.
pub const MAX_REASON_BYTES: usize = 500;
/// The least notice maintenance announced at run time needs by default, in minutes: the fleet
/// API runbook's (004) "minimum 1 hour notice" for emergency maintenance.
pub const MAINTENANCE_NOTICE_MINUTES: i64 = 60;
/// The most announced maintenance windows a tracker keeps (those wholly older than the history
/// held are dropped first).
pub const MAX_ANNOUNCED: usize = crate::maintenance::MAX_WINDOWS;
/// The name of an announced window given none.
pub const ANNOUNCED_NAME: &str = "emergency maintenance";

/// Maintenance announced at run time: a one-off window `[start, end)`, at least `notice` ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// A name for status and reports (default [`ANNOUNCED_NAME`]).
    pub name: Option<String>,
    /// The first instant inside.
    pub start: Timestamp,
    /// The first instant after.
    pub end: Timestamp,
    /// The least time between `now` and `start` (default [`MAINTENANCE_NOTICE_MINUTES`]).
    pub notice: Option<chrono::TimeDelta>,
}

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

    /// Announces maintenance at run time (emergency maintenance): a one-off window that every
    /// budget and burn window leaves out like the spec's own, whose events stay out of the
    /// counters and latency percentiles. Saved with the state, united by merge, listed in the
    /// status. It must start at least `notice` after `now` (default: the runbook's hour) and
    /// after every event recorded so far, so that each of its events is recorded knowing it;
    /// time already past is excluded with [`correct`](Self::correct). The same window twice
    /// is kept once. `INVALID_ARGUMENT` for too little notice, an event already recorded
    /// inside, or more than [`MAX_ANNOUNCED`] windows; `INVALID_SCHEDULE` for a bad window.
    pub fn announce_maintenance(&mut self, a: Announcement, now: Timestamp) -> Result<Occurrence> {
        let notice = a.notice.unwrap_or(chrono::TimeDelta::minutes(MAINTENANCE_NOTICE_MINUTES));
        if notice < chrono::TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("notice must not be negative".into()));
        }
        let name = a.name.unwrap_or_else(|| ANNOUNCED_NAME.into());
        let spec = MaintenanceSpec {
            name: Some(name.clone()),
            start: Some(to_iso(a.start)),
            end: Some(to_iso(a.end)),
            ..MaintenanceSpec::default()
        };
        // Checks the window itself (order, length, name) before the rules of announcing.
        Maintenance::new(std::slice::from_ref(&spec))?;
        let occurrence = Occurrence { name, start: a.start, end: a.end };
        if self.announced.specs().contains(&spec) {
            return Ok(occurrence);
        }
        if now.checked_add_signed(notice).is_none_or(|earliest| a.start < earliest) {
            return Err(FleetopsError::InvalidArgument(format!(
                "maintenance starting {} is announced at {}: less than the {} notice asked; exclude time already past with a correction",
                to_iso(a.start),
                to_iso(now),
                notice_words(notice)
            )));
        }
        if let Some(w) = self.watermark.filter(|&w| w >= a.start.timestamp_micros()) {
            return Err(FleetopsError::InvalidArgument(format!(
                "maintenance starting {} is announced after events inside it were recorded (the newest at {}); exclude them with a correction",
                to_iso(a.start),
                to_iso(chrono::DateTime::from_timestamp_micros(w).expect("a tracker's times are in range"))
            )));
        }
        // Built aside and swapped in: a refused window leaves the list as it was.
        let horizon = self.watermark.map(|w| w - self.retention_us());
        let ends_after = |spec: &MaintenanceSpec| {
            let end = spec.end.as_deref().and_then(|e| crate::time::parse_timestamp(e).ok());
            horizon.is_none_or(|h| end.is_none_or(|e| e.timestamp_micros() > h))
        };
        let mut kept: Vec<MaintenanceSpec> = self.announced.specs().iter().filter(|s| ends_after(s)).cloned().collect();
        if kept.len() >= MAX_ANNOUNCED {
            return Err(FleetopsError::InvalidArgument(format!(
                "a tracker keeps at most {MAX_ANNOUNCED} announced maintenance windows"
            )));
        }
        kept.push(spec);
        self.announced = announced_of(kept)?;
        Ok(occurrence)
    }

    /// The maintenance windows announced at run time and kept, by start.
    pub fn announced_maintenance(&self) -> Vec<Occurrence> {
        self.announced.occurrences(chrono::DateTime::<chrono::Utc>::MIN_UTC, chrono::DateTime::<chrono::Utc>::MAX_UTC)
    }

    /// Whether any maintenance window applies: the spec's or an announced one.
    pub(super) fn has_maintenance(&self) -> bool {
        !self.config.maintenance.is_empty() || !self.announced.is_empty()
    }

    /// Whether `at` is inside a spec's or an announced window (one lookup per window).
    pub(super) fn in_maintenance_at(&self, at: Timestamp) -> bool {
        self.config.maintenance.covers(at) || self.announced.covers(at)
    }

    /// Every occurrence of the spec's and the announced windows overlapping `[from, to)`.
    pub(super) fn maintenance_between(&self, from: Timestamp, to: Timestamp) -> Vec<Occurrence> {
        occurrences_of(&[&self.config.maintenance, &self.announced], from, to)
    }

    /// The excluded spans overlapping `[from_us, to_us)`.
    pub(super) fn spans(&self, from_us: i64, to_us: i64) -> Spans {
        let mut us = self.correction_spans(from_us, to_us);
        if self.has_maintenance() {
            let at = |us: i64| chrono::DateTime::from_timestamp_micros(us).expect("a tracker's times are in range");
            let windows = self.maintenance_between(at(from_us), at(to_us));
            us.extend(windows.iter().map(|o| (o.start.timestamp_micros(), o.end.timestamp_micros())));
        }
        let us = union(us);
        let res = self.res_us;
        let slots =
            us.iter().map(|&(a, b)| (div_ceil(a, res), div_ceil(b, res) - 1)).filter(|(lo, hi)| lo <= hi).collect();
        Spans { us, slots }
    }

    /// The corrections' spans (µs) overlapping `[from_us, to_us)`, unsorted.
    pub(super) fn correction_spans(&self, from_us: i64, to_us: i64) -> Vec<(i64, i64)> {
        self.corrections
            .iter()
            .map(|c| (c.start.timestamp_micros(), c.end.timestamp_micros()))
            .filter(|&(a, b)| a < to_us && b > from_us)
            .collect()
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
        let maintenance = self.maintenance_between(start, end.max(now));
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

/// The announced windows `specs` as one set, each checked to happen once.
/// They are kept by start, so that equal sets save and compare equal.
pub(super) fn announced_of(mut specs: Vec<MaintenanceSpec>) -> Result<Maintenance> {
    let at = |t: &Option<String>| t.as_deref().and_then(|t| crate::time::parse_timestamp(t).ok());
    specs.sort_by(|a, b| (at(&a.start), at(&a.end), &a.name).cmp(&(at(&b.start), at(&b.end), &b.name)));
    specs.dedup();
    if specs.len() > MAX_ANNOUNCED {
        return Err(FleetopsError::InvalidArgument(format!(
            "a tracker keeps at most {MAX_ANNOUNCED} announced maintenance windows"
        )));
    }
    let set = Maintenance::new(&specs)?;
    if !set.all_once() {
        return Err(FleetopsError::InvalidArgument("announced maintenance happens once (start, end)".into()));
    }
    Ok(set)
}

fn div_ceil(a: i64, b: i64) -> i64 {
    -(-a).div_euclid(b)
}

/// A notice in words, in the largest unit it is a whole number of: "1 hour's", "15 minutes'",
/// "90 seconds'" (a notice of 90 s is not "1 minutes'").
fn notice_words(notice: chrono::TimeDelta) -> String {
    let secs = notice.num_seconds();
    let (n, unit) = match secs {
        s if s % 3600 == 0 && s > 0 => (s / 3600, "hour"),
        s if s % 60 == 0 && s > 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    if n == 1 {
        format!("1 {unit}'s")
    } else {
        format!("{n} {unit}s'")
    }
}
