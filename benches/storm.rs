//! The storm detector's per-key window in the Rust core: 10M alerts over 100k keys (ns/event),
//! memory per tracked key, and 10M distinct keys through a 100k-key cap.
//! Run with `cargo bench -p fleetops --bench storm` (or `benches/run`).

use std::hint::black_box;
use std::time::Instant;

use fleetops::storm::{StormConfig, StormDetector};

fn main() {
    let n = 10_000_000usize;
    let t0 = 1_763_798_400_000i64;
    let mut x = 0x2545_f491_4f6c_dd1du64;
    // The data storms: in every other stretch of 1M alerts, 20 keys take three alerts in ten,
    // so storms start, last and end.
    let ids: Vec<u64> = (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if (i / 1_000_000) % 2 == 0 && i % 10 < 3 {
                (i % 20) as u64
            } else {
                20 + x % 100_000
            }
        })
        .collect();
    let at: Vec<i64> = (0..n as i64).map(|i| t0 + i * 60).collect(); // one alert per 60 ms: a week
                                                                     // Best of 3 fresh detectors: this VM's speed wanders by a fifth from run to run.
    let (mut secs, mut d, mut codes) = (f64::INFINITY, StormDetector::new(StormConfig::default()).unwrap(), Vec::new());
    for _ in 0..3 {
        let mut fresh = StormDetector::new(StormConfig::default()).unwrap();
        let start = Instant::now();
        let (c, _) = fresh.observe_batch_ids(black_box(ids.as_slice()), at.as_slice(), None, None).unwrap();
        let t = start.elapsed().as_secs_f64();
        if t < secs {
            (secs, d, codes) = (t, fresh, c);
        }
    }
    let suppressed = codes.iter().filter(|&&c| c == 1).count();
    println!(
        "rust core  StormDetector 10M alerts / 100k keys       {:>7.1} M events/s  {:>5.1} ns/event  {:.0} B/key  ({suppressed} suppressed)",
        n as f64 / secs / 1e6,
        secs * 1e9 / n as f64,
        d.memory_bytes() as f64 / d.tracked_keys() as f64
    );
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
