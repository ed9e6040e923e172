//! The values read back from the warehouse, judged: each table by the policy's tiers and its
//! own dbt limits (when its source declares them), a table that could not be read as `error`
//! with the database's reason, the others judged as usual.

use super::WarehouseTable;
use crate::error::{FleetopsError, Result};
use crate::freshness::{FreshnessPolicy, FreshnessReport, Level, TableInput};
use crate::time::Timestamp;

/// What reading one table gave: its last load time (`None`: no rows), or why it failed.
pub type TableRead = std::result::Result<Option<Timestamp>, String>;

/// Judges every table of `tables` from `reads` (by table name; a table without a read is an
/// error too), at `now`, by `policy` with each table's own dbt limits over it.
pub fn judge(
    policy: &FreshnessPolicy,
    tables: &[WarehouseTable],
    reads: &[(String, TableRead)],
    now: Timestamp,
) -> Result<FreshnessReport> {
    let mut results = Vec::with_capacity(tables.len());
    for t in tables {
        let read = reads.iter().find(|(name, _)| *name == t.name).map(|(_, r)| r);
        let own;
        let judged_by = if t.warn_after.is_some() || t.error_after.is_some() {
            own = policy.clone().with_criteria(t.warn_after, t.error_after)?;
            &own
        } else {
            policy
        };
        let result = match read {
            Some(Ok(last)) => {
                let input = TableInput::new(&t.name, *last);
                crate::freshness::classify_table(judged_by, &input, now, &Default::default())?
            }
            Some(Err(reason)) => failed(judged_by, &t.name, reason, now),
            None => failed(judged_by, &t.name, "no value was read for it", now),
        };
        results.push(result);
    }
    if let Some((name, _)) = reads.iter().find(|(name, _)| !tables.iter().any(|t| t.name == *name)) {
        return Err(FleetopsError::InvalidArgument(format!(
            "a value was read for '{name}', which is not a table of this list"
        )));
    }
    Ok(crate::freshness::report_of(policy, results))
}

/// A table whose load time could not be read: judged as missing, `error`, with the reason.
fn failed(policy: &FreshnessPolicy, name: &str, reason: &str, now: Timestamp) -> crate::freshness::TableFreshness {
    let mut out = policy.classify(name, None, now);
    out.level = Level::Error;
    out.read_error = Some(reason.to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::freshness::warehouse::tables_from_manifest;
    use crate::time::parse_timestamp;

    #[test]
    fn each_table_by_its_own_dbt_limits_and_a_failed_read_is_an_error_with_its_reason() {
        let manifest = r#"{"sources": {
          "source.f.raw.a": {"source_name": "raw", "name": "a", "schema": "raw", "loaded_at_field": "t",
                             "freshness": {"warn_after": {"count": 1, "period": "hour"}, "error_after": {"count": 2, "period": "hour"}}},
          "source.f.raw.b": {"source_name": "raw", "name": "b", "schema": "raw", "loaded_at_field": "t",
                             "freshness": {"error_after": {"count": 30, "period": "minute"}}},
          "source.f.raw.c": {"source_name": "raw", "name": "c", "schema": "raw", "loaded_at_field": "t",
                             "freshness": {"warn_after": {"count": 1, "period": "day"}}}
        }}"#;
        let tables = tables_from_manifest(manifest).unwrap();
        let now = parse_timestamp("2026-11-22T08:00:00Z").unwrap();
        let at = |s: &str| Ok(Some(parse_timestamp(s).unwrap()));
        let reads = vec![
            ("raw.a".to_owned(), at("2026-11-22T06:30:00Z")), // 90 min: past warn, before error
            ("raw.b".to_owned(), at("2026-11-22T07:00:00Z")), // 60 min: past its 30 min error
            ("raw.c".to_owned(), Err("Catalog Error: Table with name c does not exist!".to_owned())),
        ];
        let report = judge(&FreshnessPolicy::runbook(), &tables, &reads, now).unwrap();
        let levels: Vec<_> = report.results.iter().map(|r| r.level).collect();
        assert_eq!(levels, [Level::Warn, Level::Error, Level::Error]);
        assert_eq!(report.results[2].read_error.as_deref(), Some("Catalog Error: Table with name c does not exist!"));
        assert!(report.results[0].read_error.is_none());
        let stray = vec![("raw.z".to_owned(), at("2026-11-22T06:30:00Z"))];
        assert!(judge(&FreshnessPolicy::runbook(), &tables, &stray, now).is_err());
    }
}
