//! The checklist's alert review: the night's alerts replayed through a storm detector, giving
//! each storm with its suppressed count, fleet-wide storms, flapping keys and what the mutes
//! caught.

use serde::Serialize;

use super::{Histogram, Level};
use crate::error::Result;
use crate::storm::{Alert, Mute, StormConfig, StormCounts, StormDetector, StormEvent};
use crate::time::Timestamp;

/// One key's storm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StormEpisode {
    /// The key.
    pub key: String,
    /// When it started.
    #[serde(serialize_with = "crate::wire::iso")]
    pub started_at: Timestamp,
    /// When it ended (null: still storming at `now`).
    #[serde(serialize_with = "crate::wire::iso_opt")]
    pub ended_at: Option<Timestamp>,
    /// Alerts held back after the start summary.
    pub suppressed: u64,
}

/// A key's flapping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlapEpisode {
    /// The key.
    pub key: String,
    /// When it started flapping.
    #[serde(serialize_with = "crate::wire::iso")]
    pub started_at: Timestamp,
    /// When it stopped (null: its last state changes still count as flapping).
    #[serde(serialize_with = "crate::wire::iso_opt")]
    pub ended_at: Option<Timestamp>,
    /// Percent state change when it started.
    pub percent: f64,
}

/// The storms section.
#[derive(Debug, Clone, Serialize)]
pub struct StormSection {
    /// Error for a fleet-wide storm, warning for a key's storm or flapping.
    pub level: Level,
    /// Totals.
    pub counts: StormCounts,
    /// Per-key storms.
    pub storms: Vec<StormEpisode>,
    /// Fleet-wide storms (the key is `*fleet*`, suppressed counts the folded keys' alerts).
    pub fleet_storms: Vec<StormEpisode>,
    /// Flapping keys.
    pub flapping: Vec<FlapEpisode>,
    /// Alerts caught per mute id.
    pub muted_by: std::collections::BTreeMap<String, u64>,
    /// Alerts per hour, for the timeline.
    pub per_hour: Histogram,
}

/// Replays `alerts` (sorted by time, or the detector counts the stragglers late) through a
/// detector of `config` with `mutes`, then advances it to `now`. `tick` gets alerts done.
pub fn check(
    config: StormConfig,
    mutes: Vec<Mute>,
    alerts: &[Alert<'_>],
    since: Timestamp,
    now: Timestamp,
    tick: &mut dyn FnMut(u64),
) -> Result<StormSection> {
    let mut d = StormDetector::new(config)?;
    d.set_mutes(mutes)?;
    let mut events = Vec::new();
    let mut per_hour = Histogram::new(since, now, 3600);
    for (i, a) in alerts.iter().enumerate() {
        let v = d.observe(a, None);
        events.extend(v.events);
        per_hour.add(a.at.timestamp_millis());
        if i % 4096 == 4095 {
            tick(4096);
        }
    }
    tick((alerts.len() % 4096) as u64);
    events.extend(d.advance(now));
    let mut storms = Vec::new();
    let mut fleet_storms = Vec::new();
    let mut flapping: Vec<FlapEpisode> = Vec::new();
    for e in events {
        match e {
            StormEvent::StormEnded { key, started_at, ended_at, suppressed } => {
                storms.push(StormEpisode { key, started_at, ended_at: Some(ended_at), suppressed })
            }
            StormEvent::FleetStormEnded { started_at, ended_at, suppressed, .. } => fleet_storms.push(StormEpisode {
                key: "*fleet*".into(),
                started_at,
                ended_at: Some(ended_at),
                suppressed,
            }),
            StormEvent::FlapStarted { key, percent, at } => {
                flapping.push(FlapEpisode { key, started_at: at, ended_at: None, percent })
            }
            StormEvent::FlapEnded { key, at, .. } => {
                if let Some(f) = flapping.iter_mut().rev().find(|f| f.key == key && f.ended_at.is_none()) {
                    f.ended_at = Some(at);
                }
            }
            StormEvent::StormStarted { .. } | StormEvent::FleetStormStarted { .. } => {}
        }
    }
    for (key, started_at, suppressed) in d.storming() {
        storms.push(StormEpisode { key, started_at, ended_at: None, suppressed });
    }
    let stats = d.stats();
    let level = if !fleet_storms.is_empty() || stats.fleet_storm {
        Level::Error
    } else if storms.is_empty() && flapping.is_empty() {
        Level::Pass
    } else {
        Level::Warn
    };
    Ok(StormSection { level, counts: stats.counts, storms, fleet_storms, flapping, muted_by: stats.muted_by, per_hour })
}
