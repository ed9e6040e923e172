//! Maintenance windows: planned time that counts for nothing.
//!
//! A window recurs (a cron expression read in an IANA zone, lasting a fixed elapsed
//! duration: "first Sunday 02:00 America/New_York for 2 h" starts at 02:00 local time in
//! winter and in summer) or happens once (`start` .. `end`). The SLO tracker leaves the time
//! inside out of its budgets and burn windows; the same windows can hold storm notifications
//! and freshness expectations. Cron rules are croner's (OCPS): `SUN#1` is the first Sunday of
//! the month; a start skipped by spring-forward moves to the first valid time after the gap, a
//! start repeated at fall-back happens once, at the first occurrence.

use std::str::FromStr;

use chrono::{DurationRound, TimeDelta, Utc};
use chrono_tz::Tz;
use croner::Cron;
use serde::{Deserialize, Serialize};

use crate::error::{FleetopsError, Result};
use crate::time::{parse_timestamp, parse_timezone, DurationSpec, Timestamp};

/// The most windows one spec may hold.
pub const MAX_WINDOWS: usize = 64;
/// The longest a window may last, in days.
pub const MAX_WINDOW_DAYS: i64 = 7;
/// A recurring window starts at most once an hour. Cron fields combine as a product, so every
/// hour that has a start has the same number of them (seconds matched times minutes matched):
/// counting the starts in the hour of the first one checks the whole schedule, whatever its
/// hour, day, month and year fields say. This bounds the work of expanding a period's windows.
pub const MAX_STARTS_PER_HOUR: usize = 1;

/// A maintenance window as written in a spec: recurring (`cron`, `duration`, `timezone`) or
/// once (`start`, `end`, ISO-8601 with an offset).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceSpec {
    /// A name for status and reports (default `maintenance`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Recurring: when each window starts, e.g. `0 2 * * SUN#1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    /// Recurring: how long each window lasts (elapsed time), e.g. `2h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationSpec>,
    /// Recurring: the zone the cron expression is read in (default UTC).
    #[serde(default, alias = "timeZone", alias = "tz", skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Once: the first instant inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Once: the first instant after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// One occurrence of a window: `[start, end)`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Occurrence {
    /// The window's name.
    pub name: String,
    /// The first instant inside.
    #[serde(serialize_with = "crate::wire::iso")]
    #[schemars(with = "String")]
    pub start: Timestamp,
    /// The first instant after.
    #[serde(serialize_with = "crate::wire::iso")]
    #[schemars(with = "String")]
    pub end: Timestamp,
}

#[derive(Debug, Clone)]
enum When {
    Recurring { cron: Box<Cron>, tz: Tz, duration: TimeDelta },
    Once { start: Timestamp, end: Timestamp },
}

#[derive(Debug, Clone)]
struct Window {
    name: String,
    when: When,
}

/// A set of maintenance windows, checked.
#[derive(Debug, Clone, Default)]
pub struct Maintenance {
    specs: Vec<MaintenanceSpec>,
    windows: Vec<Window>,
}

/// Saved and compared as the windows written.
impl Serialize for Maintenance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.specs.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Maintenance {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let specs = Vec::<MaintenanceSpec>::deserialize(d)?;
        Maintenance::new(&specs).map_err(serde::de::Error::custom)
    }
}

impl PartialEq for Maintenance {
    fn eq(&self, other: &Self) -> bool {
        self.specs == other.specs
    }
}

fn invalid(i: usize, name: &str, what: String) -> FleetopsError {
    FleetopsError::InvalidSchedule(format!("maintenance window {i} ('{name}'): {what}"))
}

