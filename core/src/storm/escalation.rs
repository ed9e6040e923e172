//! Escalation and lifecycle, as a pure function of the alerts and `now`: an unacknowledged
//! warning becomes critical after 4 h; an alert nobody acted on is auto-acknowledged after
//! 7 days; P0-P3 response clocks (15 min, 1 h, 4 h, next business day at 09:00); L1 -> L2 ->
//! L3 after 30 min / 1 h (P0) and 2 h / 4 h (P1) without acknowledgement. Every deadline is
//! due at exactly its instant (`now >= raised_at + delay`).

use chrono::{Datelike, NaiveTime, TimeDelta, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};
use crate::time::Timestamp;

/// A priority and its response clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Priority {
    /// 15 minutes.
    P0,
    /// 1 hour.
    P1,
    /// 4 hours.
    P2,
    /// Next business day.
    P3,
}

impl Priority {
    /// Parses `P0`..`P3` (case-insensitive).
    pub fn parse(text: &str) -> Result<Self> {
        match text.to_ascii_uppercase().as_str() {
            "P0" => Ok(Self::P0),
            "P1" => Ok(Self::P1),
            "P2" => Ok(Self::P2),
            "P3" => Ok(Self::P3),
            _ => Err(FleetopsError::InvalidArgument(format!("priority must be P0..P3, not {text:?}"))),
        }
    }
}

/// One alert's lifecycle, as the caller's store has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AlertRecord {
    /// Its id.
    pub id: String,
    /// When it was raised.
    #[serde(with = "crate::wire::iso_de")]
    #[schemars(with = "String")]
    pub raised_at: Timestamp,
    /// `warning`, `critical`, ...
    #[serde(default = "warning")]
    pub severity: String,
    /// P0..P3, if triaged.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// When someone acknowledged it.
    #[serde(default, with = "opt_iso")]
    #[schemars(with = "Option<String>")]
    pub acked_at: Option<Timestamp>,
    /// When someone acted on it (a comment, an assignment).
    #[serde(default, with = "opt_iso")]
    #[schemars(with = "Option<String>")]
    pub actioned_at: Option<Timestamp>,
    /// When it resolved.
    #[serde(default, with = "opt_iso")]
    #[schemars(with = "Option<String>")]
    pub resolved_at: Option<Timestamp>,
}

fn warning() -> String {
    "warning".into()
}

mod opt_iso {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::time::{parse_timestamp, Timestamp};

    pub fn serialize<S: Serializer>(ts: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        crate::wire::iso_opt(ts, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Option::<String>::deserialize(d)?.map(|t| parse_timestamp(&t).map_err(serde::de::Error::custom)).transpose()
    }
}

/// The policy; [`EscalationPolicy::runbook`] is the runbooks' (003, 004).
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationPolicy {
    /// Unacknowledged warning -> critical after (4 h).
    pub warning_to_critical: TimeDelta,
    /// Unactioned alert auto-acknowledged after (7 days).
    pub auto_acknowledge: TimeDelta,
    /// Response clocks for P0, P1, P2 (P3 is the next business day).
    pub response: [TimeDelta; 3],
    /// L1 -> L2 and L2 -> L3 for P0 and P1.
    pub levels: [[TimeDelta; 2]; 2],
    /// Zone of business days.
    pub timezone: Tz,
}

impl EscalationPolicy {
    /// 4 h, 7 days, 15 min / 1 h / 4 h / next business day, P0 30 min / 1 h, P1 2 h / 4 h, UTC.
    pub fn runbook() -> Self {
        Self {
            warning_to_critical: TimeDelta::hours(4),
            auto_acknowledge: TimeDelta::days(7),
            response: [TimeDelta::minutes(15), TimeDelta::hours(1), TimeDelta::hours(4)],
            levels: [[TimeDelta::minutes(30), TimeDelta::hours(1)], [TimeDelta::hours(2), TimeDelta::hours(4)]],
            timezone: Tz::UTC,
        }
    }

    /// When a response to an alert raised at `raised` is due.
    pub fn response_due(&self, priority: Priority, raised: Timestamp) -> Timestamp {
        match priority {
            Priority::P0 => raised + self.response[0],
            Priority::P1 => raised + self.response[1],
            Priority::P2 => raised + self.response[2],
            Priority::P3 => {
                // 09:00 on the first Monday-Friday after the day it was raised (local time).
                let mut day = raised.with_timezone(&self.timezone).date_naive();
                loop {
                    day = day.succ_opt().expect("a next day");
                    if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                        break;
                    }
                }
                crate::time::localize(
                    day.and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("09:00")),
                    self.timezone.name(),
                )
                .unwrap_or_else(|_| raised + TimeDelta::days(1))
            }
        }
    }
}

/// What is due.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueAction {
    /// Raise the severity to critical.
    EscalateToCritical,
    /// Acknowledge it automatically.
    AutoAcknowledge,
    /// Page the next level (`L2` or `L3`).
    EscalateLevel,
    /// The response clock ran out.
    ResponseOverdue,
}

/// One thing due for one alert.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Due {
    /// The alert.
    pub id: String,
    /// What to do.
    pub action: DueAction,
    /// For `escalate_level`: `L2` or `L3`.
    pub level: Option<&'static str>,
    /// Since when it is due.
    #[serde(serialize_with = "crate::wire::iso")]
    #[schemars(with = "String")]
    pub due_at: Timestamp,
    /// Why, in words.
    pub reason: String,
}

/// Everything due at `now`, by due time then id. Resolved alerts owe nothing.
pub fn escalations_due(alerts: &[AlertRecord], policy: &EscalationPolicy, now: Timestamp) -> Vec<Due> {
    let mut out = Vec::new();
    let hours = |d: TimeDelta| crate::time::secs_f64(d) / 3600.0;
    for a in alerts.iter().filter(|a| a.resolved_at.is_none_or(|r| r > now)) {
        let unacked = a.acked_at.is_none_or(|t| t > now);
        let mut push = |action, level, due_at: Timestamp, reason: String| {
            if now >= due_at {
                out.push(Due { id: a.id.clone(), action, level, due_at, reason });
            }
        };
        if unacked && a.severity == "warning" {
            let due = a.raised_at + policy.warning_to_critical;
            push(
                DueAction::EscalateToCritical,
                None,
                due,
                format!("warning unacknowledged for {} h", hours(policy.warning_to_critical)),
            );
        }
        if unacked && a.actioned_at.is_none_or(|t| t > now) {
            let due = a.raised_at + policy.auto_acknowledge;
            push(
                DueAction::AutoAcknowledge,
                None,
                due,
                format!("no action for {} days", hours(policy.auto_acknowledge) / 24.0),
            );
        }
        if let (true, Some(p)) = (unacked, a.priority) {
            let due = policy.response_due(p, a.raised_at);
            push(DueAction::ResponseOverdue, None, due, format!("{p:?} response due at {}", crate::time::to_iso(due)));
            if let Some(levels) = match p {
                Priority::P0 => Some(policy.levels[0]),
                Priority::P1 => Some(policy.levels[1]),
                _ => None,
            } {
                // The highest level reached.
                if let Some((i, d)) = levels.iter().enumerate().rev().find(|(_, d)| now >= a.raised_at + **d) {
                    let level = ["L2", "L3"][i];
                    push(
                        DueAction::EscalateLevel,
                        Some(level),
                        a.raised_at + *d,
                        format!("{p:?} unacknowledged for {} h: page {level}", hours(*d)),
                    );
                }
            }
        }
    }
    out.sort_by(|x, y| x.due_at.cmp(&y.due_at).then_with(|| x.id.cmp(&y.id)));
    out
}
