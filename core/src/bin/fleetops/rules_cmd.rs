//! `fleetops rules`: Prometheus recording and alerting rules (and Alertmanager inhibit rules)
//! from an SLO spec, the same one the in-process tracker runs.

use std::path::PathBuf;

use fleetops::slo::{prometheus_rules, TrackerSpec};

#[derive(clap::Args)]
pub struct Args {
    /// The SLO spec: a JSON file of tracker options (`period`, `objectives`, `burn`,
    /// `maintenance`, ...), as `SloTracker` takes them.
    spec: PathBuf,
    /// Metric name prefix (as the exposition's).
    #[arg(long)]
    prefix: Option<String>,
    /// Write the rule file here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write Alertmanager inhibit rules (a faster tier silences the slower) here.
    #[arg(long)]
    alertmanager: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<u8, String> {
    let text = std::fs::read_to_string(&args.spec).map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", args.spec.display()))?;
    let spec: TrackerSpec = fleetops::options::parse((&json).into(), fleetops::options::Case::Snake)
        .map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let config = spec.build().map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let rules = prometheus_rules(&config, args.prefix.as_deref()).map_err(|e| e.to_string())?;
    let write = |path: &PathBuf, text: &str| std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()));
    match &args.out {
        Some(path) => write(path, &rules.rules)?,
        None => print!("{}", rules.rules),
    }
    if let Some(path) = &args.alertmanager {
        write(path, &rules.inhibit_rules)?;
    }
    Ok(0)
}
