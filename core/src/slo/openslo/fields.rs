//! Reading OpenSLO YAML nodes: a mapping whose every key must be read or refused, documents
//! with their metadata, and the values (durations, shares) as the spec gives them.

use std::collections::HashMap;

use super::yaml::{spec_error, Node};
use crate::error::Result;
use crate::freshness::DurationSpec;

/// A mapping being read: every key must be taken before [`Fields::done`]. Keys are found
/// through an index, so reading a mapping is linear in its size.
pub(super) struct Fields<'a> {
    pub(super) path: String,
    pub(super) entries: &'a [(String, usize, Node)],
    pub(super) index: HashMap<&'a str, usize>,
    pub(super) taken: Vec<bool>,
    pub(super) line: usize,
}

impl<'a> Fields<'a> {
    pub(super) fn of(node: &'a Node, path: &str) -> Result<Self> {
        match node {
            Node::Map { entries, line } => Ok(Self {
                path: path.to_owned(),
                entries,
                index: entries.iter().enumerate().map(|(i, (k, _, _))| (k.as_str(), i)).collect(),
                taken: vec![false; entries.len()],
                line: *line,
            }),
            other => Err(spec_error(other.line(), format!("{path} must be a mapping"))),
        }
    }

    pub(super) fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub(super) fn take(&mut self, key: &str) -> Option<&'a Node> {
        let i = *self.index.get(key)?;
        self.taken[i] = true;
        Some(&self.entries[i].2)
    }

    pub(super) fn text(&mut self, key: &str) -> Result<Option<(String, usize)>> {
        match self.take(key) {
            None => Ok(None),
            Some(Node::Scalar { text, line, .. }) => Ok(Some((text.clone(), *line))),
            Some(other) => Err(spec_error(other.line(), format!("{} must be a scalar", self.at(key)))),
        }
    }

    pub(super) fn need(&mut self, key: &str) -> Result<(String, usize)> {
        let line = self.line;
        self.text(key)?.ok_or_else(|| spec_error(line, format!("{} is required", self.at(key))))
    }

    pub(super) fn number(&mut self, key: &str) -> Result<Option<(f64, usize)>> {
        match self.text(key)? {
            None => Ok(None),
            Some((t, line)) => t
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(|v| Some((v, line)))
                .ok_or_else(|| spec_error(line, format!("{} must be a number, not '{t}'", self.at(key)))),
        }
    }

    pub(super) fn flag(&mut self, key: &str) -> Result<Option<bool>> {
        match self.text(key)? {
            None => Ok(None),
            Some((t, line)) => match t.as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(spec_error(line, format!("{} must be true or false", self.at(key)))),
            },
        }
    }

    /// Refuses a field fleetops knows but cannot honour.
    pub(super) fn unsupported(&mut self, key: &str, why: &str) -> Result<()> {
        match self.take(key) {
            None => Ok(()),
            Some(node) => {
                let line = self.index.get(key).map_or(node.line(), |&i| self.entries[i].1);
                Err(spec_error(line, format!("{} is not supported: {why}", self.at(key))))
            }
        }
    }

    /// Takes a field whose content does not change the budget math (descriptions, labels,
    /// where another tool reads the data), checking only that it is there once.
    pub(super) fn informational(&mut self, keys: &[&str]) {
        for k in keys {
            self.take(k);
        }
    }

    pub(super) fn done(self) -> Result<()> {
        match self.entries.iter().zip(&self.taken).find(|(_, taken)| !**taken) {
            None => Ok(()),
            Some(((k, line, _), _)) => Err(spec_error(*line, format!("{} is not an OpenSLO v1 field", self.at(k)))),
        }
    }
}

pub(super) fn seq<'a>(node: &'a Node, path: &str) -> Result<&'a [Node]> {
    match node {
        Node::Seq { items, .. } => Ok(items),
        other => Err(spec_error(other.line(), format!("{path} must be a list"))),
    }
}

/// One document's `apiVersion`, `kind`, `metadata.name` and annotations; the spec node.
pub(super) struct Doc<'a> {
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) line: usize,
    pub(super) annotations: Notes,
    pub(super) spec: &'a Node,
}

/// A document's annotations by key, each with its line (a key appears once: the YAML reader
/// refuses repeats).
pub(super) type Notes = HashMap<String, (String, usize)>;

pub(super) fn metadata(f: &mut Fields<'_>) -> Result<(String, Notes)> {
    let line = f.line;
    let m = f.take("metadata").ok_or_else(|| spec_error(line, format!("{} is required", f.at("metadata"))))?;
    let mut m = Fields::of(m, &f.at("metadata"))?;
    let (name, _) = m.need("name")?;
    let mut annotations = Notes::new();
    if let Some(a) = m.take("annotations") {
        let path = m.at("annotations");
        let Node::Map { entries, .. } = a else {
            return Err(spec_error(a.line(), format!("{path} must be a mapping")));
        };
        for (k, line, v) in entries {
            match v {
                Node::Scalar { text, .. } => {
                    annotations.insert(k.clone(), (text.clone(), *line));
                }
                other => return Err(spec_error(other.line(), format!("{path}.{k} must be a scalar"))),
            }
        }
    }
    m.informational(&["displayName", "labels"]);
    m.done()?;
    Ok((name, annotations))
}

pub(super) fn document(node: &Node) -> Result<Doc<'_>> {
    let mut f = Fields::of(node, "")?;
    let (api, line) = f.need("apiVersion")?;
    if api != "openslo/v1" {
        return Err(spec_error(line, format!("apiVersion '{api}' is not openslo/v1")));
    }
    let (kind, line) = f.need("kind")?;
    let (name, annotations) = metadata(&mut f)?;
    let spec = f.take("spec").ok_or_else(|| spec_error(line, format!("{kind} '{name}': spec is required")))?;
    f.done()?;
    Ok(Doc { kind, name, line, annotations, spec })
}

/// An OpenSLO duration (`5m`, `1h`, `28d`, `1w`) in seconds; months, quarters and years are
/// calendar units, not durations.
pub(super) fn seconds(text: &str, line: usize, what: &str) -> Result<i64> {
    let (n, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: i64 = n.parse().map_err(|_| spec_error(line, format!("{what} '{text}' is not a duration")))?;
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(spec_error(line, format!("{what} '{text}': the unit must be s, m, h, d or w"))),
    };
    match n.checked_mul(unit).filter(|&s| n > 0 && s <= 100 * 366 * 86_400) {
        Some(s) => Ok(s),
        None => Err(spec_error(line, format!("{what} '{text}' must be positive and at most a century"))),
    }
}

/// A duration that may be zero (`0s`), e.g. `fleetops.io/max-future`.
pub(super) fn seconds0(text: &str, line: usize, what: &str) -> Result<i64> {
    match text.strip_suffix('s').and_then(|n| n.parse::<i64>().ok()) {
        Some(0) => Ok(0),
        _ => seconds(text, line, what),
    }
}

/// A share written out of `whole` (a target of 1, a percentage of 100), strictly inside it
/// (`INVALID_TARGET`, with the field and its line).
pub(super) fn share(v: f64, whole: f64, line: usize, field: &str) -> Result<f64> {
    if v > 0.0 && v < whole {
        Ok(v)
    } else {
        Err(crate::FleetopsError::InvalidTarget(format!("line {line}: {field} {v} must be above 0 and below {whole}")))
    }
}

/// Seconds as fleetops writes a duration (`28d`, `5m`).
pub(super) fn text_of(seconds: i64) -> DurationSpec {
    DurationSpec::Text(crate::slo::prometheus_rules::prom_duration(seconds as f64))
}
