//! The exact store: every live key with the event time it was first seen, in a flat table of
//! 64-byte buckets (one cache line each) holding five slots: a mixed u64 key and a u32 stamp
//! (its tick plus one, so that stamp 0 marks an empty slot and "free" is one comparison).
//!
//! Each key has two candidate buckets (from the two halves of its 64-bit mix) and goes to the
//! freer one, so a lookup reads two lines, both prefetched by batches, and buckets fill evenly.
//! When both are full of live keys the key goes to the first free slot after the first
//! candidate, which records how far keys went (`reach`) so lookups follow; at the table's
//! fill that stays rare. Any slot can be emptied on its own: nothing moves.
//!
//! A new key takes an expired key's slot before an empty one, so in a steady stream expired
//! keys are replaced where they lie; the sequential expiry pass (which also recomputes every
//! `reach`) only runs when the table, expired keys included, reaches [`SWEEP_AT`] full. After
//! that pass the table grows if live keys fill more than [`GROW_AT`] of it, to
//! [`TARGET_LOAD`]: 20.6 to 24.6 bytes per live key (12.8 bytes per slot), and at most
//! 24 bytes once live keys fill 53 % of it. The band trades memory for speed: each point of
//! fill above it adds misses on the third line (see the README's benchmark notes).
//!
//! Ticks count `unit_ms` (1 ms, or 1 s when horizon + lateness exceed 24 days) from `base_ms`.
//! With a key cap the table never grows past the cap; when the cap is reached the oldest
//! eighth of the keys (by first-seen event time) is evicted and counted, in place: a few
//! sequential passes find and empty their slots, and nothing is rebuilt.

use super::key::slot_of;
use crate::mem::{Zeroable, Zeroed};

/// Slots per bucket: five 12-byte slots and a 4-byte reach fill one cache line.
const WAYS: usize = 5;

/// One cache line of slots; `keys[j] == 0` marks slot `j` empty (key 0 is kept aside).
#[repr(C, align(64))]
#[derive(Clone, Copy)]
struct Bucket {
    keys: [u64; WAYS],
    /// Tick plus one; 0 for an empty slot.
    stamps: [u32; WAYS],
    /// Keys whose candidates were both full lie at most this many buckets after their first
    /// candidate (this one).
    reach: u32,
}

// SAFETY: integers only; all-zero is an empty bucket.
unsafe impl Zeroable for Bucket {}

/// Fill (expired keys included) that triggers the expiry pass.
const SWEEP_AT: f64 = 0.85;
/// Fill after the expiry pass above which the table grows.
const GROW_AT: f64 = 0.62;
/// Fill after the expiry pass below which the table shrinks.
const SHRINK_AT: f64 = 0.15;
/// Fill after growing or shrinking.
const TARGET_LOAD: f64 = 0.52;
/// The smallest table.
const MIN_BUCKETS: usize = 4;
/// Ticks above this force a rebase (the stamp, tick plus one, must fit a u32).
const MAX_TICK: i64 = u32::MAX as i64 - 1;

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
    /// The fewest buckets the table keeps: [`MIN_BUCKETS`], or the size asked for up front.
    floor: usize,
}

impl std::fmt::Debug for ExactStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExactStore").field("keys", &self.len()).field("buckets", &self.buckets.len()).finish()
    }
}

impl ExactStore {
    /// An empty store. It starts small (or sized for `capacity` live keys, at the fill a
    /// growth step leaves) and grows with the keys it holds, up to the size its `cap` needs:
    /// memory follows use, never the configured cap alone.
    /// `None` when the memory for `capacity` cannot be had.
    pub(crate) fn new(unit_ms: i64, cap: Option<usize>, capacity: Option<usize>) -> Option<Self> {
        let buckets = capacity.map_or(MIN_BUCKETS, |n| {
            let wanted = table_for(n);
            cap.map_or(wanted, |c| wanted.min(buckets_for_cap(c)))
        });
        let floor = buckets;
        let buckets = Zeroed::try_new(buckets)?;
        let mut s = Self { buckets, len: 0, max_len: 0, zero: None, base_ms: 0, unit_ms, cap, floor };
        s.max_len = s.room();
        Some(s)
    }

