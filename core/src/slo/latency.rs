//! Latency SLIs from an HdrHistogram: percentiles (p95, p99, any) and the share of requests
//! under a threshold ("95 % of requests under 500 ms").
//!
//! Latencies are given in milliseconds (fractions allowed) and kept at microsecond resolution.
//! Precision: with the default 3 significant figures, every reported value is within 0.1 % of
//! the true one (HdrHistogram's value equivalence), and `fraction_under` may count values up
//! to 0.1 % above the threshold as under it (those sharing the threshold's equivalence range).
//! Values below 2.048 ms are exact to the microsecond.

use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use hdrhistogram::Histogram;
use serde::Serialize;

use crate::error::{FleetopsError, Result};

/// Magic and version of the saved form: `FOLH` then a version byte, then HdrHistogram V2.
const MAGIC: &[u8; 4] = b"FOLH";
const VERSION: u8 = 1;

/// Default highest trackable latency: one hour.
pub const DEFAULT_MAX_MS: f64 = 3_600_000.0;
/// `x.round() as u64` for a finite `x >= 0`, without the libm call `f64::round` compiles to on
/// baseline x86-64 (no SSE4.1): the cast truncates, and the fraction it dropped is exact for
/// every `x` below 2^53, so comparing it with one half rounds half away from zero exactly as
/// `round` does. From 2^53 on every float is whole and the cast is the value (saturating).
#[inline]
fn round_micros(x: f64) -> u64 {
    if x < 9_007_199_254_740_992.0 {
        // Through i64: one `cvttsd2si`, where a cast to u64 needs a second path for 2^63 and up.
        let whole = x as i64;
        (whole + i64::from(x - whole as f64 >= 0.5)) as u64
    } else {
        x as u64
    }
}

/// A latency a batch may hold, in milliseconds: `f64`, `f32` or an integer type.
pub trait LatencyMs: Copy + std::fmt::Display {
    /// Whether this is a latency: finite and not negative.
    fn is_latency(self) -> bool;
    /// As `f64` milliseconds: exact for every latency a histogram can tell from its maximum
    /// (an integer past 2^53 ms is rounded, and clamped at the maximum either way).
    fn ms(self) -> f64;
}

impl LatencyMs for f64 {
    #[inline(always)]
    fn is_latency(self) -> bool {
        // Also false for NaN: comparisons with it are false.
        (0.0..=f64::MAX).contains(&self)
    }
    #[inline(always)]
    fn ms(self) -> f64 {
        self
    }
}

impl LatencyMs for f32 {
    #[inline(always)]
    fn is_latency(self) -> bool {
        f64::from(self).is_latency()
    }
    #[inline(always)]
    fn ms(self) -> f64 {
        f64::from(self)
    }
}

macro_rules! integer_latency {
    ($($t:ty),*) => {$(
        impl LatencyMs for $t {
            #[inline(always)]
            #[allow(unused_comparisons)] // unsigned types are always latencies
            fn is_latency(self) -> bool {
                self >= 0
            }
            #[inline(always)]
            fn ms(self) -> f64 {
                self as f64
            }
        }
    )*};
}
integer_latency!(u64, i64, u32, i32);

/// Latencies per block of the batched path: converted to counts indices in one pass the
/// compiler vectorises, then counted from L1 cache.
const BLOCK: usize = 1024;
/// 2^52: adding it to a float in [0, 2^52) rounds that float to an integer (half to even).
const TWO_52: f64 = 4_503_599_627_370_496.0;

