//! The declared shape of every options argument, as one JSON Schema derived from the core's
//! spec types (the ones the bindings read options into), so the declarations the Node package
//! ships cannot drift from what the core reads.
//!
//! Each entry is named as `index.d.ts` names it (`DeduperOptions`): a core spec as it is, or
//! with the arguments a call takes positionally left out (`period`, `cron`) and the `now` the
//! binding takes out first added. Values a JSON Schema cannot say (a `Date`, a typed array, an
//! engine instance) carry their TypeScript form as `"x-typescript"`.

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::{dedup, freshness, health, maintenance, slo, storm};

/// A value declared only by its TypeScript form (and, for other readers, a JSON type).
macro_rules! typescript_only {
    ($name:ident, $json:expr, $ts:expr, $doc:expr) => {
        #[doc = $doc]
        pub struct $name;
        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                schemars::json_schema!({"description": $doc, "type": $json, "x-typescript": $ts})
            }
        }
    };
}

typescript_only!(
    TimeLike,
    ["string", "number"],
    "Date | number | string",
    "An instant: a `Date`, epoch milliseconds, or ISO-8601 text with an offset."
);
typescript_only!(
    DurationLike,
    ["string", "number", "object"],
    "number | string | DurationSpecObject",
    "A duration: seconds, text such as `45m`, or dbt's `{count, period}`."
);
typescript_only!(
    KeyLike,
    ["string", "number", "array"],
    "number | bigint | string | Array<number | string | bigint>",
    "A key: a number or bigint as is, a string or an array of parts hashed."
);
typescript_only!(
    KeysLike,
    ["array"],
    "BigUint64Array | BigInt64Array | Float64Array | Array<KeyLike>",
    "A column of keys: a typed array read in place, or an array of keys."
);
typescript_only!(
    Floats,
    ["array"],
    "Float64Array | number[]",
    "Numbers: a `Float64Array` read in place, or an array of numbers."
);
typescript_only!(
    ScheduleLike,
    ["object"],
    "LoadSchedule | ScheduleSpecOption",
    "A `LoadSchedule`, or the options of one."
);

/// Just `now`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct NowOptions {
    /// Judge at this instant (default: the current time).
    now: Option<TimeLike>,
}

/// Options of `FreshnessPolicy.classify`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ClassifyOptions {
    /// Judge at this instant (default: the current time).
    now: Option<TimeLike>,
    /// The table's name, for the result.
    table: Option<String>,
}

/// Options of `StormDetector.observe`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ObserveOptions {
    /// The alert's labels (names kept as written).
    labels: Option<BTreeMap<String, String>>,
    /// Firing (default) or resolved.
    firing: Option<bool>,
    /// Enables the future check.
    now: Option<TimeLike>,
}

/// Options of `dedupMask` / `dedupIndices`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct DedupOptions {
    /// Which row of a key survives (default `first`).
    keep: Option<dedup::Keep>,
    /// Keep the row with the smallest (`first`) or largest (`last`) value, ties by position.
    order_by: Option<Floats>,
}

/// One table of `classifyTables` / `dbtSources` given as a record.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct TableOption {
    /// The table's name.
    table: String,
    /// `MAX(_loaded_at)`, or null when it has no rows.
    last_loaded_at: Option<TimeLike>,
    /// Past load times, for the learned cadence.
    history: Option<Vec<TimeLike>>,
    /// The expected schedule.
    schedule: Option<ScheduleLike>,
}

/// How an entry is made from its core type.
struct Entry {
    name: &'static str,
    schema: Value,
    omit: &'static [&'static str],
    now: bool,
}

