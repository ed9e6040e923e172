//! SLOs: the runbook's 99.9 % month as an error budget, a streaming tracker fed request
//! outcomes, its burn-rate tiers, latency percentiles and the Prometheus text of its status.
//!
//! Run with `cargo run --example slo`.

use chrono::TimeDelta;
use fleetops::slo::{event_budget, CountsSpec, Objective, Outcome, SloTracker, TrackerConfig, AVERAGE_MONTH};
use fleetops::time::parse_timestamp;

fn main() -> fleetops::Result<()> {
    // 99.9 % over the 30.44-day average month: the runbook's 43.8 minutes.
    let objective = Objective::new(0.999)?;
    let counts = CountsSpec { good: Some(999_400.0), bad: None, total: Some(1_000_000.0) }.build()?;
    let budget = event_budget(objective, counts, Some(AVERAGE_MONTH.num_minutes() as f64))?;
    println!("budget: {}", serde_json::to_string(&budget).expect("serialises"));

    // A tracker with the runbook's objectives: an hour of traffic with a bad 10 minutes.
    let mut tracker = SloTracker::new(TrackerConfig::runbook())?;
    let start = parse_timestamp("2026-11-22T07:00:00Z")?;
    for s in 0..3600 {
        let at = start + TimeDelta::seconds(s);
        let ok = !(3000..3600).contains(&s);
        // Recorded live: the recorder's clock reads each request's own time.
        tracker.record(Outcome { at, ok, latency_ms: Some(80.0 + (s % 50) as f64) }, at)?;
    }
    let now = start + TimeDelta::hours(1);
    let status = tracker.status(now);
    for o in &status.objectives {
        let firing: Vec<&str> = o.burn.iter().filter(|b| b.firing).map(|b| b.tier.as_str()).collect();
        println!("{:<12} firing tiers: {firing:?}", o.name);
    }
    println!("p95: {:?} ms", status.latency.p95_ms);
    println!("{}", status.prometheus(None)?.lines().take(6).collect::<Vec<_>>().join("\n"));
    Ok(())
}
