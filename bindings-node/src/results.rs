//! Core results as JSON for JavaScript: struct fields camelCase, data keys as they are.

use serde_json::Value;

/// Renames object keys from snake_case to camelCase, recursively (JSON results for JS); the
/// keys of the fields the core declares as maps or free values are data and stay as they are
/// (`fleetops::schema::data_keyed_fields`).
pub fn camel(value: Value) -> Value {
    let data = fleetops::schema::data_keyed_fields();
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if data.contains(&k) { v } else { camel(v) };
                    (fleetops::wire::camel_name(&k), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel).collect()),
        other => other,
    }
}

/// Renames object keys from camelCase to snake_case, recursively (JS options for the core).
pub fn snake(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (fleetops::wire::snake_name(&k), snake(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(snake).collect()),
        Value::Number(n) => Value::Number(whole(n)),
        other => other,
    }
}

/// JavaScript has one number type and napi hands integers past 32 bits over as floats; a whole
/// one within 2^53 is the integer it is (so `2 ** 40` is a count, as in Python), anything else
/// stays a float for the core's checks to judge.
fn whole(n: serde_json::Number) -> serde_json::Number {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => {
            if f < 0.0 {
                (f as i64).into()
            } else {
                (f as u64).into()
            }
        }
        _ => n,
    }
}

/// A core result as camelCase JSON for JavaScript (see [`camel`]).
pub fn js(value: &impl serde::Serialize) -> crate::errors::Result<Value> {
    use crate::errors::IntoJs;
    Ok(camel(fleetops::wire::to_value(value).js()?))
}
