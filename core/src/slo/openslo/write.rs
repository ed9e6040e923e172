//! A tracker spec as OpenSLO v1 YAML: one SLO per objective (its indicator inline, reading the
//! exposition's counters), one AlertPolicy, one AlertCondition per burn tier.

use std::fmt::Write;

use super::{
    MAINTENANCE_ANNOTATION, MAX_FUTURE_ANNOTATION, MIN_EVENTS_ANNOTATION, RESOLUTION_ANNOTATION,
    SHORT_WINDOW_ANNOTATION, SHORT_WINDOW_DIVISOR,
};
use crate::error::{FleetopsError, Result};
use crate::escape::{promql, yaml::string as q};
use crate::slo::period::{CalendarUnit, Period};
use crate::slo::prometheus_rules::prom_duration;
use crate::slo::tracker::{ObjectiveKind, TrackerConfig};
use crate::time::secs_f64;

/// An OpenSLO duration, which counts whole seconds at the finest: a fraction would be cut.
fn whole(d: chrono::TimeDelta, what: &str) -> Result<String> {
    if d.subsec_nanos() != 0 {
        return Err(FleetopsError::InvalidArgument(format!(
            "{what} of {} s cannot be written in OpenSLO, which counts whole seconds",
            secs_f64(d)
        )));
    }
    Ok(prom_duration(secs_f64(d)))
}

/// The alert policy's name in the documents written.
pub const POLICY: &str = "fleetops-burn-rate";

/// `config` as OpenSLO v1 documents; the indicators read counters named with `prefix`
/// (default `fleetops`). `INVALID_ARGUMENT` for a prefix that is not a metric name, a
/// duration with a fraction of a second, or a spec whose text would pass the reader's
/// [`MAX_BYTES`](super::MAX_BYTES): what is written can always be read back.
pub fn write(config: &TrackerConfig, prefix: Option<&str>) -> Result<String> {
    let prefix = prefix.unwrap_or(crate::slo::DEFAULT_METRIC_PREFIX);
    promql::check_prefix(prefix)?;
    let window = match &config.period {
        Period::Rolling(d) => format!("    - duration: {}\n      isRolling: true\n", q(&whole(*d, "a period")?)),
        Period::Calendar { unit, tz } => {
            let d = match unit {
                CalendarUnit::Week => "1w",
                CalendarUnit::Month => "1M",
                CalendarUnit::Quarter => "1Q",
            };
            format!(
                "    - duration: {}\n      isRolling: false\n      calendar:\n        startTime: \"2020-01-01 00:00:00\"\n        timeZone: {}\n",
                q(d),
                q(tz.name())
            )
        }
    };
    let mut notes = Vec::new();
    if !config.maintenance.is_empty() {
        let json = serde_json::to_string(config.maintenance.specs()).expect("specs serialise");
        notes.push(format!("    {}: {}\n", q(MAINTENANCE_ANNOTATION), q(&json)));
    }
    if config.resolution != crate::slo::DEFAULT_RESOLUTION {
        notes.push(format!("    {}: {}\n", q(RESOLUTION_ANNOTATION), q(&whole(config.resolution, "a resolution")?)));
    }
    if config.max_future != crate::slo::tracker::DEFAULT_MAX_FUTURE {
        let d = if config.max_future.is_zero() { "0s".to_owned() } else { whole(config.max_future, "max_future")? };
        notes.push(format!("    {}: {}\n", q(MAX_FUTURE_ANNOTATION), q(&d)));
    }
    let maintenance = (!notes.is_empty()).then(|| format!("  annotations:\n{}", notes.concat()));
    let mut out = String::from("# Written by fleetops: the tracker's spec as OpenSLO v1.\n");
    for o in &config.objectives {
        let source = |metric: &str| {
            format!(
                "metricSource:\n            type: Prometheus\n            spec:\n              query: {}\n",
                q(&format!("{prefix}_{metric}{{objective={}}}", promql::string(&o.name)))
            )
        };
        let (indicator, objective) = match &o.kind {
            ObjectiveKind::Success => (
                format!(
                    "      ratioMetric:\n        counter: true\n        good:\n          {}        total:\n          {}",
                    source("slo_good_events_total"),
                    source("slo_events_total")
                ),
                format!("    - displayName: {}\n      target: {}\n", q(&o.name), o.target),
            ),
            ObjectiveKind::LatencyUnder { threshold_ms } => (
                format!("      thresholdMetric:\n        {}", source("slo_events_total").replace("\n  ", "\n")),
                format!("    - displayName: {}\n      op: lte\n      value: {threshold_ms}\n      target: {}\n", q(&o.name), o.target),
            ),
        };
        let slice = q(&whole(config.resolution, "a resolution")?);
        let sliced = |o: &str| format!("{o}      timeSliceWindow: {slice}\n");
        let (method, objective) = match o.timeslices {
            None => ("Occurrences", objective),
            Some(t) => match t.slice_target {
                Some(target) => ("Timeslices", sliced(&format!("{objective}      timeSliceTarget: {target}\n"))),
                None => ("RatioTimeslices", sliced(&objective)),
            },
        };
        let _ = write!(
            out,
            "---\napiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: {name}\n{notes}spec:\n  service: {service}\n  indicator:\n    metadata:\n      name: {name}\n    spec:\n{indicator}  timeWindow:\n{window}  budgetingMethod: {method}\n  objectives:\n{objective}  alertPolicies:\n    - {policy}\n",
            name = q(&o.name),
            notes = maintenance.clone().unwrap_or_default(),
            service = q(prefix),
            policy = q(POLICY),
        );
    }
    let guard = if config.burn.min_events == 1 {
        String::new()
    } else {
        format!("  annotations:\n    {}: {}\n", q(MIN_EVENTS_ANNOTATION), q(&config.burn.min_events.to_string()))
    };
    let _ = write!(out, "---\napiVersion: openslo/v1\nkind: AlertPolicy\nmetadata:\n  name: {}\n{guard}spec:\n  alertWhenBreaching: true\n  conditions:\n", q(POLICY));
    for t in &config.burn.tiers {
        let _ = writeln!(out, "    - conditionRef: {}", q(&t.name));
    }
    for t in &config.burn.tiers {
        let (long_text, short_text) = (whole(t.long, "a burn window")?, whole(t.short, "a burn window")?);
        let (long, short) = (secs_f64(t.long), secs_f64(t.short));
        let notes = if (long as i64 / SHORT_WINDOW_DIVISOR).max(1) == short as i64 {
            String::new()
        } else {
            format!("  annotations:\n    {}: {}\n", q(SHORT_WINDOW_ANNOTATION), q(&short_text))
        };
        let _ = write!(
            out,
            "---\napiVersion: openslo/v1\nkind: AlertCondition\nmetadata:\n  name: {}\n{notes}spec:\n  severity: {}\n  condition:\n    kind: burnrate\n    op: gt\n    threshold: {}\n    lookbackWindow: {}\n",
            q(&t.name),
            q(&t.severity),
            t.factor,
            q(&long_text)
        );
    }
    if out.len() > super::MAX_BYTES {
        return Err(FleetopsError::InvalidArgument(format!(
            "the spec would take {} bytes of OpenSLO; the reader takes at most {}",
            out.len(),
            super::MAX_BYTES
        )));
    }
    Ok(out)
}
