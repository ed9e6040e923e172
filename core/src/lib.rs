//! # fleetops
//!
//! The judgement calls of fleet-platform runbooks as tested code, with the same results from
//! Rust, Python and Node.
//!
//! A short tour of the four capabilities (each has a runnable example in `core/examples/`, and
//! `fleetops::report` puts them together as the runbooks' morning checklist):
//!
//! ```
//! use chrono::TimeDelta;
//! use fleetops::{dedup, freshness, slo, storm, time::parse_timestamp};
//!
//! let now = parse_timestamp("2026-11-22T08:00:00Z")?;
//! // Freshness: the runbook's tiers (60/360/720 min) for a table last loaded 13 h ago.
//! let table = freshness::FreshnessPolicy::runbook().classify("trip_events", Some(now - TimeDelta::hours(13)), now);
//! assert_eq!((table.class.as_str(), table.level), ("POOR", freshness::Level::Error));
//! // SLOs: 600 failures in a million requests use 60 % of a 99.9 % budget.
//! let counts = slo::CountsSpec { good: None, bad: Some(600.0), total: Some(1e6) }.build()?;
//! let budget = slo::event_budget(slo::Objective::new(0.999)?, counts, None)?;
//! assert!(matches!(budget, slo::Budget::Ok(b) if (b.used_percent - 60.0).abs() < 1e-9));
//! // Storms: the 21st alert of a truck within 5 minutes starts a storm; the rest are held back.
//! let mut storms = storm::StormDetector::new(storm::StormConfig::default())?;
//! let actions: Vec<_> = (0..25)
//!     .map(|i| storms.observe(&storm::Alert { key: "TRK-017", labels: &[], at: now + TimeDelta::seconds(i), firing: true }, None).action)
//!     .collect();
//! assert_eq!((actions[19], actions[20]), (storm::Action::Notify, storm::Action::Suppress));
//! // De-duplication: a replayed event is a duplicate, in a stream and in a batch.
//! let mut stream = dedup::Deduper::new(dedup::DedupConfig::new(TimeDelta::hours(24)))?;
//! assert_eq!(stream.observe(42, now, None)?, dedup::Outcome::First);
//! assert_eq!(stream.observe(42, now, None)?, dedup::Outcome::Duplicate);
//! assert_eq!(dedup::keep_mask(&[7, 8, 7], dedup::Keep::First, None)?, [true, true, false]);
//! // Every error is typed and has a stable code shared with Python and Node.
//! assert_eq!(parse_timestamp("2026-11-22 08:00").unwrap_err().code(), "NAIVE_TIMESTAMP");
//! # Ok::<(), fleetops::FleetopsError>(())
//! ```
//!
//! ## Features
//!
//! - `cli` (off by default): the `fleetops` command-line tool (`fleetops report`, the morning
//!   checklist) and its dependencies (clap, csv, indicatif, toml): `cargo install fleetops
//!   --features cli`. A crate that only calls the library, as the Python and Node bindings do,
//!   depends on it plainly and gets none of them:
//!
//! ```toml
//! [dependencies]
//! fleetops = "0.1"
//! ```

#![warn(missing_docs)]

pub mod columns;
pub mod dedup;
pub mod demo;
pub mod error;
pub mod escape;
pub mod freshness;
pub mod health;
pub mod maintenance;
mod mem;
// For the bindings and the code generator (columns, instants and options as the bindings hand them over): public so that they can
// use it, hidden because it is not the library's API and may change with them.
#[doc(hidden)]
pub mod native;
// For the bindings and the code generator (plain data from Python keyword arguments and JavaScript objects): public so that they can
// use it, hidden because it is not the library's API and may change with them.
#[doc(hidden)]
pub mod options;
pub mod report;
mod scan;
// For the bindings and the code generator (the JSON Schemas `cargo xtask codegen` generates the declarations from): public so that they can
// use it, hidden because it is not the library's API and may change with them.
#[doc(hidden)]
pub mod schema;
pub mod slo;
pub mod snapshot;
pub mod storm;
pub mod time;
// For the bindings and the code generator (result serialisation and the bindings' argument messages): public so that they can
// use it, hidden because it is not the library's API and may change with them.
#[doc(hidden)]
pub mod wire;

pub use error::{FleetopsError, Result};
