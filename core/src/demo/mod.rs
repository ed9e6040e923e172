//! A deterministic demo fleet: one week of a logistics platform with the runbooks' incidents
//! planted, so `fleetops report` has something real-looking to find (and tests can check that
//! it finds exactly what was planted).
//!
//! [`generate`] builds everything in memory from a fixed seed in well under a second; nothing
//! large is committed. What is planted ([`Planted`], and the README):
//!
//! | incident | where | when (UTC) |
//! |---|---|---|
//! | alert storm: a failing coolant sensor alerts every 5 s | `TRK-017` | Fri 6 Nov 02:00-06:00 |
//! | streaming replay: a restart re-sends an hour of telemetry | all 50 trucks | Wed 4 Nov 09:00-10:00, re-sent at 10:00 |
//! | a table whose loads stop (stale after 3 h, POOR after 12 h) | `trip_events` | last load Sat 7 Nov 17:4x |
//! | a bad hour: 5 % of API requests fail (pages on the 99.9 % SLO) | the API | Thu 5 Nov 14:00-15:00 |
//! | a flapping cargo-door sensor (fires and resolves every 3 min) | `TRK-031` | Tue 3 Nov 20:00-23:00 |
//!
//! Everything else is ordinary: ~5M API requests with a daily rhythm, 0.02 % server errors and a
//! log-normal latency (median 120 ms), telemetry every minute from 50 trucks, 20 raw tables
//! loaded every 15 min to 2 h, and 419 ordinary alerts of which 142 and 268 come from two
//! noisy trucks (the runbooks' "a few noisy sources dominate").

mod alerts;
mod loads;
mod requests;
mod rng;
mod telemetry;

use chrono::{TimeDelta, TimeZone, Utc};

pub use alerts::DemoAlert;
pub use loads::{Load, TABLES};
pub use requests::Requests;
pub use rng::Rng;
pub use telemetry::Telemetry;

use crate::time::Timestamp;

/// The seed of the bundled demo.
pub const DEMO_SEED: u64 = 20_261_108;

/// The demo fleet's size and the instants its incidents happen at.
#[derive(Debug, Clone, PartialEq)]
pub struct Planted {
    /// The report's `now`: the morning after the week.
    pub now: Timestamp,
    /// The week's start (`now` - 7 days).
    pub start: Timestamp,
    /// The truck with the failing sensor.
    pub storm_vehicle: &'static str,
    /// Its alerts start ...
    pub storm_from: Timestamp,
    /// ... and stop.
    pub storm_to: Timestamp,
    /// How many alerts the failing sensor sent.
    pub storm_alerts: u64,
    /// The streaming job restarts here and re-sends ...
    pub replay_restart: Timestamp,
    /// ... every event with an event time from here up to the restart.
    pub replay_from: Timestamp,
    /// How many events arrive twice.
    pub replayed_events: u64,
    /// The table whose loads stop.
    pub stale_table: &'static str,
    /// Its loads stop after this instant.
    pub stale_after: Timestamp,
    /// The bad hour's start ...
    pub bad_from: Timestamp,
    /// ... and end.
    pub bad_to: Timestamp,
    /// Share of requests failing in the bad hour.
    pub bad_error_rate: f64,
    /// The weekly maintenance window (the data runbook's Sunday 02:00-04:00 UTC) ...
    pub maintenance_cron: &'static str,
    /// ... its length in hours ...
    pub maintenance_hours: i64,
    /// ... and the planned downtime inside it, when every request fails: from ...
    pub downtime_from: Timestamp,
    /// ... to.
    pub downtime_to: Timestamp,
    /// The truck with the flapping sensor.
    pub flapping_vehicle: &'static str,
    /// Flapping starts ...
    pub flap_from: Timestamp,
    /// ... and stops.
    pub flap_to: Timestamp,
}

impl Planted {
    /// The bundled demo's incidents (see the module table).
    pub fn demo() -> Self {
        let at = |d, h, m| Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).single().expect("valid date");
        Self {
            now: at(8, 7, 0),
            start: at(1, 7, 0),
            storm_vehicle: "TRK-017",
            storm_from: at(6, 2, 0),
            storm_to: at(6, 6, 0),
            storm_alerts: 4 * 3600 / 5,
            replay_restart: at(4, 10, 0),
            replay_from: at(4, 9, 0),
            replayed_events: 50 * 60,
            stale_table: "trip_events",
            stale_after: at(7, 17, 45),
            bad_from: at(5, 14, 0),
            bad_to: at(5, 15, 0),
            bad_error_rate: 0.05,
            maintenance_cron: "0 2 * * SUN",
            maintenance_hours: 2,
            downtime_from: at(8, 2, 20),
            downtime_to: at(8, 2, 50),
            flapping_vehicle: "TRK-031",
            flap_from: at(3, 20, 0),
            flap_to: at(3, 23, 0),
        }
    }
}

impl Planted {
    /// The weekly maintenance window as a tracker's spec writes it.
    pub fn maintenance(&self) -> crate::maintenance::MaintenanceSpec {
        crate::maintenance::MaintenanceSpec {
            name: Some("weekly".into()),
            cron: Some(self.maintenance_cron.into()),
            duration: Some(crate::time::DurationSpec::Text(format!("{}h", self.maintenance_hours))),
            timezone: Some("UTC".into()),
            ..Default::default()
        }
    }
}

/// One generated week.
#[derive(Debug, Clone)]
pub struct DemoFleet {
    /// What was planted, and when.
    pub planted: Planted,
    /// Raw-table loads, in time order.
    pub loads: Vec<Load>,
    /// The API's request log, in time order.
    pub requests: Requests,
    /// Truck telemetry in arrival order (the replayed hour arrives twice).
    pub telemetry: Telemetry,
    /// Alerts from the trucks' edge rules, in time order.
    pub alerts: Vec<DemoAlert>,
}

/// The fleet of `seed` (use [`DEMO_SEED`] for the bundled demo): the same seed gives the same
/// fleet on every machine.
///
/// ```
/// let fleet = fleetops::demo::generate(fleetops::demo::DEMO_SEED);
/// assert_eq!(fleet.telemetry.len(), 50 * 60 * 24 * 7 + 3000);
/// assert!(fleet.requests.len() > 4_500_000);
/// ```
pub fn generate(seed: u64) -> DemoFleet {
    let planted = Planted::demo();
    let mut rng = Rng::new(seed);
    DemoFleet {
        loads: loads::generate(&planted, &mut rng),
        requests: requests::generate(&planted, &mut rng),
        telemetry: telemetry::generate(&planted, &mut rng),
        alerts: alerts::generate(&planted, &mut rng),
        planted,
    }
}

/// The vehicle ids `TRK-001` ... `TRK-050`.
pub fn vehicles() -> Vec<String> {
    (1..=50).map(|i| format!("TRK-{i:03}")).collect()
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}
