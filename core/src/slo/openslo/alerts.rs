//! Alert policies and their burn-rate conditions as burn tiers: inline or by name, with the
//! short window an annotation states (or a twelfth of the long one).

use std::collections::HashMap;

use super::fields::{metadata, seconds, seq, text_of, Fields, Notes};
use super::yaml::{spec_error, Node};
use super::{MIN_EVENTS_ANNOTATION, SHORT_WINDOW_ANNOTATION, SHORT_WINDOW_DIVISOR};
use crate::error::Result;
use crate::slo::spec::BurnTierSpec;

/// The short window an AlertCondition's annotation states, if any.
pub(super) fn short_of(notes: &Notes) -> Option<(String, usize)> {
    notes.get(SHORT_WINDOW_ANNOTATION).cloned()
}

/// A burn-rate condition as a tier named `name`: its lookback window is the long window, the
/// short one is `short` (an annotation) or a twelfth of it (the SRE Workbook's pairs).
pub(super) fn condition(node: &Node, name: &str, path: &str, short: Option<(String, usize)>) -> Result<BurnTierSpec> {
    let mut f = Fields::of(node, path)?;
    f.informational(&["description"]);
    let severity = f.text("severity")?.map(|(s, _)| s);
    let line = f.line;
    let c = f.take("condition").ok_or_else(|| spec_error(line, format!("{path}.condition is required")))?;
    let mut c = Fields::of(c, &f.at("condition"))?;
    let (kind, line) = c.need("kind")?;
    if kind != "burnrate" {
        return Err(spec_error(line, format!("condition kind '{kind}' is not supported (burnrate)")));
    }
    if let Some((op, line)) = c.text("op")? {
        if op != "gt" && op != "gte" {
            return Err(spec_error(line, format!("a burn-rate condition's op must be gt or gte, not '{op}'")));
        }
    }
    let line = c.line;
    let (factor, fline) =
        c.number("threshold")?.ok_or_else(|| spec_error(line, format!("{} is required", c.at("threshold"))))?;
    if factor <= 0.0 {
        return Err(spec_error(fline, format!("{} {factor} must be above 0", c.at("threshold"))));
    }
    let (lookback, line) = c.need("lookbackWindow")?;
    let long = seconds(&lookback, line, "lookbackWindow")?;
    c.unsupported("alertAfter", "fleetops judges a long and a short window together and has no pending period")?;
    c.done()?;
    f.done()?;
    let short = match short {
        Some((s, at)) => seconds(&s, at, SHORT_WINDOW_ANNOTATION)?,
        None => (long / SHORT_WINDOW_DIVISOR).max(1),
    };
    if short > long {
        return Err(spec_error(
            line,
            format!("{SHORT_WINDOW_ANNOTATION} {short} s is longer than lookbackWindow {long} s"),
        ));
    }
    crate::slo::check_name("tier", name).map_err(|e| spec_error(line, e.detail()))?;
    Ok(BurnTierSpec { name: name.to_owned(), severity, long: text_of(long), short: text_of(short), factor })
}

/// A whole-number annotation (`fleetops.io/min-events`).
pub(super) fn annotation_count(notes: &Notes, key: &str) -> Result<Option<u64>> {
    notes
        .get(key)
        .map(|(v, line)| {
            v.parse::<u64>().map_err(|_| spec_error(*line, format!("annotation {key} '{v}' is not a count")))
        })
        .transpose()
}

pub(super) type Named<'a> = HashMap<&'a str, (&'a Node, &'a Notes)>;

pub(super) fn policy_tiers(policy: &Node, name: &str, conditions: &Named<'_>) -> Result<Vec<BurnTierSpec>> {
    let path = format!("AlertPolicy '{name}'.spec");
    let mut f = Fields::of(policy, &path)?;
    f.informational(&["description", "notificationTargets"]);
    for k in ["alertWhenNoData", "alertWhenResolved", "alertWhenBreaching"] {
        f.flag(k)?;
    }
    let mut out = vec![];
    let items = f.take("conditions").map(|c| seq(c, &format!("{path}.conditions"))).transpose()?.unwrap_or(&[]);
    for (k, c) in items.iter().enumerate() {
        let cpath = format!("{path}.conditions[{k}]");
        let mut cf = Fields::of(c, &cpath)?;
        if let Some((r, line)) = cf.text("conditionRef")? {
            let (spec, notes) = *conditions
                .get(r.as_str())
                .ok_or_else(|| spec_error(line, format!("no AlertCondition named '{r}'")))?;
            out.push(condition(spec, &r, &format!("AlertCondition '{r}'.spec"), short_of(notes))?);
        } else {
            let (kind, line) = cf.need("kind")?;
            if kind != "AlertCondition" {
                return Err(spec_error(line, format!("{cpath}.kind must be AlertCondition")));
            }
            let (cname, notes) = metadata(&mut cf)?;
            let ln = cf.line;
            let spec = cf.take("spec").ok_or_else(|| spec_error(ln, format!("{cpath}.spec is required")))?;
            out.push(condition(spec, &cname, &format!("{cpath}.spec"), short_of(&notes))?);
        }
        cf.done()?;
    }
    f.done()?;
    Ok(out)
}

/// The tiers of the SLO being read (`alertPolicies`: names or inline policies), and the least
/// events a policy's annotation asks for.
pub(super) fn of_slo(
    f: &mut Fields<'_>,
    path: &str,
    policies: &Named<'_>,
    conditions: &Named<'_>,
) -> Result<(Vec<BurnTierSpec>, Option<u64>)> {
    let ln = f.line;
    let mut own: Vec<BurnTierSpec> = vec![];
    let mut min_events = None;
    let items = f.take("alertPolicies").map(|p| seq(p, &format!("{path}.alertPolicies"))).transpose()?.unwrap_or(&[]);
    for (k, p) in items.iter().enumerate() {
        let (policy, pname) = match p {
            Node::Scalar { text, line, .. } => {
                let (spec, notes) = *policies
                    .get(text.as_str())
                    .ok_or_else(|| spec_error(*line, format!("no AlertPolicy named '{text}'")))?;
                min_events = min_events.or(annotation_count(notes, MIN_EVENTS_ANNOTATION)?);
                (spec, text.clone())
            }
            inline => {
                let ipath = format!("{path}.alertPolicies[{k}]");
                let mut pf = Fields::of(inline, &ipath)?;
                let (kind, line) = pf.need("kind")?;
                if kind != "AlertPolicy" {
                    return Err(spec_error(line, format!("{ipath}.kind must be AlertPolicy")));
                }
                let (pname, notes) = metadata(&mut pf)?;
                let ln = pf.line;
                min_events = min_events.or(annotation_count(&notes, MIN_EVENTS_ANNOTATION)?);
                let spec = pf.take("spec").ok_or_else(|| spec_error(ln, format!("{ipath}.spec is required")))?;
                pf.done()?;
                (spec, pname)
            }
        };
        own.extend(policy_tiers(policy, &pname, conditions)?);
        if own.len() > crate::slo::MAX_TIERS {
            return Err(spec_error(ln, format!("{path}: more than {} burn-rate conditions", crate::slo::MAX_TIERS)));
        }
    }
    Ok((own, min_events))
}
