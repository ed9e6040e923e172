//! The storm detector: per key and fleet-wide storms with hysteresis, the mute list, flapping.
//!
//! Time is cut into buckets of `resolution` (aligned to the epoch); a key's count at bucket
//! `i` is its firing alerts in buckets `i - window/resolution + 1 ..= i`. For each alert:
//! 1. more than `max_future` ahead of a given `now`: passed on, not counted (`future`);
//! 2. older than the newest alert minus `window`: passed on, not counted (`late`);
//! 3. caught by an active mute: `mute`, counted per mute, never silently dropped;
//! 4. its key's storm ends first if it is over (see below);
//! 5. the key's flap history records the alert's state; a flapping key is `suppress`ed;
//! 6. in a storm: `suppress`, counted in the storm;
//! 7. a firing alert that makes the count exceed `enter_above` starts a storm: that alert
//!    becomes the `storm_started` summary and is not passed on; the first key that makes
//!    `fleet_enter` keys storm at once starts one `fleet_storm_started` instead, and keys that
//!    start storming during a fleet storm are folded into it without summaries of their own;
//! 8. otherwise `notify`.
//!
//! A storm ends `cooldown` after the last bucket whose count was at least `exit_below`
//! (hysteresis: enter above one number, leave below a lower one), reported by the key's next
//! alert or by [`StormDetector::advance`] with the count of suppressed alerts. A fleet storm
//! ends when fewer than `fleet_exit` keys storm.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::columns::{Ids, Times};
use super::flap::{percent_of, FlapState, Thresholds};
use super::keys::{Entry, KeyTable, Removed, MAX_BUCKETS};
use super::window::{admit, Admit, BucketCache, Recorded};
use batch::Cols;

mod batch;
mod shards;
use super::mute::{Mute, MuteList};
use crate::error::{FleetopsError, Result};
use crate::time::Timestamp;

/// Settings; [`StormConfig::default`] documents each default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StormConfig {
    /// Sliding window of the per-key count (5 min).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub window: TimeDelta,
    /// Bucket width; the window is a whole number of buckets (30 s).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub resolution: TimeDelta,
    /// A key storms when its count exceeds this (20 alerts in the window).
    pub enter_above: u32,
    /// A storm calms when the count is below this (5).
    pub exit_below: u32,
    /// ... for this long (10 min).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub cooldown: TimeDelta,
    /// This many keys storming at once is one fleet-wide storm (10).
    pub fleet_enter: u32,
    /// The fleet storm ends below this many storming keys (5).
    pub fleet_exit: u32,
    /// Flapping starts above this percent state change (Nagios' sample: 20).
    pub flap_high: f64,
    /// ... and stops below this one (5).
    pub flap_low: f64,
    /// Alerts this far ahead of `now` are not counted (5 min).
    #[serde(with = "crate::time::serde_delta_ms")]
    pub max_future: TimeDelta,
    /// Keys tracked at most; the least recently seen are evicted and counted (100,000).
    pub max_keys: usize,
}

impl Default for StormConfig {
    fn default() -> Self {
        Self {
            window: TimeDelta::minutes(5),
            resolution: TimeDelta::seconds(30),
            enter_above: 20,
            exit_below: 5,
            cooldown: TimeDelta::minutes(10),
            fleet_enter: 10,
            fleet_exit: 5,
            flap_high: super::flap::FLAP_HIGH_PERCENT,
            flap_low: super::flap::FLAP_LOW_PERCENT,
            max_future: TimeDelta::minutes(5),
            max_keys: 100_000,
        }
    }
}

impl StormConfig {
    /// For task failures (an Airflow `on_failure_callback`): a task failing more than 3 times
    /// in an hour storms (5-minute buckets), and calms after an hour with no failure.
    /// Failures are rarer than sensor alerts, so the runbook's 20-in-5-minutes never fires.
    pub fn task_failures() -> Self {
        Self {
            window: TimeDelta::hours(1),
            resolution: TimeDelta::minutes(5),
            enter_above: 3,
            exit_below: 1,
            cooldown: TimeDelta::hours(1),
            ..Self::default()
        }
    }

