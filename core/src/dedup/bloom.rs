//! The probabilistic store: a time-decaying, scalable Bloom filter. Event time is cut into
//! horizon-long spans, one generation each; a key goes into the generation of its event time,
//! a lookup checks every live generation, and a generation is dropped as a whole once every key
//! in it has expired, so old keys age out without deletes.
//!
//! Rate. With `g` live generations (2, plus one per horizon of allowed lateness) each generation
//! may be wrong with probability `p = fpr / g`, so a lookup is wrong with probability at most
//! about `fpr`. A generation holds that rate however many keys arrive: it is a chain of slices
//! (Almeida et al., "Scalable Bloom Filters", 2007). Slice `i` is sized for
//! `expected_keys * 2^i` keys at rate `p / 2^(i+1)`; keys go into the newest slice, and a new
//! one is started when it is full. The slices' rates sum to less than `p`. Cost: about
//! `(-ln(p) + (i+1) ln 2) / ln(2)^2` bits per key in slice `i` (12.5 bits at 1 %, g = 2, in the
//! first), so memory grows with the keys actually seen, never with a guess.
//!
//! Bound. All slices together stay within `max_bytes` ([`MAX_BLOOM_BYTES`](super::MAX_BLOOM_BYTES)):
//! a slice that would pass it first evicts the oldest generations, then, if the growing generation
//! is the only one left, empties it. Evicted keys are counted; they may be reported `first` again.

use std::collections::VecDeque;

use super::key::{mix, slot_of};
use crate::mem::Zeroed;

/// One Bloom filter of a generation's chain.
#[derive(Clone)]
pub(crate) struct Slice {
    /// Bits (a multiple of 64).
    pub m: u64,
    /// Probes per key.
    pub k: u32,
    /// Keys it is sized for; the next slice starts once it holds this many.
    pub capacity: u64,
    /// Keys inserted (duplicates excluded).
    pub keys: u64,
    pub bits: Zeroed<u64>,
}

#[derive(Clone)]
pub(crate) struct Generation {
    /// `floor(event time / span)` of its keys.
    pub id: i64,
    /// Oldest first; never empty.
    pub slices: Vec<Slice>,
}

/// The most slices a generation chains: `expected_keys * (2^40 - 1)` keys, far past any memory.
pub(crate) const MAX_SLICES: usize = 40;

#[derive(Clone)]
pub(crate) struct BloomStore {
    /// Keys the first slice of a generation is sized for.
    pub n0: u64,
    /// The rate each generation holds (`fpr / generations`).
    pub p: f64,
    /// Event time covered by one generation, in ms (the horizon).
    pub span_ms: i64,
    /// Memory the slices may take together.
    pub max_bytes: u64,
    pub gens: VecDeque<Generation>,
    bytes: u64,
}

/// Bits and probes for `n` keys at false-positive rate `p` (the textbook optimum).
pub(crate) fn geometry(n: u64, p: f64) -> (u64, u32) {
    let n = n.max(1) as f64;
    let ln2 = std::f64::consts::LN_2;
    let m = (-n * p.ln() / (ln2 * ln2)).ceil().max(64.0);
    let k = ((m / n) * ln2).round().clamp(1.0, 32.0);
    // `m as u64` saturates for absurd sizes (a deep slice of a huge filter); so does the rounding.
    ((m as u64).div_ceil(64).saturating_mul(64), k as u32)
}

/// Capacity, bits and probes of slice `i` of a chain that starts at `n0` keys and holds `p`.
pub(crate) fn slice_geometry(n0: u64, p: f64, i: usize) -> (u64, u64, u32) {
    let n = n0.saturating_mul(1u64 << i.min(62));
    let (m, k) = geometry(n, p / f64::powi(2.0, i as i32 + 1));
    (n, m, k)
}

/// Bytes of the first slice of every one of `generations` generations sharing the rate `fpr`.
pub(crate) fn initial_bytes(n0: u64, fpr: f64, generations: u32) -> u64 {
    let g = generations.max(1);
    slice_geometry(n0, fpr / f64::from(g), 0).1 / 8 * u64::from(g)
}

/// The two probe seeds of a key (Kirsch-Mitzenmacher double hashing).
#[inline]
fn probes(key: u64) -> (u64, u64) {
    let h1 = mix(key ^ 0x9e37_79b9_7f4a_7c15);
    let h2 = mix(key.rotate_left(32) ^ 0x6a09_e667_f3bc_c909) | 1;
    (h1, h2)
}

