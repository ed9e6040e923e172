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
mod persist;
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

/// The maintenance windows one batch's events fall into: the union of those overlapping
/// `[from, to)` (µs), and a lookup of their own for events outside it.
struct BatchMaintenance {
    from: i64,
    to: i64,
    spans: Vec<(i64, i64)>,
}

impl BatchMaintenance {
    /// Whether epoch µs `t` lies inside a maintenance window of `tracker`.
    #[inline]
    fn holds(&self, t: i64, tracker: &SloTracker) -> bool {
        if !tracker.has_maintenance() {
            return false;
        }
        if (self.from..self.to).contains(&t) {
            let i = self.spans.partition_point(|&(_, end)| end <= t);
            return self.spans.get(i).is_some_and(|&(start, _)| start <= t);
        }
        let at = chrono::DateTime::from_timestamp_micros(t).expect("checked event times");
        tracker.in_maintenance_at(at)
    }
}

/// Steps per group whose bucket sum a tracker keeps once asked for (an hour at one minute).
const GROUP_STEPS: i64 = 60;

/// One request outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// When it happened.
    pub at: Timestamp,
    /// Whether it succeeded.
    pub ok: bool,
    /// Its latency in ms, if measured.
    pub latency_ms: Option<f64>,
}

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

    /// Records one outcome, judged at the caller's clock `now` (see the module documentation).
    pub fn record(&mut self, outcome: Outcome, now: Timestamp) -> Result<()> {
        let latency = [outcome.latency_ms.unwrap_or(f64::NAN)];
        self.record_batch(&[outcome.at.timestamp_micros()], &[outcome.ok], &latency, now).map(|_| ())
    }

    /// Records outcomes given as columns: epoch microseconds, success, latency in ms (NaN for
    /// none), judged at the caller's clock `now`. Every value is checked first, so a bad one (a
    /// negative latency, mismatched lengths) fails the batch and records nothing. Returns how
    /// many were dropped (too old, or more than `max_future` ahead of `now`).
    pub fn record_batch(&mut self, at_us: &[i64], ok: &[bool], latency_ms: &[f64], now: Timestamp) -> Result<u64> {
        if at_us.len() != ok.len() || (!latency_ms.is_empty() && latency_ms.len() != at_us.len()) {
            return Err(FleetopsError::InvalidArgument(format!(
                "batch columns differ in length: {} timestamps, {} outcomes, {} latencies",
                at_us.len(),
                ok.len(),
                latency_ms.len()
            )));
        }
        if let Some(i) = latency_ms.iter().position(|l| l.is_infinite() || *l < 0.0) {
            return Err(FleetopsError::InvalidDuration(format!("latency at index {i} is {} ms", latency_ms[i])));
        }
        if let Some(i) = at_us.iter().position(|&t| t < 0) {
            return Err(FleetopsError::InvalidTimestamp(format!("timestamp at index {i} is before 1970")));
        }
        let before = self.dropped;
        let max_future = self.config.max_future.num_microseconds().unwrap_or(i64::MAX);
        let ahead_of = now.timestamp_micros().saturating_add(max_future);
        // The maintenance windows the batch's times reach, expanded once per batch (none
        // without windows): events inside them stay out of the exposition's counters.
        let maintenance = self.batch_maintenance(at_us, ahead_of);
        for (i, (&t, &good)) in at_us.iter().zip(ok).enumerate() {
            let latency = latency_ms.get(i).copied().filter(|l| !l.is_nan());
            self.record_one(t, good, latency, ahead_of, &maintenance);
        }
        Ok(self.dropped.too_old - before.too_old + self.dropped.future - before.future)
    }

    /// Like [`record_batch`](Self::record_batch) with timestamps as float epoch `unit`s
    /// (Python's seconds, JavaScript's milliseconds) and success as bytes (non-zero = ok).
    /// Every timestamp is checked (finite, 1970..9999) before anything is recorded.
    pub fn record_batch_epoch(
        &mut self,
        at: &[f64],
        unit: EpochUnit,
        ok: &[u8],
        latency_ms: &[f64],
        now: Timestamp,
    ) -> Result<u64> {
        let scale = match unit {
            EpochUnit::Seconds => 1.0,
            EpochUnit::Millis => 1e-3,
        };
        let at_us = at
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                crate::time::from_epoch_seconds(t * scale)
                    .map(|ts| ts.timestamp_micros())
                    .map_err(|e| e.at(format!("index {i}")))
            })
            .collect::<Result<Vec<i64>>>()?;
        let ok: Vec<bool> = ok.iter().map(|&b| b != 0).collect();
        self.record_batch(&at_us, &ok, latency_ms, now)
    }

    /// The maintenance windows a batch's events fall into, expanded once per batch: the union
    /// of those overlapping its times (at most a retention's worth, up to `now + max_future`;
    /// an event outside that stretch is looked up alone). Empty without windows.
    fn batch_maintenance(&self, at_us: &[i64], ahead_of: i64) -> BatchMaintenance {
        let none = BatchMaintenance { from: 0, to: 0, spans: vec![] };
        let (Some(&lo), Some(&hi)) = (at_us.iter().min(), at_us.iter().max()) else { return none };
        if !self.has_maintenance() {
            return none;
        }
        let to = hi.min(ahead_of) + 1;
        let from = lo.max(to - self.retention_us()).min(to);
        let at = |us: i64| chrono::DateTime::from_timestamp_micros(us).expect("checked event times");
        let windows = self.maintenance_between(at(from), at(to));
        let spans = crate::maintenance::union(
            windows.iter().map(|o| (o.start.timestamp_micros(), o.end.timestamp_micros())).collect(),
        );
        BatchMaintenance { from, to, spans }
    }

    /// Records one event unless it is after `ahead_of` (`now + max_future`) or too old;
    /// events inside `maintenance` stay out of the totals and the latency histograms.
    fn record_one(&mut self, t: i64, ok: bool, latency_ms: Option<f64>, ahead_of: i64, maintenance: &BatchMaintenance) {
        if t > ahead_of {
            self.dropped.future += 1;
            return;
        }
        if let Some(w) = self.watermark {
            if t <= w - self.retention_us() {
                self.dropped.too_old += 1;
                return;
            }
        }
        // Asked only of events kept: an event outside the batch's span is looked up alone.
        let inside = maintenance.holds(t, self);
        let slot = t.div_euclid(self.res_us);
        let i = slot.rem_euclid(self.buckets.len() as i64) as usize;
        let b = self.buckets.get_mut(i);
        let replaced = b.slot;
        if b.slot != slot {
            if b.slot > slot {
                self.dropped.too_old += 1;
                return;
            }
            *b = Bucket { slot, ..Bucket::default() };
        }
        b.total += 1;
        b.bad += u32::from(!ok);
        let mut one = Totals { total: 1, bad: u64::from(!ok), ..Totals::default() };
        if let Some(ms) = latency_ms {
            let us = (ms * 1_000.0).round() as u64;
            b.timed += 1;
            one.timed = 1;
            for ((n, &th), u) in b.under.iter_mut().zip(&self.thresholds_us).zip(&mut one.under) {
                *n += u32::from(us <= th);
                *u = u64::from(us <= th);
            }
            if !inside {
                self.recent.record(t, us.min(HIST_MAX_US));
                self.hourly.record(t, us.min(HIST_MAX_US));
            }
        }
        self.step_groups.changed(slot);
        if replaced != slot && replaced != i64::MIN {
            self.step_groups.changed(replaced);
        }
        self.recorded += 1;
        self.watermark = Some(self.watermark.map_or(t, |w| w.max(t)));
        if !inside {
            self.totals.add(&one);
        }
    }

    /// The bucket slots of the `window` that ends with the bucket holding `now`: the last
    /// `ceil(window / resolution)` buckets.
    fn window_slots(&self, window: TimeDelta, now_us: i64) -> (i64, i64) {
        let hi = now_us.div_euclid(self.res_us);
        let w = window.num_microseconds().unwrap_or(i64::MAX / 2);
        let n = ((w + self.res_us - 1) / self.res_us).max(1);
        (hi - n + 1, hi)
    }

    /// Sums the buckets with slots in [lo, hi].
    fn sum(&self, lo: i64, hi: i64) -> Bucket {
        let len = self.buckets.len() as i64;
        let at = |slot: i64| Some(self.buckets.get(slot.rem_euclid(len) as usize)).filter(|b| b.slot == slot);
        let mut out = Bucket::default();
        // Walk only the slots in range the ring can hold (each at most once), whole groups
        // of steps by their kept sums.
        self.step_groups.walk(
            lo.max(hi - len + 1),
            hi,
            |first, last| {
                let mut g = Bucket::default();
                (first..=last).filter_map(at).for_each(|b| g.add(b));
                g
            },
            |part| match part {
                groups::Part::Whole(g) => out.add(g),
                groups::Part::Slot(s) => at(s).into_iter().for_each(|b| out.add(b)),
            },
        );
        out
    }

    /// Objective `i`'s time-slice budget over the slots `[lo, hi]`: each bucket outside the
    /// excluded spans is a slice, good when its SLI reaches the slice target (or counted with
    /// its own SLI, for ratio time slices); empty ones are left out. The budget is over the
    /// period's counted minutes.
    fn slice_budget(
        &self,
        i: usize,
        t: config::SliceTarget,
        lo: i64,
        hi: i64,
        spans: &exclusions::Spans,
        counted_minutes: f64,
    ) -> crate::slo::TimeSliceBudget {
        let len = self.buckets.len() as i64;
        let excluded = |slot: i64| spans.covers_slot(slot);
        let slices: Vec<Counts> = (lo.max(hi - len + 1)..=hi)
            .filter(|&s| !excluded(s))
            .filter_map(|s| Some(self.buckets.get(s.rem_euclid(len) as usize)).filter(|b| b.slot == s))
            .map(|b| self.counts(i, b))
            .collect();
        let period = TimeDelta::microseconds(((counted_minutes * 60e6) as i64).max(self.res_us));
        let (objective, slice) = (self.objectives[i], self.config.resolution);
        match t.slice_target {
            None => crate::slo::ratio_timeslice_budget(objective, slice, period, &slices),
            Some(target) => crate::slo::timeslice_budget(
                objective,
                super::Objective::new(target).expect("checked with the configuration"),
                slice,
                period,
                &slices,
                crate::slo::EmptySlice::Skip,
            ),
        }
        .expect("a slice of the resolution fits a period of at least one")
    }

    /// Objective `name`'s events since the tracker started, outside maintenance windows: the
    /// exposition's `slo_events_total` and `slo_good_events_total` counters.
    pub fn counted(&self, name: &str) -> Result<Counts> {
        Ok(self.totals_of(self.objective_index(name)?))
    }

    /// Objective `i`'s events since the start, outside maintenance.
    fn totals_of(&self, i: usize) -> Counts {
        let t = &self.totals;
        match self.latency_index[i] {
            None => Counts { good: t.total - t.bad, total: t.total },
            Some(k) => Counts { good: t.under[k], total: t.timed },
        }
    }

    fn counts(&self, objective: usize, b: &Bucket) -> Counts {
        match self.latency_index[objective] {
            None => Counts { good: u64::from(b.total - b.bad), total: u64::from(b.total) },
            Some(k) => Counts { good: u64::from(b.under[k]), total: u64::from(b.timed) },
        }
    }

    /// Good and total counts of objective `name` over the `window` ending at `now`.
    pub fn window_counts(&self, name: &str, window: TimeDelta, now: Timestamp) -> Result<Counts> {
        let i = self.objective_index(name)?;
        let (lo, hi) = self.window_slots(window, now.timestamp_micros());
        let spans = self.spans(lo * self.res_us, (hi + 1) * self.res_us);
        Ok(self.counts(i, &self.sum_outside(lo, hi, &spans)))
    }

    fn objective_index(&self, name: &str) -> Result<usize> {
        self.config
            .objectives
            .iter()
            .position(|o| o.name == name)
            .ok_or_else(|| FleetopsError::InvalidArgument(format!("unknown objective '{name}'")))
    }

    /// Latency percentiles over the `window` ending at `now`: windows of up to 60 resolution
    /// steps use per-step histograms, longer ones whole hours. Events inside maintenance were
    /// never recorded in them; the steps or hours a correction wholly covers are left out.
    pub fn latency(&self, window: TimeDelta, now: Timestamp) -> LatencyStatus {
        let to = now.timestamp_micros() + 1;
        let from = to - window.num_microseconds().unwrap_or(i64::MAX / 2);
        let ring = if window.num_microseconds().unwrap_or(i64::MAX) <= RECENT_STEPS as i64 * self.res_us {
            &self.recent
        } else {
            &self.hourly
        };
        let from = from.div_euclid(ring.width_us) * ring.width_us;
        let corrected = crate::maintenance::union(self.correction_spans(from, to));
        let h = ring.sum_outside(from, to, &corrected);
        let q = |p: f64| (!h.is_empty()).then(|| h.value_at_quantile(p) as f64 / 1_000.0);
        LatencyStatus { count: h.len(), p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), p999_ms: q(0.999) }
    }

    /// Every objective's budget over the period and burn-rate verdicts, the period's latency
    /// percentiles, and what maintenance and corrections left out, at `now`.
    pub fn status(&self, now: Timestamp) -> TrackerStatus {
        let window = self.config.period.window_at(now);
        let (from, to) = (window.start.timestamp_micros(), now.timestamp_micros() + 1);
        let span = TimeDelta::microseconds(to - from);
        let (objectives, excluded) = self.judge(now);
        TrackerStatus {
            objectives,
            period: window,
            latency: self.latency(span, now),
            recorded: self.recorded,
            dropped: self.dropped,
            excluded,
        }
    }

    /// Every objective's budget over the period and burn-rate verdicts at `now`: the part of
    /// [`status`](Self::status) without the latency percentiles, cheap enough to ask at every
    /// step of a timeline.
    pub fn objectives_at(&self, now: Timestamp) -> Vec<ObjectiveStatus> {
        self.judge(now).0
    }

    /// Budgets and burn verdicts over the time outside maintenance and corrections.
    fn judge(&self, now: Timestamp) -> (Vec<ObjectiveStatus>, Excluded) {
        let window = self.config.period.window_at(now);
        let now_us = now.timestamp_micros();
        let from = window.start.timestamp_micros();
        let (lo, hi) = (from.div_euclid(self.res_us), now_us.div_euclid(self.res_us));
        let burn_windows = self.config.burn.windows();
        // One expansion of the excluded spans covers the period (to its end, for the budget
        // minutes) and every burn window.
        let earliest = burn_windows.iter().map(|&w| self.window_slots(w, now_us).0).min().unwrap_or(lo).min(lo);
        let spans = self.spans(earliest * self.res_us, window.end.timestamp_micros().max((hi + 1) * self.res_us));
        let period_sum = self.sum_outside(lo, hi, &spans);
        // Each distinct burn window is summed once and shared by every objective.
        let sums: Vec<(TimeDelta, Bucket)> = burn_windows
            .into_iter()
            .map(|w| {
                let (lo, hi) = self.window_slots(w, now_us);
                (w, self.sum_outside(lo, hi, &spans))
            })
            .collect();
        let excluded = self.excluded(window.start, window.end, now, &spans);
        let counted_minutes = window.length_minutes - excluded.period_minutes;
        let objectives = self
            .config
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let objective = self.objectives[i];
                let burn = self.config.burn.evaluate(objective, |w| {
                    let b = sums.iter().find(|(d, _)| *d == w).map(|(_, b)| *b).unwrap_or_default();
                    self.counts(i, &b)
                });
                let timeslices = o.timeslices.map(|t| self.slice_budget(i, t, lo, hi, &spans, counted_minutes));
                ObjectiveStatus {
                    name: o.name.clone(),
                    target: o.target,
                    timeslices,
                    counted: self.totals_of(i),
                    budget: event_budget(
                        objective,
                        self.counts(i, &period_sum),
                        Some(counted_minutes).filter(|m| *m > 0.0),
                    )
                    .expect("a period's counted length is finite and positive"),
                    burn,
                }
            })
            .collect();
        (objectives, excluded)
    }

    /// Evaluates threshold rules at `now`; a sustained rule is judged at every resolution step
    /// through its duration.
    pub fn evaluate_rules(
        &self,
        rules: &[super::rules::ThresholdRule],
        now: Timestamp,
    ) -> Result<Vec<super::rules::RuleResult>> {
        rules
            .iter()
            .map(|rule| {
                let (window, _) = rule.validate()?;
                let steps = rule.steps(Some(self.config.resolution))?;
                let stats: Vec<super::rules::WindowStats> = (0..steps)
                    .map(|k| {
                        let at = now - self.config.resolution * k as i32;
                        let (lo, hi) = self.window_slots(window, at.timestamp_micros());
                        let b = self.sum_outside(lo, hi, &self.spans(lo * self.res_us, (hi + 1) * self.res_us));
                        let lat = self.latency(window, at);
                        super::rules::WindowStats {
                            requests: u64::from(b.total),
                            failures: u64::from(b.bad),
                            p95_ms: lat.p95_ms,
                            p99_ms: lat.p99_ms,
                        }
                    })
                    .collect();
                rule.judge(&stats, steps)
            })
            .collect()
    }

    /// Adds another tracker's counts (two API instances, two Spark partitions). Both must have
    /// the same configuration; the result answers as one tracker fed both streams.
    pub fn merge(&mut self, other: &SloTracker) -> Result<()> {
        if self.config != other.config {
            return Err(FleetopsError::InvalidArgument(
                "trackers with different configurations cannot be merged".into(),
            ));
        }
        let mut merged = self.clone();
        for ob in other.buckets.allocated().filter(|b| b.slot != i64::MIN) {
            let i = ob.slot.rem_euclid(merged.buckets.len() as i64) as usize;
            let b = merged.buckets.get_mut(i);
            if b.slot == ob.slot {
                b.add(ob);
            } else if b.slot < ob.slot {
                *b = *ob;
            }
        }
        for (mine, theirs) in [(&mut merged.recent, &other.recent), (&mut merged.hourly, &other.hourly)] {
            for (slot, h) in theirs.slots.iter().flatten() {
                let i = slot.rem_euclid(mine.slots.len() as i64) as usize;
                match &mut mine.slots[i] {
                    Some((s, mh)) if s == slot => mh.add(h.as_ref()).expect("same bounds"),
                    Some((s, _)) if *s > *slot => {}
                    _ => mine.put(i, (*slot, h.clone())),
                }
            }
        }
        merged.watermark = match (self.watermark, other.watermark) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        // Slots were rewritten wholesale: no kept group sum holds.
        merged.step_groups.forget();
        merged.hourly.forget_groups();
        for c in &other.corrections {
            if !merged.corrections.contains(c) {
                merged.corrections.push(c.clone());
            }
        }
        if merged.corrections.len() > MAX_CORRECTIONS {
            return Err(FleetopsError::InvalidArgument(format!(
                "merged, the trackers would keep more than {MAX_CORRECTIONS} corrections"
            )));
        }
        merged.corrections.sort_by_key(|c| (c.start, c.end));
        let announced = merged.announced.specs().iter().chain(other.announced.specs()).cloned().collect();
        merged.announced = exclusions::announced_of(announced).map_err(|_| {
            FleetopsError::InvalidArgument(format!(
                "merged, the trackers would keep more than {MAX_ANNOUNCED} announced maintenance windows"
            ))
        })?;
        merged.totals.add(&other.totals);
        merged.recorded += other.recorded;
        merged.dropped.too_old += other.dropped.too_old;
        merged.dropped.future += other.dropped.future;
        *self = merged;
        Ok(())
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