/// HdrHistogram's bucket layout for a histogram whose lowest value is 1 (every fleetops
/// histogram's: `new` makes it so, `from_bytes` refuses others), so a batch can count into a
/// plain array and add each bucket once, in place of the crate's per-value bookkeeping.
struct Layout {
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
    fn of(hist: &Histogram<u64>) -> Self {
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
    fn index(&self, value: u64) -> usize {
        let bucket = 63 - self.half_magnitude - (value | self.mask).leading_zeros();
        ((u64::from(bucket) << self.half_magnitude) + (value >> bucket)) as usize
    }

    /// The lowest value counted at `index`: the inverse of [`index`](Self::index).
    fn value(&self, index: usize) -> u64 {
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
    fn indices<T: LatencyMs>(&self, block: &[T], out: &mut [u32]) -> (bool, u64) {
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
    fn indices_scalar<T: LatencyMs>(&self, block: &[T], out: &mut [u32]) -> (bool, u64) {
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

/// Default precision: 3 significant figures (0.1 %).
pub const DEFAULT_SIGNIFICANT_FIGURES: u8 = 3;

/// A latency histogram in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyHistogram {
    hist: Histogram<u64>,
    /// Latencies above the highest trackable value, recorded as that value.
    clamped: u64,
}

/// Summary numbers of a histogram (all in ms; null when empty).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LatencySummary {
    /// Recorded latencies.
    pub count: u64,
    /// Latencies recorded at the maximum because they exceeded it.
    pub clamped: u64,
    /// Smallest (within precision).
    pub min_ms: Option<f64>,
    /// Largest (within precision).
    pub max_ms: Option<f64>,
    /// Mean.
    pub mean_ms: Option<f64>,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 95th percentile.
    pub p95_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
    /// 99.9th percentile.
    pub p999_ms: Option<f64>,
}

fn micros(ms: f64) -> Result<u64> {
    if !ms.is_finite() || ms < 0.0 {
        return Err(FleetopsError::InvalidDuration(format!("latency {ms} ms must be a finite number >= 0")));
    }
    Ok((ms * 1_000.0).round() as u64)
}

/// The largest `max_ms` a histogram may track: one day.
pub const MAX_LATENCY_MS: f64 = 86_400_000.0;

/// Checks a saved HdrHistogram V2 header (big-endian: cookie, payload length, normalizing
/// offset, significant figures, lowest and highest trackable value) against what
/// [`LatencyHistogram::new`] can make, before the deserializer allocates anything for it: a
/// crafted header asked it for gigabytes.
fn check_header(rest: &[u8]) -> std::result::Result<(), String> {
    let (figures, low, high) = hist_header(rest)?;
    if !(1..=5).contains(&figures) || low != 1 || !(2..=(MAX_LATENCY_MS * 1_000.0) as u64).contains(&high) {
        return Err(format!("bounds {low}..{high} µs at {figures} significant figures are not a fleetops histogram's"));
    }
    Ok(())
}

/// The `(significant figures, lowest, highest)` of a saved HdrHistogram V2 (as `V2Serializer`
/// writes it), once its payload length is checked against the bytes that follow the header.
pub(crate) fn hist_header(bytes: &[u8]) -> std::result::Result<(u32, u64, u64), String> {
    if bytes.len() < 40 {
        return Err("truncated header".into());
    }
    let u32_at = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
    let u64_at = |i: usize| u64::from_be_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    if u32_at(4) as usize != bytes.len() - 40 {
        return Err(format!("payload length {} does not match the {} bytes saved", u32_at(4), bytes.len() - 40));
    }
    Ok((u32_at(12), u64_at(16), u64_at(24)))
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_MS, DEFAULT_SIGNIFICANT_FIGURES).expect("defaults are valid")
    }
}

impl LatencyHistogram {
    /// A histogram tracking 1 µs up to `max_ms` with `significant_figures` (1 to 5).
    pub fn new(max_ms: f64, significant_figures: u8) -> Result<Self> {
        if max_ms > MAX_LATENCY_MS {
            return Err(FleetopsError::InvalidThreshold(format!(
                "max_ms {max_ms} is above the maximum, {MAX_LATENCY_MS} (a day)"
            )));
        }
        let high = micros(max_ms)?;
        if high < 2 {
            return Err(FleetopsError::InvalidThreshold(format!("max_ms {max_ms} is below 0.002 ms")));
        }
        if !(1..=5).contains(&significant_figures) {
            return Err(FleetopsError::InvalidThreshold(format!(
                "significant_figures {significant_figures} must be 1 to 5"
            )));
        }
        let hist = Histogram::new_with_bounds(1, high, significant_figures)
            .map_err(|e| FleetopsError::InvalidThreshold(format!("histogram bounds: {e:?}")))?;
        Ok(Self { hist, clamped: 0 })
    }

