//! Node bindings of fleetops: argument parsing and result conversion only.
// napi-derive registers exports only outside cfg(test); `clippy --all-targets` checks this lib
// as a test too, where every export would look unused.
#![cfg_attr(test, allow(dead_code))]
#![deny(clippy::all)]

mod convert;
mod dedup;
mod errors;
mod external;
mod freshness;
mod health;
mod jsser;
mod keys;
mod results;
mod slo;
mod storm;

use napi_derive::napi;

/// Every error code fleetops throws (`err.code`).
#[napi]
pub fn error_codes() -> errors::Result<Vec<&'static str>> {
    crate::errors::guard(|| Ok(fleetops::error::ERROR_KINDS.iter().map(|(code, _)| *code).collect()))
}

/// The library version.
#[napi]
pub fn version() -> errors::Result<&'static str> {
    crate::errors::guard(|| Ok(env!("CARGO_PKG_VERSION")))
}

/// Test hook: panics inside the core on purpose; throws an `INTERNAL` error (the process lives).
#[doc(hidden)]
#[napi(js_name = "_panicForTest")]
pub fn panic_for_test(message: String) -> errors::Result<()> {
    crate::errors::guard(|| errors::IntoJs::js(fleetops::error::panic_for_test(&message)))
}

/// Test hook: a result that fails to convert to JavaScript (`"error"`) or panics while
/// converting (`"panic"`), after the export's own guard has returned: throws `INTERNAL` (the
/// process lives), as any export's result would.
#[doc(hidden)]
#[napi(js_name = "_unconvertibleForTest", ts_return_type = "never")]
pub fn unconvertible_for_test(how: String) -> errors::Result<jsser::Js> {
    /// A value whose serialization fails or panics.
    struct Unconvertible(String);
    impl serde::Serialize for Unconvertible {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            if self.0 == "panic" {
                panic!("a result's serialization panicked on purpose");
            }
            Err(serde::ser::Error::custom("a result that cannot convert, on purpose"))
        }
    }
    crate::errors::guard(|| results::js(Unconvertible(how)))
}

/// The message of an `INVALID_ARGUMENT` error with `detail`, as the core words it: what
/// `fleetops.js` throws for an argument napi could not convert (a string where a number goes).
#[napi(js_name = "_invalidArgumentMessage")]
pub fn invalid_argument_message(detail: String) -> String {
    fleetops::FleetopsError::InvalidArgument(errors::napi_words(&detail)).to_string()
}

/// The message of the `INVALID_ARGUMENT` error for a string that is not valid Unicode at `at`:
/// what `fleetops.js` throws for a lone surrogate before napi would replace it.
#[napi(js_name = "_notUnicodeMessage")]
pub fn not_unicode_message(at: String) -> String {
    fleetops::wire::not_unicode(&at).to_string()
}

/// The message of the `INVALID_ARGUMENT` error for option names a call does not know: what
/// `fleetops.js` throws where napi would ignore them (`option-keys.json` lists the known ones).
#[napi(js_name = "_unknownOptionsMessage")]
pub fn unknown_options_message(names: Vec<String>) -> String {
    fleetops::wire::unknown_options(&names).to_string()
}
