//! The runbooks' morning checklist on the bundled demo fleet, without the CLI: generate the
//! week, judge each section, print what was found.
//!
//! Run with `cargo run --release --example morning_report`.

use fleetops::dedup::{key_hash, KeyPart};
use fleetops::demo::{generate, DEMO_SEED};
use fleetops::freshness::{CadenceOptions, FreshnessPolicy};
use fleetops::report::{self, Report};
use fleetops::slo::TrackerConfig;
use fleetops::storm::Alert;
use fleetops::storm::StormConfig;

fn main() -> fleetops::Result<()> {
    let started = std::time::Instant::now();
    let fleet = generate(DEMO_SEED);
    let p = &fleet.planted;
    let none = &mut |_| {};

    let loads: Vec<_> = fleet.loads.iter().map(|l| (l.table, l.at)).collect();
    let freshness = report::freshness::check(&FreshnessPolicy::runbook(), &CadenceOptions::default(), &loads, p.now)?;

    let r = &fleet.requests;
    let ok: Vec<bool> = r.status.iter().map(|s| *s < 500).collect();
    let slo =
        report::slo::check(TrackerConfig::runbook(), &r.at_us, &ok, &r.latency_ms, p.now, Default::default(), none)?;

    let labels: Vec<[(&str, &str); 2]> =
        fleet.alerts.iter().map(|a| [("vehicle_id", a.vehicle_id.as_str()), ("alert", a.alert)]).collect();
    let alerts: Vec<Alert> = fleet
        .alerts
        .iter()
        .zip(&labels)
        .map(|(a, l)| Alert { key: &a.vehicle_id, labels: l, at: a.at, firing: a.firing })
        .collect();
    let storms = report::storms::check(StormConfig::default(), vec![], &alerts, p.start, p.now, none)?;

    let t = &fleet.telemetry;
    let keys: Vec<u64> = (0..t.len())
        .map(|i| key_hash(&[KeyPart::Text(&t.vehicles[t.vehicle[i] as usize]), KeyPart::Int(t.at_ms[i])]))
        .collect::<fleetops::Result<_>>()?;
    let dedup = report::dedup::check(report::dedup::default_config(), &keys, &t.at_ms, none)?;

    let report = Report::new(p.now, Some(freshness), Some(slo), Some(storms), Some(dedup));
    let f = report.freshness.as_ref().expect("given");
    println!("freshness: errors {:?}, warnings {:?}", f.tables.summary.error, f.tables.summary.warn);
    for a in &report.slo.as_ref().expect("given").alerts {
        println!(
            "burn: {} {} ({}) {} -> {:?}, peak {:.1}x",
            a.objective, a.tier, a.severity, a.from, a.to, a.peak_long_burn
        );
    }
    let s = report.storms.as_ref().expect("given");
    for e in &s.storms {
        println!("storm: {} {} -> {:?}, suppressed {}", e.key, e.started_at, e.ended_at, e.suppressed);
    }
    for e in &s.flapping {
        println!("flapping: {} from {} ({:.1} %)", e.key, e.started_at, e.percent);
    }
    let d = report.dedup.as_ref().expect("given");
    println!("duplicates: {} (late {}), hours {:?}", d.counts.duplicate, d.counts.late, d.duplicate_hours);
    println!("level {:?}, exit {}, in {:.2?}", report.level, report.exit_code(), started.elapsed());
    Ok(())
}
