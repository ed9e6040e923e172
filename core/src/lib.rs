//! # fleetops
//!
//! The judgement calls of fleet-platform runbooks as tested code, with the same results from
//! Rust, Python and Node.
//!
//! A short tour:
//!
//! ```
//! use fleetops::freshness::{classify_tables, CadenceOptions, FreshnessPolicy, TableInput};
//! use fleetops::time::parse_timestamp;
//!
//! // The runbooks' freshness policy: tiers 60/360/720 min, warn > 360 min, error > 720 min,
//! // stale after 3 h, 5 min of clock skew tolerated.
//! let policy = FreshnessPolicy::runbook();
//! let now = parse_timestamp("2026-11-22T08:00:00Z")?;
//! let tables = [
//!     TableInput::new("packages", Some(parse_timestamp("2026-11-22T07:30:00Z")?)),
//!     TableInput::new("tracking_events", Some(parse_timestamp("2026-11-21T18:00:00Z")?)),
//!     TableInput::new("trip_events", None), // never loaded: MISSING, not a huge fake age
//! ];
//! let report = classify_tables(&policy, &tables, now, &CadenceOptions::default())?;
//! assert_eq!(report.results[0].class, "EXCELLENT");
//! assert_eq!(report.results[1].class, "POOR");
//! assert_eq!(report.results[2].class, "MISSING");
//! assert_eq!(report.summary.error, ["tracking_events", "trip_events"]);
//! // Every error is typed and has a stable code shared with Python and Node.
//! let err = fleetops::time::parse_timestamp("2026-11-22 08:00").unwrap_err();
//! assert_eq!(err.code(), "NAIVE_TIMESTAMP");
//! # Ok::<(), fleetops::FleetopsError>(())
//! ```

#![warn(missing_docs)]

pub mod dedup;
pub mod demo;
pub mod error;
pub mod freshness;
pub mod health;
pub mod report;
pub mod slo;
pub mod snapshot;
pub mod storm;
pub mod time;
mod wire;

pub use error::{FleetopsError, Result};
