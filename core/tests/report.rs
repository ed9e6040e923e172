//! The morning-checklist sections on small hand-made inputs, and the demo generator's plants.

use chrono::{TimeDelta, TimeZone, Utc};
use fleetops::demo::{generate, Planted, DEMO_SEED};
use fleetops::freshness::{CadenceOptions, FreshnessPolicy, Level};
use fleetops::report::{self, Report};
use fleetops::slo::TrackerConfig;
use fleetops::storm::Alert;
use fleetops::storm::StormConfig;
use fleetops::time::Timestamp;

fn t(d: u32, h: u32, m: u32, s: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, d, h, m, s).unwrap()
}

fn none() -> impl FnMut(u64) {
    |_| {}
}

#[test]
fn demo_is_deterministic_and_plants_what_it_says() {
    let (a, b) = (generate(DEMO_SEED), generate(DEMO_SEED));
    assert_eq!(a.requests.at_us, b.requests.at_us);
    assert_eq!(a.telemetry.at_ms, b.telemetry.at_ms);
    assert_eq!(a.alerts, b.alerts);
    assert_eq!(a.loads, b.loads);
    let p = Planted::demo();
    assert_eq!(p.now - p.start, TimeDelta::days(7));
    // 50 trucks x one event a minute for a week, plus the re-sent hour.
    assert_eq!(a.telemetry.len(), 50 * 60 * 24 * 7 + 3000);
    let storm: Vec<_> = a.alerts.iter().filter(|x| x.vehicle_id == "TRK-017").collect();
    assert_eq!(storm.len(), 2880);
    assert!(storm.iter().all(|x| x.at >= p.storm_from && x.at < p.storm_to));
    let ordinary = a.alerts.iter().filter(|x| x.vehicle_id != "TRK-017" && x.vehicle_id != "TRK-031").count();
    assert_eq!(ordinary, 419);
    assert!(a.loads.iter().filter(|l| l.table == "trip_events").all(|l| l.at <= p.stale_after));
    // ~8.27 requests/s for a week is 5.0M; the bad hour fails ~5 %.
    assert!((4_900_000..5_100_000).contains(&a.requests.len()), "{}", a.requests.len());
    let (from, to) = (p.bad_from.timestamp_micros(), p.bad_to.timestamp_micros());
    let bad: Vec<u16> = (0..a.requests.len())
        .filter(|&i| (from..to).contains(&a.requests.at_us[i]))
        .map(|i| a.requests.status[i])
        .collect();
    let share = bad.iter().filter(|s| **s >= 500).count() as f64 / bad.len() as f64;
    assert!((0.045..0.055).contains(&share), "{share}");
    // Another seed is another week.
    assert_ne!(generate(1).requests.at_us[..100], a.requests.at_us[..100]);
}

#[test]
fn freshness_groups_loads_per_table_and_lists_the_worst_first() {
    let now = t(8, 7, 0, 0);
    let mut loads = vec![];
    for k in 0..10 {
        loads.push(("b_hourly", now - TimeDelta::minutes(30 + 60 * k)));
        loads.push(("a_stopped", now - TimeDelta::minutes(800 + 60 * k)));
    }
    let s = report::freshness::check(&FreshnessPolicy::runbook(), &CadenceOptions::default(), &loads, now).unwrap();
    let names: Vec<_> = s.tables.results.iter().map(|r| (r.table.as_str(), r.class.as_str())).collect();
    assert_eq!(names, [("a_stopped", "POOR"), ("b_hourly", "EXCELLENT")]);
    assert_eq!(s.level, Level::Error);
    assert_eq!(s.tables.results[0].late, Some(true));
    assert_eq!(s.tables.results[1].late, Some(false));
}

/// One request a second from 00:00 to `end`, failing from `bad_from` to `bad_to`.
fn requests(end: Timestamp, bad_from: Timestamp, bad_to: Timestamp) -> (Vec<i64>, Vec<bool>, Vec<f64>) {
    let start = t(2, 0, 0, 0).timestamp();
    let (mut at, mut ok, mut lat) = (vec![], vec![], vec![]);
    for s in start..end.timestamp() {
        at.push(s * 1_000_000);
        ok.push(!(bad_from.timestamp()..bad_to.timestamp()).contains(&s));
        lat.push(100.0);
    }
    (at, ok, lat)
}

