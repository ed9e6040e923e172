//! The generated Prometheus rules against the tracker: `promtool test rules` (Debian's
//! prometheus package; `tests/setup.sh` installs it) runs them on the counters four trackers
//! export minute by minute -- steady traffic, a bad hour, an outage inside a maintenance window,
//! a slow burn -- and must see every alert fire and resolve at the evaluation times the
//! tracker's own burn tiers say.
//!
//! Alignment: events of minute `m` happen at `m:30`; Prometheus scrapes the counters on the
//! minute and evaluates there. Prometheus 2's range selector `[1h]` at `T` holds the samples in
//! `[T-1h, T]`, so its increase is the events of the 60 minutes before `T`: the tracker's 1 h
//! window asked at `T - 1 ms` (the 60 buckets ending with the one holding it). The first
//! sample of every window is on its start or is a counter's zero, so `rate()` does not
//! extrapolate and the two agree exactly; a difference is a failure.

use std::fmt::Write;
use std::process::Command;

use chrono::TimeDelta;
use fleetops::slo::{prometheus_rules, SloTracker, TrackerSpec};
use fleetops::time::{parse_timestamp, Timestamp};

const MINUTES: i64 = 1_440;
const PER_MINUTE: u32 = 200;

struct Scenario {
    name: &'static str,
    /// Bad events in minute `m`.
    bad: fn(i64) -> u32,
    maintenance: Option<(i64, i64)>,
}

const SCENARIOS: [Scenario; 4] = [
    Scenario { name: "steady", bad: |_| 0, maintenance: None },
    // 20 % errors from minute 300 to 359: both pages and the ticket fire, then resolve.
    Scenario { name: "bad_hour", bad: |m| if (300..360).contains(&m) { 40 } else { 0 }, maintenance: None },
    // Half the requests fail inside a maintenance window from minute 600 to 719: nothing fires.
    Scenario {
        name: "maintenance",
        bad: |m| if (600..720).contains(&m) { 100 } else { 0 },
        maintenance: Some((600, 720)),
    },
    // 0.5 % errors from minute 200 on: a 5x burn, a ticket and no page.
    Scenario { name: "slow_burn", bad: |m| u32::from(m >= 200), maintenance: None },
];

fn at(t0: Timestamp, minutes: i64) -> Timestamp {
    t0 + TimeDelta::minutes(minutes)
}

fn spec(s: &Scenario, t0: Timestamp) -> TrackerSpec {
    let maintenance = s.maintenance.map(|(a, b)| {
        serde_json::json!([{"name": "planned", "start": fleetops::time::to_iso(at(t0, a)), "end": fleetops::time::to_iso(at(t0, b))}])
    });
    let json = serde_json::json!({
        "period": "30d",
        "objectives": [{"name": s.name, "kind": "success", "target": 0.999}],
        "maintenance": maintenance,
    });
    fleetops::options::parse((&json).into(), fleetops::options::Case::Snake).unwrap()
}

/// The summary the generated rules give an objective's tier (read back from them, not rebuilt).
fn summary(rules: &str, objective: &str, tier: &str) -> String {
    let lines: Vec<&str> = rules.lines().collect();
    let want = [format!("objective: \"{objective}\""), format!("tier: \"{tier}\"")];
    let i = lines
        .windows(2)
        .position(|w| w[0].trim() == want[0] && w[1].trim() == want[1])
        .unwrap_or_else(|| panic!("no alert for {objective} {tier}"));
    let line = lines[i..].iter().find(|l| l.trim().starts_with("summary: ")).unwrap();
    line.trim().trim_start_matches("summary: ").to_owned()
}

