//! OpenSLO v1 documents into a tracker spec. Every field is read or refused: an unknown one is
//! "not an OpenSLO v1 field", a known one fleetops cannot honour is "not supported", each with
//! its line (`INVALID_SPEC`).

use std::collections::HashMap;

use super::yaml::{spec_error, Node};
use super::{
    IN_MS, MAINTENANCE_ANNOTATION, MAX_FUTURE_ANNOTATION, MIN_EVENTS_ANNOTATION, RESOLUTION_ANNOTATION,
    SHORT_WINDOW_ANNOTATION, SHORT_WINDOW_DIVISOR,
};
use crate::error::Result;
use crate::freshness::DurationSpec;
use crate::slo::spec::{BurnPolicySpec, BurnTierSpec};
use crate::slo::tracker::{ObjectiveKind, SliceTarget, TrackedObjective, TrackerSpec};

/// A mapping being read: every key must be taken before [`Fields::done`]. Keys are found
/// through an index, so reading a mapping is linear in its size.
struct Fields<'a> {
    path: String,
    entries: &'a [(String, usize, Node)],
    index: HashMap<&'a str, usize>,
    taken: Vec<bool>,
    line: usize,
}

impl<'a> Fields<'a> {
    fn of(node: &'a Node, path: &str) -> Result<Self> {
        match node {
            Node::Map { entries, line } => Ok(Self {
                path: path.to_owned(),
                entries,
                index: entries.iter().enumerate().map(|(i, (k, _, _))| (k.as_str(), i)).collect(),
                taken: vec![false; entries.len()],
                line: *line,
            }),
            other => Err(spec_error(other.line(), format!("{path} must be a mapping"))),
        }
    }

    fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn take(&mut self, key: &str) -> Option<&'a Node> {
        let i = *self.index.get(key)?;
        self.taken[i] = true;
        Some(&self.entries[i].2)
    }

    fn text(&mut self, key: &str) -> Result<Option<(String, usize)>> {
        match self.take(key) {
            None => Ok(None),
            Some(Node::Scalar { text, line, .. }) => Ok(Some((text.clone(), *line))),
            Some(other) => Err(spec_error(other.line(), format!("{} must be a scalar", self.at(key)))),
        }
    }

    fn need(&mut self, key: &str) -> Result<(String, usize)> {
        let line = self.line;
        self.text(key)?.ok_or_else(|| spec_error(line, format!("{} is required", self.at(key))))
    }

    fn number(&mut self, key: &str) -> Result<Option<(f64, usize)>> {
        match self.text(key)? {
            None => Ok(None),
            Some((t, line)) => t
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(|v| Some((v, line)))
                .ok_or_else(|| spec_error(line, format!("{} must be a number, not '{t}'", self.at(key)))),
        }
    }

    fn flag(&mut self, key: &str) -> Result<Option<bool>> {
        match self.text(key)? {
            None => Ok(None),
            Some((t, line)) => match t.as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(spec_error(line, format!("{} must be true or false", self.at(key)))),
            },
        }
    }

    /// Refuses a field fleetops knows but cannot honour.
    fn unsupported(&mut self, key: &str, why: &str) -> Result<()> {
        match self.take(key) {
            None => Ok(()),
            Some(node) => {
                let line = self.index.get(key).map_or(node.line(), |&i| self.entries[i].1);
                Err(spec_error(line, format!("{} is not supported: {why}", self.at(key))))
            }
        }
    }

    /// Takes a field whose content does not change the budget math (descriptions, labels,
    /// where another tool reads the data), checking only that it is there once.
    fn informational(&mut self, keys: &[&str]) {
        for k in keys {
            self.take(k);
        }
    }

    fn done(self) -> Result<()> {
        match self.entries.iter().zip(&self.taken).find(|(_, taken)| !**taken) {
            None => Ok(()),
            Some(((k, line, _), _)) => Err(spec_error(*line, format!("{} is not an OpenSLO v1 field", self.at(k)))),
        }
    }
}

