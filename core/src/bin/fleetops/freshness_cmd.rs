//! `fleetops freshness`: the morning freshness check (the data platform and analytics runbooks).

use crate::out::say;
use std::path::PathBuf;

use fleetops::freshness::{classify_tables, CadenceOptions, FreshnessReport, Level, PolicySpec};
use fleetops::time::{now, parse_timestamp};

use crate::input::read_tables;
use crate::table::{human_age, render};

#[derive(clap::Args)]
pub struct Args {
    /// CSV (`table,last_loaded_at`) or JSON (list of `{table, last_loaded_at, history, schedule}`).
    /// Without it, the bundled demo of the logistics platform's raw tables.
    file: Option<PathBuf>,
    /// Judge at this time (ISO-8601 with offset). Default: the file's `snapshotted_at`, else now.
    #[arg(long)]
    now: Option<String>,
    /// Print the machine form (results and summary) as JSON.
    #[arg(long, conflicts_with = "dbt")]
    json: bool,
    /// Print dbt's `sources.json` shape.
    #[arg(long)]
    dbt: bool,
    /// Policy options as JSON, e.g. '{"preset": "runbook", "stale_after": "2h"}'.
    #[arg(long, default_value = r#"{"preset": "runbook"}"#)]
    policy: String,
    /// Exit 0 whatever the findings (bad input still exits 2).
    #[arg(long)]
    exit_zero: bool,
}

pub fn run(args: &Args) -> Result<u8, String> {
    let spec: PolicySpec = serde_json::from_str(&args.policy).map_err(|e| format!("--policy: {e}"))?;
    let policy = spec.build().map_err(|e| format!("--policy: {e}"))?;
    let input = read_tables(args.file.as_deref())?;
    let now = match &args.now {
        Some(text) => parse_timestamp(text).map_err(|e| format!("--now: {e}"))?,
        None => input.snapshotted_at.unwrap_or_else(now),
    };
    let report = classify_tables(&policy, &input.tables, now, &CadenceOptions::default()).map_err(|e| e.to_string())?;
    if args.dbt {
        crate::out::json_pretty(&report.to_dbt_sources(&policy, None));
    } else if args.json {
        crate::out::json_pretty(&report);
    } else {
        say!("{}", readable(&report));
    }
    Ok(match report.summary.worst_level {
        _ if args.exit_zero => 0,
        Level::Pass => 0,
        Level::Warn => 1,
        Level::Error => 2,
    })
}

fn readable(report: &FreshnessReport) -> String {
    let rows: Vec<Vec<String>> = report
        .results
        .iter()
        .map(|r| {
            let late = match r.late {
                Some(true) => "LATE",
                Some(false) => "on time",
                None => "-",
            };
            vec![
                r.table.clone(),
                r.class.clone(),
                r.level.as_str().to_owned(),
                r.age_seconds.map_or("never loaded".into(), human_age),
                if r.stale { "STALE".into() } else { "-".into() },
                late.into(),
            ]
        })
        .collect();
    let s = &report.summary;
    let snapshot = report.results.first().map(|r| fleetops::time::to_iso(r.snapshotted_at)).unwrap_or_default();
    let counts: Vec<String> = s.classes.iter().filter(|(_, n)| *n > 0).map(|(c, n)| format!("{n} {c}")).collect();
    let list = |names: &[String]| {
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.iter().map(|n| crate::out::v(n)).collect::<Vec<_>>().join(", ")
        }
    };
    format!(
        "Freshness at {snapshot}\n\n{}\n\n{} tables: {}\nworst level: {}\nstale (> stale_after): {}\nlate (cadence or schedule): {}\nerror: {}\nwarn: {}",
        render(&["TABLE", "CLASS", "LEVEL", "AGE", "STALE", "LATE"], &rows),
        s.total,
        counts.join(", "),
        s.worst_level.as_str(),
        list(&s.stale),
        list(&s.late),
        list(&s.error),
        list(&s.warn),
    )
}