    fn check(&self) -> Result<u32> {
        let pos = |d: TimeDelta, what: &str| {
            if d <= TimeDelta::zero() {
                Err(FleetopsError::InvalidDuration(format!("{what} must be positive")))
            } else {
                Ok(())
            }
        };
        pos(self.window, "window")?;
        pos(self.resolution, "resolution")?;
        if self.cooldown < TimeDelta::zero() || self.max_future < TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("cooldown and max_future must be zero or more".into()));
        }
        let (w, r) = (self.window.num_milliseconds(), self.resolution.num_milliseconds());
        if r == 0 || w % r != 0 || w / r > MAX_BUCKETS as i64 {
            return Err(FleetopsError::InvalidDuration(format!(
                "the window must be 1 to {MAX_BUCKETS} whole resolutions (of at least 1 ms)"
            )));
        }
        if self.exit_below == 0 || self.exit_below > self.enter_above {
            return Err(FleetopsError::InvalidThreshold("need 1 <= exit_below <= enter_above".into()));
        }
        if self.fleet_exit == 0 || self.fleet_exit > self.fleet_enter {
            return Err(FleetopsError::InvalidThreshold("need 1 <= fleet_exit <= fleet_enter".into()));
        }
        super::flap::check_thresholds(self.flap_high, self.flap_low)?;
        if self.max_keys == 0 || self.max_keys > crate::dedup::MAX_KEYS {
            return Err(FleetopsError::InvalidArgument(format!(
                "max_keys must be in 1 ..= {} (2^30)",
                crate::dedup::MAX_KEYS
            )));
        }
        Ok((w / r) as u32)
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StormEvent {
    /// A key started storming.
    StormStarted {
        /// The key.
        key: String,
        /// The crossing alert's time.
        #[serde(serialize_with = "crate::wire::iso")]
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
        started_at: Timestamp,
        /// When it ended.
        #[serde(serialize_with = "crate::wire::iso")]
        ended_at: Timestamp,
        /// Alerts suppressed after the start summary.
        suppressed: u64,
    },
    /// Many keys storm at once.
    FleetStormStarted {
        /// When.
        #[serde(serialize_with = "crate::wire::iso")]
        at: Timestamp,
        /// Keys storming at that moment.
        keys: u32,
    },
    /// The fleet storm is over.
    FleetStormEnded {
        /// When it started.
        #[serde(serialize_with = "crate::wire::iso")]
        started_at: Timestamp,
        /// When it ended.
        #[serde(serialize_with = "crate::wire::iso")]
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
        at: Timestamp,
    },
}

/// The answer for one alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// What to do with it.
    pub action: Action,
    /// Why, in words.
    pub reason: String,
    /// Events this alert produced (a storm summary, a storm end, flapping).
    pub events: Vec<StormEvent>,
}

/// A detector's state at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StormStats {
    /// Totals.
    pub counts: StormCounts,
    /// Keys storming now: `{key, started_at, suppressed}`.
    pub storming: Vec<serde_json::Value>,
    /// Keys flapping now: `{key, percent}`.
    pub flapping: Vec<serde_json::Value>,
    /// Alerts caught per mute id.
    pub muted_by: std::collections::BTreeMap<String, u64>,
    /// Keys tracked.
    pub tracked_keys: usize,
    /// Bytes of per-key state.
    pub memory_bytes: usize,
    /// Whether a fleet-wide storm is on.
    pub fleet_storm: bool,
}

/// Totals since the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    fn passed(&mut self, why: Why) -> (Action, Why) {
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

/// The event of a key starting or stopping to flap, if the alert recorded in `rec` did that.
pub(super) fn flap_event(rec: &Recorded, name: &mut Name<'_>, at_ms: i64) -> Option<StormEvent> {
    let change = rec.flap_change?;
    let (key, percent, at) = (name.get().to_owned(), percent_of(rec.weighted), ms_to_ts(at_ms));
    match change {
        true => Some(StormEvent::FlapStarted { key, percent, at }),
        false => Some(StormEvent::FlapEnded { key, percent, at }),
    }
}

