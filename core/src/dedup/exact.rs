//! The exact store: every live key with the event time it was first seen, in a flat table of
//! 64-byte buckets (one cache line each) holding five slots: a mixed u64 key and a u32 tick.
//!
//! A key sits in its home bucket or, when that was full, in one of the buckets after it
//! (linear probing by bucket). Each bucket records how far past it the keys that call it home
//! may lie (`reach`), so a lookup reads the home bucket and, rarely, the next one or two; and
//! any slot can be emptied on its own, nothing moves. A new key takes an expired key's slot
//! before an empty one, so in a steady stream expired keys are replaced where they lie; the
//! sequential expiry pass (which also recomputes every `reach`) only runs when the table,
//! expired keys included, reaches [`SWEEP_AT`] full. After that pass the table grows if live
//! keys still fill more than [`GROW_AT`] of it, to [`TARGET_LOAD`]: 17 to 21 bytes per live
//! key (12.8 bytes per slot).
//!
//! Ticks count `unit_ms` (1 ms, or 1 s when horizon + lateness exceed 24 days) from `base_ms`.
//! With a key cap the table never grows past the cap; when the cap is reached the oldest
//! eighth of the keys (by first-seen event time) is evicted and counted.

use super::key::slot_of;
use crate::mem::{Zeroable, Zeroed};

/// Slots per bucket: five 12-byte slots and a 4-byte reach fill one cache line.
const WAYS: usize = 5;

/// One cache line of slots; `keys[j] == 0` marks slot `j` empty (key 0 is kept aside).
#[repr(C, align(64))]
#[derive(Clone, Copy)]
struct Bucket {
    keys: [u64; WAYS],
    ticks: [u32; WAYS],
    /// Every key whose home is this bucket lies at most this many buckets further on.
    reach: u32,
}

// SAFETY: integers only; all-zero is an empty bucket.
unsafe impl Zeroable for Bucket {}

/// Fill (expired keys included) that triggers the expiry pass.
const SWEEP_AT: f64 = 0.85;
/// Fill after the expiry pass above which the table grows.
const GROW_AT: f64 = 0.65;
/// Fill after the expiry pass below which the table shrinks.
const SHRINK_AT: f64 = 0.15;
/// Fill after growing or shrinking.
const TARGET_LOAD: f64 = 0.55;
/// The smallest table.
const MIN_BUCKETS: usize = 4;
/// Ticks above this force a rebase.
const MAX_TICK: i64 = u32::MAX as i64;

/// What the store decided for one key.
pub(crate) enum Seen {
    /// Seen before and not expired.
    Duplicate,
    /// New (or expired and renewed).
    First,
}

#[derive(Clone)]
pub(crate) struct ExactStore {
    buckets: Zeroed<Bucket>,
    /// Occupied slots (live and expired keys).
    len: usize,
    /// Keys held before the next expiry pass: the sweep fill or the cap, whichever is lower.
    max_len: usize,
    zero: Option<i64>,
    base_ms: i64,
    unit_ms: i64,
    cap: Option<usize>,
}

impl std::fmt::Debug for ExactStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExactStore").field("keys", &self.len()).field("buckets", &self.buckets.len()).finish()
    }
}

impl ExactStore {
    pub(crate) fn new(unit_ms: i64, cap: Option<usize>) -> Self {
        let buckets = cap.map_or(MIN_BUCKETS, buckets_for_cap);
        let mut s = Self { buckets: Zeroed::new(buckets), len: 0, max_len: 0, zero: None, base_ms: 0, unit_ms, cap };
        s.max_len = s.room();
        s
    }

    /// How many keys fit before the next expiry pass.
    fn room(&self) -> usize {
        let sweep = (self.slots() as f64 * SWEEP_AT) as usize;
        self.cap.map_or(sweep, |c| c.min(sweep))
    }

    fn slots(&self) -> usize {
        self.buckets.len() * WAYS
    }

    /// Keys held (expired ones until they are replaced or swept).
    pub(crate) fn len(&self) -> usize {
        self.len + usize::from(self.zero.is_some())
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.buckets.len() * std::mem::size_of::<Bucket>()
    }