#[test]
fn slo_finds_the_page_episode_and_closes_it() {
    // 100 % failing for 30 min: a 1000x burn. page_fast needs the 1h window above 14.4x:
    // 14.4 x 0.1 % x 3600 s = 52 bad seconds, so it fires within the first 5-minute step that
    // holds them (00:55 after 00:50 start) and stops when the 5m window is clean again.
    let now = t(2, 6, 0, 0);
    let (at, ok, lat) = requests(now, t(2, 3, 0, 0), t(2, 3, 30, 0));
    let s = report::slo::check(TrackerConfig::runbook(), &at, &ok, &lat, now, Default::default(), &mut none()).unwrap();
    let fast: Vec<_> = s.alerts.iter().filter(|a| a.objective == "availability" && a.tier == "page_fast").collect();
    assert_eq!(fast.len(), 1);
    assert_eq!(fast[0].from, t(2, 3, 5, 0));
    assert_eq!(fast[0].to, Some(t(2, 3, 35, 0)));
    assert!(fast[0].peak_short_burn >= 999.0);
    assert_eq!(s.level, Level::Error);
    // Budget: 1800 bad of 21,600 is far past 0.1 %.
    assert!(s.status.objectives.iter().any(|o| matches!(&o.budget, fleetops::slo::Budget::Ok(b) if b.overspent)));
    // Charts: every 3rd 5-minute step, ending at now.
    assert_eq!(*s.chart_at.last().unwrap(), now);
    assert_eq!(s.series[0].remaining_percent.len(), s.chart_at.len());
}

#[test]
fn slo_episode_still_firing_at_now_has_no_end_and_clean_traffic_passes() {
    let now = t(2, 6, 0, 0);
    let (at, ok, lat) = requests(now, t(2, 5, 30, 0), t(2, 7, 0, 0));
    let s = report::slo::check(TrackerConfig::runbook(), &at, &ok, &lat, now, Default::default(), &mut none()).unwrap();
    assert!(s.alerts.iter().any(|a| a.tier == "page_fast" && a.to.is_none()));
    let (at, ok, lat) = requests(now, now, now);
    let s = report::slo::check(TrackerConfig::runbook(), &at, &ok, &lat, now, Default::default(), &mut none()).unwrap();
    assert!(s.alerts.is_empty());
    assert_eq!(s.level, Level::Pass);
}

#[test]
fn slo_refuses_no_requests_and_a_bad_step() {
    let e = report::slo::check(TrackerConfig::runbook(), &[], &[], &[], t(2, 0, 0, 0), Default::default(), &mut none())
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
    let scan = report::slo::Scan { step: TimeDelta::zero(), chart_every: 3 };
    let e = report::slo::check(TrackerConfig::runbook(), &[0], &[true], &[1.0], t(2, 0, 0, 0), scan, &mut none())
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_DURATION");
}

#[test]
fn storms_section_counts_one_storm_and_the_hourly_timeline() {
    // 30 alerts a second apart: 20 pass, the 21st starts the storm, 9 are suppressed.
    let labels = [("vehicle_id", "TRK-1")];
    let alerts: Vec<Alert> =
        (0..30).map(|i| Alert { key: "TRK-1", labels: &labels, at: t(3, 1, 0, i), firing: true }).collect();
    let quiet = [("vehicle_id", "TRK-2")];
    let mut all = alerts.clone();
    all.push(Alert { key: "TRK-2", labels: &quiet, at: t(3, 2, 30, 0), firing: true });
    let s =
        report::storms::check(StormConfig::default(), vec![], &all, t(3, 0, 0, 0), t(3, 4, 0, 0), &mut none()).unwrap();
    assert_eq!(s.storms.len(), 1);
    assert_eq!((s.storms[0].key.as_str(), s.storms[0].suppressed), ("TRK-1", 9));
    assert_eq!(s.storms[0].started_at, t(3, 1, 0, 20));
    assert!(s.storms[0].ended_at.is_some());
    assert_eq!(s.per_hour.counts, [0, 30, 1, 0]);
    assert_eq!(s.level, Level::Warn);
    let calm =
        report::storms::check(StormConfig::default(), vec![], &all[30..], t(3, 0, 0, 0), t(3, 4, 0, 0), &mut none())
            .unwrap();
    assert_eq!(calm.level, Level::Pass);
}

#[test]
fn dedup_section_counts_duplicates_by_event_hour() {
    let hour = t(4, 9, 0, 0).timestamp_millis();
    let keys = [1, 2, 1, 3, 2, 4];
    let at = [hour, hour + 1, hour, hour + 3_600_000, hour + 1, hour + 3_600_001];
    let s = report::dedup::check(report::dedup::default_config(), &keys, &at, &mut none()).unwrap();
    assert_eq!((s.counts.first, s.counts.duplicate, s.counts.late), (4, 2, 0));
    assert_eq!(s.duplicate_hours.len(), 1);
    assert_eq!((s.duplicate_hours[0].hour, s.duplicate_hours[0].duplicates), (t(4, 9, 0, 0), 2));
    assert_eq!(s.level, Level::Warn);
    // Three hours behind the newest event is past the 2 h lateness.
    let s = report::dedup::check(report::dedup::default_config(), &[1, 2], &[hour + 3 * 3_600_000, hour], &mut none())
        .unwrap();
    assert_eq!(s.counts.late, 1);
}

