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

use serde::{Deserialize, Serialize};

use super::columns::{Ids, Times};
use super::flap::{percent_of, FlapState, Thresholds};
use super::keys::{Entry, KeyTable, Removed};
use super::window::{admit, Admit, BucketCache, Recorded};
use chunk::Cols;

mod batch;
mod chunk;
mod shards;
use super::mute::{Mute, MuteList};
use crate::error::{FleetopsError, Result};
use crate::time::Timestamp;

/// The longest stretch of alert times a batch's maintenance mutes are written for at once, in
/// days; a batch spanning more is judged alert by alert (the same answers).
pub const MAX_COVER_DAYS: i64 = 31;

mod config;
mod persist;
mod results;

pub use config::StormConfig;
pub use results::{Action, Alert, FlappingKey, StormCounts, StormEvent, StormStats, StormingKey, Verdict};

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
        let mut mutes = MuteList::default();
        mutes.set_maintenance(config.maintenance.clone());
        Ok(Self {
            keys: KeyTable::new(config.max_keys),
            storms: Vec::new(),
            free_storms: Vec::new(),
            config,
            n_buckets,
            mutes,
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
                .map(|(key, started_at, suppressed)| StormingKey { key, started_at, suppressed })
                .collect(),
            flapping: flapping.into_iter().map(|(key, percent)| FlappingKey { key, percent }).collect(),
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
        Verdict::new(action, self.explain(alert.key, why), events)
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
                crate::columns::check_f64_keys(ids)?;
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
                let whole = self.cover_batch(n, |i| ms[i]);
                self.batch_covered(
                    whole,
                    Cols { n, at_ms: |i| ms[i], id_of: id, key, firing, now_ms: now.map(crate::time::round_millis) },
                )
            }
            Times::Epoch(t, unit) => {
                crate::time::check_epoch(t, unit)?;
                let at_ms = |i| crate::time::epoch_millis(t[i], unit);
                let whole = self.cover_batch(n, at_ms);
                self.batch_covered(
                    whole,
                    Cols { n, at_ms, id_of: id, key, firing, now_ms: now.map(crate::time::round_millis) },
                )
            }
        }
    }

    /// Writes the maintenance mutes for a batch's time span (one pass over its times, only
    /// with maintenance windows). A span longer than [`MAX_COVER_DAYS`] is not written whole
    /// (its cost follows the span, not the alerts: one alert in 1970 and one in 9999 would
    /// expand eight millennia); `false` then, and the batch is judged alert by alert, each
    /// alert writing the week it reaches, as one-alert calls do.
    fn cover_batch(&mut self, n: usize, at_ms: impl Fn(usize) -> i64) -> bool {
        if self.config.maintenance.is_empty() || n == 0 {
            return true;
        }
        let (lo, hi) = (0..n).map(&at_ms).fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        if hi.saturating_sub(lo) > MAX_COVER_DAYS * 86_400_000 {
            return false;
        }
        self.mutes.cover(lo, hi);
        true
    }

    /// Judges a batch on its threads when its maintenance mutes are written whole, else alert
    /// by alert (see [`cover_batch`](Self::cover_batch)); the answers are the same either way.
    fn batch_covered<A, I, K>(&mut self, whole: bool, cols: Cols<'_, A, I, K>) -> Result<(Vec<u8>, Vec<StormEvent>)>
    where
        A: Fn(usize) -> i64 + Sync,
        I: Fn(usize) -> u64 + Sync,
        K: Fn(usize, &mut dyn FnMut(&str)) + Sync,
    {
        if whole {
            return self.batch_checked(cols);
        }
        let threads = self.threads;
        self.threads = 1;
        let out = self.batch_checked(cols);
        self.threads = threads;
        out
    }

    fn explain(&self, key: &str, why: Why) -> String {
        let c = &self.config;
        match why {
            Why::Future => "more than max_future ahead of now: passed on, not counted".into(),
            Why::Late => "older than the window behind the newest alert: passed on, not counted".into(),
            Why::Muted(i) => {
                let m = &self.mutes.mutes()[i];
                format!("muted by {} until {}: {}", m.id, crate::time::to_iso(m.ends_at), m.reason)
            }
            // The two reasons nearly every alert gets, built by hand: `format!` and a separate
            // ISO string were a fifth of a one-alert call from Python.
            Why::Storming { started_ms, count } => {
                let mut out = String::with_capacity(key.len() + 80); // the text around, a time and a count
                out.push_str(key);
                out.push_str(" is storming since ");
                crate::time::push_iso(&mut out, ms_to_ts(started_ms));
                out.push_str(": ");
                out.push_str(itoa::Buffer::new().format(count));
                out.push_str(" alerts in the window");
                out
            }
            Why::StormStarted { count } => {
                format!("storm started: {count} alerts in the window > {}; summarised, not passed on", c.enter_above)
            }
            Why::FleetStarted { keys } => {
                format!("{keys} keys storming at once (>= {}): fleet-wide storm", c.fleet_enter)
            }
            Why::Folded => format!("{key} storms during the fleet-wide storm: folded into it"),
            Why::Flapping { pct } => format!("{key} is flapping ({pct:.1} % state change > {})", c.flap_high),
            Why::Calm { count } => {
                let mut out = String::with_capacity(48);
                out.push_str(itoa::Buffer::new().format(count));
                out.push_str(" alerts in the window <= ");
                out.push_str(itoa::Buffer::new().format(c.enter_above));
                out
            }
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
        self.mutes.cover(at_ms, at_ms);
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
}
