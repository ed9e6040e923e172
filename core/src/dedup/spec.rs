//! The loose form of a [`DedupConfig`] as bindings, config files and test vectors give it.
//! Defaults live here, once, for every language.

use serde::Deserialize;

use crate::error::{FleetopsError, Result};
use crate::freshness::DurationSpec;

use super::config::{DedupConfig, DedupMode};

/// Options of a de-duplicator; only `horizon` is required.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeduperSpec {
    /// How long a key is remembered (event time).
    pub horizon: Option<DurationSpec>,
    /// Default 0.
    pub allowed_lateness: Option<DurationSpec>,
    /// Default 5 minutes.
    pub max_future: Option<DurationSpec>,
    /// Exact mode's key cap; default none.
    pub max_keys: Option<u64>,
    /// `exact` (default) or `bloom`.
    pub mode: Option<String>,
    /// Bloom mode: keys per horizon the first filter is sized for; default 1,000,000. Exact
    /// mode: the live keys the table is sized for up front (24.6 bytes each); default none.
    pub expected_keys: Option<u64>,
    /// Bloom mode: false-positive rate; default 0.01.
    pub fpr: Option<f64>,
}

impl DeduperSpec {
    /// The checked configuration (checked again, fully, by [`Deduper::new`](super::Deduper::new)).
    pub fn build(&self) -> Result<DedupConfig> {
        let horizon = self
            .horizon
            .as_ref()
            .ok_or_else(|| FleetopsError::InvalidDuration("a horizon is required".into()))?
            .to_delta()?;
        let mut c = DedupConfig::new(horizon);
        if let Some(d) = &self.allowed_lateness {
            c.allowed_lateness = d.to_delta()?;
        }
        if let Some(d) = &self.max_future {
            c.max_future = d.to_delta()?;
        }
        c.max_keys = self.max_keys.map(|k| k as usize);
        c.mode = match self.mode.as_deref() {
            None | Some("exact") => DedupMode::Exact,
            Some("bloom") => DedupMode::Bloom,
            Some(other) => {
                return Err(FleetopsError::InvalidArgument(format!("mode must be 'exact' or 'bloom', not {other:?}")))
            }
        };
        if let Some(n) = self.expected_keys {
            c.expected_keys = n;
            // Exact mode sizes its table for them at the start.
            if c.mode == DedupMode::Exact {
                c.exact_capacity = Some(n);
            }
        }
        if let Some(p) = self.fpr {
            c.fpr = p;
        }
        Ok(c)
    }
}
