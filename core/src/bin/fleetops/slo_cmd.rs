//! `fleetops slo`: the error-budget report (the fleet API runbook) from counts or request outcomes.

use crate::out::{say, v};
use std::path::PathBuf;

use fleetops::slo::{
    event_budget, runbook_rules, Budget, BurnAlert, CountsSpec, Objective, PeriodSpec, SloTracker, TrackerSpec,
};
use fleetops::time::{now, parse_timestamp, to_iso};

use crate::outcomes::read_outcomes;
use crate::table::render;

#[derive(clap::Args)]
pub struct Args {
    /// CSV or JSONL of request outcomes (`timestamp`, `ok` or `status`, optional `latency_ms`).
    file: Option<PathBuf>,
    /// Without a file: good requests.
    #[arg(long, requires = "total")]
    good: Option<f64>,
    /// Without a file: failed requests.
    #[arg(long)]
    bad: Option<f64>,
    /// Without a file: all requests.
    #[arg(long)]
    total: Option<f64>,
    /// Without a file: the objective (default the runbook's 99.9 %).
    #[arg(long, default_value_t = fleetops::slo::runbook::AVAILABILITY)]
    objective: f64,
    /// The SLO period: `month`, `week`, `quarter` or a duration such as `30d`.
    #[arg(long, default_value = "month")]
    period: String,
    /// Time zone of calendar periods.
    #[arg(long, default_value = "UTC")]
    timezone: String,
    /// With a FILE: the SLO spec as OpenSLO v1 YAML (objectives, time window, burn-rate
    /// alert conditions), instead of --period / --timezone and the runbook's objectives.
    #[arg(long, requires = "file")]
    openslo: Option<PathBuf>,
    /// Judge at this time (ISO-8601 with offset). Default: the newest outcome, else now.
    #[arg(long)]
    now: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Exit 0 whatever the findings (bad input still exits 2).
    #[arg(long)]
    exit_zero: bool,
}

pub fn run(args: &Args) -> Result<u8, String> {
    let now_arg = args.now.as_deref().map(parse_timestamp).transpose().map_err(|e| format!("--now: {e}"))?;
    let code = match &args.file {
        None => counts_report(args, now_arg)?,
        Some(path) => outcomes_report(args, path, now_arg)?,
    };
    Ok(if args.exit_zero { 0 } else { code })
}

fn counts_report(args: &Args, now_arg: Option<fleetops::time::Timestamp>) -> Result<u8, String> {
    if args.total.is_none() && (args.good.is_none() || args.bad.is_none()) {
        return Err("give a FILE of outcomes, or counts: two of --good, --bad, --total".into());
    }
    let objective = Objective::new(args.objective).map_err(|e| format!("--objective: {e}"))?;
    let counts = CountsSpec { good: args.good, bad: args.bad, total: args.total }.build().map_err(|e| e.to_string())?;
    let period = PeriodSpec { period: args.period.clone(), timezone: Some(args.timezone.clone()) }
        .build()
        .map_err(|e| format!("--period: {e}"))?;
    let window = period.window_with_budget(now_arg.unwrap_or_else(now), Some(objective));
    let budget = event_budget(objective, counts, Some(window.length_minutes)).map_err(|e| e.to_string())?;
    if args.json {
        crate::out::json_line(&serde_json::json!({"period": window, "budget": budget}));
    } else {
        say!(
            "Error budget at {:.3} % over {} .. {}\n",
            objective.target() * 100.0,
            to_iso(window.start),
            to_iso(window.end)
        );
        say!("{}", budget_table(&[("objective".to_owned(), &budget)]));
    }
    Ok(match &budget {
        Budget::Ok(b) if b.overspent => 2,
        _ => 0,
    })
}

