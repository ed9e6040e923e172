//! `SloTracker`: request outcomes in, any objective's SLI, budget, burn rates and latency
//! percentiles out, for any `now`, in bounded memory.
//!
//! Storage (documented bounds): one 32-byte bucket per `resolution` step over the retention
//! (the longest of the period and the burn windows), so a 30-day tracker at 1 minute holds
//! 43,200 buckets = 1.4 MB, allocated 1,024 buckets (32 KiB) at a time as they are written; latency histograms (HdrHistogram, 2 significant figures = 1 %,
//! 1 µs to 60 s, larger latencies counted at 60 s) for the last 60 steps and for each hour of
//! the retention, allocated when first used, 10 KB each: at most 8 MB for 30 days. Total for
//! the runbook's four objectives: under 10 MB.
//!
//! Every record call takes the caller's `now`: an event more than `max_future` ahead of it is
//! dropped and counted in `dropped.future`. The newest event time accepted (the watermark)
//! bounds the past: an event older than `watermark - retention` is dropped and counted in
//! `dropped.too_old`; a late event inside the retention is counted where it belongs. (Judging
//! "future" against the watermark instead would drop everything after a quiet gap longer than
//! `max_future`, as the watermark would never advance again.)

mod buckets;
mod config;
mod exclusions;
mod groups;
mod ingest;
mod merge;
mod persist;
mod query;
mod status;

use chrono::TimeDelta;

use super::budget::event_budget;
use super::objective::{Counts, Objective};
use super::ring::ChunkedRing;
use crate::error::{FleetopsError, Result};
use crate::time::{secs_f64, Timestamp};

use buckets::{Bucket, HistRing, Totals, HIST_MAX_US, RECENT_STEPS};
pub use config::{
    ObjectiveKind, SliceTarget, TrackedObjective, TrackerConfig, TrackerSpec, DEFAULT_MAX_FUTURE, DEFAULT_RESOLUTION,
    MAX_BUCKETS, MAX_LATENCY_OBJECTIVES,
};
pub use exclusions::{
    Announcement, Correction, Excluded, ANNOUNCED_NAME, MAINTENANCE_NOTICE_MINUTES, MAX_ANNOUNCED, MAX_CORRECTIONS,
    MAX_REASON_BYTES,
};
pub use status::{Dropped, LatencyStatus, ObjectiveStatus, TrackerStatus, DEFAULT_GATE_FAIL_ON};

/// The streaming SLO tracker. See the module documentation for its memory bounds.
#[derive(Debug, Clone)]
pub struct SloTracker {
    config: TrackerConfig,
    objectives: Vec<Objective>,
    /// For each objective, its latency counter index (None for success objectives).
    latency_index: Vec<Option<usize>>,
    thresholds_us: Vec<u64>,
    res_us: i64,
    buckets: ChunkedRing<Bucket>,
    /// Sums of the buckets of whole groups of [`GROUP_STEPS`] steps, kept once asked for.
    step_groups: groups::GroupSums<Bucket>,
    recent: HistRing,
    hourly: HistRing,
    watermark: Option<i64>,
    recorded: u64,
    dropped: Dropped,
    /// Ranges excluded after the fact, by start.
    corrections: Vec<Correction>,
    /// Maintenance announced at run time (one-off windows), by start.
    announced: crate::maintenance::Maintenance,
    /// Events counted since the start, outside maintenance (the exposition's counters).
    totals: Totals,
}

pub use crate::time::EpochUnit;
pub use ingest::Outcome;

/// Steps per group whose bucket sum a tracker keeps once asked for (an hour at one minute).
const GROUP_STEPS: i64 = 60;

