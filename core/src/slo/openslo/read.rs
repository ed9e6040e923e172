//! OpenSLO v1 documents into a tracker spec. Every field is read or refused: an unknown one is
//! "not an OpenSLO v1 field", a known one fleetops cannot honour is "not supported", each with
//! its line (`INVALID_SPEC`).

use std::collections::{HashMap, HashSet};

use super::alerts::{self, Named};
use super::fields::{document, seconds, seconds0, seq, share, text_of, Doc, Fields};
use super::indicator::{self, time_window, Indicator};
use super::yaml::{spec_error, Node};
use super::{IN_MS, MAINTENANCE_ANNOTATION, MAX_FUTURE_ANNOTATION, RESOLUTION_ANNOTATION};
use crate::error::Result;
use crate::slo::spec::{BurnPolicySpec, BurnTierSpec};
use crate::slo::tracker::{ObjectiveKind, SliceTarget, TrackedObjective, TrackerSpec};

/// The named documents an SLO may refer to, each name once.
#[derive(Default)]
struct Index<'a> {
    slis: HashMap<&'a str, &'a Node>,
    policies: Named<'a>,
    conditions: Named<'a>,
}

impl<'a> Index<'a> {
    /// Indexes every document by kind and name; a second document of one kind and name would
    /// silently replace the first, so it is refused.
    fn of(docs: &'a [Doc<'a>]) -> Result<Self> {
        let mut index = Self::default();
        let mut slos: HashSet<&str> = HashSet::new();
        for d in docs {
            let fresh = match d.kind.as_str() {
                "SLI" => index.slis.insert(&d.name, d.spec).is_none(),
                "AlertPolicy" => index.policies.insert(&d.name, (d.spec, &d.annotations)).is_none(),
                "AlertCondition" => index.conditions.insert(&d.name, (d.spec, &d.annotations)).is_none(),
                "SLO" => slos.insert(&d.name),
                "Service" => {
                    let mut f = Fields::of(d.spec, "Service.spec")?;
                    f.informational(&["description"]);
                    f.done()?;
                    true
                }
                other => return Err(spec_error(d.line, format!("kind '{other}' is not supported"))),
            };
            if !fresh {
                return Err(spec_error(d.line, format!("{} '{}' appears twice", d.kind, d.name)));
            }
        }
        Ok(index)
    }
}

/// What the SLO documents read so far make of the one tracker: they must agree on the window,
/// the tiers and the slice window.
#[derive(Default)]
struct Reading {
    objectives: Vec<TrackedObjective>,
    window: Option<(String, Option<String>)>,
    tiers: Option<(Vec<BurnTierSpec>, Option<u64>)>,
    maintenance: Option<Vec<crate::maintenance::MaintenanceSpec>>,
    slice_window: Option<i64>,
    resolution: Option<i64>,
    max_future: Option<i64>,
}

impl Reading {
    /// Reads one SLO document.
    fn slo(&mut self, d: &Doc<'_>, index: &Index<'_>) -> Result<()> {
        let path = format!("SLO '{}'.spec", d.name);
        let mut f = Fields::of(d.spec, &path)?;
        f.informational(&["description", "service"]);
        let indicator = indicator::of_slo(&mut f, &path, &index.slis)?;
        let ln = f.line;
        let tw = f.take("timeWindow").ok_or_else(|| spec_error(ln, format!("{path}.timeWindow is required")))?;
        let tw = time_window(tw, &f.at("timeWindow"))?;
        if self.window.as_ref().is_some_and(|w| *w != tw) {
            return Err(spec_error(
                ln,
                "every SLO of one spec must have the same timeWindow (one tracker, one period)",
            ));
        }
        self.window = Some(tw);
        let timeslices = budgeting(&mut f)?;
        let items = f.take("objectives").map(|o| seq(o, &format!("{path}.objectives"))).transpose()?.unwrap_or(&[]);
        if items.is_empty() {
            return Err(spec_error(ln, format!("{path}.objectives must hold at least one objective")));
        }
        for (k, o) in items.iter().enumerate() {
            self.objective(o, &d.name, k, items.len(), &path, &indicator, timeslices)?;
        }
        let own = alerts::of_slo(&mut f, &path, &index.policies, &index.conditions)?;
        if self.tiers.as_ref().is_some_and(|t| *t != own) {
            return Err(spec_error(
                ln,
                "every SLO of one spec must have the same alert policies (one tracker, one set of tiers)",
            ));
        }
        self.tiers = Some(own);
        self.annotations(d)?;
        f.done()
    }

