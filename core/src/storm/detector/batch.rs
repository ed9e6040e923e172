//! Batch calls: alerts judged in order with the table lines of the alerts ahead prefetched,
//! and large batches judged a shard per thread (see `shards.rs`) with the same result.

use super::chunk::Cols;
use super::chunk::{AHEAD, CHUNK};
use super::shards::{self, Run};
use super::{StormDetector, StormEvent};
use crate::error::Result;

/// Batches shorter than this are judged on one thread.
const PARALLEL_MIN: usize = 4 * CHUNK;

/// Alerts judged in order at most after a chunk that stopped at once.
const MAX_STRETCH: usize = 64 * CHUNK;

/// Threads a batch uses unless told otherwise: `FLEETOPS_THREADS` if set, else 2 where two
/// cores are available.
pub(super) fn default_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        let cores = || std::thread::available_parallelism().map_or(1, |n| n.get());
        let wanted = std::env::var("FLEETOPS_THREADS").ok().and_then(|v| v.trim().parse().ok()).unwrap_or_else(cores);
        wanted.clamp(1, shards::THREADS)
    })
}

impl StormDetector {
    /// Threads a batch call may use (see [`StormDetector::set_threads`]).
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Sets the threads a batch call may use: 1 judges alert by alert; 2 judges the two
    /// shards of the key table side by side (batches of 65,536 alerts or more). Every setting
    /// gives the same actions, events, counts and state. The default is 2 where two cores are
    /// available, unless the `FLEETOPS_THREADS` environment variable says otherwise.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.clamp(1, shards::THREADS);
    }

    /// Judges a batch whose columns are checked: one action code per alert, and the events.
    pub(super) fn batch_checked<A, I, K>(&mut self, cols: Cols<'_, A, I, K>) -> Result<(Vec<u8>, Vec<StormEvent>)>
    where
        A: Fn(usize) -> i64 + Sync,
        I: Fn(usize) -> u64 + Sync,
        K: Fn(usize, &mut dyn FnMut(&str)) + Sync,
    {
        let mut codes = vec![0u8; cols.n];
        let mut events = Vec::new();
        if self.threads < 2 || cols.n < PARALLEL_MIN {
            self.judge_range(&cols, 0, cols.n, &mut codes, &mut events);
            return Ok((codes, events));
        }
        // Chunks are judged a shard per thread until an alert needs the whole table; from the
        // start of its chunk through that alert, and through a stretch after it while such
        // alerts keep coming (new keys at the start of a stream), alerts are judged in order.
        let (mut at, mut stretch) = (0, 0);
        while at < cols.n {
            if cols.n - at < CHUNK {
                self.judge_range(&cols, at, cols.n, &mut codes, &mut events);
                break;
            }
            match shards::judge(self, &cols, at, &mut codes, &mut events) {
                Run::Done => break,
                Run::Stopped { upto, stop, kept } => {
                    stretch = if kept { 0 } else { (stretch * 2).clamp(CHUNK, MAX_STRETCH) };
                    let end = (stop + 1 + stretch).min(cols.n);
                    self.judge_range(&cols, upto, end, &mut codes, &mut events);
                    at = end;
                }
            }
        }
        Ok((codes, events))
    }

    /// Judges alerts `lo .. hi` in order, prefetching the table lines of the alerts ahead.
    pub(super) fn judge_range<A, I, K>(
        &mut self,
        cols: &Cols<'_, A, I, K>,
        lo: usize,
        hi: usize,
        codes: &mut [u8],
        events: &mut Vec<StormEvent>,
    ) where
        A: Fn(usize) -> i64,
        I: Fn(usize) -> u64,
        K: Fn(usize, &mut dyn FnMut(&str)),
    {
        let mut ahead = [0u64; AHEAD];
        for (j, slot) in ahead.iter_mut().enumerate().take(hi - lo) {
            *slot = (cols.id_of)(lo + j);
            self.keys.prefetch(*slot);
        }
        let mut name_buf = String::with_capacity(32); // one buffer for every key name
        let mut ring = 0; // (i - lo) % AHEAD, without dividing
        for (i, code) in (lo..hi).zip(&mut codes[lo..hi]) {
            let id = ahead[ring];
            if i + AHEAD < hi {
                let next = (cols.id_of)(i + AHEAD);
                ahead[ring] = next;
                self.keys.prefetch(next);
            }
            ring = if ring + 1 == AHEAD { 0 } else { ring + 1 };
            let (at_ms, on) = ((cols.at_ms)(i), cols.fires(i));
            let verdict =
                cols.with_name(i, &mut name_buf, |name| self.judge(id, name, &[], at_ms, on, cols.now_ms, events));
            *code = verdict.0 as u8;
        }
    }
}
