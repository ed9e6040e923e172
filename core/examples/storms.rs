//! Alert storms: a truck's failing sensor floods alerts; the detector passes the first, sends
//! one storm summary, holds the rest back and reports the suppressed count when it calms.
//! Mutes (the runbooks' kill switch) catch a truck in maintenance.
//!
//! Run with `cargo run --example storms`.

use chrono::TimeDelta;
use fleetops::storm::{mutes_from_json, Action, Alert, StormConfig, StormDetector};
use fleetops::time::parse_timestamp;

fn main() -> fleetops::Result<()> {
    let mut detector = StormDetector::new(StormConfig::default())?;
    detector.set_mutes(mutes_from_json(serde_json::json!([{
        "id": "kill-switch-1", "key": "TRK-044", "reason": "in maintenance",
        "starts_at": "2026-11-22T00:00:00Z", "ends_at": "2026-11-23T00:00:00Z"
    }]))?)?;
    let start = parse_timestamp("2026-11-22T02:00:00Z")?;
    let labels = [("alert", "coolant_sensor_fault")];
    let mut passed = 0;
    for i in 0..720 {
        let at = start + TimeDelta::seconds(5 * i);
        let v = detector.observe(&Alert { key: "TRK-017", labels: &labels, at, firing: true }, None);
        passed += (v.action == Action::Notify) as u32;
        for e in v.events {
            println!("{}", serde_json::to_string(&e).expect("serialises"));
        }
    }
    let now = start + TimeDelta::hours(1);
    let muted = detector.observe(&Alert { key: "TRK-044", labels: &labels, at: now, firing: true }, None);
    println!("TRK-044: {:?} ({})", muted.action, muted.reason);
    for e in detector.advance(start + TimeDelta::hours(2)) {
        println!("{}", serde_json::to_string(&e).expect("serialises"));
    }
    println!("passed on: {passed}, counts: {:?}", detector.counts());
    Ok(())
}
