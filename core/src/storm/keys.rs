//! The storm detector's per-key table: one 64-byte entry per key (its window, flap history and
//! a storm reference) inline in an open-addressing table, so an alert touches one cache line,
//! and a batch can prefetch the lines of the alerts ahead. At most `cap` keys; the least
//! recently seen is evicted first.
//!
//! Recency without a linked list: each entry keeps the sequence number of its key's last
//! alert. To evict, the (sequence, key) pairs of the table are sorted once, oldest first; an
//! entry seen again since then is skipped when it comes up (it is newer than every entry still
//! waiting), and the queue is taken again when it runs dry. That is exact LRU, and seeing a
//! key is a single store instead of relinking two neighbours. Only the order of the sequence
//! numbers matters: a batch judged shard by shard stamps each alert with its position.
//!
//! The table is split into shards by the low bit of the key id, each its own open-addressing
//! table, so that the keys of different shards can be judged on different threads.

use std::collections::VecDeque;

use crate::mem::{prefetch, Zeroable, Zeroed};

/// Buckets per window at most.
pub const MAX_BUCKETS: usize = 16;

/// One key's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(64))]
pub(crate) struct Entry {
    /// The key's id (XXH3-64 of its name).
    pub key: u64,
    /// Sequence number of the key's last alert; 0 marks an empty slot.
    pub seen: u64,
    /// The newest bucket written.
    pub head: i64,
    /// Firing alerts per bucket (saturating), a ring indexed by bucket mod the window length.
    pub buckets: [u16; MAX_BUCKETS],
    /// The key's [`FlapState`](super::FlapState), packed.
    pub flap: u32,
    /// 1 + the index of the key's storm in the detector's storm list; 0 when calm.
    pub storm: u32,
}

// SAFETY: plain integers; all zero is an empty slot.
unsafe impl Zeroable for Entry {}

/// A removed key: its entry and name.
pub(crate) struct Removed {
    pub entry: Entry,
    pub name: Box<str>,
}

/// Shards of the table: a key's shard is the low bit of its id, so a batch can judge the keys
/// of each shard on its own thread (see `parallel.rs`). Recency and the cap are table-wide.
pub(crate) const SHARDS: usize = 2;

/// One shard: an open-addressing table (linear probing, no tombstones) and the key names.
#[derive(Clone, Default)]
pub(crate) struct Shard {
    entries: Zeroed<Entry>,
    /// Each entry's key name, at the same index.
    names: Vec<Box<str>>,
    /// Bytes of the names held (kept as they come and go, so memory is known without a scan).
    name_bytes: usize,
    len: usize,
    /// Slots a shard grows to while over half full (see [`KeyTable::new`]).
    soft_slots: usize,
    /// Slots a shard grows to while over 3/4 full.
    max_slots: usize,
}

/// The table: its shards, the cap and the recency order.
#[derive(Clone, Default)]
pub(crate) struct KeyTable {
    shards: [Shard; SHARDS],
    cap: usize,
    seq: u64,
    /// Eviction candidates, oldest first: (sequence when queued, key).
    queue: VecDeque<(u64, u64)>,
}

/// A slot of the table: the index in its shard times `SHARDS`, plus the shard.
#[inline]
fn split(slot: usize) -> (usize, usize) {
    (slot % SHARDS, slot / SHARDS)
}

/// The shard holding `key`.
#[inline]
pub(crate) fn shard_of(key: u64) -> usize {
    (key % SHARDS as u64) as usize
}

impl Shard {
    fn new(soft_slots: usize, max_slots: usize) -> Self {
        Self { entries: Zeroed::new(16), names: vec![Box::from(""); 16], name_bytes: 0, len: 0, soft_slots, max_slots }
    }

    fn home(&self, key: u64) -> usize {
        ((u128::from(key) * self.entries.len() as u128) >> 64) as usize
    }

    /// Hints that `key`'s entry will be read soon.
    #[inline]
    pub(crate) fn prefetch(&self, key: u64) {
        let home = self.entries.as_ptr().wrapping_add(self.home(key));
        prefetch(home);
        prefetch(home.wrapping_add(1)); // a probe run goes on into the next line half the time
    }

