//! De-duplication in the Rust core: batch keep-first on 10M u64 keys with ~20 % duplicates
//! (the shape the Python/Node benches compare with polars, pandas, `set` and `Set`), against
//! plain `std` `HashSet`; and the streaming path at 10M live keys in ns/event and bytes/key.
//! Run with `cargo bench -p fleetops --bench dedup` (or `benches/run`).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use chrono::TimeDelta;
use fleetops::dedup::{keep_mask, DedupConfig, DedupMode, Deduper, Keep};

#[path = "measure.rs"]
mod measure;

/// 10M keys, ~20 % of them repeats of earlier keys, in random order (the benches' data set).
pub fn keys(n: usize) -> Vec<u64> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(if i > 0 && x.is_multiple_of(5) { out[(x >> 20) as usize % i] } else { x >> 1 });
    }
    out
}

fn main() {
    let n: usize = std::env::var("N").map_or(10_000_000, |v| v.parse().unwrap());
    let k = keys(n);
    // `DEDUP_BENCH=stream` runs the exact streaming part alone (for profiling).
    let only_stream = std::env::var("DEDUP_BENCH").is_ok_and(|v| v == "stream");
    if !only_stream {
        batch(&k, n);
    }
    stream(n, &k, only_stream);
}

fn batch(k: &[u64], n: usize) {
    // Round-robin, median and min-max of 5.
    let order: Vec<f64> = (0..n).map(|i| (i % 1000) as f64).collect();
    let secs = measure::round_robin(
        5,
        &mut [
            &mut || {
                black_box(keep_mask(k, Keep::First, None).unwrap());
            },
            &mut || {
                black_box(keep_mask(k, Keep::Last, Some(&order)).unwrap());
            },
            &mut || {
                let mut seen = HashSet::with_capacity(n);
                black_box(k.iter().map(|x| seen.insert(*x)).collect::<Vec<bool>>());
            },
        ],
    );
    let (ours, set) = (measure::spread(secs[0].clone()).0, measure::spread(secs[2].clone()).0);
    println!(
        "rust core  keep_mask first 10M u64, 20 % dup   {}  {:.1}x HashSet",
        measure::rate(n, &secs[0], "keys"),
        set / ours
    );
    println!("rust core  keep_mask last + order_by 10M        {}", measure::rate(n, &secs[1], "keys"));
    println!("rust std   HashSet insert loop 10M              {}", measure::rate(n, &secs[2], "keys"));
}

/// Keys live at the end of an in-order stream (first seen within `horizon_ms` of the last
/// event), counted with a plain map: the denominator of bytes per live key.
fn live_keys(keys: &[u64], times: &[i64], horizon_ms: i64) -> usize {
    let mut first: std::collections::HashMap<u64, i64> = std::collections::HashMap::with_capacity(keys.len() / 2);
    for (&k, &t) in keys.iter().zip(times) {
        let t0 = first.entry(k).or_insert(t);
        if t > *t0 + horizon_ms {
            *t0 = t;
        }
    }
    let w = times.last().copied().unwrap_or(0);
    first.values().filter(|&&t0| w <= t0 + horizon_ms).count()
}