/// Why an action was taken (formatted only when asked for).
#[derive(Clone, Copy)]
pub(super) enum Why {
    Future,
    Late,
    Muted(usize),
    Storming { started_ms: i64, count: u32 },
    StormStarted { count: u32 },
    FleetStarted { keys: u32 },
    Folded,
    Flapping { pct: f64 },
    Calm { count: u32 },
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Storm {
    started_ms: i64,
    suppressed: u64,
    /// The last bucket whose count was at least `exit_below`.
    hot_until: i64,
    /// Started during a fleet storm: folded into it.
    in_fleet: bool,
}

impl Storm {
    /// When the storm is over: `cooldown` after its last hot bucket.
    fn end_ms(&self, ms: &Millis) -> i64 {
        (self.hot_until + 1) * ms.resolution + ms.cooldown
    }

    /// Counts a suppressed alert; `hot` is the last bucket its key's count stays at least
    /// `exit_below` through, if it is that high now.
    fn suppress(&mut self, hot: Option<i64>) {
        self.suppressed += 1;
        if let Some(h) = hot {
            self.hot_until = self.hot_until.max(h);
        }
    }
}

/// A key as saved: its window, flap history and storm, oldest key first in the saved list.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedKey {
    name: String,
    buckets: Vec<u16>,
    head: i64,
    storm: Option<Storm>,
    flap: FlapState,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Fleet {
    storming: BTreeSet<u64>,
    active: Option<FleetStorm>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FleetStorm {
    started_ms: i64,
    keys: BTreeSet<u64>,
    suppressed: u64,
}

/// The engine; see the [module docs](crate::storm) for the rules.
#[derive(Clone)]
pub struct StormDetector {
    config: StormConfig,
    n_buckets: u32,
    keys: KeyTable,
    /// Storms of keys storming now; an entry's `storm` is 1 + its index here.
    storms: Vec<Option<Storm>>,
    free_storms: Vec<u32>,
    mutes: MuteList,
    fleet: Fleet,
    clock_ms: Option<i64>,
    counts: StormCounts,
    /// The last alert's bucket.
    buckets: BucketCache,
    /// Threads a batch may use (not saved: a setting of this process).
    threads: usize,
    /// The configuration in the units the hot path compares.
    ms: Millis,
}

/// Durations of the configuration in ms, and the flap thresholds as weighted changes.
#[derive(Debug, Clone, Copy)]
struct Millis {
    window: i64,
    resolution: i64,
    max_future: i64,
    cooldown: i64,
    flap: Thresholds,
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

impl std::fmt::Debug for StormDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StormDetector").field("config", &self.config).field("counts", &self.counts).finish()
    }
}

fn ms_to_ts(ms: i64) -> Timestamp {
    chrono::DateTime::from_timestamp_millis(ms).expect("in range")
}

/// A key's name, written only when needed (a new key, an event, a mute check).
pub(super) struct Name<'a> {
    pub buf: &'a mut String,
    pub write: &'a mut dyn FnMut(&mut String),
    pub ready: bool,
}

impl Name<'_> {
    pub(super) fn get(&mut self) -> &str {
        if !self.ready {
            self.buf.clear();
            (self.write)(self.buf);
            self.ready = true;
        }
        self.buf
    }
}

