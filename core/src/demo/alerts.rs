//! Alerts from the trucks' edge rules: 419 ordinary ones over the week (142 and 268 from two
//! noisy trucks, 9 from the rest), the failing sensor's storm (one every 5 s) and the flapping
//! door sensor (fires and resolves every 3 minutes).

use chrono::TimeDelta;

use super::{minutes, vehicles, Planted, Rng};
use crate::time::Timestamp;

/// One alert.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAlert {
    /// The truck.
    pub vehicle_id: String,
    /// The rule that fired, e.g. `coolant_sensor_fault`.
    pub alert: &'static str,
    /// `warning` or `critical`.
    pub severity: &'static str,
    /// When it fired or resolved.
    pub at: Timestamp,
    /// Firing (true) or resolved.
    pub firing: bool,
}

const ORDINARY: [(&str, &str); 4] = [
    ("tire_pressure_low", "warning"),
    ("harsh_braking", "warning"),
    ("engine_temp_high", "critical"),
    ("fuel_level_low", "warning"),
];

pub(super) fn generate(p: &Planted, rng: &mut Rng) -> Vec<DemoAlert> {
    let names = vehicles();
    let week_ms = (p.now - p.start).num_milliseconds() as u64;
    let mut out = Vec::new();
    let mut push = |vehicle: &str, alert, severity, at, firing| {
        out.push(DemoAlert { vehicle_id: vehicle.to_owned(), alert, severity, at, firing });
    };
    // Ordinary alerts at random times; two noisy trucks, the rest rare (never the planted trucks).
    let quiet: Vec<&String> = names
        .iter()
        .filter(|n| ![p.storm_vehicle, p.flapping_vehicle, "TRK-005", "TRK-022"].contains(&n.as_str()))
        .collect();
    let sources = std::iter::repeat_n("TRK-005", 142)
        .chain(std::iter::repeat_n("TRK-022", 268))
        .map(str::to_owned)
        .chain((0..9).map(|_| quiet[rng.below(quiet.len() as u64) as usize].clone()))
        .collect::<Vec<_>>();
    for vehicle in &sources {
        let (alert, severity) = ORDINARY[rng.below(ORDINARY.len() as u64) as usize];
        let at = p.start + TimeDelta::milliseconds(rng.below(week_ms) as i64);
        push(vehicle, alert, severity, at, true);
    }
    // The failing coolant sensor: an alert every 5 seconds.
    let mut at = p.storm_from;
    while at < p.storm_to {
        push(p.storm_vehicle, "coolant_sensor_fault", "critical", at, true);
        at += TimeDelta::seconds(5);
    }
    // The flapping cargo-door sensor: open, closed, open, ... every 3 minutes.
    let mut at = p.flap_from;
    let mut firing = true;
    while at < p.flap_to {
        push(p.flapping_vehicle, "cargo_door_open", "warning", at, firing);
        firing = !firing;
        at += minutes(3);
    }
    out.sort_by_key(|a| a.at);
    out
}