fn stream(n: usize, k: &[u64], only_exact: bool) {
    const RUNS: usize = 5;
    // Streaming at a steady ~11M live keys: 10 events per ms of event time and a horizon of
    // 1,250 s, so ~11M distinct keys are live and as many expire as arrive. Each run warms a
    // new de-duplicator up on 30M events (the table has grown to its size), then times 20M
    // more (expiry passes included); the median and min-max of the runs are reported.
    let t0 = 1_763_798_400_000i64;
    let stream: Vec<u64> = keys(5 * n);
    let times: Vec<i64> = (0..5 * n as i64).map(|i| t0 + i / 10).collect();
    let mut secs = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let mut d = Deduper::new(DedupConfig::new(TimeDelta::seconds(1250))).unwrap();
        d.observe_batch(&stream[..3 * n], &times[..3 * n], None).unwrap();
        let t = Instant::now();
        d.observe_batch(black_box(&stream[3 * n..]), &times[3 * n..], None).unwrap();
        secs.push(t.elapsed().as_secs_f64());
        last = Some(d);
    }
    let d = last.expect("RUNS > 0");
    let live = live_keys(&stream, &times, 1_250_000);
    println!(
        "rust core  Deduper exact, {:.1}M live keys        {}  {:>5.1} ns/event  {:.1} B/key ({:.1}M held)",
        live as f64 / 1e6,
        measure::rate(2 * n, &secs, "events"),
        measure::spread(secs.clone()).0 * 1e9 / (2 * n) as f64,
        d.memory_bytes() as f64 / live as f64,
        d.stats().live_keys as f64 / 1e6
    );
    drop(d);
    // The same stream with `max_keys` at 1M: the table is full from the first million keys on,
    // and each time it is, the oldest eighth by first-seen time is evicted (and counted).
    let cap = 1_000_000;
    let mut evicted = 0;
    let secs: Vec<f64> = (0..RUNS)
        .map(|_| {
            let c = DedupConfig { max_keys: Some(cap), ..DedupConfig::new(TimeDelta::seconds(1250)) };
            let mut d = Deduper::new(c).unwrap();
            let t = Instant::now();
            d.observe_batch(black_box(&stream[..2 * n]), &times[..2 * n], None).unwrap();
            let secs = t.elapsed().as_secs_f64();
            evicted = d.counts().evicted;
            secs
        })
        .collect();
    println!(
        "rust core  Deduper exact, max_keys 1M, 20M events  {}  {:>5.1} ns/event  {:.1}M evicted",
        measure::rate(2 * n, &secs, "events"),
        measure::spread(secs.clone()).0 * 1e9 / (2 * n) as f64,
        evicted as f64 / 1e6
    );
    if only_exact {
        return;
    }
    // From empty: 8M keys (a fifth repeats) within an hour's horizon, the table growing from its smallest,
    // and sized up front (`exact_capacity`, what `expected_keys` sets in exact mode).
    let fresh: Vec<u64> = keys(8 * n / 10);
    let fresh_times: Vec<i64> = (0..fresh.len() as i64).map(|i| t0 + i / 10).collect();
    for capacity in [None, Some(fresh.len() as u64)] {
        let c = DedupConfig { exact_capacity: capacity, ..DedupConfig::new(TimeDelta::hours(1)) };
        let mut per_key = 0.0;
        let secs: Vec<f64> = (0..RUNS)
            .map(|_| {
                let mut d = Deduper::new(c.clone()).unwrap();
                let t = Instant::now();
                d.observe_batch(black_box(&fresh), &fresh_times, None).unwrap();
                let secs = t.elapsed().as_secs_f64();
                per_key = d.memory_bytes() as f64 / d.stats().live_keys as f64;
                secs
            })
            .collect();
        println!(
            "rust core  Deduper exact from empty, 8M events, {:<14} {}  {:.1} B/key",
            if capacity.is_some() { "sized up front" } else { "growing" },
            measure::rate(fresh.len(), &secs, "events"),
            per_key
        );
    }
    let mut c = DedupConfig::new(TimeDelta::days(1));
    c.mode = DedupMode::Bloom;
    c.expected_keys = 20_000_000;
    let mut bytes = 0;
    let secs: Vec<f64> = (0..RUNS)
        .map(|_| {
            let mut b = Deduper::new(c.clone()).unwrap();
            let t = Instant::now();
            b.observe_batch(black_box(k), &times[..n], None).unwrap();
            let secs = t.elapsed().as_secs_f64();
            bytes = b.memory_bytes();
            secs
        })
        .collect();
    println!(
        "rust core  Deduper bloom 1 %, 10M events          {}  {:>5.1} ns/event  {:.1} B/key",
        measure::rate(n, &secs, "events"),
        measure::spread(secs.clone()).0 * 1e9 / n as f64,
        bytes as f64 / 20e6
    );
}
