//! The checklist's duplicate check: events replayed in arrival order through a streaming
//! de-duplicator, counting duplicates (a replay, a repeated load) and late events, with the
//! event-time hours the duplicates fall in so a replayed hour shows as one block.

use serde::Serialize;

use super::Level;
use crate::dedup::{DedupConfig, DedupCounts, Deduper, Outcome};
use crate::error::Result;
use crate::time::Timestamp;

/// Events per batch call (and per progress tick).
const CHUNK: usize = 1 << 16;

/// An event-time hour holding duplicates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateHour {
    /// The hour's start.
    #[serde(serialize_with = "crate::wire::iso")]
    pub hour: Timestamp,
    /// Duplicates with an event time in it.
    pub duplicates: u64,
}

/// The duplicates section.
#[derive(Debug, Clone, Serialize)]
pub struct DedupSection {
    /// Warning when anything was a duplicate, late or from the future.
    pub level: Level,
    /// Events per outcome.
    pub counts: DedupCounts,
    /// Event-time hours with duplicates, in time order.
    pub duplicate_hours: Vec<DuplicateHour>,
}

/// The report's default: keys remembered 24 h, events up to 2 h behind the newest accepted
/// (a restart that replays the last hour is then caught as duplicates, not waved through as
/// late).
pub fn default_config() -> DedupConfig {
    let mut c = DedupConfig::new(chrono::TimeDelta::hours(24));
    c.allowed_lateness = chrono::TimeDelta::hours(2);
    c
}

/// Judges events (key hashes and event times in ms, in arrival order) with `config`.
pub fn check(config: DedupConfig, keys: &[u64], at_ms: &[i64], tick: &mut dyn FnMut(u64)) -> Result<DedupSection> {
    let mut d = Deduper::new(config)?;
    let mut hours: std::collections::BTreeMap<i64, u64> = Default::default();
    for start in (0..keys.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(keys.len());
        let outcomes = d.observe_batch(&keys[start..end], &at_ms[start..end], None)?;
        for (o, at) in outcomes.iter().zip(&at_ms[start..end]) {
            if *o == Outcome::Duplicate.code() {
                *hours.entry(at.div_euclid(3_600_000)).or_default() += 1;
            }
        }
        tick((end - start) as u64);
    }
    let counts = d.counts();
    let level = if counts.duplicate + counts.late + counts.future > 0 { Level::Warn } else { Level::Pass };
    let duplicate_hours = hours
        .into_iter()
        .map(|(h, duplicates)| DuplicateHour {
            hour: Timestamp::from_timestamp_millis(h * 3_600_000).expect("an event's hour is a valid instant"),
            duplicates,
        })
        .collect();
    Ok(DedupSection { level, counts, duplicate_hours })
}