    /// The index of `key` in this shard.
    #[inline]
    pub(crate) fn find(&self, key: u64) -> Option<usize> {
        let n = self.entries.len();
        let mut i = self.home(key);
        loop {
            let e = &self.entries[i];
            if e.seen == 0 {
                return None;
            }
            if e.key == key {
                return Some(i);
            }
            i += 1;
            if i == n {
                i = 0;
            }
        }
    }

    /// The entry at index `i`.
    #[inline]
    pub(crate) fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// The entry at index `i`, to change.
    #[inline]
    pub(crate) fn entry_mut(&mut self, i: usize) -> &mut Entry {
        &mut self.entries[i]
    }

    /// The key name at index `i`.
    pub(crate) fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// The slots to grow to before one more key: the load stays at or under 1/2 up to
    /// `soft_slots`, and under 3/4 beyond.
    fn growth(&self) -> Option<usize> {
        let (slots, wanted) = (self.entries.len(), self.len + 1);
        let limit = if slots < self.soft_slots { self.soft_slots } else { self.max_slots };
        let crowded = if slots < self.soft_slots { wanted * 2 > slots } else { wanted * 4 > slots * 3 };
        (crowded && slots < limit).then(|| (slots * 2).min(limit))
    }

    /// Makes room for one more key (see [`Self::growth`]).
    fn reserve_one(&mut self) {
        if let Some(slots) = self.growth() {
            let entries = std::mem::replace(&mut self.entries, Zeroed::new(slots));
            let names = std::mem::replace(&mut self.names, vec![Box::from(""); slots]);
            (self.len, self.name_bytes) = (0, 0);
            for (e, name) in entries.iter().zip(names) {
                if e.seen != 0 {
                    self.place(*e, name);
                }
            }
        }
    }

    /// Adds `entry` (of a key not here; `seen` set) if that takes no growing: its index.
    pub(crate) fn add_without_growing(&mut self, entry: Entry, name: Box<str>) -> Option<usize> {
        match self.growth() {
            Some(_) => None,
            None => Some(self.place(entry, name)),
        }
    }

    /// Writes `entry` at the first free index from its home; returns the index.
    fn place(&mut self, entry: Entry, name: Box<str>) -> usize {
        let n = self.entries.len();
        let mut i = self.home(entry.key);
        while self.entries[i].seen != 0 {
            i += 1;
            if i == n {
                i = 0;
            }
        }
        self.entries[i] = entry;
        self.name_bytes += name.len();
        self.names[i] = name;
        self.len += 1;
        i
    }

    /// Removes the key at index `i`, moving later entries of its probe run back.
    pub(crate) fn remove(&mut self, mut i: usize) -> Removed {
        let n = self.entries.len();
        let removed = Removed { entry: self.entries[i], name: std::mem::take(&mut self.names[i]) };
        self.name_bytes -= removed.name.len();
        let mut j = i;
        loop {
            j = if j + 1 == n { 0 } else { j + 1 };
            if self.entries[j].seen == 0 {
                break;
            }
            let home = self.home(self.entries[j].key);
            // Entry j may fill the hole at i when its home is not in (i, j] (cyclically).
            let stays = if i <= j { i < home && home <= j } else { i < home || home <= j };
            if !stays {
                self.entries[i] = self.entries[j];
                self.names.swap(i, j);
                i = j;
            }
        }
        self.entries[i] = Entry::default_empty();
        self.names[i] = Box::from("");
        self.len -= 1;
        removed
    }

    fn memory_bytes(&self) -> usize {
        self.entries.len() * (std::mem::size_of::<Entry>() + std::mem::size_of::<Box<str>>()) + self.name_bytes
    }
}

