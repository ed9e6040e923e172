//! The saved form of a [`Deduper`]: compact binary, versioned and checksummed.
//!
//! Layout (little-endian): `b"FODD"`, format version `u16`, header length `u32`, a JSON header
//! (configuration, counts, watermark, store geometry), the store payload (exact: `(u64 key,
//! i64 first-seen ms)` per live key; bloom: each slice's bit words, generation by generation),
//! then the XXH3-64 of everything before it. Corrupt, truncated, foreign or newer bytes are
//! `INVALID_STATE`; sizes are checked against the payload before anything is allocated.
//!
//! Versions: 2 saves a bloom generation as a chain of slices (`chains`: id, then keys and bits
//! per slice; the bits must be the configuration's geometry for that slice); 1 (one filter per
//! generation, in `gens`) is still read, its filter becoming the first slice (and saved with
//! that legacy size).

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::{FleetopsError, Result};

use std::collections::VecDeque;

use super::bloom::{geometry, BloomStore, Generation, Shape, MAX_SLICES};
use super::config::{DedupConfig, DedupMode, MAX_GENERATIONS};
use super::stats::DedupCounts;
use super::stream::{Deduper, Store};

const MAGIC: &[u8; 4] = b"FODD";
/// The format version this build writes and the newest it reads.
pub const STATE_VERSION: u16 = 2;

#[derive(Serialize, Deserialize)]
struct Header {
    horizon_ms: i64,
    allowed_lateness_ms: i64,
    max_future_ms: i64,
    max_keys: Option<usize>,
    mode: DedupMode,
    expected_keys: u64,
    fpr: f64,
    counts: DedupCounts,
    max_ms: Option<i64>,
    /// Exact: entries.
    entries: u64,
    /// Version 1 bloom: `(id, keys)` per generation, one filter each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    gens: Vec<(i64, u64)>,
    /// Version 2 bloom: `(id, [(keys, bits)] per slice)` per generation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    chains: Vec<(i64, Vec<(u64, u64)>)>,
}

fn bad(msg: impl Into<String>) -> FleetopsError {
    FleetopsError::InvalidState(format!("de-duplication state: {}", msg.into()))
}

