//! Batch de-duplication of a staging table's key column: keep the first or the last row of
//! each key, optionally the row with the smallest / largest value of an order column (the
//! latest `_loaded_at` wins), always returned in the original row order.
//!
//! Speed comes from hashing each key once into a flat open-addressing table sized for the
//! whole batch (load <= 1/2) and from prefetching the slot of the key [`LOOKAHEAD`] rows ahead,
//! so that many cache misses are in flight at once instead of one.

use crate::error::{FleetopsError, Result};

use super::key::{mix, slot_of};
use crate::mem::{Zeroable, Zeroed};

/// How far ahead slots are prefetched; enough to cover DRAM latency at ~5 ns per key.
const LOOKAHEAD: usize = 16;

/// Which row of a key survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    /// The first row (or, with an order column, the smallest value; ties: the first row).
    #[default]
    First,
    /// The last row (or, with an order column, the largest value; ties: the last row), as
    /// `sort(order, stable).unique(keep="last")` would choose.
    Last,
}

impl Keep {
    /// Parses `"first"` or `"last"`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "first" => Ok(Self::First),
            "last" => Ok(Self::Last),
            other => Err(FleetopsError::InvalidArgument(format!("keep must be 'first' or 'last', not {other:?}"))),
        }
    }

    /// Parses `keep` if given, else the default (`first`).
    pub fn parse_or_default(text: Option<&str>) -> Result<Self> {
        text.map_or(Ok(Self::default()), Self::parse)
    }
}

use crate::mem::prefetch;

/// The keys seen so far; a mixed key of 0 marks an empty slot, so key 0 is tracked aside.
struct SeenSet {
    slots: Zeroed<u64>,
    zero: bool,
}

impl SeenSet {
    fn for_keys(n: usize) -> Self {
        Self { slots: Zeroed::new((2 * n).max(16)), zero: false }
    }

    #[inline(always)]
    fn prefetch(&self, mixed: u64) {
        prefetch(self.slots.as_ptr().wrapping_add(slot_of(mixed, self.slots.len())));
    }

    /// Adds the key; true when it was not there yet.
    #[inline(always)]
    fn insert(&mut self, mixed: u64) -> bool {
        if mixed == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        let len = self.slots.len();
        let mut i = slot_of(mixed, len);
        loop {
            let s = self.slots[i];
            if s == mixed {
                return false;
            }
            if s == 0 {
                self.slots[i] = mixed;
                return true;
            }
            i += 1;
            if i == len {
                i = 0;
            }
        }
    }
}

/// The shape of [`keep_mask`] and [`keep_indices`], for callers that run either.
pub type KeepFn<T> = fn(&[u64], Keep, Option<&[f64]>) -> Result<T>;

/// One mask entry per row: true for the rows that survive.
///
/// ```
/// use fleetops::dedup::{keep_mask, Keep};
/// let package_ids = [7, 3, 7, 9, 3];
/// assert_eq!(keep_mask(&package_ids, Keep::First, None)?, [true, true, false, true, false]);
/// // The latest `_loaded_at` wins.
/// let loaded_at = [10.0, 10.0, 30.0, 10.0, 5.0];
/// assert_eq!(keep_mask(&package_ids, Keep::Last, Some(&loaded_at))?, [false, true, true, true, false]);
/// # Ok::<(), fleetops::FleetopsError>(())
/// ```
pub fn keep_mask(keys: &[u64], keep: Keep, order_by: Option<&[f64]>) -> Result<Vec<bool>> {
    let mut mask = vec![false; keys.len()];
    fill_mask(keys, keep, order_by, &mut mask)?;
    Ok(mask)
}

/// [`keep_mask`] written into `out` as bytes, 1 for a surviving row and 0 for the others: the
/// form a binding hands to Python or Node as it is, with no second buffer or copy. `out` must
/// hold one byte per key; it is left as it was on an error.
pub fn keep_mask_into(keys: &[u64], keep: Keep, order_by: Option<&[f64]>, out: &mut [u8]) -> Result<()> {
    if out.len() != keys.len() {
        return Err(FleetopsError::InvalidArgument(format!(
            "the mask has {} bytes for {} keys",
            out.len(),
            keys.len()
        )));
    }
    fill_mask(keys, keep, order_by, out)
}

fn fill_mask<M: From<bool> + Copy>(keys: &[u64], keep: Keep, order_by: Option<&[f64]>, mask: &mut [M]) -> Result<()> {
    match order_by {
        None => unordered(keys, keep, mask),
        Some(order) => ordered(keys, keep, order, mask)?,
    }
    Ok(())
}

/// The surviving rows' indices, ascending.
pub fn keep_indices(keys: &[u64], keep: Keep, order_by: Option<&[f64]>) -> Result<Vec<u64>> {
    let mask = keep_mask(keys, keep, order_by)?;
    Ok(mask.iter().enumerate().filter(|(_, &m)| m).map(|(i, _)| i as u64).collect())
}