    /// Records one latency in ms.
    pub fn record(&mut self, latency_ms: f64) -> Result<()> {
        let us = micros(latency_ms)?;
        self.record_micros(us);
        Ok(())
    }

    #[inline]
    fn record_micros(&mut self, us: u64) {
        if us > self.hist.high() {
            self.clamped += 1;
        }
        self.hist.saturating_record(us);
    }

    /// Records many latencies in ms. They are all checked first: one NaN or negative value
    /// fails the batch (naming its index) and records nothing.
    pub fn record_batch(&mut self, latencies_ms: &[f64]) -> Result<()> {
        self.record_batch_of(latencies_ms)
    }

    /// [`record_batch`](Self::record_batch) for any [`LatencyMs`] column: float or integer
    /// milliseconds (an integer column is read as it is, never through a float copy).
    pub fn record_batch_of<T: LatencyMs>(&mut self, latencies_ms: &[T]) -> Result<()> {
        let invalid = |i: usize| {
            FleetopsError::InvalidDuration(format!(
                "latency at index {i} is {} ms; latencies must be finite and >= 0",
                latencies_ms[i]
            ))
        };
        let len = self.hist.distinct_values();
        if latencies_ms.len() < len || latencies_ms.len() > u32::MAX as usize {
            // Too few to pay for a pass over every bucket, or too many for u32 counts.
            if let Some(i) = latencies_ms.iter().position(|v| !v.is_latency()) {
                return Err(invalid(i));
            }
            for &ms in latencies_ms {
                self.record_micros(round_micros(ms.ms() * 1_000.0));
            }
            return Ok(());
        }
        let layout = Layout::of(&self.hist);
        let (mut counts, mut block, mut clamped) = (vec![0u32; len], [0u32; BLOCK], 0u64);
        for (b, values) in latencies_ms.chunks(BLOCK).enumerate() {
            let indices = &mut block[..values.len()];
            let (bad, over) = layout.indices(values, indices);
            if bad {
                // Nothing is in the histogram yet: the batch records nothing.
                let i = values.iter().position(|v| !v.is_latency()).expect("a bad value");
                return Err(invalid(b * BLOCK + i));
            }
            clamped += over;
            for &i in indices.iter() {
                counts[i as usize] += 1;
            }
        }
        for (i, &c) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            self.hist.saturating_record_n(layout.value(i), u64::from(c));
        }
        self.clamped += clamped;
        Ok(())
    }

    /// Recorded latencies.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// The latency at percentile `p` (0 to 100), or `None` when empty.
    pub fn percentile(&self, p: f64) -> Result<Option<f64>> {
        if !(0.0..=100.0).contains(&p) {
            return Err(FleetopsError::InvalidThreshold(format!("percentile {p} must be between 0 and 100")));
        }
        Ok((!self.hist.is_empty()).then(|| self.hist.value_at_quantile(p / 100.0) as f64 / 1_000.0))
    }

    /// The share of latencies at or under `threshold_ms`, or `None` when empty.
    pub fn fraction_under(&self, threshold_ms: f64) -> Result<Option<f64>> {
        let t = micros(threshold_ms)?;
        if self.hist.is_empty() {
            return Ok(None);
        }
        let under = self.hist.count_between(0, t.min(self.hist.high()));
        Ok(Some(under as f64 / self.count() as f64))
    }

