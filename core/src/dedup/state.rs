//! The saved form of a [`Deduper`]: compact binary, versioned and checksummed.
//!
//! Layout (little-endian): `b"FODD"`, format version `u16`, header length `u32`, a JSON header
//! (configuration, counts, watermark, store geometry), the store payload (exact: `(u64 key,
//! i64 first-seen ms)` per live key; bloom: each generation's bit words), then the XXH3-64 of
//! everything before it. Corrupt, truncated, foreign or newer bytes are `INVALID_STATE`.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::{FleetopsError, Result};

use super::bloom::Generation;
use super::stream::{DedupConfig, DedupCounts, DedupMode, Deduper, Store};

const MAGIC: &[u8; 4] = b"FODD";
/// The format version this build writes and the newest it reads.
pub const STATE_VERSION: u16 = 1;

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
    /// Exact: entries; bloom: `(id, keys)` per generation.
    entries: u64,
    gens: Vec<(i64, u64)>,
}

fn bad(msg: impl Into<String>) -> FleetopsError {
    FleetopsError::InvalidState(format!("de-duplication state: {}", msg.into()))
}

impl Deduper {
    /// The state as bytes (see [`state`](crate::dedup::state) for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let c = &self.config;
        let mut payload = Vec::new();
        let (entries, gens) = match &self.store {
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
                for g in &b.gens {
                    g.bits.iter().for_each(|w| payload.extend_from_slice(&w.to_le_bytes()));
                }
                (0, b.gens.iter().map(|g| (g.id, g.keys)).collect())
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
            gens,
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
        };
        let mut d = Deduper::new(config).map_err(|e| bad(format!("configuration: {e}")))?;
        d.counts = h.counts;
        d.max_ms = h.max_ms;
        let words = |p: &[u8]| p.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect::<Vec<_>>();
        match &mut d.store {
            Store::Exact(s) => {
                if payload.len() as u64 != h.entries * 16 {
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
            Store::Bloom(b) => {
                let per = (b.m / 8) as usize;
                if payload.len() != per * h.gens.len() {
                    return Err(bad("payload length does not match the generations"));
                }
                let mut gens: Vec<Generation> = Vec::new();
                for (&(id, keys), chunk) in h.gens.iter().zip(payload.chunks_exact(per.max(1))) {
                    let mut bits = crate::mem::Zeroed::new(chunk.len() / 8);
                    bits.copy_from_slice(&words(chunk));
                    gens.push(Generation { id, keys, bits });
                }
                b.gens = gens.into_iter().collect::<std::collections::VecDeque<_>>();
            }
        }
        Ok(d)
    }
}
