//! Serialisation helpers shared by every result type (timestamps as ISO-8601 UTC strings),
//! and the one rule for counts the bindings receive as JavaScript or Python numbers.

use serde::Serializer;

use crate::time::{to_iso, Timestamp};

/// Serialises a timestamp as `2026-11-22T08:00:00Z`.
pub fn iso<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&to_iso(*ts))
}

/// Serialises an optional timestamp as an ISO string or null.
pub fn iso_opt<S: Serializer>(ts: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match ts {
        Some(ts) => s.serialize_str(&to_iso(*ts)),
        None => s.serialize_none(),
    }
}

/// Serialises `(name, value)` pairs as a map in their order (tier order, input order), which a
/// `HashMap` would lose; declared as a map (`#[schemars(with = "BTreeMap<String, V>")]`).
pub fn ordered_map<S: Serializer, V: serde::Serialize>(pairs: &[(String, V)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Serialises timestamps as a list of ISO strings.
pub fn iso_vec<S: Serializer>(ts: &[Timestamp], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ts.iter().map(|t| to_iso(*t)))
}

/// A timestamp as an ISO-8601 string both ways (for saved state and config files).
pub mod iso_de {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::time::{parse_timestamp, to_iso, Timestamp};

    /// Writes `2026-11-22T08:00:00Z`.
    pub fn serialize<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_iso(*ts))
    }

    /// Reads an ISO-8601 timestamp with an offset.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        parse_timestamp(&text).map_err(serde::de::Error::custom)
    }
}

/// A count given as a JavaScript or Python float: whole, not negative, finite and at most
/// 2^53 (past it floats skip integers). `INVALID_ARGUMENT` naming `what` otherwise, so that a
/// binding never wraps (`-1` as 4294967295) or truncates (`2.5` as 2).
pub fn count_from_f64(x: f64, what: &str) -> crate::Result<u64> {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= crate::snapshot::MAX_SAVED_NUMBER {
        Ok(x as u64)
    } else {
        Err(crate::FleetopsError::InvalidArgument(format!("{what} must be a whole number from 0 to 2^53, got {x}")))
    }
}

/// A count given as an integer of any size (Python's `int`): `INVALID_ARGUMENT` naming `what`
/// when it is negative or past `u64`.
pub fn count_from_i128(x: i128, what: &str) -> crate::Result<u64> {
    u64::try_from(x).map_err(|_| {
        crate::FleetopsError::InvalidArgument(format!("{what} must be a whole number from 0 to 2^64 - 1, got {x}"))
    })
}

/// A count that must also be at most `max` (a narrower field's range), with the same message.
pub fn count_at_most(n: u64, max: u64, what: &str) -> crate::Result<u64> {
    if n <= max {
        Ok(n)
    } else {
        Err(crate::FleetopsError::InvalidArgument(format!("{what} must be at most {max}, got {n}")))
    }
}

/// The error for a count given as something else (`kind`: a bool, a string, ...).
pub fn not_a_count(what: &str, kind: &str) -> crate::FleetopsError {
    crate::FleetopsError::InvalidArgument(format!("{what} must be a whole number, not {kind}"))
}

/// How deep options given as plain data (dicts and lists) may nest.
pub const MAX_NESTING: usize = 64;

/// The error for options that are not plain data (`detail` says what was found where).
pub fn not_plain_data(detail: &str) -> crate::FleetopsError {
    crate::FleetopsError::InvalidArgument(format!(
        "options must be plain data (mappings with string keys, lists, strings, numbers, booleans, null, \
         durations, aware datetimes): {detail}"
    ))
}

/// An argument of the wrong type: `expected` ("a number"), `got` the type the caller passed.
pub fn wrong_type(expected: &str, got: &str) -> crate::FleetopsError {
    crate::FleetopsError::WrongType(format!("expected {expected}, got {got}"))
}

/// A string that is not valid Unicode (a lone UTF-16 surrogate), `at` where it was found:
/// refused rather than silently replaced, so that no key or name changes on the way in.
pub fn not_unicode(at: &str) -> crate::FleetopsError {
    crate::FleetopsError::InvalidArgument(format!("a string that is not valid Unicode (a lone surrogate) at {at}"))
}

/// Option names a call does not know (a typo such as `horizn`): refused, never ignored.
pub fn unknown_options(names: &[String]) -> crate::FleetopsError {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    crate::FleetopsError::InvalidArgument(format!("unknown option {}", quoted.join(", ")))
}

/// A field name as JavaScript writes it: `p999_ms` -> `p999Ms` (the Node binding's results and
/// the generated TypeScript declarations follow this one rule).
pub fn camel_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

/// A field name as the core writes it, from JavaScript's: `maxKeys` -> `max_keys` (the Node
/// binding reads options by this one rule).
pub fn snake_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A result as JSON for the bindings to convert. Results serialise by construction; should one
/// not (a map with non-string keys), that is a bug and comes back as `INTERNAL`, not a panic.
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> crate::Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| crate::FleetopsError::Internal(format!("a result did not serialise: {e}")))
}

/// A call a binding's runtime refused before fleetops read it (in Node, a method called on an
/// object that is not an instance of its class): `INVALID_ARGUMENT`, the runtime's own error
/// kept as the cause rather than re-worded.
pub fn unreadable_call() -> crate::FleetopsError {
    crate::FleetopsError::InvalidArgument(
        "the call could not be read: a method called on something that is not an instance of its class \
         (the runtime's error is the cause)"
            .to_owned(),
    )
}
