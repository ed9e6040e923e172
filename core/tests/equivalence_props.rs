//! State is data: for random streams, an engine saved and restored at any point answers exactly
//! like one that never stopped, and engines merged from partitions answer like one fed every
//! event, where the engine promises merge is exact (the tracker always; the deduper when no key
//! straddles partitions). Seeded proptest, 64 streams per property (`FLEETOPS_FUZZ_CASES`).

use chrono::TimeDelta;
use fleetops::dedup::{DedupConfig, Deduper};
use fleetops::slo::{Outcome, SloTracker, TrackerConfig};
use fleetops::storm::{Alert, StormConfig, StormDetector};
use fleetops::time::{parse_timestamp, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn t0() -> Timestamp {
    parse_timestamp("2026-11-22T00:00:00Z").unwrap()
}

/// Events `(key, seconds after t0, ok)`: a few keys, times mostly rising with some disorder.
fn events() -> impl Strategy<Value = Vec<(u64, i64, bool)>> {
    prop::collection::vec((0..12u64, 0..600i64, any::<bool>()), 1..400).prop_map(|steps| {
        let mut t = 0;
        steps
            .into_iter()
            .map(|(key, gap, ok)| {
                t += gap;
                // One in eight arrives up to 10 minutes late.
                let late = if key % 8 == 0 { gap } else { 0 };
                (key, (t - late).max(0), ok)
            })
            .collect()
    })
}

fn run(name: &str, property: impl Fn(Vec<(u64, i64, bool)>, usize) -> Result<(), TestCaseError>) {
    let cases = std::env::var("FLEETOPS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    if let Err(e) = runner.run(&(events(), any::<usize>()), |(ev, cut)| {
        let cut = cut % (ev.len() + 1);
        property(ev, cut)
    }) {
        panic!("{name}: {e}");
    }
}

#[test]
fn a_restored_deduper_answers_like_one_that_never_stopped() {
    run("Deduper save/restore", |ev, cut| {
        let mut c = DedupConfig::new(TimeDelta::minutes(30));
        c.allowed_lateness = TimeDelta::minutes(5);
        let mut one = Deduper::new(c.clone()).unwrap();
        let mut cutover = Deduper::new(c).unwrap();
        for (i, &(k, s, _)) in ev.iter().enumerate() {
            if i == cut {
                cutover = Deduper::from_bytes(&cutover.to_bytes()).unwrap();
            }
            let at = t0() + TimeDelta::seconds(s);
            prop_assert_eq!(one.observe(k, at, None).unwrap(), cutover.observe(k, at, None).unwrap(), "event {}", i);
        }
        prop_assert_eq!(one.stats().counts, cutover.stats().counts);
        Ok(())
    });
}

#[test]
fn deduper_partitions_by_key_merge_into_one_engine() {
    run("Deduper merge", |ev, cut| {
        let config = || DedupConfig::new(TimeDelta::minutes(30));
        let (mut one, mut a, mut b) =
            (Deduper::new(config()).unwrap(), Deduper::new(config()).unwrap(), Deduper::new(config()).unwrap());
        // The first `cut` events split by key parity (no key in both), then merged.
        for &(k, s, _) in &ev[..cut] {
            let at = t0() + TimeDelta::seconds(s);
            one.observe(k, at, None).unwrap();
            if k % 2 == 0 { &mut a } else { &mut b }.observe(k, at, None).unwrap();
        }
        a.merge(&b).unwrap();
        for (i, &(k, s, _)) in ev[cut..].iter().enumerate() {
            let at = t0() + TimeDelta::seconds(s);
            prop_assert_eq!(
                one.observe(k, at, None).unwrap(),
                a.observe(k, at, None).unwrap(),
                "event {} after the merge",
                i
            );
        }
        Ok(())
    });
}

#[test]
fn a_restored_tracker_and_merged_partitions_report_like_one_tracker() {
    run("SloTracker save/restore and merge", |ev, cut| {
        let now = t0() + TimeDelta::days(1);
        let outcome = |&(k, s, ok): &(u64, i64, bool)| Outcome {
            at: t0() + TimeDelta::seconds(s),
            ok,
            latency_ms: Some(5.0 + k as f64 * 40.0),
        };
        let mut one = SloTracker::new(TrackerConfig::runbook()).unwrap();
        let mut restored = SloTracker::new(TrackerConfig::runbook()).unwrap();
        let (mut a, mut b) =
            (SloTracker::new(TrackerConfig::runbook()).unwrap(), SloTracker::new(TrackerConfig::runbook()).unwrap());
        for (i, e) in ev.iter().enumerate() {
            if i == cut {
                restored = SloTracker::from_bytes(&restored.to_bytes()).unwrap();
            }
            one.record(outcome(e), now).unwrap();
            restored.record(outcome(e), now).unwrap();
            // Any split: counts in buckets add exactly.
            if i % 3 == cut % 3 { &mut a } else { &mut b }.record(outcome(e), now).unwrap();
        }
        a.merge(&b).unwrap();
        let last = t0() + TimeDelta::seconds(ev.iter().map(|e| e.1).max().unwrap_or(0));
        for at in [last, last + TimeDelta::minutes(7), now] {
            prop_assert_eq!(one.status(at), restored.status(at));
            // Merged histograms keep every latency; the tracker's percentiles come from them.
            prop_assert_eq!(one.status(at), a.status(at));
        }
        Ok(())
    });
}

#[test]
fn a_restored_storm_detector_answers_like_one_that_never_stopped() {
    run("StormDetector save/restore", |ev, cut| {
        let config = StormConfig { enter_above: 3, exit_below: 1, ..StormConfig::default() };
        let names: Vec<String> = (0..12).map(|k| format!("TRK-{k:03}")).collect();
        let mut one = StormDetector::new(config.clone()).unwrap();
        let mut cutover = StormDetector::new(config).unwrap();
        for (i, &(k, s, ok)) in ev.iter().enumerate() {
            if i == cut {
                cutover = StormDetector::from_bytes(&cutover.to_bytes()).unwrap();
            }
            let alert = Alert {
                key: &names[k as usize],
                labels: &[("alertname", "SensorReading")],
                at: t0() + TimeDelta::seconds(s),
                firing: ok,
            };
            prop_assert_eq!(one.observe(&alert, None), cutover.observe(&alert, None), "alert {}", i);
        }
        let end = t0() + TimeDelta::days(2);
        prop_assert_eq!(one.advance(end), cutover.advance(end));
        prop_assert_eq!(one.to_bytes(), cutover.to_bytes());
        Ok(())
    });
}
