//! The runbook's health endpoint (the fleet API runbook): each dependency check is `ok`, `degraded` or
//! `down`, and the service is `healthy`, `degraded` or `down` as its worst check. A check that
//! failed is down; one that answered slower than its limit is degraded (the runbook's example:
//! a database answering in 1,200 ms); the limit defaults to 1,000 ms.

use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};

/// The default latency above which a check is degraded.
pub const DEFAULT_DEGRADED_ABOVE_MS: f64 = 1_000.0;

/// How long a caller waits for one dependency check before it counts as down (the runbook's
/// health endpoint: 5 s).
pub const DEFAULT_CHECK_TIMEOUT_MS: u32 = 5_000;

/// One check's outcome as measured by the caller.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
pub struct CheckInput {
    /// The dependency, e.g. `database`.
    pub name: String,
    /// Whether it answered at all.
    pub ok: bool,
    /// How long it took (ms), if timed.
    #[serde(default)]
    pub latency_ms: Option<f64>,
    /// Latency above which it is degraded (default 1,000 ms).
    #[serde(default)]
    pub degraded_above_ms: Option<f64>,
    /// The caller's words for a check that answered (a detail). A failed check's message is
    /// always the fixed `<name> is down`: raw errors go to the server's log, not to clients.
    #[serde(default)]
    pub message: Option<String>,
    /// Anything else to pass through (connections, memory figures).
    #[serde(default)]
    pub details: Option<serde_json::Value>,
}

/// A check's status, ordered so that `max` is the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// Answered in time.
    Ok,
    /// Answered slowly.
    Degraded,
    /// Did not answer.
    Down,
}

/// One judged check.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CheckResult {
    /// Its status.
    pub status: CheckStatus,
    /// Why.
    pub message: String,
    /// Its latency in ms, if timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency: Option<f64>,
    /// Passed through from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// The endpoint's answer.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Health {
    /// `healthy`, `degraded` or `down`.
    #[schemars(with = "ServiceStatus")]
    pub status: &'static str,
    /// The HTTP status to answer with: 200, or 503 when down.
    pub http_status: u16,
    /// Per check by name, in input order.
    #[serde(serialize_with = "crate::wire::ordered_map")]
    #[schemars(with = "std::collections::BTreeMap<String, CheckResult>")]
    pub checks: Vec<(String, CheckResult)>,
}

/// The service's status as declared in the schema (the words of [`Health::status`]).
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum ServiceStatus {
    Healthy,
    Degraded,
    Down,
}

/// Judges `checks`; no checks at all is healthy (a liveness probe). Latencies must be finite
/// and non-negative, names unique.
pub fn assess(checks: &[CheckInput]) -> Result<Health> {
    let mut out: Vec<(String, CheckResult)> = Vec::with_capacity(checks.len());
    let mut worst = CheckStatus::Ok;
    let mut names = std::collections::HashSet::with_capacity(checks.len());
    for c in checks {
        if !names.insert(c.name.as_str()) {
            return Err(FleetopsError::InvalidArgument(format!("check '{}' appears twice", c.name)));
        }
        let limit = c.degraded_above_ms.unwrap_or(DEFAULT_DEGRADED_ABOVE_MS);
        for (what, v) in [("latency_ms", c.latency_ms), ("degraded_above_ms", Some(limit))] {
            if let Some(v) = v.filter(|v| !v.is_finite() || *v < 0.0) {
                return Err(FleetopsError::InvalidArgument(format!(
                    "check '{}': {what} must be a number >= 0, not {v}",
                    c.name
                )));
            }
        }
        let (status, why) = match (c.ok, c.latency_ms) {
            (false, _) => (CheckStatus::Down, format!("{} is down", c.name)),
            (true, Some(ms)) if ms > limit => {
                (CheckStatus::Degraded, format!("{} responding slowly ({ms:.0} ms > {limit:.0} ms)", c.name))
            }
            (true, _) => (CheckStatus::Ok, format!("{} healthy", c.name)),
        };
        worst = worst.max(status);
        // A failed check's own words (a driver's error, with a connection string and its
        // password as often as not) never reach the client: the caller logs them.
        let message = if c.ok { c.message.clone().unwrap_or(why) } else { why };
        let result = CheckResult { status, message, latency: c.latency_ms, details: c.details.clone() };
        out.push((c.name.clone(), result));
    }
    let (status, http_status) = match worst {
        CheckStatus::Ok => ("healthy", 200),
        CheckStatus::Degraded => ("degraded", 200),
        CheckStatus::Down => ("down", 503),
    };
    Ok(Health { status, http_status, checks: out })
}

/// The server-log line a health endpoint writes before a failed check's error (the error
/// itself goes to the log, never to clients): `fleetops health check <name> failed:`, the name
/// made safe for a terminal.
pub fn check_failed_log(name: &str) -> String {
    format!("fleetops health check {} failed:", crate::escape::terminal::value(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, ok: bool, latency: Option<f64>) -> CheckInput {
        CheckInput { name: name.into(), ok, latency_ms: latency, degraded_above_ms: None, message: None, details: None }
    }

    #[test]
    fn worst_check_decides_like_the_runbook_example() {
        let h = assess(&[check("database", true, Some(15.0)), check("redis", true, Some(5.0))]).unwrap();
        assert_eq!((h.status, h.http_status), ("healthy", 200));
        let h = assess(&[check("database", true, Some(1200.0)), check("redis", true, Some(5.0))]).unwrap();
        assert_eq!(h.status, "degraded");
        assert_eq!(h.checks[0].1.message, "database responding slowly (1200 ms > 1000 ms)");
        let h = assess(&[check("database", true, Some(1000.0)), check("redis", false, None)]).unwrap();
        assert_eq!((h.status, h.http_status), ("down", 503));
        assert_eq!(
            (h.checks[0].0.as_str(), h.checks[0].1.status),
            ("database", CheckStatus::Ok),
            "1000 ms is not above the limit"
        );
        assert_eq!(assess(&[]).unwrap().status, "healthy");
        let leak = CheckInput {
            message: Some("postgres://fleet_admin:S3cr3t-pw@db: refused".into()),
            ..check("db", false, None)
        };
        assert_eq!(assess(&[leak]).unwrap().checks[0].1.message, "db is down");
    }

    #[test]
    fn bad_checks_are_refused() {
        assert_eq!(assess(&[check("db", true, Some(f64::NAN))]).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(assess(&[check("db", true, Some(-1.0))]).unwrap_err().code(), "INVALID_ARGUMENT");
        assert_eq!(assess(&[check("db", true, None), check("db", true, None)]).unwrap_err().code(), "INVALID_ARGUMENT");
    }
}
