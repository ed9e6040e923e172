//! The checklist's freshness step: every raw table's tier at `now` from its load history, with
//! staleness and the cadence learned from that history.

use std::collections::HashMap;

use serde::Serialize;

use super::Level;
use crate::error::Result;
use crate::freshness::{classify_tables, CadenceOptions, FreshnessPolicy, FreshnessReport, TableInput};
use crate::time::Timestamp;

/// The freshness section.
#[derive(Debug, Clone, Serialize)]
pub struct FreshnessSection {
    /// The worst table's level.
    pub level: Level,
    /// Per table (worst level first, then by name) and the summary.
    pub tables: FreshnessReport,
}

/// Classifies each table named in `loads` (table, load time; any order) at `now`.
pub fn check(
    policy: &FreshnessPolicy,
    cadence: &CadenceOptions,
    loads: &[(&str, Timestamp)],
    now: Timestamp,
) -> Result<FreshnessSection> {
    let mut tables: Vec<TableInput> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for &(name, at) in loads {
        let i = *index.entry(name).or_insert_with(|| {
            tables.push(TableInput { history: Some(Vec::new()), ..TableInput::new(name, None) });
            tables.len() - 1
        });
        tables[i].history.as_mut().expect("every table has a history").push(at);
    }
    let mut report = classify_tables(policy, &tables, now, cadence)?;
    // Worst first, then by name: the order a person reads a checklist in.
    report.results.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.table.cmp(&b.table)));
    Ok(FreshnessSection { level: report.summary.worst_level, tables: report })
}
