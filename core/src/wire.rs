//! Serialisation helpers shared by every result type: timestamps as ISO-8601 UTC strings.

use serde::Serializer;

use crate::time::{to_iso, Timestamp};

/// Serialises a timestamp as `2026-11-22T08:00:00Z`.
pub fn iso<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&to_iso(*ts))
}

/// Serialises an optional timestamp as an ISO string or null.
pub fn iso_opt<S: Serializer>(ts: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match ts {
        Some(ts) => s.serialize_str(&to_iso(*ts)),
        None => s.serialize_none(),
    }
}

/// Serialises timestamps as a list of ISO strings.
pub fn iso_vec<S: Serializer>(ts: &[Timestamp], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ts.iter().map(|t| to_iso(*t)))
}

/// A timestamp as an ISO-8601 string both ways (for saved state and config files).
pub mod iso_de {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::time::{parse_timestamp, to_iso, Timestamp};

    /// Writes `2026-11-22T08:00:00Z`.
    pub fn serialize<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_iso(*ts))
    }

    /// Reads an ISO-8601 timestamp with an offset.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        parse_timestamp(&text).map_err(serde::de::Error::custom)
    }
}
