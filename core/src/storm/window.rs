//! The per-key window and flap history of a table entry: what one alert does to its key.
//!
//! Time is cut into buckets; an entry counts firing alerts per bucket in a ring of `n` buckets
//! (`n` <= 16) indexed by bucket mod `n`, so its count is the alerts of the last `n` buckets.

use super::flap::{FlapState, Thresholds};
use super::keys::{Entry, MAX_BUCKETS};

/// What recording one alert did to its key.
#[derive(Debug, Clone, Copy)]
pub(super) struct Recorded {
    /// The key's count in the window after the alert.
    pub count: u32,
    /// The flap history's weighted changes (see [`FlapState`]).
    pub weighted: u32,
    /// `Some(true)` when the key started flapping, `Some(false)` when it stopped.
    pub flap_change: Option<bool>,
    /// Whether the key flaps now.
    pub flapping: bool,
}

/// Where an alert stands against the newest alert time seen (`clock`) and the caller's `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Admit {
    /// More than `max_future` ahead of `now`: passed on, not counted.
    Future,
    /// Older than the window behind the clock: passed on, not counted.
    Late,
    /// Counted; the clock has moved on to it if it is the newest.
    In,
}

/// Admits an alert at `at_ms` (see [`Admit`]).
#[inline(always)]
pub(super) fn admit(clock: &mut Option<i64>, at_ms: i64, now_ms: Option<i64>, max_future: i64, window: i64) -> Admit {
    if now_ms.is_some_and(|n| at_ms > n.saturating_add(max_future)) {
        return Admit::Future;
    }
    if clock.is_some_and(|c| at_ms < c - window) {
        return Admit::Late;
    }
    *clock = Some(clock.map_or(at_ms, |c| c.max(at_ms)));
    Admit::In
}

/// The bucket of an alert time, remembering the last one: alerts arrive in time order, so
/// most share it and skip two 64-bit divisions.
#[derive(Debug, Clone, Copy)]
pub(super) struct BucketCache {
    /// The last bucket's first ms, its number and its ring position.
    last: (i64, i64, usize),
    res_ms: i64,
    n: i64,
}

impl BucketCache {
    pub(super) fn new(res_ms: i64, n: i64) -> Self {
        Self { last: (i64::MIN, 0, 0), res_ms, n }
    }

    /// The bucket number of `at_ms` and its ring position.
    #[inline(always)]
    pub(super) fn of(&mut self, at_ms: i64) -> (i64, usize) {
        let (start, bucket, pos) = self.last;
        if start <= at_ms && at_ms < start + self.res_ms {
            return (bucket, pos);
        }
        let bucket = at_ms.div_euclid(self.res_ms);
        let pos = bucket.rem_euclid(self.n) as usize;
        self.last = (bucket * self.res_ms, bucket, pos);
        (bucket, pos)
    }
}

/// The per-key window: buckets older than `head - n` are zero.
impl Entry {
    /// Records an alert in bucket `bucket` (ring position `pos`): its state in the flap
    /// history and, when firing, its count in the window.
    #[inline(always)]
    pub(super) fn record(&mut self, bucket: i64, pos: usize, n: i64, firing: bool, flap: Thresholds) -> Recorded {
        let mut state = FlapState::unpack(self.flap);
        let (weighted, flap_change) = state.record_weighted(firing, flap);
        self.flap = state.pack();
        let count = if firing { self.add(bucket, pos, n) } else { self.count_at(bucket.max(self.head), n) };
        Recorded { count, weighted, flap_change, flapping: state.flapping }
    }

    /// The count of the window ending at bucket `i` (>= head - n).
    #[inline(always)]
    pub(super) fn count_at(&self, i: i64, n: i64) -> u32 {
        if i == self.head {
            return self.buckets.iter().map(|&c| u32::from(c)).sum();
        }
        ((i - n + 1).max(self.head - n + 1)..=i.min(self.head))
            .map(|b| u32::from(self.buckets[b.rem_euclid(n) as usize]))
            .sum()
    }

    /// Counts a firing alert in bucket `i`, whose ring position is `pos` (`i` mod `n`: one
    /// division per alert, the gap's buckets are then walked without dividing), and returns
    /// the count of the window ending at the (new) head. The count is summed from the buckets
    /// as they were loaded, before any is written: reading the ring back right after a 2-byte
    /// store into it stalls on store forwarding, which cost a sixth of the whole alert.
    #[inline]
    fn add(&mut self, i: i64, pos: usize, n: i64) -> u32 {
        let mut count = 0;
        if i > self.head {
            let gap = i - self.head;
            if gap >= n {
                self.buckets = [0; MAX_BUCKETS];
            } else {
                count = self.buckets.iter().map(|&c| u32::from(c)).sum::<u32>();
                let n = n as usize;
                let mut p = (pos + n - (gap as usize - 1)) % n;
                for _ in 0..gap {
                    count -= u32::from(self.buckets[p]);
                    self.buckets[p] = 0;
                    p = if p + 1 == n { 0 } else { p + 1 };
                }
            }
            self.head = i;
        } else {
            count = self.buckets.iter().map(|&c| u32::from(c)).sum::<u32>();
        }
        if i > self.head - n {
            let c = &mut self.buckets[pos];
            if *c < u16::MAX {
                *c += 1;
                count += 1;
            }
        }
        count
    }

    /// The last bucket >= `i` whose count stays at least `exit` with no more alerts: the
    /// window slides on, dropping one old bucket per step.
    pub(super) fn hot_until(&self, i: i64, exit: u32, n: i64) -> Option<i64> {
        let mut count = self.count_at(i, n);
        let mut last = None;
        let mut k = i;
        while count >= exit {
            last = Some(k);
            k += 1;
            let leaving = k - n;
            if leaving > self.head - n && leaving <= self.head {
                count -= u32::from(self.buckets[leaving.rem_euclid(n) as usize]);
            }
        }
        last
    }
}
