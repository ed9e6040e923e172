//! A map of per-key state with a cap: when full, the least recently seen key is evicted.
//! Slots live in one vector linked in recency order by index, so a lookup allocates nothing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

/// Keys are already well-mixed 64-bit hashes; hashing them again would only cost time.
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = (k ^ (k >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
}

const NONE: u32 = u32::MAX;

#[derive(Clone, Serialize, Deserialize)]
struct Slot<V> {
    key: u64,
    prev: u32,
    next: u32,
    value: V,
}

/// The map; `head` is the most recently seen key.
#[derive(Clone, Serialize, Deserialize)]
#[serde(bound = "V: Serialize + serde::de::DeserializeOwned")]
pub(crate) struct Lru<V> {
    #[serde(skip)]
    index: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    slots: Vec<Slot<V>>,
    head: u32,
    tail: u32,
    cap: usize,
}

impl<V> Lru<V> {
    pub(crate) fn new(cap: usize) -> Self {
        Self { index: HashMap::default(), slots: Vec::new(), head: NONE, tail: NONE, cap: cap.max(1) }
    }

    /// Rebuilds the index after deserialising, and checks that the saved recency list is one
    /// chain through every slot (bad links would otherwise index out of bounds later).
    pub(crate) fn reindex(&mut self) -> Result<(), String> {
        let n = self.slots.len();
        if n > self.cap {
            return Err(format!("{n} keys over a cap of {}", self.cap));
        }
        self.index = self.slots.iter().enumerate().map(|(i, s)| (s.key, i as u32)).collect();
        if self.index.len() != n {
            return Err("a key appears twice".into());
        }
        let (mut seen, mut at, mut prev) = (0usize, self.head, NONE);
        while at != NONE {
            let s = self.slots.get(at as usize).ok_or("a link points past the keys")?;
            if s.prev != prev || seen >= n {
                return Err("the recency list is broken".into());
            }
            seen += 1;
            prev = at;
            at = s.next;
        }
        if seen != n || self.tail != prev {
            return Err("the recency list does not reach every key".into());
        }
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    fn unlink(&mut self, i: u32) {
        let (p, n) = (self.slots[i as usize].prev, self.slots[i as usize].next);
        if p != NONE {
            self.slots[p as usize].next = n
        } else {
            self.head = n
        }
        if n != NONE {
            self.slots[n as usize].prev = p
        } else {
            self.tail = p
        }
    }

    fn push_front(&mut self, i: u32) {
        self.slots[i as usize].prev = NONE;
        self.slots[i as usize].next = self.head;
        if self.head != NONE {
            self.slots[self.head as usize].prev = i;
        }
        self.head = i;
        if self.tail == NONE {
            self.tail = i;
        }
    }

    /// The state of `key`, marked most recently seen; created with `make` if new, evicting the
    /// least recently seen key (returned) when the cap is reached.
    pub(crate) fn touch(&mut self, key: u64, make: impl FnOnce() -> V) -> (&mut V, Option<(u64, V)>) {
        if let Some(&i) = self.index.get(&key) {
            if self.head != i {
                self.unlink(i);
                self.push_front(i);
            }
            return (&mut self.slots[i as usize].value, None);
        }
        let mut evicted = None;
        let i = if self.slots.len() >= self.cap {
            let i = self.tail;
            self.unlink(i);
            let old =
                std::mem::replace(&mut self.slots[i as usize], Slot { key, prev: NONE, next: NONE, value: make() });
            self.index.remove(&old.key);
            evicted = Some((old.key, old.value));
            i
        } else {
            self.slots.push(Slot { key, prev: NONE, next: NONE, value: make() });
            (self.slots.len() - 1) as u32
        };
        self.index.insert(key, i);
        self.push_front(i);
        (&mut self.slots[i as usize].value, evicted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_seen() {
        let mut l = Lru::new(2);
        *l.touch(1, || 10).0 += 1;
        l.touch(2, || 20);
        l.touch(1, || 0); // 1 is now the most recent
        let (_, evicted) = l.touch(3, || 30);
        assert_eq!(evicted, Some((2, 20)));
        assert_eq!(*l.touch(1, || 0).0, 11);
        assert_eq!(l.len(), 2);
    }
}
