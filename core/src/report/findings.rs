//! The report's findings as one flat list: what a person should look at, each with its level,
//! the check that raised it and its subject (a table, an objective, a key).

use serde::Serialize;

use super::{Level, Report};
use crate::slo::Budget;
use crate::time::to_iso;

/// One thing to look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How bad.
    pub level: Level,
    /// `freshness`, `slo`, `storms` or `dedup`.
    pub check: &'static str,
    /// The table, objective, key, or `duplicates` / `late` / `future`.
    pub subject: String,
    /// What was found, in words.
    pub summary: String,
}

/// `2026-11-05 14:10` (seconds only when there are some).
fn hm(t: crate::time::Timestamp) -> String {
    let text = to_iso(t).replace('T', " ");
    let text = text.trim_end_matches('Z');
    text.strip_suffix(":00").unwrap_or(text).to_owned()
}

impl Report {
    /// Everything above `pass`, in checklist order.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut add = |level, check, subject: &str, summary: String| {
            out.push(Finding { level, check, subject: subject.to_owned(), summary })
        };
        if let Some(f) = &self.freshness {
            for t in f.tables.results.iter().filter(|t| t.level > Level::Pass) {
                let mut notes = vec![t.class.clone()];
                if let Some(age) = t.age_seconds {
                    notes.push(format!("{:.0} min since the last load", age / 60.0));
                }
                if t.stale {
                    notes.push("stale".into());
                }
                if t.late == Some(true) {
                    notes.push("later than its learned cadence".into());
                }
                add(t.level, "freshness", &t.table, notes.join(", "));
            }
        }
        if let Some(s) = &self.slo {
            for o in &s.status.objectives {
                if let Budget::Ok(b) = &o.budget {
                    if b.overspent {
                        add(
                            Level::Error,
                            "slo",
                            &o.name,
                            format!("error budget overspent: {:.1} % used", b.used_percent),
                        );
                    }
                }
            }
            for a in &s.alerts {
                let level = if a.severity == "page" { Level::Error } else { Level::Warn };
                let until = a.to.map_or_else(|| "still firing".to_owned(), hm);
                add(
                    level,
                    "slo",
                    &a.objective,
                    format!(
                        "{} ({}, {}x) fired {} to {until}, peak burn {:.1}x",
                        a.tier,
                        a.severity,
                        a.factor,
                        hm(a.from),
                        a.peak_long_burn
                    ),
                );
            }
        }
        if let Some(s) = &self.storms {
            for e in &s.fleet_storms {
                add(
                    Level::Error,
                    "storms",
                    &e.key,
                    format!("fleet-wide storm from {}, {} alerts suppressed", hm(e.started_at), e.suppressed),
                );
            }
            for e in &s.storms {
                let until = e.ended_at.map_or_else(|| "ongoing".to_owned(), hm);
                add(
                    Level::Warn,
                    "storms",
                    &e.key,
                    format!("alert storm {} to {until}, {} alerts suppressed", hm(e.started_at), e.suppressed),
                );
            }
            for e in &s.flapping {
                let until = e.ended_at.map_or_else(|| "its last alert".to_owned(), hm);
                add(
                    Level::Warn,
                    "storms",
                    &e.key,
                    format!("flapping from {} to {until} ({:.1} % state change)", hm(e.started_at), e.percent),
                );
            }
        }
        if let Some(d) = &self.dedup {
            let c = &d.counts;
            if c.duplicate > 0 {
                let hours: Vec<String> =
                    d.duplicate_hours.iter().take(3).map(|h| format!("{} ({})", hm(h.hour), h.duplicates)).collect();
                let more = if d.duplicate_hours.len() > 3 {
                    format!(" and {} more hours", d.duplicate_hours.len() - 3)
                } else {
                    String::new()
                };
                add(
                    Level::Warn,
                    "dedup",
                    "duplicates",
                    format!("{} duplicate events, event-time hours {}{more}", c.duplicate, hours.join(", ")),
                );
            }
            if c.late > 0 {
                add(Level::Warn, "dedup", "late", format!("{} events behind the watermark", c.late));
            }
            if c.future > 0 {
                add(Level::Warn, "dedup", "future", format!("{} events too far ahead", c.future));
            }
        }
        out
    }
}
