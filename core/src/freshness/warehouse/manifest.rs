//! The tables a dbt project declares fresh-checked, read from its `target/manifest.json`: every
//! source table with a `freshness` block (`warn_after` and/or `error_after`, as dbt resolved them
//! from the source, the table and `config`) and somewhere to read its load time
//! (`loaded_at_field`, or dbt 1.10's `loaded_at_query`). A table with neither limit, or with no
//! load time to read, is left out, as `dbt source freshness` leaves it out.

use serde_json::Value;

use super::{LoadedAt, WarehouseTable, MAX_TABLES};
use crate::error::{FleetopsError, Result};
use crate::freshness::criteria::Limit;
use crate::time::Period;

/// The largest manifest read (256 MiB; a large project's is tens of MB).
pub const MAX_MANIFEST_BYTES: usize = 256 << 20;

fn bad(what: String) -> FleetopsError {
    FleetopsError::InvalidSpec(format!("dbt manifest: {what}"))
}

/// A text field of a source node, or `None` when missing or null.
fn field<'a>(node: &'a Value, key: &str, id: &str) -> Result<Option<&'a str>> {
    match node.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad(format!("{id}: {key} is not a string"))),
    }
}

/// A `{count, period}` limit, or `None` when dbt leaves it unset (missing, null, or either
/// half null).
fn limit(block: &Value, key: &str, id: &str) -> Result<Option<Limit>> {
    let Some(l) = block.get(key).filter(|l| !l.is_null()) else { return Ok(None) };
    let (count, period) = (l.get("count"), l.get("period"));
    match (count, period) {
        (Some(Value::Number(n)), Some(Value::String(p))) => {
            let count = n.as_i64().ok_or_else(|| bad(format!("{id}: {key}.count {n} is not a whole number")))?;
            Ok(Some(Limit::dbt(count, Period::parse(p)?).map_err(|e| e.at(format!("{id}: {key}")))?))
        }
        (None | Some(Value::Null), _) | (_, None | Some(Value::Null)) => Ok(None),
        _ => Err(bad(format!("{id}: {key} is not {{count, period}}"))),
    }
}

