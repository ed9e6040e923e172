//! Checks of numeric key columns that batch calls read in place (numpy arrays, typed arrays),
//! shared by de-duplication and storms: float keys must be whole numbers where floats are
//! exact, int64 keys must be non-negative.

use crate::error::{FleetopsError, Result};

/// Checks float keys (JavaScript numbers, float64 columns): each must be a whole number in
/// `0 ..= 2^53`, where floats are exact.
pub fn keys_from_f64(keys: &[f64]) -> Result<Vec<u64>> {
    check_f64_keys(keys)?;
    Ok(keys.iter().map(|&k| k as u64).collect())
}

/// Checks float keys as [`keys_from_f64`] does, without copying them: each is then read with
/// `k as u64`.
pub(crate) fn check_f64_keys(keys: &[f64]) -> Result<()> {
    // Below 2^52, adding and taking back 2^52 rounds to a whole number, so it leaves only
    // whole numbers unchanged; from 2^52 on every double is whole. NaN fails the range test.
    // No conversion to an integer, so the check vectorizes on baseline x86-64.
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let whole = |k: f64| (0.0..=2.0 * TWO_52).contains(&k) & (((k + TWO_52) - TWO_52 == k) | (k >= TWO_52));
    match crate::scan::first_failing(keys, whole) {
        Some(i) => Err(FleetopsError::InvalidArgument(format!(
            "key {} is not a whole number in 0 ..= 2^53 (use uint64 / BigInt keys, or text)",
            keys[i]
        ))
        .at(format!("index {i}"))),
        None => Ok(()),
    }
}

/// Checks int64 keys (pandas id columns, BigInt64Array): each must be non-negative; the same
/// memory is then read as u64 keys, without a copy.
pub fn keys_from_i64(keys: &[i64]) -> Result<&[u64]> {
    if let Some(i) = keys.iter().position(|&k| k < 0) {
        return Err(FleetopsError::InvalidArgument(format!("key {} is negative; keys are u64", keys[i]))
            .at(format!("index {i}")));
    }
    // SAFETY: i64 and u64 have the same size and alignment, and every value is non-negative.
    Ok(unsafe { std::slice::from_raw_parts(keys.as_ptr().cast::<u64>(), keys.len()) })
}