impl Window {
    fn new(i: usize, spec: &MaintenanceSpec) -> Result<Self> {
        let name = spec.name.clone().unwrap_or_else(|| "maintenance".into());
        if name.is_empty() || name.len() > 200 {
            return Err(invalid(i, &name, "a name is 1 to 200 bytes".into()));
        }
        let recurring = spec.cron.is_some() || spec.duration.is_some() || spec.timezone.is_some();
        let once = spec.start.is_some() || spec.end.is_some();
        let when = match (recurring, once, spec) {
            (true, false, MaintenanceSpec { cron: Some(cron), duration: Some(duration), timezone, .. }) => {
                let parsed = Cron::from_str(cron).map_err(|e| invalid(i, &name, format!("cron '{cron}': {e}")))?;
                let tz = parse_timezone(timezone.as_deref().unwrap_or("UTC")).map_err(|e| e.at(&name))?;
                let duration = duration.to_delta().map_err(|e| e.at(format!("maintenance window '{name}'")))?;
                if duration <= TimeDelta::zero() || duration > TimeDelta::days(MAX_WINDOW_DAYS) {
                    return Err(invalid(
                        i,
                        &name,
                        format!("a window lasts more than 0 and at most {MAX_WINDOW_DAYS} days"),
                    ));
                }
                let too_dense = || invalid(i, &name, format!("cron '{cron}' starts more often than hourly"));
                let from =
                    chrono::DateTime::<Utc>::from_timestamp(946_684_800, 0).expect("2000-01-01").with_timezone(&tz);
                let first = parsed
                    .find_next_occurrence(&from, true)
                    .map_err(|e| invalid(i, &name, format!("cron '{cron}' never starts: {e}")))?;
                let hour = first.with_timezone(&Utc).duration_trunc(TimeDelta::hours(1)).map_err(|_| too_dense())?;
                let starts = parsed
                    .iter_from(hour.with_timezone(&tz), croner::Direction::Forward)
                    .take(MAX_STARTS_PER_HOUR + 1)
                    .take_while(|t| *t < hour + TimeDelta::hours(1));
                if starts.count() > MAX_STARTS_PER_HOUR {
                    return Err(too_dense());
                }
                When::Recurring { cron: Box::new(parsed), tz, duration }
            }
            (false, true, MaintenanceSpec { start: Some(start), end: Some(end), .. }) => {
                let (start, end) = (parse_timestamp(start)?, parse_timestamp(end)?);
                if end <= start || end - start > TimeDelta::days(MAX_WINDOW_DAYS) {
                    return Err(invalid(i, &name, format!("end must follow start by at most {MAX_WINDOW_DAYS} days")));
                }
                When::Once { start, end }
            }
            _ => {
                return Err(invalid(i, &name, "give either cron and duration (and a timezone) or start and end".into()))
            }
        };
        Ok(Self { name, when })
    }

    /// Every occurrence overlapping `[from, to)`, in start order.
    fn occurrences(&self, from: Timestamp, to: Timestamp, out: &mut Vec<Occurrence>) {
        self.each(from, to, |start, end| out.push(Occurrence { name: self.name.clone(), start, end }));
    }

    /// Calls `f(start, end)` for every occurrence overlapping `[from, to)`, in start order.
    fn each(&self, from: Timestamp, to: Timestamp, mut f: impl FnMut(Timestamp, Timestamp)) {
        match &self.when {
            When::Once { start, end } => {
                if *start < to && *end > from {
                    f(*start, *end);
                }
            }
            When::Recurring { cron, tz, duration } => {
                // A window that started up to one duration before `from` still overlaps it.
                let first = (from - *duration).with_timezone(tz);
                for start in cron.iter_after(first) {
                    let start = start.with_timezone(&Utc);
                    if start >= to {
                        break;
                    }
                    if start + *duration > from {
                        f(start, start + *duration);
                    }
                }
            }
        }
    }

    /// The union of this window's occurrences overlapping `[from, to)`, as disjoint spans in
    /// start order: a long window recurring more often than it lasts is one span.
    fn spans(&self, from: Timestamp, to: Timestamp, out: &mut Vec<Occurrence>) {
        let mut current: Option<(Timestamp, Timestamp)> = None;
        self.each(from, to, |start, end| match &mut current {
            Some((_, e)) if start <= *e => *e = (*e).max(end),
            _ => {
                if let Some((a, b)) = current.replace((start, end)) {
                    out.push(Occurrence { name: self.name.clone(), start: a, end: b });
                }
            }
        });
        if let Some((a, b)) = current {
            out.push(Occurrence { name: self.name.clone(), start: a, end: b });
        }
    }
}

impl Window {
    /// The occurrence covering `at` that ends last, found in one backward cron step (not by
    /// walking every occurrence a long window overlaps).
    fn covering(&self, at: Timestamp) -> Option<(Timestamp, Timestamp)> {
        match &self.when {
            When::Once { start, end } => (*start <= at && at < *end).then_some((*start, *end)),
            When::Recurring { cron, tz, duration } => {
                let start = cron.find_previous_occurrence(&at.with_timezone(tz), true).ok()?.with_timezone(&Utc);
                (start + *duration > at).then(|| (start, start + *duration))
            }
        }
    }
}

impl Maintenance {
    /// Whether `at` is inside any window: one lookup per window, however many occurrences
    /// overlap it.
    pub fn covers(&self, at: Timestamp) -> bool {
        self.windows.iter().any(|w| w.covering(at).is_some())
    }

    /// Of the occurrences covering `at`, the one that ends last (none outside maintenance).
    pub fn covering_longest(&self, at: Timestamp) -> Option<Occurrence> {
        self.windows
            .iter()
            .filter_map(|w| w.covering(at).map(|(start, end)| Occurrence { name: w.name.clone(), start, end }))
            .max_by_key(|o| o.end)
    }

