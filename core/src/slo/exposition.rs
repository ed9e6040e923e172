//! A tracker's status in the Prometheus text exposition format (version 0.0.4), for a
//! `/metrics` endpoint: SLI, budget remaining, burn rate per window, firing tiers, latency
//! quantiles and event counts, each metric with its HELP and TYPE lines.

use std::fmt::Write;

use super::budget::Budget;
use super::tracker::TrackerStatus;

use crate::escape::exposition::{help as help_text, label_value as label};

/// Prometheus renders floats in Go's style; non-finite values never occur in a status.
fn num(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

struct Family<'a> {
    out: &'a mut String,
}

impl Family<'_> {
    fn head(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {name} {}\n# TYPE {name} {kind}", help_text(help));
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", label(v))).collect();
        let braces = if labels.is_empty() { String::new() } else { format!("{{{}}}", labels.join(",")) };
        let _ = writeln!(self.out, "{name}{braces} {}", num(value));
    }
}

/// The metric name prefix when none is given.
pub const DEFAULT_METRIC_PREFIX: &str = "fleetops";

impl TrackerStatus {
    /// The status as Prometheus text; every metric name starts with `prefix` (default
    /// [`DEFAULT_METRIC_PREFIX`]; `INVALID_ARGUMENT` when it is not a metric name).
    pub fn prometheus(&self, prefix: Option<&str>) -> crate::Result<String> {
        let prefix = prefix.unwrap_or(DEFAULT_METRIC_PREFIX);
        crate::escape::promql::check_prefix(prefix)?;
        let mut out = String::new();
        let mut f = Family { out: &mut out };
        let n = |s: &str| format!("{prefix}_{s}");
        let budgets: Vec<(&str, f64, &crate::slo::EventBudget)> = self
            .objectives
            .iter()
            .filter_map(|o| match &o.budget {
                Budget::Ok(b) => Some((o.name.as_str(), o.target, b)),
                Budget::NoData { .. } => None,
            })
            .collect();
        f.head(&n("slo_objective"), "gauge", "The objective's target (share of good events).");
        for o in &self.objectives {
            f.sample(&n("slo_objective"), &[("objective", &o.name)], o.target);
        }
        f.head(
            &n("slo_events_total"),
            "counter",
            "Events counted toward the objective since the tracker started, outside maintenance windows.",
        );
        for o in &self.objectives {
            f.sample(&n("slo_events_total"), &[("objective", &o.name)], o.counted.total as f64);
        }
        f.head(&n("slo_good_events_total"), "counter", "Of those, the events that met the objective.");
        for o in &self.objectives {
            f.sample(&n("slo_good_events_total"), &[("objective", &o.name)], o.counted.good as f64);
        }
        f.head(&n("slo_maintenance"), "gauge", "1 while a maintenance window is in force, else 0.");
        f.sample(&n("slo_maintenance"), &[], f64::from(u8::from(self.excluded.in_maintenance)));
        f.head(&n("slo_sli"), "gauge", "Share of good events over the SLO period so far.");
        for (name, _, b) in &budgets {
            f.sample(&n("slo_sli"), &[("objective", name)], b.sli);
        }
        f.head(
            &n("slo_error_budget_remaining_ratio"),
            "gauge",
            "Error budget left over the period (1 = untouched, below 0 = overspent).",
        );
        for (name, _, b) in &budgets {
            f.sample(&n("slo_error_budget_remaining_ratio"), &[("objective", name)], b.remaining_percent / 100.0);
        }
        f.head(&n("slo_error_budget_remaining_events"), "gauge", "Bad events the budget still allows this period.");
        for (name, _, b) in &budgets {
            f.sample(&n("slo_error_budget_remaining_events"), &[("objective", name)], b.remaining_events);
        }
        f.head(&n("slo_burn_rate"), "gauge", "Error-budget burn rate over a window (1 = spending exactly the budget).");
        for o in &self.objectives {
            let mut seen: Vec<f64> = vec![];
            for t in &o.burn {
                for (secs, rate) in
                    [(t.long_window_seconds, t.long_burn_rate), (t.short_window_seconds, t.short_burn_rate)]
                {
                    if let (false, Some(rate)) = (seen.contains(&secs), rate) {
                        seen.push(secs);
                        f.sample(
                            &n("slo_burn_rate"),
                            &[("objective", &o.name), ("window", &super::prometheus_rules::prom_duration(secs))],
                            rate,
                        );
                    }
                }
            }
        }
        f.head(
            &n("slo_burn_alert_firing"),
            "gauge",
            "1 when a burn-rate tier fires (both its windows above its factor).",
        );
        for o in &self.objectives {
            for t in &o.burn {
                f.sample(
                    &n("slo_burn_alert_firing"),
                    &[("objective", &o.name), ("tier", &t.tier), ("severity", &t.severity)],
                    t.firing as u8 as f64,
                );
            }
        }
        f.head(&n("request_latency_ms"), "gauge", "Request latency quantiles over the SLO period, in ms.");
        let l = &self.latency;
        for (q, v) in [("0.5", l.p50_ms), ("0.95", l.p95_ms), ("0.99", l.p99_ms), ("0.999", l.p999_ms)] {
            if let Some(v) = v {
                f.sample(&n("request_latency_ms"), &[("quantile", q)], v);
            }
        }
        f.head(&n("requests_recorded_total"), "counter", "Events the tracker accepted.");
        f.sample(&n("requests_recorded_total"), &[], self.recorded as f64);
        f.head(&n("requests_dropped_total"), "counter", "Events the tracker dropped, by reason.");
        f.sample(&n("requests_dropped_total"), &[("reason", "too_old")], self.dropped.too_old as f64);
        f.sample(&n("requests_dropped_total"), &[("reason", "future")], self.dropped.future as f64);
        Ok(out)
    }
}
