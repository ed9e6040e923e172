//! Columns a storm batch reads in place (numpy arrays, typed arrays): numeric keys and times.

use crate::time::EpochUnit;

/// Numeric alert keys a batch reads in place.
#[derive(Debug, Clone, Copy)]
pub enum Ids<'a> {
    /// Unsigned ids.
    U64(&'a [u64]),
    /// Whole numbers up to 2^53 as floats (JavaScript numbers), checked first.
    F64(&'a [f64]),
}

impl<'a> From<&'a [u64]> for Ids<'a> {
    fn from(ids: &'a [u64]) -> Self {
        Ids::U64(ids)
    }
}

/// Alert times a batch reads in place.
#[derive(Debug, Clone, Copy)]
pub enum Times<'a> {
    /// Epoch milliseconds.
    Millis(&'a [i64]),
    /// Float epoch times in a unit (Python's seconds, JavaScript's milliseconds).
    Epoch(&'a [f64], EpochUnit),
}

impl Times<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Times::Millis(t) => t.len(),
            Times::Epoch(t, _) => t.len(),
        }
    }
}

impl<'a> From<&'a [i64]> for Times<'a> {
    fn from(ms: &'a [i64]) -> Self {
        Times::Millis(ms)
    }
}
