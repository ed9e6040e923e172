//! Loose, declarative forms of policies, schedules and tables, as bindings, config files and
//! test vectors give them. Defaults live here, once, for every language.

use chrono::TimeDelta;
use serde::Deserialize;

use super::cadence::CadenceOptions;
use super::criteria::Limit;
use super::level::Level;
use super::policy::FreshnessPolicy;
use super::report::TableInput;
use super::schedule::LoadSchedule;
use super::tiers::{Tier, Tiers};
use crate::error::{FleetopsError, Result};
use crate::time::{parse_timestamp, Period};

use crate::time::duration_whole_count as whole_count;
pub use crate::time::DurationSpec;

impl DurationSpec {
    /// The duration as a dbt limit, keeping the `{count, period}` shape when given so.
    pub fn to_limit(&self) -> Result<Limit> {
        match self {
            Self::Dbt { count, period } => Limit::dbt(whole_count(*count)?, Period::parse(period)?),
            other => Limit::after(other.to_delta()?),
        }
    }
}

/// A tier as `[name, max_age]` or `{name, max_age}`; `max_age` null for the last tier.
#[derive(Debug, Clone, PartialEq)]
pub enum TierSpec {
    /// `["GOOD", 21600]`.
    Pair(String, Option<DurationSpec>),
    /// `{"name": "GOOD", "max_age": "6h"}`.
    Named {
        /// The class name.
        name: String,
        /// Inclusive upper bound.
        max_age: Option<DurationSpec>,
    },
}

/// Read by hand: either form, and the object form with exactly its fields.
impl<'de> Deserialize<'de> for TierSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Spec;
        impl<'de> serde::de::Visitor<'de> for Spec {
            type Value = TierSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a tier: [name, max_age] or {name, max_age}")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<TierSpec, A::Error> {
                use serde::de::Error;
                let name: String = seq.next_element()?.ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let max_age: Option<DurationSpec> =
                    seq.next_element()?.ok_or_else(|| A::Error::invalid_length(1, &self))?;
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::invalid_length(3, &self));
                }
                Ok(TierSpec::Pair(name, max_age))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<TierSpec, A::Error> {
                use serde::de::Error;
                let (mut name, mut max_age) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => name = Some(map.next_value::<String>()?),
                        "max_age" | "maxAge" => max_age = map.next_value::<Option<DurationSpec>>()?,
                        other => return Err(A::Error::unknown_field(other, TierSpec::FIELDS)),
                    }
                }
                let name = name.ok_or_else(|| A::Error::missing_field("name"))?;
                Ok(TierSpec::Named { name, max_age })
            }
        }
        d.deserialize_any(Spec)
    }
}

impl TierSpec {
    /// The fields of the `{name, max_age}` form.
    pub const FIELDS: &'static [&'static str] = &["name", "max_age"];
}

/// A freshness policy as options; every field left out keeps its default.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// Start from a named preset (`runbook`) instead of the bare defaults.
    pub preset: Option<String>,
    /// Tiers (default: the runbook's).
    pub tiers: Option<Vec<TierSpec>>,
    /// dbt's `warn_after`.
    #[serde(alias = "warnAfter")]
    pub warn_after: Option<DurationSpec>,
    /// dbt's `error_after`.
    #[serde(alias = "errorAfter")]
    pub error_after: Option<DurationSpec>,
    /// Stale after this long without a load.
    #[serde(alias = "staleAfter")]
    pub stale_after: Option<DurationSpec>,
    /// Clock-skew tolerance (default 5 min).
    #[serde(alias = "clockSkewTolerance")]
    pub clock_skew_tolerance: Option<DurationSpec>,
    /// Level of a missing table (default error).
    #[serde(alias = "missingLevel")]
    pub missing_level: Option<String>,
    /// Level of a future-dated table (default warn).
    #[serde(alias = "futureLevel")]
    pub future_level: Option<String>,
}

impl PolicySpec {
    /// Builds the policy: the preset (or bare defaults), then each given field over it.
    pub fn build(&self) -> Result<FreshnessPolicy> {
        let mut policy = match self.preset.as_deref() {
            None => FreshnessPolicy::new(Tiers::runbook()),
            Some("runbook") => FreshnessPolicy::runbook(),
            Some(other) => {
                return Err(FleetopsError::InvalidArgument(format!("unknown preset '{other}' (presets: runbook)")))
            }
        };
        if let Some(tiers) = &self.tiers {
            let tiers = tiers
                .iter()
                .map(|t| {
                    let (name, max) = match t {
                        TierSpec::Pair(n, m) | TierSpec::Named { name: n, max_age: m } => (n, m),
                    };
                    Ok(Tier { name: name.clone(), max_age: max.as_ref().map(|m| m.to_delta()).transpose()? })
                })
                .collect::<Result<Vec<_>>>()?;
            policy = policy.with_tiers(Tiers::new(tiers)?);
        }
        let limit = |d: &Option<DurationSpec>| d.as_ref().map(|d| d.to_limit()).transpose();
        let warn = limit(&self.warn_after)?.or(policy.criteria().warn_after);
        let error = limit(&self.error_after)?.or(policy.criteria().error_after);
        policy = policy.with_criteria(warn, error)?;
        if let Some(s) = &self.stale_after {
            policy = policy.with_stale_after(Some(s.to_delta()?))?;
        }
        if let Some(s) = &self.clock_skew_tolerance {
            policy = policy.with_clock_skew_tolerance(s.to_delta()?)?;
        }
        if let Some(l) = &self.missing_level {
            policy = policy.with_missing_level(Level::parse(l)?);
        }
        if let Some(l) = &self.future_level {
            policy = policy.with_future_level(Level::parse(l)?);
        }
        Ok(policy)
    }
}

