//! The exact store: every live key with the event time it was first seen, in a flat
//! open-addressing table of 12-byte slots (a mixed u64 key and a u32 time tick).
//!
//! Ticks count `unit_ms` (1 ms, or 1 s when horizon + lateness exceed 24 days) from `base_ms`.
//! The table is rebuilt, dropping expired keys and rebasing the ticks, when it reaches 7/8
//! load or a tick would overflow; a rebuild leaves it at 60 % load, so a live key costs
//! 13.7 to 20 bytes. With a key cap the table never grows past the cap, and when the cap is
//! reached the oldest eighth of the keys (by first-seen event time) is evicted and counted.

use super::key::slot_of;

/// One slot; `key == 0` marks it empty (key 0 mixes to 0 and is kept aside).
#[repr(C, packed(4))]
#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    tick: u32,
}

const EMPTY: Slot = Slot { key: 0, tick: 0 };
/// Fill ratio after a rebuild.
const TARGET_LOAD: f64 = 0.6;
/// Ticks above this force a rebuild (rebase).
const MAX_TICK: i64 = u32::MAX as i64;

/// Bytes per slot, for memory reports.
pub(crate) const SLOT_BYTES: usize = std::mem::size_of::<Slot>();

/// What the store decided for one key.
pub(crate) enum Seen {
    /// Seen before and not expired.
    Duplicate,
    /// New (or expired and renewed).
    First,
}

#[derive(Clone)]
pub(crate) struct ExactStore {
    slots: Vec<Slot>,
    len: usize,
    zero: Option<i64>,
    base_ms: i64,
    unit_ms: i64,
    cap: Option<usize>,
}

impl ExactStore {
    pub(crate) fn new(unit_ms: i64, cap: Option<usize>) -> Self {
        let slots = cap.map_or(16, capacity_for_cap);
        Self { slots: vec![EMPTY; slots], len: 0, zero: None, base_ms: 0, unit_ms, cap }
    }

    /// Live keys (expired ones may still be counted until the next rebuild).
    pub(crate) fn len(&self) -> usize {
        self.len + usize::from(self.zero.is_some())
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.slots.len() * SLOT_BYTES
    }

    #[inline(always)]
    pub(crate) fn prefetch(&self, mixed: u64) {
        super::batch_prefetch(self.slots.as_ptr().wrapping_add(slot_of(mixed, self.slots.len())));
    }

    fn time_of(&self, tick: u32) -> i64 {
        self.base_ms + tick as i64 * self.unit_ms
    }

    /// Looks `mixed` up at event time `t` with watermark `w`; a key is a duplicate while
    /// `w <= first_seen + horizon`. Returns the decision and how many keys were evicted.
    #[inline]
    pub(crate) fn observe(&mut self, mixed: u64, t: i64, w: i64, horizon: i64) -> (Seen, u64) {
        if mixed == 0 {
            return match self.zero {
                Some(t0) if w <= t0 + horizon => (Seen::Duplicate, 0),
                _ => {
                    let evicted = self.make_room(w, horizon, t, true);
                    self.zero = Some(self.round(t));
                    (Seen::First, evicted)
                }
            };
        }
        let mut i = slot_of(mixed, self.slots.len());
        loop {
            let s = self.slots[i];
            if s.key == mixed {
                if w <= self.time_of(s.tick) + horizon {
                    return (Seen::Duplicate, 0);
                }
                if (t - self.base_ms) / self.unit_ms <= MAX_TICK {
                    self.slots[i].tick = ((t - self.base_ms) / self.unit_ms) as u32;
                    return (Seen::First, 0);
                }
                break; // the tick would overflow: rebuild below
            }
            if s.key == 0 {
                let needs_room = self.len + 1 > self.slots.len() * 7 / 8
                    || self.cap.is_some_and(|c| self.len() >= c)
                    || (t - self.base_ms) / self.unit_ms > MAX_TICK
                    || t < self.base_ms;
                if !needs_room {
                    self.slots[i] = Slot { key: mixed, tick: ((t - self.base_ms) / self.unit_ms) as u32 };
                    self.len += 1;
                    return (Seen::First, 0);
                }
                break;
            }
            i += 1;
            if i == self.slots.len() {
                i = 0;
            }
        }
        let evicted = self.make_room(w, horizon, t, false);
        self.put(mixed, t);
        (Seen::First, evicted)
    }

    fn round(&self, t: i64) -> i64 {
        t - (t - self.base_ms).rem_euclid(self.unit_ms)
    }

    /// Rebuilds if `t` cannot be stored as is; returns the number of evicted keys.
    fn make_room(&mut self, w: i64, horizon: i64, t: i64, zero: bool) -> u64 {
        let full = !zero && self.len + 1 > self.slots.len() * 7 / 8;
        let capped = self.cap.is_some_and(|c| self.len() >= c);
        let out_of_range = !zero && ((t - self.base_ms) / self.unit_ms > MAX_TICK || t < self.base_ms);
        if full || capped || out_of_range {
            self.rebuild(w, horizon, Some(t))
        } else {
            0
        }
    }

    /// Inserts or overwrites without any capacity check (room has been made).
    fn put(&mut self, mixed: u64, t: i64) {
        if mixed == 0 {
            self.zero = Some(self.round(t));
            return;
        }
        let tick = ((t - self.base_ms) / self.unit_ms) as u32;
        let mut i = slot_of(mixed, self.slots.len());
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
            i += 1;
            if i == self.slots.len() {
                i = 0;
            }
        }
    }

    /// Every stored key with its first-seen time in ms.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, i64)> + '_ {
        let zero = self.zero.map(|t| (0u64, t));
        self.slots.iter().filter(|s| s.key != 0).map(|s| (s.key, self.time_of(s.tick))).chain(zero)
    }

    /// Drops keys expired at `w`, evicts the oldest if over the cap (room is kept for one more
    /// key when `incoming` is given), rebases ticks on `w - horizon` and resizes. Returns the
    /// number of evicted keys.
    pub(crate) fn rebuild(&mut self, w: i64, horizon: i64, incoming: Option<i64>) -> u64 {
        let live: Vec<(u64, i64)> = self.entries().filter(|&(_, t0)| w <= t0 + horizon).collect();
        self.reload(live, w - horizon, incoming)
    }

    /// Replaces the content with `live` entries; see [`rebuild`](Self::rebuild).
    pub(crate) fn reload(&mut self, mut live: Vec<(u64, i64)>, floor_ms: i64, incoming: Option<i64>) -> u64 {
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
        self.slots = vec![EMPTY; slots];
        self.len = 0;
        self.zero = None;
        for (k, t) in live {
            self.put(k, t);
        }
        evicted
    }
}

impl std::fmt::Debug for ExactStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExactStore").field("keys", &self.len()).field("slots", &self.slots.len()).finish()
    }
}

/// A capped table never rebuilds for growth: the cap fits under 7/8 load.
fn capacity_for_cap(cap: usize) -> usize {
    (cap * 8 / 7 + 2).max(16)
}