/// A slice's geometry, before any memory is taken for it.
pub(crate) struct Shape {
    pub capacity: u64,
    pub m: u64,
    pub k: u32,
}

impl Shape {
    /// The slice with `keys` keys and the next `m / 64` words as its bits.
    pub(crate) fn filled(&self, keys: u64, words: &mut impl Iterator<Item = u64>) -> Slice {
        let mut s = Slice::new(self.capacity, self.m, self.k);
        s.bits.iter_mut().zip(words).for_each(|(b, w)| *b = w);
        s.keys = keys;
        s
    }
}

impl Slice {
    fn new(capacity: u64, m: u64, k: u32) -> Self {
        Self { m, k, capacity, keys: 0, bits: Zeroed::new((m / 64) as usize) }
    }

    fn bytes(&self) -> u64 {
        self.m / 8
    }

    #[inline]
    fn contains(&self, h1: u64, h2: u64) -> bool {
        (0..self.k as u64).all(|i| {
            let bit = slot_of(h1.wrapping_add(i.wrapping_mul(h2)), self.m as usize);
            self.bits[bit / 64] & (1 << (bit % 64)) != 0
        })
    }

    fn insert(&mut self, h1: u64, h2: u64) {
        for i in 0..self.k as u64 {
            let bit = slot_of(h1.wrapping_add(i.wrapping_mul(h2)), self.m as usize);
            self.bits[bit / 64] |= 1 << (bit % 64);
        }
        self.keys += 1;
    }

    /// The chance that a key not in it probes only set bits, from its fill.
    fn estimated_fpr(&self) -> f64 {
        let k = f64::from(self.k);
        (1.0 - (-k * self.keys as f64 / self.m as f64).exp()).powi(self.k as i32)
    }
}

impl Generation {
    fn keys(&self) -> u64 {
        self.slices.iter().fold(0, |n, s| n.saturating_add(s.keys))
    }

    fn bytes(&self) -> u64 {
        self.slices.iter().map(Slice::bytes).sum()
    }
}

impl BloomStore {
    pub(crate) fn new(expected_keys: u64, fpr: f64, generations: u32, span_ms: i64, max_bytes: u64) -> Self {
        let p = fpr / f64::from(generations.max(1));
        Self { n0: expected_keys.max(1), p, span_ms, max_bytes, gens: VecDeque::new(), bytes: 0 }
    }

    /// The geometry of slice `i` of this store's chains.
    pub(crate) fn shape(&self, i: usize) -> Shape {
        let (capacity, m, k) = slice_geometry(self.n0, self.p, i);
        Shape { capacity, m, k }
    }

    /// A fresh slice `i`.
    fn slice(&self, i: usize) -> Slice {
        let s = self.shape(i);
        Slice::new(s.capacity, s.m, s.k)
    }

    /// Whether any live generation may hold the key.
    #[inline]
    pub(crate) fn contains(&self, key: u64) -> bool {
        let (h1, h2) = probes(key);
        self.gens.iter().any(|g| g.slices.iter().any(|s| s.contains(h1, h2)))
    }

    /// Adds the key to the generation of `t`; returns the keys evicted to stay within
    /// `max_bytes`.
    pub(crate) fn insert(&mut self, key: u64, t: i64) -> u64 {
        let id = t.div_euclid(self.span_ms);
        let mut evicted = 0;
        let mut pos = match self.gens.iter().position(|g| g.id >= id) {
            Some(p) if self.gens[p].id == id => p,
            _ => {
                let first = self.slice(0);
                evicted += self.make_room(first.bytes(), self.gens.len()).0;
                let p = self.gens.iter().position(|g| g.id > id).unwrap_or(self.gens.len());
                self.bytes += first.bytes();
                self.gens.insert(p, Generation { id, slices: vec![first] });
                p
            }
        };
        let last = self.gens[pos].slices.last().expect("a generation has a slice");
        if last.keys >= last.capacity && self.gens[pos].slices.len() < MAX_SLICES {
            // Sized first, allocated only once it is known to fit: a slice past the budget is
            // never allocated, and older generations are evicted only when that makes room.
            let need = self.shape(self.gens[pos].slices.len()).m / 8;
            let fits_alone = self.gens[pos].bytes().saturating_add(need) <= self.max_bytes;
            if fits_alone {
                let (freed, shift) = self.make_room(need, pos);
                evicted = evicted.saturating_add(freed);
                pos -= shift;
            }
            if fits_alone && self.bytes.saturating_add(need) <= self.max_bytes {
                let next = self.slice(self.gens[pos].slices.len());
                self.bytes += next.bytes();
                self.gens[pos].slices.push(next);
            } else {
                // The growing generation cannot grow within the budget: start it over.
                let g = &mut self.gens[pos];
                evicted = g.keys().saturating_add(evicted);
                self.bytes -= g.bytes();
                g.slices.clear();
                let first = self.slice(0);
                self.bytes += first.bytes();
                self.gens[pos].slices.push(first);
            }
        }
        let (h1, h2) = probes(key);
        self.gens[pos].slices.last_mut().expect("a generation has a slice").insert(h1, h2);
        evicted
    }

