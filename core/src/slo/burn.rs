//! Multiwindow, multi-burn-rate alerting: a tier fires only when both its long and its short
//! window burn strictly faster than its factor, and only with enough events to judge.
//!
//! Presets: the SRE Workbook's table; Sloth's (factor = budget share x period / long window,
//! so factors scale with the period); Pyrra's (windows scale with the period, from 28 days).

use chrono::TimeDelta;
use serde::Serialize;

use super::objective::{Counts, Objective};
use crate::error::{FleetopsError, Result};
use crate::time::secs_f64;

/// One alerting tier.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BurnTier {
    /// A name, e.g. `page_fast`.
    pub name: String,
    /// Severity label, e.g. `page` or `ticket`.
    pub severity: String,
    /// Long window.
    #[serde(serialize_with = "seconds")]
    #[schemars(with = "f64")]
    pub long: TimeDelta,
    /// Short window (stops the alert soon after the burn stops).
    #[serde(serialize_with = "seconds")]
    #[schemars(with = "f64")]
    pub short: TimeDelta,
    /// Burn rate both windows must exceed.
    pub factor: f64,
}

fn seconds<S: serde::Serializer>(d: &TimeDelta, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(secs_f64(*d))
}

impl BurnTier {
    /// A tier; windows must be positive with the short one no longer than the long one, and
    /// the factor finite and positive.
    pub fn new(name: &str, severity: &str, long: TimeDelta, short: TimeDelta, factor: f64) -> Result<Self> {
        if short <= TimeDelta::zero() || long < short {
            return Err(FleetopsError::InvalidDuration(format!(
                "tier '{name}': windows must be positive and short <= long"
            )));
        }
        if !factor.is_finite() || factor <= 0.0 {
            return Err(FleetopsError::InvalidThreshold(format!("tier '{name}': factor {factor} must be > 0")));
        }
        Ok(Self { name: name.into(), severity: severity.into(), long, short, factor })
    }
}

/// A set of tiers and the low-traffic guard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnPolicy {
    /// The tiers, most urgent first.
    pub tiers: Vec<BurnTier>,
    /// Events the long window needs before its tier may fire (default 1).
    pub min_events: u64,
}

const H: i64 = 3_600;
const M: i64 = 60;

fn tier(name: &str, severity: &str, long_s: i64, short_s: i64, factor: f64) -> BurnTier {
    BurnTier::new(name, severity, TimeDelta::seconds(long_s), TimeDelta::seconds(short_s), factor)
        .expect("preset tiers are valid")
}

/// A burn window given as the key of a mapping of windows (`"3600"`, the JSON form of
/// `{3600: (good, total)}`): its length, `INVALID_ARGUMENT` when the text is not seconds.
pub fn window_key(key: &str) -> Result<TimeDelta> {
    let secs: f64 =
        key.trim().parse().map_err(|_| FleetopsError::InvalidArgument(format!("window '{key}' is not seconds")))?;
    crate::freshness::DurationSpec::Seconds(secs).to_delta()
}

/// The most tiers a burn policy may hold: every tier is evaluated per objective and step, and
/// the inhibit rules pair each tier with the slower ones.
pub const MAX_TIERS: usize = 16;

impl BurnPolicy {
    /// Tiers and a guard; 1 to [`MAX_TIERS`] tiers with distinct names of at most
    /// [`MAX_NAME_CHARS`](crate::slo::MAX_NAME_CHARS) characters.
    pub fn new(tiers: Vec<BurnTier>, min_events: u64) -> Result<Self> {
        if tiers.is_empty() {
            return Err(FleetopsError::InvalidArgument("a burn policy needs at least one tier".into()));
        }
        if tiers.len() > MAX_TIERS {
            return Err(FleetopsError::InvalidArgument(format!(
                "a burn policy of {} tiers; at most {MAX_TIERS}",
                tiers.len()
            )));
        }
        let mut names = std::collections::HashSet::with_capacity(tiers.len());
        for t in &tiers {
            crate::slo::check_name("tier", &t.name)?;
            crate::slo::check_name("severity", &t.severity)?;
            if !names.insert(t.name.as_str()) {
                return Err(FleetopsError::InvalidArgument(format!(
                    "tier {} appears twice",
                    crate::escape::json::string(&t.name)
                )));
            }
        }
        Ok(Self { tiers, min_events: min_events.max(1) })
    }