    /// Checks a spec's windows: at most [`MAX_WINDOWS`]; each recurring (cron, duration up to
    /// [`MAX_WINDOW_DAYS`], zone) or once (start before end). `INVALID_SCHEDULE` names the
    /// window otherwise.
    pub fn new(specs: &[MaintenanceSpec]) -> Result<Self> {
        if specs.len() > MAX_WINDOWS {
            return Err(FleetopsError::InvalidSchedule(format!(
                "at most {MAX_WINDOWS} maintenance windows, not {}",
                specs.len()
            )));
        }
        let windows = specs.iter().enumerate().map(|(i, s)| Window::new(i, s)).collect::<Result<_>>()?;
        Ok(Self { specs: specs.to_vec(), windows })
    }

    /// The windows as written.
    pub fn specs(&self) -> &[MaintenanceSpec] {
        &self.specs
    }

    /// No window at all.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// Every occurrence of every window overlapping `[from, to)`, by start (then name).
    pub fn occurrences(&self, from: Timestamp, to: Timestamp) -> Vec<Occurrence> {
        occurrences_of(&[self], from, to)
    }

    /// Per window, the union of its occurrences overlapping `[from, to)`: disjoint spans, by
    /// window then start. Memory follows the spans, not the occurrences (an hourly window that
    /// lasts a week is one span however long the range).
    pub fn spans_by_window(&self, from: Timestamp, to: Timestamp) -> Vec<Occurrence> {
        let mut out = Vec::new();
        for w in &self.windows {
            w.spans(from, to, &mut out);
        }
        out
    }

    /// The occurrences covering `at` (none outside maintenance).
    pub fn active_at(&self, at: Timestamp) -> Vec<Occurrence> {
        self.occurrences(at, at + TimeDelta::microseconds(1))
    }

    /// Whether every window happens once (`start`, `end`), none recurring.
    pub fn all_once(&self) -> bool {
        self.windows.iter().all(|w| matches!(w.when, When::Once { .. }))
    }
}

/// Every occurrence of the windows of all `sets` overlapping `[from, to)`, by start (then
/// end and name).
pub fn occurrences_of(sets: &[&Maintenance], from: Timestamp, to: Timestamp) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for w in sets.iter().flat_map(|m| &m.windows) {
        w.occurrences(from, to, &mut out);
    }
    out.sort_by(|a, b| (a.start, a.end, &a.name).cmp(&(b.start, b.end, &b.name)));
    out
}

/// The longest range [`windows_between`] expands, in days.
pub const MAX_RANGE_DAYS: i64 = 400;

/// Every occurrence of the windows `specs` overlapping `[start, end)` (at most
/// [`MAX_RANGE_DAYS`] long), by start: what a calendar or a report shows.
pub fn windows_between(specs: &[MaintenanceSpec], start: Timestamp, end: Timestamp) -> Result<Vec<Occurrence>> {
    if end <= start || end - start > TimeDelta::days(MAX_RANGE_DAYS) {
        return Err(FleetopsError::InvalidArgument(format!(
            "the range must end after it starts, within {MAX_RANGE_DAYS} days"
        )));
    }
    Ok(Maintenance::new(specs)?.occurrences(start, end))
}

