//! SloTracker behaviour: counting, windows, late and dropped events, latency, merge, memory.

use chrono::TimeDelta;
use fleetops::slo::{Budget, Outcome, SloTracker, TrackerConfig};
use fleetops::time::parse_timestamp;

fn ts(s: &str) -> fleetops::time::Timestamp {
    parse_timestamp(s).unwrap()
}

/// The caller's clock in these tests: a pinned instant after every event they record.
fn clock() -> fleetops::time::Timestamp {
    ts("2026-11-22T08:00:00Z")
}

fn us(s: &str) -> i64 {
    ts(s).timestamp_micros()
}

/// `n` requests at one-second steps from `start`, every `bad_every`-th failing, latency `ms`.
fn stream(start: &str, n: usize, bad_every: usize, ms: f64) -> (Vec<i64>, Vec<bool>, Vec<f64>) {
    let t0 = us(start);
    let at = (0..n).map(|i| t0 + i as i64 * 1_000_000).collect();
    let ok = (0..n).map(|i| bad_every == 0 || (i + 1) % bad_every != 0).collect();
    (at, ok, vec![ms; n])
}

fn budget(status: &fleetops::slo::TrackerStatus, name: &str) -> fleetops::slo::EventBudget {
    match &status.objectives.iter().find(|o| o.name == name).unwrap().budget {
        Budget::Ok(b) => b.clone(),
        Budget::NoData { .. } => panic!("{name}: no data"),
    }
}

#[test]
fn counts_the_month_and_judges_every_runbook_objective() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    // 10,000 requests on 2026-11-10, one in 100 failing (1 % errors), all at 120 ms.
    let (at, ok, lat) = stream("2026-11-10T00:00:00Z", 10_000, 100, 120.0);
    assert_eq!(t.record_batch(&at, &ok, &lat, clock()).unwrap(), 0);
    let s = t.status(ts("2026-11-22T08:00:00Z"));
    assert_eq!(s.period.start, ts("2026-11-01T00:00:00Z"));
    assert_eq!(s.recorded, 10_000);
    let avail = budget(&s, "availability");
    assert_eq!((avail.good, avail.total), (9_900, 10_000));
    assert!((avail.used_percent - 1_000.0).abs() < 1e-6, "100 bad of a 10-event budget");
    assert!((avail.budget_minutes.unwrap() - 43.2).abs() < 1e-9, "November has 30 days");
    let err = budget(&s, "error_rate");
    assert!((err.used_percent - 100.0).abs() < 1e-6, "1 % errors spend exactly the 1 % budget");
    let p95 = budget(&s, "latency_p95");
    assert_eq!((p95.good, p95.total), (10_000, 10_000));
    let lat = &s.latency;
    assert_eq!(lat.count, 10_000);
    assert!((lat.p95_ms.unwrap() - 120.0).abs() <= 1.2, "1 % precision: {:?}", lat.p95_ms);
}

#[test]
fn burn_tiers_use_the_windows_before_now() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    // A quiet day, then a bad hour: 10 % errors from 07:00 to 08:00.
    let (at, ok, lat) = stream("2026-11-21T07:00:00Z", 86_400, 0, 50.0);
    t.record_batch(&at, &ok, &lat, clock()).unwrap();
    let (at, ok, lat) = stream("2026-11-22T07:00:00Z", 3_600, 10, 50.0);
    t.record_batch(&at, &ok, &lat, clock()).unwrap();
    let s = t.status(ts("2026-11-22T07:59:59Z"));
    let avail = s.objectives.iter().find(|o| o.name == "availability").unwrap();
    let fast = avail.burn.iter().find(|a| a.tier == "page_fast").unwrap();
    assert!(fast.firing, "{}", fast.reason);
    assert!((fast.long_burn_rate.unwrap() - 100.0).abs() < 1e-6, "10 % errors = 100x at 99.9 %");
    // An hour later with no traffic the short window has nothing: no page.
    let later = t.status(ts("2026-11-22T09:30:00Z"));
    let fast = later.objectives[0].burn.iter().find(|a| a.tier == "page_fast").unwrap();
    assert!(!fast.firing);
}

