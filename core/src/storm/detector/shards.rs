//! Judging chunks of a batch a shard per thread, with the result of judging them in order.
//!
//! Alerts of keys in different shards touch different table entries; they meet only in what
//! is table-wide: storms (and the fleet storm they make up), new keys (a new key may evict the
//! least recently seen key, in either shard) and the clock. So in a chunk, each thread judges
//! the alerts of its shard as long as each is *local*: its key is in the table or fits without
//! evicting one (each thread may add half the room left at the start) or growing the shard,
//! the alert does not start a storm and, if the key storms, does not end the storm (a storm
//! goes on with a count of its own, kept aside and written back). Every thread reads every alert's time, so each keeps
//! the clock (late and future alerts) as it would be in order. The first alert that is not
//! local stops the chunk: both threads put back the entries they changed in it, and the caller
//! judges it in order. Each alert is stamped with its position for recency, so eviction later
//! picks the same key as in order; events (flapping) are merged by position and counts added.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::chunk::{Cols, AHEAD, CHUNK};
use super::{flap_event, ms_to_ts, Action, Millis, Storm, StormCounts, StormDetector, StormEvent};
use crate::storm::keys::{shard_of, Entry, Shard, SHARDS};
use crate::storm::mute::MuteList;
use crate::storm::window::BucketCache;

/// Threads a batch uses at most: one per shard.
pub(super) const THREADS: usize = SHARDS;

/// How a run of chunks ended.
pub(super) enum Run {
    /// Every alert from the start on is judged.
    Done,
    /// Alerts before `upto` are judged; alert `stop` (in the chunk from `upto`) is not local.
    /// `kept`: at least one chunk was judged before it.
    Stopped { upto: usize, stop: usize, kept: bool },
}

/// What both threads read. Each thread keeps its own copy of the settings, and what they
/// write is on cache lines of its own (a line both threads write cost more than the rest).
struct Ctx<'a> {
    params: Params,
    mutes: &'a MuteList,
    storms: &'a [Option<Storm>],
    /// The first alert not local in the chunk (`usize::MAX`: none yet).
    stop: Line<AtomicUsize>,
    /// The alerts each thread sorted out of its half of the chunk, by shard: `gathered[t][s]`
    /// is filled by thread `t`, then (after the barrier) judged by thread `s`, so no lock is
    /// ever waited for.
    gathered: [[Mutex<Vec<Own>>; SHARDS]; THREADS],
    /// The clock at the end of each half of the chunk (the second half's without the first's).
    half_clock: [Line<AtomicI64>; THREADS],
    barrier: Line<Barrier>,
}

/// The settings a thread reads for every alert.
#[derive(Clone, Copy)]
struct Params {
    n_buckets: i64,
    ms: Millis,
    enter: u32,
    exit: u32,
    fleet_storm: bool,
    /// The first alert of the run, and the recency sequence before it.
    from: usize,
    seq0: u64,
    /// New keys each thread may add in the run without a key being evicted.
    room: usize,
}

/// A value on cache lines of its own.
#[derive(Default)]
#[repr(align(128))]
struct Line<T>(T);

