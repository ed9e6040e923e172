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

use chrono::{Datelike, TimeDelta};
use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use super::budget::{event_budget, Budget};
use super::burn::{BurnAlert, BurnPolicy};
use super::objective::{Counts, Objective};
use super::period::{CalendarUnit, Period, Window};
use super::ring::ChunkedRing;
use super::spec::TrackerSpec;
use crate::error::{FleetopsError, Result};
use crate::time::{secs_f64, Timestamp};

/// Latency thresholds a tracker can count exactly (one counter each per bucket).
pub const MAX_LATENCY_OBJECTIVES: usize = 4;
/// The most buckets a tracker keeps (32 bytes each, 32 MiB): two years of history at the
/// default one-minute resolution. Longer periods or burn windows need a coarser resolution.
pub const MAX_BUCKETS: usize = 1 << 20;
/// Default bucket width, and the step rules are judged at: one minute.
pub const DEFAULT_RESOLUTION: TimeDelta = TimeDelta::minutes(1);
const HIST_MAX_US: u64 = 60_000_000;
/// Significant figures of the tracker's histograms (1 %).
const HIST_FIGURES: u8 = 2;
const RECENT_STEPS: usize = 60;

/// What an objective measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectiveKind {
    /// Share of requests that succeeded (availability, error rate).
    Success,
    /// Share of timed requests at or under a latency threshold.
    LatencyUnder {
        /// The threshold in ms.
        threshold_ms: f64,
    },
}

/// One tracked objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackedObjective {
    /// Its name in results, e.g. `availability`.
    pub name: String,
    /// What it measures.
    #[serde(flatten)]
    pub kind: ObjectiveKind,
    /// Its target, strictly between 0 and 1.
    pub target: f64,
}

/// How a tracker is set up.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackerConfig {
    /// The SLO period.
    pub period: Period,
    /// Bucket width (default 1 min).
    pub resolution: TimeDelta,
    /// The objectives.
    pub objectives: Vec<TrackedObjective>,
    /// Burn-rate tiers evaluated for every objective.
    pub burn: BurnPolicy,
    /// How far ahead of the caller's `now` an event may be (default 5 min).
    pub max_future: TimeDelta,
}

impl TrackerConfig {
    /// The runbook's (seed 004): calendar month in UTC; availability 99.9 %, error rate < 1 %
    /// (99 % success), 95 % of requests under 500 ms, 99 % under 1000 ms; SRE Workbook tiers.
    pub fn runbook() -> Self {
        let ok = |name: &str, target| TrackedObjective { name: name.into(), kind: ObjectiveKind::Success, target };
        let lat = |name: &str, threshold_ms, target| TrackedObjective {
            name: name.into(),
            kind: ObjectiveKind::LatencyUnder { threshold_ms },
            target,
        };
        Self {
            period: Period::Calendar { unit: CalendarUnit::Month, tz: chrono_tz::UTC },
            resolution: DEFAULT_RESOLUTION,
            objectives: vec![
                ok("availability", super::runbook::AVAILABILITY),
                ok("error_rate", super::runbook::ERROR_RATE_OBJECTIVE),
                lat("latency_p95", super::runbook::LATENCY_P95_MS, 0.95),
                lat("latency_p99", super::runbook::LATENCY_P99_MS, 0.99),
            ],
            burn: BurnPolicy::sre_workbook(),
            max_future: TimeDelta::minutes(5),
        }
    }

