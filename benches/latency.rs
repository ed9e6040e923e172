//! Core latency record path: 10M latencies through `record_batch`, side by side in one run with
//! the `hdrhistogram` crate it wraps, used directly (on the same latencies converted to whole
//! microseconds up front, the crate's own unit, and converting each as a caller would). Reports
//! the median and min-max of 7 runs, and the ratio of medians.
//! Run with `cargo bench -p fleetops --bench latency` (or `benches/run`).

use std::hint::black_box;
use std::time::Instant;

use fleetops::slo::{LatencyHistogram, DEFAULT_MAX_MS};
use hdrhistogram::Histogram;

const RUNS: usize = 7;

#[path = "measure.rs"]
mod measure;

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
    let micros: Vec<u64> = latencies.iter().map(|ms| (ms * 1_000.0).round() as u64).collect();
    let high = (DEFAULT_MAX_MS * 1_000.0) as u64;
    let n = latencies.len() as f64;
    let (mut ours, mut crate_u64, mut crate_f64) = (vec![], vec![], vec![]);
    for _ in 0..RUNS {
        // Round robin: each contender sees the same machine state.
        let mut h = LatencyHistogram::default();
        let start = Instant::now();
        h.record_batch(black_box(&latencies)).expect("valid latencies");
        ours.push(n / start.elapsed().as_secs_f64());
        black_box(h.percentile(99.0).expect("valid"));

        let mut c = Histogram::<u64>::new_with_bounds(1, high, 3).expect("bounds");
        let start = Instant::now();
        for &us in black_box(&micros) {
            c.saturating_record(us);
        }
        crate_u64.push(n / start.elapsed().as_secs_f64());
        black_box(c.value_at_quantile(0.99));

        let mut c = Histogram::<u64>::new_with_bounds(1, high, 3).expect("bounds");
        let start = Instant::now();
        for &ms in black_box(&latencies) {
            c.saturating_record((ms * 1_000.0).round() as u64);
        }
        crate_f64.push(n / start.elapsed().as_secs_f64());
        black_box(c.value_at_quantile(0.99));
    }
    let (o, c1, c2) = (measure::spread(ours), measure::spread(crate_u64), measure::spread(crate_f64));
    for (name, (med, lo, hi)) in [
        ("fleetops LatencyHistogram::record_batch(ms)", o),
        ("hdrhistogram crate, whole us up front", c1),
        ("hdrhistogram crate, (ms * 1000).round() each", c2),
    ] {
        println!(
            "rust  {name:<46} {:>7.1} M events/s (min {:.1}, max {:.1})  {:.2}x fleetops",
            med / 1e6,
            lo / 1e6,
            hi / 1e6,
            med / o.0
        );
    }
}