impl StormDetector {
    /// A detector; the configuration is checked. Durations are kept to the nearest millisecond
    /// (alerts are judged, and the configuration saved, in milliseconds).
    pub fn new(mut config: StormConfig) -> Result<Self> {
        for d in [&mut config.window, &mut config.resolution, &mut config.cooldown, &mut config.max_future] {
            *d = crate::time::round_delta_millis(*d);
        }
        let n_buckets = config.check()?;
        let ms = Millis {
            window: config.window.num_milliseconds(),
            resolution: config.resolution.num_milliseconds(),
            max_future: config.max_future.num_milliseconds(),
            cooldown: config.cooldown.num_milliseconds(),
            flap: Thresholds::new(config.flap_high, config.flap_low),
        };
        Ok(Self {
            keys: KeyTable::new(config.max_keys),
            storms: Vec::new(),
            free_storms: Vec::new(),
            config,
            n_buckets,
            mutes: MuteList::default(),
            fleet: Fleet::default(),
            clock_ms: None,
            counts: StormCounts::default(),
            buckets: BucketCache::new(ms.resolution, i64::from(n_buckets)),
            threads: batch::default_threads(),
            ms,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &StormConfig {
        &self.config
    }

    /// Replaces the mute list (the kill-switch reload); per-key state is kept.
    pub fn set_mutes(&mut self, mutes: Vec<Mute>) -> Result<()> {
        self.mutes.replace(mutes)
    }

    /// The mute list and what each mute caught.
    pub fn mutes(&self) -> &MuteList {
        &self.mutes
    }

    /// Totals.
    pub fn counts(&self) -> StormCounts {
        self.counts
    }

    /// Keys tracked now.
    pub fn tracked_keys(&self) -> usize {
        self.keys.len()
    }

    /// Bytes of per-key state: the table (64 bytes per slot, at most 3/4 full once the cap is
    /// reached), key names, and the storms in progress.
    pub fn memory_bytes(&self) -> usize {
        self.keys.memory_bytes() + self.storms.capacity() * std::mem::size_of::<Option<Storm>>()
    }

    /// Keys flapping now.
    pub fn flapping(&self) -> Vec<(String, f64)> {
        self.keys
            .iter()
            .map(|(_, e, name)| (name, FlapState::unpack(e.flap)))
            .filter(|(_, f)| f.flapping)
            .map(|(name, f)| (name.to_owned(), f.percent()))
            .collect()
    }

    /// Keys storming now with their start time and suppressed count.
    pub fn storming(&self) -> Vec<(String, Timestamp, u64)> {
        self.keys
            .iter()
            .filter_map(|(_, e, name)| self.storm(e).map(|s| (name.to_owned(), ms_to_ts(s.started_ms), s.suppressed)))
            .collect()
    }

    fn storm(&self, e: &Entry) -> Option<&Storm> {
        e.storm.checked_sub(1).and_then(|i| self.storms[i as usize].as_ref())
    }

    /// Gives slot `slot` the storm `s`.
    fn start_storm(&mut self, slot: usize, s: Storm) {
        let i = match self.free_storms.pop() {
            Some(i) => {
                self.storms[i as usize] = Some(s);
                i
            }
            None => {
                self.storms.push(Some(s));
                (self.storms.len() - 1) as u32
            }
        };
        self.keys.entry_mut(slot).storm = i + 1;
    }

    /// Takes the storm of an entry (which is then calm).
    fn take_storm(&mut self, e: &mut Entry) -> Option<Storm> {
        let i = e.storm.checked_sub(1)?;
        e.storm = 0;
        self.free_storms.push(i);
        self.storms[i as usize].take()
    }

    /// Totals, storming and flapping keys, alerts caught per mute.
    pub fn stats(&self) -> StormStats {
        let mut storming: Vec<_> = self.storming();
        storming.sort_by(|a, b| a.0.cmp(&b.0));
        let mut flapping = self.flapping();
        flapping.sort_by(|a, b| a.0.cmp(&b.0));
        StormStats {
            counts: self.counts,
            storming: storming
                .into_iter()
                .map(|(k, t, n)| serde_json::json!({"key": k, "started_at": crate::time::to_iso(t), "suppressed": n}))
                .collect(),
            flapping: flapping.into_iter().map(|(k, p)| serde_json::json!({"key": k, "percent": p})).collect(),
            muted_by: self.mutes.caught().clone(),
            tracked_keys: self.keys.len(),
            memory_bytes: self.memory_bytes(),
            fleet_storm: self.fleet.active.is_some(),
        }
    }

    fn end_ms(&self, s: &Storm) -> i64 {
        s.end_ms(&self.ms)
    }

    /// Closes the storm of the key in `slot` if it is over at `at_ms`.
    fn close_if_over(&mut self, slot: usize, at_ms: i64, events: &mut Vec<StormEvent>) {
        let end = match self.storm(self.keys.entry(slot)) {
            Some(s) if self.end_ms(s) <= at_ms => self.end_ms(s),
            _ => return,
        };
        let mut e = *self.keys.entry(slot);
        let s = self.take_storm(&mut e).expect("storming");
        *self.keys.entry_mut(slot) = e;
        if !s.in_fleet {
            events.push(StormEvent::StormEnded {
                key: self.keys.name(slot).to_owned(),
                started_at: ms_to_ts(s.started_ms),
                ended_at: ms_to_ts(end),
                suppressed: s.suppressed,
            });
        }
        self.fleet.storming.remove(&e.key);
        self.end_fleet_if_calm(end, events);
    }

    fn end_fleet_if_calm(&mut self, at_ms: i64, events: &mut Vec<StormEvent>) {
        if self.fleet.active.is_some() && (self.fleet.storming.len() as u32) < self.config.fleet_exit {
            let f = self.fleet.active.take().expect("active");
            events.push(StormEvent::FleetStormEnded {
                started_at: ms_to_ts(f.started_ms),
                ended_at: ms_to_ts(at_ms),
                keys: f.keys.len() as u32,
                suppressed: f.suppressed,
            });
        }
    }

    /// Reports storms that are over by `now` (call it periodically; alerts do it for their
    /// own key).
    pub fn advance(&mut self, now: Timestamp) -> Vec<StormEvent> {
        let now_ms = crate::time::round_millis(now);
        let mut events = Vec::new();
        let mut ending: Vec<(i64, String, u64)> = self
            .fleet
            .storming
            .iter()
            .filter_map(|&id| {
                let slot = self.keys.find(id)?;
                let s = self.storm(self.keys.entry(slot))?;
                Some((self.end_ms(s), self.keys.name(slot).to_owned(), id))
            })
            .filter(|(end, _, _)| *end <= now_ms)
            .collect();
        ending.sort_unstable();
        for (_, _, id) in ending {
            if let Some(slot) = self.keys.find(id) {
                self.close_if_over(slot, now_ms, &mut events);
            }
        }
        events
    }

    /// Judges one alert; `now`, when given, enables the `future` check.
    pub fn observe(&mut self, alert: &Alert<'_>, now: Option<Timestamp>) -> Verdict {
        let mut events = Vec::new();
        let (action, why) = self.judge_alert(alert, now, &mut events);
        Verdict { action, reason: self.explain(alert.key, why), events }
    }

    /// Judges alerts in order without building reasons: one action per alert, and the events
    /// they produced. Allocates nothing per alert (events aside).
    pub fn observe_batch<'a>(
        &mut self,
        alerts: impl IntoIterator<Item = Alert<'a>>,
        now: Option<Timestamp>,
        actions: &mut Vec<Action>,
    ) -> Vec<StormEvent> {
        let mut events = Vec::new();
        for a in alerts {
            actions.push(self.judge_alert(&a, now, &mut events).0);
        }
        events
    }

    fn judge_alert(
        &mut self,
        alert: &Alert<'_>,
        now: Option<Timestamp>,
        events: &mut Vec<StormEvent>,
    ) -> (Action, Why) {
        let (mut buf, mut write) = (String::new(), |b: &mut String| b.push_str(alert.key));
        let mut name = Name { buf: &mut buf, write: &mut write, ready: false };
        let now_ms = now.map(crate::time::round_millis);
        self.judge(
            super::key_id(alert.key),
            &mut name,
            alert.labels,
            crate::time::round_millis(alert.at),
            alert.firing,
            now_ms,
            events,
        )
    }

    /// Like [`observe_batch`](Self::observe_batch) for numeric keys (vehicle ids), read in
    /// place: one action code per alert (0 notify, 1 suppress, 2 mute). An id is the key named
    /// by its decimal digits. Keys and times are all checked first.
    pub fn observe_batch_ids<'a>(
        &mut self,
        ids: impl Into<Ids<'a>>,
        at: impl Into<Times<'a>>,
        firing: Option<&[u8]>,
        now: Option<Timestamp>,
    ) -> Result<(Vec<u8>, Vec<StormEvent>)> {
        let (ids, at) = (ids.into(), at.into());
        // An id's key id comes from the number itself; its digits are written only when the
        // name is needed (a new key, an event, a mute check).
        let digits = |n: u64, f: &mut dyn FnMut(&str)| f(itoa::Buffer::new().format(n));
        match ids {
            Ids::U64(ids) => {
                self.batch(ids.len(), at, firing, now, |i| super::number_id(ids[i]), |i, f| digits(ids[i], f))
            }
            Ids::F64(ids) => {
                // Checked whole numbers in 0 ..= 2^53: through i64 is one instruction, exact.
                crate::dedup::check_f64_keys(ids)?;
                self.batch(
                    ids.len(),
                    at,
                    firing,
                    now,
                    |i| super::number_id(ids[i] as i64 as u64),
                    |i, f| digits(ids[i] as u64, f),
                )
            }
        }
    }

    /// Like [`observe_batch_ids`](Self::observe_batch_ids) with key names.
    pub fn observe_batch_names<'a>(
        &mut self,
        names: &[String],
        at: impl Into<Times<'a>>,
        firing: Option<&[u8]>,
        now: Option<Timestamp>,
    ) -> Result<(Vec<u8>, Vec<StormEvent>)> {
        self.batch(names.len(), at.into(), firing, now, |i| super::key_id(&names[i]), |i, f| f(&names[i]))
    }

