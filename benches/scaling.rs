//! Work that grows with its input grows linearly: OpenSLO reading (a mapping of N keys, N
//! annotations), rule writing (N objectives), and maintenance lookups (one event judged beside
//! N long hourly windows, each with 168 occurrences over any instant), at 1x, 10x and 100x (the
//! rules and the windows at 1x, 8x and 64x, 64 being the most a spec holds). Reported as the
//! median time per input item with min-max of 7 runs: a linear path shows a flat column, a
//! quadratic one a column growing with the input.
//! Run with `cargo bench -p fleetops --bench scaling` (or `benches/run`).

use std::hint::black_box;

use chrono::TimeDelta;
use fleetops::maintenance::{Maintenance, MaintenanceSpec};
use fleetops::slo::{openslo, prometheus_rules, TrackerSpec};
use fleetops::time::{parse_timestamp, DurationSpec};

#[path = "measure.rs"]
mod measure;

fn report(what: &str, items: usize, f: &mut dyn FnMut()) {
    let secs = measure::round_robin(7, &mut [f]);
    let (med, lo, hi) = measure::spread(secs[0].clone());
    let per = |s: f64| s * 1e9 / items as f64;
    println!("scaling  {what:<44} {items:>7} items {:>9.1} ns/item (min {:.1}, max {:.1})", per(med), per(lo), per(hi));
}

fn main() {
    for n in [800, 8_000, 80_000] {
        let keys: String = (0..n).map(|k| format!("k{k}: 1\n")).collect();
        report("openslo read: a mapping of N keys", n, &mut || {
            black_box(openslo::read(black_box(&keys)).unwrap_err());
        });
    }
    let slo = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: a\n  annotations:\n";
    let rest = "spec:\n  indicator:\n    metadata:\n      name: a\n    spec:\n      ratioMetric:\n        good:\n          metricSource:\n            type: Prometheus\n        total:\n          metricSource:\n            type: Prometheus\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  objectives:\n    - target: 0.99\n";
    for n in [400, 4_000, 40_000] {
        let notes: String = (0..n).map(|k| format!("    n{k}: v\n")).collect();
        let text = format!("{slo}{notes}{rest}");
        report("openslo read: an SLO with N annotations", n, &mut || {
            black_box(openslo::read(black_box(&text)).unwrap());
        });
    }
    // Rule writing over the most objectives a spec holds, and fewer (tiers fixed at 4).
    for n in [1, 8, 64] {
        let objectives: Vec<serde_json::Value> = (0..n)
            .map(|i| serde_json::json!({"name": format!("objective-{i}"), "kind": "success", "target": 0.999}))
            .collect();
        let json = serde_json::json!({"objectives": objectives, "burn": {"preset": "sloth"}});
        let spec: TrackerSpec = fleetops::options::parse((&json).into(), fleetops::options::Case::Snake).unwrap();
        let config = spec.build().unwrap();
        report("rules: prometheus_rules + to_openslo, N objectives", n, &mut || {
            black_box(prometheus_rules(&config, None).unwrap());
            black_box(openslo::write(&config, None).unwrap());
        });
    }
    // One instant judged against N windows, each hourly and 7 days long (168 occurrences of
    // each cover any instant): the lookup is one cron step per window, not per occurrence.
    let at = parse_timestamp("2026-11-22T08:30:00Z").unwrap();
    for n in [1, 8, 64] {
        let specs: Vec<MaintenanceSpec> = (0..n)
            .map(|i| MaintenanceSpec {
                name: Some(format!("w{i}")),
                cron: Some(format!("{} * * * *", i % 60)),
                duration: Some(DurationSpec::Text("7d".into())),
                ..Default::default()
            })
            .collect();
        let m = Maintenance::new(&specs).unwrap();
        // `covering_longest` asks every window (`covers` stops at the first that holds).
        report("maintenance: 1,000 lookups, N hourly 7-day windows", n, &mut || {
            for k in 0..1_000 {
                black_box(m.covering_longest(black_box(at + TimeDelta::seconds(k))));
            }
        });
    }
}
