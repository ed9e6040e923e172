//! What a detector is given and answers: alerts, actions, events, verdicts, stats and counts.

use serde::{Deserialize, Serialize};

use super::Why;
use crate::storm::flap::percent_of;
use crate::storm::window::Recorded;
use crate::time::Timestamp;

/// One alert.
#[derive(Debug, Clone, Copy)]
pub struct Alert<'a> {
    /// Its key: a vehicle, table or service id.
    pub key: &'a str,
    /// Its labels.
    pub labels: &'a [(&'a str, &'a str)],
    /// When it fired (or resolved).
    pub at: Timestamp,
    /// Firing (a problem) or resolved.
    pub firing: bool,
}

/// What to do with an alert (batch calls use the codes 0, 1, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Pass it on.
    Notify = 0,
    /// Hold it back (storm, storm start summarised, flapping).
    Suppress = 1,
    /// Caught by a mute.
    Mute = 2,
}

/// A storm summary or another state change, emitted once.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StormEvent {
    /// A key started storming.
    StormStarted {
        /// The key.
        key: String,
        /// The crossing alert's time.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        at: Timestamp,
        /// Alerts in the window, the crossing one included.
        count: u32,
    },
    /// A key's storm ended.
    StormEnded {
        /// The key.
        key: String,
        /// When it started.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        started_at: Timestamp,
        /// When it ended.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        ended_at: Timestamp,
        /// Alerts suppressed after the start summary.
        suppressed: u64,
    },
    /// Many keys storm at once.
    FleetStormStarted {
        /// When.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        at: Timestamp,
        /// Keys storming at that moment.
        keys: u32,
    },
    /// The fleet storm is over.
    FleetStormEnded {
        /// When it started.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        started_at: Timestamp,
        /// When it ended.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        ended_at: Timestamp,
        /// Distinct keys that stormed during it.
        keys: u32,
        /// Alerts suppressed in those keys' storms during it.
        suppressed: u64,
    },
    /// A key started flapping.
    FlapStarted {
        /// The key.
        key: String,
        /// Percent state change.
        percent: f64,
        /// When.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        at: Timestamp,
    },
    /// A key stopped flapping.
    FlapEnded {
        /// The key.
        key: String,
        /// Percent state change.
        percent: f64,
        /// When.
        #[serde(serialize_with = "crate::wire::iso")]
        #[schemars(with = "String")]
        at: Timestamp,
    },
}

/// The answer for one alert.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Verdict {
    /// What to do with it.
    pub action: Action,
    /// Why, in words.
    pub reason: String,
    /// Events this alert produced (a storm summary, a storm end, flapping).
    pub events: Vec<StormEvent>,
    /// Whether someone should hear of it now: the alert is passed on, or it carries a storm's
    /// start summary or end (the one page a storm makes). What a notifier routes on.
    pub page: bool,
}

impl Verdict {
    /// A verdict, with [`Verdict::page`] derived from the action and the events.
    pub fn new(action: Action, reason: String, events: Vec<StormEvent>) -> Self {
        let summary = events.iter().any(|e| {
            matches!(
                e,
                StormEvent::StormStarted { .. }
                    | StormEvent::StormEnded { .. }
                    | StormEvent::FleetStormStarted { .. }
                    | StormEvent::FleetStormEnded { .. }
            )
        });
        Self { page: action == Action::Notify || summary, action, reason, events }
    }
}

/// A detector's state at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StormStats {
    /// Totals.
    pub counts: StormCounts,
    /// Keys storming now, by name.
    pub storming: Vec<StormingKey>,
    /// Keys flapping now, by name.
    pub flapping: Vec<FlappingKey>,
    /// Alerts caught per mute id.
    pub muted_by: std::collections::BTreeMap<String, u64>,
    /// Keys tracked.
    pub tracked_keys: usize,
    /// Bytes of per-key state.
    pub memory_bytes: usize,
    /// Whether a fleet-wide storm is on.
    pub fleet_storm: bool,
}

/// A key storming now.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StormingKey {
    /// The key.
    pub key: String,
    /// When its storm started.
    #[serde(serialize_with = "crate::wire::iso")]
    #[schemars(with = "String")]
    pub started_at: Timestamp,
    /// Alerts held back since.
    pub suppressed: u64,
}

/// A key flapping now.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FlappingKey {
    /// The key.
    pub key: String,
    /// Its weighted percent state change.
    pub percent: f64,
}

/// Totals since the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StormCounts {
    /// Alerts seen.
    pub alerts: u64,
    /// Passed on.
    pub notified: u64,
    /// Held back by storms (start summaries included).
    pub suppressed_storm: u64,
    /// Held back because the key flaps.
    pub suppressed_flapping: u64,
    /// Caught by mutes.
    pub muted: u64,
    /// Too old to count (passed on).
    pub late: u64,
    /// Too far ahead of `now` (passed on).
    pub future: u64,
    /// Keys evicted by `max_keys`.
    pub evicted: u64,
    /// Storms started.
    pub storms: u64,
    /// Fleet storms started.
    pub fleet_storms: u64,
}

impl StormCounts {
    /// Counts an alert passed on without counting it (late or future).
    pub(super) fn passed(&mut self, why: Why) -> (Action, Why) {
        match why {
            Why::Future => self.future += 1,
            _ => self.late += 1,
        }
        self.notified += 1;
        (Action::Notify, why)
    }

    /// Counts the verdict on an alert of a calm key: suppressed while it flaps, else passed on.
    #[inline(always)]
    pub(super) fn calm(&mut self, rec: &Recorded) -> (Action, Why) {
        if rec.flapping {
            self.suppressed_flapping += 1;
            (Action::Suppress, Why::Flapping { pct: percent_of(rec.weighted) })
        } else {
            self.notified += 1;
            (Action::Notify, Why::Calm { count: rec.count })
        }
    }

    /// Adds the counts of a part of a batch judged apart.
    pub(super) fn add(&mut self, o: &StormCounts) {
        let StormCounts {
            alerts,
            notified,
            suppressed_storm,
            suppressed_flapping,
            muted,
            late,
            future,
            evicted,
            storms,
            fleet_storms,
        } = *o;
        self.alerts += alerts;
        self.notified += notified;
        self.suppressed_storm += suppressed_storm;
        self.suppressed_flapping += suppressed_flapping;
        self.muted += muted;
        self.late += late;
        self.future += future;
        self.evicted += evicted;
        self.storms += storms;
        self.fleet_storms += fleet_storms;
    }
}