    /// The batch loop: key ids are hashed `AHEAD` alerts early and their table lines
    /// prefetched, so several cache misses are in flight while one alert is judged.
    /// `id(i)` is alert `i`'s key id, and `key(i, f)` calls `f` with its key name.
    fn batch(
        &mut self,
        n: usize,
        at: Times<'_>,
        firing: Option<&[u8]>,
        now: Option<Timestamp>,
        id: impl Fn(usize) -> u64 + Sync,
        key: impl Fn(usize, &mut dyn FnMut(&str)) + Sync,
    ) -> Result<(Vec<u8>, Vec<StormEvent>)> {
        if at.len() != n || firing.is_some_and(|f| f.len() != n) {
            return Err(FleetopsError::InvalidArgument(
                "keys, times and firing flags must have the same length".into(),
            ));
        }
        match at {
            Times::Millis(ms) => {
                let max_ms = chrono::DateTime::<chrono::Utc>::MAX_UTC.timestamp_millis();
                if let Some(i) = ms.iter().position(|&t| !(0..=max_ms).contains(&t)) {
                    return Err(FleetopsError::InvalidTimestamp(format!("epoch ms {} is out of range", ms[i]))
                        .at(format!("index {i}")));
                }
                self.batch_checked(Cols {
                    n,
                    at_ms: |i| ms[i],
                    id_of: id,
                    key,
                    firing,
                    now_ms: now.map(crate::time::round_millis),
                })
            }
            Times::Epoch(t, unit) => {
                crate::time::check_epoch(t, unit)?;
                let at_ms = |i| crate::time::epoch_millis(t[i], unit);
                self.batch_checked(Cols {
                    n,
                    at_ms,
                    id_of: id,
                    key,
                    firing,
                    now_ms: now.map(crate::time::round_millis),
                })
            }
        }
    }

