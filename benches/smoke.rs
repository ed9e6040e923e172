//! The perf smoke `./test` runs: each hot path against the peer a user would otherwise reach
//! for, on the same data in the same run (3 rounds, round-robin, median ratio). It fails when a
//! path falls below half the ratio `docs/performance.md` documents for it, so a change that
//! makes a path several times slower cannot land unnoticed. Ratios only, never absolute times:
//! the machine's speed cancels out. Sizes are small (about 1-2 s in all) and fit no cache
//! trick the full benchmarks (`benches/run`) would miss.
//! Run with `cargo bench -p fleetops --bench smoke`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hint::black_box;
use std::time::Instant;

use chrono::TimeDelta;
use fleetops::dedup::{keep_mask, DedupConfig, Deduper, Keep};
use fleetops::slo::{LatencyHistogram, DEFAULT_MAX_MS};
use fleetops::storm::{StormConfig, StormDetector};
use hdrhistogram::Histogram;

const ROUNDS: usize = 3;
const T0: i64 = 1_763_798_400_000;

/// A check: its name, the documented ratio (ours / peer, medians; docs/performance.md, "Perf
/// smoke"), and one timed run of ours and of the peer.
struct Check {
    name: &'static str,
    documented: f64,
    ours: Box<dyn FnMut()>,
    peer: Box<dyn FnMut()>,
}

fn xorshift(n: usize, seed: u64) -> Vec<u64> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
        .collect()
}