/// Judges chunks from alert `from` a shard per thread, until the end or the first chunk with
/// an alert that is not local; writes the action codes and events of the judged chunks.
pub(super) fn judge<A, I, K>(
    d: &mut StormDetector,
    cols: &Cols<'_, A, I, K>,
    from: usize,
    codes: &mut [u8],
    events: &mut Vec<StormEvent>,
) -> Run
where
    A: Fn(usize) -> i64 + Sync,
    I: Fn(usize) -> u64 + Sync,
    K: Fn(usize, &mut dyn FnMut(&str)) + Sync,
{
    let room = d.keys.room() / SHARDS;
    let (shards, seq0) = d.keys.shards_mut();
    let params = Params {
        n_buckets: i64::from(d.n_buckets),
        ms: d.ms,
        enter: d.config.enter_above,
        exit: d.config.exit_below,
        fleet_storm: d.fleet.active.is_some(),
        from,
        seq0,
        room,
    };
    let ctx = Ctx {
        params,
        mutes: &d.mutes,
        storms: &d.storms,
        stop: Line(AtomicUsize::new(usize::MAX)),
        gathered: std::array::from_fn(|_| std::array::from_fn(|_| Mutex::new(Vec::with_capacity(CHUNK / 2)))),
        half_clock: Default::default(),
        barrier: Line::default(),
    };
    // Each thread writes the codes of its alerts (and zeros for the others') into codes of its
    // own: writing one array from both threads would pass its cache lines back and forth.
    let (clock, buckets) = (d.clock_ms, d.buckets);
    let mut their_codes = vec![0u8; cols.n - from];
    let ((upto, mine_buckets, mine), (_, _, theirs)) = std::thread::scope(|s| {
        let mut workers = shards.iter_mut().enumerate().map(|(me, shard)| Worker::new(me, shard, &ctx, clock, buckets));
        let (mut first, mut second) = (workers.next().expect("two shards"), workers.next().expect("two shards"));
        let helper = s.spawn(|| {
            second.run(cols, &mut their_codes);
            second
        });
        first.run(cols, &mut codes[from..]);
        match helper.join() {
            Ok(second) => (first.done(), second.done()),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    for (code, theirs) in codes[from..upto].iter_mut().zip(&their_codes) {
        *code |= theirs;
    }
    let stop = ctx.stop.0.into_inner();
    d.keys.advance_seq((upto - from) as u64);
    d.clock_ms = mine.clock;
    d.buckets = mine_buckets;
    d.counts.add(&mine.counts);
    d.counts.add(&theirs.counts);
    for (k, storm) in mine.storms.into_iter().chain(theirs.storms) {
        d.storms[k as usize] = Some(storm);
    }
    if let Some(f) = d.fleet.active.as_mut() {
        f.suppressed += mine.fleet_suppressed + theirs.fleet_suppressed;
    }
    for (i, (&a, &b)) in mine.caught.iter().zip(&theirs.caught).enumerate() {
        if a + b > 0 {
            d.mutes.count(i, a + b);
        }
    }
    events.extend(merge_by_position(mine.events, theirs.events));
    match stop {
        usize::MAX => Run::Done,
        stop => Run::Stopped { upto, stop, kept: upto > from },
    }
}

/// Two lists of (position, event) in position order, merged.
fn merge_by_position(a: Vec<(usize, StormEvent)>, b: Vec<(usize, StormEvent)>) -> impl Iterator<Item = StormEvent> {
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some((i, _)), Some((j, _))) if j < i => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
    .map(|(_, e)| e)
}

/// One thread's part: the alerts of its shard.
#[repr(align(128))]
struct Worker<'s, 'c> {
    me: usize,
    p: Params,
    shard: &'s mut Shard,
    ctx: &'c Ctx<'c>,
    buckets: BucketCache,
    /// Judged chunks' totals, and the current chunk's on top.
    t: Tally,
    /// Where each storm is in `t.storms` (1 + position; 0: not there).
    storm_at: Vec<u32>,
    /// The totals before the current chunk (`events` unused), and how many events.
    kept: Tally,
    kept_events: usize,
    /// The current chunk's changed entries as they were before it: (index, entry).
    undo: Vec<(usize, Entry)>,
    /// Keys added in the current chunk.
    new_keys: Vec<u64>,
    name: String,
    /// Alerts before this are judged for good.
    upto: usize,
}

/// An alert of a thread's shard: its position, key id, time, and the clock before it.
#[derive(Clone, Copy)]
struct Own {
    i: usize,
    id: u64,
    at_ms: i64,
    clock: i64,
}

/// What a thread's judging adds up to in a run.
#[derive(Default)]
struct Tally {
    clock: Option<i64>,
    counts: StormCounts,
    /// Alerts caught per mute.
    caught: Vec<u64>,
    /// (position, event).
    events: Vec<(usize, StormEvent)>,
    /// Storms of this shard's keys as they go on: (index, storm).
    storms: Vec<(u32, Storm)>,
    fleet_suppressed: u64,
    /// Keys added.
    added: usize,
}

impl Tally {
    /// Copies `o` but its events, reusing this tally's memory.
    fn copy_from(&mut self, o: &Tally) {
        (self.clock, self.counts, self.fleet_suppressed, self.added) = (o.clock, o.counts, o.fleet_suppressed, o.added);
        self.caught.clone_from(&o.caught);
        self.storms.clone_from(&o.storms);
    }
}

impl<'s, 'c> Worker<'s, 'c> {
    fn new(me: usize, shard: &'s mut Shard, ctx: &'c Ctx<'c>, clock: Option<i64>, buckets: BucketCache) -> Self {
        Self {
            me,
            p: ctx.params,
            shard,
            ctx,
            buckets,
            t: Tally { clock, caught: vec![0; ctx.mutes.mutes().len()], ..Tally::default() },
            storm_at: vec![0; ctx.storms.len()],
            kept: Tally::default(),
            kept_events: 0,
            undo: Vec::with_capacity(CHUNK),
            new_keys: Vec::new(),
            name: String::with_capacity(32),
            upto: ctx.params.from,
        }
    }

    /// What the thread hands back: how far it judged, its bucket cache and its tally.
    fn done(self) -> (usize, BucketCache, Tally) {
        (self.upto, self.buckets, self.t)
    }

    /// Remembers the state before a chunk.
    fn keep(&mut self) {
        self.kept.copy_from(&self.t);
        self.kept_events = self.t.events.len();
    }

    /// Goes back to the state before the chunk: entries, keys, totals, events and storms.
    fn restore(&mut self) {
        // Entries first, where they were: adding keys moved none.
        for &(i, e) in &self.undo {
            *self.shard.entry_mut(i) = e;
        }
        for &key in self.new_keys.iter().rev() {
            let i = self.shard.find(key).expect("a key added in the chunk");
            self.shard.remove(i);
        }
        self.new_keys.clear();
        for &(s, _) in &self.t.storms[self.kept.storms.len()..] {
            self.storm_at[s as usize] = 0;
        }
        self.t.copy_from(&self.kept);
        self.t.events.truncate(self.kept_events);
    }

    /// Judges chunk after chunk in step with the other thread, until the end or a stop.
    /// `codes[k]` is the code of alert `from + k`.
    fn run<A, I, K>(&mut self, cols: &Cols<'_, A, I, K>, codes: &mut [u8])
    where
        A: Fn(usize) -> i64,
        I: Fn(usize) -> u64,
        K: Fn(usize, &mut dyn FnMut(&str)),
    {
        let _guard = PanicGuard(&self.ctx.barrier.0);
        while self.upto < cols.n {
            let (lo, hi) = (self.upto, (self.upto + CHUNK).min(cols.n));
            self.keep();
            self.chunk(cols, lo, hi, codes);
            self.ctx.barrier.0.wait();
            // A stop in this chunk; the other thread may already be in the next one, whose
            // stops are past `hi`.
            if self.ctx.stop.0.load(Ordering::Acquire) < hi {
                self.restore();
                return;
            }
            self.undo.clear();
            self.new_keys.clear();
            self.upto = hi;
        }
    }

    /// Judges the local alerts of this shard in `lo .. hi`, with the lines of the next ones
    /// prefetched; stops at the first that is not local (or when the other thread did).
    fn chunk<A, I, K>(&mut self, cols: &Cols<'_, A, I, K>, lo: usize, hi: usize, codes: &mut [u8])
    where
        A: Fn(usize) -> i64,
        I: Fn(usize) -> u64,
        K: Fn(usize, &mut dyn FnMut(&str)),
    {
        let (ms, from, ctx) = (self.p.ms, self.p.from, self.ctx);
        codes[lo - from..hi - from].fill(0);
        // Each thread goes through half the chunk, sorting its alerts by shard, with the clock
        // before each (`admit` for every alert, without a branch per alert); the clock of the
        // second half still lacks the first half's, added when the alerts are judged.
        let ahead_of = cols.now_ms.map_or(i64::MAX, |n| n.saturating_add(ms.max_future));
        let mid = lo + (hi - lo) / 2;
        let (a, b, mut clock) =
            if self.me == 0 { (lo, mid, self.t.clock.unwrap_or(i64::MIN)) } else { (mid, hi, i64::MIN) };
        {
            let mut lists = ctx.gathered[self.me].each_ref().map(|l| l.lock().expect("the other thread panicked"));
            for list in &mut lists {
                list.clear();
            }
            for i in a..b {
                let (id, at_ms) = ((cols.id_of)(i), (cols.at_ms)(i));
                lists[shard_of(id)].push(Own { i, id, at_ms, clock });
                // Future alerts leave the clock alone; late ones are behind it anyway.
                clock = clock.max(if at_ms > ahead_of { i64::MIN } else { at_ms });
            }
            ctx.half_clock[self.me].0.store(clock, Ordering::Relaxed);
        }
        ctx.barrier.0.wait();
        let first_half = ctx.half_clock[0].0.load(Ordering::Relaxed);
        let end = first_half.max(ctx.half_clock[1].0.load(Ordering::Relaxed));
        self.t.clock = (end != i64::MIN).then_some(end);
        let lists = [0, 1].map(|t| ctx.gathered[t][self.me].lock().expect("the other thread panicked"));
        let (firsts, all) = (lists[0].len(), lists[0].len() + lists[1].len());
        let at = |k: usize| {
            if k < firsts {
                lists[0][k]
            } else {
                Own { clock: lists[1][k - firsts].clock.max(first_half), ..lists[1][k - firsts] }
            }
        };
        for k in 0..all.min(AHEAD) {
            self.shard.prefetch(at(k).id);
        }
        let chunk_seq = self.p.seq0 + (lo - from) as u64;
        for k in 0..all {
            if k + AHEAD < all {
                self.shard.prefetch(at(k + AHEAD).id);
            }
            if ctx.stop.0.load(Ordering::Relaxed) != usize::MAX {
                return;
            }
            let Own { i, id, at_ms, clock } = at(k);
            self.t.counts.alerts += 1;
            let action = if at_ms > ahead_of {
                self.t.counts.passed(super::Why::Future).0
            } else if clock != i64::MIN && at_ms < clock - ms.window {
                self.t.counts.passed(super::Why::Late).0
            } else {
                match self.local(cols, i, id, at_ms, chunk_seq) {
                    Some(action) => action,
                    None => {
                        ctx.stop.0.fetch_min(i, Ordering::AcqRel);
                        return;
                    }
                }
            };
            codes[i - from] = action as u8;
        }
    }

    /// Judges alert `i` if it is local (as `StormDetector::judge` would); `None`, with
    /// nothing changed, if it is not.
    #[inline(always)]
    fn local<A, I, K>(
        &mut self,
        cols: &Cols<'_, A, I, K>,
        i: usize,
        id: u64,
        at_ms: i64,
        chunk_seq: u64,
    ) -> Option<Action>
    where
        A: Fn(usize) -> i64,
        K: Fn(usize, &mut dyn FnMut(&str)),
    {
        let (p, mutes) = (self.p, self.ctx.mutes);
        if !mutes.mutes().is_empty() {
            if let Some(m) = cols.with_name(i, &mut self.name, |name| mutes.find(name.get(), &[], ms_to_ts(at_ms))) {
                self.t.caught[m] += 1;
                self.t.counts.muted += 1;
                return Some(Action::Mute);
            }
        }
        let (bucket, pos) = self.buckets.of(at_ms);
        let stamp = p.seq0 + (i - p.from) as u64 + 1;
        let (slot, old, new) = match self.shard.find(id) {
            Some(slot) => (slot, *self.shard.entry(slot), false),
            None => {
                if self.t.added == p.room {
                    return None; // a key may be evicted
                }
                let name = cols.with_name(i, &mut self.name, |name| Box::<str>::from(name.get()));
                let slot = self.shard.add_without_growing(Entry { seen: stamp, ..Entry::new(id) }, name)?;
                self.t.added += 1;
                self.new_keys.push(id);
                (slot, *self.shard.entry(slot), true)
            }
        };
        let storm = match old.storm {
            0 => None,
            s => {
                let at = self.storm(s - 1);
                if self.t.storms[at].1.end_ms(&p.ms) <= at_ms {
                    return None; // the storm ends
                }
                Some(at)
            }
        };
        // Changed in place (a copy changed and stored back would be read back right after
        // narrow stores into it: a store-forwarding stall), put back if the alert is not local.
        let firing = cols.fires(i);
        let e = self.shard.entry_mut(slot);
        let rec = e.record(bucket, pos, p.n_buckets, firing, p.ms.flap);
        if storm.is_none() && firing && rec.count > p.enter {
            *e = old; // a storm starts (never with a key's first alert: enter_above >= 1)
            return None;
        }
        e.seen = stamp;
        let hot = storm.and_then(|_| e.hot_until(bucket, p.exit, p.n_buckets));
        if !new && old.seen <= chunk_seq {
            self.undo.push((slot, old));
        }
        if rec.flap_change.is_some() {
            if let Some(event) = cols.with_name(i, &mut self.name, |name| flap_event(&rec, name, at_ms)) {
                self.t.events.push((i, event));
            }
        }
        let Some(at) = storm else {
            return Some(self.t.counts.calm(&rec).0);
        };
        let s = &mut self.t.storms[at].1;
        s.suppress(hot);
        if s.in_fleet && p.fleet_storm {
            self.t.fleet_suppressed += 1;
        }
        self.t.counts.suppressed_storm += 1;
        Some(Action::Suppress)
    }

    /// Where storm `k` is in this worker's list (taken from the detector when first met).
    fn storm(&mut self, k: u32) -> usize {
        match self.storm_at[k as usize] {
            0 => {
                let storm = self.ctx.storms[k as usize].expect("the storm of a storming key");
                self.t.storms.push((k, storm));
                self.storm_at[k as usize] = self.t.storms.len() as u32;
                self.t.storms.len() - 1
            }
            at => at as usize - 1,
        }
    }
}

/// Two threads meeting after each chunk: a spinning barrier (a chunk takes some 100 µs, less
/// than putting a thread to sleep and waking it costs), which gives way after a while.
#[derive(Default)]
struct Barrier {
    arrived: AtomicUsize,
    generation: AtomicUsize,
    /// A thread panicked: the other must not wait for it.
    broken: AtomicBool,
}

impl Barrier {
    fn wait(&self) {
        let generation = self.generation.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == THREADS {
            self.arrived.store(0, Ordering::Relaxed);
            self.generation.store(generation + 1, Ordering::Release);
            return;
        }
        let mut spins = 0u32;
        while self.generation.load(Ordering::Acquire) == generation {
            assert!(!self.broken.load(Ordering::Relaxed), "the other shard's thread panicked");
            if spins < 1 << 16 {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

/// Breaks the barrier when its thread unwinds, so the other thread does not wait forever.
struct PanicGuard<'a>(&'a Barrier);

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.broken.store(true, Ordering::Relaxed);
        }
    }
}
