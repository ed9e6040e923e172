//! The storm detector in the Rust core: 10M alerts over 100k keys on data that storms and on
//! quiet data (the same keys with no storming stretch), round-robin in one run, median and
//! min-max of 5; memory per tracked key; and 10M distinct keys through the 100k-key cap.
//! Run with `cargo bench -p fleetops --bench storm` (or `benches/run`).

use std::hint::black_box;
use std::time::Instant;

use fleetops::storm::{StormConfig, StormDetector};

#[path = "measure.rs"]
mod measure;

const RUNS: usize = 5;

/// 10M alerts over 100k keys; with `storms`, in every other stretch of 1M alerts 20 more keys
/// take three alerts in ten, so storms start, last and end.
fn ids(n: usize, storms: bool) -> Vec<u64> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if storms && (i / 1_000_000) % 2 == 0 && i % 10 < 3 {
                (i % 20) as u64
            } else {
                20 + x % 100_000
            }
        })
        .collect()
}

fn main() {
    let n = 10_000_000usize;
    let t0 = 1_763_798_400_000i64;
    let at: Vec<i64> = (0..n as i64).map(|i| t0 + i * 60).collect(); // one alert per 60 ms: a week
    let data = [("storming", ids(n, true)), ("quiet", ids(n, false))];
    let mut rates = [vec![], vec![]];
    let mut last: Vec<Option<(StormDetector, usize)>> = vec![None, None];
    for _ in 0..RUNS {
        for (k, (_, ids)) in data.iter().enumerate() {
            let mut d = StormDetector::new(StormConfig::default()).unwrap();
            let start = Instant::now();
            let (codes, _) = d.observe_batch_ids(black_box(ids.as_slice()), at.as_slice(), None, None).unwrap();
            rates[k].push(n as f64 / start.elapsed().as_secs_f64());
            last[k] = Some((d, codes.iter().filter(|&&c| c == 1).count()));
        }
    }
    for (k, (name, _)) in data.iter().enumerate() {
        let (med, lo, hi) = measure::spread(rates[k].clone());
        let (d, suppressed) = last[k].as_ref().expect("ran");
        println!(
            "rust core  StormDetector 10M alerts / 100k keys, {name:<9} {:>6.1} M events/s (min {:.1}, max {:.1})  {:.0} B/key  ({suppressed} suppressed, {} storms, {} threads)",
            med / 1e6,
            lo / 1e6,
            hi / 1e6,
            d.memory_bytes() as f64 / d.tracked_keys() as f64,
            d.counts().storms,
            d.threads()
        );
    }
    if std::env::var("STORM_BENCH").is_ok_and(|v| v == "window") {
        return; // the per-key window alone (for profiling)
    }
    let distinct: Vec<u64> = (0..n as u64).collect();
    let mut d = StormDetector::new(StormConfig::default()).unwrap();
    let start = Instant::now();
    d.observe_batch_ids(distinct.as_slice(), at.as_slice(), None, None).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "rust core  StormDetector 10M distinct keys, cap 100k  {:>7.1} M events/s  {:>5.1} ns/event  {:.1} MiB held, {} evicted",
        n as f64 / secs / 1e6,
        secs * 1e9 / n as f64,
        d.memory_bytes() as f64 / 1048576.0,
        d.counts().evicted
    );
}
