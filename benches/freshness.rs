//! Core freshness hot path: classify 1M ages in one batch, reported as ns/event.
//! Run with `cargo bench -p fleetops --bench freshness` (or `benches/run`).

use std::hint::black_box;
use std::time::Instant;

use fleetops::freshness::FreshnessPolicy;

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
    let mut best = f64::INFINITY;
    for _ in 0..10 {
        out.clear();
        let start = Instant::now();
        policy.classify_ages(black_box(&ages), &mut out).expect("finite ages");
        best = best.min(start.elapsed().as_secs_f64());
        black_box(&out);
    }
    println!(
        "rust core  classify_ages 1M       {:>8.2} ns/event  {:>7.1} M events/s",
        best * 1e9 / ages.len() as f64,
        ages.len() as f64 / best / 1e6
    );
}