    fn validate(&self) -> Result<Vec<Objective>> {
        if self.resolution < TimeDelta::seconds(1) {
            return Err(FleetopsError::InvalidDuration("resolution must be at least 1 s".into()));
        }
        if self.max_future < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("max_future cannot be negative".into()));
        }
        // The bucket ring is allocated whole: its length is bounded, not the period alone.
        let res = self.resolution.num_seconds().max(1);
        if self.retention().num_seconds() / res >= MAX_BUCKETS as i64 {
            return Err(FleetopsError::InvalidDuration(format!(
                "a history of {} s at a {} s resolution needs more than {MAX_BUCKETS} buckets (two years \
                 at one minute); use a coarser resolution",
                self.retention().num_seconds(),
                res
            )));
        }
        if self.objectives.is_empty() {
            return Err(FleetopsError::InvalidArgument("a tracker needs at least one objective".into()));
        }
        let latency = self.objectives.iter().filter(|o| matches!(o.kind, ObjectiveKind::LatencyUnder { .. })).count();
        if latency > MAX_LATENCY_OBJECTIVES {
            return Err(FleetopsError::InvalidArgument(format!(
                "at most {MAX_LATENCY_OBJECTIVES} latency objectives, not {latency}"
            )));
        }
        for (i, o) in self.objectives.iter().enumerate() {
            if self.objectives[..i].iter().any(|p| p.name == o.name) {
                return Err(FleetopsError::InvalidArgument(format!("objective '{}' appears twice", o.name)));
            }
            if let ObjectiveKind::LatencyUnder { threshold_ms } = o.kind {
                if !threshold_ms.is_finite() || threshold_ms < 0.0 {
                    return Err(FleetopsError::InvalidThreshold(format!("'{}': threshold {threshold_ms} ms", o.name)));
                }
            }
        }
        self.objectives.iter().map(|o| Objective::new(o.target).map_err(|e| e.at(&o.name))).collect()
    }

    /// How much history the tracker keeps: the longest period it may need and burn window.
    fn retention(&self) -> TimeDelta {
        let period = match &self.period {
            Period::Rolling(d) => *d,
            Period::Calendar { unit: CalendarUnit::Week, .. } => TimeDelta::days(7) + TimeDelta::hours(1),
            Period::Calendar { unit: CalendarUnit::Month, .. } => TimeDelta::days(31) + TimeDelta::hours(1),
            Period::Calendar { unit: CalendarUnit::Quarter, .. } => TimeDelta::days(92) + TimeDelta::hours(1),
        };
        let burn = self.burn.tiers.iter().map(|t| t.long).max().unwrap_or(TimeDelta::zero());
        period.max(burn)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Bucket {
    slot: i64,
    total: u32,
    bad: u32,
    timed: u32,
    under: [u32; MAX_LATENCY_OBJECTIVES],
}

impl Bucket {
    fn add(&mut self, o: &Bucket) {
        self.total = self.total.saturating_add(o.total);
        self.bad = self.bad.saturating_add(o.bad);
        self.timed = self.timed.saturating_add(o.timed);
        for (a, b) in self.under.iter_mut().zip(o.under) {
            *a = a.saturating_add(b);
        }
    }
}

/// A ring of lazily allocated histograms, one per `width` step.
#[derive(Debug, Clone)]
struct HistRing {
    width_us: i64,
    slots: Vec<Option<(i64, Box<Histogram<u32>>)>>,
    /// Slots holding a histogram (kept as they fill, so memory is known without a scan).
    filled: usize,
}

fn new_hist() -> Histogram<u32> {
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_FIGURES).expect("valid bounds")
}

impl HistRing {
    fn new(width_us: i64, len: usize) -> Self {
        Self { width_us, slots: vec![None; len], filled: 0 }
    }

    /// Puts a histogram into slot `i`, counting the slot when it was empty.
    fn put(&mut self, i: usize, value: (i64, Box<Histogram<u32>>)) {
        self.filled += usize::from(self.slots[i].is_none());
        self.slots[i] = Some(value);
    }

    fn record(&mut self, ts_us: i64, latency_us: u64) {
        let slot = ts_us.div_euclid(self.width_us);
        let i = slot.rem_euclid(self.slots.len() as i64) as usize;
        match &mut self.slots[i] {
            Some((s, h)) if *s == slot => return h.saturating_record(latency_us.max(1)),
            Some((s, _)) if *s > slot => return, // older than this ring keeps
            _ => {}
        }
        let mut h = Box::new(new_hist());
        h.saturating_record(latency_us.max(1));
        self.put(i, (slot, h));
    }

    /// Sum of the histograms whose step lies inside [from_us, to_us).
    fn sum(&self, from_us: i64, to_us: i64) -> Histogram<u32> {
        let mut out = new_hist();
        for (slot, h) in self.slots.iter().flatten() {
            let start = slot * self.width_us;
            if start >= from_us && start < to_us {
                out.add(h.as_ref()).expect("same bounds");
            }
        }
        out
    }
}