#[test]
fn late_events_count_and_far_ones_are_dropped() {
    let mut cfg = TrackerConfig::runbook();
    cfg.period = fleetops::slo::Period::rolling(TimeDelta::days(30)).unwrap();
    let mut t = SloTracker::new(cfg).unwrap();
    t.record(Outcome { at: ts("2026-11-22T08:00:00Z"), ok: true, latency_ms: None }, clock()).unwrap();
    // Late but inside the period: counted.
    t.record(Outcome { at: ts("2026-11-20T08:00:00Z"), ok: false, latency_ms: None }, clock()).unwrap();
    // Older than the retention (30 days): dropped.
    t.record(Outcome { at: ts("2026-09-01T00:00:00Z"), ok: false, latency_ms: None }, clock()).unwrap();
    // Beyond max_future (5 min) of the caller's clock: dropped.
    t.record(Outcome { at: ts("2026-11-22T09:00:00Z"), ok: true, latency_ms: None }, clock()).unwrap();
    let s = t.status(ts("2026-11-22T08:00:00Z"));
    assert_eq!(s.recorded, 2);
    assert_eq!((s.dropped.too_old, s.dropped.future), (1, 1));
    assert_eq!(budget(&s, "availability").bad, 1);
}

#[test]
fn a_bad_batch_records_nothing() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let before = t.status(ts("2026-11-22T08:00:00Z"));
    let at = [us("2026-11-22T07:00:00Z"); 3];
    assert_eq!(t.record_batch(&at, &[true; 3], &[1.0, -2.0, 3.0], clock()).unwrap_err().code(), "INVALID_DURATION");
    assert_eq!(t.record_batch(&at, &[true; 2], &[], clock()).unwrap_err().code(), "INVALID_ARGUMENT");
    assert_eq!(t.record_batch(&[-5], &[true], &[], clock()).unwrap_err().code(), "INVALID_TIMESTAMP");
    assert_eq!(t.status(ts("2026-11-22T08:00:00Z")), before);
}

#[test]
fn merging_two_instances_equals_one_fed_both_streams() {
    let (at1, ok1, lat1) = stream("2026-11-21T00:00:00Z", 5_000, 7, 80.0);
    let (at2, ok2, lat2) = stream("2026-11-21T00:30:00Z", 5_000, 13, 700.0);
    let mut one = SloTracker::new(TrackerConfig::runbook()).unwrap();
    one.record_batch(&at1, &ok1, &lat1, clock()).unwrap();
    one.record_batch(&at2, &ok2, &lat2, clock()).unwrap();
    let mut a = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let mut b = SloTracker::new(TrackerConfig::runbook()).unwrap();
    a.record_batch(&at1, &ok1, &lat1, clock()).unwrap();
    b.record_batch(&at2, &ok2, &lat2, clock()).unwrap();
    a.merge(&b).unwrap();
    let now = ts("2026-11-22T08:00:00Z");
    assert_eq!(a.status(now), one.status(now));
    let mut other_cfg = TrackerConfig::runbook();
    other_cfg.resolution = TimeDelta::minutes(5);
    let c = SloTracker::new(other_cfg).unwrap();
    assert_eq!(a.merge(&c).unwrap_err().code(), "INVALID_ARGUMENT");
}

#[test]
fn a_full_month_stays_within_16_mib() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    // One timed request every minute for 31 days touches every bucket and every hour.
    let start = us("2026-10-01T00:00:00Z");
    let at: Vec<i64> = (0..31 * 1440).map(|i| start + i * 60_000_000).collect();
    t.record_batch(&at, &vec![true; at.len()], &vec![100.0; at.len()], clock()).unwrap();
    let bytes = t.memory_bytes();
    assert!(bytes <= 16 * 1024 * 1024, "{bytes} bytes");
}

#[test]
fn bad_configurations_are_refused() {
    let mut cfg = TrackerConfig::runbook();
    cfg.objectives[0].target = 1.0;
    assert_eq!(SloTracker::new(cfg).unwrap_err().code(), "INVALID_TARGET");
    let mut cfg = TrackerConfig::runbook();
    cfg.objectives[1].name = "availability".into();
    assert_eq!(SloTracker::new(cfg).unwrap_err().code(), "INVALID_ARGUMENT");
    let mut cfg = TrackerConfig::runbook();
    cfg.resolution = TimeDelta::zero();
    assert_eq!(SloTracker::new(cfg).unwrap_err().code(), "INVALID_DURATION");
}

