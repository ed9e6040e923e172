//! Small SVG charts drawn from the report's numbers: time on x, one value per step on y.
//! No script and no external resources, so the page works offline and in any viewer.

use std::fmt::Write;

use chrono::Datelike;
use fleetops::time::Timestamp;

const W: f64 = 920.0;
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 84.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 30.0;

/// Escapes text for HTML and SVG.
pub use fleetops::escape::html::text as esc;

/// A line of values, one per time step (None leaves a gap).
pub struct Series<'a> {
    pub name: String,
    pub color: &'a str,
    pub values: &'a [Option<f64>],
    /// Noisy series (short windows) are drawn faint.
    pub opacity: f64,
}

/// How y maps to the plot.
#[derive(Clone, Copy)]
pub enum Scale {
    Linear {
        min: f64,
        max: f64,
    },
    /// Base-10 logarithmic; values below `min` sit on the floor.
    Log {
        min: f64,
        max: f64,
    },
}

impl Scale {
    fn y(self, v: f64) -> f64 {
        let (lo, hi, v) = match self {
            Scale::Linear { min, max } => (min, max, v),
            Scale::Log { min, max } => (min.log10(), max.log10(), v.max(min).log10()),
        };
        let f = if hi > lo { ((v - lo) / (hi - lo)).clamp(0.0, 1.0) } else { 0.5 };
        TOP + (1.0 - f) * (H - TOP - BOTTOM)
    }

    fn ticks(self) -> Vec<f64> {
        match self {
            Scale::Linear { min, max } => {
                let span = (max - min).max(1e-9);
                let raw = span / 5.0;
                let mag = 10f64.powf(raw.log10().floor());
                let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(raw);
                let mut t = (min / step).ceil() * step;
                let mut out = vec![];
                while t <= max + 1e-9 {
                    out.push(t);
                    t += step;
                }
                out
            }
            Scale::Log { min, max } => {
                let (a, b) = (min.log10().ceil() as i32, max.log10().floor() as i32);
                (a..=b).map(|e| 10f64.powi(e)).collect()
            }
        }
    }
}

/// Maps instants to x over `from..to`.
struct TimeAxis {
    from: i64,
    to: i64,
}

impl TimeAxis {
    fn x(&self, t: Timestamp) -> f64 {
        let span = (self.to - self.from).max(1) as f64;
        LEFT + ((t.timestamp() - self.from) as f64 / span).clamp(0.0, 1.0) * (W - LEFT - RIGHT)
    }

    /// Midnight ticks labelled `Sun 1`, thinned to at most ~10.
    fn draw(&self, svg: &mut String) {
        let days = (self.to - self.from) / 86_400 + 1;
        let every = (days / 10 + 1).max(1);
        let first = Timestamp::from_timestamp(self.from, 0).expect("valid");
        let mut day = first.date_naive().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        if day.timestamp() < self.from {
            day += chrono::TimeDelta::days(1);
        }
        let mut k = 0;
        while day.timestamp() <= self.to {
            if k % every == 0 {
                let x = self.x(day);
                let _ = write!(
                    svg,
                    r##"<line class="grid" x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{} {}</text>"##,
                    H - BOTTOM,
                    H - BOTTOM + 16.0,
                    day.weekday(),
                    day.day()
                );
            }
            k += 1;
            day += chrono::TimeDelta::days(1);
        }
    }
}

/// A row of legend entries above the plot.
fn legend(svg: &mut String, entries: &[(&str, String, f64)]) {
    let mut x = LEFT;
    for (color, name, opacity) in entries {
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="10" width="12" height="10" fill="{color}" fill-opacity="{opacity}"/><text class="legend" x="{:.1}" y="19">{}</text>"##,
            x + 16.0,
            esc(name)
        );
        x += 32.0 + 7.4 * name.chars().count() as f64;
    }
}

fn open(svg: &mut String, id: &str, title: &str) {
    let _ = write!(
        svg,
        r##"<svg id="{id}" class="chart" role="img" aria-label="{t}" viewBox="0 0 {W} {H}" width="{W}" height="{H}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"##,
        t = esc(title)
    );
}

