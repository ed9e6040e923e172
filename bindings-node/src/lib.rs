//! Node bindings of fleetops: argument parsing and result conversion only.

#![deny(clippy::all)]

mod convert;
mod dedup;
mod errors;
mod freshness;
mod health;
mod keys;
mod results;
mod slo;
mod storm;

use napi_derive::napi;

/// Every error code fleetops throws (`err.code`).
#[napi]
pub fn error_codes() -> Vec<&'static str> {
    fleetops::error::ERROR_KINDS.iter().map(|(code, _)| *code).collect()
}

/// The library version.
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