#[test]
fn save_restore_answers_the_same_and_refuses_bad_bytes() {
    let mut cfg = TrackerConfig::runbook();
    cfg.period = fleetops::slo::Period::parse("month", Some("Europe/Amsterdam")).unwrap();
    let mut t = SloTracker::new(cfg).unwrap();
    let (at, ok, lat) = stream("2026-11-21T00:00:00Z", 5_000, 9, 480.0);
    t.record_batch(&at, &ok, &lat, clock()).unwrap();
    t.record(Outcome { at: ts("2026-01-01T00:00:00Z"), ok: true, latency_ms: None }, clock()).unwrap(); // dropped
    let now = ts("2026-11-22T08:00:00Z");
    let bytes = t.to_bytes();
    let restored = SloTracker::from_bytes(&bytes).unwrap();
    assert_eq!(restored.status(now), t.status(now));
    // It keeps counting where it left off.
    let (mut a, mut b) = (t, restored);
    let (at, ok, lat) = stream("2026-11-22T07:00:00Z", 100, 2, 20.0);
    a.record_batch(&at, &ok, &lat, clock()).unwrap();
    b.record_batch(&at, &ok, &lat, clock()).unwrap();
    assert_eq!(a.status(now), b.status(now));
    // Corrupt, truncated, foreign and future-version bytes.
    assert_eq!(SloTracker::from_bytes(b"garbage").unwrap_err().code(), "INVALID_STATE");
    assert_eq!(SloTracker::from_bytes(&bytes[..bytes.len() / 2]).unwrap_err().code(), "INVALID_STATE");
    let text = String::from_utf8(bytes).unwrap();
    let v3 = text.replacen("\"version\":2", "\"version\":3", 1);
    assert_ne!(v3, text);
    assert!(SloTracker::from_bytes(v3.as_bytes()).unwrap_err().to_string().contains("version 3"));
    // A state changed by hand no longer matches its checksum.
    let changed = text.replacen("\"recorded\":5000", "\"recorded\":5001", 1);
    assert_ne!(changed, text);
    assert!(SloTracker::from_bytes(changed.as_bytes()).unwrap_err().to_string().contains("checksum"));
    let other = text.replacen("fleetops.slo_tracker", "fleetops.dedup", 1);
    assert_eq!(SloTracker::from_bytes(other.as_bytes()).unwrap_err().code(), "INVALID_STATE");
}

#[test]
fn a_quiet_gap_longer_than_max_future_does_not_stop_recording() {
    // The bug this pins: "future" was judged against the newest event, so after a gap of more
    // than max_future (5 min) every later event was dropped and failures counted as nothing.
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    for (at, ok) in [
        ("2026-11-22T08:00:00Z", true),
        ("2026-11-22T08:06:00Z", false),
        ("2026-11-22T09:00:00Z", false),
        ("2026-11-25T09:00:00Z", false),
    ] {
        // A live recorder: its clock reads the event's own time.
        t.record(Outcome { at: ts(at), ok, latency_ms: Some(10.0) }, ts(at)).unwrap();
    }
    let s = t.status(ts("2026-11-25T09:00:00Z"));
    assert_eq!((s.recorded, s.dropped.future, s.dropped.too_old), (4, 0, 0));
    assert_eq!(budget(&s, "availability").bad, 3);
    // Future is still future against the caller's clock, whatever the events before it.
    let ahead = t.record_batch(
        &[us("2026-11-25T09:05:01Z"), us("2026-11-25T09:05:00Z")],
        &[false, false],
        &[],
        ts("2026-11-25T09:00:00Z"),
    );
    assert_eq!(ahead.unwrap(), 1);
    let s = t.status(ts("2026-11-25T09:06:00Z"));
    assert_eq!((s.recorded, s.dropped.future), (5, 1));
}

#[test]
fn a_saved_histogram_with_other_bounds_is_refused_before_it_is_read() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    t.record(Outcome { at: ts("2026-11-22T07:59:00Z"), ok: true, latency_ms: Some(12.0) }, clock()).unwrap();
    let text = String::from_utf8(t.to_bytes()).unwrap();
    assert!(SloTracker::from_bytes(text.as_bytes()).is_ok());
    // The histograms are saved as byte arrays: change the highest trackable value of each one
    // (bytes 24..32 of the V2 header; 60,000,000 = 0x03938700) to 2^56 and more.
    let crafted = text.replace("0,0,0,0,3,147,135,0", "1,0,0,0,3,147,135,0");
    assert_ne!(crafted, text, "the bound was found in the saved state");
    assert_eq!(SloTracker::from_bytes(crafted.as_bytes()).unwrap_err().code(), "INVALID_STATE");
}

#[test]
fn memory_follows_the_history_seen_not_the_retention() {
    // A month at one minute could hold 44,700 buckets (1.4 MB); one request touches one chunk.
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let empty = t.memory_bytes();
    assert!(empty < 64 * 1024, "{empty} bytes before any request");
    t.record(Outcome { at: ts("2026-11-22T07:59:00Z"), ok: true, latency_ms: Some(12.0) }, clock()).unwrap();
    assert!(t.memory_bytes() < 160 * 1024, "{} bytes after one request", t.memory_bytes());
}

