//! `fleetops dedup`: finds duplicate rows of a CSV/JSONL file by key columns, in batch
//! (keep first/last, optionally by an order column) or as a stream in event time (first /
//! duplicate / late with a horizon and allowed lateness), and can write the kept rows.

use crate::out::say;
use std::path::PathBuf;

use chrono::TimeDelta;
use clap::Args as ClapArgs;
use fleetops::dedup::{keep_mask, DedupConfig, Deduper, Keep, KeyHasher, KeyPart, Outcome};
use fleetops::time::{from_epoch_seconds, parse_duration, parse_timestamp, Timestamp};

use crate::records::{read_records, Records};

#[derive(ClapArgs)]
pub struct Args {
    /// CSV (header row) or JSONL (`.jsonl`) file.
    file: PathBuf,
    /// Key column(s), comma-separated: `package_id` or `vehicle_id,event_ts`.
    #[arg(long, value_delimiter = ',', required = true)]
    key: Vec<String>,
    /// Event-time column: judge rows as a stream (first / duplicate / late) instead of a batch.
    #[arg(long)]
    time: Option<String>,
    /// Stream mode: how long a key is remembered.
    #[arg(long, default_value = "1h")]
    horizon: String,
    /// Stream mode: how far behind the newest event a row may be.
    #[arg(long, default_value = "0s")]
    lateness: String,
    /// Batch mode: which row of a key to keep.
    #[arg(long, default_value = "first", value_parser = ["first", "last"])]
    keep: String,
    /// Batch mode: keep the row with the smallest (first) / largest (last) value of this column
    /// (numbers or timestamps), e.g. `--keep last --order-by _loaded_at`.
    #[arg(long)]
    order_by: Option<String>,
    /// Write the kept rows (stream mode: first and late ones) to this file, same format.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Exit 0 even when duplicates or late rows are found.
    #[arg(long)]
    exit_zero: bool,
}

pub fn time_of(text: &str) -> fleetops::Result<Timestamp> {
    match text.parse::<f64>() {
        Ok(secs) => from_epoch_seconds(secs),
        Err(_) => parse_timestamp(text),
    }
}

pub fn keys(r: &Records, cols: &[usize]) -> Result<Vec<u64>, String> {
    let mut h = KeyHasher::new();
    let mut parts = Vec::with_capacity(cols.len());
    (0..r.rows.len())
        .map(|i| {
            parts.clear();
            for &c in cols {
                parts.push(KeyPart::Text(r.field(i, c)?));
            }
            h.hash(&parts).map_err(|e| format!("{}: {e}", r.place(i)))
        })
        .collect()
}

/// What was found, per row and in total.
struct Found {
    kept: Vec<bool>,
    duplicates: usize,
    late: usize,
    mode: &'static str,
}

fn batch(r: &Records, keys: &[u64], args: &Args) -> Result<Found, String> {
    let order = match &args.order_by {
        None => None,
        Some(col) => {
            let c = r.column(col)?;
            let values = (0..r.rows.len())
                .map(|i| {
                    let v = r.field(i, c)?;
                    v.parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .or_else(|| parse_timestamp(v).ok().map(|t| t.timestamp_micros() as f64))
                        .ok_or_else(|| format!("{}: '{v}' in '{col}' is neither a number nor a timestamp", r.place(i)))
                })
                .collect::<Result<Vec<f64>, String>>()?;
            Some(values)
        }
    };
    let keep = Keep::parse(&args.keep).map_err(|e| e.to_string())?;
    let kept = keep_mask(keys, keep, order.as_deref()).map_err(|e| e.to_string())?;
    let duplicates = kept.iter().filter(|k| !**k).count();
    Ok(Found { kept, duplicates, late: 0, mode: "batch" })
}

