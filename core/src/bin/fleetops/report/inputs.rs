//! What `fleetops report` judges: the bundled demo fleet, or the user's files named by flags
//! or by a TOML config (paths relative to the config file).

use std::path::{Path, PathBuf};

use fleetops::dedup::{key_hash, DedupConfig, DeduperSpec, KeyPart};
use fleetops::demo::DemoFleet;
use fleetops::slo::{TrackerConfig, TrackerSpec};
use fleetops::storm::{mutes_from_json, Mute, StormConfig, StormSpec};
use fleetops::time::{parse_duration, parse_timestamp, Timestamp};
use serde::Deserialize;

use crate::dedup_cmd;
use crate::outcomes::{read_outcomes, Outcomes};
use crate::records::read_records;
use crate::storms_cmd::{read_row, Row};

/// `fleetops.toml`: every section optional; a section without its input file is skipped.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// When to judge (ISO-8601 with an offset); default: the current time.
    pub now: Option<String>,
    #[serde(default)]
    pub freshness: FreshnessConfig,
    #[serde(default)]
    pub slo: SloConfig,
    #[serde(default)]
    pub storms: StormsConfig,
    #[serde(default)]
    pub dedup: DedupConfigFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreshnessConfig {
    /// CSV/JSONL of loads: `table` and `loaded_at` per row.
    pub loads: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloConfig {
    /// CSV/JSONL of requests: `timestamp`, `status` or `ok`, optional `latency_ms`.
    pub requests: Option<PathBuf>,
    /// Step the burn tiers are judged at (default 5m).
    pub step: Option<String>,
    /// Tracker options (period, objectives, burn tiers); default the runbook's.
    #[serde(default)]
    pub tracker: TrackerSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StormsConfig {
    /// JSONL/CSV of alerts: `at`, the key, optional `status` and `labels`.
    pub alerts: Option<PathBuf>,
    /// The field or label naming an alert's key (default `vehicle_id`).
    pub key: Option<String>,
    /// A JSON list of mutes.
    pub mutes: Option<PathBuf>,
    /// Detector options; default the runbook's.
    #[serde(default)]
    pub detector: StormSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupConfigFile {
    /// CSV/JSONL of events in arrival order.
    pub events: Option<PathBuf>,
    /// Key columns (default `vehicle_id` and the time column).
    pub key: Option<Vec<String>>,
    /// Event-time column (default `event_time`).
    pub time: Option<String>,
    /// De-duplicator options (default: horizon 24h, allowed_lateness 2h).
    pub deduper: Option<DeduperSpec>,
}

/// Requests as columns.
pub struct Requests {
    pub at_us: Vec<i64>,
    pub ok: Vec<bool>,
    pub latency_ms: Vec<f64>,
}

/// Everything read, ready for the core checks.
pub struct Inputs {
    /// Where the data came from, for the heading.
    pub source: String,
    pub now: Timestamp,
    /// Start of the timelines: the earliest input time.
    pub since: Timestamp,
    pub loads: Option<Vec<(String, Timestamp)>>,
    pub requests: Option<Requests>,
    pub tracker: TrackerConfig,
    pub scan: fleetops::report::slo::Scan,
    pub alerts: Option<Vec<Row>>,
    pub storm: StormConfig,
    pub mutes: Vec<Mute>,
    pub events: Option<(Vec<u64>, Vec<i64>)>,
    pub dedup: DedupConfig,
}

impl Inputs {
    /// The demo fleet, judged at its planted `now`.
    pub fn demo(fleet: DemoFleet) -> Result<Self, String> {
        let p = &fleet.planted;
        let alerts = fleet
            .alerts
            .iter()
            .map(|a| Row {
                key: a.vehicle_id.clone(),
                labels: vec![
                    ("vehicle_id".into(), a.vehicle_id.clone()),
                    ("alert".into(), a.alert.into()),
                    ("severity".into(), a.severity.into()),
                ],
                at: a.at,
                firing: a.firing,
            })
            .collect();
        let t = &fleet.telemetry;
        let keys = (0..t.len())
            .map(|i| key_hash(&[KeyPart::Text(&t.vehicles[t.vehicle[i] as usize]), KeyPart::Int(t.at_ms[i])]))
            .collect::<fleetops::Result<Vec<u64>>>()
            .map_err(|e| e.to_string())?;
        let r = &fleet.requests;
        Ok(Self {
            source: "the demo fleet (one generated week: 50 trucks, 20 raw tables, the fleet API)".into(),
            now: p.now,
            since: p.start,
            loads: Some(fleet.loads.iter().map(|l| (l.table.to_owned(), l.at)).collect()),
            requests: Some(Requests {
                at_us: r.at_us.clone(),
                ok: r.status.iter().map(|s| *s < 500).collect(),
                latency_ms: r.latency_ms.clone(),
            }),
            tracker: TrackerConfig {
                maintenance: fleetops::maintenance::Maintenance::new(&[p.maintenance()]).map_err(|e| e.to_string())?,
                ..TrackerConfig::runbook()
            },
            scan: Default::default(),
            alerts: Some(alerts),
            storm: StormConfig::default(),
            mutes: vec![],
            events: Some((keys, t.at_ms.clone())),
            dedup: fleetops::report::dedup::default_config(),
        })
    }

    /// The files of `config` (paths relative to `base`), with flags already merged in.
    pub fn files(config: Config, base: &Path, now_flag: Option<&str>) -> Result<Self, String> {
        let path = |p: &PathBuf| {
            if p.is_absolute() {
                p.clone()
            } else {
                base.join(p)
            }
        };
        let now = match now_flag.or(config.now.as_deref()) {
            Some(t) => parse_timestamp(t).map_err(|e| format!("now: {e}"))?,
            None => fleetops::time::now(),
        };
        let mut earliest: Option<Timestamp> = None;
        let mut seen = |t: Timestamp| earliest = Some(earliest.map_or(t, |e: Timestamp| e.min(t)));

        let loads = match &config.freshness.loads {
            None => None,
            Some(p) => {
                let loads = read_loads(&path(p))?;
                loads.iter().for_each(|(_, t)| seen(*t));
                Some(loads)
            }
        };
        let requests = match &config.slo.requests {
            None => None,
            Some(p) => {
                let Outcomes { at_us, ok, latency_ms } = read_outcomes(&path(p))?;
                if let Some(t) = at_us.iter().min().and_then(|m| Timestamp::from_timestamp_micros(*m)) {
                    seen(t);
                }
                Some(Requests { at_us, ok, latency_ms })
            }
        };
        let tracker = config.slo.tracker.build().map_err(|e| format!("[slo.tracker]: {e}"))?;
        let mut scan = fleetops::report::slo::Scan::default();
        if let Some(s) = &config.slo.step {
            scan.step = parse_duration(s).map_err(|e| format!("[slo] step: {e}"))?;
        }
        let key = config.storms.key.clone().unwrap_or_else(|| "vehicle_id".into());
        let alerts = match &config.storms.alerts {
            None => None,
            Some(p) => {
                let r = read_records(&path(p))?;
                let mut rows =
                    (0..r.rows.len()).map(|i| read_row(&r, i, &key)).collect::<Result<Vec<Row>, String>>()?;
                rows.sort_by_key(|row| row.at);
                rows.first().iter().for_each(|row| seen(row.at));
                Some(rows)
            }
        };
        let storm = config.storms.detector.build().map_err(|e| format!("[storms.detector]: {e}"))?;
        let mutes = match &config.storms.mutes {
            None => vec![],
            Some(p) => {
                let p = path(p);
                let name = p.display().to_string();
                let text = std::fs::read_to_string(&p).map_err(|e| format!("{name}: cannot read: {e}"))?;
                let value = serde_json::from_str(&text).map_err(|e| format!("{name}: not JSON: {e}"))?;
                mutes_from_json(value).map_err(|e| format!("{name}: {e}"))?
            }
        };
        let events = match &config.dedup.events {
            None => None,
            Some(p) => {
                let r = read_records(&path(p))?;
                let time = config.dedup.time.clone().unwrap_or_else(|| "event_time".into());
                let names = config.dedup.key.clone().unwrap_or_else(|| vec!["vehicle_id".into(), time.clone()]);
                let cols = names.iter().map(|k| r.column(k)).collect::<Result<Vec<_>, _>>()?;
                let keys = dedup_cmd::keys(&r, &cols)?;
                let c = r.column(&time)?;
                let at_ms = (0..r.rows.len())
                    .map(|i| {
                        let at = dedup_cmd::time_of(r.field(i, c)?).map_err(|e| format!("{}: {e}", r.place(i)))?;
                        seen(at);
                        Ok(at.timestamp_millis())
                    })
                    .collect::<Result<Vec<i64>, String>>()?;
                Some((keys, at_ms))
            }
        };
        let dedup = match &config.dedup.deduper {
            None => fleetops::report::dedup::default_config(),
            Some(spec) => spec.build().map_err(|e| format!("[dedup.deduper]: {e}"))?,
        };
        if loads.is_none() && requests.is_none() && alerts.is_none() && events.is_none() {
            return Err("no inputs: name at least one of loads, requests, alerts or events".into());
        }
        Ok(Self {
            source: "your files".into(),
            now,
            since: earliest.map_or(now, |e| e.min(now)),
            loads,
            requests,
            tracker,
            scan,
            alerts,
            storm,
            mutes,
            events,
            dedup,
        })
    }
}

/// Reads a config file; its directory is the base of the paths in it.
pub fn read_config(path: &Path) -> Result<(Config, PathBuf), String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let config: Config = toml::from_str(&text)
        .map_err(|e| format!("{name}: {}", e.to_string().lines().collect::<Vec<_>>().join(" ")))?;
    Ok((config, path.parent().map(Path::to_path_buf).unwrap_or_default()))
}

/// Loads: one row per completed load, `table` (or `table_name`) and `loaded_at` (or
/// `_loaded_at`, `last_loaded_at`, `at`).
fn read_loads(path: &Path) -> Result<Vec<(String, Timestamp)>, String> {
    let r = read_records(path)?;
    let pick = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| r.column(n).ok())
            .ok_or_else(|| format!("{}: no column '{}' (columns: {})", r.name, names[0], r.columns.join(", ")))
    };
    let (table, at) = (pick(&["table", "table_name"])?, pick(&["loaded_at", "_loaded_at", "last_loaded_at", "at"])?);
    (0..r.rows.len())
        .map(|i| {
            let when = parse_timestamp(r.field(i, at)?).map_err(|e| format!("{}: {e}", r.place(i)))?;
            Ok((r.field(i, table)?.to_owned(), when))
        })
        .collect()
}
