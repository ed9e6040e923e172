//! `fleetops storms`: replays a JSONL (or CSV) of alerts through the storm detector and prints
//! the storms with their suppressed counts, the mutes that applied, flapping keys and the
//! escalations due.
//!
//! Fields: `at` (or `timestamp`, `time`), the key (`--key vehicle_id`: a field, or a label),
//! optional `labels` (an object), `status` (`firing` / `resolved`), and for escalation `id`,
//! `severity`, `priority`, `acked_at`, `actioned_at`.

use crate::out::say;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use fleetops::storm::{
    escalations_due, mutes_from_json, Action, Alert, AlertRecord, EscalationPolicy, StormDetector, StormEvent,
    StormSpec,
};
use fleetops::time::{parse_timestamp, to_iso, Timestamp};

use crate::records::{read_records, Records};
use crate::table::render;

#[derive(ClapArgs)]
pub struct Args {
    /// JSONL (or CSV) file of alerts.
    file: PathBuf,
    /// The field or label that names the alert's key.
    #[arg(long, default_value = "vehicle_id")]
    pub key: String,
    /// A JSON list of mutes (`id`, `key` or `matchers`, `starts_at`, `ends_at`, `reason`).
    #[arg(long)]
    mutes: Option<PathBuf>,
    /// Storm detector options as JSON, e.g. `{"enter_above": 50, "window": "10m"}`.
    #[arg(long)]
    config: Option<String>,
    /// When to judge escalations and storm ends (default: the last alert's time).
    #[arg(long)]
    now: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Exit 0 even when storms, flapping or escalations are found.
    #[arg(long)]
    exit_zero: bool,
}

/// One alert read from a row.
pub struct Row {
    pub key: String,
    pub labels: Vec<(String, String)>,
    pub at: Timestamp,
    pub firing: bool,
}

fn field<'a>(r: &'a Records, i: usize, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| r.column(n).ok().and_then(|c| r.rows[i].1[c].as_deref()).filter(|v| !v.is_empty()))
}

pub fn read_row(r: &Records, i: usize, key_name: &str) -> Result<Row, String> {
    let place = || r.place(i);
    let at = field(r, i, &["at", "timestamp", "time"]).ok_or_else(|| format!("{}: no 'at' timestamp", place()))?;
    let at = parse_timestamp(at).map_err(|e| format!("{}: {e}", place()))?;
    let mut labels: Vec<(String, String)> = match field(r, i, &["labels"]) {
        None => vec![],
        Some(text) => {
            let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)
                .map_err(|e| format!("{}: labels must be an object of strings: {e}", place()))?;
            v.into_iter().map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect()
        }
    };
    let key = field(r, i, &[key_name])
        .map(str::to_owned)
        .or_else(|| labels.iter().find(|(k, _)| k == key_name).map(|(_, v)| v.clone()))
        .ok_or_else(|| format!("{}: no '{key_name}' field or label (choose the key with --key)", place()))?;
    if !labels.iter().any(|(k, _)| k == key_name) {
        labels.push((key_name.to_owned(), key.clone()));
    }
    let firing = match field(r, i, &["status"]) {
        None | Some("firing") => true,
        Some("resolved") => false,
        Some(other) => return Err(format!("{}: status must be 'firing' or 'resolved', not '{other}'", place())),
    };
    Ok(Row { key, labels, at, firing })
}

fn record(r: &Records, i: usize, row: &Row) -> Result<Option<AlertRecord>, String> {
    let Some(id) = field(r, i, &["id"]) else {
        return Ok(None);
    };
    let mut obj = serde_json::json!({"id": id, "raised_at": to_iso(row.at)});
    for f in ["severity", "priority", "acked_at", "actioned_at"] {
        if let Some(v) = field(r, i, &[f]) {
            obj[f] = serde_json::Value::String(v.to_owned());
        }
    }
    serde_json::from_value(obj).map(Some).map_err(|e| format!("{}: {e}", r.place(i)))
}