/// Counts dropped events by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    /// Older than the retention.
    pub too_old: u64,
    /// Further ahead of the caller's `now` than `max_future`.
    pub future: u64,
}

/// One objective's standing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveStatus {
    /// The objective's name.
    pub name: String,
    /// The target.
    pub target: f64,
    /// Events-based budget over the period (status `no_data` without events).
    pub budget: Budget,
    /// Every burn tier's verdict.
    pub burn: Vec<BurnAlert>,
}

/// Latency percentiles over a window (ms; null without timed requests).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyStatus {
    /// Timed requests.
    pub count: u64,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 95th percentile.
    pub p95_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
    /// 99.9th percentile.
    pub p999_ms: Option<f64>,
}

/// Everything at `now`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackerStatus {
    /// The period's bounds and budget length.
    pub period: Window,
    /// One entry per objective.
    pub objectives: Vec<ObjectiveStatus>,
    /// Percentiles over the period (hour granularity; 1 % precision).
    pub latency: LatencyStatus,
    /// Events accepted so far.
    pub recorded: u64,
    /// Events dropped, by reason.
    pub dropped: Dropped,
}

/// What stops a deploy gate by default: a spent budget, or a firing `page` burn tier.
pub const DEFAULT_GATE_FAIL_ON: &[&str] = &["overspent", "page"];

impl TrackerStatus {
    /// A deploy gate (the runbook's roll-back rule): why it should stop, one line per problem,
    /// empty when it may go on. `fail_on` holds `"overspent"` (a budget spent) and burn-tier
    /// severities (e.g. `"page"`) whose firing stops it; default [`DEFAULT_GATE_FAIL_ON`].
    pub fn gate_problems(&self, fail_on: Option<&[&str]>) -> Vec<String> {
        let fail_on = fail_on.unwrap_or(DEFAULT_GATE_FAIL_ON);
        let mut out = Vec::new();
        for o in &self.objectives {
            out.extend(o.budget.gate_problems(Some(fail_on)).into_iter().map(|p| format!("{}: {p}", o.name)));
            for t in o.burn.iter().filter(|t| t.firing && fail_on.contains(&t.severity.as_str())) {
                out.push(format!("{}: {} ({}) firing: {}", o.name, t.tier, t.severity, t.reason));
            }
        }
        out
    }
}

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
    recent: HistRing,
    hourly: HistRing,
    watermark: Option<i64>,
    recorded: u64,
    dropped: Dropped,
}

