//! `fleetops report`: the runbooks' morning checklist (freshness, error budget and burn-rate
//! alerts, storms and flapping, duplicates and late events) over the demo fleet or the user's
//! files, as text, JSON or a self-contained HTML page. Exit 0 all clear, 1 warnings, 2 errors.

mod html;
mod inputs;
mod svg;
mod text;

use crate::out::say;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use fleetops::freshness::{CadenceOptions, FreshnessPolicy};
use fleetops::report::{self, Report};
use fleetops::storm::Alert;
use indicatif::{ProgressBar, ProgressStyle};

use inputs::{read_config, Config, Inputs};

#[derive(ClapArgs)]
pub struct Args {
    /// A TOML file naming the inputs and options (see the README); without it and without
    /// input flags, the bundled demo fleet is judged.
    #[arg(long)]
    config: Option<PathBuf>,
    /// CSV/JSONL of raw-table loads (`table`, `loaded_at`).
    #[arg(long)]
    loads: Option<PathBuf>,
    /// CSV/JSONL of API requests (`timestamp`, `status` or `ok`, `latency_ms`).
    #[arg(long)]
    requests: Option<PathBuf>,
    /// JSONL/CSV of alerts (`at`, `vehicle_id`, `status`, `labels`).
    #[arg(long)]
    alerts: Option<PathBuf>,
    /// CSV/JSONL of events in arrival order (`vehicle_id`, `event_time`).
    #[arg(long)]
    events: Option<PathBuf>,
    /// When to judge (default: the config's `now`, else the current time; the demo's morning).
    #[arg(long)]
    now: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained HTML page with the charts.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Exit 0 even when something is flagged.
    #[arg(long)]
    exit_zero: bool,
}

fn gather(args: &Args) -> Result<Inputs, String> {
    let flags = args.loads.is_some() || args.requests.is_some() || args.alerts.is_some() || args.events.is_some();
    if args.config.is_none() && !flags {
        let mut inputs = Inputs::demo(fleetops::demo::generate(fleetops::demo::DEMO_SEED))?;
        if let Some(t) = &args.now {
            inputs.now = fleetops::time::parse_timestamp(t).map_err(|e| format!("--now: {e}"))?;
        }
        return Ok(inputs);
    }
    let (mut config, base) = match &args.config {
        Some(p) => read_config(p)?,
        None => (Config::default(), PathBuf::new()),
    };
    // Flags name files relative to the working directory and win over the config.
    let cwd = |p: &PathBuf| std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.clone());
    if let Some(p) = &args.loads {
        config.freshness.loads = Some(cwd(p));
    }
    if let Some(p) = &args.requests {
        config.slo.requests = Some(cwd(p));
    }
    if let Some(p) = &args.alerts {
        config.storms.alerts = Some(cwd(p));
    }
    if let Some(p) = &args.events {
        config.dedup.events = Some(cwd(p));
    }
    Inputs::files(config, &base, args.now.as_deref())
}

/// Runs every check over `inputs`, ticking `bar`.
fn judge(inputs: &Inputs, bar: &ProgressBar) -> Result<Report, String> {
    let now = inputs.now;
    let mut tick = |n: u64| bar.inc(n);
    let freshness = match &inputs.loads {
        None => None,
        Some(loads) => {
            bar.set_message("freshness");
            let loads: Vec<(&str, _)> = loads.iter().map(|(t, at)| (t.as_str(), *at)).collect();
            Some(
                report::freshness::check(&FreshnessPolicy::runbook(), &CadenceOptions::default(), &loads, now)
                    .map_err(|e| format!("freshness: {e}"))?,
            )
        }
    };
    let slo = match &inputs.requests {
        None => None,
        Some(r) => {
            bar.set_message("error budget and burn rates");
            Some(
                report::slo::check(inputs.tracker.clone(), &r.at_us, &r.ok, &r.latency_ms, now, inputs.scan, &mut tick)
                    .map_err(|e| format!("slo: {e}"))?,
            )
        }
    };
    let storms = match &inputs.alerts {
        None => None,
        Some(rows) => {
            bar.set_message("alert storms");
            let labels: Vec<Vec<(&str, &str)>> =
                rows.iter().map(|r| r.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()).collect();
            let alerts: Vec<Alert> = rows
                .iter()
                .zip(&labels)
                .map(|(r, l)| Alert { key: &r.key, labels: l, at: r.at, firing: r.firing })
                .collect();
            Some(
                report::storms::check(
                    inputs.storm.clone(),
                    inputs.mutes.clone(),
                    &alerts,
                    inputs.since,
                    now,
                    &mut tick,
                )
                .map_err(|e| format!("storms: {e}"))?,
            )
        }
    };
    let dedup = match &inputs.events {
        None => None,
        Some((keys, at_ms)) => {
            bar.set_message("duplicates");
            Some(
                report::dedup::check(inputs.dedup.clone(), keys, at_ms, &mut tick)
                    .map_err(|e| format!("dedup: {e}"))?,
            )
        }
    };
    Ok(Report::new(now, freshness, slo, storms, dedup))
}

/// Units of work for the progress bar: requests, judged steps, alerts and events.
fn work(inputs: &Inputs) -> u64 {
    let requests = inputs.requests.as_ref().map_or(0, |r| {
        let first = r
            .at_us
            .iter()
            .min()
            .and_then(|m| fleetops::time::Timestamp::from_timestamp_micros(*m))
            .unwrap_or(inputs.now);
        r.at_us.len() as u64 + report::slo::steps(first, inputs.now, inputs.scan.step)
    });
    requests
        + inputs.alerts.as_ref().map_or(0, |a| a.len() as u64)
        + inputs.events.as_ref().map_or(0, |e| e.0.len() as u64)
}

pub fn run(args: &Args) -> Result<u8, String> {
    // Hidden by indicatif itself when stderr is not a terminal (piped, CI).
    let spinner = ProgressBar::new_spinner().with_message("reading inputs");
    spinner.enable_steady_tick(std::time::Duration::from_millis(100));
    let inputs = gather(args);
    spinner.finish_and_clear();
    let inputs = inputs?;
    let bar = ProgressBar::new(work(&inputs)).with_style(
        ProgressStyle::with_template("{spinner} {msg:<28} [{bar:30}] {percent:>3}% {elapsed}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let report = judge(&inputs, &bar);
    bar.finish_and_clear();
    let report = report?;
    if let Some(path) = &args.html {
        let name = path.display().to_string();
        std::fs::write(path, html::render(&report, &inputs.source))
            .map_err(|e| format!("{name}: cannot write: {e}"))?;
    }
    if args.json {
        let mut value = serde_json::to_value(&report).expect("a report serialises");
        value["findings"] = serde_json::to_value(report.findings()).expect("findings serialise");
        value["exit_code"] = report.exit_code().into();
        crate::out::json_pretty(&value);
    } else {
        crate::out::text(&text::render(&report, &inputs.source));
        if let Some(path) = &args.html {
            say!("HTML report: {}", path.display());
        }
    }
    Ok(if args.exit_zero { 0 } else { report.exit_code() })
}