impl Deduper {
    /// The state as bytes (see [`state`](crate::dedup::state) for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let c = &self.config;
        let mut payload = Vec::new();
        let (entries, chains) = match &self.store {
            Store::Exact(s) => {
                let mut n = 0u64;
                for (k, t) in s.entries() {
                    payload.extend_from_slice(&k.to_le_bytes());
                    payload.extend_from_slice(&t.to_le_bytes());
                    n += 1;
                }
                (n, vec![])
            }
            Store::Bloom(b) => {
                for s in b.gens.iter().flat_map(|g| &g.slices) {
                    s.bits.iter().for_each(|w| payload.extend_from_slice(&w.to_le_bytes()));
                }
                (0, b.gens.iter().map(|g| (g.id, g.slices.iter().map(|s| (s.keys, s.m)).collect())).collect())
            }
        };
        let header = Header {
            horizon_ms: c.horizon.num_milliseconds(),
            allowed_lateness_ms: c.allowed_lateness.num_milliseconds(),
            max_future_ms: c.max_future.num_milliseconds(),
            max_keys: c.max_keys,
            mode: c.mode,
            expected_keys: c.expected_keys,
            fpr: c.fpr,
            counts: self.counts,
            max_ms: self.max_ms,
            entries,
            gens: vec![],
            chains,
        };
        let header = serde_json::to_vec(&header).expect("header serialises");
        let mut out = Vec::with_capacity(payload.len() + header.len() + 18);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&STATE_VERSION.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&payload);
        let sum = xxh3_64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Restores a state saved by [`to_bytes`](Self::to_bytes) (in any process).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < 18 || &bytes[..4] != MAGIC {
            return Err(bad("not a fleetops de-duplication state"));
        }
        let version = u16::from_le_bytes([bytes[4], bytes[5]]);
        if version > STATE_VERSION || version == 0 {
            return Err(bad(format!("format version {version}; this build reads up to {STATE_VERSION}")));
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        if xxh3_64(body) != u64::from_le_bytes(sum.try_into().expect("8 bytes")) {
            return Err(bad("checksum mismatch (corrupt or truncated)"));
        }
        let hlen = u32::from_le_bytes(body[6..10].try_into().expect("4 bytes")) as usize;
        let header_bytes = body.get(10..10 + hlen).ok_or_else(|| bad("truncated header"))?;
        let h: Header = serde_json::from_slice(header_bytes).map_err(|e| bad(format!("header: {e}")))?;
        let payload = &body[10 + hlen..];
        let config = DedupConfig {
            horizon: crate::time::delta_from_saved_ms(h.horizon_ms)?,
            allowed_lateness: crate::time::delta_from_saved_ms(h.allowed_lateness_ms)?,
            max_future: crate::time::delta_from_saved_ms(h.max_future_ms)?,
            max_keys: h.max_keys,
            mode: h.mode,
            expected_keys: h.expected_keys,
            fpr: h.fpr,
            // A starting size only; the restored table is sized for what it holds.
            exact_capacity: None,
        };
        let mut d = Deduper::new(config).map_err(|e| bad(format!("configuration: {e}")))?;
        d.counts = h.counts;
        d.max_ms = h.max_ms;
        let words = |p: &[u8]| {
            p.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect::<Vec<_>>()
        };
        match &mut d.store {
            Store::Exact(s) => {
                if h.entries.checked_mul(16) != Some(payload.len() as u64) {
                    return Err(bad("payload length does not match the entry count"));
                }
                let w = words(payload);
                let live: Vec<(u64, i64)> = w.chunks_exact(2).map(|e| (e[0], e[1] as i64)).collect();
                if live.iter().any(|&(_, t)| h.max_ms.is_none_or(|m| t > m) || t < 0) {
                    return Err(bad("an entry is newer than the newest event"));
                }
                if let Some(max) = h.max_ms {
                    s.reload(live, max - h.allowed_lateness_ms - h.horizon_ms, None);
                } else if !live.is_empty() {
                    return Err(bad("entries without a watermark"));
                }
            }
            Store::Bloom(b) => b.reload(restore_bloom(b, &h, version, payload)?),
        }
        Ok(d)
    }
}