    /// The SRE Workbook's table (for a 30-day SLO): 14.4x over 1h/5m and 6x over 6h/30m page,
    /// 1x over 3d/6h tickets.
    pub fn sre_workbook() -> Self {
        Self::new(
            vec![
                tier("page_fast", "page", H, 5 * M, 14.4),
                tier("page_slow", "page", 6 * H, 30 * M, 6.0),
                tier("ticket", "ticket", 72 * H, 6 * H, 1.0),
            ],
            1,
        )
        .expect("valid")
    }

    /// Sloth's defaults: 2 % of the budget in 1h/5m and 5 % in 6h/30m page; 10 % in 1d/2h and
    /// 10 % in 3d/6h ticket. Factor = share x period / long window (14.4, 6, 3, 1 at 30 days).
    pub fn sloth(period: TimeDelta) -> Result<Self> {
        if period <= TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("the SLO period must be longer than zero".into()));
        }
        let p = secs_f64(period);
        let t = |name: &str, sev: &str, share: f64, long: i64, short: i64| {
            BurnTier::new(name, sev, TimeDelta::seconds(long), TimeDelta::seconds(short), share * p / long as f64)
        };
        Self::new(
            vec![
                t("page_quick", "page", 0.02, H, 5 * M)?,
                t("page_slow", "page", 0.05, 6 * H, 30 * M)?,
                t("ticket_quick", "ticket", 0.10, 24 * H, 2 * H)?,
                t("ticket_slow", "ticket", 0.10, 72 * H, 6 * H)?,
            ],
            1,
        )
    }

    /// Pyrra's: factors 14, 7, 2, 1 with windows scaled from 28 days (1h/5m, 6h/30m, 1d/2h,
    /// 4d/6h at 28 days), rounded to the minute.
    pub fn pyrra(period: TimeDelta) -> Result<Self> {
        if period <= TimeDelta::zero() {
            return Err(FleetopsError::InvalidDuration("the SLO period must be longer than zero".into()));
        }
        let p = secs_f64(period);
        let scaled = |divisor: f64| TimeDelta::seconds(((p / divisor) / 60.0).round() as i64 * 60);
        let t = |name: &str, sev: &str, long: f64, short: f64, factor: f64| {
            BurnTier::new(name, sev, scaled(long), scaled(short), factor)
        };
        Self::new(
            vec![
                t("critical_fast", "critical", 28.0 * 24.0, 28.0 * 24.0 * 12.0, 14.0)?,
                t("critical_slow", "critical", 28.0 * 4.0, 28.0 * 24.0 * 2.0, 7.0)?,
                t("warning_fast", "warning", 28.0, 28.0 * 12.0, 2.0)?,
                t("warning_slow", "warning", 7.0, 28.0 * 4.0, 1.0)?,
            ],
            1,
        )
    }

    /// Every window the tiers need, each once, longest first.
    pub fn windows(&self) -> Vec<TimeDelta> {
        let mut w: Vec<TimeDelta> = self.tiers.iter().flat_map(|t| [t.long, t.short]).collect();
        w.sort_unstable_by(|a, b| b.cmp(a));
        w.dedup();
        w
    }

    /// Evaluates every tier from counts given per window; a window a tier needs but `windows`
    /// lacks is an [`FleetopsError::InvalidArgument`] naming it.
    pub fn evaluate_windows(&self, objective: Objective, windows: &[(TimeDelta, Counts)]) -> Result<Vec<BurnAlert>> {
        if let Some(missing) = self.windows().into_iter().find(|w| !windows.iter().any(|(d, _)| d == w)) {
            return Err(FleetopsError::InvalidArgument(format!(
                "no counts for the {} s window",
                missing.num_seconds()
            )));
        }
        let lookup = |w: TimeDelta| windows.iter().find(|(d, _)| *d == w).map(|(_, c)| *c).unwrap_or_default();
        Ok(self.evaluate(objective, lookup))
    }

    /// Evaluates every tier with the counts of each window, given by `counts_in(window)`. A
    /// firing tier is inhibited by the fastest firing tier with a shorter long window (the
    /// same burn, already paged for): it still says it fires, and `inhibited_by` names that tier.
    pub fn evaluate(&self, objective: Objective, counts_in: impl FnMut(TimeDelta) -> Counts) -> Vec<BurnAlert> {
        let mut alerts = self.judge(objective, counts_in);
        let fastest = self
            .tiers
            .iter()
            .zip(&alerts)
            .filter(|(_, a)| a.firing)
            .min_by_key(|(t, _)| t.long)
            .map(|(t, a)| (t.long, a.tier.clone()));
        if let Some((long, name)) = fastest {
            for (t, a) in self.tiers.iter().zip(&mut alerts) {
                if a.firing && t.long > long {
                    a.inhibited_by = Some(name.clone());
                }
            }
        }
        alerts
    }

    fn judge(&self, objective: Objective, mut counts_in: impl FnMut(TimeDelta) -> Counts) -> Vec<BurnAlert> {
        self.tiers
            .iter()
            .map(|t| {
                let (long, short) = (counts_in(t.long), counts_in(t.short));
                let (lb, sb) = (long.burn_rate(objective), short.burn_rate(objective));
                let suppressed = long.total < self.min_events;
                let exceeds = |b: Option<f64>| b.is_some_and(|b| b > t.factor);
                let firing = !suppressed && exceeds(lb) && exceeds(sb);
                let fmt = |b: Option<f64>| b.map_or("no data".to_owned(), |b| format!("{b:.3}x"));
                let reason = if suppressed {
                    format!("{} events in the long window, fewer than the {} needed", long.total, self.min_events)
                } else {
                    format!(
                        "long {} and short {} against {}x: {}",
                        fmt(lb),
                        fmt(sb),
                        t.factor,
                        if firing { "both exceed" } else { "not both exceed" }
                    )
                };
                BurnAlert {
                    tier: t.name.clone(),
                    severity: t.severity.clone(),
                    factor: t.factor,
                    long_window_seconds: secs_f64(t.long),
                    short_window_seconds: secs_f64(t.short),
                    long_burn_rate: lb,
                    short_burn_rate: sb,
                    long_events: long.total,
                    short_events: short.total,
                    firing,
                    inhibited_by: None,
                    suppressed_low_traffic: suppressed,
                    reason,
                }
            })
            .collect()
    }
}

/// One tier's verdict, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BurnAlert {
    /// The tier's name.
    pub tier: String,
    /// Its severity.
    pub severity: String,
    /// Its factor.
    pub factor: f64,
    /// Long window in seconds.
    pub long_window_seconds: f64,
    /// Short window in seconds.
    pub short_window_seconds: f64,
    /// Burn rate over the long window (null without events).
    pub long_burn_rate: Option<f64>,
    /// Burn rate over the short window (null without events).
    pub short_burn_rate: Option<f64>,
    /// Events in the long window.
    pub long_events: u64,
    /// Events in the short window.
    pub short_events: u64,
    /// Both windows exceed the factor and the guard lets it through.
    pub firing: bool,
    /// A faster tier of the same objective fires too (its name): this one is not a page of
    /// its own.
    pub inhibited_by: Option<String>,
    /// The low-traffic guard held it back.
    pub suppressed_low_traffic: bool,
    /// Why, in words.
    pub reason: String,
}