    /// Count, extremes, mean and the usual percentiles.
    pub fn summary(&self) -> LatencySummary {
        let empty = self.hist.is_empty();
        let ms = |us: u64| (!empty).then_some(us as f64 / 1_000.0);
        let q = |p: f64| ms(self.hist.value_at_quantile(p));
        LatencySummary {
            count: self.count(),
            clamped: self.clamped,
            min_ms: ms(self.hist.min()),
            max_ms: ms(self.hist.max()),
            mean_ms: (!empty).then(|| self.hist.mean() / 1_000.0),
            p50_ms: q(0.50),
            p95_ms: q(0.95),
            p99_ms: q(0.99),
            p999_ms: q(0.999),
        }
    }

    /// Adds another histogram's counts (two API instances, two partitions). Both must have
    /// the same bounds and precision; nothing changes when they do not.
    pub fn merge(&mut self, other: &LatencyHistogram) -> Result<()> {
        let same = self.hist.high() == other.hist.high() && self.hist.sigfig() == other.hist.sigfig();
        if !same {
            return Err(FleetopsError::InvalidArgument(
                "histograms with different max_ms or significant_figures cannot be merged".into(),
            ));
        }
        self.hist.add(&other.hist).map_err(|e| FleetopsError::InvalidArgument(format!("merge: {e:?}")))?;
        self.clamped = self.clamped.saturating_add(other.clamped);
        Ok(())
    }

