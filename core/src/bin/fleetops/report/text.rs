//! The checklist as text for a terminal or a log.

use std::fmt::Write;

use fleetops::report::{Level, Report};
use fleetops::slo::Budget;
use fleetops::time::to_iso;

use crate::table::{human_age, render as table};

fn mark(level: Level) -> &'static str {
    match level {
        Level::Pass => "ok",
        Level::Warn => "WARNING",
        Level::Error => "ERROR",
    }
}

fn pct(x: f64) -> String {
    format!("{x:.1} %")
}

pub fn render(r: &Report, source: &str) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "fleetops morning checklist at {} on {}\n", to_iso(r.now), crate::out::v(source));
    if let Some(f) = &r.freshness {
        let s = &f.tables.summary;
        let _ = writeln!(
            w,
            "1. Data freshness: {} tables, {} flagged [{}]",
            s.total,
            s.warn.len() + s.error.len(),
            mark(f.level)
        );
        let rows: Vec<Vec<String>> = f
            .tables
            .results
            .iter()
            .map(|t| {
                let mut notes = vec![];
                if t.stale {
                    notes.push("stale");
                }
                if t.late == Some(true) {
                    notes.push("late for its cadence");
                }
                vec![
                    t.table.clone(),
                    t.class.clone(),
                    t.age_seconds.map_or_else(|| "-".into(), human_age),
                    t.last_loaded_at.map_or_else(|| "never".into(), to_iso),
                    t.level.as_str().into(),
                    notes.join(", "),
                ]
            })
            .collect();
        let _ = writeln!(w, "{}\n", indent(&table(&["table", "class", "age", "last load", "level", "notes"], &rows)));
    }
    if let Some(s) = &r.slo {
        let p = &s.status.period;
        let _ = writeln!(w, "2. Error budget, {} to {} [{}]", to_iso(p.start), to_iso(p.end), mark(s.level));
        let rows: Vec<Vec<String>> = s
            .status
            .objectives
            .iter()
            .map(|o| match &o.budget {
                Budget::Ok(b) => vec![
                    o.name.clone(),
                    format!("{}", o.target * 100.0) + " %",
                    format!("{:.4} %", b.sli * 100.0),
                    format!("{} / {}", b.bad, b.total),
                    pct(b.used_percent),
                    pct(b.remaining_percent),
                    b.remaining_minutes.map_or_else(|| "-".into(), |m| format!("{m:.1}")),
                ],
                Budget::NoData { .. } => vec![o.name.clone(), format!("{} %", o.target * 100.0), "no data".into()],
            })
            .collect();
        let _ = writeln!(
            w,
            "{}",
            indent(&table(
                &["objective", "target", "SLI", "bad / total", "budget used", "remaining", "remaining min"],
                &rows
            ))
        );
        if let Some(line) = s.excluded_summary() {
            let _ = writeln!(w, "   {}", crate::out::v(&line));
        }
        let l = &s.status.latency;
        let ms = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| format!("{v:.0} ms"));
        let _ =
            writeln!(w, "   latency over the period: p50 {}, p95 {}, p99 {}", ms(l.p50_ms), ms(l.p95_ms), ms(l.p99_ms));
        if s.alerts.is_empty() {
            let _ = writeln!(w, "   burn-rate alerts: none\n");
        } else {
            let rows: Vec<Vec<String>> = s
                .alerts
                .iter()
                .map(|a| {
                    vec![
                        a.objective.clone(),
                        a.tier.clone(),
                        a.severity.clone(),
                        format!("{}x", a.factor),
                        to_iso(a.from),
                        a.to.map_or_else(|| "still firing".into(), to_iso),
                        format!("{:.1}x", a.peak_long_burn),
                    ]
                })
                .collect();
            let _ = writeln!(
                w,
                "   burn-rate alerts:\n{}\n",
                indent(&table(&["objective", "tier", "severity", "factor", "from", "to", "peak burn"], &rows))
            );
        }
    }
    if let Some(s) = &r.storms {
        let c = &s.counts;
        let _ = writeln!(
            w,
            "3. Alerts: {} seen, {} passed on, {} held back by storms, {} by flapping, {} muted [{}]",
            c.alerts,
            c.notified,
            c.suppressed_storm,
            c.suppressed_flapping,
            c.muted,
            mark(s.level)
        );
        let rows: Vec<Vec<String>> = s
            .fleet_storms
            .iter()
            .chain(&s.storms)
            .map(|e| {
                vec![
                    e.key.clone(),
                    to_iso(e.started_at),
                    e.ended_at.map_or_else(|| "ongoing".into(), to_iso),
                    e.suppressed.to_string(),
                ]
            })
            .collect();
        if rows.is_empty() {
            let _ = writeln!(w, "   storms: none");
        } else {
            let _ = writeln!(w, "   storms:\n{}", indent(&table(&["key", "started", "ended", "suppressed"], &rows)));
        }
        if s.flapping.is_empty() {
            let _ = writeln!(w, "   flapping: none");
        }
        for f in &s.flapping {
            let until = f.ended_at.map_or_else(|| "its last alert".into(), to_iso);
            let _ = writeln!(
                w,
                "   flapping: {} from {} to {until} ({:.1} % state change)",
                crate::out::v(&f.key),
                to_iso(f.started_at),
                f.percent
            );
        }
        if !s.muted_by.is_empty() {
            let list: Vec<String> = s.muted_by.iter().map(|(k, n)| format!("{} ({n})", crate::out::v(k))).collect();
            let _ = writeln!(w, "   mutes applied: {}", list.join(", "));
        }
        let _ = writeln!(w);
    }
    if let Some(d) = &r.dedup {
        let c = &d.counts;
        let total = c.first + c.duplicate + c.late + c.future;
        let _ = writeln!(
            w,
            "4. Duplicates: {total} events, {} duplicates, {} late, {} too far ahead [{}]",
            c.duplicate,
            c.late,
            c.future,
            mark(d.level)
        );
        for h in d.duplicate_hours.iter().take(5) {
            let _ = writeln!(w, "   {} duplicates with event times in the hour from {}", h.duplicates, to_iso(h.hour));
        }
        let _ = writeln!(w);
    }
    let findings = r.findings();
    let _ = writeln!(w, "Result: {} (exit {}), {} findings", mark(r.level), r.exit_code(), findings.len());
    for f in &findings {
        let (subject, summary) = (crate::out::v(&f.subject), crate::out::v(&f.summary));
        let _ = writeln!(w, "  [{}] {} {subject}: {summary}", mark(f.level), f.check);
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}")).collect::<Vec<_>>().join("\n")
}
