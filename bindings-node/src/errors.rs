//! Core errors -> thrown JS `Error`s whose `.code` is the core's stable code.

use fleetops::FleetopsError;

/// What every exported function returns: an error's status string becomes `err.code`.
pub type Result<T> = std::result::Result<T, napi::Error<&'static str>>;

/// Converts a core error.
pub fn to_js(err: FleetopsError) -> napi::Error<&'static str> {
    napi::Error::new(err.code(), err.to_string())
}

/// Runs an exported call's body; a panic inside comes back as an `INTERNAL` error instead of
/// aborting the Node process. Every export goes through it.
pub fn guard<T>(body: impl FnOnce() -> Result<T>) -> Result<T> {
    fleetops::error::catch_panic(body, to_js)
}

/// An argument the binding could not read at all (wrong JS type).
pub fn invalid_argument(msg: impl Into<String>) -> napi::Error<&'static str> {
    to_js(FleetopsError::InvalidArgument(msg.into()))
}

/// `.js()?` on core results and on napi's own conversion results.
pub trait IntoJs<T> {
    /// Maps the error.
    fn js(self) -> Result<T>;
}

impl<T> IntoJs<T> for fleetops::Result<T> {
    fn js(self) -> Result<T> {
        self.map_err(to_js)
    }
}

impl<T> IntoJs<T> for napi::Result<T> {
    fn js(self) -> Result<T> {
        self.map_err(|e| invalid_argument(e.reason))
    }
}

/// napi-rs's words for an argument it could not convert itself (`Failed to convert napi value
/// String into rust type `f64``, `Failed to recover `Deduper` type from napi value`) in the
/// core's (`expected a number, got a string`): JavaScript names, no Rust types. Other text is
/// kept as it is. The phrasings are napi-rs 3's; `tests/node/argument_errors.test.mjs` sweeps every
/// export with wrong values and fails on any Rust word, so a napi-rs upgrade that rewords one
/// is caught.
pub fn napi_words(detail: &str) -> String {
    let expected = if let Some(t) = between(detail, "into rust type `", "`") {
        rust_type_words(t)
    } else if let Some(class) = between(detail, "Failed to recover `", "` type") {
        format!("a {class}")
    } else if let Some(list) = detail.strip_prefix("Value is none of these types ") {
        let names: Vec<String> = list
            .split(", ")
            .map(|t| t.trim().trim_matches('`'))
            .filter(|t| !t.is_empty())
            .map(rust_type_words)
            .collect();
        names.join(" or ")
    } else if let Some(kind) = between(detail, "Expect value to be ", ", but received") {
        let kind = kind.strip_prefix("Option<").and_then(|k| k.strip_suffix('>')).unwrap_or(kind);
        match js_kind_words(kind) {
            "another kind of value" => format!("a {kind}"),
            words => words.to_owned(),
        }
    } else if detail.contains("Array length") {
        "an array".to_owned()
    } else if detail.contains("TypedArray") {
        "a typed array".to_owned()
    } else if detail.starts_with("Cannot convert undefined or null to object") {
        "an object".to_owned() // V8's own, where napi-rs lists the keys of a value that has none
    } else if detail.contains("Buffer") {
        "a Buffer".to_owned()
    } else if let Some(what) = detail.strip_suffix(" cannot be represented as a serde_json::Value") {
        let got = if what.starts_with("JS functions") { "a function" } else { what };
        return fleetops::wire::wrong_type("plain data", got).detail().to_owned();
    } else {
        return detail.to_owned();
    };
    let got = detail
        .strip_prefix("Failed to convert napi value ")
        .or_else(|| detail.strip_prefix("Failed to convert JavaScript value `"))
        .or_else(|| {
            detail.strip_prefix("Expect value to be ").and_then(|d| d.split_once("but received ").map(|(_, g)| g))
        })
        .and_then(|rest| rest.split([' ', '`']).next())
        .map_or("another kind of value", js_kind_words);
    fleetops::wire::wrong_type(&expected, got).detail().to_owned()
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(start)?;
    rest.split_once(end).map(|(inside, _)| inside)
}

/// A Rust type napi-rs names as what it expected, as JavaScript calls it.
fn rust_type_words(t: &str) -> String {
    let words = match t {
        "f64" | "f32" | "u32" | "i32" | "i64" | "u64" | "u8" | "i16" | "u16" | "i8" | "usize" => "a number",
        "String" | "&str" => "a string",
        "bool" => "a boolean",
        "TypedArray<f64>" => "a Float64Array",
        "TypedArray<i64>" => "a BigInt64Array",
        "TypedArray<u64>" => "a BigUint64Array",
        "Record" | "Object" => "an object",
        t if t.starts_with("Vec<") || t.starts_with("Array<") => "an array",
        t if t.starts_with("Option<") && t.ends_with('>') => return rust_type_words(&t[7..t.len() - 1]),
        other => return format!("a {other}"),
    };
    words.to_owned()
}

/// A JavaScript value's kind in the core's words (`undefined`, `a string`).
pub fn kind_words(kind: napi::ValueType) -> &'static str {
    js_kind_words(&kind.to_string())
}

/// A JavaScript value kind as napi-rs prints it (`Undefined`, `String`), in the core's words.
fn js_kind_words(kind: &str) -> &'static str {
    match kind {
        "Undefined" => "undefined",
        "Null" => "null",
        "Boolean" => "a boolean",
        "Number" => "a number",
        "String" => "a string",
        "Symbol" => "a symbol",
        "Object" => "an object",
        "Function" => "a function",
        "BigInt" | "Bigint" => "a bigint",
        _ => "another kind of value",
    }
}
