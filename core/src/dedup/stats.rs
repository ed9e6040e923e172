//! What a de-duplicator reports: counts per outcome, live keys, memory, the watermark.

use serde::{Deserialize, Serialize};

use super::config::DedupMode;
use super::stream::Outcome;
use crate::time::Timestamp;

/// How many events got each outcome, and how many keys were evicted by the cap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DedupCounts {
    /// Events seen for the first time.
    pub first: u64,
    /// Duplicates.
    pub duplicate: u64,
    /// Late events.
    pub late: u64,
    /// Events too far in the future.
    pub future: u64,
    /// Keys forgotten before they expired: exact mode past `max_keys`, bloom mode past
    /// `MAX_BLOOM_BYTES`.
    pub evicted: u64,
}

impl DedupCounts {
    pub(super) fn add(&mut self, o: Outcome) {
        let n = match o {
            Outcome::First => &mut self.first,
            Outcome::Duplicate => &mut self.duplicate,
            Outcome::Late => &mut self.late,
            Outcome::Future => &mut self.future,
        };
        *n = n.saturating_add(1);
    }

    /// Adds another engine's counts; they saturate at `u64::MAX` (merging the same partitions
    /// back and forth doubles them each time).
    pub(super) fn merge(&mut self, o: &DedupCounts) {
        self.first = self.first.saturating_add(o.first);
        self.duplicate = self.duplicate.saturating_add(o.duplicate);
        self.late = self.late.saturating_add(o.late);
        self.future = self.future.saturating_add(o.future);
        self.evicted = self.evicted.saturating_add(o.evicted);
    }
}

/// What a `Deduper` holds, for dashboards and tests.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DedupStats {
    /// `exact` or `bloom`.
    pub mode: DedupMode,
    /// Keys held (exact; expired ones until the next rebuild) or inserted in live generations.
    pub live_keys: u64,
    /// Bytes of key storage.
    pub memory_bytes: u64,
    /// Outcome counts.
    pub counts: DedupCounts,
    /// The watermark, if any event was seen.
    #[serde(serialize_with = "crate::wire::iso_opt")]
    #[schemars(with = "Option<String>")]
    pub watermark: Option<Timestamp>,
    /// Bloom mode: the chance that a new key is called a duplicate now.
    pub estimated_fpr: Option<f64>,
}