pub fn run(args: &Args) -> Result<u8, String> {
    let r = read_records(&args.file)?;
    let spec: StormSpec = match &args.config {
        None => StormSpec::default(),
        Some(text) => serde_json::from_str(text).map_err(|e| format!("--config: {e}"))?,
    };
    let mut d = StormDetector::new(spec.build().map_err(|e| format!("--config: {e}"))?)
        .map_err(|e| format!("--config: {e}"))?;
    if let Some(path) = &args.mutes {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{name}: not JSON: {e}"))?;
        d.set_mutes(mutes_from_json(value).map_err(|e| format!("{name}: {e}"))?).map_err(|e| format!("{name}: {e}"))?;
    }
    let mut events: Vec<StormEvent> = Vec::new();
    let mut records: std::collections::BTreeMap<String, AlertRecord> = Default::default();
    let mut last = None;
    for i in 0..r.rows.len() {
        let row = read_row(&r, i, &args.key)?;
        let labels: Vec<(&str, &str)> = row.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let v = d.observe(&Alert { key: &row.key, labels: &labels, at: row.at, firing: row.firing }, None);
        events.extend(v.events);
        if let Some(rec) = record(&r, i, &row)? {
            match (row.firing, records.get_mut(&rec.id)) {
                (false, Some(existing)) => existing.resolved_at = Some(row.at),
                (true, None) if v.action == Action::Notify => {
                    records.insert(rec.id.clone(), rec);
                }
                _ => {}
            }
        }
        last = Some(last.map_or(row.at, |l: Timestamp| l.max(row.at)));
    }
    let now = match &args.now {
        Some(t) => parse_timestamp(t).map_err(|e| format!("--now: {e}"))?,
        None => last.expect("at least one row"),
    };
    events.extend(d.advance(now));
    let records: Vec<AlertRecord> = records.into_values().collect();
    let due = escalations_due(&records, &EscalationPolicy::runbook(), now);
    let stats = d.stats();
    let flagged = !events.is_empty() || !stats.storming.is_empty() || !due.is_empty();
    if args.json {
        let out = serde_json::json!({"now": to_iso(now), "events": events, "stats": stats, "escalations_due": due});
        crate::out::json_pretty(&out);
    } else {
        print_text(&r.name, now, &events, &stats, &due);
    }
    Ok(if flagged && !args.exit_zero { 1 } else { 0 })
}

fn print_text(
    name: &str,
    now: Timestamp,
    events: &[StormEvent],
    stats: &fleetops::storm::StormStats,
    due: &[fleetops::storm::Due],
) {
    let c = &stats.counts;
    say!(
        "{}: {} alerts at {}: {} passed on, {} held back by storms, {} by flapping, {} muted",
        crate::out::v(name),
        c.alerts,
        to_iso(now),
        c.notified,
        c.suppressed_storm,
        c.suppressed_flapping,
        c.muted
    );
    let rows: Vec<Vec<String>> = events
        .iter()
        .filter_map(|e| match e {
            StormEvent::StormEnded { key, started_at, ended_at, suppressed } => {
                Some(vec![key.clone(), to_iso(*started_at), to_iso(*ended_at), suppressed.to_string()])
            }
            StormEvent::FleetStormEnded { started_at, ended_at, keys, suppressed } => Some(vec![
                format!("fleet-wide ({keys} keys)"),
                to_iso(*started_at),
                to_iso(*ended_at),
                suppressed.to_string(),
            ]),
            _ => None,
        })
        .chain(
            stats
                .storming
                .iter()
                .map(|s| vec![s.key.clone(), to_iso(s.started_at), "ongoing".into(), s.suppressed.to_string()]),
        )
        .collect();
    if rows.is_empty() {
        say!("\nno storms");
    } else {
        say!("\nstorms\n{}", render(&["key", "started", "ended", "suppressed"], &rows));
    }
    if !stats.muted_by.is_empty() {
        say!(
            "mutes applied: {}",
            stats.muted_by.iter().map(|(k, n)| format!("{} ({n})", crate::out::v(k))).collect::<Vec<_>>().join(", ")
        );
    }
    let flapping: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            StormEvent::FlapStarted { key, percent, .. } => Some(format!("{} ({percent:.1} %)", crate::out::v(key))),
            _ => None,
        })
        .collect();
    if !flapping.is_empty() {
        say!("flapping: {}", flapping.join(", "));
    }
    if !due.is_empty() {
        let rows: Vec<Vec<String>> = due
            .iter()
            .map(|d| {
                vec![
                    d.id.clone(),
                    serde_json::to_value(&d.action).unwrap().as_str().unwrap_or("").to_owned()
                        + d.level.map(|l| format!(" {l}")).as_deref().unwrap_or(""),
                    to_iso(d.due_at),
                ]
            })
            .collect();
        say!("escalations due\n{}", render(&["alert", "action", "due since"], &rows));
    }
}