#[test]
fn report_level_is_the_worst_section_and_findings_name_each_problem() {
    let now = t(8, 7, 0, 0);
    let empty = Report::new(now, None, None, None, None);
    assert_eq!((empty.level, empty.exit_code()), (Level::Pass, 0));
    assert!(empty.findings().is_empty());
    let hour = now.timestamp_millis();
    let dedup = report::dedup::check(report::dedup::default_config(), &[1, 1], &[hour, hour], &mut none()).unwrap();
    let r = Report::new(now, None, None, None, Some(dedup));
    assert_eq!((r.level, r.exit_code()), (Level::Warn, 1));
    let f = r.findings();
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].check, f[0].subject.as_str()), ("dedup", "duplicates"));
    assert!(f[0].summary.starts_with("1 duplicate events"), "{}", f[0].summary);
}

#[test]
fn slo_scan_starts_no_earlier_than_the_period_and_refuses_out_of_range_instants() {
    // A request in October and one in November: the November report judges November only.
    let now = t(2, 0, 0, 0);
    let october = Utc.with_ymd_and_hms(2026, 10, 20, 0, 0, 0).unwrap().timestamp_micros();
    let at = [october, t(1, 12, 0, 0).timestamp_micros()];
    let s = report::slo::check(
        TrackerConfig::runbook(),
        &at,
        &[true, true],
        &[1.0, 1.0],
        now,
        Default::default(),
        &mut none(),
    )
    .unwrap();
    assert_eq!(s.chart_at.first().copied(), Some(t(1, 0, 0, 0)));
    let e = report::slo::check(
        TrackerConfig::runbook(),
        &[i64::MAX],
        &[true],
        &[1.0],
        now,
        Default::default(),
        &mut none(),
    )
    .unwrap_err();
    assert!(matches!(e.code(), "INVALID_TIMESTAMP"), "{e}");
}

#[test]
fn slo_leaves_a_maintenance_window_out_and_says_so() {
    // The same 30 min outage inside a Sunday 02:00-04:00 window: no page, the budget untouched
    // by it, and the section lists the window and the requests it left out.
    let now = t(8, 6, 0, 0);
    let (at, ok, lat) = requests(now, t(8, 3, 0, 0), t(8, 3, 30, 0));
    let maintenance = fleetops::maintenance::Maintenance::new(&[Planted::demo().maintenance()]).unwrap();
    let config = TrackerConfig { maintenance, ..TrackerConfig::runbook() };
    let s = report::slo::check(config, &at, &ok, &lat, now, Default::default(), &mut none()).unwrap();
    assert!(s.alerts.is_empty(), "{:?}", s.alerts);
    let avail = s.status.objectives.iter().find(|o| o.name == "availability").unwrap();
    assert!(matches!(&avail.budget, fleetops::slo::Budget::Ok(b) if b.bad == 0));
    // Sundays November 1 and 8 before 06:00 on the 8th: 240 minutes; requests start on the 2nd.
    assert_eq!(s.status.excluded.elapsed_minutes, 240.0);
    assert_eq!(s.status.excluded.events, 2 * 3600);
    assert_eq!(s.maintenance.len(), 1);
    assert_eq!((s.maintenance[0].start, s.maintenance[0].end), (t(8, 2, 0, 0), t(8, 4, 0, 0)));
    let line = s.excluded_summary().unwrap();
    assert!(
        line.contains("240 min") && line.contains("7200 requests") && line.contains("weekly 2026-11-08T02:00:00Z"),
        "{line}"
    );
}

#[test]
fn the_demo_plants_downtime_inside_its_weekly_window() {
    let (p, fleet) = (Planted::demo(), generate(DEMO_SEED));
    let windows = fleetops::maintenance::Maintenance::new(&[p.maintenance()]).unwrap().occurrences(p.start, p.now);
    assert!(windows.iter().any(|w| w.start <= p.downtime_from && p.downtime_to <= w.end), "{windows:?}");
    let r = &fleet.requests;
    let down = p.downtime_from.timestamp_micros()..p.downtime_to.timestamp_micros();
    let statuses: Vec<u16> = (0..r.len()).filter(|&i| down.contains(&r.at_us[i])).map(|i| r.status[i]).collect();
    assert!(statuses.len() > 1_000 && statuses.iter().all(|&s| s == 503), "{}", statuses.len());
}