#[test]
fn a_state_claiming_the_version_before_checksums_is_refused() {
    // Version 1: the state's fields beside the header, no checksum (what 0.1 wrote). A state
    // that only says so would escape the checksum, so it is refused.
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let (at, ok, lat) = stream("2026-11-21T00:00:00Z", 3_000, 9, 480.0);
    t.record_batch(&at, &ok, &lat, clock()).unwrap();
    let v2: serde_json::Value = serde_json::from_slice(&t.to_bytes()).unwrap();
    let mut v1 = v2["state"].as_object().unwrap().clone();
    v1.insert("format".into(), "fleetops.slo_tracker".into());
    v1.insert("version".into(), 1.into());
    let err = SloTracker::from_bytes(&serde_json::to_vec(&v1).unwrap()).unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
}

fn announcement(start: &str, end: &str) -> fleetops::slo::Announcement {
    fleetops::slo::Announcement { name: Some("db failover".into()), start: ts(start), end: ts(end), notice: None }
}

#[test]
fn announced_maintenance_needs_the_runbooks_hour_of_notice_and_no_event_inside_yet() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let now = ts("2026-11-22T08:00:00Z");
    let code = |t: &mut SloTracker, a, now| t.announce_maintenance(a, now).unwrap_err().code();
    // 59 minutes ahead is too little notice (the fleet API runbook: at least an hour); 60 is enough.
    assert_eq!(code(&mut t, announcement("2026-11-22T08:59:00Z", "2026-11-22T10:00:00Z"), now), "INVALID_ARGUMENT");
    let message = |t: &mut SloTracker, notice| {
        let a = fleetops::slo::Announcement {
            notice: Some(notice),
            ..announcement("2026-11-22T08:00:30Z", "2026-11-22T10:00:00Z")
        };
        t.announce_maintenance(a, now).unwrap_err().to_string()
    };
    // The notice asked is worded in the unit it is a whole number of.
    assert!(message(&mut t, TimeDelta::hours(1)).contains("less than the 1 hour's notice asked"));
    assert!(message(&mut t, TimeDelta::minutes(15)).contains("less than the 15 minutes' notice asked"));
    assert!(message(&mut t, TimeDelta::seconds(90)).contains("less than the 90 seconds' notice asked"));
    assert!(message(&mut t, TimeDelta::minutes(1)).contains("less than the 1 minute's notice asked"));
    let kept = t.announce_maintenance(announcement("2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"), now).unwrap();
    assert_eq!((kept.name.as_str(), kept.start), ("db failover", ts("2026-11-22T09:00:00Z")));
    // A shorter notice when the caller's own rule asks for it; a negative one is refused.
    let short = fleetops::slo::Announcement {
        notice: Some(TimeDelta::minutes(15)),
        ..announcement("2026-11-22T08:15:00Z", "2026-11-22T08:30:00Z")
    };
    t.announce_maintenance(short, now).unwrap();
    let negative = fleetops::slo::Announcement {
        notice: Some(TimeDelta::minutes(-1)),
        ..announcement("2026-11-22T12:00:00Z", "2026-11-22T13:00:00Z")
    };
    assert_eq!(code(&mut t, negative, now), "INVALID_DURATION");
    // A window the spec would refuse (over 7 days, backwards) is INVALID_SCHEDULE.
    assert_eq!(code(&mut t, announcement("2026-11-23T00:00:00Z", "2026-12-01T00:00:00Z"), now), "INVALID_SCHEDULE");
    assert_eq!(code(&mut t, announcement("2026-11-23T02:00:00Z", "2026-11-23T01:00:00Z"), now), "INVALID_SCHEDULE");
    // Once an event at or after the start was recorded, the window is a correction's job.
    let (at, ok, lat) = stream("2026-11-22T14:00:00Z", 1, 0, 10.0);
    t.record_batch(&at, &ok, &lat, ts("2026-11-22T14:00:00Z")).unwrap();
    assert_eq!(code(&mut t, announcement("2026-11-22T14:00:00Z", "2026-11-22T15:00:00Z"), now), "INVALID_ARGUMENT");
    // The same window twice is kept once; the list is by start.
    t.announce_maintenance(announcement("2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"), now).unwrap();
    let starts: Vec<_> = t.announced_maintenance().iter().map(|o| o.start).collect();
    assert_eq!(starts, [ts("2026-11-22T08:15:00Z"), ts("2026-11-22T09:00:00Z")]);
}

