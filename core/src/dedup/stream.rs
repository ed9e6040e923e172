//! Streaming keep-first de-duplication within an event-time horizon, with watermarks.
//!
//! The watermark is the largest event time seen minus the allowed lateness. For each event:
//! 1. with a `now`, an event more than `max_future` ahead of it is `future`: reported, not
//!    stored, and it does not move the watermark (a bad clock must not make everything late);
//! 2. an event older than the watermark (`t < watermark`) is `late`: reported, not stored;
//! 3. otherwise the event moves the watermark, and its key is a `duplicate` if it was first
//!    seen at `t0` with `watermark <= t0 + horizon`, else it is `first` and `t0 = t`.
//!
//! That is Spark's `dropDuplicatesWithinWatermark` evaluated per event instead of per
//! micro-batch. Because the state is data ([`Deduper::to_bytes`]), a job restarted from a new
//! checkpoint that replays its input from the earliest offset gets `late` or `duplicate` for
//! everything it had already emitted, and `first` for nothing twice.

use serde::Serialize;

use crate::error::{FleetopsError, Result};
use crate::time::{EpochUnit, Timestamp};

use super::bloom::BloomStore;
use super::config::{DedupConfig, DedupMode, MAX_BLOOM_BYTES};
use super::exact::{ExactStore, Seen};
use super::key::mix;
use super::stats::{DedupCounts, DedupStats};

/// What happened to one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// First time seen within the horizon: emit it.
    First,
    /// Seen before within the horizon: drop it.
    Duplicate,
    /// Older than the watermark: its key may have been forgotten, so the caller decides.
    Late,
    /// Too far ahead of `now`: a clock error, not stored.
    Future,
}

impl Outcome {
    /// Every outcome, in code order.
    pub const ALL: [Outcome; 4] = [Outcome::First, Outcome::Duplicate, Outcome::Late, Outcome::Future];

    /// The compact code used by batch calls: 0 first, 1 duplicate, 2 late, 3 future.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// `"first"`, `"duplicate"`, `"late"` or `"future"`.
    pub fn as_str(self) -> &'static str {
        ["first", "duplicate", "late", "future"][self as usize]
    }
}

#[derive(Clone)]
pub(crate) enum Store {
    Exact(ExactStore),
    Bloom(BloomStore),
}

/// Streaming de-duplication: `first`, `duplicate`, `late` or `future` per event (see the
/// [`dedup`](crate::dedup) module for the rules).
///
/// ```
/// use chrono::TimeDelta;
/// use fleetops::dedup::{DedupConfig, Deduper, Outcome};
/// use fleetops::time::parse_timestamp;
///
/// let mut dedup = Deduper::new(DedupConfig::new(TimeDelta::hours(1)))?;
/// let t = parse_timestamp("2026-11-22T08:00:00Z")?;
/// assert_eq!(dedup.observe(42, t, None)?, Outcome::First);
/// assert_eq!(dedup.observe(42, t + TimeDelta::minutes(30), None)?, Outcome::Duplicate);
/// // Restart: the saved state goes with the job, and a replay is not emitted again.
/// let mut restarted = Deduper::from_bytes(&dedup.to_bytes())?;
/// assert_eq!(restarted.observe(42, t, None)?, Outcome::Late); // behind the watermark
/// assert_eq!(restarted.observe(42, t + TimeDelta::minutes(40), None)?, Outcome::Duplicate);
/// # Ok::<(), fleetops::FleetopsError>(())
/// ```
#[derive(Clone)]
pub struct Deduper {
    pub(crate) config: DedupConfig,
    pub(crate) store: Store,
    pub(crate) max_ms: Option<i64>,
    pub(crate) counts: DedupCounts,
    horizon_ms: i64,
    lateness_ms: i64,
    future_ms: i64,
}

impl std::fmt::Debug for Deduper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deduper").field("config", &self.config).field("stats", &self.stats()).finish()
    }
}

