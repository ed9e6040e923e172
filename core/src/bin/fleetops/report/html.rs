//! The report as one self-contained HTML page: inline CSS and SVG, no scripts, no fetches.

use std::fmt::Write;

use fleetops::report::{Level, Report};
use fleetops::slo::Budget;
use fleetops::time::to_iso;

use super::svg::{bar_chart, esc, line_chart, Band, Scale, Series, ValueAxis};
use crate::table::human_age;

const COLORS: [&str; 8] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}\
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}\
.chip{padding:1px 7px;border-radius:9px;font-size:12px;color:#fff}\
.pass{background:#2b8a3e}.warn{background:#e67700}.error{background:#c92a2a}\
.EXCELLENT{background:#2b8a3e}.GOOD{background:#5c940d}.ACCEPTABLE{background:#e67700}.POOR,.MISSING,.FUTURE{background:#c92a2a}\
svg.chart{display:block;margin:6px 0 18px;background:#fcfcfc;border:1px solid #eee}\
.grid{stroke:#e6e6e6}.tick,.legend,.ref-label{font-size:11px;fill:#555}.ref{stroke:#c92a2a;stroke-dasharray:4 3}\
li{margin:2px 0}";

fn chip(level: Level) -> String {
    format!(r#"<span class="chip {0}">{0}</span>"#, level.as_str())
}

pub fn render(r: &Report, source: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>fleetops report {now}</title><style>{STYLE}</style></head><body><h1>fleetops morning checklist {}</h1><p>At {now} on {}.</p>"#,
        chip(r.level),
        esc(source),
        now = to_iso(r.now)
    );
    let findings = r.findings();
    let _ = write!(h, r#"<h2>Findings ({})</h2><ul id="findings">"#, findings.len());
    for f in &findings {
        let _ = write!(h, "<li>{} <b>{}</b> {}: {}</li>", chip(f.level), f.check, esc(&f.subject), esc(&f.summary));
    }
    if findings.is_empty() {
        h.push_str("<li>All clear.</li>");
    }
    h.push_str("</ul>");
    freshness(&mut h, r);
    slo(&mut h, r);
    storms(&mut h, r);
    if let Some(d) = &r.dedup {
        let c = &d.counts;
        let _ = write!(
            h,
            r#"<h2>Duplicates {}</h2><p id="dedup">{} events: {} first, {} duplicates, {} late, {} too far ahead.</p><ul>"#,
            chip(d.level),
            c.first + c.duplicate + c.late + c.future,
            c.first,
            c.duplicate,
            c.late,
            c.future
        );
        for hr in d.duplicate_hours.iter().take(10) {
            let _ = write!(
                h,
                "<li>{} duplicates with event times in the hour from {}</li>",
                hr.duplicates,
                to_iso(hr.hour)
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}

fn freshness(h: &mut String, r: &Report) {
    let Some(f) = &r.freshness else { return };
    let _ = write!(
        h,
        r#"<h2>Data freshness {}</h2><table id="freshness-table"><thead><tr><th>table</th><th>class</th><th>age</th><th>last load</th><th>level</th><th>expected every</th><th>notes</th></tr></thead><tbody>"#,
        chip(f.level)
    );
    for t in &f.tables.results {
        let expected = match &t.cadence {
            Some(fleetops::freshness::CadenceCheck::Learned { expected_interval_seconds, .. }) => {
                human_age(*expected_interval_seconds)
            }
            _ => "-".into(),
        };
        let mut notes = vec![];
        if t.stale {
            notes.push("stale");
        }
        if t.late == Some(true) {
            notes.push("late for its cadence");
        }
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td><span class="chip {class}">{class}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{expected}</td><td>{}</td></tr>"#,
            esc(&t.table),
            t.age_seconds.map_or_else(|| "-".into(), human_age),
            t.last_loaded_at.map_or_else(|| "never".into(), to_iso),
            chip(t.level),
            notes.join(", "),
            class = esc(&t.class)
        );
    }
    h.push_str("</tbody></table>");
}

fn slo(h: &mut String, r: &Report) {
    let Some(s) = &r.slo else { return };
    let _ = write!(h, "<h2>Error budget {}</h2><table><tr><th>objective</th><th>target</th><th>SLI</th><th>budget used</th><th>remaining</th></tr>", chip(s.level));
    for o in &s.status.objectives {
        if let Budget::Ok(b) = &o.budget {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} %</td><td>{:.4} %</td><td>{:.1} %</td><td>{:.1} %</td></tr>",
                esc(&o.name),
                o.target * 100.0,
                b.sli * 100.0,
                b.used_percent,
                b.remaining_percent
            );
        }
    }
    h.push_str("</table>");
    if let Some(line) = s.excluded_summary() {
        let _ = write!(h, "<p class=\"excluded\">{}</p>", esc(&line));
    }
    // Shaded: maintenance (grey) and corrections (blue), left out of the budgets; then the
    // burn-rate episodes.
    let (first, last) = (s.chart_at.first().copied().unwrap_or(r.now), r.now);
    let excluded =
        s.excluded_spans().into_iter().filter(|(a, b, _, _)| *b > first && *a < last).map(|(a, b, label, planned)| {
            Band { from: a.max(first), to: b.min(last), label, color: if planned { "#868e96" } else { "#1c7ed6" } }
        });
    let incidents: Vec<Band> = excluded
        .chain(s.alerts.iter().map(|a| Band {
            from: a.from,
            to: a.to.unwrap_or(r.now),
            label: format!("{} {} ({})", a.objective, a.tier, a.severity),
            color: if a.severity == "page" { "#c92a2a" } else { "#e67700" },
        }))
        .collect();
    let budget: Vec<Series> = s
        .series
        .iter()
        .enumerate()
        .map(|(i, o)| Series {
            name: o.objective.clone(),
            color: COLORS[i % COLORS.len()],
            values: &o.remaining_percent,
            opacity: 1.0,
        })
        .collect();
    let lowest = s.series.iter().flat_map(|o| o.remaining_percent.iter().flatten()).fold(0.0f64, |a, b| a.min(*b));
    h.push_str("<h3>Budget remaining over the period</h3>");
    h.push_str(&line_chart(
        "budget-chart",
        "Error budget remaining (%) per objective",
        &s.chart_at,
        &budget,
        ValueAxis { scale: Scale::Linear { min: lowest.floor(), max: 100.0 }, unit: " %", refs: &[] },
        &incidents,
    ));
    if let Some(first) = s.series.first() {
        let burn: Vec<Series> = first
            .burn
            .iter()
            .enumerate()
            .map(|(i, w)| Series {
                name: format!("{} window", human_window(w.window_seconds)),
                color: COLORS[i % COLORS.len()],
                values: &w.rate,
                opacity: if w.window_seconds < 3600.0 { 0.35 } else { 1.0 },
            })
            .collect();
        let peak = first.burn.iter().flat_map(|w| w.rate.iter().flatten()).fold(1.0f64, |a, b| a.max(*b));
        let mut refs: Vec<(f64, String)> = vec![];
        for tier in s.status.objectives.first().map(|o| o.burn.as_slice()).unwrap_or_default() {
            if !refs.iter().any(|(f, _)| *f == tier.factor) {
                refs.push((tier.factor, format!("{}x {}", tier.factor, tier.severity)));
            }
        }
        let _ = write!(h, "<h3>Burn rate per window: {}</h3>", esc(&first.objective));
        h.push_str(&line_chart(
            "burn-chart",
            &format!("Burn rate of {} per window (log scale)", first.objective),
            &s.chart_at,
            &burn,
            ValueAxis {
                scale: Scale::Log { min: 0.01, max: 10f64.powf(peak.log10().ceil().max(2.0)) },
                unit: "x",
                refs: &refs,
            },
            &incidents,
        ));
    }
}

fn human_window(seconds: f64) -> String {
    let s = seconds as i64;
    if s % 86_400 == 0 {
        format!("{}d", s / 86_400)
    } else if s % 3_600 == 0 {
        format!("{}h", s / 3_600)
    } else {
        format!("{}m", s / 60)
    }
}

fn storms(h: &mut String, r: &Report) {
    let Some(s) = &r.storms else { return };
    let c = &s.counts;
    let _ = write!(
        h,
        "<h2>Alerts {}</h2><p>{} alerts: {} passed on, {} held back by storms, {} by flapping, {} muted.</p>",
        chip(s.level),
        c.alerts,
        c.notified,
        c.suppressed_storm,
        c.suppressed_flapping,
        c.muted
    );
    let mut marks: Vec<Band> = s
        .fleet_storms
        .iter()
        .chain(&s.storms)
        .map(|e| Band {
            from: e.started_at,
            to: e.ended_at.unwrap_or(r.now),
            label: format!("storm {} ({} suppressed)", e.key, e.suppressed),
            color: "#c92a2a",
        })
        .collect();
    marks.extend(s.flapping.iter().map(|f| Band {
        from: f.started_at,
        to: f.ended_at.unwrap_or(f.started_at + chrono::TimeDelta::minutes(30)),
        label: format!("flapping {}", f.key),
        color: "#e67700",
    }));
    h.push_str(&bar_chart(
        "storm-chart",
        "Alerts per hour (log scale) with storms and flapping",
        s.per_hour.start,
        s.per_hour.width_seconds,
        &s.per_hour.counts,
        &marks,
    ));
    h.push_str(r#"<table id="storm-table"><tr><th>key</th><th>started</th><th>ended</th><th>suppressed</th></tr>"#);
    for e in s.fleet_storms.iter().chain(&s.storms) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.key),
            to_iso(e.started_at),
            e.ended_at.map_or_else(|| "ongoing".into(), to_iso),
            e.suppressed
        );
    }
    h.push_str("</table>");
    for f in &s.flapping {
        let _ = write!(
            h,
            "<p>Flapping: <b>{}</b> from {} ({:.1} % state change).</p>",
            esc(&f.key),
            to_iso(f.started_at),
            f.percent
        );
    }
}