/// The generations of a saved bloom store, checked against the configuration's geometry and
/// the payload's length before any filter is allocated.
fn restore_bloom(b: &BloomStore, h: &Header, version: u16, payload: &[u8]) -> Result<VecDeque<Generation>> {
    let legacy = geometry(b.n0, b.p);
    let chains: Vec<(i64, Vec<(u64, u64)>)> = if version == 1 {
        h.gens.iter().map(|&(id, keys)| (id, vec![(keys, legacy.0)])).collect()
    } else {
        h.chains.clone()
    };
    if chains.len() as i64 > MAX_GENERATIONS + 1 || chains.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(bad("generations out of order or too many"));
    }
    // Slice i is the configuration's geometry for i, or for slice 0 the version-1 one.
    let geometry = |i: usize, m: u64| -> Result<Shape> {
        let mut s = b.shape(i);
        if i == 0 && m == legacy.0 && m != s.m {
            (s.m, s.k) = legacy;
        }
        if s.m != m {
            return Err(bad(format!("slice {i} has {m} bits; this configuration makes {}", s.m)));
        }
        Ok(s)
    };
    let mut shapes = Vec::new();
    let mut total: u64 = 0;
    for (_, keys) in &chains {
        if keys.is_empty() || keys.len() > MAX_SLICES {
            return Err(bad("a generation's slice count is out of range"));
        }
        for (i, &(k, m)) in keys.iter().enumerate() {
            let s = geometry(i, m)?;
            total = total.saturating_add(s.m / 8);
            shapes.push((s, k));
        }
    }
    if total != payload.len() as u64 {
        return Err(bad("payload length does not match the generations"));
    }
    if total > b.max_bytes {
        return Err(bad(format!("{total} bytes of filters; at most {}", b.max_bytes)));
    }
    let mut words = payload.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")));
    let mut shapes = shapes.into_iter();
    let mut gens = VecDeque::with_capacity(chains.len());
    for (id, keys) in chains {
        let slices = keys
            .iter()
            .map(|_| {
                let (shape, k) = shapes.next().expect("one shape per slice");
                shape.filled(k, &mut words)
            })
            .collect();
        gens.push_back(Generation { id, slices });
    }
    Ok(gens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    /// A version-1 bloom state (one filter per generation, sized for `expected_keys` at
    /// `fpr / generations`) is still read: its filter becomes the first slice, and it is saved
    /// again as version 2.
    #[test]
    fn version_1_bloom_states_are_read() {
        let mut c = DedupConfig::new(TimeDelta::hours(1));
        c.mode = DedupMode::Bloom;
        c.expected_keys = 1_000;
        let t = 1_763_798_400_000i64;
        let (m, _) = geometry(1_000, 0.01 / 2.0);
        let header = serde_json::json!({
            "horizon_ms": 3_600_000, "allowed_lateness_ms": 0, "max_future_ms": 300_000,
            "max_keys": null, "mode": "bloom", "expected_keys": 1_000, "fpr": 0.01,
            "counts": {"first": 7, "duplicate": 0, "late": 0, "future": 0, "evicted": 0},
            "max_ms": t, "entries": 0, "gens": [[t / 3_600_000, 7]],
        });
        let header = serde_json::to_vec(&header).unwrap();
        let mut v1 = Vec::new();
        v1.extend_from_slice(MAGIC);
        v1.extend_from_slice(&1u16.to_le_bytes());
        v1.extend_from_slice(&(header.len() as u32).to_le_bytes());
        v1.extend_from_slice(&header);
        v1.extend(std::iter::repeat_n(0xffu8, (m / 8) as usize)); // every bit set
        let sum = xxh3_64(&v1);
        v1.extend_from_slice(&sum.to_le_bytes());
        let mut d = Deduper::from_bytes(&v1).unwrap();
        assert_eq!(d.config(), &Deduper::new(c).unwrap().config);
        assert_eq!((d.stats().live_keys, d.memory_bytes() as u64), (7, m / 8));
        assert_eq!(
            d.observe(12345, chrono::DateTime::from_timestamp_millis(t).unwrap(), None).unwrap(),
            super::super::Outcome::Duplicate
        );
        let v2 = d.to_bytes();
        assert_eq!(u16::from_le_bytes([v2[4], v2[5]]), 2);
        let again = Deduper::from_bytes(&v2).unwrap();
        assert_eq!(again.to_bytes(), v2);
        // Under version 2 the header must say each slice's size, and it must be a known one.
        let mut wrong = v1[..v1.len() - 8].to_vec();
        wrong[4] = 2;
        let sum = xxh3_64(&wrong);
        wrong.extend_from_slice(&sum.to_le_bytes());
        assert_eq!(Deduper::from_bytes(&wrong).unwrap_err().code(), "INVALID_STATE");
        let hlen = u32::from_le_bytes(v2[6..10].try_into().unwrap()) as usize;
        let mut h: serde_json::Value = serde_json::from_slice(&v2[10..10 + hlen]).unwrap();
        h["chains"][0][1][0][1] = serde_json::json!(m + 64);
        let h = serde_json::to_vec(&h).unwrap();
        let mut odd = v2[..10].to_vec();
        odd[6..10].copy_from_slice(&(h.len() as u32).to_le_bytes());
        odd.extend_from_slice(&h);
        odd.extend_from_slice(&v2[10 + hlen..v2.len() - 8]);
        odd.extend(std::iter::repeat_n(0u8, 8)); // the payload as long as the header claims
        let sum = xxh3_64(&odd);
        odd.extend_from_slice(&sum.to_le_bytes());
        let err = Deduper::from_bytes(&odd).unwrap_err();
        assert!(err.to_string().contains("bits; this configuration makes"), "{err}");
    }
}
