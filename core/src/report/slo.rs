//! The checklist's error-budget step: the budget over the SLO period at `now`, and every
//! burn-rate alert that fired during the data, found by judging the tiers at each step from
//! the first request to `now` (the morning check wants the night's pages, not only the ones
//! still firing).

use chrono::TimeDelta;
use serde::Serialize;

use super::Level;
use crate::error::{FleetopsError, Result};
use crate::slo::{Budget, SloTracker, TrackerConfig, TrackerStatus};
use crate::time::Timestamp;

/// How often the tiers are judged and the charts sampled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scan {
    /// Judge every tier at this step (default 5 min, the shortest SRE Workbook window).
    pub step: TimeDelta,
    /// Chart every n-th step (default 3: 15 min, ~700 points a week).
    pub chart_every: usize,
}

impl Default for Scan {
    fn default() -> Self {
        Self { step: TimeDelta::minutes(5), chart_every: 3 }
    }
}

/// Requests per `record_batch` call (and per progress tick).
const CHUNK: usize = 1 << 18;

/// One stretch of time a burn-rate tier paged for an objective: it fired and no faster tier
/// of the objective fired too (that one inhibits it, as Alertmanager's inhibit rules do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnEpisode {
    /// The objective.
    pub objective: String,
    /// The tier, e.g. `page_fast`.
    pub tier: String,
    /// Its severity (`page` is an error, anything else a warning).
    pub severity: String,
    /// Its factor.
    pub factor: f64,
    /// The first step it fired at.
    #[serde(serialize_with = "crate::wire::iso")]
    pub from: Timestamp,
    /// The first step it no longer fired at (null: still firing at `now`).
    #[serde(serialize_with = "crate::wire::iso_opt")]
    pub to: Option<Timestamp>,
    /// Highest long-window burn rate seen while firing.
    pub peak_long_burn: f64,
    /// Highest short-window burn rate seen while firing.
    pub peak_short_burn: f64,
}

/// One objective over time, for charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveSeries {
    /// The objective.
    pub objective: String,
    /// Budget remaining in % at each step (null before the first event of the period).
    pub remaining_percent: Vec<Option<f64>>,
    /// Burn rate per distinct burn window, at each step.
    pub burn: Vec<WindowSeries>,
}

/// Burn rate over one window at each step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowSeries {
    /// The window in seconds.
    pub window_seconds: f64,
    /// The burn rate (null without events in the window).
    pub rate: Vec<Option<f64>>,
}

/// The SLO section.
#[derive(Debug, Clone, Serialize)]
pub struct SloSection {
    /// Error if a budget is overspent or a `page` tier fired, warning if another tier fired.
    pub level: Level,
    /// Budgets, burn verdicts and latency percentiles at `now`.
    pub status: TrackerStatus,
    /// Every burn-rate episode from the first request to `now`.
    pub alerts: Vec<BurnEpisode>,
    /// The steps the tiers were judged at.
    pub step_seconds: i64,
    /// The chart steps: every `chart_every`-th judged step.
    #[serde(serialize_with = "crate::wire::iso_vec")]
    pub chart_at: Vec<Timestamp>,
    /// Per objective, budget remaining and burn rates at `chart_at`.
    pub series: Vec<ObjectiveSeries>,
    /// The maintenance windows from the first judged step to `now` (left out of the budgets).
    pub maintenance: Vec<crate::maintenance::Occurrence>,
    /// The corrections the tracker holds.
    pub corrections: Vec<crate::slo::Correction>,
}

