//! Reading request outcomes from CSV or JSONL, with one-line errors naming the file and row.
//!
//! Columns / fields: `timestamp` (or `time`, `at`; ISO-8601 with an offset), success as `ok`
//! (true/false/1/0) or an HTTP `status` (5xx is a failure), and optional `latency_ms`.

use std::path::Path;

use fleetops::time::parse_timestamp;

/// Outcomes as columns, ready for `SloTracker::record_batch`.
#[derive(Default)]
pub struct Outcomes {
    pub at_us: Vec<i64>,
    pub ok: Vec<bool>,
    pub latency_ms: Vec<f64>,
}

struct Row<'a> {
    at: Option<&'a str>,
    ok: Option<&'a str>,
    status: Option<&'a str>,
    latency: Option<&'a str>,
}

impl Outcomes {
    fn push(&mut self, row: Row<'_>, place: &str) -> Result<(), String> {
        let at = row.at.filter(|s| !s.is_empty()).ok_or_else(|| format!("{place}: no timestamp"))?;
        let at = parse_timestamp(at).map_err(|e| format!("{place}: {e}"))?;
        let ok = match (row.ok, row.status) {
            (Some(v), _) if !v.is_empty() => match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                other => return Err(format!("{place}: ok must be true/false or 1/0, not '{other}'")),
            },
            (_, Some(s)) if !s.is_empty() => {
                let code: u16 = s.parse().map_err(|_| format!("{place}: status '{s}' is not an HTTP status"))?;
                code < 500
            }
            _ => return Err(format!("{place}: neither 'ok' nor 'status'")),
        };
        let latency = match row.latency.filter(|s| !s.is_empty()) {
            None => f64::NAN,
            Some(l) => match l.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                _ => return Err(format!("{place}: latency_ms '{l}' is not a number >= 0")),
            },
        };
        self.at_us.push(at.timestamp_micros());
        self.ok.push(ok);
        self.latency_ms.push(latency);
        Ok(())
    }
}

/// Reads `path`: JSONL for `.jsonl`/`.ndjson`, CSV otherwise.
pub fn read_outcomes(path: &Path) -> Result<Outcomes, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    if text.trim().is_empty() {
        return Err(format!("{name}: the file is empty"));
    }
    let out = match path.extension().and_then(|e| e.to_str()) {
        Some("jsonl" | "ndjson") => jsonl(&text, &name)?,
        _ => csv_rows(&text, &name)?,
    };
    if out.ok.is_empty() {
        return Err(format!("{name}: no outcomes"));
    }
    Ok(out)
}

fn jsonl(text: &str, name: &str) -> Result<Outcomes, String> {
    let mut out = Outcomes::default();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let place = format!("{name}: line {}", i + 1);
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{place}: not JSON: {e}"))?;
        let field = |keys: &[&str]| {
            keys.iter().find_map(|k| v.get(*k)).map(|f| match f {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        let (at, ok, status, latency) =
            (field(&["timestamp", "time", "at"]), field(&["ok"]), field(&["status"]), field(&["latency_ms"]));
        out.push(
            Row { at: not_null(&at), ok: not_null(&ok), status: not_null(&status), latency: not_null(&latency) },
            &place,
        )?;
    }
    Ok(out)
}

fn not_null(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| *s != "null")
}

fn csv_rows(text: &str, name: &str) -> Result<Outcomes, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("{name}: {e}"))?.clone();
    let col = |keys: &[&str]| headers.iter().position(|h| keys.contains(&h));
    let (at, ok, status, latency) =
        (col(&["timestamp", "time", "at"]), col(&["ok"]), col(&["status"]), col(&["latency_ms"]));
    if at.is_none() || (ok.is_none() && status.is_none()) {
        return Err(format!(
            "{name}: line 1: need a 'timestamp' column and an 'ok' or 'status' column (columns: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let mut out = Outcomes::default();
    for (i, record) in reader.records().enumerate() {
        let place = format!("{name}: line {}", i + 2);
        let record = record.map_err(|e| format!("{place}: {e}"))?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c));
        out.push(Row { at: get(at), ok: get(ok), status: get(status), latency: get(latency) }, &place)?;
    }
    Ok(out)
}
