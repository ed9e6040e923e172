//! SloTracker: record path (ns/event), status queries (median, min-max) and memory for a
//! 30-day month at 1-minute resolution with the runbook's four objectives.
//! Run with `cargo bench -p fleetops --bench tracker` (or `benches/run`).

use std::hint::black_box;
use std::time::Instant;

use fleetops::slo::{SloTracker, TrackerConfig};
use fleetops::time::parse_timestamp;

/// Median and min-max of times in ms, as the rows print them.
#[path = "measure.rs"]
mod measure;

/// Median and min-max of times in ms, as the rows print them.
fn spread(xs: Vec<f64>) -> String {
    let (med, lo, hi) = measure::spread(xs);
    format!("{med:>7.3} ms (min {lo:.3}, max {hi:.3})")
}

fn main() {
    let start = parse_timestamp("2026-11-01T00:00:00Z").unwrap().timestamp_micros();
    // One request every 0.5 s for 30 days: 5.2M events, 1 in 500 failing, latencies 20-2000 ms.
    let n: usize = 30 * 86_400 * 2;
    let at: Vec<i64> = (0..n as i64).map(|i| start + i * 500_000).collect();
    let ok: Vec<bool> = (0..n).map(|i| i % 500 != 0).collect();
    let latency: Vec<f64> = (0..n as u64).map(|i| 20.0 + (i * 7919 % 1980) as f64).collect();
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let now = parse_timestamp("2026-11-30T23:59:59Z").unwrap();
    let begin = Instant::now();
    t.record_batch(black_box(&at), &ok, &latency, now).unwrap();
    let record = begin.elapsed().as_secs_f64();
    // Median and min-max of 21 queries each: the full status, and its two parts.
    let stats = |f: &dyn Fn()| {
        spread(
            (0..21)
                .map(|_| {
                    let begin = Instant::now();
                    f();
                    begin.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        )
    };
    let period = t.status(now).period;
    let span = chrono::TimeDelta::microseconds(now.timestamp_micros() + 1 - period.start.timestamp_micros());
    let full = stats(&|| {
        black_box(t.status(now));
    });
    let objectives = stats(&|| {
        black_box(t.objectives_at(now));
    });
    let latency = stats(&|| {
        black_box(t.latency(span, now));
    });
    // A poller: 30 requests (the last 15 s) between status queries, so the open hour's and
    // day's kept sums are remade each time; and the first query after a restore, nothing kept.
    let mut polled = t.clone();
    let poll = spread(
        (0..21)
            .map(|k| {
                let at: Vec<i64> = (0..30).map(|j| now.timestamp_micros() - 15_000_000 + j * 500_000 - k).collect();
                polled.record_batch(&at, &[true; 30], &[50.0; 30], now).unwrap();
                let begin = Instant::now();
                black_box(polled.status(now));
                begin.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    );
    let saved = t.to_bytes();
    let cold = spread(
        (0..7)
            .map(|_| {
                let fresh = SloTracker::from_bytes(&saved).unwrap();
                let begin = Instant::now();
                black_box(fresh.status(now));
                begin.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    );
    println!(
        "rust core  SloTracker::record_batch {:.1}M     {:>6.2} ns/event",
        n as f64 / 1e6,
        record * 1e9 / n as f64
    );
    println!("rust core  SloTracker::status (month, 4 objectives, 3 tiers)  {full}");
    println!("rust core    of which objectives_at (budgets, burn tiers)    {objectives}");
    println!("rust core    of which latency over the period (percentiles)  {latency}");
    println!("rust core  SloTracker::status, 30 requests between queries      {poll}");
    println!("rust core  SloTracker::status, first after a restore (cold)     {cold}");
    println!(
        "rust core  SloTracker memory, 30 days at 1 min                {:>7.2} MiB",
        t.memory_bytes() as f64 / 1048576.0
    );
}