/// Records the request columns into a tracker of `config` and judges it at every step from
/// the first request (or the start of the SLO period, if later) to `now`. Requests are (µs
/// since the epoch, succeeded, latency in ms or NaN); `tick` is called with requests
/// recorded, then with steps judged.
pub fn check(
    config: TrackerConfig,
    at_us: &[i64],
    ok: &[bool],
    latency_ms: &[f64],
    now: Timestamp,
    scan: Scan,
    tick: &mut dyn FnMut(u64),
) -> Result<SloSection> {
    let Scan { step, chart_every } = scan;
    if step < TimeDelta::seconds(1) || chart_every == 0 {
        return Err(FleetopsError::InvalidDuration(
            "the scan step must be at least 1 s, charted every >= 1 steps".into(),
        ));
    }
    if at_us.is_empty() {
        return Err(FleetopsError::InvalidArgument("no requests to judge an SLO on".into()));
    }
    let mut tracker = SloTracker::new(config)?;
    for start in (0..at_us.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(at_us.len());
        tracker.record_batch(&at_us[start..end], &ok[start..end], &latency_ms[start..end], now)?;
        tick((end - start) as u64);
    }
    let first = *at_us.iter().min().expect("not empty");
    let first = Timestamp::from_timestamp_micros(first)
        .ok_or_else(|| FleetopsError::InvalidTimestamp(format!("{first} µs since the epoch is out of range")))?;
    // Burn alerts are looked for within the SLO period only: older data cannot page today, and
    // a long history must not turn into millions of steps.
    let first = first.max(tracker.config().period.window_at(now).start);
    let steps = ((now - first).num_seconds() / step.num_seconds()).max(0) + 1;
    let mut alerts: Vec<BurnEpisode> = Vec::new();
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut chart_at = Vec::new();
    let mut series: Vec<ObjectiveSeries> = Vec::new();
    for k in 0..steps {
        // Judged backwards from `now` so that `now` itself is always a step.
        let at = now - step * (steps - 1 - k) as i32;
        // Judged just before the step, so that its windows end at the step and never see the
        // rest of the current bucket (events after the step, already recorded).
        let objectives = tracker.objectives_at(at - TimeDelta::microseconds(1));
        let charted = ((steps - 1 - k) as usize).is_multiple_of(chart_every);
        if charted {
            chart_at.push(at);
        }
        for (o, status) in objectives.iter().enumerate() {
            if series.len() <= o {
                let burn = status.burn.iter().flat_map(|b| [b.long_window_seconds, b.short_window_seconds]).fold(
                    Vec::new(),
                    |mut w: Vec<f64>, s| {
                        if !w.contains(&s) {
                            w.push(s);
                        }
                        w
                    },
                );
                series.push(ObjectiveSeries {
                    objective: status.name.clone(),
                    remaining_percent: Vec::new(),
                    burn: burn
                        .into_iter()
                        .map(|window_seconds| WindowSeries { window_seconds, rate: Vec::new() })
                        .collect(),
                });
            }
            if charted {
                let s = &mut series[o];
                s.remaining_percent.push(match &status.budget {
                    Budget::Ok(b) => Some(b.remaining_percent),
                    Budget::NoData { .. } => None,
                });
                for w in &mut s.burn {
                    let rate = status.burn.iter().find_map(|b| {
                        if b.long_window_seconds == w.window_seconds {
                            Some(b.long_burn_rate)
                        } else if b.short_window_seconds == w.window_seconds {
                            Some(b.short_burn_rate)
                        } else {
                            None
                        }
                    });
                    w.rate.push(rate.flatten());
                }
            }
            for (t, b) in status.burn.iter().enumerate() {
                let slot = o * status.burn.len() + t;
                if open.len() <= slot {
                    open.resize(slot + 1, None);
                }
                match (b.firing && b.inhibited_by.is_none(), open[slot]) {
                    (true, None) => {
                        open[slot] = Some(alerts.len());
                        alerts.push(BurnEpisode {
                            objective: status.name.clone(),
                            tier: b.tier.clone(),
                            severity: b.severity.clone(),
                            factor: b.factor,
                            from: at,
                            to: None,
                            peak_long_burn: 0.0,
                            peak_short_burn: 0.0,
                        });
                    }
                    (false, Some(i)) => {
                        alerts[i].to = Some(at);
                        open[slot] = None;
                    }
                    _ => {}
                }
                if let Some(i) = open[slot] {
                    let e = &mut alerts[i];
                    e.peak_long_burn = e.peak_long_burn.max(b.long_burn_rate.unwrap_or(0.0));
                    e.peak_short_burn = e.peak_short_burn.max(b.short_burn_rate.unwrap_or(0.0));
                }
            }
        }
        tick(1);
    }
    let status = tracker.status(now);
    let overspent = status.objectives.iter().any(|o| matches!(&o.budget, Budget::Ok(b) if b.overspent));
    let level = if overspent || alerts.iter().any(|a| a.severity == "page") {
        Level::Error
    } else if alerts.is_empty() {
        Level::Pass
    } else {
        Level::Warn
    };
    let maintenance = tracker.config().maintenance.occurrences(first, now);
    let corrections = tracker.corrections().to_vec();
    Ok(SloSection {
        level,
        status,
        alerts,
        step_seconds: step.num_seconds(),
        chart_at,
        series,
        maintenance,
        corrections,
    })
}

impl SloSection {
    /// One line on what the budgets left out this period (maintenance windows and
    /// corrections), or `None` when nothing was.
    pub fn excluded_summary(&self) -> Option<String> {
        let x = &self.status.excluded;
        if x.elapsed_minutes == 0.0 && self.maintenance.is_empty() && self.corrections.is_empty() {
            return None;
        }
        let windows: Vec<String> = self
            .maintenance
            .iter()
            .map(|o| format!("{} {} .. {}", o.name, crate::time::to_iso(o.start), crate::time::to_iso(o.end)))
            .collect();
        let fixes: Vec<String> = self
            .corrections
            .iter()
            .map(|c| format!("{} .. {} ({})", crate::time::to_iso(c.start), crate::time::to_iso(c.end), c.reason))
            .collect();
        Some(format!(
            "left out of the budgets: {:.0} min of this period so far, {} requests; maintenance: {}; corrections: {}",
            x.elapsed_minutes,
            x.events,
            if windows.is_empty() { "none".into() } else { windows.join(", ") },
            if fixes.is_empty() { "none".into() } else { fixes.join(", ") },
        ))
    }

    /// The maintenance windows and corrections as `(from, to, label)` spans, for shading.
    pub fn excluded_spans(&self) -> Vec<(Timestamp, Timestamp, String, bool)> {
        let windows = self.maintenance.iter().map(|o| (o.start, o.end, format!("maintenance: {}", o.name), true));
        let fixes = self.corrections.iter().map(|c| (c.start, c.end, format!("correction: {}", c.reason), false));
        windows.chain(fixes).collect()
    }
}

/// At most the steps [`check`] judges for requests from `first` to `now` (for sizing a
/// progress bar; `check` starts no earlier than the SLO period).
pub fn steps(first: Timestamp, now: Timestamp, step: TimeDelta) -> u64 {
    ((now - first).num_seconds() / step.num_seconds().max(1)).max(0) as u64 + 1
}
