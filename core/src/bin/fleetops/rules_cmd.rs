//! `fleetops rules`: Prometheus recording and alerting rules (and Alertmanager inhibit rules)
//! from an SLO spec, the same one the in-process tracker runs.

use std::path::PathBuf;

use fleetops::slo::{prometheus_rules, TrackerSpec};

#[derive(clap::Args)]
pub struct Args {
    /// The SLO spec: OpenSLO v1 YAML (`.yaml`, `.yml`), or a JSON file of tracker options
    /// (`period`, `objectives`, `burn`, `maintenance`, ...) as `SloTracker` takes them.
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

/// A tracker spec from OpenSLO YAML or JSON tracker options, by the file's extension: a
/// regular file of at most the OpenSLO reader's [`MAX_BYTES`](fleetops::slo::openslo::MAX_BYTES)
/// (1 MiB, far past any spec within the limits), refused before it is read otherwise.
pub fn read_spec(path: &std::path::Path) -> Result<TrackerSpec, String> {
    let text = read_small(path, fleetops::slo::openslo::MAX_BYTES as u64)?;
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let spec = if yaml {
        fleetops::slo::openslo::read(&text)
    } else {
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
        fleetops::options::parse((&json).into(), fleetops::options::Case::Snake)
    };
    spec.map_err(|e| format!("{}: {e}", path.display()))
}

/// The text of the regular file at `path`, refused when it is anything else (a FIFO would block,
/// a device never end) or larger than `limit` bytes.
fn read_small(path: &std::path::Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let name = path.display();
    // Asked before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(|e| format!("{name}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{name}: not a regular file"));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("{name}: {e}"))?;
    if meta.len() > limit {
        return Err(format!("{name}: a spec of {} bytes; at most {limit}", meta.len()));
    }
    let mut text = String::new();
    file.take(limit + 1).read_to_string(&mut text).map_err(|e| format!("{name}: {e}"))?;
    if text.len() as u64 > limit {
        return Err(format!("{name}: grew past {limit} bytes while read"));
    }
    Ok(text)
}

pub fn run(args: &Args) -> Result<u8, String> {
    let spec = read_spec(&args.spec)?;
    let config = spec.build().map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let rules = prometheus_rules(&config, args.prefix.as_deref()).map_err(|e| e.to_string())?;
    let write = |path: &PathBuf, text: &str| std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()));
    match &args.out {
        Some(path) => write(path, &rules.rules)?,
        None => crate::out::text(&rules.rules),
    }
    if let Some(path) = &args.alertmanager {
        write(path, &rules.inhibit_rules)?;
    }
    Ok(0)
}
