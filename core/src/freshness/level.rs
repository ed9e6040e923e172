//! dbt's freshness levels: pass < warn < error.

use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};

/// How bad a freshness result is, ordered so that `max` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Within every limit.
    Pass,
    /// Past `warn_after` (or an outcome configured to warn).
    Warn,
    /// Past `error_after` (or an outcome configured to error).
    Error,
}

impl Level {
    /// Parses `pass`, `warn` or `error`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "pass" => Ok(Self::Pass),
            "warn" => Ok(Self::Warn),
            "error" => Ok(Self::Error),
            other => {
                Err(FleetopsError::InvalidArgument(format!("unknown level '{other}' (levels are pass, warn, error)")))
            }
        }
    }

    /// The level's name as dbt writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Warn => "warn",
            Self::Error => "error",
        }
    }
}
