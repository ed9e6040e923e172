//! The exact store: every live key with the event time it was first seen, in a flat
//! open-addressing table (linear probing) of 12-byte slots: a mixed u64 key and a u32 tick.
//!
//! Ticks count `unit_ms` (1 ms, or 1 s when horizon + lateness exceed 24 days) from `base_ms`.
//! When the table reaches 70 % load, one sequential pass deletes every expired key in place
//! (backward-shift deletion, no tombstones); only if it is still over 55 % full does it grow,
//! to 52 % load. A steady stream therefore never reallocates, and a live key costs 17 to 23
//! bytes (20 B at 10M live keys in the benchmark). With a key cap the table never grows past
//! the cap; when the cap is reached the oldest eighth of the keys (by first-seen event time)
//! is evicted and counted.

use super::key::slot_of;
use crate::mem::{Zeroable, Zeroed};

/// One slot; `key == 0` marks it empty (key 0 mixes to 0 and is kept aside).
#[repr(C, packed(4))]
#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    tick: u32,
}

const EMPTY: Slot = Slot { key: 0, tick: 0 };
// SAFETY: two integers; all-zero is the empty slot.
unsafe impl Zeroable for Slot {}

/// Load that triggers the expiry pass.
const SWEEP_AT: f64 = 0.70;
/// Load after the expiry pass above which the table grows.
const GROW_AT: f64 = 0.55;
/// Load after the expiry pass below which the table shrinks.
const SHRINK_AT: f64 = 0.20;
/// Load after growing or shrinking.
const TARGET_LOAD: f64 = 0.52;
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
    slots: Zeroed<Slot>,
    len: usize,
    zero: Option<i64>,
    base_ms: i64,
    unit_ms: i64,
    cap: Option<usize>,
}

impl std::fmt::Debug for ExactStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExactStore").field("keys", &self.len()).field("slots", &self.slots.len()).finish()
    }
}

impl ExactStore {
    pub(crate) fn new(unit_ms: i64, cap: Option<usize>) -> Self {
        let slots = cap.map_or(16, capacity_for_cap);
        Self { slots: Zeroed::new(slots), len: 0, zero: None, base_ms: 0, unit_ms, cap }
    }

    /// Keys held (expired ones until the next expiry pass).
    pub(crate) fn len(&self) -> usize {
        self.len + usize::from(self.zero.is_some())
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>()
    }

    #[inline(always)]
    pub(crate) fn prefetch(&self, mixed: u64) {
        crate::mem::prefetch(self.slots.as_ptr().wrapping_add(slot_of(mixed, self.slots.len())));
    }

    #[inline(always)]
    fn time_of(&self, tick: u32) -> i64 {
        self.base_ms + tick as i64 * self.unit_ms
    }

    /// The tick of `t`, if it fits.
    #[inline(always)]
    fn tick_of(&self, t: i64) -> Option<u32> {
        let d = t - self.base_ms;
        (d >= 0 && d / self.unit_ms <= MAX_TICK).then(|| (d / self.unit_ms) as u32)
    }

    fn full(&self) -> bool {
        self.len + 1 > (self.slots.len() as f64 * SWEEP_AT) as usize || self.cap.is_some_and(|c| self.len() >= c)
    }

