//! Node bindings of fleetops: argument parsing and result conversion only.
// napi-derive registers exports only outside cfg(test); `clippy --all-targets` checks this lib
// as a test too, where every export would look unused.
#![cfg_attr(test, allow(dead_code))]
#![deny(clippy::all)]

mod arg;
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
#[napi(js_name = "_panicForTest", ts_args_type = "message: string")]
pub fn panic_for_test(message: napi::bindgen_prelude::Unknown<'_>) -> errors::Result<()> {
    crate::errors::guard(|| errors::IntoJs::js(fleetops::error::panic_for_test(&arg::text(&message, "message")?)))
}

/// Test hook: a result that fails to convert to JavaScript (`"error"`) or panics while
/// converting (`"panic"`), after the export's own guard has returned: throws `INTERNAL` (the
/// process lives), as any export's result would.
#[doc(hidden)]
#[napi(js_name = "_unconvertibleForTest", ts_args_type = "how: string", ts_return_type = "never")]
pub fn unconvertible_for_test(how: napi::bindgen_prelude::Unknown<'_>) -> errors::Result<jsser::Js> {
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
    crate::errors::guard(|| results::js(Unconvertible(arg::text(&how, "how")?)))
}

/// The message of the `INVALID_ARGUMENT` error `fleetops.js` throws for a call napi refused
/// before fleetops read it (a method called on another object), napi's error as its cause.
#[napi(js_name = "_unreadableCallMessage")]
pub fn unreadable_call_message() -> String {
    fleetops::wire::unreadable_call().to_string()
}
