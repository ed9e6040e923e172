//! Outcomes in: one at a time or in batches, each judged against the caller's `now`, counted
//! where it belongs (or dropped as too old or future), with maintenance windows left out.

use super::buckets::Bucket;
use super::*;

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
    pub(super) fn holds(&self, t: i64, tracker: &SloTracker) -> bool {
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

impl SloTracker {
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
}
