//! Rows of a CSV or JSONL file as text fields looked up by column name, with the line each
//! came from, so that every error can name the file and the row.

use std::path::Path;

/// A file's rows.
pub struct Records {
    /// The file name as given, for messages.
    pub name: String,
    /// Column names (CSV header, or every JSONL key in order of first appearance).
    pub columns: Vec<String>,
    /// Per row: its 1-based line number and its fields (None where a JSONL row lacks a key).
    pub rows: Vec<(usize, Vec<Option<String>>)>,
    /// JSONL: each row's original text (for writing kept rows back unchanged).
    pub raw: Vec<String>,
    /// Whether the file was JSONL.
    pub jsonl: bool,
}

impl Records {
    /// The index of a column, or a one-line error naming the file and the columns it has.
    pub fn column(&self, name: &str) -> Result<usize, String> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| format!("{}: no column '{name}' (columns: {})", self.name, self.columns.join(", ")))
    }

    /// Where row `i` is, for messages.
    pub fn place(&self, i: usize) -> String {
        let kind = if self.jsonl { "line" } else { "row" };
        format!("{}: {kind} {}", self.name, self.rows[i].0)
    }

    /// The non-empty text of column `c` in row `i`, or an error naming the place.
    pub fn field(&self, i: usize, c: usize) -> Result<&str, String> {
        match self.rows[i].1.get(c).and_then(|v| v.as_deref()) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(format!("{}: no value for '{}'", self.place(i), self.columns[c])),
        }
    }
}

/// Reads `path`: JSONL for `.jsonl`/`.ndjson`, CSV otherwise. Empty files are an error.
pub fn read_records(path: &Path) -> Result<Records, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    parse_records(&text, name, matches!(path.extension().and_then(|e| e.to_str()), Some("jsonl" | "ndjson")))
}

/// Parses text already read (`name` is used in messages).
pub fn parse_records(text: &str, name: String, jsonl: bool) -> Result<Records, String> {
    if text.trim().is_empty() {
        return Err(format!("{name}: the file is empty"));
    }
    let mut r = Records { name, columns: vec![], rows: vec![], raw: vec![], jsonl };
    if jsonl {
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let place = format!("{}: line {}", r.name, i + 1);
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{place}: not JSON: {e}"))?;
            let obj = v.as_object().ok_or_else(|| format!("{place}: not a JSON object"))?;
            let mut fields = vec![None; r.columns.len()];
            for (k, v) in obj {
                let c = match r.columns.iter().position(|c| c == k) {
                    Some(c) => c,
                    None => {
                        r.columns.push(k.clone());
                        fields.push(None);
                        r.columns.len() - 1
                    }
                };
                fields[c] = match v {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                };
            }
            r.rows.push((i + 1, fields));
            r.raw.push(line.to_owned());
        }
        let width = r.columns.len();
        r.rows.iter_mut().for_each(|(_, f)| f.resize(width, None));
    } else {
        let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
        r.columns = reader
            .headers()
            .map_err(|e| format!("{}: bad CSV header: {e}", r.name))?
            .iter()
            .map(str::to_owned)
            .collect();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.map_err(|e| format!("{}: row {}: {e}", r.name, i + 2))?;
            r.rows.push((i + 2, rec.iter().map(|f| Some(f.to_owned())).collect()));
        }
    }
    if r.rows.is_empty() {
        return Err(format!("{}: no rows", r.name));
    }
    Ok(r)
}
