//! Truck telemetry: every truck reports once a minute (truck `i` at second `i`, up to a second
//! of jitter). The planted streaming restart re-sends the hour before it, so those events
//! arrive twice.

use super::{vehicles, Planted, Rng};

/// Telemetry events as columns, in arrival order.
#[derive(Debug, Clone, Default)]
pub struct Telemetry {
    /// The vehicle ids; `vehicle` indexes into this.
    pub vehicles: Vec<String>,
    /// Each event's vehicle.
    pub vehicle: Vec<u16>,
    /// Each event's event time, ms since the epoch.
    pub at_ms: Vec<i64>,
    /// Engine coolant temperature (°C).
    pub engine_temp_c: Vec<f32>,
    /// Speed (km/h).
    pub speed_kmh: Vec<f32>,
    /// Fuel level (%).
    pub fuel_pct: Vec<f32>,
}

impl Telemetry {
    /// Events (the replayed ones included).
    pub fn len(&self) -> usize {
        self.at_ms.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.at_ms.is_empty()
    }

    fn push_copy(&mut self, i: usize) {
        self.vehicle.push(self.vehicle[i]);
        self.at_ms.push(self.at_ms[i]);
        self.engine_temp_c.push(self.engine_temp_c[i]);
        self.speed_kmh.push(self.speed_kmh[i]);
        self.fuel_pct.push(self.fuel_pct[i]);
    }
}

pub(super) fn generate(p: &Planted, rng: &mut Rng) -> Telemetry {
    let names = vehicles();
    let trucks = names.len();
    let (start, end) = (p.start.timestamp_millis(), p.now.timestamp_millis());
    let (replay_from, restart) = (p.replay_from.timestamp_millis(), p.replay_restart.timestamp_millis());
    let (storm_from, storm_to) = (p.storm_from.timestamp_millis(), p.storm_to.timestamp_millis());
    let storm_truck = names.iter().position(|n| n == p.storm_vehicle).expect("the storm truck exists");
    let n = ((end - start) / 60_000) as usize * trucks + p.replayed_events as usize;
    let mut t = Telemetry { vehicles: names, ..Default::default() };
    t.vehicle.reserve(n);
    t.at_ms.reserve(n);
    t.engine_temp_c.reserve(n);
    t.speed_kmh.reserve(n);
    t.fuel_pct.reserve(n);
    let mut fuel = vec![80.0f32; trucks];
    let mut minute = start;
    while minute < end {
        if minute == restart {
            // The restarted job re-reads from the earliest offset it kept: the last hour.
            let first = t.at_ms.partition_point(|&at| at < replay_from);
            for i in first..t.len() {
                t.push_copy(i);
            }
        }
        for (i, f) in fuel.iter_mut().enumerate() {
            let at = minute + i as i64 * 1000 + rng.below(1000) as i64;
            *f = if *f < 12.0 { 95.0 } else { *f - 0.04 * rng.unit() as f32 };
            let faulty = i == storm_truck && (storm_from..storm_to).contains(&at);
            t.vehicle.push(i as u16);
            t.at_ms.push(at);
            t.engine_temp_c.push(if faulty { -40.0 } else { 86.0 + 4.0 * rng.normal() as f32 });
            t.speed_kmh.push((55.0 + 25.0 * rng.normal() as f32).clamp(0.0, 110.0));
            t.fuel_pct.push(*f);
        }
        minute += 60_000;
    }
    t
}