fn outcomes_report(
    args: &Args,
    path: &std::path::Path,
    now_arg: Option<fleetops::time::Timestamp>,
) -> Result<u8, String> {
    let outcomes = read_outcomes(path)?;
    let spec = match &args.openslo {
        Some(path) => crate::rules_cmd::read_spec(path)?,
        None => TrackerSpec {
            period: Some(args.period.clone()),
            timezone: Some(args.timezone.clone()),
            ..TrackerSpec::default()
        },
    };
    let what = if args.openslo.is_some() { "--openslo" } else { "--period" };
    let mut tracker = SloTracker::new(spec.build().map_err(|e| format!("{what}: {e}"))?).map_err(|e| e.to_string())?;
    // Without --now a file is judged at its newest outcome: the file's own clock.
    let newest = outcomes.at_us.iter().max().and_then(|&us| fleetops::time::Timestamp::from_timestamp_micros(us));
    let now = now_arg.or(newest).unwrap_or_else(now);
    tracker
        .record_batch(&outcomes.at_us, &outcomes.ok, &outcomes.latency_ms, now)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let status = tracker.status(now);
    let rules = tracker.evaluate_rules(&runbook_rules(), now).map_err(|e| e.to_string())?;
    let firing: Vec<&BurnAlert> = status.objectives.iter().flat_map(|o| o.burn.iter()).filter(|a| a.firing).collect();
    if args.json {
        crate::out::json_line(&serde_json::json!({"status": status, "rules": rules}));
    } else {
        let rows: Vec<(String, &Budget)> = status.objectives.iter().map(|o| (o.name.clone(), &o.budget)).collect();
        say!(
            "SLO report at {} for {} .. {} ({} outcomes, {} dropped)\n",
            to_iso(now),
            to_iso(status.period.start),
            to_iso(status.period.end),
            status.recorded,
            status.dropped.too_old + status.dropped.future
        );
        say!("{}\n", budget_table(&rows));
        let l = &status.latency;
        let ms = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0} ms"));
        say!("latency over the period: p50 {}, p95 {}, p99 {}\n", ms(l.p50_ms), ms(l.p95_ms), ms(l.p99_ms));
        for o in &status.objectives {
            for a in o.burn.iter().filter(|a| a.firing) {
                match &a.inhibited_by {
                    None => say!("BURN {} {} ({}): {}", v(&o.name), v(&a.tier), v(&a.severity), a.reason),
                    Some(by) => {
                        say!(
                            "     {} {} ({}): inhibited by {}: {}",
                            v(&o.name),
                            v(&a.tier),
                            v(&a.severity),
                            v(by),
                            a.reason
                        )
                    }
                }
            }
        }
        for r in rules.iter().filter(|r| r.firing) {
            say!("RULE {} ({}): {}", v(&r.name), v(&r.severity), r.reason);
        }
        if firing.is_empty() && !rules.iter().any(|r| r.firing) {
            say!("no burn-rate tier or alert rule is firing");
        }
    }
    let severities = firing
        .iter()
        .map(|a| a.severity.as_str())
        .chain(rules.iter().filter(|r| r.firing).map(|r| r.severity.as_str()));
    let overspent = status.objectives.iter().any(|o| matches!(&o.budget, Budget::Ok(b) if b.overspent));
    let worst = severities
        .map(|s| match s {
            "page" | "critical" | "decision" | "error" => 2,
            _ => 1,
        })
        .chain([if overspent { 2 } else { 0 }])
        .max()
        .unwrap_or(0);
    Ok(worst)
}

fn budget_table(rows: &[(String, &Budget)]) -> String {
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|(name, b)| match b {
            Budget::NoData { objective } => vec![
                name.clone(),
                format!("{:.3} %", objective.target() * 100.0),
                "no data".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ],
            Budget::Ok(b) => vec![
                name.clone(),
                format!("{:.3} %", b.objective.target() * 100.0),
                format!("{:.4} %", b.sli * 100.0),
                format!("{:.1} %", b.used_percent),
                format!("{:.1}", b.remaining_events),
                b.remaining_minutes.map_or("-".into(), |m| format!("{m:.2}")),
                format!("{:.2}x", b.burn_rate),
            ],
        })
        .collect();
    render(&["OBJECTIVE", "TARGET", "SLI", "BUDGET USED", "EVENTS LEFT", "MINUTES LEFT", "BURN"], &body)
}