    #[inline(always)]
    pub(crate) fn prefetch(&self, mixed: u64) {
        let home = self.buckets.as_ptr().wrapping_add(slot_of(mixed, self.buckets.len()));
        crate::mem::prefetch(home);
        crate::mem::prefetch(home.wrapping_add(1));
    }

    #[inline(always)]
    fn time_of(&self, tick: u32) -> i64 {
        self.base_ms + tick as i64 * self.unit_ms
    }

    /// The tick of `t`, if it fits.
    #[inline(always)]
    fn tick_of(&self, t: i64) -> Option<u32> {
        let d = t - self.base_ms;
        let tick = if self.unit_ms == 1 { d } else { d.div_euclid(self.unit_ms) };
        (0..=MAX_TICK).contains(&tick).then_some(tick as u32)
    }

    /// The oldest live tick at watermark `w`: a key is live while `w <= first_seen + horizon`.
    #[inline(always)]
    fn live_from(&self, w: i64, horizon: i64) -> i64 {
        let limit = w - horizon - self.base_ms;
        if self.unit_ms == 1 {
            limit
        } else {
            limit.div_euclid(self.unit_ms) + i64::from(limit.rem_euclid(self.unit_ms) != 0)
        }
    }

    /// The bucket `d` after `b`.
    #[inline(always)]
    fn step(&self, b: usize, d: usize) -> usize {
        let n = self.buckets.len();
        if b + d >= n {
            b + d - n
        } else {
            b + d
        }
    }

    /// Where `mixed` is stored, if it is: bucket and slot.
    #[inline(always)]
    fn find(&self, mixed: u64, home: usize) -> Option<(usize, usize)> {
        let mut b = home;
        for _ in 0..=self.buckets[home].reach {
            if let Some(j) = self.buckets[b].keys.iter().position(|&k| k == mixed) {
                return Some((b, j));
            }
            b = self.step(b, 1);
        }
        None
    }

    /// The first free slot from `home` on: an expired key's slot (`true`) or, when a bucket
    /// has none, an empty one (`false`).
    #[inline(always)]
    fn free_slot(&self, home: usize, live_from: i64) -> (usize, usize, bool) {
        let mut b = home;
        loop {
            let bucket = &self.buckets[b];
            let mut empty = None;
            for j in 0..WAYS {
                if bucket.keys[j] == 0 {
                    empty = empty.or(Some(j));
                } else if (bucket.ticks[j] as i64) < live_from {
                    return (b, j, true);
                }
            }
            if let Some(j) = empty {
                return (b, j, false);
            }
            b = self.step(b, 1);
        }
    }

    /// Stores `mixed` in slot `j` of bucket `b`, which lies on the way from `home`.
    #[inline(always)]
    fn place(&mut self, mixed: u64, tick: u32, home: usize, b: usize, j: usize) {
        let d = if b >= home { b - home } else { b + self.buckets.len() - home } as u32;
        let h = &mut self.buckets[home];
        h.reach = h.reach.max(d);
        self.buckets[b].keys[j] = mixed;
        self.buckets[b].ticks[j] = tick;
    }

    /// Looks `mixed` up at event time `t` with watermark `w`; a key is a duplicate while
    /// `w <= first_seen + horizon`. Returns the decision and how many keys were evicted.
    #[inline]
    pub(crate) fn observe(&mut self, mixed: u64, t: i64, w: i64, horizon: i64) -> (Seen, u64) {
        if mixed == 0 {
            if self.zero.is_some_and(|t0| w <= t0 + horizon) {
                return (Seen::Duplicate, 0);
            }
            let evicted = if self.zero.is_none() && self.len() >= self.max_len { self.make_room(w, horizon, t) } else { 0 };
            self.zero = Some(t - (t - self.base_ms).rem_euclid(self.unit_ms));
            return (Seen::First, evicted);
        }
        let live_from = self.live_from(w, horizon);
        let home = slot_of(mixed, self.buckets.len());
        let tick = self.tick_of(t);
        match self.find(mixed, home) {
            Some((b, j)) if self.buckets[b].ticks[j] as i64 >= live_from => return (Seen::Duplicate, 0),
            Some((b, j)) => {
                if let Some(tick) = tick {
                    self.buckets[b].ticks[j] = tick;
                    return (Seen::First, 0);
                }
            }
            None => {
                if let Some(tick) = tick {
                    let (b, j, expired) = self.free_slot(home, live_from);
                    if expired || self.len() < self.max_len {
                        self.len += usize::from(!expired);
                        self.place(mixed, tick, home, b, j);
                        return (Seen::First, 0);
                    }
                }
            }
        }
        let evicted = self.make_room(w, horizon, t);
        self.put(mixed, t);
        (Seen::First, evicted)
    }