pub use crate::time::EpochUnit;

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
            recent: HistRing::new(res_us, RECENT_STEPS),
            hourly: HistRing::new(hour_us, hours as usize),
            watermark: None,
            recorded: 0,
            dropped: Dropped::default(),
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
        for (i, (&t, &good)) in at_us.iter().zip(ok).enumerate() {
            let latency = latency_ms.get(i).copied().filter(|l| !l.is_nan());
            self.record_one(t, good, latency, ahead_of);
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

    /// Records one event unless it is after `ahead_of` (`now + max_future`) or too old.
    fn record_one(&mut self, t: i64, ok: bool, latency_ms: Option<f64>, ahead_of: i64) {
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
        let slot = t.div_euclid(self.res_us);
        let i = slot.rem_euclid(self.buckets.len() as i64) as usize;
        let b = self.buckets.get_mut(i);
        if b.slot != slot {
            if b.slot > slot {
                self.dropped.too_old += 1;
                return;
            }
            *b = Bucket { slot, ..Bucket::default() };
        }
        b.total += 1;
        b.bad += u32::from(!ok);
        if let Some(ms) = latency_ms {
            let us = (ms * 1_000.0).round() as u64;
            b.timed += 1;
            for (n, &th) in b.under.iter_mut().zip(&self.thresholds_us) {
                *n += u32::from(us <= th);
            }
            self.recent.record(t, us.min(HIST_MAX_US));
            self.hourly.record(t, us.min(HIST_MAX_US));
        }
        self.recorded += 1;
        self.watermark = Some(self.watermark.map_or(t, |w| w.max(t)));
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
        let mut out = Bucket::default();
        // Walk only the ring positions of the slots in range (all of them at most once).
        for slot in lo.max(hi - len + 1)..=hi {
            let b = self.buckets.get(slot.rem_euclid(len) as usize);
            if b.slot == slot {
                out.add(b);
            }
        }
        out
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
        Ok(self.counts(i, &self.sum(lo, hi)))
    }

    fn objective_index(&self, name: &str) -> Result<usize> {
        self.config
            .objectives
            .iter()
            .position(|o| o.name == name)
            .ok_or_else(|| FleetopsError::InvalidArgument(format!("unknown objective '{name}'")))
    }

    /// Latency percentiles over the `window` ending at `now`: windows of up to 60 resolution
    /// steps use per-step histograms, longer ones whole hours.
    pub fn latency(&self, window: TimeDelta, now: Timestamp) -> LatencyStatus {
        let to = now.timestamp_micros() + 1;
        let from = to - window.num_microseconds().unwrap_or(i64::MAX / 2);
        let h = if window.num_microseconds().unwrap_or(i64::MAX) <= RECENT_STEPS as i64 * self.res_us {
            self.recent.sum(from.div_euclid(self.res_us) * self.res_us, to)
        } else {
            self.hourly.sum(from.div_euclid(self.hourly.width_us) * self.hourly.width_us, to)
        };
        let q = |p: f64| (!h.is_empty()).then(|| h.value_at_quantile(p) as f64 / 1_000.0);
        LatencyStatus { count: h.len(), p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), p999_ms: q(0.999) }
    }

    /// Every objective's budget over the period and burn-rate verdicts, and the period's
    /// latency percentiles, at `now`.
    pub fn status(&self, now: Timestamp) -> TrackerStatus {
        let window = self.config.period.window_at(now);
        let (from, to) = (window.start.timestamp_micros(), now.timestamp_micros() + 1);
        let span = TimeDelta::microseconds(to - from);
        TrackerStatus {
            objectives: self.objectives_at(now),
            period: window,
            latency: self.latency(span, now),
            recorded: self.recorded,
            dropped: self.dropped,
        }
    }

    /// Every objective's budget over the period and burn-rate verdicts at `now`: the part of
    /// [`status`](Self::status) without the latency percentiles, cheap enough to ask at every
    /// step of a timeline.
    pub fn objectives_at(&self, now: Timestamp) -> Vec<ObjectiveStatus> {
        let window = self.config.period.window_at(now);
        let now_us = now.timestamp_micros();
        let from = window.start.timestamp_micros();
        let period_sum = self.sum(from.div_euclid(self.res_us), now_us.div_euclid(self.res_us));
        // Each distinct burn window is summed once and shared by every objective.
        let sums: Vec<(TimeDelta, Bucket)> = self
            .config
            .burn
            .windows()
            .into_iter()
            .map(|w| {
                let (lo, hi) = self.window_slots(w, now_us);
                (w, self.sum(lo, hi))
            })
            .collect();
        self.config
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let objective = self.objectives[i];
                let burn = self.config.burn.evaluate(objective, |w| {
                    let b = sums.iter().find(|(d, _)| *d == w).map(|(_, b)| *b).unwrap_or_default();
                    self.counts(i, &b)
                });
                ObjectiveStatus {
                    name: o.name.clone(),
                    target: o.target,
                    budget: event_budget(objective, self.counts(i, &period_sum), Some(window.length_minutes))
                        .expect("a period's length is finite and positive"),
                    burn,
                }
            })
            .collect()
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
                        let b = self.sum(lo, hi);
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
        let hist = |r: &HistRing| r.filled * (2_560 * 4 + 128);
        self.buckets.memory_bytes() + hist(&self.recent) + hist(&self.hourly)
    }

    /// Seconds per bucket.
    pub fn resolution_seconds(&self) -> f64 {
        secs_f64(self.config.resolution)
    }

    /// The saved form: versioned JSON carrying the configuration, the non-empty buckets and
    /// the histograms (HdrHistogram V2 encoding).
    pub fn to_bytes(&self) -> Vec<u8> {
        let hists = |r: &HistRing| -> Vec<(i64, Vec<u8>)> {
            r.slots
                .iter()
                .flatten()
                .map(|(slot, h)| {
                    let mut bytes = Vec::new();
                    V2Serializer::new().serialize(h.as_ref(), &mut bytes).expect("to a Vec");
                    (*slot, bytes)
                })
                .collect()
        };
        let state = SavedState {
            config: TrackerSpec::from_config(&self.config),
            watermark: self.watermark,
            recorded: self.recorded,
            dropped: self.dropped,
            buckets: self.buckets.allocated().filter(|b| b.slot != i64::MIN).copied().collect(),
            recent: hists(&self.recent),
            hourly: hists(&self.hourly),
        };
        crate::snapshot::save(SNAPSHOT_FORMAT, &state)
    }

    /// Restores a saved tracker; corrupt bytes or another format version are `INVALID_STATE`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bad = |m: String| FleetopsError::InvalidState(format!("SLO tracker: {m}"));
        // Version 1 kept the state's fields beside the header, without a checksum; later ones
        // are `crate::snapshot` envelopes.
        let v1 = serde_json::from_slice::<SnapshotHeader>(bytes)
            .is_ok_and(|h| h.format == SNAPSHOT_FORMAT && h.version == 1);
        let snap: SavedState = if v1 {
            serde_json::from_slice::<SnapshotV1>(bytes).map_err(|e| bad(format!("corrupt: {e}")))?.state
        } else {
            crate::snapshot::load(SNAPSHOT_FORMAT, bytes)?
        };
        let config = snap.config.build().map_err(|e| bad(format!("configuration: {e}")))?;
        let mut t = SloTracker::new(config).map_err(|e| bad(format!("configuration: {e}")))?;
        let len = t.buckets.len() as i64;
        // The watermark is epoch microseconds (past 2^53 after year 2255), checked as a time.
        let time_ok =
            snap.watermark.is_none_or(|w| chrono::DateTime::from_timestamp_micros(w).is_some_and(|t| t.year() <= 9999));
        if !time_ok || !crate::snapshot::numbers_are_sane(&(snap.recorded, snap.dropped)) {
            return Err(bad("a saved count or time is out of range".into()));
        }
        for b in &snap.buckets {
            // Every count a bucket holds is a part of its total (a crafted `bad > total`
            // underflowed when the windows were summed).
            if b.bad > b.total || b.timed > b.total || b.under.iter().any(|&u| u > b.timed) || b.slot == i64::MIN {
                return Err(bad(format!("bucket {} has impossible counts", b.slot)));
            }
        }
        for b in snap.buckets {
            *t.buckets.get_mut(b.slot.rem_euclid(len) as usize) = b;
        }
        for (ring, saved) in [(&mut t.recent, snap.recent), (&mut t.hourly, snap.hourly)] {
            let n = ring.slots.len() as i64;
            for (slot, bytes) in saved {
                // Exactly the bounds this tracker's histograms have, checked before allocating.
                let bounds = super::latency::hist_header(&bytes).map_err(|e| bad(format!("histogram: {e}")))?;
                if bounds != (u32::from(HIST_FIGURES), 1, HIST_MAX_US) {
                    return Err(bad(format!("histogram bounds {bounds:?} are not a tracker's")));
                }
                let h: Histogram<u32> = Deserializer::new()
                    .deserialize(&mut bytes.as_slice())
                    .map_err(|e| bad(format!("histogram: {e:?}")))?;
                ring.put(slot.rem_euclid(n) as usize, (slot, Box::new(h)));
            }
        }
        t.watermark = snap.watermark;
        t.recorded = snap.recorded;
        t.dropped = snap.dropped;
        Ok(t)
    }
}

const SNAPSHOT_FORMAT: &str = "fleetops.slo_tracker";

#[derive(Deserialize)]
struct SnapshotHeader {
    format: String,
    version: u32,
}

/// A version-1 tracker state: the header and the state's fields side by side.
#[derive(Deserialize)]
struct SnapshotV1 {
    #[serde(flatten)]
    state: SavedState,
}

#[derive(Serialize, Deserialize)]
struct SavedState {
    config: TrackerSpec,
    watermark: Option<i64>,
    recorded: u64,
    dropped: Dropped,
    buckets: Vec<Bucket>,
    recent: Vec<(i64, Vec<u8>)>,
    hourly: Vec<(i64, Vec<u8>)>,
}
