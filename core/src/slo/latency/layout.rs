//! The batched path's view of HdrHistogram's buckets: latencies turned into counts indices in
//! one pass the compiler vectorises, then counted from L1 cache and added once per bucket.

use hdrhistogram::Histogram;

use super::LatencyMs;

/// Latencies per block of the batched path: converted to counts indices in one pass the
/// compiler vectorises, then counted from L1 cache.
pub(super) const BLOCK: usize = 1024;
/// 2^52: adding it to a float in [0, 2^52) rounds that float to an integer (half to even).
const TWO_52: f64 = 4_503_599_627_370_496.0;

/// HdrHistogram's bucket layout for a histogram whose lowest value is 1 (every fleetops
/// histogram's: `new` makes it so, `from_bytes` refuses others), so a batch can count into a
/// plain array and add each bucket once, in place of the crate's per-value bookkeeping.
pub(super) struct Layout {
    /// log2 of half a bucket's sub-buckets.
    half_magnitude: u32,
    /// Sub-buckets of bucket 0, less one: it maps small values to bucket 0.
    mask: u64,
    /// The highest trackable value, µs.
    high: u64,
    /// The highest value the counts array holds (the end of `high`'s bucket), µs.
    top: u64,
}

impl Layout {
    pub(super) fn of(hist: &Histogram<u64>) -> Self {
        debug_assert_eq!(hist.low(), 1);
        // The crate's: unit resolution up to 2 * 10^figures, rounded up to a power of two.
        let magnitude = (2.0 * 10f64.powi(i32::from(hist.sigfig()))).log2().ceil() as u32;
        let mut layout = Self { half_magnitude: magnitude - 1, mask: (1 << magnitude) - 1, high: hist.high(), top: 0 };
        layout.top = hist.highest_equivalent(layout.value(hist.distinct_values() - 1));
        layout
    }

    /// The counts index of `value` µs (the crate's `index_for`, for a lowest value of 1): what
    /// [`indices`](Self::indices) computes in floats, kept for the tests to check it by.
    #[cfg(test)]
    pub(super) fn index(&self, value: u64) -> usize {
        let bucket = 63 - self.half_magnitude - (value | self.mask).leading_zeros();
        ((u64::from(bucket) << self.half_magnitude) + (value >> bucket)) as usize
    }

    /// The lowest value counted at `index`: the inverse of [`index`](Self::index).
    pub(super) fn value(&self, index: usize) -> u64 {
        let half = 1u64 << self.half_magnitude;
        let (index, bucket) = (index as u64, (index as u64 >> self.half_magnitude) as i64 - 1);
        if bucket < 0 {
            index
        } else {
            ((index & (half - 1)) + half) << bucket
        }
    }

    /// The counts index of each latency in `block` (as `index(ms * 1000, rounded)`), in float
    /// arithmetic that vectorises: returns whether any was not a latency and how many exceed
    /// `high`. Uses AVX2 where the CPU has it (4 lanes in place of 2).
    pub(super) fn indices<T: LatencyMs>(&self, block: &[T], out: &mut [u32]) -> (bool, u64) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked on the line above.
            return unsafe { self.indices_avx2(block, out) };
        }
        self.indices_scalar(block, out)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn indices_avx2<T: LatencyMs>(&self, block: &[T], out: &mut [u32]) -> (bool, u64) {
        self.indices_scalar(block, out)
    }

    #[inline(always)]
    pub(super) fn indices_scalar<T: LatencyMs>(&self, block: &[T], out: &mut [u32]) -> (bool, u64) {
        let (mask, high, top) = (self.mask as f64, self.high as f64, self.top as f64);
        let (mut bad, mut over) = (0u64, 0u64);
        for (slot, &v) in out.iter_mut().zip(block) {
            bad |= u64::from(!v.is_latency());
            // Whole µs, half away from zero as `round_micros` (2^52 rounds half to even; a tie
            // it rounded down goes up); capped at 2^51, past any `high`. A value that is not
            // a latency (it fails the block) is taken as 0 meanwhile, to keep the sums in range.
            #[allow(clippy::manual_clamp)] // `clamp` keeps NaN; `max` makes it 0
            let us = (v.ms() * 1_000.0).max(0.0).min(TWO_52 / 2.0);
            let sum = us + TWO_52;
            let even = sum - TWO_52;
            let tie = us - even == 0.5;
            let rounded = even + if tie { 1.0 } else { 0.0 };
            over += u64::from(rounded > high);
            // As the crate's `saturating_record`: past `high`, a value still in the last
            // bucket's range is counted where it falls, one past the array at `high`.
            let (rounded, whole) = if rounded > top {
                (high, self.high)
            } else {
                (rounded, (sum.to_bits() - TWO_52.to_bits()) + u64::from(tie))
            };
            // The bucket is the float's exponent above bucket 0's (the crate's leading zeros).
            let bucket = (rounded.max(mask).to_bits() >> 52) - 1023 - u64::from(self.half_magnitude);
            *slot = ((bucket << self.half_magnitude) + (whole >> bucket)) as u32;
        }
        (bad != 0, over)
    }
}
