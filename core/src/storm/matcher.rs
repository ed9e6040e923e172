//! Label matchers as in Alertmanager silences: `=`, `!=`, `=~`, `!~`; regexes are anchored at
//! both ends; a label the alert lacks matches as the empty string.

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};

/// A matcher's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum MatchOp {
    /// `=`
    #[serde(rename = "=")]
    Equal,
    /// `!=`
    #[serde(rename = "!=")]
    NotEqual,
    /// `=~`
    #[serde(rename = "=~")]
    Regex,
    /// `!~`
    #[serde(rename = "!~")]
    NotRegex,
}

/// One matcher, e.g. `vehicle_id = "TRK-042"` or `alertname =~ "Sensor.*"`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "MatcherSpec", into = "MatcherSpec")]
pub struct Matcher {
    /// Label name.
    pub name: String,
    /// Operator.
    pub op: MatchOp,
    /// Value or pattern.
    pub value: String,
    regex: Option<Regex>,
}

/// The serialised form of a [`Matcher`].
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MatcherSpec {
    /// Label name.
    pub name: String,
    /// `=`, `!=`, `=~`, `!~` (default `=`).
    #[serde(default = "default_op")]
    pub op: MatchOp,
    /// Value or pattern.
    pub value: String,
}

fn default_op() -> MatchOp {
    MatchOp::Equal
}

impl TryFrom<MatcherSpec> for Matcher {
    type Error = FleetopsError;
    fn try_from(s: MatcherSpec) -> Result<Self> {
        Matcher::new(&s.name, s.op, &s.value)
    }
}

impl From<Matcher> for MatcherSpec {
    fn from(m: Matcher) -> Self {
        MatcherSpec { name: m.name, op: m.op, value: m.value }
    }
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.op == other.op && self.value == other.value
    }
}

impl Matcher {
    /// A matcher; a regex that does not compile is `INVALID_ARGUMENT`.
    pub fn new(name: &str, op: MatchOp, value: &str) -> Result<Self> {
        if name.is_empty() {
            return Err(FleetopsError::InvalidArgument("a matcher needs a label name".into()));
        }
        let regex = match op {
            MatchOp::Regex | MatchOp::NotRegex => Some(
                Regex::new(&format!("^(?:{value})$"))
                    .map_err(|e| FleetopsError::InvalidArgument(format!("matcher {name}: bad regex {value:?}: {e}")))?,
            ),
            _ => None,
        };
        Ok(Self { name: name.to_owned(), op, value: value.to_owned(), regex })
    }

    /// Whether the labels match.
    pub fn matches(&self, labels: &[(&str, &str)]) -> bool {
        let v = labels.iter().rev().find(|(k, _)| *k == self.name).map_or("", |(_, v)| *v);
        match self.op {
            MatchOp::Equal => v == self.value,
            MatchOp::NotEqual => v != self.value,
            MatchOp::Regex => self.regex.as_ref().is_some_and(|r| r.is_match(v)),
            MatchOp::NotRegex => !self.regex.as_ref().is_some_and(|r| r.is_match(v)),
        }
    }
}
