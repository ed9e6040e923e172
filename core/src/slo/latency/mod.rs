//! Latency SLIs from an HdrHistogram: percentiles (p95, p99, any) and the share of requests
//! under a threshold ("95 % of requests under 500 ms").
//!
//! Latencies are given in milliseconds (fractions allowed) and kept at microsecond resolution.
//! Precision: with the default 3 significant figures, every reported value is within 0.1 % of
//! the true one (HdrHistogram's value equivalence), and `fraction_under` may count values up
//! to 0.1 % above the threshold as under it (those sharing the threshold's equivalence range).
//! Values below 2.048 ms are exact to the microsecond.

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::error::{FleetopsError, Result};

mod layout;
mod saved;

use layout::{Layout, BLOCK};
pub(crate) use saved::hist_header;

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