    /// Makes room for one more key at `t`: an expiry pass, then growth, rebase or eviction as
    /// needed. Returns the number of evicted keys.
    fn make_room(&mut self, w: i64, horizon: i64, t: i64) -> u64 {
        self.expire(w, horizon);
        let load = self.len as f64 / self.slots() as f64;
        let capped = self.cap.is_some_and(|c| self.len() >= c);
        let resize = self.cap.is_none() && (load > GROW_AT || (load < SHRINK_AT && self.buckets.len() > MIN_BUCKETS));
        if capped || resize || self.tick_of(t).is_none() {
            let live: Vec<(u64, i64)> = self.entries().collect();
            return self.reload(live, w - horizon, Some(t));
        }
        0
    }

    /// One sequential pass emptying the slot of every key expired at `w` and recomputing each
    /// bucket's reach from the keys that stay.
    pub(crate) fn expire(&mut self, w: i64, horizon: i64) {
        if self.zero.is_some_and(|t0| w > t0 + horizon) {
            self.zero = None;
        }
        let live_from = self.live_from(w, horizon);
        if live_from <= 0 || self.len == 0 {
            return;
        }
        let n = self.buckets.len();
        self.buckets.iter_mut().for_each(|b| b.reach = 0);
        for b in 0..n {
            for j in 0..WAYS {
                let (key, tick) = (self.buckets[b].keys[j], self.buckets[b].ticks[j]);
                if key == 0 {
                    continue;
                }
                if (tick as i64) < live_from {
                    self.buckets[b].keys[j] = 0;
                    self.buckets[b].ticks[j] = 0;
                    self.len -= 1;
                    continue;
                }
                let home = slot_of(key, n);
                let d = if b >= home { b - home } else { b + n - home } as u32;
                let h = &mut self.buckets[home];
                h.reach = h.reach.max(d);
            }
        }
    }

    /// Inserts or overwrites without any capacity check (room has been made).
    fn put(&mut self, mixed: u64, t: i64) {
        if mixed == 0 {
            self.zero = Some(t - (t - self.base_ms).rem_euclid(self.unit_ms));
            return;
        }
        let tick = self.tick_of(t).expect("rebased for this time");
        let home = slot_of(mixed, self.buckets.len());
        if let Some((b, j)) = self.find(mixed, home) {
            self.buckets[b].ticks[j] = tick;
            return;
        }
        let (b, j, _) = self.free_slot(home, i64::MIN);
        self.len += 1;
        self.place(mixed, tick, home, b, j);
    }

    /// Every stored key with its first-seen time in ms.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, i64)> + '_ {
        let zero = self.zero.map(|t| (0u64, t));
        self.buckets
            .iter()
            .flat_map(|b| b.keys.iter().zip(b.ticks))
            .filter(|(&k, _)| k != 0)
            .map(|(&k, tick)| (k, self.time_of(tick)))
            .chain(zero)
    }

    /// Replaces the content with `live` entries (none expired at `floor_ms + horizon`),
    /// evicting the oldest if over the cap (keeping room for an `incoming` key), rebasing the
    /// ticks on `floor_ms` and sizing the table. Returns the number of evicted keys.
    pub(crate) fn reload(&mut self, mut live: Vec<(u64, i64)>, floor_ms: i64, incoming: Option<i64>) -> u64 {
        live.retain(|&(_, t)| t >= floor_ms);
        let mut evicted = 0;
        if let Some(cap) = self.cap {
            let room = usize::from(incoming.is_some());
            if live.len() + room > cap {
                // Evict the oldest eighth of the cap (at least enough for the incoming key).
                let keep = (cap - cap / 8).min(cap - room);
                let cut = live.len() - keep;
                live.select_nth_unstable_by_key(cut - 1, |&(_, t)| t);
                evicted = cut as u64;
                live.drain(..cut);
            }
        }
        let earliest = live.iter().map(|&(_, t)| t).chain(incoming).min().unwrap_or(floor_ms);
        self.base_ms = earliest.min(floor_ms).div_euclid(self.unit_ms) * self.unit_ms;
        let buckets = match self.cap {
            Some(cap) => buckets_for_cap(cap),
            None => ((((live.len() + 1) as f64 / TARGET_LOAD).ceil() as usize).div_ceil(WAYS)).max(MIN_BUCKETS),
        };
        self.buckets = Zeroed::new(buckets);
        self.len = 0;
        self.zero = None;
        self.max_len = self.room();
        for (k, t) in live {
            self.put(k, t);
        }
        evicted
    }
}

