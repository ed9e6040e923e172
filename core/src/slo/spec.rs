//! Loose forms of counts, periods and burn policies, as bindings and test vectors give them.
//! Defaults live here, once, for every language.

use serde::{Deserialize, Serialize};

use super::burn::{BurnPolicy, BurnTier};
use super::objective::Counts;
use super::period::Period;
use crate::error::{FleetopsError, Result};
use crate::freshness::DurationSpec;

/// Counts as any two of good, bad and total (all three must agree).
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountsSpec {
    /// Good events.
    pub good: Option<f64>,
    /// Bad events.
    pub bad: Option<f64>,
    /// All events.
    pub total: Option<f64>,
}

impl CountsSpec {
    /// Builds the counts.
    pub fn build(&self) -> Result<Counts> {
        match (self.good, self.bad, self.total) {
            (Some(g), None, Some(t)) => Counts::from_good_total(g, t),
            (Some(g), Some(b), None) => Counts::from_good_bad(g, b),
            (None, Some(b), Some(t)) => Counts::from_bad_total(b, t),
            (Some(g), Some(b), Some(t)) => {
                let c = Counts::from_good_total(g, t)?;
                if Counts::from_good_bad(g, b)? != c {
                    return Err(FleetopsError::InvalidCount(format!("good {g} + bad {b} != total {t}")));
                }
                Ok(c)
            }
            _ => Err(FleetopsError::InvalidCount("give two of good, bad and total".into())),
        }
    }
}

/// A period as text (`30d`, `month`, ...) and the zone of calendar periods.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    /// `30d`, `28d`, any duration, or `month` / `week` / `quarter`.
    pub period: String,
    /// IANA zone for calendar periods (default UTC).
    #[serde(default, alias = "timeZone", alias = "tz")]
    pub timezone: Option<String>,
}

impl PeriodSpec {
    /// Builds the period.
    pub fn build(&self) -> Result<Period> {
        Period::parse(&self.period, self.timezone.as_deref())
    }
}

/// A burn-rate tier as options.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BurnTierSpec {
    /// Name.
    pub name: String,
    /// Severity (default `page`).
    #[serde(default)]
    pub severity: Option<String>,
    /// Long window.
    pub long: DurationSpec,
    /// Short window.
    pub short: DurationSpec,
    /// Burn-rate factor.
    pub factor: f64,
}

/// A burn policy: a preset or explicit tiers, and the low-traffic guard.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BurnPolicySpec {
    /// `sre_workbook` (default), `sloth` or `pyrra`.
    pub preset: Option<String>,
    /// The SLO period the Sloth and Pyrra presets scale with (default `30d`).
    pub period: Option<DurationSpec>,
    /// Explicit tiers instead of a preset.
    pub tiers: Option<Vec<BurnTierSpec>>,
    /// Events the long window needs before a tier may fire (default 1).
    #[serde(alias = "minEvents")]
    pub min_events: Option<u64>,
}

impl BurnPolicySpec {
    /// Builds the policy.
    pub fn build(&self) -> Result<BurnPolicy> {
        let period = match &self.period {
            Some(p) => p.to_delta()?,
            None => chrono::TimeDelta::days(30),
        };
        let mut policy = match (&self.tiers, self.preset.as_deref()) {
            (Some(_), Some(_)) => {
                return Err(FleetopsError::InvalidArgument("give either a preset or tiers, not both".into()))
            }
            (Some(tiers), None) => {
                let tiers = tiers
                    .iter()
                    .map(|t| {
                        BurnTier::new(
                            &t.name,
                            t.severity.as_deref().unwrap_or("page"),
                            t.long.to_delta()?,
                            t.short.to_delta()?,
                            t.factor,
                        )
                    })
                    .collect::<Result<Vec<_>>>()?;
                BurnPolicy::new(tiers, 1)?
            }
            (None, None | Some("sre_workbook")) => BurnPolicy::sre_workbook(),
            (None, Some("sloth")) => BurnPolicy::sloth(period)?,
            (None, Some("pyrra")) => BurnPolicy::pyrra(period)?,
            (None, Some(other)) => {
                return Err(FleetopsError::InvalidArgument(format!(
                    "unknown burn preset '{other}' (presets: sre_workbook, sloth, pyrra)"
                )))
            }
        };
        if let Some(n) = self.min_events {
            policy.min_events = n.max(1);
        }
        Ok(policy)
    }
}

impl BurnPolicySpec {
    /// The explicit form of a built policy (what a snapshot stores).
    pub fn from_policy(policy: &BurnPolicy) -> Self {
        let secs = |d: chrono::TimeDelta| DurationSpec::Seconds(crate::time::secs_f64(d));
        Self {
            preset: None,
            period: None,
            tiers: Some(
                policy
                    .tiers
                    .iter()
                    .map(|t| BurnTierSpec {
                        name: t.name.clone(),
                        severity: Some(t.severity.clone()),
                        long: secs(t.long),
                        short: secs(t.short),
                        factor: t.factor,
                    })
                    .collect(),
            ),
            min_events: Some(policy.min_events),
        }
    }
}
