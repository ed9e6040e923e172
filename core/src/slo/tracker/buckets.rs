//! Storage: per-step counters and lazily allocated latency histograms.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use super::config::MAX_LATENCY_OBJECTIVES;
use super::groups::{GroupSums, Part};

pub(super) const HIST_MAX_US: u64 = 60_000_000;
/// Significant figures of the tracker's histograms (1 %).
pub(super) const HIST_FIGURES: u8 = 2;
pub(super) const RECENT_STEPS: usize = 60;
/// Heap bytes of one tracker histogram (its counts at these bounds, and the box).
pub(super) const HIST_BYTES: usize = 2_560 * 4 + 128;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Bucket {
    pub(super) slot: i64,
    pub(super) total: u32,
    pub(super) bad: u32,
    pub(super) timed: u32,
    pub(super) under: [u32; MAX_LATENCY_OBJECTIVES],
}

/// A method combining every counter of two sets (`total`, `bad`, `timed`, `under`) with `$op`.
macro_rules! each_counter {
    ($(#[$doc:meta])* $name:ident, $op:ident) => {
        $(#[$doc])*
        pub(super) fn $name(&mut self, o: &Self) {
            self.total = self.total.$op(o.total);
            self.bad = self.bad.$op(o.bad);
            self.timed = self.timed.$op(o.timed);
            for (a, b) in self.under.iter_mut().zip(o.under) {
                *a = a.$op(b);
            }
        }
    };
}

impl Bucket {
    each_counter!(add, saturating_add);
    each_counter!(
        /// Takes away a sum of some of the buckets this one adds up.
        sub,
        saturating_sub
    );
}

/// Events counted since the tracker started, outside maintenance windows: the counters a
/// Prometheus exposition carries (they only grow).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Totals {
    pub(super) total: u64,
    pub(super) bad: u64,
    pub(super) timed: u64,
    pub(super) under: [u64; MAX_LATENCY_OBJECTIVES],
}

impl Totals {
    each_counter!(add, saturating_add);
}

/// A ring of lazily allocated histograms, one per `width` step, optionally with the sums of
/// whole groups of steps kept (the hourly ring: days).
#[derive(Debug, Clone)]
pub(super) struct HistRing {
    pub(super) width_us: i64,
    pub(super) slots: Vec<Option<(i64, Box<Histogram<u32>>)>>,
    /// Slots holding a histogram (kept as they fill, so memory is known without a scan).
    pub(super) filled: usize,
    groups: Option<GroupSums<Histogram<u32>>>,
}

pub(super) fn new_hist() -> Histogram<u32> {
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_FIGURES).expect("valid bounds")
}

impl HistRing {
    /// `len` steps of `width_us`; with `group`, sums of `group` consecutive steps are kept.
    pub(super) fn new(width_us: i64, len: usize, group: Option<i64>) -> Self {
        Self { width_us, slots: vec![None; len], filled: 0, groups: group.map(|per| GroupSums::new(per, len)) }
    }

    fn changed(&mut self, slot: i64) {
        if let Some(g) = self.groups.as_mut() {
            g.changed(slot);
        }
    }

    /// Puts a histogram into slot `i`, counting the slot when it was empty.
    pub(super) fn put(&mut self, i: usize, value: (i64, Box<Histogram<u32>>)) {
        self.filled += usize::from(self.slots[i].is_none());
        if let Some((old, _)) = &self.slots[i] {
            let old = *old;
            self.changed(old);
        }
        self.changed(value.0);
        self.slots[i] = Some(value);
    }

    pub(super) fn record(&mut self, ts_us: i64, latency_us: u64) {
        let slot = ts_us.div_euclid(self.width_us);
        let i = slot.rem_euclid(self.slots.len() as i64) as usize;
        match &mut self.slots[i] {
            Some((s, h)) if *s == slot => {
                h.saturating_record(latency_us.max(1));
                return self.changed(slot);
            }
            Some((s, _)) if *s > slot => return, // older than this ring keeps
            _ => {}
        }
        let mut h = Box::new(new_hist());
        h.saturating_record(latency_us.max(1));
        self.put(i, (slot, h));
    }

    /// Slot `slot`'s histogram, if the ring holds it.
    fn at(&self, slot: i64) -> Option<&Histogram<u32>> {
        match &self.slots[slot.rem_euclid(self.slots.len() as i64) as usize] {
            Some((s, h)) if *s == slot => Some(h),
            _ => None,
        }
    }

    /// Sum of the histograms whose step lies inside [from_us, to_us).
    pub(super) fn sum(&self, from_us: i64, to_us: i64) -> Histogram<u32> {
        let mut out = new_hist();
        // The steps starting in range.
        let hi = (to_us - 1).div_euclid(self.width_us);
        let lo = (from_us + self.width_us - 1).div_euclid(self.width_us);
        if lo <= hi - self.slots.len() as i64 {
            // Longer than the ring: whichever steps of the range it still holds.
            for (slot, h) in self.slots.iter().flatten() {
                if (lo..=hi).contains(slot) {
                    out.add(h.as_ref()).expect("same bounds");
                }
            }
            return out;
        }
        let add = |out: &mut Histogram<u32>, slot: i64| {
            if let Some(h) = self.at(slot) {
                out.add(h).expect("same bounds");
            }
        };
        match &self.groups {
            None => (lo..=hi).for_each(|s| add(&mut out, s)),
            Some(groups) => groups.walk(
                lo,
                hi,
                |first, last| {
                    let mut g = new_hist();
                    (first..=last).for_each(|s| add(&mut g, s));
                    g
                },
                |part| match part {
                    Part::Whole(g) => out.add(g).expect("same bounds"),
                    Part::Slot(s) => add(&mut out, s),
                },
            ),
        }
        out
    }

    /// Sum of the histograms whose step lies inside [from_us, to_us), less those of the steps
    /// lying wholly inside one of the disjoint, sorted `spans` (µs).
    pub(super) fn sum_outside(&self, from_us: i64, to_us: i64, spans: &[(i64, i64)]) -> Histogram<u32> {
        let mut out = self.sum(from_us, to_us);
        let (lo, hi) = ((from_us + self.width_us - 1).div_euclid(self.width_us), (to_us - 1).div_euclid(self.width_us));
        for &(a, b) in spans {
            // The steps starting at or after `a` and ending by `b`, within the range summed.
            let first = (a + self.width_us - 1).div_euclid(self.width_us).max(lo);
            let last = (b.div_euclid(self.width_us) - 1).min(hi);
            for slot in first..=last {
                if let Some(h) = self.at(slot) {
                    out.subtract(h).expect("a part of the sum");
                }
            }
        }
        out
    }

    /// Bytes of the kept group sums: their cells, and a histogram's counts for each kept.
    pub(super) fn group_bytes(&self) -> usize {
        self.groups.as_ref().map_or(0, |g| g.cell_bytes() + g.kept() * HIST_BYTES)
    }

    /// Drops the kept group sums (after slots were rewritten wholesale).
    pub(super) fn forget_groups(&mut self) {
        if let Some(g) = self.groups.as_mut() {
            g.forget();
        }
    }
}