/// A capped table never grows: the cap fits under the sweep fill.
fn buckets_for_cap(cap: usize) -> usize {
    ((cap as f64 / SWEEP_AT) as usize + 2).div_ceil(WAYS).max(MIN_BUCKETS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that every stored key is found from its home within the home's reach.
    fn check_reaches(s: &ExactStore) {
        let n = s.buckets.len();
        for (b, bucket) in s.buckets.iter().enumerate() {
            for &k in bucket.keys.iter().filter(|&&k| k != 0) {
                let home = slot_of(k, n);
                assert_eq!(s.find(k, home), Some((b, bucket.keys.iter().position(|&x| x == k).unwrap())));
            }
        }
        assert!(s.len() <= s.max_len);
        assert_eq!(s.entries().count(), s.len());
    }

    /// A small table (long displacements, reuse of expired slots, passes, growth, the cap)
    /// against a plain map, with keys chosen to share a few home buckets.
    #[test]
    fn matches_a_map_with_crowded_buckets() {
        let horizon = 400;
        for cap in [None, Some(64)] {
            let mut s = ExactStore::new(1, cap);
            let mut model: std::collections::HashMap<u64, i64> = Default::default();
            let mut x = 0x9e37_79b9_7f4a_7c15u64;
            for t in 0..50_000i64 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // The top bits pick the home bucket: 97 values crowd a few of them.
                let mixed = (x % 97 + 1) << 57 | (x % 300 + 1);
                let (seen, evicted) = s.observe(mixed, t, t, horizon);
                let live = model.get(&mixed).is_some_and(|&t0| t <= t0 + horizon);
                match seen {
                    Seen::Duplicate => assert!(live, "event {t}: duplicate of a key the model lacks"),
                    Seen::First => {
                        assert!(!live || cap.is_some(), "event {t}: a live key called first");
                        model.insert(mixed, t);
                    }
                }
                if cap.is_none() {
                    assert_eq!(evicted, 0);
                }
                if t % 997 == 0 {
                    check_reaches(&s);
                }
            }
            s.expire(60_000, horizon);
            assert_eq!(s.len(), 0);
        }
    }

    /// Keys homed in the last buckets spill over the end into the first ones.
    #[test]
    fn reaches_wrap_around_the_end() {
        let mut s = ExactStore::new(1, None);
        let last = u64::MAX - 1000; // home: the last bucket
        for i in 0..12 {
            assert!(matches!(s.observe(last - i, 0, 0, 100).0, Seen::First));
        }
        check_reaches(&s);
        s.expire(50, 100); // nothing expired; reaches recomputed across the end
        check_reaches(&s);
        for i in 0..12 {
            assert!(matches!(s.observe(last - i, 1, 1, 100).0, Seen::Duplicate));
        }
    }

    #[test]
    fn one_second_ticks_round_the_live_limit_up() {
        let s = ExactStore::new(1000, None);
        // Live while w <= first_seen + horizon: tick 2 (first seen at 2 s) with a 1 s horizon
        // is live at w = 3 s, not at 3.001 s.
        assert_eq!(s.live_from(3_000, 1_000), 2);
        assert_eq!(s.live_from(3_001, 1_000), 3);
        assert_eq!(s.tick_of(2_999), Some(2));
        assert_eq!(s.tick_of(-1), None);
    }
}