fn stream(r: &Records, keys: &[u64], time_col: &str, args: &Args) -> Result<Found, String> {
    let c = r.column(time_col)?;
    let ms = (0..r.rows.len())
        .map(|i| time_of(r.field(i, c)?).map(|t| t.timestamp_millis()).map_err(|e| format!("{}: {e}", r.place(i))))
        .collect::<Result<Vec<i64>, String>>()?;
    let dur = |text: &str, what: &str| parse_duration(text).map_err(|e| format!("--{what}: {e}"));
    let mut config = DedupConfig::new(dur(&args.horizon, "horizon")?);
    config.allowed_lateness = dur(&args.lateness, "lateness")?;
    config.max_future = TimeDelta::MAX;
    let mut d = Deduper::new(config).map_err(|e| e.to_string())?;
    let codes = d.observe_batch(keys, &ms, None).map_err(|e| e.to_string())?;
    let counts = d.counts();
    let kept = codes.iter().map(|&c| c != Outcome::Duplicate.code()).collect();
    Ok(Found { kept, duplicates: counts.duplicate as usize, late: counts.late as usize, mode: "stream" })
}

fn write_kept(r: &Records, kept: &[bool], path: &PathBuf) -> Result<(), String> {
    let name = path.display().to_string();
    let fail = |e: &dyn std::fmt::Display| format!("{name}: cannot write: {e}");
    if r.jsonl {
        let text: String = r.raw.iter().zip(kept).filter(|(_, k)| **k).map(|(l, _)| format!("{l}\n")).collect();
        return std::fs::write(path, text).map_err(|e| fail(&e));
    }
    let mut w = csv::Writer::from_path(path).map_err(|e| fail(&e))?;
    w.write_record(&r.columns).map_err(|e| fail(&e))?;
    for ((_, fields), _) in r.rows.iter().zip(kept).filter(|(_, k)| **k) {
        w.write_record(fields.iter().map(|f| f.as_deref().unwrap_or(""))).map_err(|e| fail(&e))?;
    }
    w.flush().map_err(|e| fail(&e))
}

pub fn run(args: &Args) -> Result<u8, String> {
    let r = read_records(&args.file)?;
    let cols = args.key.iter().map(|k| r.column(k)).collect::<Result<Vec<_>, _>>()?;
    let keys = keys(&r, &cols)?;
    let found = match &args.time {
        Some(t) => stream(&r, &keys, t, args)?,
        None => batch(&r, &keys, args)?,
    };
    if let Some(out) = &args.output {
        write_kept(&r, &found.kept, out)?;
    }
    // The most repeated keys, by their first row's key text.
    let mut per_key: std::collections::HashMap<u64, (usize, usize)> = Default::default();
    for (i, k) in keys.iter().enumerate() {
        per_key.entry(*k).or_insert((i, 0)).1 += 1;
    }
    let mut top: Vec<(usize, usize)> = per_key.into_values().filter(|(_, n)| *n > 1).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let key_text =
        |i: usize| cols.iter().map(|&c| r.rows[i].1[c].clone().unwrap_or_default()).collect::<Vec<_>>().join(",");
    let rows = r.rows.len();
    if args.json {
        let top: Vec<_> =
            top.iter().take(10).map(|&(i, n)| serde_json::json!({"key": key_text(i), "rows": n})).collect();
        let out = serde_json::json!({
            "file": r.name, "mode": found.mode, "rows": rows, "kept": found.kept.iter().filter(|k| **k).count(),
            "duplicates": found.duplicates, "late": found.late, "most_repeated": top,
        });
        crate::out::json_pretty(&out);
    } else {
        say!(
            "{}: {rows} rows, {} duplicates, {} late ({} by {})",
            crate::out::v(&r.name),
            found.duplicates,
            found.late,
            found.mode,
            crate::out::v(&args.key.join(" + "))
        );
        for &(i, n) in top.iter().take(10) {
            say!("  {:<40} {n} rows", crate::out::v(&key_text(i)));
        }
    }
    Ok(if (found.duplicates > 0 || found.late > 0) && !args.exit_zero { 1 } else { 0 })
}
