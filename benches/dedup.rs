//! De-duplication in the Rust core: batch keep-first on 10M u64 keys with ~20 % duplicates
//! (the shape the Python/Node benches compare with polars, pandas, `set` and `Set`), against
//! plain `std` `HashSet`; and the streaming path at 10M live keys in ns/event and bytes/key.
//! Run with `cargo bench -p fleetops --bench dedup` (or `benches/run`).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use chrono::TimeDelta;
use fleetops::dedup::{keep_mask, DedupConfig, DedupMode, Deduper, Keep};

/// 10M keys, ~20 % of them repeats of earlier keys, in random order (the benches' data set).
pub fn keys(n: usize) -> Vec<u64> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(if i > 0 && x % 5 == 0 { out[(x >> 20) as usize % i] } else { x >> 1 });
    }
    out
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let n = 10_000_000;
    let k = keys(n);
    let mrate = |secs: f64| n as f64 / secs / 1e6;
    let ours = best(3, || keep_mask(&k, Keep::First, None).unwrap());
    let std_set = best(3, || {
        let mut seen = HashSet::with_capacity(n);
        k.iter().map(|x| seen.insert(*x)).collect::<Vec<bool>>()
    });
    let order: Vec<f64> = (0..n).map(|i| (i % 1000) as f64).collect();
    let ordered = best(3, || keep_mask(&k, Keep::Last, Some(&order)).unwrap());
    println!("rust core  keep_mask first 10M u64, 20 % dup   {:>7.1} M keys/s", mrate(ours));
    println!("rust core  keep_mask last + order_by 10M        {:>7.1} M keys/s", mrate(ordered));
    println!("rust std   HashSet insert loop 10M              {:>7.1} M keys/s", mrate(std_set));

    // Streaming: one event per 100 us of event time, 1-day horizon, so all 10M keys stay live;
    // then another 10M events (20 % duplicates) measured at 10M+ live keys.
    let t0 = 1_763_798_400_000i64;
    let times: Vec<i64> = (0..2 * n as i64).map(|i| t0 + i / 10).collect();
    let mut d = Deduper::new(DedupConfig::new(TimeDelta::days(1))).unwrap();
    let warm: Vec<u64> = (0..n as u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
    d.observe_batch(&warm, &times[..n], None).unwrap();
    let live = d.stats().live_keys;
    let bytes_per_key = d.memory_bytes() as f64 / live as f64;
    let more: Vec<u64> = k.iter().map(|x| x ^ 0x5555).collect();
    let t = Instant::now();
    d.observe_batch(black_box(&more), &times[n..], None).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "rust core  Deduper exact, {:.0}M live keys         {:>7.1} M events/s  {:>5.1} ns/event  {:.1} B/key",
        live as f64 / 1e6,
        mrate(secs),
        secs * 1e9 / n as f64,
        bytes_per_key
    );
    let mut c = DedupConfig::new(TimeDelta::days(1));
    c.mode = DedupMode::Bloom;
    c.expected_keys = 20_000_000;
    let mut b = Deduper::new(c).unwrap();
    let t = Instant::now();
    b.observe_batch(black_box(&k), &times[..n], None).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "rust core  Deduper bloom 1 %, 10M events          {:>7.1} M events/s  {:>5.1} ns/event  {:.1} B/key",
        mrate(secs),
        secs * 1e9 / n as f64,
        b.memory_bytes() as f64 / 20e6
    );
}
