//! Core freshness hot path: classify 1M ages in one batch, reported as ns/event (median and
//! min-max of 10).
//! Run with `cargo bench -p fleetops --bench freshness` (or `benches/run`).

use std::hint::black_box;

use fleetops::freshness::FreshnessPolicy;

#[path = "measure.rs"]
mod measure;

fn main() {
    // A fixed pseudo-random spread of ages over two days (xorshift; no dependency needed).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let ages: Vec<f64> = (0..1_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 172_800_000) as f64 / 1_000.0
        })
        .collect();
    let policy = FreshnessPolicy::runbook();
    let mut out = Vec::with_capacity(ages.len());
    let secs = measure::round_robin(
        10,
        &mut [&mut || {
            out.clear();
            policy.classify_ages(black_box(&ages), &mut out).expect("finite ages");
            black_box(&out);
        }],
    );
    let (med, lo, hi) = measure::spread(secs[0].clone());
    println!(
        "rust core  classify_ages 1M       {:>8.2} ns/event (min {:.2}, max {:.2})  {}",
        med * 1e9 / ages.len() as f64,
        lo * 1e9 / ages.len() as f64,
        hi * 1e9 / ages.len() as f64,
        measure::rate(ages.len(), &secs[0], "events")
    );
}