    /// Reads objective `k` of `count` of the SLO `slo`.
    #[allow(clippy::too_many_arguments)]
    fn objective(
        &mut self,
        o: &Node,
        slo: &str,
        k: usize,
        count: usize,
        path: &str,
        indicator: &Indicator,
        timeslices: Option<bool>,
    ) -> Result<()> {
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
            Some(ratio) => Some(self.slices(&mut of, &opath, ratio)?),
            None => {
                of.unsupported("timeSliceTarget", "budgetingMethod Occurrences has no time slices")?;
                of.unsupported("timeSliceWindow", "budgetingMethod Occurrences has no time slices")?;
                None
            }
        };
        of.unsupported("indicator", "give the SLO's indicator")?;
        of.unsupported("indicatorRef", "give the SLO's indicator")?;
        of.unsupported("compositeWeight", "composite SLOs are not supported")?;
        let kind = objective_kind(&mut of, &opath, indicator)?;
        of.done()?;
        let name = match (count, display) {
            (1, _) => slo.to_owned(),
            (_, Some(display)) => format!("{slo}_{display}"),
            (_, None) => format!("{slo}_{k}"),
        };
        crate::slo::check_name("objective", &name).map_err(|e| spec_error(ln, format!("{opath}: {}", e.detail())))?;
        if self.objectives.len() == crate::slo::MAX_OBJECTIVES {
            return Err(spec_error(ln, format!("more than {} objectives", crate::slo::MAX_OBJECTIVES)));
        }
        self.objectives.push(TrackedObjective { name, kind, target, timeslices: slices });
        Ok(())
    }

    /// A time-slice objective's target and window (every one of a spec shares the window: it is
    /// the tracker's resolution).
    fn slices(&mut self, of: &mut Fields<'_>, opath: &str, ratio: bool) -> Result<SliceTarget> {
        let slice_target = if ratio {
            of.unsupported("timeSliceTarget", "RatioTimeslices counts every slice with its own SLI")?;
            None
        } else {
            let ln = of.line;
            let (t, line) = of
                .number("timeSliceTarget")?
                .ok_or_else(|| spec_error(ln, format!("{opath}.timeSliceTarget is required with Timeslices")))?;
            Some(share(t, 1.0, line, &of.at("timeSliceTarget"))?)
        };
        let (w, line) = of.need("timeSliceWindow")?;
        let w = seconds(&w, line, "timeSliceWindow")?;
        if self.slice_window.is_some_and(|s| s != w) {
            return Err(spec_error(
                line,
                "every time-slice objective of one spec must have the same timeSliceWindow (the tracker's resolution)",
            ));
        }
        self.slice_window = Some(w);
        Ok(SliceTarget { slice_target, ratio })
    }

    /// The fleetops annotations of an SLO document: resolution, max-future, maintenance.
    fn annotations(&mut self, d: &Doc<'_>) -> Result<()> {
        if let Some((v, line)) = d.annotations.get(RESOLUTION_ANNOTATION) {
            self.resolution = Some(seconds(v, *line, RESOLUTION_ANNOTATION)?);
        }
        if let Some((v, line)) = d.annotations.get(MAX_FUTURE_ANNOTATION) {
            self.max_future = Some(seconds0(v, *line, MAX_FUTURE_ANNOTATION)?);
        }
        if let Some((v, line)) = d.annotations.get(MAINTENANCE_ANNOTATION) {
            let at = |e: &dyn std::fmt::Display| spec_error(*line, format!("annotation {MAINTENANCE_ANNOTATION}: {e}"));
            let m: Vec<crate::maintenance::MaintenanceSpec> = serde_json::from_str(v).map_err(|e| at(&e))?;
            crate::maintenance::Maintenance::new(&m).map_err(|e| at(&e.detail()))?;
            self.maintenance = Some(m);
        }
        Ok(())
    }

    /// The tracker spec, checked as a whole (every value was checked where it stands; what is
    /// left is how they fit together).
    fn finish(self) -> Result<TrackerSpec> {
        let (period, timezone) = self.window.ok_or_else(|| spec_error(1, "no SLO document"))?;
        let burn = match self.tiers {
            Some((t, min_events)) if !t.is_empty() => {
                Some(BurnPolicySpec { tiers: Some(t), min_events, ..Default::default() })
            }
            _ => None,
        };
        let spec = TrackerSpec {
            period: Some(period),
            timezone,
            resolution: self.slice_window.or(self.resolution).map(text_of),
            objectives: Some(self.objectives),
            burn,
            maintenance: self.maintenance,
            max_future: self.max_future.map(text_of),
        };
        spec.build()
            .and_then(|c| c.validate())
            .map_err(|e| spec_error(1, format!("the spec as a whole: {}", e.detail())))?;
        Ok(spec)
    }
}

