//! Named freshness tiers: age -> class, with inclusive upper bounds.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};
use crate::time::secs_f64;

/// Class given to a table with no load at all.
pub const MISSING: &str = "MISSING";
/// Class given to a table whose last load is further in the future than the skew tolerance.
pub const FUTURE: &str = "FUTURE";

/// One tier: ages up to and including `max_age` belong to it; the last tier has no bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tier {
    /// The class name, e.g. `GOOD`.
    pub name: String,
    /// Inclusive upper bound; `None` only for the last, catch-all tier.
    pub max_age: Option<TimeDelta>,
}

impl Tier {
    /// A bounded tier.
    pub fn up_to(name: &str, max_age: TimeDelta) -> Self {
        Self { name: name.to_owned(), max_age: Some(max_age) }
    }

    /// The last, unbounded tier.
    pub fn beyond(name: &str) -> Self {
        Self { name: name.to_owned(), max_age: None }
    }
}

/// A validated, ascending list of tiers that covers every age.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiers {
    tiers: Vec<Tier>,
    /// Upper bounds in float seconds, for the allocation-free hot path.
    bounds: Vec<f64>,
}

impl Tiers {
    /// Validates tiers: at least one; names non-empty, unique and not `MISSING`/`FUTURE`;
    /// bounds non-negative and strictly ascending; only the last tier unbounded.
    pub fn new(tiers: Vec<Tier>) -> Result<Self> {
        let bad = |m: String| Err(FleetopsError::InvalidTiers(m));
        if tiers.is_empty() {
            return bad("at least one tier is needed".into());
        }
        let last = tiers.len() - 1;
        let mut bounds: Vec<f64> = Vec::with_capacity(last);
        if last > 250 {
            return bad(format!("{} tiers is more than the 251 supported", tiers.len()));
        }
        for (i, tier) in tiers.iter().enumerate() {
            if tier.name.trim().is_empty() {
                return bad(format!("tier {i} has an empty name"));
            }
            if tier.name == MISSING || tier.name == FUTURE {
                return bad(format!("'{}' is reserved for tables without a usable load", tier.name));
            }
            if tiers[..i].iter().any(|t| t.name == tier.name) {
                return bad(format!("tier name '{}' appears twice", tier.name));
            }
            match (tier.max_age, i == last) {
                (None, true) => {}
                (Some(_), true) => {
                    return bad(format!("the last tier '{}' must be unbounded so every age has a class", tier.name))
                }
                (None, false) => return bad(format!("only the last tier may be unbounded, not '{}'", tier.name)),
                (Some(max), false) => {
                    let secs = secs_f64(max);
                    if secs < 0.0 {
                        return bad(format!("tier '{}' has a negative bound", tier.name));
                    }
                    if bounds.last().is_some_and(|&prev| secs <= prev) {
                        return bad(format!(
                            "tier '{}' does not come after the one before it (bounds must ascend)",
                            tier.name
                        ));
                    }
                    bounds.push(secs);
                }
            }
        }
        Ok(Self { tiers, bounds })
    }

    /// The runbook's tiers (the analytics runbook): <= 60 min EXCELLENT, <= 360 GOOD, <= 720 ACCEPTABLE, POOR.
    pub fn runbook() -> Self {
        Self::new(vec![
            Tier::up_to("EXCELLENT", TimeDelta::minutes(60)),
            Tier::up_to("GOOD", TimeDelta::minutes(360)),
            Tier::up_to("ACCEPTABLE", TimeDelta::minutes(720)),
            Tier::beyond("POOR"),
        ])
        .expect("the runbook tiers are valid")
    }

    /// The tiers, in order.
    pub fn as_slice(&self) -> &[Tier] {
        &self.tiers
    }

    /// Index of the tier an age in seconds (>= 0) belongs to.
    #[inline]
    pub fn index_of(&self, age_secs: f64) -> usize {
        // Bounds ascend, so the tier is the number of bounds the age exceeds; counting them all
        // is branch-free, which beats an early exit on unpredictable ages.
        self.bounds.iter().map(|&b| usize::from(age_secs > b)).sum()
    }

    /// Name of tier `index`.
    pub fn name(&self, index: usize) -> &str {
        &self.tiers[index].name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runbook_bounds_are_inclusive() {
        let t = Tiers::runbook();
        assert_eq!(t.name(t.index_of(3600.0)), "EXCELLENT");
        assert_eq!(t.name(t.index_of(3600.000001)), "GOOD");
        assert_eq!(t.name(t.index_of(43_200.5)), "POOR");
    }

    #[test]
    fn refuses_bad_tiers() {
        let m = TimeDelta::minutes;
        let cases = vec![
            vec![],
            vec![Tier::up_to("A", m(10)), Tier::up_to("B", m(5)), Tier::beyond("C")],
            vec![Tier::up_to("A", m(10)), Tier::up_to("B", m(10)), Tier::beyond("C")],
            vec![Tier::up_to("A", m(-1)), Tier::beyond("C")],
            vec![Tier::up_to("A", m(1)), Tier::beyond("A")],
            vec![Tier::up_to("A", m(1)), Tier::up_to("B", m(2))],
            vec![Tier::beyond("A"), Tier::beyond("B")],
            vec![Tier::beyond("MISSING")],
            vec![Tier::beyond(" ")],
        ];
        for tiers in cases {
            assert_eq!(Tiers::new(tiers.clone()).unwrap_err().code(), "INVALID_TIERS", "{tiers:?}");
        }
    }
}
