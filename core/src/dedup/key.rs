//! Keys: u64 keys are used as they are; text and composite keys are hashed once to 64 bits.
//!
//! The hash of a key made of parts `p1, p2, ...` is XXH3-64 (seed 0) over, for each part, its
//! UTF-8 byte length as a little-endian `u32` followed by its bytes. Integer parts (and floats
//! with an integral value) are written as decimal text, other floats in Rust's shortest
//! round-trip form, so `42`, `42.0` and `"42"` are the same part in every language. A single
//! text key is a key of one part. Anyone can recompute it, e.g. in Python with the `xxhash`
//! package: `xxh3_64(len(b).to_bytes(4, "little") + b)` for `b = "abc".encode()`.
//!
//! Two distinct keys share a hash with probability `2^-64`; among `n` keys the chance of any
//! collision is about `n² / 2^65` ([`collision_probability`]): 2.7 % at 10⁹ keys, 2.7e-6 at
//! 10⁷. A collision makes the second key look like a duplicate of the first.

use std::fmt::Write as _;

use xxhash_rust::xxh3::Xxh3Default;

use crate::columns::keys_from_f64;
use crate::error::{FleetopsError, Result};

/// One part of a composite key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyPart<'a> {
    /// Text, hashed as its UTF-8 bytes.
    Text(&'a str),
    /// An integer, hashed as its decimal text.
    Int(i64),
    /// A finite float; integral values are hashed like the integer.
    Float(f64),
}

/// One key as a binding or a file gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyValue<'a> {
    /// A u64 key, used as is.
    Uint(u64),
    /// An integer; negative ones are refused (keys are u64).
    Int(i128),
    /// A float (a JavaScript number): a whole number in `0 ..= 2^53`, used as is.
    Float(f64),
    /// Text, hashed as a key of one part.
    Text(&'a str),
    /// A composite key, hashed.
    Parts(&'a [KeyPart<'a>]),
}

/// Hashes keys without allocating per key (it reuses one small text buffer for numbers).
#[derive(Debug, Default)]
pub struct KeyHasher {
    digits: String,
}

impl KeyHasher {
    /// A hasher.
    pub fn new() -> Self {
        Self::default()
    }

