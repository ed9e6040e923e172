//! Reading tables from CSV or JSON, with one-line errors that name the file and row.

use std::path::Path;

use fleetops::freshness::{TableInput, TableSpec};
use fleetops::time::{parse_timestamp, Timestamp};
use serde::Deserialize;

/// The bundled demo: the logistics platform's raw tables at a pinned snapshot time.
pub const DEMO: &str = include_str!("../../../data/demo_tables.json");

/// Tables read from a file, and the snapshot time the file pins, if any.
pub struct Tables {
    pub tables: Vec<TableInput>,
    pub snapshotted_at: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonTables {
    List(Vec<serde_json::Value>),
    Pinned { snapshotted_at: Option<String>, tables: Vec<serde_json::Value> },
}

/// Reads `path` (CSV by default, JSON for `.json`), or the demo when `path` is `None`.
pub fn read_tables(path: Option<&Path>) -> Result<Tables, String> {
    let Some(path) = path else {
        return parse_json(DEMO, "demo");
    };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    if text.trim().is_empty() {
        return Err(format!("{name}: the file is empty"));
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => parse_json(&text, &name),
        _ => parse_csv(&text, &name),
    }
}

fn parse_json(text: &str, name: &str) -> Result<Tables, String> {
    let parsed: JsonTables =
        serde_json::from_str(text).map_err(|e| format!("{name}: not a JSON list of tables: {e}"))?;
    let (pinned, items) = match parsed {
        JsonTables::List(items) => (None, items),
        JsonTables::Pinned { snapshotted_at, tables } => (snapshotted_at, tables),
    };
    let snapshotted_at =
        pinned.map(|s| parse_timestamp(&s).map_err(|e| format!("{name}: snapshotted_at: {e}"))).transpose()?;
    let tables = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let spec: TableSpec = serde_json::from_value(item).map_err(|e| format!("{name}: table {}: {e}", i + 1))?;
            spec.build().map_err(|e| format!("{name}: table {} ({}): {e}", i + 1, spec.table))
        })
        .collect::<Result<_, _>>()?;
    Ok(Tables { tables, snapshotted_at })
}

fn parse_csv(text: &str, name: &str) -> Result<Tables, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("{name}: {e}"))?.clone();
    let column = |wanted: &[&str]| headers.iter().position(|h| wanted.contains(&h));
    let table_col = column(&["table", "table_name", "name"]).ok_or_else(|| {
        format!("{name}: line 1: no 'table' column (columns: {})", headers.iter().collect::<Vec<_>>().join(", "))
    })?;
    let loaded_col = column(&["last_loaded_at", "last_load", "max_loaded_at", "loaded_at"])
        .ok_or_else(|| format!("{name}: line 1: no 'last_loaded_at' column"))?;
    let mut tables = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("{name}: line {line}: {e}"))?;
        let table = record.get(table_col).unwrap_or("").to_owned();
        if table.is_empty() {
            return Err(format!("{name}: line {line}: empty table name"));
        }
        let loaded = record.get(loaded_col).unwrap_or("");
        let last = match loaded {
            "" | "null" | "NULL" => None,
            text => Some(parse_timestamp(text).map_err(|e| format!("{name}: line {line} ({table}): {e}"))?),
        };
        tables.push(TableInput::new(&table, last));
    }
    if tables.is_empty() {
        return Err(format!("{name}: no tables after the header"));
    }
    Ok(Tables { tables, snapshotted_at: None })
}
