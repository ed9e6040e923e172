//! An SLO's indicator (a ratio of good to total, or a latency threshold) and time window.

use std::collections::HashMap;

use super::fields::{seconds, seq, Fields};
use super::yaml::{spec_error, Node};
use crate::error::Result;

/// What an SLI measures.
pub(super) enum Indicator {
    Ratio,
    Threshold,
}

pub(super) fn metric_source(node: &Node, path: &str) -> Result<()> {
    let mut f = Fields::of(node, path)?;
    let line = f.line;
    let Some(src) = f.take("metricSource") else {
        return Err(spec_error(line, format!("{path}.metricSource is required")));
    };
    let mut s = Fields::of(src, &f.at("metricSource"))?;
    // Where another tool reads the data: fleetops is fed the outcomes themselves.
    s.informational(&["metricSourceRef", "type", "spec"]);
    s.done()?;
    f.done()
}

pub(super) fn indicator_spec(node: &Node, path: &str) -> Result<Indicator> {
    let mut f = Fields::of(node, path)?;
    f.informational(&["description"]);
    let ratio = f.take("ratioMetric");
    let threshold = f.take("thresholdMetric");
    let out = match (ratio, threshold) {
        (Some(r), None) => {
            let mut r = Fields::of(r, &f.at("ratioMetric"))?;
            r.unsupported("rawType", "fleetops counts good and total events, not a precomputed ratio")?;
            r.unsupported("raw", "fleetops counts good and total events, not a precomputed ratio")?;
            r.flag("counter")?;
            let (good, bad, total) = (r.take("good"), r.take("bad"), r.take("total"));
            let line = r.line;
            if total.is_none() || good.is_some() == bad.is_some() {
                return Err(spec_error(line, format!("{} needs total and one of good or bad", f.at("ratioMetric"))));
            }
            for (k, n) in [("good", good), ("bad", bad), ("total", total)] {
                if let Some(n) = n {
                    metric_source(n, &r.at(k))?;
                }
            }
            r.done()?;
            Indicator::Ratio
        }
        (None, Some(t)) => {
            metric_source(t, &f.at("thresholdMetric"))?;
            Indicator::Threshold
        }
        _ => return Err(spec_error(f.line, format!("{path} needs one of ratioMetric or thresholdMetric"))),
    };
    f.done()?;
    Ok(out)
}

/// The period as `(period, timezone)` tracker options.
pub(super) fn time_window(node: &Node, path: &str) -> Result<(String, Option<String>)> {
    let items = seq(node, path)?;
    let [w] = items else {
        return Err(spec_error(node.line(), format!("{path} must hold exactly one window")));
    };
    let mut f = Fields::of(w, &format!("{path}[0]"))?;
    let (d, line) = f.need("duration")?;
    let rolling = f.flag("isRolling")?.unwrap_or(false);
    let out = if rolling {
        f.unsupported("calendar", "a rolling window has no calendar")?;
        (crate::slo::prometheus_rules::prom_duration(seconds(&d, line, "timeWindow duration")? as f64), None)
    } else {
        let unit = match d.as_str() {
            "1w" => "week",
            "1M" => "month",
            "1Q" | "3M" => "quarter",
            _ => return Err(spec_error(line, format!("a calendar window of '{d}' is not supported (1w, 1M or 1Q)"))),
        };
        let mut tz = None;
        if let Some(c) = f.take("calendar") {
            let mut c = Fields::of(c, &f.at("calendar"))?;
            // Calendar periods start at the unit's first midnight in the zone; a start time
            // only anchors that.
            c.informational(&["startTime"]);
            if let Some((t, line)) = c.text("timeZone")? {
                crate::time::parse_timezone(&t).map_err(|e| spec_error(line, e.detail()))?;
                tz = Some(t);
            }
            c.done()?;
        }
        (unit.to_owned(), tz)
    };
    f.done()?;
    Ok(out)
}

/// The indicator of the SLO being read: inline (`indicator`) or a named SLI (`indicatorRef`).
pub(super) fn of_slo(f: &mut Fields<'_>, path: &str, slis: &HashMap<&str, &Node>) -> Result<Indicator> {
    let line = f.line;
    match (f.take("indicator"), f.text("indicatorRef")?) {
        (Some(inline), None) => {
            let mut i = Fields::of(inline, &f.at("indicator"))?;
            i.informational(&["metadata"]);
            let ln = i.line;
            let spec = i.take("spec").ok_or_else(|| spec_error(ln, format!("{path}.indicator.spec is required")))?;
            let out = indicator_spec(spec, &i.at("spec"))?;
            i.done()?;
            Ok(out)
        }
        (None, Some((name, line))) => {
            let spec = slis.get(name.as_str()).ok_or_else(|| spec_error(line, format!("no SLI named '{name}'")))?;
            indicator_spec(spec, &format!("SLI '{name}'.spec"))
        }
        _ => Err(spec_error(line, format!("{path} needs one of indicator or indicatorRef"))),
    }
}