fn unordered<M: From<bool>>(keys: &[u64], keep: Keep, mask: &mut [M]) {
    let n = keys.len();
    let mut seen = SeenSet::for_keys(n);
    // Keep-last is keep-first over the rows in reverse.
    let row = |i: usize| if keep == Keep::First { i } else { n - 1 - i };
    for i in 0..n {
        if i + LOOKAHEAD < n {
            seen.prefetch(mix(keys[row(i + LOOKAHEAD)]));
        }
        let r = row(i);
        mask[r] = M::from(seen.insert(mix(keys[r])));
    }
}

/// Each key's best row so far; `key == 0` marks an empty slot, key 0 is tracked aside.
#[derive(Clone, Copy)]
struct Best {
    key: u64,
    row: u64,
}

// SAFETY: two integers; all-zero is the empty slot.
unsafe impl Zeroable for Best {}

fn ordered<M: From<bool> + Copy>(keys: &[u64], keep: Keep, order: &[f64], mask: &mut [M]) -> Result<()> {
    if order.len() != keys.len() {
        return Err(FleetopsError::InvalidArgument(format!(
            "order_by has {} values for {} keys",
            order.len(),
            keys.len()
        )));
    }
    if let Some(i) = order.iter().position(|v| v.is_nan()) {
        return Err(FleetopsError::InvalidArgument(format!("order_by index {i} is NaN")));
    }
    let better = |new: f64, old: f64| match keep {
        Keep::First => new < old,
        Keep::Last => new >= old,
    };
    let n = keys.len();
    let len = (2 * n).max(16);
    let mut slots = Zeroed::<Best>::new(len);
    let mut zero: Option<usize> = None;
    for i in 0..n {
        if i + LOOKAHEAD < n {
            prefetch(slots.as_ptr().wrapping_add(slot_of(mix(keys[i + LOOKAHEAD]), len)));
        }
        let k = mix(keys[i]);
        if k == 0 {
            match zero {
                Some(b) if !better(order[i], order[b]) => {}
                _ => zero = Some(i),
            }
            continue;
        }
        let mut s = slot_of(k, len);
        loop {
            let slot = &mut slots[s];
            if slot.key == 0 {
                *slot = Best { key: k, row: i as u64 };
                break;
            }
            if slot.key == k {
                if better(order[i], order[slot.row as usize]) {
                    slot.row = i as u64;
                }
                break;
            }
            s += 1;
            if s == len {
                s = 0;
            }
        }
    }
    mask.fill(M::from(false));
    for slot in slots.iter().filter(|s| s.key != 0) {
        mask[slot.row as usize] = M::from(true);
    }
    if let Some(b) = zero {
        mask[b] = M::from(true);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_mask_is_the_bool_mask() {
        let keys: Vec<u64> = (0..5_000u64).map(|i| (i * 7_919) % 1_301).chain([0, 0, 5]).collect();
        let order: Vec<f64> = (0..keys.len()).map(|i| ((i * 31) % 97) as f64).collect();
        for keep in [Keep::First, Keep::Last] {
            for o in [None, Some(order.as_slice())] {
                let mut out = vec![7u8; keys.len()]; // not zeroed: every byte is written
                keep_mask_into(&keys, keep, o, &mut out).unwrap();
                let want: Vec<u8> = keep_mask(&keys, keep, o).unwrap().into_iter().map(u8::from).collect();
                assert_eq!(out, want, "{keep:?} {}", o.is_some());
            }
        }
        let mut short = vec![9u8; 3];
        assert_eq!(keep_mask_into(&keys, Keep::First, None, &mut short).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(short, [9, 9, 9]);
    }

    /// The obvious implementation, for comparison.
    fn reference(keys: &[u64], keep: Keep, order: Option<&[f64]>) -> Vec<bool> {
        let mut best: std::collections::HashMap<u64, usize> = Default::default();
        for (i, k) in keys.iter().enumerate() {
            let o = |j: usize| order.map_or(0.0, |o| o[j]);
            best.entry(*k)
                .and_modify(|b| {
                    let take = match (keep, order.is_some()) {
                        (Keep::First, false) => false,
                        (Keep::Last, false) => true,
                        (Keep::First, true) => o(i) < o(*b),
                        (Keep::Last, true) => o(i) >= o(*b),
                    };
                    if take {
                        *b = i;
                    }
                })
                .or_insert(i);
        }
        let mut mask = vec![false; keys.len()];
        best.values().for_each(|&i| mask[i] = true);
        mask
    }

    #[test]
    fn matches_the_obvious_implementation() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let keys: Vec<u64> = (0..50_000).map(|_| next() % 20_000).chain([0, 0, u64::MAX, 0]).collect();
        let order: Vec<f64> = (0..keys.len()).map(|_| (next() % 7) as f64).collect();
        for keep in [Keep::First, Keep::Last] {
            assert_eq!(keep_mask(&keys, keep, None).unwrap(), reference(&keys, keep, None));
            assert_eq!(keep_mask(&keys, keep, Some(&order)).unwrap(), reference(&keys, keep, Some(&order)));
        }
    }

    #[test]
    fn empty_and_bad_order() {
        assert!(keep_mask(&[], Keep::First, None).unwrap().is_empty());
        assert_eq!(keep_mask(&[1, 2], Keep::Last, Some(&[1.0])).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(keep_mask(&[1], Keep::Last, Some(&[f64::NAN])).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(keep_indices(&[5, 5, 6], Keep::Last, None).unwrap(), [1, 2]);
    }
}
