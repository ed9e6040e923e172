//! The saved form of a latency histogram: a versioned header, the clamped count, then
//! HdrHistogram's V2 encoding, whose header is checked before anything is allocated for it.

use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use hdrhistogram::Histogram;

use super::{LatencyHistogram, MAX_LATENCY_MS};
use crate::error::{FleetopsError, Result};

/// Magic and version of the saved form: `FOLH` then a version byte, then HdrHistogram V2.
const MAGIC: &[u8; 4] = b"FOLH";
const VERSION: u8 = 1;

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

impl LatencyHistogram {
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
