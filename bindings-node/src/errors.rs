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
    /// napi failing on a value already checked (an engine error, not the caller's): `INTERNAL`.
    fn js(self) -> Result<T> {
        self.map_err(|e| to_js(FleetopsError::Internal(format!("napi: {}", e.reason))))
    }
}

/// A JavaScript value's kind in the core's words (`undefined`, `a string`).
pub fn kind_words(kind: napi::ValueType) -> &'static str {
    use napi::ValueType as T;
    match kind {
        T::Undefined => "undefined",
        T::Null => "null",
        T::Boolean => "a boolean",
        T::Number => "a number",
        T::String => "a string",
        T::Symbol => "a symbol",
        T::Object => "an object",
        T::Function => "a function",
        T::BigInt => "a bigint",
        _ => "another kind of value",
    }
}
