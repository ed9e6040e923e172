//! Grouping as Alertmanager does it: alerts with the same values of the `group_by` labels
//! form a group; the first notification is due `group_wait` (30 s) after the group's first
//! alert, later ones every `group_interval` (5 min) when something changed, and an unchanged
//! group with firing alerts is notified again after `repeat_interval` (4 h). The engine says
//! which notifications are due at `now` and which alerts are new in each.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::fingerprint::fingerprint;
use crate::error::{FleetopsError, Result};
use crate::time::Timestamp;

/// Grouping settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupConfig {
    /// Labels that make a group (empty: one group for everything).
    pub group_by: Vec<String>,
    /// Wait before a new group's first notification (30 s).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub group_wait: TimeDelta,
    /// Wait between notifications of a changed group (5 min).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub group_interval: TimeDelta,
    /// Wait before repeating an unchanged group (4 h).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub repeat_interval: TimeDelta,
    /// Maintenance windows: a notification due inside one is held to the window's end, then
    /// sent with everything that came meanwhile (default none).
    #[serde(default)]
    pub maintenance: crate::maintenance::Maintenance,
}

impl Default for GroupConfig {
    fn default() -> Self {
        Self {
            group_by: vec!["alertname".into()],
            group_wait: TimeDelta::seconds(30),
            group_interval: TimeDelta::minutes(5),
            repeat_interval: TimeDelta::hours(4),
            maintenance: Default::default(),
        }
    }
}

/// A notification that is due.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct GroupNotification {
    /// The group's labels (`group_by` names and values).
    pub group: BTreeMap<String, String>,
    /// When it was due.
    #[serde(serialize_with = "crate::wire::iso")]
    #[schemars(with = "String")]
    pub at: Timestamp,
    /// Fingerprints of every firing alert in the group.
    pub firing: Vec<String>,
    /// Fingerprints of alerts new or changed since the last notification.
    pub new: Vec<String>,
    /// Fingerprints of alerts resolved since the last notification.
    pub resolved: Vec<String>,
    /// A repeat of an unchanged group.
    pub repeat: bool,
    /// The maintenance window it was held back by (it was due inside it), if any.
    pub held_by_maintenance: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    firing: bool,
    notified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Group {
    labels: BTreeMap<String, String>,
    alerts: BTreeMap<u64, Entry>,
    next_ms: i64,
    last_notified_ms: Option<i64>,
    /// The maintenance window holding the next notification.
    #[serde(default)]
    held: Option<String>,
}

/// Groups and their timers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grouper {
    config: GroupConfig,
    groups: BTreeMap<String, Group>,
}

fn ms(d: TimeDelta) -> i64 {
    d.num_milliseconds()
}

impl Grouper {
    /// A grouper; intervals must be positive (the wait may be zero).
    pub fn new(config: GroupConfig) -> Result<Self> {
        if config.group_wait < TimeDelta::zero()
            || config.group_interval <= TimeDelta::zero()
            || config.repeat_interval <= TimeDelta::zero()
        {
            return Err(FleetopsError::InvalidDuration(
                "group_wait >= 0, group_interval > 0 and repeat_interval > 0".into(),
            ));
        }
        Ok(Self { config, groups: BTreeMap::new() })
    }

    /// Adds an alert (firing or resolved) that was passed on at `at`.
    pub fn add(&mut self, labels: &[(&str, &str)], at: Timestamp, firing: bool) {
        let group: BTreeMap<String, String> = self
            .config
            .group_by
            .iter()
            .map(|n| (n.clone(), labels.iter().rev().find(|(k, _)| k == n).map_or("", |(_, v)| *v).to_owned()))
            .collect();
        let gkey = serde_json::to_string(&group).expect("labels serialise");
        let wait = ms(self.config.group_wait);
        let g = self.groups.entry(gkey).or_insert_with(|| Group {
            labels: group,
            alerts: BTreeMap::new(),
            next_ms: at.timestamp_millis() + wait,
            last_notified_ms: None,
            held: None,
        });
        let fp = fingerprint(labels);
        match g.alerts.get_mut(&fp) {
            Some(e) if e.firing == firing => {}
            Some(e) => *e = Entry { firing, notified: false },
            None if firing => {
                g.alerts.insert(fp, Entry { firing, notified: false });
            }
            None => {} // resolved before ever being notified: nothing to say
        }
    }

    /// Notifications due by `now`, oldest first; the groups' timers move on.
    pub fn due(&mut self, now: Timestamp) -> Vec<GroupNotification> {
        let now_ms = now.timestamp_millis();
        // At least 1 ms: a sub-millisecond interval would not advance the timers.
        let (interval, repeat) = (ms(self.config.group_interval).max(1), ms(self.config.repeat_interval));
        let mut out = Vec::new();
        let maintenance = &self.config.maintenance;
        for g in self.groups.values_mut() {
            while g.next_ms <= now_ms && !g.alerts.is_empty() {
                if !maintenance.is_empty() {
                    let at = chrono::DateTime::from_timestamp_millis(g.next_ms).expect("in range");
                    if let Some(w) = maintenance.covering_longest(at) {
                        // Held, not dropped: due again when the window ends.
                        g.next_ms = w.end.timestamp_millis();
                        g.held = Some(w.name);
                        continue;
                    }
                }
                let mut t = g.next_ms;
                let held = g.held.take();
                if g.alerts.values().all(|e| e.notified) {
                    // Nothing new can arrive inside one call, so only a repeat can be due: jump
                    // to the last step at or before `now` (repeats missed in between collapse
                    // into that one, as a late evaluation sends one, not a backlog). Stepping
                    // one interval at a time made `due(9999-12-31)` run for minutes.
                    t += (now_ms - t) / interval * interval;
                    g.next_ms = t;
                }
                let new: Vec<u64> = g.alerts.iter().filter(|(_, e)| !e.notified && e.firing).map(|(k, _)| *k).collect();
                let resolved: Vec<u64> =
                    g.alerts.iter().filter(|(_, e)| !e.notified && !e.firing).map(|(k, _)| *k).collect();
                let firing: Vec<u64> = g.alerts.iter().filter(|(_, e)| e.firing).map(|(k, _)| *k).collect();
                let changed = !new.is_empty() || !resolved.is_empty();
                let repeating = !changed && !firing.is_empty() && g.last_notified_ms.is_some_and(|l| t - l >= repeat);
                if changed || repeating {
                    let hex = |v: Vec<u64>| v.into_iter().map(|k| format!("{k:016x}")).collect();
                    out.push(GroupNotification {
                        group: g.labels.clone(),
                        at: chrono::DateTime::from_timestamp_millis(t).expect("in range"),
                        firing: hex(firing),
                        new: hex(new),
                        resolved: hex(resolved),
                        repeat: repeating,
                        held_by_maintenance: held,
                    });
                    g.last_notified_ms = Some(t);
                    g.alerts.retain(|_, e| e.firing);
                    g.alerts.values_mut().for_each(|e| e.notified = true);
                }
                g.next_ms = t + interval;
            }
        }
        self.groups.retain(|_, g| !g.alerts.is_empty());
        out.sort_by_key(|a| a.at);
        out
    }
}