impl KeyTable {
    /// An empty table holding at most `cap` keys; it grows as keys arrive. A shard grows
    /// while over half full up to its share of `2 * cap` slots, so a full table of evenly
    /// spread keys is about half full in `2 * cap` slots, as one table would be; a shard that
    /// holds more than its share goes on growing while over 3/4 full, up to `2 * cap` slots.
    pub(crate) fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        let (soft, max) = ((cap * 2 / SHARDS).max(16), (cap * 2).max(16));
        Self { shards: std::array::from_fn(|_| Shard::new(soft, max)), cap, seq: 0, queue: VecDeque::new() }
    }

    /// Keys held.
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|s| s.len).sum()
    }

    /// Keys that can be added before the least recently seen is evicted.
    pub(crate) fn room(&self) -> usize {
        self.cap.saturating_sub(self.len())
    }

    /// Bytes held: the tables (empty slots included), names and the eviction queue.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.shards.iter().map(Shard::memory_bytes).sum::<usize>() + self.queue.capacity() * 16
    }

    /// The shards, each to change on its own, and the recency sequence so far: a batch judged
    /// shard by shard stamps alert `k` after it with `seq + 1 + k` (see [`Self::advance_seq`]).
    pub(crate) fn shards_mut(&mut self) -> (&mut [Shard; SHARDS], u64) {
        (&mut self.shards, self.seq)
    }

    /// Moves the recency sequence on by `by` alerts stamped shard by shard.
    pub(crate) fn advance_seq(&mut self, by: u64) {
        self.seq += by;
    }

    /// Hints that `key`'s entry will be read soon.
    #[inline]
    pub(crate) fn prefetch(&self, key: u64) {
        self.shards[shard_of(key)].prefetch(key);
    }

    /// The slot of `key`.
    #[inline]
    pub(crate) fn find(&self, key: u64) -> Option<usize> {
        let s = shard_of(key);
        self.shards[s].find(key).map(|i| i * SHARDS + s)
    }

    /// The entry in slot `i`.
    #[inline]
    pub(crate) fn entry(&self, slot: usize) -> &Entry {
        let (s, i) = split(slot);
        self.shards[s].entry(i)
    }

    /// The entry in slot `i`, to change.
    #[inline]
    pub(crate) fn entry_mut(&mut self, slot: usize) -> &mut Entry {
        let (s, i) = split(slot);
        self.shards[s].entry_mut(i)
    }

    /// The key name in slot `i`.
    pub(crate) fn name(&self, slot: usize) -> &str {
        let (s, i) = split(slot);
        self.shards[s].name(i)
    }

    /// Marks slot `i` as the most recently seen.
    #[inline]
    pub(crate) fn touch(&mut self, slot: usize) {
        self.seq += 1;
        let seq = self.seq;
        self.entry_mut(slot).seen = seq;
    }

    /// Adds `entry` (a key not in the table) as the most recently seen, first evicting the
    /// least recently seen key when the table is full. Returns its slot and the evicted key.
    pub(crate) fn insert(&mut self, mut entry: Entry, name: Box<str>) -> (usize, Option<Removed>) {
        let evicted = if self.len() >= self.cap { Some(self.evict()) } else { None };
        self.seq += 1;
        entry.seen = self.seq;
        let s = shard_of(entry.key);
        self.shards[s].reserve_one();
        let i = self.shards[s].place(entry, name);
        (i * SHARDS + s, evicted)
    }

    /// Removes the least recently seen key.
    fn evict(&mut self) -> Removed {
        loop {
            if self.queue.is_empty() {
                let mut all: Vec<(u64, u64)> = self.iter().map(|(_, e, _)| (e.seen, e.key)).collect();
                all.sort_unstable();
                self.queue = all.into();
            }
            let (seen, key) = self.queue.pop_front().expect("a full table has keys");
            if let Some(slot) = self.find(key) {
                if self.entry(slot).seen == seen {
                    return self.remove(slot);
                }
            }
        }
    }

    /// Removes the key in slot `i`.
    pub(crate) fn remove(&mut self, slot: usize) -> Removed {
        let (s, i) = split(slot);
        self.shards[s].remove(i)
    }

    /// Occupied slots: (slot, entry, name).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Entry, &str)> {
        self.shards.iter().enumerate().flat_map(|(s, shard)| {
            shard
                .entries
                .iter()
                .zip(&shard.names)
                .enumerate()
                .filter(|(_, (e, _))| e.seen != 0)
                .map(move |(i, (e, n))| (i * SHARDS + s, e, &**n))
        })
    }

    /// Occupied slots, least recently seen first.
    pub(crate) fn by_recency(&self) -> Vec<usize> {
        let mut slots: Vec<(u64, usize)> = self.iter().map(|(i, e, _)| (e.seen, i)).collect();
        slots.sort_unstable();
        slots.into_iter().map(|(_, i)| i).collect()
    }
}