fn entries(g: &mut SchemaGenerator) -> Vec<Entry> {
    fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
        g.subschema_for::<T>().to_value()
    }
    let e = |name, schema, omit, now| Entry { name, schema, omit, now };
    vec![
        // Shared
        e("TimeLike", of::<TimeLike>(g), &[], false),
        e("DurationLike", of::<DurationLike>(g), &[], false),
        e("NowOptions", of::<NowOptions>(g), &[], false),
        e("MaintenanceWindowOptions", of::<maintenance::MaintenanceSpec>(g), &[], false),
        // Freshness
        e("PolicyOptions", of::<freshness::PolicySpec>(g), &[], false),
        e("ClassifyOptions", of::<ClassifyOptions>(g), &[], false),
        e("ScheduleOptions", of::<freshness::ScheduleSpec>(g), &["cron"], false),
        e("ScheduleSpecOption", of::<freshness::ScheduleSpec>(g), &[], false),
        e("TableOption", of::<TableOption>(g), &[], false),
        e("BatchOptions", of::<freshness::BatchSpec>(g), &[], true),
        e("CheckCadenceOptions", of::<freshness::CheckCadenceSpec>(g), &[], true),
        // SLOs
        e("CountsOption", of::<slo::CountsSpec>(g), &[], false),
        e("BudgetCountsOption", of::<slo::EventBudgetSpec>(g), &[], false),
        e("PeriodOptions", of::<slo::PeriodWindowSpec>(g), &["period"], true),
        e("TimesliceOptions", of::<slo::TimesliceSpec>(g), &[], false),
        e("ForecastOptions", of::<slo::ForecastSpec>(g), &[], false),
        e("BurnPolicyOptions", of::<slo::BurnPolicySpec>(g), &[], false),
        e("LatencyHistogramOptions", of::<slo::HistogramSpec>(g), &[], false),
        e("SloTrackerOptions", of::<slo::TrackerSpec>(g), &[], false),
        e("AnnounceOptions", of::<slo::AnnounceSpec>(g), &[], false),
        e("JudgeOptions", of::<slo::JudgeSpec>(g), &[], false),
        e("RuleOption", of::<slo::ThresholdRule>(g), &[], false),
        e("WindowStatsOption", of::<slo::WindowStats>(g), &[], false),
        e("HealthCheckOption", of::<health::CheckInput>(g), &[], false),
        // De-duplication
        e("KeyLike", of::<KeyLike>(g), &[], false),
        e("KeysLike", of::<KeysLike>(g), &[], false),
        e("DeduperOptions", of::<dedup::DeduperSpec>(g), &[], false),
        e("DedupOptions", of::<DedupOptions>(g), &[], false),
        // Alert storms
        e("StormOptions", of::<storm::StormSpec>(g), &[], false),
        e("ObserveOptions", of::<ObserveOptions>(g), &[], false),
        e("MuteOption", of::<storm::Mute>(g), &[], false),
        e("MatcherOption", of::<storm::MatcherSpec>(g), &[], false),
        e("FlapOptions", of::<storm::FlapSpec>(g), &[], false),
        e("EscalationPolicyOptions", of::<storm::EscalationSpec>(g), &[], false),
        e("AlertRecordOption", of::<storm::AlertRecord>(g), &[], false),
        e("RateLimiterOptions", of::<storm::LimitSpec>(g), &[], false),
        e("GrouperOptions", of::<storm::GroupSpec>(g), &[], false),
    ]
}

/// The schema document: `$defs` (every named type) and `options` (each options argument's
/// schema by its name in `index.d.ts`).
///
/// Written for what is read (`for_deserialize`: a field is required unless it has a default).
pub fn options_schema() -> Value {
    let mut g = SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let entries = entries(&mut g);
    let mut now = g.subschema_for::<Option<TimeLike>>().to_value();
    if let Value::Object(m) = &mut now {
        m.insert("description".into(), "Judge at this instant (default: the current time).".into());
    }
    let defs: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    let options: Map<String, Value> = entries
        .into_iter()
        .map(|entry| {
            let mut schema = entry.schema;
            if !entry.omit.is_empty() || entry.now {
                schema = resolved(schema, &defs);
                let props = schema["properties"].as_object_mut().expect("an object's properties");
                entry.omit.iter().for_each(|k| drop(props.shift_remove(*k)));
                if entry.now {
                    props.insert("now".into(), now.clone());
                }
                if let Some(Value::Array(required)) = schema.get_mut("required") {
                    required.retain(|r| !entry.omit.iter().any(|k| r == k));
                }
            }
            (entry.name.to_owned(), schema)
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "fleetops options",
        "$defs": defs,
        "options": options,
    })
}

/// A `$ref` replaced by a copy of the definition it names.
fn resolved(schema: Value, defs: &Map<String, Value>) -> Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => defs[r.trim_start_matches("#/$defs/")].clone(),
        None => schema,
    }
}
