//! The mute list: the runbooks' kill switch as explicit, expiring entries. A mute applies from
//! `starts_at` (inclusive) to `ends_at` (exclusive) and needs no cleanup: at `ends_at` it stops
//! applying by itself. The list can be replaced wholesale (the stream's 5-minute reload of the
//! kill-switch table) without touching per-key state; how many alerts each mute caught is kept.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::matcher::Matcher;
use crate::error::{FleetopsError, Result};
use crate::time::Timestamp;

/// One mute: by key, by matchers, or both (all must match).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Mute {
    /// Stable id (e.g. the kill-switch row id).
    pub id: String,
    /// The alert key it mutes (a `vehicle_id`), if any.
    #[serde(default)]
    pub key: Option<String>,
    /// Label matchers, all of which must match.
    #[serde(default)]
    pub matchers: Vec<Matcher>,
    /// First muted instant; left out, the mute applies from the start of time (a kill-switch
    /// row says only until when).
    #[serde(with = "crate::wire::iso_de", default = "since_ever")]
    #[schemars(with = "String")]
    pub starts_at: Timestamp,
    /// First instant no longer muted.
    #[serde(with = "crate::wire::iso_de")]
    #[schemars(with = "String")]
    pub ends_at: Timestamp,
    /// Why (shown with every muted alert).
    #[serde(default)]
    pub reason: String,
}

fn since_ever() -> Timestamp {
    Timestamp::UNIX_EPOCH
}

/// How often a stream re-reads the kill-switch table (the runbooks: every 5 minutes).
pub const MUTE_RELOAD: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// The largest kill-switch file a stream reads (64 MiB); a larger one is skipped and reported.
pub const MAX_KILL_SWITCH_FILE_BYTES: u64 = 64 << 20;

/// The most mutes one list holds (the kill switch's rows over all its files); rows past it are
/// skipped and reported.
pub const MAX_MUTES: usize = 100_000;

impl Mute {
    fn check(&self) -> Result<()> {
        if self.key.is_none() && self.matchers.is_empty() {
            return Err(FleetopsError::InvalidArgument(format!(
                "mute {}: needs a key or at least one matcher",
                self.id
            )));
        }
        if self.ends_at <= self.starts_at {
            return Err(FleetopsError::InvalidArgument(format!("mute {}: ends_at must be after starts_at", self.id)));
        }
        Ok(())
    }

    /// Whether it applies to an alert at `at`.
    pub fn applies(&self, key: &str, labels: &[(&str, &str)], at: Timestamp) -> bool {
        self.starts_at <= at
            && at < self.ends_at
            && self.key.as_deref().is_none_or(|k| k == key)
            && self.matchers.iter().all(|m| m.matches(labels))
    }
}

/// The current mutes and how many alerts each has caught.
///
/// Maintenance windows (the detector's configuration) join the list as mutes of every alert,
/// one per span of a window's overlapping occurrences (`maintenance:<name>`), written for the
/// stretch of time the alerts reach (a week ahead at a time) after the user's mutes, so that
/// every path that checks mutes holds them and counts what they caught. They are found through
/// an index by start, so an alert's lookup does not grow with the stretch a batch spans, and
/// their number follows the spans (an hourly window lasting a week is one mute for any stretch).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MuteList {
    mutes: Vec<Mute>,
    caught: BTreeMap<String, u64>,
    /// The user's mutes are the first this many; the rest are maintenance spans.
    #[serde(default)]
    user: Option<usize>,
    #[serde(skip)]
    maintenance: crate::maintenance::Maintenance,
    /// Epoch ms the maintenance mutes were written for, `[from, to)`.
    #[serde(skip)]
    covered: Option<(i64, i64)>,
    /// The maintenance mutes by start: (start ms, the latest end ms up to here, index).
    #[serde(skip)]
    by_start: Vec<(i64, i64, u32)>,
}