    fn explain(&self, key: &str, why: Why) -> String {
        let iso = |ms| crate::time::to_iso(ms_to_ts(ms));
        let c = &self.config;
        match why {
            Why::Future => "more than max_future ahead of now: passed on, not counted".into(),
            Why::Late => "older than the window behind the newest alert: passed on, not counted".into(),
            Why::Muted(i) => {
                let m = &self.mutes.mutes()[i];
                format!("muted by {} until {}: {}", m.id, crate::time::to_iso(m.ends_at), m.reason)
            }
            Why::Storming { started_ms, count } => {
                format!("{key} is storming since {}: {count} alerts in the window", iso(started_ms))
            }
            Why::StormStarted { count } => {
                format!("storm started: {count} alerts in the window > {}; summarised, not passed on", c.enter_above)
            }
            Why::FleetStarted { keys } => {
                format!("{keys} keys storming at once (>= {}): fleet-wide storm", c.fleet_enter)
            }
            Why::Folded => format!("{key} storms during the fleet-wide storm: folded into it"),
            Why::Flapping { pct } => format!("{key} is flapping ({pct:.1} % state change > {})", c.flap_high),
            Why::Calm { count } => format!("{count} alerts in the window <= {}", c.enter_above),
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn judge(
        &mut self,
        id: u64,
        name: &mut Name<'_>,
        labels: &[(&str, &str)],
        at_ms: i64,
        firing: bool,
        now_ms: Option<i64>,
        events: &mut Vec<StormEvent>,
    ) -> (Action, Why) {
        self.counts.alerts += 1;
        match admit(&mut self.clock_ms, at_ms, now_ms, self.ms.max_future, self.ms.window) {
            Admit::Future => return self.counts.passed(Why::Future),
            Admit::Late => return self.counts.passed(Why::Late),
            Admit::In => {}
        }
        if !self.mutes.mutes().is_empty() {
            if let Some(i) = self.mutes.catch(name.get(), labels, ms_to_ts(at_ms)) {
                self.counts.muted += 1;
                return (Action::Mute, Why::Muted(i));
            }
        }
        let n = i64::from(self.n_buckets);
        let (bucket, pos) = self.buckets.of(at_ms);
        let (slot, evicted) = match self.keys.find(id) {
            Some(slot) => {
                if self.keys.entry(slot).storm != 0 {
                    self.close_if_over(slot, at_ms, events);
                }
                self.keys.touch(slot);
                (slot, None)
            }
            None => self.keys.insert(Entry::new(id), name.get().into()),
        };
        let rec = self.keys.entry_mut(slot).record(bucket, pos, n, firing, self.ms.flap);
        let (count, storm) = (rec.count, self.keys.entry(slot).storm);
        if let Some(e) = flap_event(&rec, name, at_ms) {
            events.push(e);
        }
        let (enter, exit) = (self.config.enter_above, self.config.exit_below);
        let result = if storm != 0 {
            let hot = self.keys.entry(slot).hot_until(bucket, exit, n);
            let s = self.storms[(storm - 1) as usize].as_mut().expect("storm of a storming key");
            s.suppress(hot);
            let (started_ms, in_fleet) = (s.started_ms, s.in_fleet);
            if in_fleet {
                if let Some(f) = self.fleet.active.as_mut() {
                    f.suppressed += 1;
                }
            }
            self.counts.suppressed_storm += 1;
            (Action::Suppress, Why::Storming { started_ms, count })
        } else if firing && count > enter {
            let hot = self.keys.entry(slot).hot_until(bucket, exit, n).unwrap_or(bucket);
            let fleet_on = self.fleet.active.is_some();
            self.fleet.storming.insert(id);
            let storming = self.fleet.storming.len() as u32;
            let starts_fleet = !fleet_on && storming >= self.config.fleet_enter;
            self.start_storm(
                slot,
                Storm { started_ms: at_ms, suppressed: 0, hot_until: hot, in_fleet: fleet_on || starts_fleet },
            );
            self.counts.storms += 1;
            self.counts.suppressed_storm += 1;
            if starts_fleet {
                self.counts.fleet_storms += 1;
                let keys: BTreeSet<u64> = self.fleet.storming.iter().copied().collect();
                self.fleet.active = Some(FleetStorm { started_ms: at_ms, keys, suppressed: 0 });
                events.push(StormEvent::FleetStormStarted { at: ms_to_ts(at_ms), keys: storming });
                (Action::Suppress, Why::FleetStarted { keys: storming })
            } else if fleet_on {
                if let Some(f) = self.fleet.active.as_mut() {
                    f.keys.insert(id);
                }
                (Action::Suppress, Why::Folded)
            } else {
                events.push(StormEvent::StormStarted { key: name.get().to_owned(), at: ms_to_ts(at_ms), count });
                (Action::Suppress, Why::StormStarted { count })
            }
        } else {
            self.counts.calm(&rec)
        };
        if let Some(Removed { mut entry, name: old_name }) = evicted {
            self.counts.evicted += 1;
            if let Some(s) = self.take_storm(&mut entry) {
                self.fleet.storming.remove(&entry.key);
                if !s.in_fleet {
                    events.push(StormEvent::StormEnded {
                        key: old_name.into(),
                        started_at: ms_to_ts(s.started_ms),
                        ended_at: ms_to_ts(at_ms),
                        suppressed: s.suppressed,
                    });
                }
            }
        }
        result
    }

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
            let id = super::key_id(&k.name);
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
        d.fleet = saved.fleet;
        d.clock_ms = saved.clock_ms;
        d.counts = saved.counts;
        Ok(d)
    }
}
