//! Checking every value of a column (ids, times) before a batch uses any of them.

/// Values judged per block: the test runs over a whole block without a branch per value (so
/// it vectorizes), and only a block that fails is searched for its first failing value.
const BLOCK: usize = 256;

/// The index of the first value for which `ok` is false.
#[inline]
pub(crate) fn first_failing<T: Copy>(values: &[T], ok: impl Fn(T) -> bool) -> Option<usize> {
    for (b, block) in values.chunks(BLOCK).enumerate() {
        if !block.iter().fold(true, |all, &v| all & ok(v)) {
            return block.iter().position(|&v| !ok(v)).map(|i| b * BLOCK + i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_failing_value_in_any_block() {
        let mut v = vec![1.0f64; 1000];
        assert_eq!(first_failing(&v, |x| x > 0.0), None);
        for at in [0, 255, 256, 999] {
            v[at] = f64::NAN;
            v[999] = f64::NAN;
            assert_eq!(first_failing(&v, |x| x > 0.0), Some(at));
            v[at] = 1.0;
            v[999] = 1.0;
        }
        assert_eq!(first_failing::<f64>(&[], |x| x > 0.0), None);
    }
}