fn y_axis(svg: &mut String, scale: Scale, unit: &str) {
    for t in scale.ticks() {
        let y = scale.y(t);
        let label = if t >= 1.0 || t == 0.0 { format!("{t:.0}{unit}") } else { format!("{t}{unit}") };
        let _ = write!(
            svg,
            r##"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
}

/// Shaded intervals (incidents) behind the data, labelled at the top.
pub struct Band {
    pub from: Timestamp,
    pub to: Timestamp,
    pub label: String,
    pub color: &'static str,
}

fn bands(svg: &mut String, axis: &TimeAxis, bands: &[Band]) {
    for b in bands {
        let (x1, x2) = (axis.x(b.from), axis.x(b.to));
        let _ = write!(
            svg,
            r##"<rect class="band" x="{x1:.1}" y="{TOP}" width="{:.1}" height="{:.1}" fill="{}" fill-opacity="0.18"><title>{}</title></rect>"##,
            (x2 - x1).max(2.0),
            H - TOP - BOTTOM,
            b.color,
            esc(&b.label)
        );
    }
}

/// A chart's value axis: its scale, the unit after each tick, and labelled reference lines.
pub struct ValueAxis<'a> {
    /// Linear or log, with its range.
    pub scale: Scale,
    /// Appended to tick labels.
    pub unit: &'a str,
    /// Horizontal reference lines `(value, label)`.
    pub refs: &'a [(f64, String)],
}

/// A line chart over the instants `at`.
pub fn line_chart(
    id: &str,
    title: &str,
    at: &[Timestamp],
    series: &[Series<'_>],
    values: ValueAxis<'_>,
    marks: &[Band],
) -> String {
    let ValueAxis { scale, unit, refs } = values;
    let mut svg = String::new();
    open(&mut svg, id, title);
    let (Some(first), Some(last)) = (at.first(), at.last()) else {
        svg.push_str("</svg>");
        return svg;
    };
    let axis = TimeAxis { from: first.timestamp(), to: last.timestamp() };
    bands(&mut svg, &axis, marks);
    y_axis(&mut svg, scale, unit);
    axis.draw(&mut svg);
    for (v, label) in refs {
        let y = scale.y(*v);
        let _ = write!(
            svg,
            r##"<line class="ref" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="ref-label" x="{:.1}" y="{:.1}">{}</text>"##,
            W - RIGHT,
            W - RIGHT + 4.0,
            y + 4.0,
            esc(label)
        );
    }
    legend(&mut svg, &series.iter().map(|s| (s.color, s.name.clone(), 1.0)).collect::<Vec<_>>());
    for s in series {
        let mut d = String::new();
        let mut pen_down = false;
        for (t, v) in at.iter().zip(s.values) {
            match v {
                Some(v) if v.is_finite() => {
                    let _ = write!(d, "{}{:.1},{:.1}", if pen_down { " L" } else { " M" }, axis.x(*t), scale.y(*v));
                    pen_down = true;
                }
                _ => pen_down = false,
            }
        }
        let _ = write!(
            svg,
            r##"<path class="series" d="{}" fill="none" stroke="{}" stroke-opacity="{}" stroke-width="1.6"><title>{}</title></path>"##,
            d.trim(),
            s.color,
            s.opacity,
            esc(&s.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A bar chart of counts per fixed-width bucket from `start`, with shaded bands.
pub fn bar_chart(
    id: &str,
    title: &str,
    start: Timestamp,
    width_seconds: i64,
    counts: &[u64],
    marks: &[Band],
) -> String {
    let mut svg = String::new();
    open(&mut svg, id, title);
    let end = start + chrono::TimeDelta::seconds(width_seconds * counts.len() as i64);
    let axis = TimeAxis { from: start.timestamp(), to: end.timestamp() };
    bands(&mut svg, &axis, marks);
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let scale = Scale::Log { min: 1.0, max: 10f64.powf(max.log10().ceil().max(1.0)) };
    y_axis(&mut svg, scale, "");
    axis.draw(&mut svg);
    for (i, &c) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        let t0 = start + chrono::TimeDelta::seconds(width_seconds * i as i64);
        let (x1, x2) = (axis.x(t0), axis.x(t0 + chrono::TimeDelta::seconds(width_seconds)));
        // One alert still shows: the floor of the log scale is half a decade below 1.
        let y = scale.y(c as f64).min(H - BOTTOM - 2.0);
        let _ = write!(
            svg,
            r##"<rect class="bar" x="{x1:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="#4c6ef5"><title>{c} alerts from {}</title></rect>"##,
            (x2 - x1 - 0.3).max(0.8),
            H - BOTTOM - y,
            fleetops::time::to_iso(t0)
        );
    }
    legend(&mut svg, &marks.iter().map(|b| (b.color, b.label.clone(), 0.5)).collect::<Vec<_>>());
    svg.push_str("</svg>");
    svg
}