/// Checks an epoch-ms event time (1970 .. 9999).
fn check_ms(t: i64) -> Result<i64> {
    if (0..=253_402_300_799_999).contains(&t) {
        Ok(t)
    } else {
        Err(FleetopsError::InvalidTimestamp(format!("epoch ms {t} is outside 1970-01-01 .. 9999-12-31")))
    }
}

impl Deduper {
    /// A de-duplicator; the configuration is checked. Durations are kept to the nearest
    /// millisecond (event times are judged in milliseconds), so a horizon under half a
    /// millisecond is refused as zero.
    pub fn new(mut config: DedupConfig) -> Result<Self> {
        for d in [&mut config.horizon, &mut config.allowed_lateness, &mut config.max_future] {
            *d = crate::time::round_delta_millis(*d);
        }
        config.validate()?;
        let store = match config.mode {
            DedupMode::Exact => {
                let capacity = config.exact_capacity.map(|n| n as usize);
                Store::Exact(ExactStore::new(config.unit_ms(), config.max_keys, capacity).ok_or_else(|| {
                    let gib = ExactStore::bytes_for(capacity.unwrap_or(0)) as f64 / f64::from(1 << 30);
                    FleetopsError::InvalidArgument(format!(
                        "expected_keys {} needs a {gib:.1} GiB table up front, which this machine would not give",
                        capacity.unwrap_or(0)
                    ))
                })?)
            }
            DedupMode::Bloom => Store::Bloom(BloomStore::new(
                config.expected_keys,
                config.fpr,
                config.generations(),
                DedupConfig::ms(config.horizon),
                MAX_BLOOM_BYTES,
            )),
        };
        Ok(Self {
            horizon_ms: DedupConfig::ms(config.horizon),
            lateness_ms: DedupConfig::ms(config.allowed_lateness),
            future_ms: DedupConfig::ms(config.max_future),
            config,
            store,
            max_ms: None,
            counts: DedupCounts::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    /// Judges one event with a u64 key (hash text and composite keys with
    /// [`key_hash`](super::key_hash)). `now`, when given, enables the `future` check.
    pub fn observe(&mut self, key: u64, at: Timestamp, now: Option<Timestamp>) -> Result<Outcome> {
        let t = check_ms(crate::time::round_millis(at))?;
        Ok(self.observe_ms(mix(key), t, now.map(crate::time::round_millis)))
    }

    /// Judges one checked event whose key has been mixed.
    #[inline(always)]
    fn observe_ms(&mut self, mixed: u64, t: i64, now_ms: Option<i64>) -> Outcome {
        let outcome = self.decide(mixed, t, now_ms);
        self.counts.add(outcome);
        outcome
    }

    #[inline(always)]
    fn decide(&mut self, mixed: u64, t: i64, now_ms: Option<i64>) -> Outcome {
        if now_ms.is_some_and(|n| t > n.saturating_add(self.future_ms)) {
            return Outcome::Future;
        }
        if let Some(max) = self.max_ms {
            if t < max - self.lateness_ms {
                return Outcome::Late;
            }
        }
        let max = self.max_ms.map_or(t, |m| m.max(t));
        self.max_ms = Some(max);
        let w = max - self.lateness_ms;
        match &mut self.store {
            Store::Exact(s) => {
                let (seen, evicted) = s.observe(mixed, t, w, self.horizon_ms);
                self.counts.evicted = self.counts.evicted.saturating_add(evicted);
                match seen {
                    Seen::Duplicate => Outcome::Duplicate,
                    Seen::First => Outcome::First,
                }
            }
            Store::Bloom(b) => {
                b.expire(w, self.horizon_ms);
                if b.contains(mixed) {
                    Outcome::Duplicate
                } else {
                    self.counts.evicted = self.counts.evicted.saturating_add(b.insert(mixed, t));
                    Outcome::First
                }
            }
        }
    }

    /// Judges a batch in order, after checking every timestamp (all or nothing): one code per
    /// event ([`Outcome::code`]). Timestamps are epoch ms.
    pub fn observe_batch(&mut self, keys: &[u64], at_ms: &[i64], now: Option<Timestamp>) -> Result<Vec<u8>> {
        same_lengths(keys.len(), at_ms.len())?;
        for (i, &t) in at_ms.iter().enumerate() {
            check_ms(t).map_err(|e| e.at(format!("index {i}")))?;
        }
        let mut out = vec![0; keys.len()];
        self.judge_batch(keys, |i| at_ms[i], now, &mut out);
        Ok(out)
    }

    /// Like [`observe_batch`](Self::observe_batch) with float epoch timestamps in `unit`
    /// (Python's seconds, JavaScript's milliseconds); NaN and out-of-range times are refused
    /// before anything is judged.
    pub fn observe_batch_epoch(
        &mut self,
        keys: &[u64],
        at: &[f64],
        unit: EpochUnit,
        now: Option<Timestamp>,
    ) -> Result<Vec<u8>> {
        let mut out = vec![0; keys.len()];
        self.observe_batch_epoch_into(keys, at, unit, now, &mut out)?;
        Ok(out)
    }

    /// Like [`observe_batch_epoch`](Self::observe_batch_epoch), writing each event's code into
    /// `out` (as long as `keys`): each time is converted as it is judged, so a batch of
    /// millions allocates neither converted times nor codes. All or nothing: every time is
    /// checked before the first is judged.
    pub fn observe_batch_epoch_into(
        &mut self,
        keys: &[u64],
        at: &[f64],
        unit: EpochUnit,
        now: Option<Timestamp>,
        out: &mut [u8],
    ) -> Result<()> {
        same_lengths(keys.len(), at.len())?;
        if out.len() != keys.len() {
            return Err(FleetopsError::InvalidArgument(format!("{} keys but {} output bytes", keys.len(), out.len())));
        }
        crate::time::check_epoch(at, unit)?;
        self.judge_batch(keys, |i| crate::time::epoch_millis(at[i], unit), now, out);
        Ok(())
    }

    /// Judges checked events in order, the store's buckets of a few events ahead prefetched.
    #[inline]
    fn judge_batch(&mut self, keys: &[u64], at_ms: impl Fn(usize) -> i64, now: Option<Timestamp>, out: &mut [u8]) {
        let now_ms = now.map(crate::time::round_millis);
        // Each key is mixed once, LOOKAHEAD events ahead, where its lines are prefetched; a
        // ring keeps it until its turn.
        const LOOKAHEAD: usize = 12;
        const RING: usize = 16;
        let mut ring = [0u64; RING];
        for (slot, &k) in ring.iter_mut().zip(keys.iter().take(LOOKAHEAD)) {
            *slot = mix(k);
        }
        for (i, code) in out.iter_mut().enumerate().take(keys.len()) {
            if let Some(&k) = keys.get(i + LOOKAHEAD) {
                let mixed = mix(k);
                ring[(i + LOOKAHEAD) % RING] = mixed;
                if let Store::Exact(s) = &self.store {
                    s.prefetch(mixed);
                }
            }
            *code = self.observe_ms(ring[i % RING], at_ms(i), now_ms).code();
        }
    }

    /// The watermark: the largest event time seen minus the allowed lateness.
    pub fn watermark(&self) -> Option<Timestamp> {
        self.max_ms.and_then(|m| chrono::DateTime::from_timestamp_millis(m - self.lateness_ms))
    }

    /// Outcome counts so far.
    pub fn counts(&self) -> DedupCounts {
        self.counts
    }

    /// Bytes held for keys.
    pub fn memory_bytes(&self) -> usize {
        match &self.store {
            Store::Exact(s) => s.memory_bytes(),
            Store::Bloom(b) => b.memory_bytes(),
        }
    }

    /// Counts, memory, watermark.
    pub fn stats(&self) -> DedupStats {
        // Live: still a duplicate at the watermark (`watermark <= first_seen + horizon`), the rule
        // the store expires by; expired keys wait in the table until replaced or swept.
        let w = self.max_ms.map(|m| m - self.lateness_ms);
        let (live_keys, estimated_fpr) = match &self.store {
            Store::Exact(s) => match w {
                Some(w) => (s.entries().filter(|&(_, t0)| w <= t0 + self.horizon_ms).count() as u64, None),
                None => (s.len() as u64, None),
            },
            Store::Bloom(b) => (b.keys(), Some(b.estimated_fpr())),
        };
        DedupStats {
            mode: self.config.mode,
            live_keys,
            memory_bytes: self.memory_bytes() as u64,
            counts: self.counts,
            watermark: self.watermark(),
            estimated_fpr,
        }
    }

    /// Folds `other` (another partition or worker, same configuration) into this one, so that
    /// it answers as if it had seen both streams: the watermark is the later one, counts add up,
    /// and a key's window starts at its earlier first-seen time when the later one falls inside
    /// that window (it was a duplicate in the combined stream), else at the later one; it is
    /// kept if that window has not expired. Exact when each key's events in the two partitions
    /// are more than a horizon apart or all within one window. Otherwise it can differ: a
    /// partition stores only its latest window start per key, so an event that was a duplicate
    /// there but would have opened a new window in the combined stream is not known to it.
    pub fn merge(&mut self, other: &Deduper) -> Result<()> {
        // A starting size is not a rule: de-duplicators differing only there judge alike.
        let rules = |c: &DedupConfig| DedupConfig { exact_capacity: None, ..c.clone() };
        if rules(&self.config) != rules(&other.config) {
            return Err(FleetopsError::InvalidArgument(
                "only de-duplicators with the same configuration can merge".into(),
            ));
        }
        let max = match (self.max_ms, other.max_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let Some(max) = max else { return Ok(()) };
        let w = max - self.lateness_ms;
        let h = self.horizon_ms;
        match (&mut self.store, &other.store) {
            (Store::Exact(a), Store::Exact(b)) => {
                // A key's window in the combined stream: a partition's window start that falls
                // inside the other's earlier window was a duplicate there, so the earlier start
                // is the key's window, even when it has expired by now (then the key is gone).
                let mut starts: std::collections::HashMap<u64, (i64, i64)> = Default::default();
                for (k, t0) in a.entries() {
                    starts.insert(k, (t0, t0));
                }
                for (k, t0) in b.entries() {
                    let e = starts.entry(k).or_insert((t0, t0));
                    *e = (e.0.min(t0), e.1.max(t0));
                }
                let live = starts
                    .into_iter()
                    .map(|(k, (early, late))| (k, if late <= early + h { early } else { late }))
                    .filter(|&(_, t0)| w <= t0 + h)
                    .collect();
                self.counts.evicted = self.counts.evicted.saturating_add(a.reload(live, w - h, None));
            }
            (Store::Bloom(a), Store::Bloom(b)) => {
                self.counts.evicted = self.counts.evicted.saturating_add(a.merge(b));
                a.expire(w, h);
            }
            _ => unreachable!("equal configurations have equal modes"),
        }
        self.max_ms = Some(max);
        self.counts.merge(&other.counts);
        Ok(())
    }
}

/// A batch's keys and times pair up one to one.
fn same_lengths(keys: usize, times: usize) -> Result<()> {
    if keys != times {
        return Err(FleetopsError::InvalidArgument(format!("{keys} keys but {times} timestamps")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn dedup(h_ms: i64, late_ms: i64) -> Deduper {
        let mut c = DedupConfig::new(TimeDelta::milliseconds(h_ms));
        c.allowed_lateness = TimeDelta::milliseconds(late_ms);
        Deduper::new(c).unwrap()
    }

    const T: i64 = 1_763_798_400_000;

    #[test]
    fn boundaries() {
        let mut d = dedup(10_000, 5_000);
        assert_eq!(d.observe_ms(1, T, None), Outcome::First);
        assert_eq!(d.observe_ms(1, T + 10_000, None), Outcome::Duplicate); // w = T + 5 s <= T + 10 s
        assert_eq!(d.observe_ms(2, T + 15_000, None), Outcome::First); // w = T + 10 s
        assert_eq!(d.observe_ms(1, T + 15_000, None), Outcome::Duplicate); // w = T + 10 s = t0 + h
        assert_eq!(d.observe_ms(3, T + 15_001, None), Outcome::First); // w = T + 10.001 s
        assert_eq!(d.observe_ms(1, T + 15_001, None), Outcome::First); // expired: renewed
        assert_eq!(d.observe_ms(4, T + 10_000, None), Outcome::Late); // w = T + 10.001 s
        assert_eq!(d.observe_ms(4, T + 10_001, None), Outcome::First); // t == watermark: judged
        assert_eq!(d.observe_ms(5, T + 400_001, Some(T + 100_000)), Outcome::Future);
        assert_eq!(d.counts(), DedupCounts { first: 5, duplicate: 2, late: 1, future: 1, evicted: 0 });
    }

    #[test]
    fn key_zero_and_long_horizons() {
        let mut c = DedupConfig::new(TimeDelta::days(60));
        c.allowed_lateness = TimeDelta::days(1);
        let mut d = Deduper::new(c).unwrap();
        assert_eq!(d.observe_ms(0, T, None), Outcome::First);
        assert_eq!(d.observe_ms(0, T + 1, None), Outcome::Duplicate);
        assert_eq!(d.observe_ms(9, T + 59 * 86_400_000, None), Outcome::First);
        assert_eq!(d.observe_ms(9, T + 119 * 86_400_000, None), Outcome::Duplicate);
        assert_eq!(d.observe_ms(0, T + 117 * 86_400_000, None), Outcome::Late);
        assert_eq!(d.observe_ms(0, T + 121 * 86_400_000, None), Outcome::First);
        // expired, renewed
    }

    #[test]
    fn matches_a_hashmap_model_through_rebuilds() {
        let (h, late) = (50_000i64, 20_000i64);
        let mut d = dedup(h, late);
        let mut model: std::collections::HashMap<u64, i64> = Default::default();
        let mut max: Option<i64> = None;
        let mut x = 88_172_645_463_325_252u64;
        for i in 0..200_000i64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let key = x % 5_000;
            let t = T + i * 7 - (x % 25_000) as i64;
            let expect = match max {
                Some(m) if t < m - late => Outcome::Late,
                _ => {
                    let m = max.map_or(t, |m| m.max(t));
                    max = Some(m);
                    match model.get(&key) {
                        Some(&t0) if m - late <= t0 + h => Outcome::Duplicate,
                        _ => {
                            model.insert(key, t);
                            Outcome::First
                        }
                    }
                }
            };
            assert_eq!(d.observe_ms(key, t, None), expect, "event {i}");
        }
        assert!(d.memory_bytes() < 5_000 * 24, "{}", d.memory_bytes());
    }

    #[test]
    fn the_cap_evicts_the_oldest_and_counts_them() {
        let mut c = DedupConfig::new(TimeDelta::days(1));
        c.max_keys = Some(800);
        let mut d = Deduper::new(c).unwrap();
        for k in 0..10_000u64 {
            assert_eq!(d.observe_ms(k, T + k as i64, None), Outcome::First);
        }
        let s = d.stats();
        assert!(s.live_keys <= 800);
        assert_eq!(s.counts.evicted + s.live_keys, 10_000);
        assert_eq!(d.observe_ms(9_999, T + 10_000, None), Outcome::Duplicate); // the newest stay
        assert_eq!(d.observe_ms(0, T + 10_000, None), Outcome::First); // the oldest went
    }

    #[test]
    fn bad_configs() {
        let code = |c: DedupConfig| Deduper::new(c).unwrap_err().code();
        assert_eq!(code(DedupConfig::new(TimeDelta::zero())), "INVALID_DURATION");
        assert_eq!(code(DedupConfig::new(TimeDelta::seconds(-1))), "INVALID_DURATION");
        let mut c = DedupConfig::new(TimeDelta::hours(1));
        c.mode = DedupMode::Bloom;
        c.fpr = 1.0;
        assert_eq!(code(c.clone()), "INVALID_TARGET");
        c.fpr = 0.01;
        c.max_keys = Some(5);
        assert_eq!(code(c), "INVALID_ARGUMENT");
    }
}
