//! Every option struct at its bounds: random option sets drawn from each field's edge values
//! (zero, one, the documented maxima and one past them, 2^32, 2^53, u64::MAX, negatives,
//! fractions, 1e15 s and 1e300 s durations, absurd text) go through serde and `build()`, and
//! whatever builds is used at the extreme instants (1970, 9999-12-31) and saved and restored.
//! Nothing may panic: a value is refused with a typed error or it works. Seeded proptest, 64
//! option sets per struct (`FLEETOPS_FUZZ_CASES`).

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::TimeDelta;
use fleetops::dedup::{Deduper, DeduperSpec};
use fleetops::freshness::{check_cadence, CadenceSpec, PolicySpec, ScheduleSpec};
use fleetops::slo::{runbook_rules, BurnPolicySpec, Counts, Objective, Outcome, SloTracker, TrackerSpec};
use fleetops::storm::{
    escalations_due, records_from_json, Alert, EscalationSpec, GroupSpec, Grouper, LimitSpec, RateLimiter,
    StormDetector, StormSpec,
};
use fleetops::time::{parse_timestamp, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

/// Instants a configured engine is used at: the epoch, an ordinary day, the last second.
fn instants() -> [Timestamp; 4] {
    ["1970-01-01T00:00:00Z", "2026-11-22T08:00:00Z", "2026-11-22T08:00:00.001Z", "9999-12-31T23:59:59Z"]
        .map(|s| parse_timestamp(s).unwrap())
}

fn pick(values: Vec<Value>) -> BoxedStrategy<Value> {
    prop::sample::select(values).boxed()
}

/// Ordinary values three times in four, edge and bad ones the rest (so that most option sets
/// build an engine to exercise, and every edge still comes up).
fn mix(ordinary: Vec<Value>, edges: Vec<Value>) -> BoxedStrategy<Value> {
    prop_oneof![3 => pick(ordinary), 1 => pick(edges)].boxed()
}

fn durations() -> BoxedStrategy<Value> {
    mix(
        vec![
            json!(1),
            json!(0.0005),
            json!(59.999),
            json!(86_400),
            json!(3.1536e9),
            json!("1ms"),
            json!("90s"),
            json!("1h30m"),
            json!("36500d"),
            json!({"count": 2, "period": "hour"}),
        ],
        vec![
            json!(0),
            json!(-1),
            json!(1e-9),
            json!(3.2e9),
            json!(1e15),
            json!(1e300),
            json!(-1e300),
            json!("0s"),
            json!("36501d"),
            json!("1000000000d"),
            json!("-5m"),
            json!(""),
            json!("abc"),
            json!({"count": 1e15, "period": "day"}),
        ],
    )
}

fn counts() -> BoxedStrategy<Value> {
    mix(
        vec![
            json!(1),
            json!(2),
            json!(16),
            json!(17),
            json!(1024),
            json!(100_000),
            json!(1u64 << 20),
            json!(1u64 << 30),
        ],
        vec![
            json!(0),
            json!(100_001),
            json!((1u64 << 30) + 1),
            json!(u32::MAX),
            json!(1u64 << 32),
            json!(1u64 << 53),
            json!(u64::MAX),
            json!(-1),
            json!(2.5),
        ],
    )
}

fn fractions() -> BoxedStrategy<Value> {
    mix(
        vec![json!(1e-12), json!(0.01), json!(0.5), json!(0.999), json!(20), json!(100)],
        vec![json!(0), json!(1e-300), json!(1), json!(1.0000001), json!(1e300), json!(-1)],
    )
}

fn text(values: &[&str]) -> BoxedStrategy<Value> {
    mix(values.iter().map(|v| json!(v)).collect(), vec![json!(""), json!("nonsense"), json!("\u{0}")])
}

/// An object with a random subset of `fields` (each present 30 % of the time; names starting
/// with `!` always, without the mark), each from its strategy.
fn object(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let parts: Vec<BoxedStrategy<Option<(&'static str, Value)>>> = fields
        .into_iter()
        .map(|(name, s)| match name.strip_prefix('!') {
            Some(name) => s.prop_map(move |v| Some((name, v))).boxed(),
            None => prop::option::weighted(0.3, s.prop_map(move |v| (name, v))).boxed(),
        })
        .collect();
    parts
        .prop_map(|kv| Value::Object(kv.into_iter().flatten().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>()))
        .boxed()
}

/// Runs `use_it` on options drawn from `strategy`; a panic fails with the options shown.
/// `use_it` says whether the options built an engine; some must (else the test is vacuous).
fn never_panics(name: &str, strategy: BoxedStrategy<Value>, use_it: impl Fn(&Value) -> bool) {
    let cases = std::env::var("FLEETOPS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let built = std::cell::Cell::new(0usize);
    let result = runner.run(&strategy, |options| {
        let outcome = catch_unwind(AssertUnwindSafe(|| use_it(&options)));
        prop_assert!(outcome.is_ok(), "{name} panicked with options {options}");
        built.set(built.get() + usize::from(outcome.unwrap_or(false)));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!("{name}: {} of {cases} option sets built", built.get());
    assert!(built.get() * 10 >= cases as usize, "{name}: only {} of {cases} option sets built", built.get());
}

fn spec<T: serde::de::DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

#[test]
fn deduper_options() {
    let strategy = object(vec![
        ("!horizon", durations()),
        ("allowed_lateness", durations()),
        ("max_future", durations()),
        ("max_keys", counts()),
        ("mode", text(&["exact", "bloom"])),
        ("expected_keys", counts()),
        ("fpr", fractions()),
    ]);
    never_panics("Deduper", strategy, |v| {
        let Some(s) = spec::<DeduperSpec>(v) else { return false };
        let Ok(config) = s.build() else { return false };
        let Ok(mut d) = Deduper::new(config) else { return false };
        for (i, t) in instants().into_iter().enumerate() {
            let _ = d.observe(i as u64, t, Some(t));
            let _ = d.observe(i as u64, t, None);
        }
        let mut back = Deduper::from_bytes(&d.to_bytes()).expect("its own state restores");
        back.merge(&d).expect("same configuration merges");
        let _ = back.stats();
        true
    });
}

#[test]
fn storm_detector_options() {
    let strategy = object(vec![
        ("preset", text(&["runbook", "task_failures"])),
        ("window", durations()),
        ("resolution", durations()),
        ("enter_above", counts()),
        ("exit_below", counts()),
        ("cooldown", durations()),
        ("fleet_enter", counts()),
        ("fleet_exit", counts()),
        ("flap_high", fractions()),
        ("flap_low", fractions()),
        ("max_future", durations()),
        ("max_keys", counts()),
    ]);
    never_panics("StormDetector", strategy, |v| {
        let Some(s) = spec::<StormSpec>(v) else { return false };
        let Ok(config) = s.build() else { return false };
        let Ok(mut d) = StormDetector::new(config) else { return false };
        for t in instants() {
            for firing in [true, false, true] {
                d.observe(&Alert { key: "k", labels: &[("a", "b")], at: t, firing }, Some(t));
            }
            d.advance(t);
        }
        let back = StormDetector::from_bytes(&d.to_bytes()).expect("its own state restores");
        let _ = back.stats();
        true
    });
}

#[test]
fn rate_limiter_and_grouper_options() {
    let limits = object(vec![
        ("limit", counts()),
        ("period", durations()),
        ("burst", counts()),
        ("mode", text(&["gcra", "sliding_window"])),
        ("max_keys", counts()),
    ]);
    never_panics("RateLimiter", limits, |v| {
        let Some(s) = spec::<LimitSpec>(v) else { return false };
        let Ok(config) = s.build() else { return false };
        let Ok(mut l) = RateLimiter::new(config) else { return false };
        for t in instants() {
            for _ in 0..3 {
                l.check(7, t);
            }
        }
        RateLimiter::from_bytes(&l.to_bytes()).expect("its own state restores");
        true
    });
    let groups = object(vec![
        ("group_by", pick(vec![json!([]), json!(["alertname"]), json!(["a", "b", "a"])])),
        ("group_wait", durations()),
        ("group_interval", durations()),
        ("repeat_interval", durations()),
    ]);
    never_panics("Grouper", groups, |v| {
        let Some(s) = spec::<GroupSpec>(v) else { return false };
        let Ok(config) = s.build() else { return false };
        let Ok(mut g) = Grouper::new(config) else { return false };
        for t in instants() {
            g.add(&[("alertname", "x"), ("a", "1")], t, true);
            g.due(t);
        }
        true
    });
}

#[test]
fn escalation_options() {
    let strategy = object(vec![
        ("warning_to_critical", durations()),
        ("auto_acknowledge", durations()),
        ("timezone", text(&["UTC", "Europe/Berlin", "Pacific/Kiritimati"])),
    ]);
    let records = records_from_json(json!([
        {"id": "a", "raised_at": "1970-01-01T00:00:00Z", "severity": "warning"},
        {"id": "b", "raised_at": "9999-12-31T23:59:59Z", "severity": "critical", "priority": "P0"},
        {"id": "c", "raised_at": "2026-11-22T08:00:00Z", "acked_at": "2026-11-22T08:01:00Z"},
    ]))
    .expect("records parse");
    never_panics("escalations_due", strategy, |v| {
        let Some(s) = spec::<EscalationSpec>(v) else { return false };
        let Ok(policy) = s.build() else { return false };
        for t in instants() {
            escalations_due(&records, &policy, t);
        }
        true
    });
}

#[test]
fn tracker_and_burn_options() {
    let tiers = pick(vec![
        json!([{"name": "fast", "long": "1h", "short": "5m", "factor": 14.4}]),
        json!([{"name": "x", "long": "3000000d", "short": "1s", "factor": 1e300}]),
        json!([{"name": "x", "long": 1e15, "short": 0, "factor": -1}]),
        json!([]),
    ]);
    let burn = object(vec![
        ("preset", text(&["sre_workbook", "sloth", "pyrra"])),
        ("period", durations()),
        ("tiers", tiers),
        ("min_events", counts()),
    ]);
    let strategy = object(vec![
        ("period", text(&["month", "week", "day", "30d", "100000d", "200000000d"])),
        ("timezone", text(&["UTC", "Europe/Berlin", "America/Los_Angeles"])),
        ("resolution", durations()),
        ("burn", burn.clone()),
        ("max_future", durations()),
    ]);
    never_panics("SloTracker", strategy, |v| {
        let Some(s) = spec::<TrackerSpec>(v) else { return false };
        let Ok(config) = s.build() else { return false };
        let Ok(mut t) = SloTracker::new(config) else { return false };
        for (i, at) in instants().into_iter().enumerate() {
            let _ = t.record(Outcome { at, ok: i % 2 == 0, latency_ms: Some(1e12) }, at);
            let _ = t.status(at);
            let _ = t.evaluate_rules(&runbook_rules(), at);
        }
        SloTracker::from_bytes(&t.to_bytes()).expect("its own state restores");
        true
    });
    never_panics("BurnPolicy", burn, |v| {
        let Some(s) = spec::<BurnPolicySpec>(v) else { return false };
        let Ok(policy) = s.build() else { return false };
        let windows =
            [(TimeDelta::hours(1), Counts { good: 0, total: u64::MAX }), (TimeDelta::zero(), Counts::default())];
        let _ = policy.evaluate_windows(Objective::new(0.999).unwrap(), &windows);
        true
    });
}

#[test]
fn freshness_options() {
    let tiers = pick(vec![
        json!([["live", 60], ["daily", 86_400]]),
        json!([["x", 1e300]]),
        json!([["a", 10], ["b", 5]]),
        json!([]),
    ]);
    let policies = object(vec![
        ("preset", text(&["runbook"])),
        ("tiers", tiers),
        ("warn_after", durations()),
        ("error_after", durations()),
        ("stale_after", durations()),
        ("clock_skew_tolerance", durations()),
        ("missing_level", text(&["pass", "warn", "error"])),
        ("future_level", text(&["pass", "warn", "error"])),
    ]);
    never_panics("FreshnessPolicy", policies, |v| {
        let Some(s) = spec::<PolicySpec>(v) else { return false };
        let Ok(policy) = s.build() else { return false };
        for now in instants() {
            for last in instants() {
                policy.classify("t", Some(last), now);
            }
            policy.classify("t", None, now);
        }
        true
    });
    let schedules = object(vec![
        ("!cron", text(&["0 6 * * *", "*/5 * * * *", "0 0 29 2 *", "0 2 * * 0", "61 * * * *"])),
        ("timezone", text(&["UTC", "Europe/Berlin", "Pacific/Kiritimati"])),
        ("allowed_delay", durations()),
    ]);
    never_panics("LoadSchedule", schedules, |v| {
        let Some(s) = spec::<ScheduleSpec>(v) else { return false };
        let Ok(schedule) = s.build() else { return false };
        for now in instants() {
            for last in instants() {
                schedule.check(Some(last), now);
            }
            schedule.check(None, now);
        }
        true
    });
    let cadence =
        object(vec![("min_intervals", counts()), ("spread_factor", fractions()), ("min_slack_ratio", fractions())]);
    never_panics("check_cadence", cadence, |v| {
        let Some(s) = spec::<CadenceSpec>(v) else { return false };
        let Ok(options) = s.build() else { return false };
        let history = instants();
        for now in instants() {
            for skew in [TimeDelta::zero(), TimeDelta::days(365 * 100)] {
                let _ = check_cadence(&history, now, skew, &options);
            }
        }
        true
    });
}
