//! Freshness: classify raw tables the way the runbooks' morning check does (the analytics runbook's tiers),
//! learn a table's load cadence from its history, and judge a dbt-style warn/error policy.
//!
//! Run with `cargo run --example freshness`.

use chrono::TimeDelta;
use fleetops::freshness::{check_cadence, classify_tables, CadenceOptions, FreshnessPolicy, Limit, TableInput};
use fleetops::time::parse_timestamp;

fn main() -> fleetops::Result<()> {
    let now = parse_timestamp("2026-11-22T08:00:00Z")?;
    let tables = [
        TableInput::new("packages", Some(parse_timestamp("2026-11-22T07:42:00Z")?)),
        TableInput::new("tracking_events", Some(parse_timestamp("2026-11-22T03:10:00Z")?)),
        TableInput::new("trip_events", Some(parse_timestamp("2026-11-21T17:30:00Z")?)),
        TableInput::new("vehicles", None),
    ];
    let report = classify_tables(&FreshnessPolicy::runbook(), &tables, now, &CadenceOptions::default())?;
    for t in &report.results {
        println!("{:<16} {:<10} {:?} stale={}", t.table, t.class, t.level, t.stale);
    }

    // A table loaded every 30 minutes, last at 06:30: 90 minutes is late for its own rhythm.
    let history: Vec<_> = (0..12).map(|k| now - TimeDelta::minutes(90 + 30 * k)).collect();
    let cadence = check_cadence(&history, now, TimeDelta::minutes(5), &CadenceOptions::default())?;
    println!("cadence: {}", serde_json::to_string(&cadence).expect("serialises"));

    // dbt's `warn_after: {count: 2, period: hour}`, `error_after: {count: 6, period: hour}`.
    let dbt = FreshnessPolicy::runbook()
        .with_criteria(Some(Limit::after(TimeDelta::hours(2))?), Some(Limit::after(TimeDelta::hours(6))?))?;
    let verdict = dbt.classify("tracking_events", tables[1].last_loaded_at, now);
    println!("dbt policy: tracking_events is {:?}", verdict.level);
    Ok(())
}