fn seq<'a>(node: &'a Node, path: &str) -> Result<&'a [Node]> {
    match node {
        Node::Seq { items, .. } => Ok(items),
        other => Err(spec_error(other.line(), format!("{path} must be a list"))),
    }
}

/// One document's `apiVersion`, `kind`, `metadata.name` and annotations; the spec node.
struct Doc<'a> {
    kind: String,
    name: String,
    line: usize,
    annotations: Notes,
    spec: &'a Node,
}

/// A document's annotations by key, each with its line (a key appears once: the YAML reader
/// refuses repeats).
type Notes = HashMap<String, (String, usize)>;

fn metadata(f: &mut Fields<'_>) -> Result<(String, Notes)> {
    let line = f.line;
    let m = f.take("metadata").ok_or_else(|| spec_error(line, format!("{} is required", f.at("metadata"))))?;
    let mut m = Fields::of(m, &f.at("metadata"))?;
    let (name, _) = m.need("name")?;
    let mut annotations = Notes::new();
    if let Some(a) = m.take("annotations") {
        let path = m.at("annotations");
        let Node::Map { entries, .. } = a else {
            return Err(spec_error(a.line(), format!("{path} must be a mapping")));
        };
        for (k, line, v) in entries {
            match v {
                Node::Scalar { text, .. } => {
                    annotations.insert(k.clone(), (text.clone(), *line));
                }
                other => return Err(spec_error(other.line(), format!("{path}.{k} must be a scalar"))),
            }
        }
    }
    m.informational(&["displayName", "labels"]);
    m.done()?;
    Ok((name, annotations))
}

fn document(node: &Node) -> Result<Doc<'_>> {
    let mut f = Fields::of(node, "")?;
    let (api, line) = f.need("apiVersion")?;
    if api != "openslo/v1" {
        return Err(spec_error(line, format!("apiVersion '{api}' is not openslo/v1")));
    }
    let (kind, line) = f.need("kind")?;
    let (name, annotations) = metadata(&mut f)?;
    let spec = f.take("spec").ok_or_else(|| spec_error(line, format!("{kind} '{name}': spec is required")))?;
    f.done()?;
    Ok(Doc { kind, name, line, annotations, spec })
}

/// An OpenSLO duration (`5m`, `1h`, `28d`, `1w`) in seconds; months, quarters and years are
/// calendar units, not durations.
fn seconds(text: &str, line: usize, what: &str) -> Result<i64> {
    let (n, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: i64 = n.parse().map_err(|_| spec_error(line, format!("{what} '{text}' is not a duration")))?;
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(spec_error(line, format!("{what} '{text}': the unit must be s, m, h, d or w"))),
    };
    match n.checked_mul(unit).filter(|&s| n > 0 && s <= 100 * 366 * 86_400) {
        Some(s) => Ok(s),
        None => Err(spec_error(line, format!("{what} '{text}' must be positive and at most a century"))),
    }
}

/// A duration that may be zero (`0s`), e.g. `fleetops.io/max-future`.
fn seconds0(text: &str, line: usize, what: &str) -> Result<i64> {
    match text.strip_suffix('s').and_then(|n| n.parse::<i64>().ok()) {
        Some(0) => Ok(0),
        _ => seconds(text, line, what),
    }
}

/// A share written out of `whole` (a target of 1, a percentage of 100), strictly inside it
/// (`INVALID_TARGET`, with the field and its line).
fn share(v: f64, whole: f64, line: usize, field: &str) -> Result<f64> {
    if v > 0.0 && v < whole {
        Ok(v)
    } else {
        Err(crate::FleetopsError::InvalidTarget(format!("line {line}: {field} {v} must be above 0 and below {whole}")))
    }
}

/// Seconds as fleetops writes a duration (`28d`, `5m`).
fn text_of(seconds: i64) -> DurationSpec {
    DurationSpec::Text(crate::slo::prometheus_rules::prom_duration(seconds as f64))
}

/// What an SLI measures.
enum Indicator {
    Ratio,
    Threshold,
}

