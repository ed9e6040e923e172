//! The probabilistic store: a time-decaying Bloom filter made of generations, one per
//! horizon-long span of event time. A key goes into the generation of its event time; a lookup
//! checks every live generation; a generation is dropped as a whole once every key in it has
//! expired, so old keys age out without deletes.
//!
//! With `g` live generations (2, plus one per horizon of allowed lateness) each generation is
//! sized for `expected_keys` at a false-positive rate of `fpr / g`, so a lookup against full
//! generations is wrong with probability about `fpr`. Cost: `-ln(fpr/g) / ln(2)^2` bits per
//! key per generation (about 11 bits, 1.4 bytes, at 1 % and g = 2). A false positive reports a
//! new key as a duplicate; keys are remembered for at least their horizon and at most one span
//! longer.

use std::collections::VecDeque;

use super::key::{mix, slot_of};
use crate::mem::Zeroed;

#[derive(Clone)]
pub(crate) struct Generation {
    /// `floor(event time / span)` of its keys.
    pub id: i64,
    /// Keys inserted (duplicates excluded).
    pub keys: u64,
    pub bits: Zeroed<u64>,
}

#[derive(Clone)]
pub(crate) struct BloomStore {
    /// Bits per generation.
    pub m: u64,
    /// Probes per key.
    pub k: u32,
    /// Event time covered by one generation, in ms (the horizon).
    pub span_ms: i64,
    pub gens: VecDeque<Generation>,
}

/// Bits and probes for `n` keys at false-positive rate `p` (the textbook optimum).
pub(crate) fn geometry(n: u64, p: f64) -> (u64, u32) {
    let n = n.max(1) as f64;
    let ln2 = std::f64::consts::LN_2;
    let m = (-n * p.ln() / (ln2 * ln2)).ceil().max(64.0);
    let k = ((m / n) * ln2).round().clamp(1.0, 32.0);
    (((m as u64) + 63) / 64 * 64, k as u32)
}

/// Bytes of one generation's bit array for `n` keys when `generations` share the rate `p`.
pub(crate) fn generation_bytes(n: u64, p: f64, generations: u32) -> u64 {
    geometry(n, p / f64::from(generations.max(1))).0 / 8
}

/// The two probe seeds of a key (Kirsch-Mitzenmacher double hashing).
#[inline]
fn probes(key: u64) -> (u64, u64) {
    let h1 = mix(key ^ 0x9e37_79b9_7f4a_7c15);
    let h2 = mix(key.rotate_left(32) ^ 0x6a09_e667_f3bc_c909) | 1;
    (h1, h2)
}

impl Generation {
    fn contains(&self, m: u64, k: u32, key: u64) -> bool {
        let (h1, h2) = probes(key);
        (0..k as u64).all(|i| {
            let bit = slot_of(h1.wrapping_add(i.wrapping_mul(h2)), m as usize);
            self.bits[bit / 64] & (1 << (bit % 64)) != 0
        })
    }

    fn insert(&mut self, m: u64, k: u32, key: u64) {
        let (h1, h2) = probes(key);
        for i in 0..k as u64 {
            let bit = slot_of(h1.wrapping_add(i.wrapping_mul(h2)), m as usize);
            self.bits[bit / 64] |= 1 << (bit % 64);
        }
        self.keys += 1;
    }
}

impl BloomStore {
    pub(crate) fn new(expected_keys: u64, fpr: f64, generations: u32, span_ms: i64) -> Self {
        debug_assert!(generation_bytes(expected_keys, fpr, generations) > 0);
        let (m, k) = geometry(expected_keys, fpr / generations as f64);
        Self { m, k, span_ms, gens: VecDeque::new() }
    }

    /// Whether any live generation may hold the key.
    #[inline]
    pub(crate) fn contains(&self, key: u64) -> bool {
        self.gens.iter().any(|g| g.contains(self.m, self.k, key))
    }

    /// Adds the key to the generation of `t`.
    pub(crate) fn insert(&mut self, key: u64, t: i64) {
        let id = t.div_euclid(self.span_ms);
        let pos = match self.gens.iter().position(|g| g.id >= id) {
            Some(p) if self.gens[p].id == id => p,
            found => {
                let p = found.unwrap_or(self.gens.len());
                let words = (self.m / 64) as usize;
                self.gens.insert(p, Generation { id, keys: 0, bits: Zeroed::new(words) });
                p
            }
        };
        let (m, k) = (self.m, self.k);
        self.gens[pos].insert(m, k, key);
    }

    /// Drops generations whose keys have all expired at watermark `w`.
    pub(crate) fn expire(&mut self, w: i64, horizon: i64) {
        while self.gens.front().is_some_and(|g| (g.id + 1).saturating_mul(self.span_ms) <= w - horizon) {
            self.gens.pop_front();
        }
    }

    /// Keys inserted into live generations.
    pub(crate) fn keys(&self) -> u64 {
        self.gens.iter().map(|g| g.keys).sum()
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.gens.len() * (self.m / 8) as usize
    }

    /// The chance that a new key is reported as a duplicate, from the current fill.
    pub(crate) fn estimated_fpr(&self) -> f64 {
        let miss: f64 = self
            .gens
            .iter()
            .map(|g| 1.0 - (1.0 - (-(self.k as f64) * g.keys as f64 / self.m as f64).exp()).powi(self.k as i32))
            .product();
        1.0 - miss
    }

    /// ORs the generations of `other` (same geometry) into this one.
    pub(crate) fn merge(&mut self, other: &BloomStore) {
        for g in &other.gens {
            match self.gens.iter_mut().find(|s| s.id == g.id) {
                Some(s) => {
                    s.bits.iter_mut().zip(g.bits.iter()).for_each(|(a, b)| *a |= b);
                    s.keys += g.keys;
                }
                None => {
                    let p = self.gens.iter().position(|s| s.id > g.id).unwrap_or(self.gens.len());
                    self.gens.insert(p, g.clone());
                }
            }
        }
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
    }

    #[test]
    fn generations_age_out() {
        let mut b = BloomStore::new(1000, 0.01, 2, 10);
        b.insert(1, 5);
        b.insert(2, 15);
        assert!(b.contains(1) && b.contains(2));
        b.expire(19, 10); // generation [0, 10) ends at 10 > 19 - 10 = 9: kept
        assert!(b.contains(1));
        b.expire(20, 10);
        assert!(!b.contains(1) && b.contains(2));
        assert_eq!(b.keys(), 1);
    }
}