/// A schedule as options.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// Cron expression (5 or 6 fields).
    pub cron: String,
    /// IANA time zone (default UTC).
    #[serde(default, alias = "timeZone", alias = "tz")]
    pub timezone: Option<String>,
    /// Allowed delay after each run (default 0).
    #[serde(default, alias = "allowedDelay")]
    pub allowed_delay: Option<DurationSpec>,
    /// Maintenance windows: a run scheduled inside one is due by the window's end plus the
    /// allowed delay (default none).
    #[serde(default)]
    pub maintenance: Option<Vec<crate::maintenance::MaintenanceSpec>>,
}

impl ScheduleSpec {
    /// Builds the schedule.
    pub fn build(&self) -> Result<LoadSchedule> {
        let delay = self.allowed_delay.as_ref().map(|d| d.to_delta()).transpose()?.unwrap_or(TimeDelta::zero());
        let schedule = LoadSchedule::new(&self.cron, self.timezone.as_deref().unwrap_or("UTC"), delay)?;
        match &self.maintenance {
            Some(m) => Ok(schedule.with_maintenance(crate::maintenance::Maintenance::new(m)?)),
            None => Ok(schedule),
        }
    }
}

/// A table as options, timestamps as ISO-8601 strings with an offset.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// The table's name.
    #[serde(alias = "name")]
    pub table: String,
    /// `MAX(_loaded_at)` or null.
    #[serde(default, alias = "lastLoadedAt")]
    pub last_loaded_at: Option<String>,
    /// Past load times.
    #[serde(default)]
    pub history: Option<Vec<String>>,
    /// Expected schedule.
    #[serde(default)]
    pub schedule: Option<ScheduleSpec>,
}

impl TableSpec {
    /// Parses timestamps and the schedule into a [`TableInput`].
    pub fn build(&self) -> Result<TableInput> {
        let parse = |s: &String| parse_timestamp(s);
        Ok(TableInput {
            name: self.table.clone(),
            last_loaded_at: self.last_loaded_at.as_ref().map(parse).transpose()?,
            history: self.history.as_ref().map(|h| h.iter().map(parse).collect::<Result<Vec<_>>>()).transpose()?,
            schedule: self.schedule.as_ref().map(ScheduleSpec::build).transpose()?,
        })
    }
}

/// Cadence options as given; missing fields keep [`CadenceOptions::default`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CadenceSpec {
    /// Intervals needed (default 5).
    #[serde(alias = "minIntervals")]
    pub min_intervals: Option<usize>,
    /// Spreads allowed (default 3).
    #[serde(alias = "spreadFactor")]
    pub spread_factor: Option<f64>,
    /// Least slack ratio (default 0.1).
    #[serde(alias = "minSlackRatio")]
    pub min_slack_ratio: Option<f64>,
}

impl CadenceSpec {
    /// Builds and validates the options.
    pub fn build(&self) -> Result<CadenceOptions> {
        let d = CadenceOptions::default();
        let o = CadenceOptions {
            min_intervals: self.min_intervals.unwrap_or(d.min_intervals),
            spread_factor: self.spread_factor.unwrap_or(d.spread_factor),
            min_slack_ratio: self.min_slack_ratio.unwrap_or(d.min_slack_ratio),
        };
        o.validate()?;
        Ok(o)
    }
}

/// `check_cadence`'s options: the cadence's, and the clock skew its history may have.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckCadenceSpec {
    /// Intervals needed (default 5).
    pub min_intervals: Option<usize>,
    /// Spreads allowed (default 3).
    pub spread_factor: Option<f64>,
    /// Least slack ratio (default 0.1).
    pub min_slack_ratio: Option<f64>,
    /// Clock-skew tolerance for history entries (default 5 min).
    pub clock_skew_tolerance: Option<DurationSpec>,
}

impl CheckCadenceSpec {
    /// Learns the cadence of `history` and checks the gap at `now`.
    pub fn check(
        &self,
        history: &[crate::time::Timestamp],
        now: crate::time::Timestamp,
    ) -> Result<super::CadenceCheck> {
        let skew = match &self.clock_skew_tolerance {
            Some(d) => d.to_delta()?,
            None => super::DEFAULT_CLOCK_SKEW,
        };
        let cadence = CadenceSpec {
            min_intervals: self.min_intervals,
            spread_factor: self.spread_factor,
            min_slack_ratio: self.min_slack_ratio,
        };
        super::check_cadence(history, now, skew, &cadence.build()?)
    }
}

/// The options of a batch of tables (`classify_tables`, `dbt_sources`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchSpec {
    /// Cadence options for tables with a history.
    pub cadence: Option<CadenceSpec>,
    /// dbt source name for `dbt_sources` (default `fleetops`).
    pub source: Option<String>,
}

/// Declared by hand, as it is read: `[name, max_age]` or `{name, max_age}`.
impl schemars::JsonSchema for TierSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TierSpec".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let age = g.subschema_for::<Option<DurationSpec>>();
        schemars::json_schema!({
            "description": "A tier: `[name, max_age]` or `{name, max_age}`; `max_age` null for the last tier.",
            "anyOf": [
                {"type": "array", "prefixItems": [{"type": "string"}, age], "minItems": 2, "maxItems": 2},
                {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "max_age": age},
                    "required": ["name"]
                }
            ]
        })
    }
}
