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

use super::flap::FlapState;
use super::lru::Lru;
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
            flap_high: 20.0,
            flap_low: 5.0,
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
        if !(0.0..=100.0).contains(&self.flap_low) || !(0.0..=100.0).contains(&self.flap_high) || self.flap_low > self.flap_high {
            return Err(FleetopsError::InvalidThreshold("need 0 <= flap_low <= flap_high <= 100".into()));
        }
        if self.max_keys == 0 {
            return Err(FleetopsError::InvalidArgument("max_keys must be at least 1".into()));
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

/// Why an action was taken (formatted only when asked for).
#[derive(Clone, Copy)]
enum Why {
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

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Storm {
    started_ms: i64,
    suppressed: u64,
    /// The last bucket whose count was at least `exit_below`.
    hot_until: i64,
    /// Started during a fleet storm: folded into it.
    in_fleet: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyState {
    name: String,
    /// Firing alerts per bucket, a ring indexed by bucket mod `n` (inline: no extra cache miss).
    buckets: [u32; MAX_BUCKETS],
    n: u8,
    /// The newest bucket index written.
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
#[derive(Clone, Serialize, Deserialize)]
pub struct StormDetector {
    config: StormConfig,
    #[serde(skip)]
    n_buckets: u32,
    keys: Lru<KeyState>,
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

/// Buckets per window at most.
pub const MAX_BUCKETS: usize = 16;

impl KeyState {
    /// The count of the window ending at bucket `i` (>= head - len).
    fn count_at(&self, i: i64) -> u32 {
        let n = self.n as i64;
        ((i - n + 1).max(self.head - n + 1)..=i.min(self.head)).map(|b| self.buckets[b.rem_euclid(n) as usize]).sum()
    }

    fn add(&mut self, i: i64) {
        let n = self.n as i64;
        if i > self.head {
            for b in (self.head + 1).max(i - n + 1)..=i {
                self.buckets[b.rem_euclid(n) as usize] = 0;
            }
            self.head = i;
        }
        if i > self.head - n {
            self.buckets[i.rem_euclid(n) as usize] += 1;
        }
    }

    /// The last bucket >= `i` whose count stays at least `exit` with no more alerts: the
    /// window slides on, dropping one old bucket per step.
    fn hot_until(&self, i: i64, exit: u32) -> Option<i64> {
        let n = self.n as i64;
        let mut count = self.count_at(i);
        let mut last = None;
        let mut k = i;
        while count >= exit {
            last = Some(k);
            k += 1;
            let leaving = k - n;
            if leaving > self.head - n && leaving <= self.head {
                count -= self.buckets[leaving.rem_euclid(n) as usize];
            }
        }
        last
    }
}

impl StormDetector {
    /// A detector; the configuration is checked.
    pub fn new(config: StormConfig) -> Result<Self> {
        let n_buckets = config.check()?;
        Ok(Self {
            keys: Lru::new(config.max_keys),
            config,
            n_buckets,
            mutes: MuteList::default(),
            fleet: Fleet::default(),
            clock_ms: None,
            counts: StormCounts::default(),
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

    /// Approximate bytes of per-key state (the bucket ring and the key name included).
    pub fn memory_bytes(&self) -> usize {
        self.keys.iter().map(|(_, k)| k.name.capacity()).sum::<usize>()
            + self.keys.len() * Lru::<KeyState>::bytes_per_key()
    }

    /// Keys flapping now.
    pub fn flapping(&self) -> Vec<(String, f64)> {
        self.keys.iter().filter(|(_, k)| k.flap.flapping).map(|(_, k)| (k.name.clone(), k.flap.percent())).collect()
    }

    /// Keys storming now with their start time and suppressed count.
    pub fn storming(&self) -> Vec<(String, Timestamp, u64)> {
        self.keys
            .iter()
            .filter_map(|(_, k)| k.storm.as_ref().map(|s| (k.name.clone(), ms_to_ts(s.started_ms), s.suppressed)))
            .collect()
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

    fn res_ms(&self) -> i64 {
        self.config.resolution.num_milliseconds()
    }

    fn end_ms(&self, s: &Storm) -> i64 {
        (s.hot_until + 1) * self.res_ms() + self.config.cooldown.num_milliseconds()
    }

    /// Closes the storm of `key` if it is over at `at_ms`.
    fn close_if_over(&mut self, id: u64, at_ms: i64, events: &mut Vec<StormEvent>) {
        let end = match self.keys.get(id).and_then(|k| k.storm.as_ref()) {
            Some(s) if self.end_ms(s) <= at_ms => self.end_ms(s),
            _ => return,
        };
        let k = self.keys.get_mut(id).expect("present");
        let s = k.storm.take().expect("storming");
        if !s.in_fleet {
            events.push(StormEvent::StormEnded {
                key: k.name.clone(),
                started_at: ms_to_ts(s.started_ms),
                ended_at: ms_to_ts(end),
                suppressed: s.suppressed,
            });
        }
        self.fleet.storming.remove(&id);
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
        let now_ms = now.timestamp_millis();
        let mut events = Vec::new();
        let mut ending: Vec<(i64, String, u64)> = self
            .fleet
            .storming
            .iter()
            .filter_map(|&id| self.keys.get(id).and_then(|k| k.storm.as_ref().map(|s| (self.end_ms(s), k.name.clone(), id))))
            .filter(|(end, _, _)| *end <= now_ms)
            .collect();
        ending.sort_unstable();
        for (_, _, id) in ending {
            self.close_if_over(id, now_ms, &mut events);
        }
        events
    }

    /// Judges one alert; `now`, when given, enables the `future` check.
    pub fn observe(&mut self, alert: &Alert<'_>, now: Option<Timestamp>) -> Verdict {
        let mut events = Vec::new();
        let (action, why) = self.judge(alert, now, &mut events);
        Verdict { action, reason: self.explain(alert.key, why), events }
    }

    /// Judges alerts in order without building reasons: one action per alert, and the events
    /// they produced. Allocates nothing per alert (events aside).
    pub fn observe_batch<'a>(&mut self, alerts: impl IntoIterator<Item = Alert<'a>>, now: Option<Timestamp>, actions: &mut Vec<Action>) -> Vec<StormEvent> {
        let mut events = Vec::new();
        for a in alerts {
            actions.push(self.judge(&a, now, &mut events).0);
        }
        events
    }

    /// Like [`observe_batch`](Self::observe_batch) for numeric keys (vehicle ids) with epoch-ms
    /// times, all checked first: one action code per alert (0 notify, 1 suppress, 2 mute).
    /// Key names are the ids in decimal, written into one reused buffer.
    pub fn observe_batch_ids(&mut self, ids: &[u64], at_ms: &[i64], firing: Option<&[u8]>, now: Option<Timestamp>) -> Result<(Vec<u8>, Vec<StormEvent>)> {
        self.batch(ids.len(), at_ms, firing, now, |i, name| {
            std::fmt::Write::write_fmt(name, format_args!("{}", ids[i])).expect("write to String");
        })
    }

    /// Like [`observe_batch_ids`](Self::observe_batch_ids) with key names.
    pub fn observe_batch_names(&mut self, names: &[String], at_ms: &[i64], firing: Option<&[u8]>, now: Option<Timestamp>) -> Result<(Vec<u8>, Vec<StormEvent>)> {
        self.batch(names.len(), at_ms, firing, now, |i, name| name.push_str(&names[i]))
    }

    fn batch(&mut self, n: usize, at_ms: &[i64], firing: Option<&[u8]>, now: Option<Timestamp>, mut key: impl FnMut(usize, &mut String)) -> Result<(Vec<u8>, Vec<StormEvent>)> {
        if at_ms.len() != n || firing.is_some_and(|f| f.len() != n) {
            return Err(FleetopsError::InvalidArgument("keys, times and firing flags must have the same length".into()));
        }
        let times = at_ms
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                chrono::DateTime::from_timestamp_millis(t)
                    .filter(|_| t >= 0)
                    .ok_or_else(|| FleetopsError::InvalidTimestamp(format!("epoch ms {t} is out of range")).at(format!("index {i}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut events = Vec::new();
        let mut codes = Vec::with_capacity(n);
        let mut k = String::with_capacity(32); // one buffer for every key name
        for (i, &at) in times.iter().enumerate() {
            k.clear();
            key(i, &mut k);
            let alert = Alert { key: &k, labels: &[], at, firing: firing.is_none_or(|f| f[i] != 0) };
            codes.push(self.judge(&alert, now, &mut events).0 as u8);
        }
        Ok((codes, events))
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
            Why::Storming { started_ms, count } => format!("{key} is storming since {}: {count} alerts in the window", iso(started_ms)),
            Why::StormStarted { count } => format!("storm started: {count} alerts in the window > {}; summarised, not passed on", c.enter_above),
            Why::FleetStarted { keys } => format!("{keys} keys storming at once (>= {}): fleet-wide storm", c.fleet_enter),
            Why::Folded => format!("{key} storms during the fleet-wide storm: folded into it"),
            Why::Flapping { pct } => format!("{key} is flapping ({pct:.1} % state change > {})", c.flap_high),
            Why::Calm { count } => format!("{count} alerts in the window <= {}", c.enter_above),
        }
    }

    fn judge(&mut self, alert: &Alert<'_>, now: Option<Timestamp>, events: &mut Vec<StormEvent>) -> (Action, Why) {
        self.counts.alerts += 1;
        let at_ms = alert.at.timestamp_millis();
        if now.is_some_and(|n| alert.at > n + self.config.max_future) {
            self.counts.future += 1;
            self.counts.notified += 1;
            return (Action::Notify, Why::Future);
        }
        let window_ms = self.config.window.num_milliseconds();
        if self.clock_ms.is_some_and(|c| at_ms < c - window_ms) {
            self.counts.late += 1;
            self.counts.notified += 1;
            return (Action::Notify, Why::Late);
        }
        self.clock_ms = Some(self.clock_ms.map_or(at_ms, |c| c.max(at_ms)));
        if let Some(i) = self.mutes.catch(alert.key, alert.labels, alert.at) {
            self.counts.muted += 1;
            return (Action::Mute, Why::Muted(i));
        }
        let id = super::key_id(alert.key);
        self.close_if_over(id, at_ms, events);
        let n = self.n_buckets as usize;
        let bucket = at_ms.div_euclid(self.res_ms());
        let name = alert.key;
        let (state, evicted) = self.keys.touch(id, || KeyState {
            name: name.to_owned(),
            buckets: [0; MAX_BUCKETS],
            n: n as u8,
            head: i64::MIN / 2,
            storm: None,
            flap: FlapState::default(),
        });
        let pct = state.flap.record(alert.firing);
        match state.flap.update(pct, self.config.flap_high, self.config.flap_low) {
            Some(true) => events.push(StormEvent::FlapStarted { key: name.to_owned(), percent: pct, at: alert.at }),
            Some(false) => events.push(StormEvent::FlapEnded { key: name.to_owned(), percent: pct, at: alert.at }),
            None => {}
        }
        let flapping = state.flap.flapping;
        if alert.firing {
            state.add(bucket);
        }
        let count = state.count_at(bucket.max(state.head));
        let (enter, exit) = (self.config.enter_above, self.config.exit_below);
        let hot = if state.storm.is_some() { state.hot_until(bucket, exit) } else { None };
        let result = if let Some(s) = state.storm.as_mut() {
            s.suppressed += 1;
            if let Some(h) = hot {
                s.hot_until = s.hot_until.max(h);
            }
            if s.in_fleet {
                if let Some(f) = self.fleet.active.as_mut() {
                    f.suppressed += 1;
                }
            }
            self.counts.suppressed_storm += 1;
            (Action::Suppress, Why::Storming { started_ms: s.started_ms, count })
        } else if alert.firing && count > enter {
            let hot = state.hot_until(bucket, exit).unwrap_or(bucket);
            let fleet_on = self.fleet.active.is_some();
            self.fleet.storming.insert(id);
            let storming = self.fleet.storming.len() as u32;
            let starts_fleet = !fleet_on && storming >= self.config.fleet_enter;
            state.storm = Some(Storm { started_ms: at_ms, suppressed: 0, hot_until: hot, in_fleet: fleet_on || starts_fleet });
            self.counts.storms += 1;
            self.counts.suppressed_storm += 1;
            if starts_fleet {
                self.counts.fleet_storms += 1;
                let keys: BTreeSet<u64> = self.fleet.storming.iter().copied().collect();
                self.fleet.active = Some(FleetStorm { started_ms: at_ms, keys, suppressed: 0 });
                events.push(StormEvent::FleetStormStarted { at: alert.at, keys: storming });
                (Action::Suppress, Why::FleetStarted { keys: storming })
            } else if fleet_on {
                if let Some(f) = self.fleet.active.as_mut() {
                    f.keys.insert(id);
                }
                (Action::Suppress, Why::Folded)
            } else {
                events.push(StormEvent::StormStarted { key: name.to_owned(), at: alert.at, count });
                (Action::Suppress, Why::StormStarted { count })
            }
        } else if flapping {
            self.counts.suppressed_flapping += 1;
            (Action::Suppress, Why::Flapping { pct })
        } else {
            self.counts.notified += 1;
            (Action::Notify, Why::Calm { count })
        };
        if let Some((old, st)) = evicted {
            self.counts.evicted += 1;
            if let Some(s) = st.storm {
                self.fleet.storming.remove(&old);
                if !s.in_fleet {
                    events.push(StormEvent::StormEnded {
                        key: st.name,
                        started_at: ms_to_ts(s.started_ms),
                        ended_at: alert.at,
                        suppressed: s.suppressed,
                    });
                }
            }
        }
        result
    }

    /// The saved state (versioned JSON; mutes and per-key state included).
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::snapshot::save("fleetops.storm_detector", self)
    }

    /// Restores a saved detector; bad bytes are `INVALID_STATE`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut d: Self = crate::snapshot::load("fleetops.storm_detector", bytes)?;
        d.n_buckets = d.config.check().map_err(|e| FleetopsError::InvalidState(format!("configuration: {e}")))?;
        if d.keys.iter().any(|(_, k)| k.n as u32 != d.n_buckets) {
            return Err(FleetopsError::InvalidState("per-key windows do not match the configuration".into()));
        }
        d.keys.reindex().map_err(|e| FleetopsError::InvalidState(format!("per-key state: {e}")))?;
        Ok(d)
    }
}
