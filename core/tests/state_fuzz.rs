//! Saved states, damaged: every engine's `from_bytes` either refuses a mutated or crafted state
//! with `INVALID_STATE` or restores an engine that then answers without panicking. Mutations are
//! byte flips, truncations, insertions, and numbers in the (JSON) states replaced by extremes,
//! which is what reaches the field checks behind the parser. Seeded: the same cases every run
//! (256 per engine; `FLEETOPS_FUZZ_CASES=N` for more).

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::TimeDelta;
use fleetops::dedup::{DedupConfig, DedupMode, Deduper};
use fleetops::slo::{LatencyHistogram, Outcome, SloTracker, TrackerConfig};
use fleetops::storm::{Alert, LimitConfig, RateLimiter, StormConfig, StormDetector};
use fleetops::time::{parse_timestamp, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn ts(s: &str) -> Timestamp {
    parse_timestamp(s).unwrap()
}

/// Numbers a crafted state puts where a saved one had a number.
const EXTREMES: &[&str] =
    &["-1", "0", "1e308", "-9223372036854775808", "18446744073709551615", "4294967296", "0.5", "null"];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, u8),
    Number(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 0..EXTREMES.len()).prop_map(|(i, e)| Mutation::Number(i, e)),
    ]
}

/// Applies the mutations in order (positions taken modulo the current length).
fn damage(saved: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut b = saved.to_vec();
    for m in mutations {
        if b.is_empty() {
            break;
        }
        match *m {
            Mutation::Flip(i, x) => {
                let n = b.len();
                b[i % n] ^= x;
            }
            Mutation::Truncate(i) => b.truncate(i % b.len()),
            Mutation::Insert(i, x) => {
                let n = b.len();
                b.insert(i % n, x);
            }
            Mutation::Number(i, e) => {
                // The i-th run of digits (with its sign), replaced by an extreme value.
                let runs: Vec<(usize, usize)> = number_runs(&b);
                if let Some(&(start, end)) = runs.get(i % runs.len().max(1)) {
                    b.splice(start..end, EXTREMES[e].bytes());
                }
            }
        }
    }
    b
}

fn number_runs(b: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() || (b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Runs `restore_and_use` on damaged copies of `saved`: it must never panic.
fn never_panics(name: &str, saved: Vec<u8>, restore_and_use: impl Fn(&[u8])) {
    let cases = std::env::var("FLEETOPS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(&prop::collection::vec(mutation(), 1..6), |mutations| {
        let damaged = damage(&saved, &mutations);
        let outcome = catch_unwind(AssertUnwindSafe(|| restore_and_use(&damaged)));
        prop_assert!(outcome.is_ok(), "{}: a damaged state made it panic", name);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn slo_tracker_states() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let now = ts("2026-11-22T08:00:00Z");
    for s in 0..600 {
        let at = now - TimeDelta::seconds(600 - s);
        t.record(Outcome { at, ok: s % 7 != 0, latency_ms: Some(20.0 + s as f64) }, now).unwrap();
    }
    never_panics("SloTracker", t.to_bytes(), |b| {
        if let Ok(mut t) = SloTracker::from_bytes(b) {
            let _ = t.status(now);
            let _ = t.record(Outcome { at: now, ok: false, latency_ms: Some(5.0) }, now);
            let _ = t.status(now + TimeDelta::hours(2));
            let _ = SloTracker::from_bytes(&t.to_bytes()).unwrap();
        }
    });
}

#[test]
fn latency_histogram_states() {
    let mut h = LatencyHistogram::default();
    h.record_batch(&[1.0, 2.5, 40.0, 900.0, 12_000.0]).unwrap();
    never_panics("LatencyHistogram", h.to_bytes(), |b| {
        if let Ok(mut h) = LatencyHistogram::from_bytes(b) {
            let _ = h.summary();
            let _ = h.record(3.0);
            let _ = h.percentile(99.0);
        }
    });
}

#[test]
fn deduper_states() {
    for mode in [DedupMode::Exact, DedupMode::Bloom] {
        let mut c = DedupConfig::new(TimeDelta::hours(1));
        c.mode = mode;
        c.expected_keys = 1_000;
        let mut d = Deduper::new(c).unwrap();
        let t0 = ts("2026-11-22T08:00:00Z").timestamp_millis();
        let keys: Vec<u64> = (0..500).map(|i| i % 170).collect();
        let at: Vec<i64> = (0..500).map(|i| t0 + i * 1_000).collect();
        d.observe_batch(&keys, &at, None).unwrap();
        never_panics("Deduper", d.to_bytes(), |b| {
            if let Ok(mut d) = Deduper::from_bytes(b) {
                let _ = d.observe(3, ts("2026-11-22T08:30:00Z"), None);
                let _ = d.observe_batch(&keys, &at, None);
                let _ = d.stats();
            }
        });
    }
}

#[test]
fn storm_detector_states() {
    let mut d = StormDetector::new(StormConfig::default()).unwrap();
    let t0 = ts("2026-11-22T08:00:00Z");
    for i in 0..300 {
        let key = ["TRK-017", "TRK-031", "TRK-002"][i % 3];
        d.observe(
            &Alert {
                key,
                labels: &[("sensor", "temp")],
                at: t0 + TimeDelta::seconds(i as i64 * 7),
                firing: i % 5 != 0,
            },
            None,
        );
    }
    never_panics("StormDetector", d.to_bytes(), |b| {
        if let Ok(mut d) = StormDetector::from_bytes(b) {
            let at = t0 + TimeDelta::hours(1);
            let _ = d.observe(&Alert { key: "TRK-017", labels: &[], at, firing: true }, Some(at));
            let _ = d.advance(at + TimeDelta::hours(3));
            let _ = d.stats();
        }
    });
}

#[test]
fn rate_limiter_states() {
    let mut l = RateLimiter::new(LimitConfig::runbook()).unwrap();
    let t0 = ts("2026-11-22T08:00:00Z");
    for i in 0..200u64 {
        l.check(i % 13, t0 + TimeDelta::milliseconds(i as i64 * 250));
    }
    never_panics("RateLimiter", l.to_bytes(), |b| {
        if let Ok(mut l) = RateLimiter::from_bytes(b) {
            let _ = l.check(5, t0 + TimeDelta::minutes(1));
            let _ = l.check(99, t0 + TimeDelta::days(1));
        }
    });
}