/// The union of `[start, end)` spans as sorted, disjoint spans (touching spans join).
pub fn union(mut spans: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    spans.retain(|(a, b)| a < b);
    spans.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Microseconds of `[from, to)` inside the disjoint `spans`.
pub fn covered(spans: &[(i64, i64)], from: i64, to: i64) -> i64 {
    spans.iter().map(|&(a, b)| (b.min(to) - a.max(from)).max(0)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        parse_timestamp(s).unwrap()
    }

    fn recurring(cron: &str, duration: &str, tz: &str) -> MaintenanceSpec {
        MaintenanceSpec {
            cron: Some(cron.into()),
            duration: Some(DurationSpec::Text(duration.into())),
            timezone: Some(tz.into()),
            ..Default::default()
        }
    }

    #[test]
    fn first_sunday_keeps_its_local_time_across_dst() {
        let m = Maintenance::new(&[recurring("0 2 * * SUN#1", "2h", "America/New_York")]).unwrap();
        let got = m.occurrences(ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"));
        assert_eq!(got.len(), 12);
        // January (EST, UTC-5): 07:00Z; July (EDT, UTC-4): 06:00Z; November 1 is the fall-back
        // day itself, and 02:00 comes once, in EST.
        assert_eq!(got[0].start, ts("2026-01-04T07:00:00Z"));
        assert_eq!(got[6].start, ts("2026-07-05T06:00:00Z"));
        assert_eq!(got[10].start, ts("2026-11-01T07:00:00Z"));
        assert!(got.iter().all(|o| o.end - o.start == TimeDelta::hours(2)));
    }

    #[test]
    fn a_window_begun_before_the_range_is_included() {
        let m = Maintenance::new(&[recurring("0 2 * * *", "1h", "UTC")]).unwrap();
        let got = m.occurrences(ts("2026-11-22T02:30:00Z"), ts("2026-11-22T02:31:00Z"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].start, ts("2026-11-22T02:00:00Z"));
        assert!(m.active_at(ts("2026-11-22T03:00:00Z")).is_empty(), "the end is outside");
    }

    #[test]
    fn bad_windows_are_refused_by_name() {
        let code = |s: MaintenanceSpec| Maintenance::new(&[s]).unwrap_err().code();
        assert_eq!(code(recurring("0 2 * *", "1h", "UTC")), "INVALID_SCHEDULE");
        assert_eq!(code(recurring("* * * * *", "1h", "UTC")), "INVALID_SCHEDULE");
        // Density is checked over the whole schedule, not one month of it.
        assert_eq!(code(recurring("* * * * * * 2026", "1s", "UTC")), "INVALID_SCHEDULE");
        assert_eq!(code(recurring("* * * * 2-12 *", "1s", "UTC")), "INVALID_SCHEDULE");
        assert_eq!(code(recurring("0 0,30 * * 7 *", "1m", "UTC")), "INVALID_SCHEDULE");
        assert_eq!(code(recurring("0 0 30 2 *", "1h", "UTC")), "INVALID_SCHEDULE", "never starts");
        assert!(Maintenance::new(&[recurring("0 * * * *", "7d", "UTC")]).is_ok(), "hourly is allowed");
        assert_eq!(code(recurring("0 2 * * *", "8d", "UTC")), "INVALID_SCHEDULE");
        assert_eq!(code(recurring("0 2 * * *", "1h", "Mars/Olympus")), "INVALID_TIME_ZONE");
        let once =
            |a: &str, b: &str| MaintenanceSpec { start: Some(a.into()), end: Some(b.into()), ..Default::default() };
        assert_eq!(code(once("2026-11-22T03:00:00Z", "2026-11-22T02:00:00Z")), "INVALID_SCHEDULE");
        let mixed =
            MaintenanceSpec { start: Some("2026-11-22T03:00:00Z".into()), ..recurring("0 2 * * *", "1h", "UTC") };
        assert_eq!(code(mixed), "INVALID_SCHEDULE");
    }

    #[test]
    fn point_lookups_agree_with_the_occurrences() {
        let m = Maintenance::new(&[
            recurring("0 * * * *", "7d", "UTC"),
            recurring("0 2 * * SUN#1", "2h", "America/New_York"),
            MaintenanceSpec {
                start: Some("2026-03-08T06:30:00Z".into()),
                end: Some("2026-03-08T07:30:00Z".into()),
                ..Default::default()
            },
        ])
        .unwrap();
        let only_monthly = Maintenance::new(&[recurring("0 2 * * SUN#1", "2h", "America/New_York")]).unwrap();
        for minutes in (0..60 * 24 * 40).step_by(17) {
            let at = ts("2026-03-01T00:00:00Z") + TimeDelta::minutes(minutes);
            for set in [&m, &only_monthly] {
                let all = set.active_at(at);
                assert_eq!(set.covers(at), !all.is_empty(), "{at}");
                assert_eq!(set.covering_longest(at).map(|o| o.end), all.iter().map(|o| o.end).max(), "{at}");
            }
        }
    }

    #[test]
    fn a_windows_spans_are_the_union_of_its_occurrences() {
        let named = |name: &str, spec| MaintenanceSpec { name: Some(name.into()), ..spec };
        let m = Maintenance::new(&[
            named("weekly-long", recurring("0 * * * *", "7d", "UTC")),
            named("nightly", recurring("0 2 * * *", "1h", "UTC")),
        ])
        .unwrap();
        let (from, to) = (ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"));
        let spans = m.spans_by_window(from, to);
        // The hourly window that lasts a week is one span; the nightly hour is 365 of them.
        assert_eq!(spans.iter().filter(|o| o.name == "weekly-long").count(), 1);
        assert_eq!(spans.iter().filter(|o| o.name == "nightly").count(), 365);
        let micros = |o: &Occurrence| (o.start.timestamp_micros(), o.end.timestamp_micros());
        let all: Vec<(i64, i64)> = m.occurrences(from, to).iter().map(micros).collect();
        assert_eq!(union(spans.iter().map(micros).collect()), union(all));
    }

    #[test]
    fn spans_join_and_cover() {
        let u = union(vec![(5, 9), (0, 2), (2, 3), (8, 12), (20, 20)]);
        assert_eq!(u, vec![(0, 3), (5, 12)]);
        assert_eq!(covered(&u, 1, 6), 3);
    }
}
