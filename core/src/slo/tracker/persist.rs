//! The saved form of a tracker, through `crate::snapshot`.

use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use serde::{Deserialize, Serialize};

use chrono::Datelike;
use hdrhistogram::Histogram;

use super::buckets::{Bucket, HistRing, HIST_FIGURES, HIST_MAX_US};
use super::config::TrackerSpec;
use super::status::Dropped;
use super::SloTracker;
use crate::error::{FleetopsError, Result};

impl SloTracker {
    /// The saved form: versioned JSON carrying the configuration, the non-empty buckets and
    /// the histograms (HdrHistogram V2 encoding).
    pub fn to_bytes(&self) -> Vec<u8> {
        let hists = |r: &HistRing| -> Vec<(i64, Vec<u8>)> {
            r.slots
                .iter()
                .flatten()
                .map(|(slot, h)| {
                    let mut bytes = Vec::new();
                    V2Serializer::new().serialize(h.as_ref(), &mut bytes).expect("to a Vec");
                    (*slot, bytes)
                })
                .collect()
        };
        let state = SavedState {
            config: TrackerSpec::from_config(&self.config),
            watermark: self.watermark,
            recorded: self.recorded,
            dropped: self.dropped,
            buckets: self.buckets.allocated().filter(|b| b.slot != i64::MIN).copied().collect(),
            recent: hists(&self.recent),
            hourly: hists(&self.hourly),
            corrections: self.corrections.clone(),
            announced: self.announced.specs().to_vec(),
            totals: self.totals,
        };
        crate::snapshot::save(SNAPSHOT_FORMAT, &state)
    }

    /// Restores a saved tracker; corrupt bytes or another format version are `INVALID_STATE`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bad = |m: String| FleetopsError::InvalidState(format!("SLO tracker: {m}"));
        // Version 1 (the state's fields beside the header, no checksum) is refused with the
        // envelope's other versions: a state that only claims to be old would escape the check.
        let snap: SavedState = crate::snapshot::load(SNAPSHOT_FORMAT, bytes)?;
        let config = snap.config.build().map_err(|e| bad(format!("configuration: {e}")))?;
        let mut t = SloTracker::new(config).map_err(|e| bad(format!("configuration: {e}")))?;
        let len = t.buckets.len() as i64;
        // The watermark is epoch microseconds (past 2^53 after year 2255), checked as a time.
        let time_ok =
            snap.watermark.is_none_or(|w| chrono::DateTime::from_timestamp_micros(w).is_some_and(|t| t.year() <= 9999));
        if !time_ok || !crate::snapshot::numbers_are_sane(&(snap.recorded, snap.dropped)) {
            return Err(bad("a saved count or time is out of range".into()));
        }
        for b in &snap.buckets {
            // Every count a bucket holds is a part of its total (a crafted `bad > total`
            // underflowed when the windows were summed).
            if b.bad > b.total || b.timed > b.total || b.under.iter().any(|&u| u > b.timed) || b.slot == i64::MIN {
                return Err(bad(format!("bucket {} has impossible counts", b.slot)));
            }
        }
        for b in snap.buckets {
            *t.buckets.get_mut(b.slot.rem_euclid(len) as usize) = b;
        }
        for (ring, saved) in [(&mut t.recent, snap.recent), (&mut t.hourly, snap.hourly)] {
            let n = ring.slots.len() as i64;
            for (slot, bytes) in saved {
                // Exactly the bounds this tracker's histograms have, checked before allocating.
                let bounds = crate::slo::latency::hist_header(&bytes).map_err(|e| bad(format!("histogram: {e}")))?;
                if bounds != (u32::from(HIST_FIGURES), 1, HIST_MAX_US) {
                    return Err(bad(format!("histogram bounds {bounds:?} are not a tracker's")));
                }
                let h: Histogram<u32> = Deserializer::new()
                    .deserialize(&mut bytes.as_slice())
                    .map_err(|e| bad(format!("histogram: {e:?}")))?;
                ring.put(slot.rem_euclid(n) as usize, (slot, Box::new(h)));
            }
        }
        if snap.corrections.len() > super::MAX_CORRECTIONS {
            return Err(bad(format!("more than {} corrections", super::MAX_CORRECTIONS)));
        }
        for c in &snap.corrections {
            c.check(None).map_err(|e| bad(format!("correction: {e}")))?;
        }
        let totals = &snap.totals;
        if totals.bad > totals.total || totals.timed > totals.total || totals.under.iter().any(|&u| u > totals.timed) {
            return Err(bad("impossible event totals".into()));
        }
        t.totals = snap.totals;
        if snap.announced.len() > super::MAX_ANNOUNCED {
            return Err(bad(format!("more than {} announced maintenance windows", super::MAX_ANNOUNCED)));
        }
        t.announced =
            super::exclusions::announced_of(snap.announced).map_err(|e| bad(format!("announced maintenance: {e}")))?;
        t.corrections = snap.corrections;
        t.corrections.sort_by_key(|c| (c.start, c.end));
        t.watermark = snap.watermark;
        t.recorded = snap.recorded;
        t.dropped = snap.dropped;
        Ok(t)
    }
}

const SNAPSHOT_FORMAT: &str = "fleetops.slo_tracker";

#[derive(Serialize, Deserialize)]
struct SavedState {
    config: TrackerSpec,
    watermark: Option<i64>,
    recorded: u64,
    dropped: Dropped,
    buckets: Vec<Bucket>,
    recent: Vec<(i64, Vec<u8>)>,
    hourly: Vec<(i64, Vec<u8>)>,
    /// Ranges excluded after the fact (none before corrections existed).
    #[serde(default)]
    corrections: Vec<super::Correction>,
    /// Maintenance announced at run time (none before it could be).
    #[serde(default)]
    announced: Vec<crate::maintenance::MaintenanceSpec>,
    /// Events counted since the start, outside maintenance (none before they were kept).
    #[serde(default)]
    totals: super::buckets::Totals,
}