    /// Looks `mixed` up at event time `t` with watermark `w`; a key is a duplicate while
    /// `w <= first_seen + horizon`. Returns the decision and how many keys were evicted.
    #[inline]
    pub(crate) fn observe(&mut self, mixed: u64, t: i64, w: i64, horizon: i64) -> (Seen, u64) {
        if mixed == 0 {
            if self.zero.is_some_and(|t0| w <= t0 + horizon) {
                return (Seen::Duplicate, 0);
            }
            let evicted = if self.zero.is_none() && self.full() { self.make_room(w, horizon, t) } else { 0 };
            self.zero = Some(t - (t - self.base_ms).rem_euclid(self.unit_ms));
            return (Seen::First, evicted);
        }
        let n = self.slots.len();
        let mut i = slot_of(mixed, n);
        loop {
            let s = self.slots[i];
            if s.key == mixed {
                if w <= self.time_of(s.tick) + horizon {
                    return (Seen::Duplicate, 0);
                }
                match self.tick_of(t) {
                    Some(tick) => {
                        self.slots[i].tick = tick;
                        return (Seen::First, 0);
                    }
                    None => break,
                }
            }
            if s.key == 0 {
                match self.tick_of(t) {
                    Some(tick) if !self.full() => {
                        self.slots[i] = Slot { key: mixed, tick };
                        self.len += 1;
                        return (Seen::First, 0);
                    }
                    _ => break,
                }
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
        let evicted = self.make_room(w, horizon, t);
        self.put(mixed, t);
        (Seen::First, evicted)
    }

    /// Makes room for one more key at `t`: an expiry pass, then growth, rebase or eviction as
    /// needed. Returns the number of evicted keys.
    fn make_room(&mut self, w: i64, horizon: i64, t: i64) -> u64 {
        self.expire(w, horizon);
        let load = self.len as f64 / self.slots.len() as f64;
        let capped = self.cap.is_some_and(|c| self.len() >= c);
        let grow = self.cap.is_none() && (load > GROW_AT || (load < SHRINK_AT && self.slots.len() > 64));
        if capped || grow || self.tick_of(t).is_none() {
            let live: Vec<(u64, i64)> = self.entries().collect();
            return self.reload(live, w - horizon, Some(t));
        }
        0
    }

    /// One sequential pass deleting every key expired at `w`: cluster by cluster (a run of
    /// occupied slots), the surviving keys are taken out and inserted again, which keeps the
    /// table a valid linear-probing table and costs a few ns per slot.
    pub(crate) fn expire(&mut self, w: i64, horizon: i64) {
        if self.zero.is_some_and(|t0| w > t0 + horizon) {
            self.zero = None;
        }
        let limit = w - horizon - self.base_ms; // expired: tick * unit < limit
        let n = self.slots.len();
        if limit <= 0 || self.len == 0 {
            return;
        }
        let Some(start) = self.slots.iter().position(|s| s.key == 0) else { return };
        let mut survivors: Vec<Slot> = Vec::new();
        let mut i = start;
        let mut seen = 0;
        while seen < n {
            if self.slots[i].key == 0 {
                i = if i + 1 == n { 0 } else { i + 1 };
                seen += 1;
                continue;
            }
            // A cluster starts at i; take it out whole.
            survivors.clear();
            while self.slots[i].key != 0 && seen < n {
                let s = self.slots[i];
                if (s.tick as i64) * self.unit_ms >= limit {
                    survivors.push(s);
                }
                self.slots[i] = EMPTY;
                self.len -= 1;
                i = if i + 1 == n { 0 } else { i + 1 };
                seen += 1;
            }
            for s in &survivors {
                let mut j = slot_of(s.key, n);
                while self.slots[j].key != 0 {
                    j = if j + 1 == n { 0 } else { j + 1 };
                }
                self.slots[j] = *s;
                self.len += 1;
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
        let n = self.slots.len();
        let mut i = slot_of(mixed, n);
        loop {
            let s = self.slots[i];
            if s.key == mixed {
                self.slots[i].tick = tick;
                return;
            }
            if s.key == 0 {
                self.slots[i] = Slot { key: mixed, tick };
                self.len += 1;
                return;
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    }

    /// Every stored key with its first-seen time in ms.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, i64)> + '_ {
        let zero = self.zero.map(|t| (0u64, t));
        self.slots.iter().filter(|s| s.key != 0).map(|s| (s.key, self.time_of(s.tick))).chain(zero)
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
        let slots = match self.cap {
            Some(cap) => capacity_for_cap(cap),
            None => (((live.len() + 1) as f64 / TARGET_LOAD).ceil() as usize).max(16),
        };
        self.slots = Zeroed::new(slots);
        self.len = 0;
        self.zero = None;
        for (k, t) in live {
            self.put(k, t);
        }
        evicted
    }
}

/// A capped table never grows: the cap fits under the expiry-pass load.
fn capacity_for_cap(cap: usize) -> usize {
    ((cap as f64 / SWEEP_AT) as usize + 2).max(16)
}