/// The fresh-checked source tables of a dbt manifest (JSON text), named `source.table`, in the
/// manifest's order. At most [`MAX_MANIFEST_BYTES`] of text and [`MAX_TABLES`] tables.
pub fn tables_from_manifest(json: &str) -> Result<Vec<WarehouseTable>> {
    if json.len() > MAX_MANIFEST_BYTES {
        return Err(bad(format!("{} bytes; the most read is {MAX_MANIFEST_BYTES}", json.len())));
    }
    let manifest: Value = serde_json::from_str(json).map_err(|e| bad(format!("not JSON ({e})")))?;
    let sources = manifest.get("sources").and_then(Value::as_object).ok_or_else(|| bad("no sources".into()))?;
    let mut out = Vec::new();
    for (id, node) in sources {
        let Some(block) = node.get("freshness").filter(|f| f.is_object()) else { continue };
        let (warn_after, error_after) = (limit(block, "warn_after", id)?, limit(block, "error_after", id)?);
        if warn_after.is_none() && error_after.is_none() {
            continue;
        }
        let loaded_at = match (field(node, "loaded_at_query", id)?, field(node, "loaded_at_field", id)?) {
            (Some(q), _) if !q.trim().is_empty() => LoadedAt::Query(q.to_owned()),
            (_, Some(f)) if !f.is_empty() => LoadedAt::Column(f.to_owned()),
            _ => continue,
        };
        let source = field(node, "source_name", id)?.ok_or_else(|| bad(format!("{id}: no source_name")))?;
        let name = field(node, "name", id)?.ok_or_else(|| bad(format!("{id}: no name")))?;
        let identifier = field(node, "identifier", id)?.unwrap_or(name);
        if out.len() == MAX_TABLES {
            return Err(bad(format!("more than {MAX_TABLES} fresh-checked tables")));
        }
        out.push(WarehouseTable {
            name: format!("{source}.{name}"),
            database: field(node, "database", id)?.map(str::to_owned),
            schema: field(node, "schema", id)?.map(str::to_owned),
            identifier: identifier.to_owned(),
            loaded_at,
            filter: field(block, "filter", id)?.filter(|f| !f.trim().is_empty()).map(str::to_owned),
            warn_after,
            error_after,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"{
      "metadata": {"dbt_version": "1.10.0"},
      "sources": {
        "source.fleet.raw.packages": {
          "resource_type": "source", "source_name": "raw", "name": "packages", "identifier": "packages",
          "database": "warehouse", "schema": "raw", "loaded_at_field": "_loaded_at",
          "freshness": {"warn_after": {"count": 6, "period": "hour"}, "error_after": {"count": 1, "period": "day"}, "filter": null}
        },
        "source.fleet.raw.events": {
          "resource_type": "source", "source_name": "raw", "name": "events", "identifier": "tracking_events",
          "database": null, "schema": "raw", "loaded_at_field": "_loaded_at", "loaded_at_query": null,
          "freshness": {"warn_after": {"count": null, "period": null}, "error_after": {"count": 2, "period": "hour"}, "filter": "region = 'eu'"}
        },
        "source.fleet.raw.logged": {
          "resource_type": "source", "source_name": "raw", "name": "logged", "identifier": "logged",
          "schema": "raw", "loaded_at_field": null, "loaded_at_query": "select max(at) from raw.load_log",
          "freshness": {"warn_after": {"count": 30, "period": "minute"}}
        },
        "source.fleet.raw.unchecked": {
          "resource_type": "source", "source_name": "raw", "name": "unchecked", "schema": "raw",
          "loaded_at_field": "_loaded_at", "freshness": {"warn_after": {"count": null, "period": null}, "error_after": {"count": null, "period": null}}
        },
        "source.fleet.raw.no_column": {
          "resource_type": "source", "source_name": "raw", "name": "no_column", "schema": "raw",
          "freshness": {"warn_after": {"count": 1, "period": "hour"}}
        }
      }
    }"#;

    #[test]
    fn fresh_checked_sources_with_their_limits_filters_and_queries() {
        let tables = tables_from_manifest(MANIFEST).unwrap();
        let names: Vec<_> = tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["raw.packages", "raw.events", "raw.logged"]);
        let p = &tables[0];
        assert_eq!(
            (p.database.as_deref(), p.schema.as_deref(), p.identifier.as_str()),
            (Some("warehouse"), Some("raw"), "packages")
        );
        assert_eq!(p.warn_after.as_ref().map(|l| l.duration().num_seconds()), Some(6 * 3600));
        assert_eq!(p.error_after.as_ref().map(|l| l.duration().num_seconds()), Some(86_400));
        let e = &tables[1];
        assert_eq!((e.identifier.as_str(), e.filter.as_deref()), ("tracking_events", Some("region = 'eu'")));
        assert!(e.warn_after.is_none());
        assert_eq!(tables[2].loaded_at, LoadedAt::Query("select max(at) from raw.load_log".into()));
    }

    #[test]
    fn a_broken_manifest_is_an_invalid_spec() {
        for text in [
            "[]",
            "{",
            r#"{"sources": {"s": {"freshness": {"warn_after": {"count": 1.5, "period": "hour"}}, "loaded_at_field": "x"}}}"#,
        ] {
            assert_eq!(tables_from_manifest(text).unwrap_err().code(), "INVALID_SPEC", "{text}");
        }
        let bad_period = r#"{"sources": {"s": {"source_name": "a", "name": "b", "loaded_at_field": "x", "freshness": {"warn_after": {"count": 1, "period": "fortnight"}}}}}"#;
        assert!(tables_from_manifest(bad_period).is_err());
    }
}
