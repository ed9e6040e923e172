//! Core results for JavaScript (struct fields camelCase, data keys as they are: the rule is
//! [`crate::jsser`]'s), and JavaScript options for the core (camelCase to snake_case).

use serde_json::Value;

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

/// A core result for JavaScript: camelCase objects made straight from the result when napi
/// hands it over ([`crate::jsser`]).
pub fn js<T: serde::Serialize + 'static>(value: T) -> crate::errors::Result<crate::jsser::Js> {
    Ok(crate::jsser::Js::new(value))
}