    /// Evicts the oldest generations before `keep` until `need` more bytes fit; returns the keys
    /// evicted and how many generations were removed in front of `keep`.
    fn make_room(&mut self, need: u64, keep: usize) -> (u64, usize) {
        let (mut evicted, mut removed) = (0, 0);
        while self.bytes + need > self.max_bytes && removed < keep {
            let g = self.gens.pop_front().expect("generations before keep");
            self.bytes -= g.bytes();
            evicted = g.keys().saturating_add(evicted);
            removed += 1;
        }
        (evicted, removed)
    }

    /// Drops generations whose keys have all expired at watermark `w`.
    pub(crate) fn expire(&mut self, w: i64, horizon: i64) {
        while self.gens.front().is_some_and(|g| (g.id + 1).saturating_mul(self.span_ms) <= w - horizon) {
            let g = self.gens.pop_front().expect("checked");
            self.bytes -= g.bytes();
        }
    }

    /// Keys inserted into live generations.
    pub(crate) fn keys(&self) -> u64 {
        self.gens.iter().fold(0, |n, g| n.saturating_add(g.keys()))
    }

    /// Slices in live generations.
    #[cfg(test)]
    pub(crate) fn slices(&self) -> usize {
        self.gens.iter().map(|g| g.slices.len()).sum()
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.bytes as usize
    }

    /// Replaces the generations (a restore); their slices are already checked.
    pub(crate) fn reload(&mut self, gens: VecDeque<Generation>) {
        self.bytes = gens.iter().map(Generation::bytes).sum();
        self.gens = gens;
    }

    /// The chance that a new key is reported as a duplicate, from the current fill.
    pub(crate) fn estimated_fpr(&self) -> f64 {
        let miss: f64 = self.gens.iter().flat_map(|g| &g.slices).map(|s| 1.0 - s.estimated_fpr()).product();
        1.0 - miss
    }