    /// The saved form: a versioned header, the clamped count, then HdrHistogram's V2 encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.clamped.to_le_bytes());
        V2Serializer::new().serialize(&self.hist, &mut out).expect("serialising to a Vec cannot fail");
        out
    }

    /// Restores a saved histogram; corrupt bytes or another version are `INVALID_STATE`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bad = |m: &str| FleetopsError::InvalidState(format!("latency histogram: {m}"));
        if bytes.len() < 13 || &bytes[..4] != MAGIC {
            return Err(bad("not a fleetops latency histogram"));
        }
        if bytes[4] != VERSION {
            return Err(bad(&format!("saved with format version {}, this build reads version {VERSION}", bytes[4])));
        }
        let clamped = u64::from_le_bytes(bytes[5..13].try_into().expect("8 bytes"));
        let mut rest = &bytes[13..];
        check_header(rest).map_err(|m| bad(&m))?;
        let hist: Histogram<u64> = Deserializer::new().deserialize(&mut rest).map_err(|e| bad(&format!("{e:?}")))?;
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(Self { hist, clamped })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_fs_round_exactly() {
        let edge = [0.0, 0.5, 1.5, 2.5, 0.49999999999999994, 4_503_599_627_370_495.5, 9.007_199_254_740_993e15, 1e300];
        let steps = (0..100_000).map(|i| i as f64 * 0.25 + 1e-9 * (i % 7) as f64);
        for x in edge.into_iter().chain(steps) {
            assert_eq!(round_micros(x), x.round() as u64, "{x}");
        }
    }

    #[test]
    fn a_batch_counts_exactly_as_one_value_at_a_time() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut values: Vec<f64> = (0..50_000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Every bucket boundary region: exact microseconds, fractions, huge and clamped.
                match i % 4 {
                    0 => (x % 4_096) as f64 / 1_000.0,
                    1 => (x % 10_000_000) as f64 / 7.0,
                    2 => (1u64 << (x % 32)) as f64 / 1_000.0,
                    _ => (x % 8_000_000_000) as f64 / 1_000.0,
                }
            })
            .collect();
        values.extend([0.0, 0.0005, 0.001, 2.047, 2.048, 3_600_000.0, 3_600_000.001, 1e12]);
        for figures in 1..=5 {
            let (mut batch, mut one) = (
                LatencyHistogram::new(DEFAULT_MAX_MS, figures).unwrap(),
                LatencyHistogram::new(DEFAULT_MAX_MS, figures).unwrap(),
            );
            assert!(figures > 3 || values.len() >= batch.hist.distinct_values(), "the batched path");
            batch.record_batch(&values).unwrap();
            for &v in &values {
                one.record(v).unwrap();
            }
            assert_eq!(batch, one, "{figures} figures");
            assert_eq!(batch.to_bytes(), one.to_bytes());
            assert_eq!(batch.summary(), one.summary());
        }
    }

    #[test]
    fn integer_columns_are_whole_milliseconds() {
        let (mut ints, mut floats) = (LatencyHistogram::default(), LatencyHistogram::default());
        let ms: Vec<u64> = (0..40_000).map(|i| i * 97 % 5_000_000).collect();
        assert!(Layout::of(&ints.hist).index(3_600_000_000) < ints.hist.distinct_values());
        ints.record_batch_of(&ms).unwrap();
        floats.record_batch(&ms.iter().map(|&v| v as f64).collect::<Vec<_>>()).unwrap();
        assert_eq!(ints, floats);
        assert_eq!(ints.record_batch_of(&[5i64, -1]).unwrap_err().code(), "INVALID_DURATION");
        let mut huge = LatencyHistogram::default();
        assert_eq!(huge.record_batch_of(&[u64::MAX]).map(|_| huge.summary().clamped), Ok(1));
    }

    #[test]
    fn a_crafted_header_is_refused_before_anything_is_allocated() {
        let bytes = LatencyHistogram::default().to_bytes();
        let craft = |at: usize, value: &[u8]| {
            let mut b = bytes.clone();
            b[13 + at..13 + at + value.len()].copy_from_slice(value);
            LatencyHistogram::from_bytes(&b).unwrap_err().code()
        };
        assert_eq!(craft(24, &u64::MAX.to_be_bytes()), "INVALID_STATE", "highest trackable value");
        assert_eq!(craft(12, &60u32.to_be_bytes()), "INVALID_STATE", "significant figures");
        assert_eq!(craft(16, &0u64.to_be_bytes()), "INVALID_STATE", "lowest value");
        assert_eq!(craft(4, &u32::MAX.to_be_bytes()), "INVALID_STATE", "payload length");
        assert_eq!(LatencyHistogram::from_bytes(&bytes[..30]).unwrap_err().code(), "INVALID_STATE");
        assert_eq!(LatencyHistogram::new(MAX_LATENCY_MS * 2.0, 3).unwrap_err().code(), "INVALID_THRESHOLD");
    }

    #[test]
    fn round_trips_and_refuses_corruption() {
        let mut h = LatencyHistogram::default();
        h.record_batch(&[1.0, 2.5, 500.0, 7_200_000.0]).unwrap();
        let bytes = h.to_bytes();
        assert_eq!(LatencyHistogram::from_bytes(&bytes).unwrap(), h);
        let mut wrong_version = bytes.clone();
        wrong_version[4] = 9;
        assert_eq!(LatencyHistogram::from_bytes(&wrong_version).unwrap_err().code(), "INVALID_STATE");
        assert_eq!(LatencyHistogram::from_bytes(&bytes[..20]).unwrap_err().code(), "INVALID_STATE");
        assert_eq!(LatencyHistogram::from_bytes(b"garbage").unwrap_err().code(), "INVALID_STATE");
        assert_eq!(h.summary().clamped, 1);
    }

    #[test]
    fn a_bad_value_records_nothing() {
        let mut h = LatencyHistogram::default();
        h.record(3.0).unwrap();
        let before = h.clone();
        assert_eq!(h.record_batch(&[1.0, f64::NAN]).unwrap_err().code(), "INVALID_DURATION");
        assert_eq!(h.record_batch(&[-1.0]).unwrap_err().code(), "INVALID_DURATION");
        // On the batched path too, in a block after others were counted.
        let mut many = vec![1.5; 100_000];
        for bad in [f64::INFINITY, f64::NAN, -1e300, -0.5] {
            many[70_001] = bad;
            let err = h.record_batch(&many).unwrap_err();
            assert!(err.to_string().contains("index 70001"), "{err}");
        }
        let mut ints = vec![3i64; 100_000];
        ints[99_999] = i64::MIN;
        assert_eq!(h.record_batch_of(&ints).unwrap_err().code(), "INVALID_DURATION");
        assert_eq!(h, before);
    }
}
