//! The storm detector's per-key table: one 64-byte entry per key (its window, flap history and
//! a storm reference) inline in an open-addressing table, so an alert touches one cache line,
//! and a batch can prefetch the lines of the alerts ahead. At most `cap` keys; the least
//! recently seen is evicted first.
//!
//! Recency without a linked list: each entry keeps the sequence number of its key's last
//! alert. To evict, the (sequence, key) pairs of the table are sorted once, oldest first; an
//! entry seen again since then is skipped when it comes up (it is newer than every entry still
//! waiting), and the queue is taken again when it runs dry. That is exact LRU, and seeing a
//! key is a single store instead of relinking two neighbours.

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

/// The table.
#[derive(Clone, Default)]
pub(crate) struct KeyTable {
    entries: Zeroed<Entry>,
    /// Each entry's key name, at the same index.
    names: Vec<Box<str>>,
    len: usize,
    cap: usize,
    seq: u64,
    /// Eviction candidates, oldest first: (sequence when queued, key).
    queue: VecDeque<(u64, u64)>,
}

impl KeyTable {
    /// An empty table holding at most `cap` keys; it grows as keys arrive.
    pub(crate) fn new(cap: usize) -> Self {
        Self { entries: Zeroed::new(16), names: vec![Box::from(""); 16], len: 0, cap: cap.max(1), seq: 0, queue: VecDeque::new() }
    }

    /// Keys held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Bytes held: the table (empty slots included), names and the eviction queue.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.entries.len() * (std::mem::size_of::<Entry>() + std::mem::size_of::<Box<str>>())
            + self.names.iter().map(|n| n.len()).sum::<usize>()
            + self.queue.capacity() * 16
    }

    /// Slots at most: the load stays at or under 3/4 once the table is full.
    fn max_slots(&self) -> usize {
        (self.cap * 2).max(16)
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

    /// The slot of `key`.
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

    /// The entry in slot `i`.
    pub(crate) fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// The entry in slot `i`, to change.
    pub(crate) fn entry_mut(&mut self, i: usize) -> &mut Entry {
        &mut self.entries[i]
    }

    /// The key name in slot `i`.
    pub(crate) fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// Marks slot `i` as the most recently seen.
    #[inline]
    pub(crate) fn touch(&mut self, i: usize) {
        self.seq += 1;
        self.entries[i].seen = self.seq;
    }

    /// Adds `entry` (a key not in the table) as the most recently seen, first evicting the
    /// least recently seen key when the table is full. Returns its slot and the evicted key.
    pub(crate) fn insert(&mut self, mut entry: Entry, name: Box<str>) -> (usize, Option<Removed>) {
        let evicted = if self.len >= self.cap { Some(self.evict()) } else { None };
        if (self.len + 1) * 2 > self.entries.len() && self.entries.len() < self.max_slots() {
            self.grow();
        }
        self.seq += 1;
        entry.seen = self.seq;
        let i = self.place(entry, name);
        (i, evicted)
    }

    /// Writes `entry` at the first free slot from its home; returns the slot.
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
        self.names[i] = name;
        self.len += 1;
        i
    }

    fn grow(&mut self) {
        let slots = (self.entries.len() * 2).min(self.max_slots());
        let entries = std::mem::replace(&mut self.entries, Zeroed::new(slots));
        let names = std::mem::replace(&mut self.names, vec![Box::from(""); slots]);
        self.len = 0;
        for (e, name) in entries.iter().zip(names) {
            if e.seen != 0 {
                self.place(*e, name);
            }
        }
    }

    /// Removes the least recently seen key.
    fn evict(&mut self) -> Removed {
        loop {
            if self.queue.is_empty() {
                let mut all: Vec<(u64, u64)> = self.entries.iter().filter(|e| e.seen != 0).map(|e| (e.seen, e.key)).collect();
                all.sort_unstable();
                self.queue = all.into();
            }
            let (seen, key) = self.queue.pop_front().expect("a full table has keys");
            if let Some(i) = self.find(key) {
                if self.entries[i].seen == seen {
                    return self.remove(i);
                }
            }
        }
    }

    /// Removes the key in slot `i`, moving later entries of its probe run back (no tombstones).
    pub(crate) fn remove(&mut self, mut i: usize) -> Removed {
        let n = self.entries.len();
        let removed = Removed { entry: self.entries[i], name: std::mem::take(&mut self.names[i]) };
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

    /// Occupied slots: (slot, entry, name).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Entry, &str)> {
        self.entries.iter().zip(&self.names).enumerate().filter(|(_, (e, _))| e.seen != 0).map(|(i, (e, n))| (i, e, &**n))
    }

    /// Occupied slots, least recently seen first.
    pub(crate) fn by_recency(&self) -> Vec<usize> {
        let mut slots: Vec<usize> = self.iter().map(|(i, _, _)| i).collect();
        slots.sort_unstable_by_key(|&i| self.entries[i].seen);
        slots
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
        let ids: Vec<u64> = (0..600u64).map(|i| if i % 2 == 0 { i } else { i.wrapping_mul(0x9e37_79b9_7f4a_7c15) }).collect();
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
}