    /// The 64-bit hash of a key of `parts`. NaN and infinite floats are refused.
    pub fn hash(&mut self, parts: &[KeyPart<'_>]) -> Result<u64> {
        let mut h = Xxh3Default::new();
        for part in parts {
            match *part {
                KeyPart::Text(s) => feed(&mut h, s.as_bytes()),
                KeyPart::Int(i) => {
                    self.digits.clear();
                    write!(self.digits, "{i}").expect("write to String");
                    feed(&mut h, self.digits.as_bytes());
                }
                KeyPart::Float(f) => {
                    if !f.is_finite() {
                        return Err(FleetopsError::InvalidArgument(format!("a key part cannot be {f}")));
                    }
                    self.digits.clear();
                    if f.fract() == 0.0 && f.abs() < 9.2e18 {
                        write!(self.digits, "{}", f as i64).expect("write to String");
                    } else {
                        write!(self.digits, "{f}").expect("write to String");
                    }
                    feed(&mut h, self.digits.as_bytes());
                }
            }
        }
        Ok(h.digest())
    }

    /// The u64 of a key: integers as they are, text and composite keys hashed.
    pub fn key(&mut self, key: KeyValue<'_>) -> Result<u64> {
        match key {
            KeyValue::Uint(k) => Ok(k),
            KeyValue::Int(i) => u64::try_from(i)
                .map_err(|_| FleetopsError::InvalidArgument(format!("key {i} is not in 0 ..= 2^64 - 1"))),
            KeyValue::Float(f) => Ok(keys_from_f64(&[f])?[0]),
            KeyValue::Text(s) => Ok(self.hash_text(s)),
            KeyValue::Parts(parts) => self.hash(parts),
        }
    }

    /// The hash of a single text key (a key of one part).
    pub fn hash_text(&mut self, text: &str) -> u64 {
        let mut h = Xxh3Default::new();
        feed(&mut h, text.as_bytes());
        h.digest()
    }
}

fn feed(h: &mut Xxh3Default, bytes: &[u8]) {
    h.update(&(bytes.len() as u32).to_le_bytes());
    h.update(bytes);
}

/// The 64-bit hash of a key of `parts` (see the module docs for the exact definition).
///
/// ```
/// use fleetops::dedup::{key_hash, KeyPart};
/// let a = key_hash(&[KeyPart::Text("TRK-001"), KeyPart::Int(1_763_798_400)])?;
/// let b = key_hash(&[KeyPart::Text("TRK-001"), KeyPart::Float(1_763_798_400.0)])?;
/// assert_eq!(a, b);
/// # Ok::<(), fleetops::FleetopsError>(())
/// ```
pub fn key_hash(parts: &[KeyPart<'_>]) -> Result<u64> {
    KeyHasher::new().hash(parts)
}

/// The probability that at least two of `n` distinct keys share a `bits`-bit hash, for a
/// uniform hash (birthday bound `1 - exp(-n(n-1) / 2^(bits+1))`).
pub fn collision_probability(n: f64, bits: u32) -> f64 {
    let pairs = n * (n - 1.0) / 2.0;
    -(-pairs / 2f64.powi(bits as i32)).exp_m1()
}

/// A bijective mix of a u64 key (MurmurHash3's finaliser), so that sequential ids spread over
/// a hash table. Distinct keys never collide; 0 maps to 0.
#[inline]
pub(crate) fn mix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// The slot of a mixed key in a table of `len` slots (multiply-high: any `len` works).
#[inline]
pub(crate) fn slot_of(mixed: u64, len: usize) -> usize {
    ((mixed as u128 * len as u128) >> 64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_a_one_part_key() {
        let mut h = KeyHasher::new();
        assert_eq!(h.hash_text("pkg-1"), h.hash(&[KeyPart::Text("pkg-1")]).unwrap());
    }

    #[test]
    fn parts_are_length_prefixed() {
        let ab_c = key_hash(&[KeyPart::Text("ab"), KeyPart::Text("c")]).unwrap();
        let a_bc = key_hash(&[KeyPart::Text("a"), KeyPart::Text("bc")]).unwrap();
        assert_ne!(ab_c, a_bc);
    }

    #[test]
    fn numbers_are_their_decimal_text() {
        let t = key_hash(&[KeyPart::Text("42")]).unwrap();
        assert_eq!(key_hash(&[KeyPart::Int(42)]).unwrap(), t);
        assert_eq!(key_hash(&[KeyPart::Float(42.0)]).unwrap(), t);
        assert_eq!(key_hash(&[KeyPart::Float(0.5)]).unwrap(), key_hash(&[KeyPart::Text("0.5")]).unwrap());
        assert_eq!(key_hash(&[KeyPart::Float(f64::NAN)]).unwrap_err().code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn mix_is_a_bijection_on_samples() {
        let mixed: std::collections::HashSet<u64> = (0..100_000u64).map(mix).collect();
        assert_eq!(mixed.len(), 100_000);
        assert_eq!(mix(0), 0);
    }

    #[test]
    fn float_keys_must_be_exact_whole_numbers() {
        assert_eq!(keys_from_f64(&[0.0, 7.0, 9_007_199_254_740_992.0]).unwrap(), [0, 7, 1 << 53]);
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY, 1e16] {
            assert_eq!(keys_from_f64(&[bad]).unwrap_err().code(), "INVALID_ARGUMENT");
        }
    }

    /// The documented bound, checked on sampled data: the hash truncated to 32 bits collides
    /// as often as the birthday bound predicts, so the full 64 bits behave like a uniform hash.
    #[test]
    fn collisions_follow_the_birthday_bound() {
        let n = 1_000_000u64;
        let mut h = KeyHasher::new();
        let mut low: Vec<u32> =
            (0..n).map(|i| h.hash(&[KeyPart::Text("TRK-"), KeyPart::Int(i as i64)]).unwrap() as u32).collect();
        low.sort_unstable();
        let collisions = low.windows(2).filter(|w| w[0] == w[1]).count() as f64;
        let expected = (n * (n - 1)) as f64 / 2.0 / 2f64.powi(32); // 116.4, sd 10.8
        assert!((collisions - expected).abs() <= 5.0 * expected.sqrt(), "{collisions} vs {expected}");
        // And no 64-bit collision among them.
        let mut full: Vec<u64> = (0..n).map(|i| h.hash(&[KeyPart::Int(i as i64)]).unwrap()).collect();
        full.sort_unstable();
        full.dedup();
        assert_eq!(full.len() as u64, n);
        assert!((collision_probability(1e9, 64) - 0.0267).abs() < 0.001);
        assert!(collision_probability(1e7, 64) < 3e-6);
    }
}