impl SloTracker {
    /// A tracker; the configuration is checked.
    pub fn new(config: TrackerConfig) -> Result<Self> {
        let objectives = config.validate()?;
        let res_us = config.resolution.num_microseconds().expect("resolution fits");
        let retention_us = config.retention().num_microseconds().expect("retention fits");
        let steps = (retention_us + res_us - 1) / res_us + 1;
        let mut latency_index = Vec::new();
        let mut thresholds_us = Vec::new();
        for o in &config.objectives {
            latency_index.push(match o.kind {
                ObjectiveKind::LatencyUnder { threshold_ms } => {
                    thresholds_us.push((threshold_ms * 1_000.0).round() as u64);
                    Some(thresholds_us.len() - 1)
                }
                ObjectiveKind::Success => None,
            });
        }
        let hour_us = 3_600_000_000i64;
        let hours = (retention_us + hour_us - 1) / hour_us + 1;
        Ok(Self {
            objectives,
            latency_index,
            thresholds_us,
            res_us,
            buckets: ChunkedRing::new(steps as usize, Bucket { slot: i64::MIN, ..Bucket::default() }),
            step_groups: groups::GroupSums::new(GROUP_STEPS, steps as usize),
            recent: HistRing::new(res_us, RECENT_STEPS, None),
            hourly: HistRing::new(hour_us, hours as usize, Some(24)),
            watermark: None,
            recorded: 0,
            dropped: Dropped::default(),
            corrections: Vec::new(),
            announced: crate::maintenance::Maintenance::default(),
            totals: Totals::default(),
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    fn retention_us(&self) -> i64 {
        self.buckets.len() as i64 * self.res_us - self.res_us
    }

    /// The newest event time accepted, if any.
    pub fn watermark(&self) -> Option<Timestamp> {
        self.watermark.and_then(chrono::DateTime::from_timestamp_micros)
    }

    /// Memory held by the buckets and histograms, in bytes.
    pub fn memory_bytes(&self) -> usize {
        let hist = |r: &HistRing| r.filled * buckets::HIST_BYTES + r.group_bytes();
        self.buckets.memory_bytes() + hist(&self.recent) + hist(&self.hourly) + self.step_groups.cell_bytes()
    }

    /// Seconds per bucket.
    pub fn resolution_seconds(&self) -> f64 {
        secs_f64(self.config.resolution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl SloTracker {
        /// The tracker with no kept group sum: what every answer must equal.
        fn without_kept_sums(&self) -> Self {
            let mut t = self.clone();
            t.step_groups.forget();
            t.hourly.forget_groups();
            t
        }
    }

    fn same_answers(t: &SloTracker, now_us: i64) {
        let now = chrono::DateTime::from_timestamp_micros(now_us).expect("in range");
        let fresh = t.without_kept_sums();
        assert_eq!(t.status(now), fresh.status(now), "status at {now}");
        for hours in [1, 7, 30, 200, 2_000] {
            let w = TimeDelta::hours(hours);
            assert_eq!(t.latency(w, now), fresh.latency(w, now), "latency over {hours} h at {now}");
            assert_eq!(
                t.window_counts("availability", w, now).unwrap(),
                fresh.window_counts("availability", w, now).unwrap()
            );
        }
    }

    #[test]
    fn counters_leave_maintenance_out_in_batches_and_one_at_a_time() {
        let spec = crate::maintenance::MaintenanceSpec {
            cron: Some("0 2 * * *".into()),
            duration: Some(crate::time::DurationSpec::Text("1h".into())),
            ..Default::default()
        };
        let config = TrackerConfig {
            maintenance: crate::maintenance::Maintenance::new(&[spec]).unwrap(),
            ..TrackerConfig::runbook()
        };
        // Three days, an event every 10 minutes, out of order within each hour; one event
        // from before the retention (looked up on its own) first.
        let day0 = 1_795_305_600_000_000i64; // 2026-11-22T00:00:00Z
        let mut at: Vec<i64> = vec![day0 - 40 * 86_400_000_000 + 2 * 3_600_000_000 + 60_000_000];
        for h in 0..72i64 {
            at.extend([5, 0, 3, 1, 4, 2].map(|k| day0 + h * 3_600_000_000 + k * 600_000_000));
        }
        let ok: Vec<bool> = (0..at.len()).map(|i| i % 7 != 0).collect();
        let now = chrono::DateTime::from_timestamp_micros(day0 + 72 * 3_600_000_000).unwrap();
        let mut batch = SloTracker::new(config.clone()).unwrap();
        batch.record_batch(&at, &ok, &[], now).unwrap();
        let mut single = SloTracker::new(config).unwrap();
        for (&t, &ok) in at.iter().zip(&ok) {
            let at = chrono::DateTime::from_timestamp_micros(t).unwrap();
            single.record(Outcome { at, ok, latency_ms: None }, now).unwrap();
        }
        // 72 hours of 6 events, less the 3 hours 02:00-03:00: 414; the old event is at 02:01.
        let counted = batch.counted("availability").unwrap();
        assert_eq!(counted.total, 69 * 6);
        assert_eq!(counted, single.counted("availability").unwrap());
        assert_eq!(batch.totals, single.totals);
    }

    #[test]
    fn a_refused_correction_leaves_the_list_as_it_was() {
        let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
        let t0 = chrono::DateTime::from_timestamp(1_795_305_600, 0).unwrap();
        let fix = |k: i64| Correction {
            start: t0 + TimeDelta::minutes(k),
            end: t0 + TimeDelta::minutes(k + 1),
            reason: format!("fix {k}"),
        };
        let now = t0 + TimeDelta::days(1);
        for k in 0..MAX_CORRECTIONS as i64 {
            t.correct(fix(k), now).unwrap();
        }
        let before = t.corrections().to_vec();
        assert_eq!(t.correct(fix(5_000), now).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(t.corrections(), before.as_slice());
        t.correct(fix(3), now).unwrap(); // the same one again: kept once, no error
        assert_eq!(t.corrections().len(), MAX_CORRECTIONS);
    }

    #[test]
    fn kept_group_sums_answer_as_the_slots_do() {
        let rolling =
            TrackerConfig { period: crate::slo::Period::Rolling(TimeDelta::days(28)), ..TrackerConfig::runbook() };
        let new_york = TrackerConfig {
            period: crate::slo::Period::Calendar {
                unit: crate::slo::CalendarUnit::Month,
                tz: chrono_tz::America::New_York,
            },
            ..TrackerConfig::runbook()
        };
        for config in [TrackerConfig::runbook(), rolling, new_york] {
            answers_as_the_slots_do(config);
        }
    }

    fn answers_as_the_slots_do(config: TrackerConfig) {
        let hour = 3_600_000_000i64;
        let start = 1_790_000_000_000_000i64 - 7 * hour;
        let mut t = SloTracker::new(config.clone()).unwrap();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // 45 days (past the retention, so the rings wrap), with late events days back, the
        // answers compared every few batches and now and then asked in the past.
        let mut at = start;
        for round in 0..120 {
            let (mut ats, mut oks, mut lat) = (vec![], vec![], vec![]);
            for _ in 0..300 {
                at += (next() % 100_000_000) as i64;
                let late = if next() % 20 == 0 { (next() % (200 * hour as u64)) as i64 } else { 0 };
                ats.push(at - late);
                oks.push(next() % 50 != 0);
                lat.push((next() % 3_000) as f64);
            }
            let now = chrono::DateTime::from_timestamp_micros(at).unwrap();
            t.record_batch(&ats, &oks, &lat, now).unwrap();
            if round % 4 == 0 {
                same_answers(&t, at);
            }
            if round % 23 == 0 {
                same_answers(&t, at - (next() % (100 * hour as u64)) as i64);
            }
        }
        let now = chrono::DateTime::from_timestamp_micros(at).unwrap();
        // After a merge (slots rewritten wholesale) and a restore.
        let mut other = SloTracker::new(config).unwrap();
        other.record_batch(&[at - 5 * hour, at - 30 * hour], &[false, true], &[10.0, 20.0], now).unwrap();
        t.status(now);
        t.merge(&other).unwrap();
        same_answers(&t, at);
        let restored = SloTracker::from_bytes(&t.to_bytes()).unwrap();
        assert_eq!(restored.status(now), t.status(now));
    }
}