impl MuteList {
    /// How many alerts each mute has caught (in no particular order).
    pub(crate) fn caught_counts(&self) -> impl Iterator<Item = u64> + '_ {
        self.caught.values().copied()
    }

    /// Replaces every mute (ids must be unique); counts of caught alerts are kept by id.
    pub fn replace(&mut self, mutes: Vec<Mute>) -> Result<()> {
        if mutes.len() > MAX_MUTES {
            return Err(FleetopsError::InvalidArgument(format!("{} mutes; at most {MAX_MUTES}", mutes.len())));
        }
        let mut ids = std::collections::HashSet::new();
        for m in &mutes {
            m.check()?;
            if !ids.insert(m.id.as_str()) {
                return Err(FleetopsError::InvalidArgument(format!("mute id {} appears twice", m.id)));
            }
        }
        self.user = Some(mutes.len());
        self.mutes = mutes;
        self.covered = None;
        self.by_start.clear();
        Ok(())
    }

    /// The maintenance windows whose occurrences mute every alert.
    pub(crate) fn set_maintenance(&mut self, maintenance: crate::maintenance::Maintenance) {
        self.maintenance = maintenance;
        self.covered = None;
        let user = *self.user.get_or_insert(self.mutes.len());
        self.mutes.truncate(user);
        self.by_start.clear();
    }

    /// Makes sure the maintenance mutes cover alerts from `from_ms` to `to_ms` (epoch ms).
    #[inline]
    pub(crate) fn cover(&mut self, from_ms: i64, to_ms: i64) {
        if self.maintenance.is_empty() || self.covered.is_some_and(|(a, b)| a <= from_ms && to_ms < b) {
            return;
        }
        let user = *self.user.get_or_insert(self.mutes.len());
        self.mutes.truncate(user);
        let at = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).expect("a checked alert time");
        let until =
            to_ms.saturating_add(7 * 86_400_000).min(chrono::DateTime::<chrono::Utc>::MAX_UTC.timestamp_millis());
        let mut spans = self.maintenance.spans_by_window(at(from_ms), at(until));
        spans.sort_by_key(|o| o.start);
        self.by_start.clear();
        let mut latest = i64::MIN;
        for o in spans {
            let (start, end) = (o.start.timestamp_millis(), o.end.timestamp_millis());
            latest = latest.max(end);
            self.by_start.push((start, latest, self.mutes.len() as u32));
            self.mutes.push(Mute {
                id: format!("maintenance:{}", o.name),
                key: None,
                matchers: vec![],
                starts_at: o.start,
                ends_at: o.end,
                reason: format!("maintenance window '{}'", o.name),
            });
        }
        self.covered = Some((from_ms, until));
    }

    /// The mutes.
    pub fn mutes(&self) -> &[Mute] {
        &self.mutes
    }

    /// The index of the first mute applying to the alert, counted as having caught it.
    pub fn catch(&mut self, key: &str, labels: &[(&str, &str)], at: Timestamp) -> Option<usize> {
        let i = self.find(key, labels, at)?;
        self.count(i, 1);
        Some(i)
    }

    /// The index of the first of the user's mutes applying to the alert, else of a maintenance
    /// span holding it (nothing counted).
    pub fn find(&self, key: &str, labels: &[(&str, &str)], at: Timestamp) -> Option<usize> {
        let user = self.user.unwrap_or(self.mutes.len()).min(self.mutes.len());
        if let Some(i) = self.mutes[..user].iter().position(|m| m.applies(key, labels, at)) {
            return Some(i);
        }
        // Spans starting at or before `at`, walked back while one of them may still reach it.
        let ms = at.timestamp_millis();
        let upto = self.by_start.partition_point(|&(start, _, _)| start <= ms);
        self.by_start[..upto]
            .iter()
            .rev()
            .take_while(|&&(_, latest, _)| latest > ms)
            .find(|&&(_, _, i)| self.mutes[i as usize].ends_at > at)
            .map(|&(_, _, i)| i as usize)
    }

    /// Counts `n` alerts as caught by mute `i`.
    pub(crate) fn count(&mut self, i: usize, n: u64) {
        match self.caught.get_mut(&self.mutes[i].id) {
            Some(c) => *c += n,
            None => {
                self.caught.insert(self.mutes[i].id.clone(), n);
            }
        }
    }

    /// Alerts caught per mute id.
    pub fn caught(&self) -> &BTreeMap<String, u64> {
        &self.caught
    }
}