fn metric_source(node: &Node, path: &str) -> Result<()> {
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

fn indicator_spec(node: &Node, path: &str) -> Result<Indicator> {
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
fn time_window(node: &Node, path: &str) -> Result<(String, Option<String>)> {
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

/// The short window an AlertCondition's annotation states, if any.
fn short_of(notes: &Notes) -> Option<(String, usize)> {
    notes.get(SHORT_WINDOW_ANNOTATION).cloned()
}

/// A burn-rate condition as a tier named `name`: its lookback window is the long window, the
/// short one is `short` (an annotation) or a twelfth of it (the SRE Workbook's pairs).
fn condition(node: &Node, name: &str, path: &str, short: Option<(String, usize)>) -> Result<BurnTierSpec> {
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

/// Reads OpenSLO v1 documents (`SLO`, `SLI`, `AlertPolicy`, `AlertCondition`, `Service`) as
/// one tracker spec: each SLO objective a tracked objective, the SLOs' time window the period,
/// their alert policies' burn-rate conditions the tiers.
pub fn read(text: &str) -> Result<TrackerSpec> {
    let docs = super::yaml::documents(text)?;
    let docs: Vec<Doc<'_>> = docs.iter().map(document).collect::<Result<_>>()?;
    let mut slis: HashMap<&str, &Node> = HashMap::new();
    let mut policies: Named<'_> = HashMap::new();
    let mut conditions: Named<'_> = HashMap::new();
    let mut slos: std::collections::HashSet<&str> = Default::default();
    // A second document of one kind and name would silently replace the first.
    let twice = |d: &Doc<'_>| spec_error(d.line, format!("{} '{}' appears twice", d.kind, d.name));
    for d in &docs {
        match d.kind.as_str() {
            "SLI" => {
                if slis.insert(&d.name, d.spec).is_some() {
                    return Err(twice(d));
                }
            }
            "AlertPolicy" => {
                if policies.insert(&d.name, (d.spec, &d.annotations)).is_some() {
                    return Err(twice(d));
                }
            }
            "AlertCondition" => {
                if conditions.insert(&d.name, (d.spec, &d.annotations)).is_some() {
                    return Err(twice(d));
                }
            }
            "SLO" => {
                if !slos.insert(&d.name) {
                    return Err(twice(d));
                }
            }
            "Service" => {
                let mut f = Fields::of(d.spec, "Service.spec")?;
                f.informational(&["description"]);
                f.done()?;
            }
            other => return Err(spec_error(d.line, format!("kind '{other}' is not supported"))),
        }
    }
    let mut objectives = Vec::new();
    let mut window: Option<(String, Option<String>)> = None;
    let mut tiers: Option<(Vec<BurnTierSpec>, Option<u64>)> = None;
    let mut maintenance = None;
    let mut slice_window: Option<i64> = None;
    let mut resolution: Option<i64> = None;
    let mut max_future: Option<i64> = None;
    for d in docs.iter().filter(|d| d.kind == "SLO") {
        let path = format!("SLO '{}'.spec", d.name);
        let mut f = Fields::of(d.spec, &path)?;
        f.informational(&["description", "service"]);
        let line = f.line;
        let indicator = match (f.take("indicator"), f.text("indicatorRef")?) {
            (Some(inline), None) => {
                let mut i = Fields::of(inline, &f.at("indicator"))?;
                i.informational(&["metadata"]);
                let ln = i.line;
                let spec =
                    i.take("spec").ok_or_else(|| spec_error(ln, format!("{path}.indicator.spec is required")))?;
                let out = indicator_spec(spec, &i.at("spec"))?;
                i.done()?;
                out
            }
            (None, Some((name, line))) => {
                let spec = slis.get(name.as_str()).ok_or_else(|| spec_error(line, format!("no SLI named '{name}'")))?;
                indicator_spec(spec, &format!("SLI '{name}'.spec"))?
            }
            _ => return Err(spec_error(line, format!("{path} needs one of indicator or indicatorRef"))),
        };
        let ln = f.line;
        let tw = f.take("timeWindow").ok_or_else(|| spec_error(ln, format!("{path}.timeWindow is required")))?;
        let tw = time_window(tw, &f.at("timeWindow"))?;
        if window.as_ref().is_some_and(|w| *w != tw) {
            return Err(spec_error(
                ln,
                "every SLO of one spec must have the same timeWindow (one tracker, one period)",
            ));
        }
        window = Some(tw);
        // None: Occurrences; Some(ratio): Timeslices or RatioTimeslices.
        let timeslices = match f.text("budgetingMethod")? {
            None => None,
            Some((method, line)) => match method.as_str() {
                "Occurrences" => None,
                "Timeslices" => Some(false),
                "RatioTimeslices" => Some(true),
                other => {
                    return Err(spec_error(line, format!("budgetingMethod '{other}' is not an OpenSLO v1 method")))
                }
            },
        };
        let items = f.take("objectives").map(|o| seq(o, &format!("{path}.objectives"))).transpose()?.unwrap_or(&[]);
        if items.is_empty() {
            return Err(spec_error(ln, format!("{path}.objectives must hold at least one objective")));
        }
        for (k, o) in items.iter().enumerate() {
            let opath = format!("{path}.objectives[{k}]");
            let mut of = Fields::of(o, &opath)?;
            let display = of.text("displayName")?.map(|(t, _)| t);
            let ln = of.line;
            let target = match (of.number("target")?, of.number("targetPercent")?) {
                (Some((t, line)), None) => share(t, 1.0, line, &of.at("target"))?,
                (None, Some((p, line))) => share(p, 100.0, line, &of.at("targetPercent"))? / 100.0,
                _ => return Err(spec_error(ln, format!("{opath} needs one of target or targetPercent"))),
            };
            let slices = match timeslices {
                Some(ratio) => {
                    let slice_target = if ratio {
                        of.unsupported("timeSliceTarget", "RatioTimeslices counts every slice with its own SLI")?;
                        None
                    } else {
                        let (t, line) = of.number("timeSliceTarget")?.ok_or_else(|| {
                            spec_error(ln, format!("{opath}.timeSliceTarget is required with Timeslices"))
                        })?;
                        Some(share(t, 1.0, line, &of.at("timeSliceTarget"))?)
                    };
                    let (w, line) = of.need("timeSliceWindow")?;
                    let w = seconds(&w, line, "timeSliceWindow")?;
                    if slice_window.is_some_and(|s| s != w) {
                        return Err(spec_error(line, "every time-slice objective of one spec must have the same timeSliceWindow (the tracker's resolution)"));
                    }
                    slice_window = Some(w);
                    Some(SliceTarget { slice_target, ratio })
                }
                None => {
                    of.unsupported("timeSliceTarget", "budgetingMethod Occurrences has no time slices")?;
                    of.unsupported("timeSliceWindow", "budgetingMethod Occurrences has no time slices")?;
                    None
                }
            };
            of.unsupported("indicator", "give the SLO's indicator")?;
            of.unsupported("indicatorRef", "give the SLO's indicator")?;
            of.unsupported("compositeWeight", "composite SLOs are not supported")?;
            let kind = match indicator {
                Indicator::Ratio => {
                    of.unsupported("op", "a ratio metric's objective has no op")?;
                    of.unsupported("value", "a ratio metric's objective has no value")?;
                    ObjectiveKind::Success
                }
                Indicator::Threshold => {
                    let (op, line) = of.need("op")?;
                    if op != "lte" && op != "lt" {
                        return Err(spec_error(
                            line,
                            format!("a latency objective's op must be lte or lt, not '{op}'"),
                        ));
                    }
                    let (value, line) =
                        of.number("value")?.ok_or_else(|| spec_error(ln, format!("{opath}.value is required")))?;
                    if value < 0.0 {
                        return Err(spec_error(line, format!("{} {value} ms cannot be negative", of.at("value"))));
                    }
                    // fleetops counts a latency at or under the threshold as good (lte); a
                    // strict `lt` is the same at the tracker's microsecond resolution bar one µs.
                    ObjectiveKind::LatencyUnder { threshold_ms: value * IN_MS }
                }
            };
            of.done()?;
            let name = match (items.len(), display) {
                (1, _) => d.name.clone(),
                (_, Some(display)) => format!("{}_{display}", d.name),
                (_, None) => format!("{}_{k}", d.name),
            };
            crate::slo::check_name("objective", &name)
                .map_err(|e| spec_error(ln, format!("{opath}: {}", e.detail())))?;
            if objectives.len() == crate::slo::MAX_OBJECTIVES {
                return Err(spec_error(ln, format!("more than {} objectives", crate::slo::MAX_OBJECTIVES)));
            }
            objectives.push(TrackedObjective { name, kind, target, timeslices: slices });
        }
        let mut own: Vec<BurnTierSpec> = vec![];
        let mut min_events = None;
        for (k, p) in f
            .take("alertPolicies")
            .map(|p| seq(p, &format!("{path}.alertPolicies")))
            .transpose()?
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
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
            own.extend(policy_tiers(policy, &pname, &conditions)?);
            if own.len() > crate::slo::MAX_TIERS {
                return Err(spec_error(
                    ln,
                    format!("{path}: more than {} burn-rate conditions", crate::slo::MAX_TIERS),
                ));
            }
        }
        let own = (own, min_events);
        if tiers.as_ref().is_some_and(|t| *t != own) {
            return Err(spec_error(
                ln,
                "every SLO of one spec must have the same alert policies (one tracker, one set of tiers)",
            ));
        }
        tiers = Some(own);
        if let Some((v, line)) = d.annotations.get(RESOLUTION_ANNOTATION) {
            resolution = Some(seconds(v, *line, RESOLUTION_ANNOTATION)?);
        }
        if let Some((v, line)) = d.annotations.get(MAX_FUTURE_ANNOTATION) {
            max_future = Some(seconds0(v, *line, MAX_FUTURE_ANNOTATION)?);
        }
        if let Some((v, line)) = d.annotations.get(MAINTENANCE_ANNOTATION) {
            let at = |e: &dyn std::fmt::Display| spec_error(*line, format!("annotation {MAINTENANCE_ANNOTATION}: {e}"));
            let m: Vec<crate::maintenance::MaintenanceSpec> = serde_json::from_str(v).map_err(|e| at(&e))?;
            crate::maintenance::Maintenance::new(&m).map_err(|e| at(&e.detail()))?;
            maintenance = Some(m);
        }
        f.done()?;
    }
    let (period, timezone) = window.ok_or_else(|| spec_error(1, "no SLO document"))?;
    let burn = match tiers {
        Some((t, min_events)) if !t.is_empty() => {
            Some(BurnPolicySpec { tiers: Some(t), min_events, ..Default::default() })
        }
        _ => None,
    };
    let spec = TrackerSpec {
        period: Some(period),
        timezone,
        resolution: slice_window.or(resolution).map(text_of),
        objectives: Some(objectives),
        burn,
        maintenance,
        max_future: max_future.map(text_of),
    };
    // Every value was checked where it stands; what is left is how they fit together.
    spec.build()
        .and_then(|c| c.validate())
        .map_err(|e| spec_error(1, format!("the spec as a whole: {}", e.detail())))?;
    Ok(spec)
}

/// A whole-number annotation (`fleetops.io/min-events`).
fn annotation_count(notes: &Notes, key: &str) -> Result<Option<u64>> {
    notes
        .get(key)
        .map(|(v, line)| {
            v.parse::<u64>().map_err(|_| spec_error(*line, format!("annotation {key} '{v}' is not a count")))
        })
        .transpose()
}

type Named<'a> = HashMap<&'a str, (&'a Node, &'a Notes)>;

fn policy_tiers(policy: &Node, name: &str, conditions: &Named<'_>) -> Result<Vec<BurnTierSpec>> {
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
