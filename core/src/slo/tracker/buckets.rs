//! Storage: per-step counters and lazily allocated latency histograms.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use super::config::MAX_LATENCY_OBJECTIVES;

pub(super) const HIST_MAX_US: u64 = 60_000_000;
/// Significant figures of the tracker's histograms (1 %).
pub(super) const HIST_FIGURES: u8 = 2;
pub(super) const RECENT_STEPS: usize = 60;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Bucket {
    pub(super) slot: i64,
    pub(super) total: u32,
    pub(super) bad: u32,
    pub(super) timed: u32,
    pub(super) under: [u32; MAX_LATENCY_OBJECTIVES],
}

impl Bucket {
    pub(super) fn add(&mut self, o: &Bucket) {
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
pub(super) struct HistRing {
    pub(super) width_us: i64,
    pub(super) slots: Vec<Option<(i64, Box<Histogram<u32>>)>>,
    /// Slots holding a histogram (kept as they fill, so memory is known without a scan).
    pub(super) filled: usize,
}

pub(super) fn new_hist() -> Histogram<u32> {
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_FIGURES).expect("valid bounds")
}

impl HistRing {
    pub(super) fn new(width_us: i64, len: usize) -> Self {
        Self { width_us, slots: vec![None; len], filled: 0 }
    }

    /// Puts a histogram into slot `i`, counting the slot when it was empty.
    pub(super) fn put(&mut self, i: usize, value: (i64, Box<Histogram<u32>>)) {
        self.filled += usize::from(self.slots[i].is_none());
        self.slots[i] = Some(value);
    }

    pub(super) fn record(&mut self, ts_us: i64, latency_us: u64) {
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
    pub(super) fn sum(&self, from_us: i64, to_us: i64) -> Histogram<u32> {
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
