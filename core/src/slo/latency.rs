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
        if let Some(i) = latencies_ms.iter().position(|v| !v.is_finite() || *v < 0.0) {
            return Err(FleetopsError::InvalidDuration(format!(
                "latency at index {i} is {} ms; latencies must be finite and >= 0",
                latencies_ms[i]
            )));
        }
        for &ms in latencies_ms {
            self.record_micros(round_micros(ms * 1_000.0));
        }
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
        assert_eq!(h, before);
    }
}
