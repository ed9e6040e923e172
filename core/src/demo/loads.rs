//! Raw-table load times: each table loads on its own cadence, a few minutes after the slot
//! with up to two minutes of jitter; the planted table stops loading.

use chrono::TimeDelta;

use super::{minutes, Planted, Rng};
use crate::time::Timestamp;

/// The raw tables and their load cadence in minutes.
pub const TABLES: [(&str, i64); 20] = [
    ("packages", 60),
    ("tracking_events", 15),
    ("trip_events", 30),
    ("vehicles", 120),
    ("drivers", 120),
    ("routes", 60),
    ("route_stops", 60),
    ("deliveries", 30),
    ("delivery_attempts", 30),
    ("customers", 120),
    ("depots", 120),
    ("shipments", 60),
    ("invoices", 120),
    ("fuel_transactions", 60),
    ("maintenance_orders", 120),
    ("sensor_readings", 15),
    ("geofence_events", 15),
    ("driver_shifts", 60),
    ("warehouse_scans", 30),
    ("returns", 60),
];

/// One completed load of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    /// The table.
    pub table: &'static str,
    /// When the load finished (`MAX(_loaded_at)` after it).
    pub at: Timestamp,
}

pub(super) fn generate(p: &Planted, rng: &mut Rng) -> Vec<Load> {
    let mut loads = Vec::new();
    for (table, cadence) in TABLES {
        let offset = minutes(1 + rng.below(4) as i64);
        let mut slot = p.start;
        while slot < p.now {
            let at = slot + offset + TimeDelta::seconds(rng.below(120) as i64);
            let stopped = table == p.stale_table && at > p.stale_after;
            if at < p.now && !stopped {
                loads.push(Load { table, at });
            }
            slot += minutes(cadence);
        }
    }
    loads.sort_by_key(|l| l.at);
    loads
}