    /// Bytes a table sized for `capacity` live keys takes (what [`new`](Self::new) asks for).
    pub(crate) fn bytes_for(capacity: usize) -> usize {
        table_for(capacity) * std::mem::size_of::<Bucket>()
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

    /// The key's two candidate buckets: from the high bits of the mixed key and from its
    /// rotation (independent halves of a 64-bit mix).
    #[inline(always)]
    fn homes(&self, mixed: u64) -> (usize, usize) {
        let n = self.buckets.len();
        (slot_of(mixed, n), slot_of(mixed.rotate_left(32), n))
    }

    /// Prefetches both candidate lines of a key (a batch does this a few events ahead).
    #[inline(always)]
    pub(crate) fn prefetch(&self, mixed: u64) {
        let (a, b) = self.homes(mixed);
        crate::mem::prefetch(self.buckets.as_ptr().wrapping_add(a));
        crate::mem::prefetch(self.buckets.as_ptr().wrapping_add(b));
    }

    /// The time of a (non-zero) stamp.
    #[inline(always)]
    fn time_of(&self, stamp: u32) -> i64 {
        self.base_ms + (stamp as i64 - 1) * self.unit_ms
    }

    /// The stamp of `t` (its tick plus one), if it fits.
    #[inline(always)]
    fn stamp_of(&self, t: i64) -> Option<u32> {
        let d = t - self.base_ms;
        let tick = if self.unit_ms == 1 { d } else { d.div_euclid(self.unit_ms) };
        (0..=MAX_TICK).contains(&tick).then(|| tick as u32 + 1)
    }

    /// The oldest live tick at watermark `w`: a key is live while `w <= first_seen + horizon`,
    /// that is while its stamp is above this.
    #[inline(always)]
    fn live_from(&self, w: i64, horizon: i64) -> i64 {
        let limit = w - horizon - self.base_ms;
        if self.unit_ms == 1 {
            limit
        } else {
            limit.div_euclid(self.unit_ms) + i64::from(limit.rem_euclid(self.unit_ms) != 0)
        }
    }

    /// The bucket after `b`.
    #[inline(always)]
    fn next(&self, b: usize) -> usize {
        if b + 1 == self.buckets.len() {
            0
        } else {
            b + 1
        }
    }

    /// How far past its first candidate `b` a key with candidates `(a, c)` lies (0 when it is
    /// in either candidate).
    #[inline(always)]
    fn spill(&self, (a, c): (usize, usize), b: usize) -> u32 {
        if b == a || b == c {
            0
        } else if b > a {
            (b - a) as u32
        } else {
            (b + self.buckets.len() - a) as u32
        }
    }

    /// The slot of `mixed` in bucket `b`.
    #[inline(always)]
    fn slot_in(&self, b: usize, mixed: u64) -> Option<usize> {
        self.buckets[b].keys.iter().position(|&k| k == mixed)
    }

    /// Where `mixed` is stored, if it is: bucket and slot.
    #[inline(always)]
    fn find(&self, mixed: u64, (a, c): (usize, usize)) -> Option<(usize, usize)> {
        if let Some(j) = self.slot_in(a, mixed) {
            return Some((a, j));
        }
        if let Some(j) = self.slot_in(c, mixed) {
            return Some((c, j));
        }
        // Both candidates were full when some key came: it went on from the first.
        let mut b = a;
        for _ in 0..self.buckets[a].reach {
            b = self.next(b);
            if let Some(j) = self.slot_in(b, mixed) {
                return Some((b, j));
            }
        }
        None
    }

    /// How many slots of bucket `b` are free at `live_from`, and the one to take: an expired
    /// key's slot before an empty one (`true` if expired).
    #[inline(always)]
    fn free_in(&self, b: usize, live_from: i64) -> (u32, usize, bool) {
        let (free, empty) = free_masks(&self.buckets[b].stamps, live_from.clamp(0, u32::MAX as i64) as u32);
        let expired = free & !empty;
        let count = FREE_COUNT[free as usize] as u32;
        if expired != 0 {
            (count, expired.trailing_zeros() as usize, true)
        } else {
            (count, empty.trailing_zeros().min(WAYS as u32) as usize, false)
        }
    }

    /// Where a new key goes: the freer of its two candidates (the choice keeps buckets so even
    /// that both are almost never full), else the first free slot after the first candidate.
    /// Returns bucket, slot and whether it held an expired key.
    #[inline(always)]
    fn free_slot(&self, (a, c): (usize, usize), live_from: i64) -> (usize, usize, bool) {
        let (first, second) = (self.free_in(a, live_from), self.free_in(c, live_from));
        // An expired key's slot first, so that the table fills (and needs a pass) slowly.
        if first.2 || second.2 {
            return if first.2 && (!second.2 || first.0 >= second.0) {
                (a, first.1, true)
            } else {
                (c, second.1, true)
            };
        }
        if first.0 >= second.0 && first.0 > 0 {
            return (a, first.1, first.2);
        }
        if second.0 > 0 {
            return (c, second.1, second.2);
        }
        let mut b = self.next(a);
        loop {
            let (count, j, expired) = self.free_in(b, live_from);
            if count > 0 {
                return (b, j, expired);
            }
            b = self.next(b);
        }
    }

    /// Stores `mixed` in slot `j` of bucket `b`, free, chosen by [`free_slot`](Self::free_slot).
    #[inline(always)]
    fn place(&mut self, mixed: u64, stamp: u32, homes: (usize, usize), b: usize, j: usize) {
        let d = self.spill(homes, b);
        if d > 0 {
            let first = &mut self.buckets[homes.0];
            first.reach = first.reach.max(d);
        }
        self.buckets[b].keys[j] = mixed;
        self.buckets[b].stamps[j] = stamp;
    }

    /// Looks `mixed` up at event time `t` with watermark `w`; a key is a duplicate while
    /// `w <= first_seen + horizon`. Returns the decision and how many keys were evicted.
    #[inline(always)]
    pub(crate) fn observe(&mut self, mixed: u64, t: i64, w: i64, horizon: i64) -> (Seen, u64) {
        if mixed == 0 {
            if self.zero.is_some_and(|t0| w <= t0 + horizon) {
                return (Seen::Duplicate, 0);
            }
            let evicted =
                if self.zero.is_none() && self.len() >= self.max_len { self.make_room(w, horizon, t) } else { 0 };
            self.zero = Some(t - (t - self.base_ms).rem_euclid(self.unit_ms));
            return (Seen::First, evicted);
        }
        let live_from = self.live_from(w, horizon);
        let homes = self.homes(mixed);
        let stamp = self.stamp_of(t);
        match self.find(mixed, homes) {
            Some((b, j)) if self.buckets[b].stamps[j] as i64 > live_from => return (Seen::Duplicate, 0),
            Some((b, j)) => {
                if let Some(stamp) = stamp {
                    self.buckets[b].stamps[j] = stamp;
                    return (Seen::First, 0);
                }
            }
            None => {
                if let Some(stamp) = stamp {
                    let (b, j, expired) = self.free_slot(homes, live_from);
                    if expired || self.len() < self.max_len {
                        self.len += usize::from(!expired);
                        self.place(mixed, stamp, homes, b, j);
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
        if let Some(cap) = self.cap.filter(|&c| self.buckets.len() >= buckets_for_cap(c)) {
            let live_from = self.live_from(w, horizon);
            if self.stamp_of(t).is_some() && live_from < MAX_TICK {
                // At the cap's size: expiry and eviction in place, in one go.
                return self.expire_or_evict(live_from, cap);
            }
        }
        self.expire(w, horizon);
        let load = self.len as f64 / self.slots() as f64;
        let capped = self.cap.is_some_and(|c| self.len() >= c);
        let grow = load > GROW_AT && self.cap.is_none_or(|c| self.buckets.len() < buckets_for_cap(c));
        let resize = grow || (self.cap.is_none() && load < SHRINK_AT && self.buckets.len() > self.floor);
        if capped || resize || self.stamp_of(t).is_none() {
            let live: Vec<(u64, i64)> = self.entries().collect();
            return self.reload(live, w - horizon, Some(t));
        }
        0
    }

    /// Every stored key's stamp, and `zero` (the key 0's) when given.
    fn stamps(&self, zero: Option<u32>) -> impl Iterator<Item = u32> + '_ {
        self.buckets.iter().flat_map(|b| b.stamps).filter(|&s| s != 0).chain(zero)
    }

    /// A full table at its cap's size: empties the slots of expired keys and, when live keys
    /// still fill the cap, of the live keys first seen earliest (ties broken arbitrarily)
    /// until the newest seven eighths remain, with room for one more. Nothing moves and nothing the
    /// table's size is allocated: a pass counts expired keys and finds the newest stamp, a
    /// second (when live keys must go) counts live stamps into 4,096 bins up to it, and the
    /// sweep empties expired slots and the bins below the one holding the cut, remembering
    /// that bin's slots, of which the oldest then go.
    /// Returns the number of live keys evicted.
    fn expire_or_evict(&mut self, live_from: i64, cap: usize) -> u64 {
        const BINS: usize = 4_096;
        // Expired: a stamp at most `limit`.
        let limit = live_from.clamp(0, MAX_TICK) as u32;
        // The key 0, kept aside, competes with its own stamp (its time is never before the base).
        let zero = self.zero.map(|t0| self.stamp_of(t0).unwrap_or(u32::MAX));
        let lo = limit + 1;
        let (mut newest, mut expired) = (0, 0);
        for s in self.stamps(zero) {
            newest = newest.max(s);
            expired += usize::from(s <= limit);
        }
        // Bins a power of two wide, so a stamp's bin is a shift (a division would cost more
        // than the rest of the pass).
        let span = newest.saturating_sub(lo) as u64 + 1;
        let shift = (span.div_ceil(BINS as u64)).next_power_of_two().trailing_zeros();
        let bin_of = |s: u32| ((s.wrapping_sub(lo) as u64 >> shift) as usize).min(BINS - 1);
        let live = self.len() - expired;
        let evict = if live >= cap { live - (cap - cap / 8).min(cap - 1) } else { 0 };
        if expired + evict == 0 {
            return 0;
        }
        let mut bins = vec![0usize; BINS];
        if evict > 0 {
            for s in self.stamps(zero).filter(|&s| s > limit) {
                bins[bin_of(s)] += 1;
            }
        }
        // The bin holding the evict-th oldest live stamp: those below it go, those above stay.
        let (mut below, mut edge_bin) = (0, 0);
        while evict > 0 && below + bins[edge_bin] < evict {
            below += bins[edge_bin];
            edge_bin += 1;
        }
        let fate = |s: u32| {
            if s <= limit || (evict > 0 && bin_of(s) < edge_bin) {
                Some(true)
            } else if evict > 0 && bin_of(s) == edge_bin {
                None // decided after the sweep
            } else {
                Some(false)
            }
        };
        const ZERO_SLOT: (usize, usize) = (usize::MAX, 0);
        let mut edge: Vec<(u32, (usize, usize))> = Vec::with_capacity(if evict > 0 { bins[edge_bin] } else { 0 });
        match zero.map(fate) {
            Some(Some(true)) => self.zero = None,
            Some(None) => edge.push((zero.unwrap_or_default(), ZERO_SLOT)),
            _ => {}
        }
        self.sweep(|s, b, j| {
            fate(s).unwrap_or_else(|| {
                edge.push((s, (b, j)));
                false
            })
        });
        // The oldest of the edge bin's keys make up the count (reaches stay valid: they were
        // counted with these keys in, and a bound with fewer keys still holds).
        let need = evict - below;
        if need > 0 {
            edge.select_nth_unstable_by_key(need - 1, |&(s, _)| s);
            for &(_, (b, j)) in &edge[..need] {
                if (b, j) == ZERO_SLOT {
                    self.zero = None;
                } else {
                    self.buckets[b].keys[j] = 0;
                    self.buckets[b].stamps[j] = 0;
                    self.len -= 1;
                }
            }
        }
        evict as u64
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
        self.sweep(|stamp, _, _| stamp as i64 <= live_from);
    }

    /// One sequential pass emptying the slot of every key whose stamp `gone` picks (given the
    /// stamp, bucket and slot, in table order) and recomputing each bucket's reach from the
    /// keys that stay.
    fn sweep(&mut self, mut gone: impl FnMut(u32, usize, usize) -> bool) {
        self.buckets.iter_mut().for_each(|b| b.reach = 0);
        for b in 0..self.buckets.len() {
            for j in 0..WAYS {
                let (key, stamp) = (self.buckets[b].keys[j], self.buckets[b].stamps[j]);
                if key == 0 {
                    continue;
                }
                if gone(stamp, b, j) {
                    self.buckets[b].keys[j] = 0;
                    self.buckets[b].stamps[j] = 0;
                    self.len -= 1;
                    continue;
                }
                let homes = self.homes(key);
                let d = self.spill(homes, b);
                if d > 0 {
                    let first = &mut self.buckets[homes.0];
                    first.reach = first.reach.max(d);
                }
            }
        }
    }

    /// Inserts or overwrites without any capacity check (room has been made).
    fn put(&mut self, mixed: u64, t: i64) {
        if mixed == 0 {
            self.zero = Some(t - (t - self.base_ms).rem_euclid(self.unit_ms));
            return;
        }
        let stamp = self.stamp_of(t).expect("rebased for this time");
        let homes = self.homes(mixed);
        if let Some((b, j)) = self.find(mixed, homes) {
            self.buckets[b].stamps[j] = stamp;
            return;
        }
        let (b, j, _) = self.free_slot(homes, i64::MIN);
        self.len += 1;
        self.place(mixed, stamp, homes, b, j);
    }

    /// Every stored key with its first-seen time in ms.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, i64)> + '_ {
        let zero = self.zero.map(|t| (0u64, t));
        self.buckets
            .iter()
            .flat_map(|b| b.keys.iter().zip(b.stamps))
            .filter(|(&k, _)| k != 0)
            .map(|(&k, stamp)| (k, self.time_of(stamp)))
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
        let for_live = table_for(live.len() + 1).max(self.floor);
        let buckets = self.cap.map_or(for_live, |cap| for_live.min(buckets_for_cap(cap)));
        self.buckets = Zeroed::new(buckets);
        self.len = 0;
        self.zero = None;
        self.max_len = self.room();
        // Prefetched like a batch: a reload re-inserts millions of keys at random places.
        for i in 0..live.len() {
            if let Some(&(k, _)) = live.get(i + 12) {
                self.prefetch(k);
            }
            self.put(live[i].0, live[i].1);
        }
        evicted
    }
}

/// Set bits of each 5-bit mask (x86-64's baseline has no `popcnt`).
const FREE_COUNT: [u8; 1 << WAYS] = {
    let mut n = [0; 1 << WAYS];
    let mut m = 0;
    while m < n.len() {
        n[m] = (m as u32).count_ones() as u8;
        m += 1;
    }
    n
};

/// The slots of a bucket free at `limit` (empty, or with a stamp of at most `limit`: expired)
/// and the empty ones, as bit masks. Two overlapping SSE2 loads read the five stamps (x86-64's
/// baseline, so every build has it); elsewhere a loop gives the same masks.
#[inline(always)]
fn free_masks(stamps: &[u32; WAYS], limit: u32) -> (u32, u32) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64; both unaligned 16-byte loads lie inside the 20-byte array
    // (stamps 0-3 and 1-4).
    unsafe {
        use std::arch::x86_64::*;
        let lo = _mm_loadu_si128(stamps.as_ptr().cast());
        let hi = _mm_loadu_si128(stamps.as_ptr().add(1).cast());
        // Unsigned `stamp > limit` as a signed comparison of both with the top bit flipped.
        let flip = _mm_set1_epi32(i32::MIN);
        let bound = _mm_set1_epi32((limit ^ 0x8000_0000) as i32);
        let mask = |v: __m128i| _mm_movemask_ps(_mm_castsi128_ps(v)) as u32;
        let taken = mask(_mm_cmpgt_epi32(_mm_xor_si128(lo, flip), bound))
            | mask(_mm_cmpgt_epi32(_mm_xor_si128(hi, flip), bound)) << 1;
        let zero = _mm_setzero_si128();
        let empty = mask(_mm_cmpeq_epi32(lo, zero)) | mask(_mm_cmpeq_epi32(hi, zero)) << 1;
        (!taken & 0x1f, empty)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        scalar_free_masks(stamps, limit)
    }
}

/// [`free_masks`] one slot at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn scalar_free_masks(stamps: &[u32; WAYS], limit: u32) -> (u32, u32) {
    stamps
        .iter()
        .enumerate()
        .fold((0, 0), |(free, empty), (j, &s)| (free | u32::from(s <= limit) << j, empty | u32::from(s == 0) << j))
}

/// Buckets holding `keys` live keys at [`TARGET_LOAD`].
fn table_for(keys: usize) -> usize {
    (((keys as f64 / TARGET_LOAD).ceil() as usize).div_ceil(WAYS)).max(MIN_BUCKETS)
}

/// A capped table never grows: the cap fits under the sweep fill.
fn buckets_for_cap(cap: usize) -> usize {
    ((cap as f64 / SWEEP_AT) as usize + 2).div_ceil(WAYS).max(MIN_BUCKETS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that every stored key is found from its candidates (and the first one's reach).
    fn check_reaches(s: &ExactStore) {
        for (b, bucket) in s.buckets.iter().enumerate() {
            for &k in bucket.keys.iter().filter(|&&k| k != 0) {
                assert_eq!(s.find(k, s.homes(k)), Some((b, bucket.keys.iter().position(|&x| x == k).unwrap())));
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
            let mut s = ExactStore::new(1, cap, None).unwrap();
            let mut model: std::collections::HashMap<u64, i64> = Default::default();
            let mut x = 0x9e37_79b9_7f4a_7c15u64;
            for t in 0..50_000i64 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // The top bits of each half pick the candidates: 97 values crowd a few buckets.
                let mixed = ((x % 97 + 1) << 57 | (x % 300 + 1)) & !(0xfff << 20);
                let (seen, evicted) = s.observe(mixed, t, t, horizon);
                let live = model.get(&mixed).is_some_and(|&t0| t <= t0 + horizon);
                match seen {
                    Seen::Duplicate => {
                        assert!(live, "event {t}: duplicate of a key the model lacks")
                    }
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

    /// At the cap the oldest keys go, in place: every key evicted was first seen no later
    /// than every key kept, with ties (ten keys a tick) and the key 0 among them, and each
    /// eviction is counted once.
    #[test]
    fn the_cap_evicts_the_oldest_where_they_lie() {
        use std::collections::HashMap;
        let cap = 64;
        let mut s = ExactStore::new(1, Some(cap), None).unwrap();
        let mut evicted = 0;
        for i in 0..5_000u64 {
            // Mixed-looking keys (0 among them), ten to a tick.
            let key = if i == 1_234 { 0 } else { i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1 };
            let t = (i / 10) as i64;
            let before: HashMap<u64, i64> = s.entries().collect();
            let (seen, n) = s.observe(key, t, t, 1_000_000);
            assert!(matches!(seen, Seen::First), "event {i}");
            evicted += n;
            let after: HashMap<u64, i64> = s.entries().collect();
            let gone: Vec<i64> = before.iter().filter(|(k, _)| !after.contains_key(k)).map(|(_, &t0)| t0).collect();
            assert_eq!(gone.len() as u64, n, "event {i}: evictions counted once");
            if n > 0 {
                let oldest_kept = after.iter().filter(|&(&k, _)| k != key).map(|(_, &t0)| t0).min().unwrap();
                assert!(gone.iter().all(|&g| g <= oldest_kept), "event {i}: {gone:?} gone, {oldest_kept} kept");
                assert_eq!(after.len(), cap - cap / 8 + 1, "event {i}: seven eighths kept, and the new key");
            }
            assert!(s.len() <= cap);
            if i % 101 == 0 {
                check_reaches(&s);
            }
        }
        assert_eq!(evicted as usize + s.len(), 5_000);
        assert!(evicted > 4_000);
    }

    /// Keys whose candidates are both the last bucket spill over the end into the first ones.
    #[test]
    fn spills_wrap_around_the_end() {
        let mut s = ExactStore::new(1, None, None).unwrap();
        let keys: Vec<u64> = (0..12).map(|i| u64::MAX - i).collect(); // both halves all ones
        assert!(keys.iter().all(|&k| s.homes(k) == (MIN_BUCKETS - 1, MIN_BUCKETS - 1)));
        for &k in &keys {
            assert!(matches!(s.observe(k, 0, 0, 100).0, Seen::First));
        }
        assert_eq!(s.buckets[MIN_BUCKETS - 1].reach, 2);
        check_reaches(&s);
        s.expire(50, 100); // nothing expired; reaches recomputed across the end
        assert_eq!(s.buckets[MIN_BUCKETS - 1].reach, 2);
        check_reaches(&s);
        for &k in &keys {
            assert!(matches!(s.observe(k, 1, 1, 100).0, Seen::Duplicate));
        }
    }

    /// The SSE2 masks agree with the loop on stamps and limits near every edge.
    #[test]
    fn free_masks_match_the_loop() {
        let edges = [0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, u32::MAX - 1, u32::MAX];
        let mut x = 0x1234_5678_9abc_def1u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let pick = |i: u32| edges[(x >> (3 * i)) as usize % edges.len()];
            let stamps = [pick(0), pick(1), pick(2), pick(3), pick(4)];
            let limit = if x >> 60 == 0 { (x >> 20) as u32 } else { pick(5) };
            assert_eq!(free_masks(&stamps, limit), scalar_free_masks(&stamps, limit), "{stamps:?} {limit}");
        }
        assert_eq!(free_masks(&[0, 5, 6, 7, 0], 6), (0b10111, 0b10001));
    }

    #[test]
    fn one_second_ticks_round_the_live_limit_up() {
        let s = ExactStore::new(1000, None, None).unwrap();
        // Live while w <= first_seen + horizon: tick 2 (first seen at 2 s, stamp 3) with a 1 s
        // horizon is live at w = 3 s, not at 3.001 s.
        assert_eq!(s.live_from(3_000, 1_000), 2);
        assert_eq!(s.live_from(3_001, 1_000), 3);
        assert_eq!(s.stamp_of(2_999), Some(3));
        assert_eq!(s.stamp_of(-1), None);
    }
}
