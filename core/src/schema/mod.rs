//! The declared shape of every result the bindings return, as one JSON Schema derived from the
//! serde types themselves (`schemars`), so the declaration cannot drift from what is sent.
//!
//! `cargo xtask codegen` generates `fleetops/results.py` (TypedDicts) and
//! `bindings-node/results.d.ts` (interfaces) from it, and `./test` fails when a committed file
//! differs;
//! the Python and Node suites validate every shared vector's actual output against it. Field
//! names are the core's snake_case; Node renames struct fields (`properties`) to camelCase and
//! keeps map keys (`additionalProperties`: table names, label names, mute ids) as they are, and
//! keeps every name of a type marked `"x-keep-case": true` (dbt's `sources.json`, a format read
//! by other tools).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::{dedup, freshness, health, slo, storm};

mod options;
pub use options::options_schema;

/// What one public call returns, by its Python name (`Class.method` for methods).
fn returns(g: &mut SchemaGenerator) -> Vec<(&'static str, Value)> {
    fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
        g.subschema_for::<T>().to_value()
    }
    vec![
        // Freshness
        ("FreshnessPolicy.classify", of::<freshness::TableFreshness>(g)),
        ("LoadSchedule.check", of::<freshness::ScheduleCheck>(g)),
        ("classify_tables", of::<freshness::FreshnessReport>(g)),
        ("dbt_sources", of::<freshness::DbtSources>(g)),
        ("check_cadence", of::<freshness::CadenceCheck>(g)),
        // SLOs
        ("error_budget", of::<slo::Budget>(g)),
        ("period_window", of::<slo::Window>(g)),
        ("timeslice_budget", of::<slo::TimeSliceBudget>(g)),
        ("forecast_budget", of::<slo::Forecast>(g)),
        ("BurnPolicy.tiers", of::<Vec<slo::BurnTier>>(g)),
        ("BurnPolicy.evaluate", of::<Vec<slo::BurnAlert>>(g)),
        ("LatencyHistogram.summary", of::<slo::LatencySummary>(g)),
        ("SloTracker.status", of::<slo::TrackerStatus>(g)),
        ("SloTracker.window_counts", of::<slo::Counts>(g)),
        ("SloTracker.latency", of::<slo::LatencyStatus>(g)),
        ("SloTracker.evaluate_rules", of::<Vec<slo::RuleResult>>(g)),
        ("SloTracker.corrections", of::<Vec<slo::Correction>>(g)),
        ("SloTracker.announce_maintenance", of::<crate::maintenance::Occurrence>(g)),
        ("SloTracker.announced_maintenance", of::<Vec<crate::maintenance::Occurrence>>(g)),
        ("SloTracker.prometheus_rules", of::<slo::PrometheusRules>(g)),
        ("maintenance_windows", of::<Vec<crate::maintenance::Occurrence>>(g)),
        ("runbook_rules", of::<Vec<slo::ThresholdRule>>(g)),
        ("judge_rule", of::<slo::RuleResult>(g)),
        ("assess_health", of::<health::Health>(g)),
        // De-duplication
        ("Deduper.stats", of::<dedup::DedupStats>(g)),
        // Alert storms
        ("flap_series", of::<storm::FlapSeries>(g)),
        ("escalations_due", of::<Vec<storm::Due>>(g)),
        ("StormDetector.observe", of::<storm::Verdict>(g)),
        ("StormDetector.observe_batch.events", of::<Vec<storm::StormEvent>>(g)),
        ("StormDetector.advance", of::<Vec<storm::StormEvent>>(g)),
        ("StormDetector.config", of::<storm::StormConfig>(g)),
        ("StormDetector.stats", of::<storm::StormStats>(g)),
        ("RateLimiter.check", of::<storm::LimitDecision>(g)),
        ("Grouper.due", of::<Vec<storm::GroupNotification>>(g)),
    ]
}

