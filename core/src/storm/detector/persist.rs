//! The saved form of a detector, through `crate::snapshot`.

use serde::{Deserialize, Serialize};

use super::{Fleet, Storm, StormConfig, StormCounts, StormDetector};
use crate::error::{FleetopsError, Result};
use crate::storm::flap::FlapState;
use crate::storm::keys::Entry;
use crate::storm::mute::MuteList;

/// A key as saved: its window, flap history and storm, oldest key first in the saved list.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedKey {
    name: String,
    buckets: Vec<u16>,
    head: i64,
    storm: Option<Storm>,
    flap: FlapState,
}

/// The saved form of a detector (see [`StormDetector::to_bytes`]).
#[derive(Serialize, Deserialize)]
struct Saved {
    config: StormConfig,
    /// Least recently seen first.
    keys: Vec<SavedKey>,
    mutes: MuteList,
    fleet: Fleet,
    clock_ms: Option<i64>,
    counts: StormCounts,
}

impl StormDetector {
    /// The saved state (versioned JSON; mutes and per-key state included, keys least
    /// recently seen first).
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.n_buckets as usize;
        let keys = self
            .keys
            .by_recency()
            .into_iter()
            .map(|slot| {
                let e = self.keys.entry(slot);
                SavedKey {
                    name: self.keys.name(slot).to_owned(),
                    buckets: e.buckets[..n].to_vec(),
                    head: e.head,
                    storm: self.storm(e).cloned(),
                    flap: FlapState::unpack(e.flap),
                }
            })
            .collect();
        let saved = Saved {
            config: self.config.clone(),
            keys,
            mutes: self.mutes.clone(),
            fleet: self.fleet.clone(),
            clock_ms: self.clock_ms,
            counts: self.counts,
        };
        crate::snapshot::save("fleetops.storm_detector", &saved)
    }

    /// The detector saved in `saved` when it restores and was made with `config`; otherwise a
    /// new one from `config`, with the reason the saved one was set aside (`place` names where
    /// it was kept, for the message). For callers that must never stop over a bad state file,
    /// such as a failure callback that pages: a fresh detector knows nothing of earlier alerts,
    /// so the caller should pass the next one on and show the reason.
    pub fn restore_or_new(saved: Option<&[u8]>, config: StormConfig, place: &str) -> Result<(Self, Option<String>)> {
        let fresh = Self::new(config)?;
        let Some(bytes) = saved else { return Ok((fresh, None)) };
        match Self::from_bytes(bytes) {
            Err(e) => {
                Ok((fresh, Some(format!("the saved storm state at {place} could not be read and was reset: {e}"))))
            }
            Ok(saved) if saved.config != fresh.config => {
                Ok((fresh, Some(format!("the storm detector's options changed; the state at {place} was reset"))))
            }
            Ok(saved) => Ok((saved, None)),
        }
    }

    /// Restores a saved detector; bad bytes are `INVALID_STATE`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let saved: Saved = crate::snapshot::load("fleetops.storm_detector", bytes)?;
        let bad = |what: &str| FleetopsError::InvalidState(what.to_owned());
        let storms: Vec<&Storm> = saved.keys.iter().filter_map(|k| k.storm.as_ref()).collect();
        // Counters and times only: key ids (the fleet's storming keys) are full 64-bit hashes.
        let fleet = saved.fleet.active.as_ref().map(|f| (f.started_ms, f.suppressed));
        let caught: Vec<u64> = saved.mutes.caught_counts().collect();
        if !crate::snapshot::numbers_are_sane(&(&saved.counts, fleet, caught, saved.clock_ms, &storms)) {
            return Err(bad("a saved count or time is out of range"));
        }
        let mut d = Self::new(saved.config).map_err(|e| FleetopsError::InvalidState(format!("configuration: {e}")))?;
        if saved.keys.len() > d.config.max_keys {
            return Err(bad("more keys than max_keys"));
        }
        for k in saved.keys {
            if k.buckets.len() != d.n_buckets as usize {
                return Err(bad("per-key windows do not match the configuration"));
            }
            // Bucket numbers far from any real time would overflow the window arithmetic.
            let sane = |b: i64| {
                (i64::MIN / 4..=i64::MAX / 4).contains(&b)
                    && b.checked_mul(d.ms.resolution).is_some_and(|ms| ms.abs() < i64::MAX / 4)
            };
            if !k.flap.is_valid()
                || !(sane(k.head) || k.head == Entry::new(0).head)
                || k.storm.as_ref().is_some_and(|s| !sane(s.hot_until))
            {
                return Err(bad("per-key state out of range"));
            }
            let id = crate::storm::key_id(&k.name);
            if d.keys.find(id).is_some() {
                return Err(bad("a key appears twice"));
            }
            let mut e = Entry::new(id);
            e.buckets[..k.buckets.len()].copy_from_slice(&k.buckets);
            e.head = k.head;
            e.flap = k.flap.pack();
            let (slot, _) = d.keys.insert(e, k.name.into());
            if let Some(s) = k.storm {
                d.start_storm(slot, s);
            }
        }
        d.mutes = saved.mutes;
        d.mutes.set_maintenance(d.config.maintenance.clone());
        d.fleet = saved.fleet;
        d.clock_ms = saved.clock_ms;
        d.counts = saved.counts;
        Ok(d)
    }
}
