//! OpenSLO v1 in and out: `kind: SLO` documents (ratio and threshold indicators, inline or by
//! `indicatorRef` to a `kind: SLI`; rolling and calendar time windows with a zone; several
//! objectives; `AlertPolicy` / `AlertCondition` of kind `burnrate`) read as a tracker's spec,
//! and a spec written back as OpenSLO YAML.
//!
//! What fleetops adds that OpenSLO v1 has no field for travels in annotations: the
//! maintenance windows (`fleetops.io/maintenance`, JSON, on each SLO), the bucket width when it
//! is not a minute and no time slice gives it (`fleetops.io/resolution`), a tier's short window
//! when it is not a twelfth of the long one (`fleetops.io/short-window`, on its
//! AlertCondition) and the low-traffic guard (`fleetops.io/min-events`, on the AlertPolicy).
//! Threshold (latency) values are milliseconds. Metric sources say where other tools read the
//! data; fleetops is given the outcomes, so it checks their shape and writes its own
//! (the exposition's Prometheus counters) back. `budgetingMethod` Timeslices and
//! RatioTimeslices make each bucket a slice (`timeSliceWindow` is the tracker's resolution);
//! `alertAfter` and composite SLOs are refused.

mod alerts;
mod fields;
mod indicator;
mod read;
mod write;
mod yaml;

pub use read::read;
pub use write::write;
pub use yaml::{MAX_BYTES, MAX_DEPTH};

/// The annotation carrying a spec's maintenance windows (JSON) on each SLO.
pub const MAINTENANCE_ANNOTATION: &str = "fleetops.io/maintenance";
/// The annotation carrying the tracker's resolution (when not the default) on each SLO.
pub const RESOLUTION_ANNOTATION: &str = "fleetops.io/resolution";
/// The annotation carrying how far ahead of `now` an event may be (when not 5 min) on each SLO.
pub const MAX_FUTURE_ANNOTATION: &str = "fleetops.io/max-future";
/// The annotation carrying a tier's short window on its AlertCondition.
pub const SHORT_WINDOW_ANNOTATION: &str = "fleetops.io/short-window";
/// The annotation carrying the low-traffic guard on the AlertPolicy.
pub const MIN_EVENTS_ANNOTATION: &str = "fleetops.io/min-events";
/// A tier's short window is its long window over this when no annotation says otherwise.
pub const SHORT_WINDOW_DIVISOR: i64 = 12;
/// Threshold values are milliseconds.
const IN_MS: f64 = 1.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slo::tracker::{TrackerConfig, TrackerSpec};

    fn round_trip(config: &TrackerConfig) {
        let text = write(config, None).unwrap();
        let back = read(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).build().unwrap();
        assert_eq!(&back, config, "{text}");
    }

    #[test]
    fn specs_come_back_as_they_went() {
        round_trip(&TrackerConfig::runbook());
        let json = serde_json::json!({
            "period": "28d",
            "burn": {"preset": "pyrra", "period": "28d", "min_events": 10},
            "maintenance": [{"name": "monthly", "cron": "0 2 * * SUN#1", "duration": "2h", "timezone": "America/New_York"}],
        });
        let spec: TrackerSpec = crate::options::parse((&json).into(), crate::options::Case::Snake).unwrap();
        round_trip(&spec.build().unwrap());
        let sliced = serde_json::json!({
            "period": "7d",
            "resolution": "5m",
            "objectives": [{"name": "api", "kind": "success", "target": 0.99, "timeslices": {"slice_target": 0.95}}],
        });
        let spec: TrackerSpec = crate::options::parse((&sliced).into(), crate::options::Case::Snake).unwrap();
        round_trip(&spec.build().unwrap());
        let ratio = serde_json::json!({
            "objectives": [{"name": "api", "kind": "success", "target": 0.99, "timeslices": {"ratio": true}}],
        });
        let spec: TrackerSpec = crate::options::parse((&ratio).into(), crate::options::Case::Snake).unwrap();
        round_trip(&spec.build().unwrap());
        let coarse = serde_json::json!({"period": "week", "resolution": "10m"});
        let spec: TrackerSpec = crate::options::parse((&coarse).into(), crate::options::Case::Snake).unwrap();
        round_trip(&spec.build().unwrap());
        let ny = serde_json::json!({"period": "quarter", "timezone": "America/New_York"});
        let spec: TrackerSpec = crate::options::parse((&ny).into(), crate::options::Case::Snake).unwrap();
        round_trip(&spec.build().unwrap());
    }
}