/// The schema document: `$defs` (every named type) and `returns` (each call's result schema).
///
/// Written for what is sent (`for_serialize`: a field is required unless it may be skipped),
/// and closed: an object has exactly its declared fields (`additionalProperties: false`), so a
/// key added to a result without its declaration fails validation. A tagged variant that
/// extends a struct (`{"$ref": .., "properties": {"status": ..}}`) is inlined into one object
/// first, since a closed `$ref` cannot see its sibling's fields, and marked `"x-extends"` with
/// the struct's name.
pub fn results_schema() -> Value {
    let mut g = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let returns: Map<String, Value> = returns(&mut g).into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let mut defs: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    let named = defs.clone();
    for def in defs.values_mut() {
        close(def, &named);
    }
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "fleetops results",
        "$defs": defs,
        "returns": returns,
    })
}

/// Inlines `$ref`s that carry sibling fields and closes every object with declared fields.
fn close(schema: &mut Value, defs: &Map<String, Value>) {
    let Value::Object(map) = schema else { return };
    if map.contains_key("properties") {
        if let Some(Value::String(target)) = map.get("$ref").cloned() {
            let name = target.trim_start_matches("#/$defs/");
            if let Some(Value::Object(base)) = defs.get(name) {
                map.remove("$ref");
                merge_object(map, base);
                // The generated types extend the base instead of repeating its fields.
                map.insert("x-extends".into(), Value::String(name.to_owned()));
            }
        }
        map.entry("additionalProperties").or_insert(Value::Bool(false));
    }
    for value in map.values_mut() {
        match value {
            Value::Array(items) => items.iter_mut().for_each(|v| close(v, defs)),
            other => close(other, defs),
        }
    }
}

/// Adds `base`'s properties and required names to the object schema `map`.
fn merge_object(map: &mut Map<String, Value>, base: &Map<String, Value>) {
    let mut properties = base.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    if let Some(Value::Object(own)) = map.get("properties") {
        properties.extend(own.clone());
    }
    let mut required: Vec<Value> = base.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    for name in map.get("required").and_then(Value::as_array).into_iter().flatten() {
        if !required.contains(name) {
            required.push(name.clone());
        }
    }
    map.insert("properties".into(), Value::Object(properties));
    map.insert("required".into(), Value::Array(required));
}

/// The result fields whose keys are data, not field names (a table's name, a label's, a mute
/// id, a check's, a pass-through `details` value): every property whose declared type is a map
/// or any JSON value. The Node binding keeps their keys as they are when it camelCases a result.
pub fn data_keyed_fields() -> &'static BTreeSet<String> {
    static FIELDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let schema = results_schema();
        let mut out = BTreeSet::new();
        if let Some(defs) = schema["$defs"].as_object() {
            for def in defs.values() {
                collect_data_keyed(def, &mut out);
            }
        }
        out
    })
}

fn collect_data_keyed(schema: &Value, out: &mut BTreeSet<String>) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            if is_data(prop) {
                out.insert(name.clone());
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        for variant in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            collect_data_keyed(variant, out);
        }
    }
}

/// A map (`additionalProperties` a schema) or any value (no constraint at all).
fn is_data(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => {
            if map.get("additionalProperties").is_some_and(|a| a.is_object() || *a == Value::Bool(true)) {
                return true;
            }
            if let Some(variants) = map.get("anyOf").or_else(|| map.get("oneOf")).and_then(Value::as_array) {
                return variants.iter().any(is_data);
            }
            const SHAPES: [&str; 8] = ["type", "$ref", "anyOf", "oneOf", "const", "enum", "properties", "items"];
            !SHAPES.iter().any(|k| map.contains_key(*k))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_keyed_fields_are_the_maps_and_free_values() {
        let fields = data_keyed_fields();
        for name in ["checks", "details", "group", "muted_by", "levels", "classes", "adapter_response"] {
            assert!(fields.contains(name), "{name} holds data keys: {fields:?}");
        }
        for name in ["counts", "summary", "budget", "period", "latency"] {
            assert!(!fields.contains(name), "{name} is a struct: {fields:?}");
        }
    }
}