/// `budgetingMethod`: `None` for Occurrences, `Some(ratio)` for Timeslices (`false`) or
/// RatioTimeslices (`true`).
fn budgeting(f: &mut Fields<'_>) -> Result<Option<bool>> {
    match f.text("budgetingMethod")? {
        None => Ok(None),
        Some((method, line)) => match method.as_str() {
            "Occurrences" => Ok(None),
            "Timeslices" => Ok(Some(false)),
            "RatioTimeslices" => Ok(Some(true)),
            other => Err(spec_error(line, format!("budgetingMethod '{other}' is not an OpenSLO v1 method"))),
        },
    }
}

/// What an objective counts as good: success for a ratio SLI, a latency at or under `value`
/// for a threshold SLI.
fn objective_kind(of: &mut Fields<'_>, opath: &str, indicator: &Indicator) -> Result<ObjectiveKind> {
    let ln = of.line;
    match indicator {
        Indicator::Ratio => {
            of.unsupported("op", "a ratio metric's objective has no op")?;
            of.unsupported("value", "a ratio metric's objective has no value")?;
            Ok(ObjectiveKind::Success)
        }
        Indicator::Threshold => {
            let (op, line) = of.need("op")?;
            if op != "lte" && op != "lt" {
                return Err(spec_error(line, format!("a latency objective's op must be lte or lt, not '{op}'")));
            }
            let (value, line) =
                of.number("value")?.ok_or_else(|| spec_error(ln, format!("{opath}.value is required")))?;
            if value < 0.0 {
                return Err(spec_error(line, format!("{} {value} ms cannot be negative", of.at("value"))));
            }
            // fleetops counts a latency at or under the threshold as good (lte); a strict `lt`
            // is the same at the tracker's microsecond resolution bar one µs.
            Ok(ObjectiveKind::LatencyUnder { threshold_ms: value * IN_MS })
        }
    }
}

/// Reads OpenSLO v1 documents (`SLO`, `SLI`, `AlertPolicy`, `AlertCondition`, `Service`) as
/// one tracker spec: each SLO objective a tracked objective, the SLOs' time window the period,
/// their alert policies' burn-rate conditions the tiers.
pub fn read(text: &str) -> Result<TrackerSpec> {
    let nodes = super::yaml::documents(text)?;
    let docs: Vec<Doc<'_>> = nodes.iter().map(document).collect::<Result<_>>()?;
    let index = Index::of(&docs)?;
    let mut reading = Reading::default();
    for d in docs.iter().filter(|d| d.kind == "SLO") {
        reading.slo(d, &index)?;
    }
    reading.finish()
}
