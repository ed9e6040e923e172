//! The runbooks' morning checklist (the data platform and analytics runbooks) as one report: freshness of every raw
//! table, the error budget and any burn-rate alerts over the period, alert storms and flapping
//! keys, duplicate and late events. Each section judges its own level; the report's level is
//! the worst, and maps to the exit code `fleetops report` gates a pipeline with.
//!
//! Sections are computed from plain columns ([`freshness::check`], [`slo::check`],
//! [`storms::check`], [`dedup::check`]), each taking `now` from the caller and a `tick` callback
//! that long loops call with units of work done (for a progress bar; pass `&mut |_| {}`).

pub mod dedup;
mod findings;
pub mod freshness;
pub mod slo;
pub mod storms;

use serde::Serialize;

pub use findings::Finding;

pub use crate::freshness::Level;
use crate::time::Timestamp;

/// The whole checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When it was judged.
    #[serde(serialize_with = "crate::wire::iso")]
    pub now: Timestamp,
    /// The worst level of any section.
    pub level: Level,
    /// Raw-table freshness (absent without load times).
    pub freshness: Option<freshness::FreshnessSection>,
    /// Error budgets and burn-rate alerts (absent without requests).
    pub slo: Option<slo::SloSection>,
    /// Storms and flapping (absent without alerts).
    pub storms: Option<storms::StormSection>,
    /// Duplicates and late events (absent without events).
    pub dedup: Option<dedup::DedupSection>,
}

impl Report {
    /// A report of the sections given; its level is the worst of theirs.
    pub fn new(
        now: Timestamp,
        freshness: Option<freshness::FreshnessSection>,
        slo: Option<slo::SloSection>,
        storms: Option<storms::StormSection>,
        dedup: Option<dedup::DedupSection>,
    ) -> Self {
        let level = [
            freshness.as_ref().map(|s| s.level),
            slo.as_ref().map(|s| s.level),
            storms.as_ref().map(|s| s.level),
            dedup.as_ref().map(|s| s.level),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(Level::Pass);
        Self { now, level, freshness, slo, storms, dedup }
    }

    /// The exit code for a pipeline: 0 all clear, 1 warnings, 2 errors.
    pub fn exit_code(&self) -> u8 {
        self.level as u8
    }
}

/// Counts per fixed-width time bucket from `start` (for timelines).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// The first bucket's start.
    #[serde(serialize_with = "crate::wire::iso")]
    pub start: Timestamp,
    /// Bucket width in seconds.
    pub width_seconds: i64,
    /// Counts per bucket.
    pub counts: Vec<u64>,
}

impl Histogram {
    /// Empty buckets of `width_seconds` covering `start..end`.
    pub fn new(start: Timestamp, end: Timestamp, width_seconds: i64) -> Self {
        let n = ((end - start).num_seconds().max(0) + width_seconds - 1) / width_seconds;
        Self { start, width_seconds, counts: vec![0; n as usize] }
    }

    /// Counts one at `at_ms`; instants outside the range are ignored.
    pub fn add(&mut self, at_ms: i64) {
        let offset = at_ms - self.start.timestamp_millis();
        if offset >= 0 {
            if let Some(c) = self.counts.get_mut((offset / 1000 / self.width_seconds) as usize) {
                *c += 1;
            }
        }
    }
}
