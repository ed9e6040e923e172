//! The runbook's SLO numbers (the fleet API runbook; docs/runbooks.md) as named constants.

/// Availability objective: 99.9 % over a month.
pub const AVAILABILITY: f64 = 0.999;
/// Error-rate objective: fewer than 1 % errors (1,000 per 100,000 requests).
pub const ERROR_RATE_OBJECTIVE: f64 = 0.99;
/// API latency: p95 under 500 ms.
pub const LATENCY_P95_MS: f64 = 500.0;
/// API latency: p99 under 1000 ms.
pub const LATENCY_P99_MS: f64 = 1000.0;
/// Database query latency: p95 under 100 ms.
pub const DB_LATENCY_P95_MS: f64 = 100.0;
/// End-to-end pipeline latency alert: over 10 s (the telemetry runbook).
pub const END_TO_END_LATENCY_ALERT_MS: f64 = 10_000.0;
/// Roll back when the error rate exceeds 5 % ...
pub const ROLLBACK_ERROR_RATE: f64 = 0.05;
/// ... for more than 5 minutes.
pub const ROLLBACK_AFTER_SECONDS: f64 = 300.0;