fn secs(f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

fn latency() -> Check {
    let ms: Vec<f64> = xorshift(2_000_000, 7).iter().map(|x| (x % 2_000_000) as f64 / 1_000.0).collect();
    let micros: Vec<u64> = ms.iter().map(|v| (v * 1_000.0).round() as u64).collect();
    let high = (DEFAULT_MAX_MS * 1_000.0) as u64;
    Check {
        name: "LatencyHistogram::record_batch(ms) / hdrhistogram crate on whole us",
        documented: 1.1,
        ours: Box::new(move || {
            let mut h = LatencyHistogram::default();
            h.record_batch(black_box(&ms)).expect("latencies");
            black_box(h.count());
        }),
        peer: Box::new(move || {
            let mut h = Histogram::<u64>::new_with_bounds(1, high, 3).expect("bounds");
            for &us in black_box(&micros) {
                h.saturating_record(us);
            }
            black_box(h.len());
        }),
    }
}

fn dedup_batch() -> Check {
    // 2M keys, a fifth of them repeats of earlier ones.
    let mut keys = xorshift(2_000_000, 11);
    for i in 1..keys.len() {
        if keys[i].is_multiple_of(5) {
            keys[i] = keys[(keys[i] >> 20) as usize % i];
        }
    }
    let peer_keys = keys.clone();
    Check {
        name: "keep_mask(first) / std HashSet insert loop",
        documented: 4.0,
        ours: Box::new(move || {
            black_box(keep_mask(black_box(&keys), Keep::First, None).expect("keys"));
        }),
        peer: Box::new(move || {
            let mut seen = HashSet::with_capacity(peer_keys.len());
            black_box(peer_keys.iter().map(|k| seen.insert(*k)).collect::<Vec<bool>>());
        }),
    }
}

fn dedup_stream() -> Check {
    // 2M events, 10 per ms, a 20 s horizon: keys expire as others arrive; a tenth repeat.
    let mut keys = xorshift(2_000_000, 13);
    for i in 10..keys.len() {
        if keys[i].is_multiple_of(10) {
            keys[i] = keys[i - 1 - (keys[i] >> 40) as usize % 10];
        }
    }
    let times: Vec<i64> = (0..keys.len() as i64).map(|i| T0 + i / 10).collect();
    let (peer_keys, peer_times) = (keys.clone(), times.clone());
    let horizon = TimeDelta::seconds(20);
    Check {
        name: "Deduper::observe_batch / std HashMap first-seen with expiry",
        documented: 2.2,
        ours: Box::new(move || {
            let mut d = Deduper::new(DedupConfig::new(horizon)).expect("config");
            black_box(d.observe_batch(black_box(&keys), &times, None).expect("events"));
        }),
        peer: Box::new(move || {
            // First-seen time per key, a sweep of expired keys every horizon.
            let h = horizon.num_milliseconds();
            let (mut first, mut swept, mut out) = (HashMap::<u64, i64>::new(), T0, Vec::with_capacity(peer_keys.len()));
            for (&k, &t) in peer_keys.iter().zip(&peer_times) {
                if t - swept > h {
                    first.retain(|_, t0| t - *t0 <= h);
                    swept = t;
                }
                let t0 = first.entry(k).or_insert(t);
                out.push(*t0 == t);
            }
            black_box(out);
        }),
    }
}

fn storms() -> Check {
    // 1M alerts, one per 6 ms over 10k keys; in every other stretch of 100k alerts, 20 keys
    // take three in ten alerts and storm (storms start, last and end).
    let config = StormConfig::default();
    let (window, enter_above) = (config.window.num_milliseconds(), config.enter_above as usize);
    let r = xorshift(1_000_000, 17);
    let ids: Vec<u64> = r
        .iter()
        .enumerate()
        .map(|(i, x)| if (i / 100_000) % 2 == 0 && i % 10 < 3 { (i % 20) as u64 } else { 20 + x % 10_000 })
        .collect();
    let at: Vec<i64> = (0..ids.len() as i64).map(|i| T0 + i * 6).collect();
    let (peer_ids, peer_at) = (ids.clone(), at.clone());
    Check {
        name: "StormDetector::observe_batch_ids, 1 thread / HashMap + VecDeque loop",
        documented: 0.9,
        ours: Box::new(move || {
            let mut d = StormDetector::new(StormConfig::default()).expect("config");
            // One thread, as the peer: two threads meet at a barrier every chunk, so a second
            // core busy with anything else halves the ratio and the smoke would judge the load.
            d.set_threads(1);
            let (codes, events) =
                d.observe_batch_ids(black_box(ids.as_slice()), at.as_slice(), None, None).expect("alerts");
            assert!(codes.contains(&1) && !events.is_empty(), "the data must storm");
            black_box((codes, events));
        }),
        peer: Box::new(move || {
            let mut windows: HashMap<u64, VecDeque<i64>> = HashMap::new();
            let mut storming = Vec::with_capacity(peer_ids.len());
            for (&k, &t) in peer_ids.iter().zip(&peer_at) {
                let w = windows.entry(k).or_default();
                while w.front().is_some_and(|&t0| t - t0 >= window) {
                    w.pop_front();
                }
                w.push_back(t);
                storming.push(w.len() > enter_above);
            }
            black_box(storming);
        }),
    }
}

fn main() {
    let mut failed = Vec::new();
    for mut check in [latency(), dedup_batch(), dedup_stream(), storms()] {
        let mut ratios: Vec<f64> = (0..ROUNDS).map(|_| secs(&mut *check.peer) / secs(&mut *check.ours)).collect();
        ratios.sort_by(f64::total_cmp);
        let (median, floor) = (ratios[ROUNDS / 2], check.documented / 2.0);
        let verdict = if median >= floor { "ok" } else { "TOO SLOW" };
        println!(
            "smoke  {:<68} {median:>6.2}x (min {:.2}, max {:.2}; documented {:.1}x, floor {floor:.2}x)  {verdict}",
            check.name,
            ratios[0],
            ratios[ROUNDS - 1],
            check.documented
        );
        if median < floor {
            failed.push(check.name);
        }
    }
    if !failed.is_empty() {
        eprintln!("perf smoke: below half the documented ratio: {}", failed.join("; "));
        std::process::exit(1);
    }
}