#[test]
fn announced_maintenance_leaves_budgets_counters_and_latency_out_and_is_saved() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let announced_at = ts("2026-11-22T05:00:00Z");
    t.announce_maintenance(announcement("2026-11-22T06:00:00Z", "2026-11-22T07:00:00Z"), announced_at).unwrap();
    // 05:00-08:00, one request a second: 06:00-07:00 all fail at 3 s, the rest succeed at 100 ms.
    let (mut at, mut ok, mut lat) = stream("2026-11-22T05:00:00Z", 3_600, 0, 100.0);
    let inside = stream("2026-11-22T06:00:00Z", 3_600, 1, 3_000.0);
    let after = stream("2026-11-22T07:00:00Z", 3_600, 0, 100.0);
    for part in [inside, after] {
        at.extend(part.0);
        ok.extend(part.1);
        lat.extend(part.2);
    }
    t.record_batch(&at, &ok, &lat, clock()).unwrap();
    let check = |t: &SloTracker| {
        let s = t.status(clock());
        let avail = budget(&s, "availability");
        assert_eq!((avail.good, avail.total), (7_200, 7_200), "the failed hour counts neither good nor bad");
        assert_eq!(s.excluded.events, 3_600);
        assert!(s.excluded.maintenance.iter().any(|o| o.name == "db failover"));
        // November's 43,200 minutes less the hour announced.
        assert!((avail.budget_minutes.unwrap() - 0.001 * 43_140.0).abs() < 1e-9);
        assert_eq!(s.latency.count, 7_200, "the hour's 3 s latencies are not in the percentiles");
        assert!((s.latency.p99_ms.unwrap() - 100.0).abs() <= 1.0, "{:?}", s.latency.p99_ms);
        assert_eq!(t.counted("availability").unwrap().total, 7_200);
        assert!(s.gate_problems(None).is_empty(), "{:?}", s.gate_problems(None));
    };
    check(&t);
    let restored = SloTracker::from_bytes(&t.to_bytes()).unwrap();
    assert_eq!(restored.announced_maintenance(), t.announced_maintenance());
    check(&restored);
    // Merge unites the announced windows, each once.
    let mut other = SloTracker::new(TrackerConfig::runbook()).unwrap();
    other.announce_maintenance(announcement("2026-11-22T06:00:00Z", "2026-11-22T07:00:00Z"), announced_at).unwrap();
    other.announce_maintenance(announcement("2026-11-23T06:00:00Z", "2026-11-23T07:00:00Z"), announced_at).unwrap();
    t.merge(&other).unwrap();
    assert_eq!(t.announced_maintenance().len(), 2);
}

#[test]
fn a_correction_takes_the_whole_steps_and_hours_it_covers_out_of_the_percentiles() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    // 05:00-07:00 at 100 ms, then 07:00-07:30 at 3 s: the slow half hour is corrected away.
    let (mut at, mut ok, mut lat) = stream("2026-11-22T05:00:00Z", 7_200, 0, 100.0);
    let slow = stream("2026-11-22T07:00:00Z", 1_800, 0, 3_000.0);
    at.extend(slow.0);
    ok.extend(slow.1);
    lat.extend(slow.2);
    let now = ts("2026-11-22T07:30:00Z");
    t.record_batch(&at, &ok, &lat, now).unwrap();
    assert!(t.latency(TimeDelta::minutes(40), now).p99_ms.unwrap() > 2_900.0);
    let fix = |start: &str, end: &str| fleetops::slo::Correction {
        start: ts(start),
        end: ts(end),
        reason: "load test against production".into(),
    };
    t.correct(fix("2026-11-22T07:00:00Z", "2026-11-22T07:30:00Z"), now).unwrap();
    // The last 40 minutes use per-minute histograms: the 30 corrected ones are left out.
    let recent = t.latency(TimeDelta::minutes(40), now);
    assert_eq!(recent.count, 600, "06:50-07:00 only: {recent:?}");
    // The period uses hourly histograms: 07:00-08:00 is only half covered, so it stays.
    assert_eq!(t.status(now).latency.count, 9_000);
    // A correction over the whole hour takes it out.
    t.correct(fix("2026-11-22T07:00:00Z", "2026-11-22T08:00:00Z"), ts("2026-11-22T08:00:00Z")).unwrap();
    let s = t.status(ts("2026-11-22T08:00:00Z"));
    assert_eq!(s.latency.count, 7_200);
    assert!((s.latency.p99_ms.unwrap() - 100.0).abs() <= 1.0);
}

#[test]
fn a_notice_past_the_calendar_is_refused_not_a_panic() {
    let mut t = SloTracker::new(TrackerConfig::runbook()).unwrap();
    let a = fleetops::slo::Announcement {
        notice: Some(TimeDelta::MAX),
        ..announcement("2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
    };
    assert_eq!(t.announce_maintenance(a, clock()).unwrap_err().code(), "INVALID_ARGUMENT");
}