impl Entry {
    /// A new key's entry: nothing counted yet.
    pub(crate) fn new(key: u64) -> Self {
        Self { key, seen: 0, head: i64::MIN / 2, buckets: [0; MAX_BUCKETS], flap: 0, storm: 0 }
    }

    fn default_empty() -> Self {
        Self { key: 0, seen: 0, head: 0, buckets: [0; MAX_BUCKETS], flap: 0, storm: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(t: &KeyTable) -> Vec<u64> {
        t.by_recency().into_iter().map(|i| t.entry(i).key).collect()
    }

    #[test]
    fn the_name_bytes_kept_equal_a_scan_through_growth_eviction_and_removal() {
        let scan =
            |t: &KeyTable| t.shards.iter().map(|s| s.names.iter().map(|n| n.len()).sum::<usize>()).sum::<usize>();
        let kept = |t: &KeyTable| t.shards.iter().map(|s| s.name_bytes).sum::<usize>();
        let mut t = KeyTable::new(500);
        for k in 1..=2_000u64 {
            // Names of varying length; past 500 keys each insert evicts the oldest.
            t.insert(Entry::new(k), "x".repeat((k % 37) as usize).into());
            if k % 7 == 0 {
                if let Some(slot) = t.find(k / 2) {
                    t.remove(slot);
                }
            }
        }
        assert_eq!(kept(&t), scan(&t));
        assert!(scan(&t) > 0);
    }

    #[test]
    fn evicts_the_least_recently_seen_exactly() {
        let mut t = KeyTable::new(3);
        for k in [10, 20, 30] {
            t.insert(Entry::new(k), k.to_string().into());
        }
        let i = t.find(10).unwrap();
        t.touch(i); // order now 20, 30, 10
        let (_, out) = t.insert(Entry::new(40), "40".into());
        assert_eq!(out.map(|r| (r.entry.key, r.name)), Some((20, "20".into())));
        let i = t.find(30).unwrap();
        t.touch(i); // 10, 40, 30: 30 was queued before it was seen again
        let (_, out) = t.insert(Entry::new(50), "50".into());
        assert_eq!(out.map(|r| r.entry.key), Some(10));
        assert_eq!(keys(&t), vec![40, 30, 50]);
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn every_key_stays_findable_through_growth_and_removals() {
        // Keys that all share a home slot at first, and well-mixed ones.
        let mut t = KeyTable::new(1000);
        let ids: Vec<u64> =
            (0..600u64).map(|i| if i % 2 == 0 { i } else { i.wrapping_mul(0x9e37_79b9_7f4a_7c15) }).collect();
        for &k in &ids {
            t.insert(Entry::new(k), k.to_string().into());
        }
        for &k in ids.iter().step_by(3) {
            let i = t.find(k).unwrap();
            let r = t.remove(i);
            assert_eq!(*r.name, k.to_string());
        }
        for (n, &k) in ids.iter().enumerate() {
            let found = t.find(k).map(|i| t.name(i).to_string());
            assert_eq!(found, if n % 3 == 0 { None } else { Some(k.to_string()) }, "key {k}");
        }
        assert_eq!(t.len(), 400);
    }

    #[test]
    fn ten_times_the_cap_in_distinct_keys_keeps_the_newest() {
        let mut t = KeyTable::new(100);
        let mut evicted = 0;
        for k in 0..1000u64 {
            evicted += usize::from(t.insert(Entry::new(k * 7919 + 1), "".into()).1.is_some());
        }
        assert_eq!((t.len(), evicted), (100, 900));
        assert_eq!(keys(&t), (900..1000u64).map(|k| k * 7919 + 1).collect::<Vec<_>>());
        assert!(t.memory_bytes() < 100 * 200);
    }

    #[test]
    fn keys_all_in_one_shard_still_fit_the_cap() {
        let mut t = KeyTable::new(100);
        for k in 0..1000u64 {
            t.insert(Entry::new(k * SHARDS as u64 * 7919), "".into()); // every id in shard 0
        }
        assert_eq!(t.len(), 100);
        assert_eq!(keys(&t), (900..1000u64).map(|k| k * SHARDS as u64 * 7919).collect::<Vec<_>>());
    }
}
