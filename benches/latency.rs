//! Core latency record path: 10M latencies through `record_batch`, reported as ns/event.
//! Run with `cargo bench -p fleetops --bench latency` (or `benches/run`).

use std::hint::black_box;
use std::time::Instant;

use fleetops::slo::LatencyHistogram;

fn main() {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let latencies: Vec<f64> = (0..10_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 2_000_000) as f64 / 1_000.0 // 0 .. 2 s in ms, microsecond steps
        })
        .collect();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let mut h = LatencyHistogram::default();
        let start = Instant::now();
        h.record_batch(black_box(&latencies)).expect("valid latencies");
        best = best.min(start.elapsed().as_secs_f64());
        black_box(h.percentile(99.0).expect("valid"));
    }
    println!(
        "rust core  LatencyHistogram::record_batch 10M  {:>6.2} ns/event  {:>7.1} M events/s",
        best * 1e9 / latencies.len() as f64,
        latencies.len() as f64 / best / 1e6
    );
}
