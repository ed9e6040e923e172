//! The `fleetops` command: the runbooks' checks from a terminal or a pipeline step.
//!
//! Exit codes, for every subcommand: 0 all clear, 1 warnings, 2 errors or bad input.

mod dedup_cmd;
mod demo_cmd;
mod freshness_cmd;
mod input;
mod out;
mod outcomes;
mod records;
mod report;
mod rules_cmd;
mod slo_cmd;
mod storms_cmd;
mod table;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "fleetops", version, about = "Fleet-platform runbook checks: freshness, SLOs, storms, de-duplication")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Classify the freshness of tables from a CSV or JSON of table -> last loaded_at.
    Freshness(freshness_cmd::Args),
    /// Error-budget report and burn-rate alerts from counts or a CSV/JSONL of request outcomes.
    Slo(slo_cmd::Args),
    /// Duplicate (and late) rows of a CSV/JSONL file by key columns; can write the kept rows.
    Dedup(dedup_cmd::Args),
    /// Replay a JSONL of alerts: storms and their suppressed counts, mutes, flapping, escalations.
    Storms(storms_cmd::Args),
    /// The morning checklist: freshness, error budget, storms and duplicates over the demo
    /// fleet or your files (`--config fleetops.toml`); text, JSON or an HTML page.
    Report(report::Args),
    /// Prometheus recording and alerting rules (and Alertmanager inhibit rules) from an SLO spec.
    Rules(rules_cmd::Args),
    /// Write the demo fleet's week as files (CSV / JSONL) and a fleetops.toml naming them.
    Demo(demo_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Freshness(args) => freshness_cmd::run(&args),
        Command::Slo(args) => slo_cmd::run(&args),
        Command::Dedup(args) => dedup_cmd::run(&args),
        Command::Storms(args) => storms_cmd::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Demo(args) => demo_cmd::run(&args),
        Command::Rules(args) => rules_cmd::run(&args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            out::error(&message);
            ExitCode::from(2)
        }
    }
}
