//! `fleetops demo --out DIR`: the demo fleet's week as the files a user would have (loads.csv,
//! api_requests.csv, alerts.jsonl, telemetry.csv) and a fleetops.toml naming them, so that
//! `fleetops report --config DIR/fleetops.toml` reads the same week from disk.

use crate::out::say;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;
use fleetops::demo::{generate, DemoFleet, DEMO_SEED};
use fleetops::time::to_iso;

#[derive(ClapArgs)]
pub struct Args {
    /// Directory to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator (the bundled demo's by default).
    #[arg(long, default_value_t = DEMO_SEED)]
    seed: u64,
}

/// ISO-8601 with milliseconds, as streaming systems write event times.
fn iso_ms(ms: i64) -> String {
    let t = fleetops::time::Timestamp::from_timestamp_millis(ms).expect("a generated instant is valid");
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn write(dir: &Path, name: &str, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), String> {
    let path = dir.join(name);
    let fail = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).map_err(fail)?);
    fill(&mut w).map_err(fail)?;
    w.flush().map_err(fail)
}

fn write_all(dir: &Path, f: &DemoFleet) -> Result<(), String> {
    write(dir, "loads.csv", |w| {
        writeln!(w, "table,loaded_at")?;
        f.loads.iter().try_for_each(|l| writeln!(w, "{},{}", l.table, to_iso(l.at)))
    })?;
    write(dir, "api_requests.csv", |w| {
        writeln!(w, "timestamp,status,latency_ms")?;
        let r = &f.requests;
        (0..r.len()).try_for_each(|i| {
            let t = fleetops::time::Timestamp::from_timestamp_micros(r.at_us[i]).expect("valid");
            writeln!(w, "{},{},{}", t.format("%Y-%m-%dT%H:%M:%S%.6fZ"), r.status[i], r.latency_ms[i])
        })
    })?;
    write(dir, "alerts.jsonl", |w| {
        f.alerts.iter().try_for_each(|a| {
            let line = serde_json::json!({
                "at": to_iso(a.at), "vehicle_id": a.vehicle_id, "status": if a.firing { "firing" } else { "resolved" },
                "labels": {"alert": a.alert, "severity": a.severity},
            });
            writeln!(w, "{line}")
        })
    })?;
    write(dir, "telemetry.csv", |w| {
        writeln!(w, "vehicle_id,event_time,engine_temp_c,speed_kmh,fuel_pct")?;
        let t = &f.telemetry;
        (0..t.len()).try_for_each(|i| {
            writeln!(
                w,
                "{},{},{:.1},{:.1},{:.2}",
                t.vehicles[t.vehicle[i] as usize],
                iso_ms(t.at_ms[i]),
                t.engine_temp_c[i],
                t.speed_kmh[i],
                t.fuel_pct[i]
            )
        })
    })?;
    write(dir, "fleetops.toml", |w| {
        write!(
            w,
            r#"# The demo fleet's week, as `fleetops report --config fleetops.toml` reads it.
now = "{}"

[freshness]
loads = "loads.csv"

[slo]
requests = "api_requests.csv"

# The weekly maintenance window: its planned downtime is left out of the budget.
[[slo.tracker.maintenance]]
name = "weekly"
cron = "{}"
duration = "{}h"
timezone = "UTC"

[storms]
alerts = "alerts.jsonl"
key = "vehicle_id"

[dedup]
events = "telemetry.csv"
key = ["vehicle_id", "event_time"]
time = "event_time"
"#,
            to_iso(f.planted.now),
            f.planted.maintenance_cron,
            f.planted.maintenance_hours
        )
    })
}

pub fn run(args: &Args) -> Result<u8, String> {
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: cannot create: {e}", args.out.display()))?;
    let fleet = generate(args.seed);
    write_all(&args.out, &fleet)?;
    say!(
        "wrote {} loads, {} requests, {} alerts and {} telemetry events to {}",
        fleet.loads.len(),
        fleet.requests.len(),
        fleet.alerts.len(),
        fleet.telemetry.len(),
        args.out.display()
    );
    Ok(0)
}