#[test]
fn promtool_fires_and_resolves_when_the_tracker_does() {
    let t0 = parse_timestamp("2026-11-02T00:00:00Z").unwrap();
    // One rule file for the four objectives (tiers: the SRE Workbook's, the runbook's).
    let mut all = spec(&SCENARIOS[0], t0).build().unwrap();
    all.objectives = SCENARIOS.iter().map(|s| spec(s, t0).build().unwrap().objectives.remove(0)).collect();
    let rules = prometheus_rules(&all, None).unwrap().rules;
    let dir = std::env::temp_dir().join(format!("fleetops-promtool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("rules.yml"), &rules).unwrap();

    let mut series = String::new();
    let mut evals: Vec<Vec<String>> = vec![Vec::new(); (MINUTES + 1) as usize];
    let mut fired = std::collections::BTreeSet::new();
    // The tracker asked this long before each evaluation (FLEETOPS_PROMTOOL_SKEW_MS, to show
    // that the test fails when the windows are not aligned).
    let skew = std::env::var("FLEETOPS_PROMTOOL_SKEW_MS").map_or(1, |v| v.parse().unwrap());
    for s in &SCENARIOS {
        let mut tracker = SloTracker::new(spec(s, t0).build().unwrap()).unwrap();
        let (mut total, mut good) = (vec![0u64], vec![0u64]);
        for m in 0..MINUTES {
            let when = at(t0, m) + TimeDelta::seconds(30);
            let bad = (s.bad)(m);
            let ok: Vec<bool> = (0..PER_MINUTE).map(|i| i >= bad).collect();
            let us = vec![when.timestamp_micros(); ok.len()];
            tracker.record_batch(&us, &ok, &[], when).unwrap();
            let c = tracker.counted(s.name).unwrap();
            total.push(c.total);
            good.push(c.good);
            {
                let now = at(t0, m + 1) - TimeDelta::milliseconds(skew);
                for a in tracker.objectives_at(now)[0].burn.iter().filter(|a| a.firing) {
                    fired.insert((s.name, a.tier.clone()));
                    evals[(m + 1) as usize].push(format!(
                        "          - exp_labels: {{objective: \"{}\", tier: \"{}\", severity: \"{}\"}}\n            exp_annotations: {{summary: {}}}\n",
                        s.name,
                        a.tier,
                        a.severity,
                        summary(&rules, s.name, &a.tier)
                    ));
                }
            }
        }
        for (metric, values) in [("fleetops_slo_events_total", &total), ("fleetops_slo_good_events_total", &good)] {
            let values: Vec<String> = values.iter().map(u64::to_string).collect();
            let _ = writeln!(
                series,
                "      - series: '{metric}{{objective=\"{}\"}}'\n        values: '{}'",
                s.name,
                values.join(" ")
            );
        }
    }
    // Not vacuous: the pages and the ticket fire for the bad hour, only the ticket for the slow
    // burn, nothing for steady traffic or the outage inside maintenance.
    let names: Vec<(&str, &str)> = fired.iter().map(|(s, t)| (*s, t.as_str())).collect();
    assert_eq!(
        names,
        [("bad_hour", "page_fast"), ("bad_hour", "page_slow"), ("bad_hour", "ticket"), ("slow_burn", "ticket")]
    );
    let mut test = format!(
        "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n{series}    alert_rule_test:\n"
    );
    for (k, alerts) in evals.iter().enumerate() {
        let _ = write!(test, "      - eval_time: {k}m\n        alertname: FleetopsSloBurnRate\n        exp_alerts:");
        if alerts.is_empty() {
            test.push_str(" []\n");
        } else {
            test.push('\n');
            alerts.iter().for_each(|a| test.push_str(a));
        }
    }
    std::fs::write(dir.join("test.yml"), &test).unwrap();
    let run = |args: &[&str]| {
        Command::new("promtool")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| panic!("promtool is needed (tests/setup.sh installs Debian's prometheus): {e}"))
    };
    let check = run(&["check", "rules", "rules.yml"]);
    assert!(check.status.success(), "promtool check rules:\n{}", String::from_utf8_lossy(&check.stdout));
    let out = run(&["test", "rules", "test.yml"]);
    assert!(
        out.status.success(),
        "promtool test rules disagrees with the tracker (files in {}):\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `examples/prometheus/` holds the fleet API's SLOs as OpenSLO (the fleet API runbook's
/// objectives, the monthly first-Sunday maintenance) and the rules generated from them (by
/// `cargo xtask codegen`, which `./test` checks are current): the spec reads back as written,
/// and the rules are clean for `promtool check rules`.
#[test]
fn the_example_rules_are_clean() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/prometheus");
    let yaml = std::fs::read_to_string(dir.join("fleet-api.openslo.yaml")).unwrap();
    let config = fleetops::slo::openslo::read(&yaml).unwrap().build().unwrap();
    assert_eq!(fleetops::slo::openslo::write(&config, None).unwrap(), yaml, "the OpenSLO file reads back as written");
    let check = Command::new("promtool").args(["check", "rules", "fleet-api-rules.yml"]).current_dir(&dir).output();
    let check = check.expect("promtool is needed (tests/setup.sh installs Debian's prometheus)");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}