    /// ORs the generations of `other` (same configuration) into this one, slice by slice; a
    /// key in either is in the union. Returns the keys evicted to stay within `max_bytes`.
    pub(crate) fn merge(&mut self, other: &BloomStore) -> u64 {
        for g in &other.gens {
            match self.gens.iter_mut().find(|s| s.id == g.id) {
                Some(s) => {
                    for (i, theirs) in g.slices.iter().enumerate() {
                        match s.slices.get_mut(i) {
                            Some(ours) if ours.m == theirs.m && ours.k == theirs.k => {
                                ours.bits.iter_mut().zip(theirs.bits.iter()).for_each(|(a, b)| *a |= b);
                                ours.keys = ours.keys.saturating_add(theirs.keys);
                            }
                            _ => {
                                self.bytes += theirs.bytes();
                                s.slices.push(theirs.clone());
                            }
                        }
                    }
                }
                None => {
                    let p = self.gens.iter().position(|s| s.id > g.id).unwrap_or(self.gens.len());
                    self.bytes += g.bytes();
                    self.gens.insert(p, g.clone());
                }
            }
        }
        self.make_room(0, self.gens.len()).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_is_the_textbook_one() {
        // 1 % for 1M keys: 9.59 bits per key, 7 probes.
        let (m, k) = geometry(1_000_000, 0.01);
        assert!((m as f64 / 1e6 - 9.585).abs() < 0.01, "{m}");
        assert_eq!(k, 7);
        // Slice 2 of a chain at 1 %: 4x the keys at 1/8 %.
        let (n, m2, _) = slice_geometry(1_000_000, 0.01, 2);
        assert_eq!(n, 4_000_000);
        assert_eq!(m2, geometry(4_000_000, 0.00125).0);
    }

    #[test]
    fn absurd_slices_are_sized_without_overflow() {
        let (n, m, _) = slice_geometry(1 << 30, 1e-3, MAX_SLICES - 1);
        assert_eq!(n, u64::MAX);
        assert!(m >= u64::MAX - 64);
    }

    #[test]
    fn generations_age_out() {
        let mut b = BloomStore::new(1000, 0.01, 2, 10, u64::MAX);
        b.insert(1, 5);
        b.insert(2, 15);
        assert!(b.contains(1) && b.contains(2));
        b.expire(19, 10); // generation [0, 10) ends at 10 > 19 - 10 = 9: kept
        assert!(b.contains(1));
        b.expire(20, 10);
        assert!(!b.contains(1) && b.contains(2));
        assert_eq!(b.keys(), 1);
        assert_eq!(b.memory_bytes() as u64, b.slice(0).bytes());
    }

    /// Keys past `expected_keys` start new slices, and the rate holds: 20x the expected keys,
    /// then 100,000 keys never seen are judged, and at most the stated 1 % (plus sampling
    /// noise) are called duplicates.
    #[test]
    fn the_rate_holds_past_expected_keys() {
        let mut b = BloomStore::new(10_000, 0.01, 1, i64::MAX, u64::MAX);
        for key in 0..200_000u64 {
            if !b.contains(mix(key)) {
                b.insert(mix(key), 0);
            }
        }
        assert_eq!(b.slices(), 5, "10k + 20k + 40k + 80k + 160k keys of capacity");
        let false_dups = (1_000_000..1_100_000u64).filter(|&k| b.contains(mix(k))).count();
        assert!(false_dups < 1_100, "{false_dups} of 100,000 new keys called duplicates");
        let est = b.estimated_fpr();
        assert!(est < 0.01, "{est}");
        // Without slices (one filter at 10k keys) 200k keys would fill it: nearly all wrong.
        let mut single = Slice::new(10_000, geometry(10_000, 0.01).0, geometry(10_000, 0.01).1);
        (0..200_000u64).for_each(|k| single.insert(probes(mix(k)).0, probes(mix(k)).1));
        assert!(single.estimated_fpr() > 0.9);
    }

    #[test]
    fn memory_stays_within_max_bytes_by_evicting_the_oldest() {
        let one = slice_geometry(1_000, 0.01, 0).1 / 8;
        let two = slice_geometry(1_000, 0.01, 1).1 / 8;
        let budget = one + two + one;
        let mut b = BloomStore::new(1_000, 0.01, 1, 10, budget);
        let mut evicted = 0;
        // Generation 0 grows to slices 0 and 1, then generation 1 takes its first slice.
        for key in 0..2_000u64 {
            evicted += b.insert(mix(key), 5);
        }
        assert_eq!((b.slices(), evicted), (2, 0));
        for key in 0..1_000u64 {
            evicted += b.insert(mix(key + 10_000), 15);
        }
        assert_eq!(evicted, 0, "three slices fit exactly");
        assert_eq!(b.memory_bytes() as u64, budget);
        evicted += b.insert(mix(99_999), 15); // generation 1's second slice: generation 0 goes
        assert_eq!(evicted, 2_000);
        assert_eq!(b.memory_bytes() as u64, one + two);
        assert_eq!(b.keys(), 1_001);
        // Alone and full: the generation starts over, its keys counted.
        let mut alone = BloomStore::new(1_000, 0.01, 1, 10, one);
        let evicted: u64 = (0..1_001u64).map(|k| alone.insert(mix(k), 5)).sum();
        assert_eq!((evicted, alone.keys(), alone.slices()), (1_000, 1, 1));
        // A slice that could never fit does not evict the other generations for nothing.
        let mut two = BloomStore::new(1_000, 0.01, 1, 10, one * 2);
        (0..1_000u64).for_each(|k| assert_eq!(two.insert(mix(k), 5), 0));
        (0..1_000u64).for_each(|k| assert_eq!(two.insert(mix(k + 5_000), 15), 0));
        assert_eq!(two.insert(mix(9_999), 15), 1_000, "generation 1 starts over");
        assert!(two.contains(mix(0)), "generation 0 kept");
        assert_eq!(two.memory_bytes() as u64, one * 2);
    }
}
