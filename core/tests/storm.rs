//! The runbook's alert storm, end to end: a week of a fleet's alerts where one vehicle's
//! sensor fails. The operator must see one storm summary for that vehicle, not thousands of
//! alerts; every other vehicle's alerts pass through; the suppressed count is exact.

use chrono::TimeDelta;
use fleetops::storm::{Action, Alert, StormConfig, StormDetector, StormEvent};
use fleetops::time::parse_timestamp;

mod common;
use common::xorshift;

/// A week: ~419 ordinary alerts spread over 50 trucks (the runbook's volume), and truck
/// TRK-013's failing sensor sending one alert every 2 s for 6 hours on day 3.
fn week() -> Vec<(String, i64)> {
    let start = parse_timestamp("2026-11-16T00:00:00Z").unwrap().timestamp();
    let mut rnd = xorshift(0x9e37_79b9);
    let mut alerts: Vec<(String, i64)> =
        (0..419).map(|_| (format!("TRK-{:03}", rnd(50)), start + rnd(7 * 86_400) as i64)).collect();
    let fault = start + 2 * 86_400 + 9 * 3600;
    alerts.extend((0..10_800).map(|i| ("TRK-013".to_string(), fault + 2 * i)));
    alerts.sort_by_key(|a| a.1);
    alerts
}

#[test]
fn one_storm_summary_for_the_failing_truck_and_everything_else_passes() {
    let alerts = week();
    let mut d = StormDetector::new(StormConfig::default()).unwrap();
    let (mut events, mut notified_per_key) = (Vec::new(), std::collections::HashMap::<String, u64>::new());
    let mut restarted = false;
    for (i, (key, at)) in alerts.iter().enumerate() {
        if i == alerts.len() / 2 && !restarted {
            // The job restarts mid-week from its saved state.
            d = StormDetector::from_bytes(&d.to_bytes()).unwrap();
            restarted = true;
        }
        let at = chrono::DateTime::from_timestamp(*at, 0).unwrap();
        let v = d.observe(&Alert { key, labels: &[("alertname", "SensorReading")], at, firing: true }, None);
        if v.action == Action::Notify {
            *notified_per_key.entry(key.clone()).or_default() += 1;
        }
        events.extend(v.events);
    }
    let end = chrono::DateTime::from_timestamp(alerts.last().unwrap().1, 0).unwrap() + TimeDelta::hours(1);
    events.extend(d.advance(end));

    assert_eq!(events.len(), 2, "{events:?}");
    let StormEvent::StormStarted { key, count, .. } = &events[0] else { panic!("{events:?}") };
    assert_eq!((key.as_str(), *count), ("TRK-013", 21));
    let StormEvent::StormEnded { key, suppressed, .. } = &events[1] else { panic!("{events:?}") };
    assert_eq!(key, "TRK-013");
    // 20 alerts went out before the storm, the 21st became the summary, the rest were held back.
    let trk013_ordinary = alerts.iter().filter(|a| a.0 == "TRK-013").count() as u64 - 10_800;
    assert_eq!(*suppressed, 10_800 - 20 - 1);
    assert_eq!(notified_per_key["TRK-013"], 20 + trk013_ordinary);
    let others: u64 = notified_per_key.iter().filter(|(k, _)| *k != "TRK-013").map(|(_, n)| n).sum();
    assert_eq!(others + trk013_ordinary, 419, "every ordinary alert passes through");
    let c = d.counts();
    assert_eq!(c.suppressed_storm, 10_800 - 20);
    assert_eq!(c.notified + c.suppressed_storm, alerts.len() as u64);
}

#[test]
fn ten_thousand_keys_past_the_cap_stay_within_it() {
    let config = StormConfig { max_keys: 1_000, ..StormConfig::default() };
    let mut d = StormDetector::new(config).unwrap();
    let t0 = parse_timestamp("2026-11-22T08:00:00Z").unwrap();
    let mut peak = 0;
    for i in 0..200_000u64 {
        let key = format!("k{i}");
        d.observe(&Alert { key: &key, labels: &[], at: t0 + TimeDelta::milliseconds(i as i64), firing: true }, None);
        peak = peak.max(d.memory_bytes());
    }
    assert_eq!(d.tracked_keys(), 1_000);
    assert_eq!(d.counts().evicted, 199_000);
    assert!(peak < 1_000 * 200, "{peak} bytes for 1,000 keys");
}

#[test]
fn saved_state_is_checked() {
    let d = StormDetector::new(StormConfig::default()).unwrap();
    let good = d.to_bytes();
    assert!(StormDetector::from_bytes(&good).is_ok());
    for bad in [&b""[..], b"{}", b"{\"format\": \"fleetops.slo_tracker\", \"version\": 1}", &good[..good.len() - 2]] {
        assert_eq!(StormDetector::from_bytes(bad).unwrap_err().code(), "INVALID_STATE");
    }
    let text = String::from_utf8(good).unwrap();
    let newer = text.replace("\"version\":2", "\"version\":3");
    assert_ne!(newer, text);
    assert_eq!(StormDetector::from_bytes(newer.as_bytes()).unwrap_err().code(), "INVALID_STATE");
    // A state changed by hand no longer matches its checksum.
    let changed = text.replace("\"enter_above\":20", "\"enter_above\":21");
    assert_ne!(changed, text);
    assert!(StormDetector::from_bytes(changed.as_bytes()).unwrap_err().to_string().contains("checksum"));
}

#[test]
fn saved_keys_that_contradict_themselves_are_refused_not_a_panic() {
    let mut d = StormDetector::new(StormConfig::default()).unwrap();
    let t0 = parse_timestamp("2026-11-22T08:00:00Z").unwrap();
    for key in ["TRK-1", "TRK-2"] {
        d.observe(&Alert { key, labels: &[], at: t0, firing: true }, None);
    }
    let text = String::from_utf8(d.to_bytes()).unwrap();
    let window = "\"buckets\":[1,0,0,0,0,0,0,0,0,0]";
    assert!(text.contains(window) && text.contains("\"max_keys\":100000"), "{text}");
    for broken in [
        text.replace("TRK-2", "TRK-1"),                                         // one key twice
        text.replacen(window, "\"buckets\":[0,1]", 1),                          // a window of another length
        text.replace("\"max_keys\":100000", "\"max_keys\":1"),                  // more keys than the cap
        text.replacen(window, "\"buckets\":[-1,0,0,0,0,0,0,0,0,0]", 1),         // a negative count
        text.replacen("\"len\":1", "\"len\":40", 1),                            // a longer flap history than 21
        text.replacen("\"bits\":1", "\"bits\":4194304", 1),                     // ... or bits past it
        text.replacen("\"head\":59844480", "\"head\":-9223372036854775808", 1), // overflowing arithmetic
    ] {
        let err = StormDetector::from_bytes(broken.as_bytes()).unwrap_err();
        assert_eq!(err.code(), "INVALID_STATE", "{err}");
    }
    // Intact, it restores to the same state, recency order included.
    let restored = StormDetector::from_bytes(text.as_bytes()).unwrap();
    assert_eq!(String::from_utf8(restored.to_bytes()).unwrap(), text);
}

/// The per-key window against a plain model: random keys, firing and resolved alerts, times
/// that jump back and forth (some too old to count). No storm or flap ever starts, so every
/// verdict reads "N alerts in the window" and N must be the model's count.
#[test]
fn the_window_count_matches_a_plain_model_through_gaps_and_disorder() {
    let config = StormConfig {
        enter_above: 1_000_000,
        exit_below: 1,
        flap_high: 100.0,
        flap_low: 100.0,
        ..StormConfig::default()
    };
    let (window, res) = (config.window.num_milliseconds(), config.resolution.num_milliseconds());
    let n = window / res;
    let mut d = StormDetector::new(config).unwrap();
    let mut rnd = xorshift(0x2545_f491_4f6c_dd1d);
    let start = parse_timestamp("2026-11-16T00:00:00Z").unwrap().timestamp_millis();
    let (mut t, mut clock) = (start, start);
    let mut fired: Vec<(u64, i64)> = Vec::new(); // (key, bucket) of counted firing alerts
    let mut head = std::collections::HashMap::new(); // newest counted firing bucket per key
    for _ in 0..20_000 {
        // Mostly forward by up to 40 s, sometimes a long gap, sometimes back by up to 6 min.
        t += match rnd(20) {
            0 => rnd(900_000) as i64,
            1 => -(rnd(360_000) as i64),
            _ => rnd(40_000) as i64,
        };
        let (key, firing) = (rnd(3), rnd(4) != 0);
        let name = format!("k{key}");
        let at = chrono::DateTime::from_timestamp_millis(t).unwrap();
        let v = d.observe(&Alert { key: &name, labels: &[], at, firing }, None);
        if t < clock - window {
            assert!(v.reason.starts_with("older than the window"), "{}", v.reason);
            continue;
        }
        clock = clock.max(t);
        let bucket = t.div_euclid(res);
        let h = head.entry(key).or_insert(i64::MIN / 2);
        if firing && bucket > *h - n {
            fired.push((key, bucket));
        }
        if firing {
            *h = (*h).max(bucket);
        }
        let top = bucket.max(*h);
        let expected = fired.iter().filter(|&&(k, b)| k == key && b > top - n && b <= top).count();
        assert_eq!(
            v.reason,
            format!("{expected} alerts in the window <= 1000000"),
            "alert at {t} of {name}, firing {firing}"
        );
        assert_eq!(v.action, Action::Notify);
    }
}

#[test]
fn a_state_claiming_the_version_before_checksums_is_refused() {
    // Version 1 of the snapshot envelope had no checksum: a state that only says it is that old
    // (the checksum dropped, a count edited) would escape the check, so it is refused.
    let mut d = StormDetector::new(StormConfig::default()).unwrap();
    let at = parse_timestamp("2026-11-22T08:00:00Z").unwrap();
    d.observe(&Alert { key: "TRK-1", labels: &[], at, firing: true }, None);
    let mut v: serde_json::Value = serde_json::from_slice(&d.to_bytes()).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("checksum");
    o.insert("version".into(), 1.into());
    let err = StormDetector::from_bytes(&serde_json::to_vec(&v).unwrap()).unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
    assert!(err.to_string().contains("version 1"), "{err}");
}

#[test]
fn a_storming_keys_reason_names_the_key_the_start_and_the_count() {
    let mut d = StormDetector::new(StormConfig::default()).unwrap();
    let start = parse_timestamp("2026-11-18T09:00:00.250Z").unwrap();
    let mut started = None;
    for i in 0..200i64 {
        // One alert every 2.5 s: the storm starts at a time with a fraction of a second.
        let at = start + TimeDelta::milliseconds(2_500 * i);
        let v = d.observe(&Alert { key: "TRK-013", labels: &[], at, firing: true }, None);
        for e in &v.events {
            if let StormEvent::StormStarted { at, .. } = e {
                started = Some(*at);
            }
        }
        let Some(since) = started.filter(|&s| s < at) else { continue };
        let head = format!("TRK-013 is storming since {}: ", fleetops::time::to_iso(since));
        let count = v.reason.strip_prefix(&head).and_then(|rest| rest.strip_suffix(" alerts in the window"));
        let count: u32 = count.and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("alert {i}: {}", v.reason));
        assert!(count > 20 && count <= 200, "alert {i}: {}", v.reason);
        assert!(v.reason.contains(".250Z") || v.reason.contains(".750Z"), "{}", v.reason);
    }
    assert!(started.is_some());
}

#[test]
fn maintenance_mutes_follow_the_windows_spans_not_the_stretch_a_batch_spans() {
    use fleetops::maintenance::{Maintenance, MaintenanceSpec};
    use fleetops::time::DurationSpec;
    // Hourly windows lasting 7 days and one nightly hour, over a batch spanning 3 years: every
    // occurrence made a mute and was scanned per alert (64 such windows: 17 s, 500 MB).
    let mut specs: Vec<MaintenanceSpec> = (0..8)
        .map(|i| MaintenanceSpec {
            name: Some(format!("long-{i}")),
            cron: Some(format!("{} * * * *", i * 7)),
            duration: Some(DurationSpec::Text("7d".into())),
            ..Default::default()
        })
        .collect();
    specs.push(MaintenanceSpec {
        name: Some("nightly".into()),
        cron: Some("0 2 * * *".into()),
        duration: Some(DurationSpec::Text("1h".into())),
        ..Default::default()
    });
    let nightly = Maintenance::new(&specs[8..]).unwrap();
    let config = StormConfig { maintenance: Maintenance::new(&specs).unwrap(), ..StormConfig::default() };
    let mut d = StormDetector::new(config).unwrap();
    let t0 = parse_timestamp("2024-01-01T00:00:00Z").unwrap();
    // Before the first long window starts (00:00) nothing is muted; 3 years of alerts after.
    let ms: Vec<i64> = (0..20_000i64).map(|i| (t0 + TimeDelta::minutes(i * 79)).timestamp_millis()).collect();
    let ids: Vec<u64> = (0..ms.len() as u64).map(|i| i % 500).collect();
    let (actions, _) = d.observe_batch_ids(ids.as_slice(), ms.as_slice(), None, None).unwrap();
    let muted = actions.iter().filter(|&&a| a == 2).count();
    assert_eq!(muted, ms.len(), "every alert is inside a long window");
    // One mute per long window (its occurrences overlap into one span), one per night of the
    // week the last alert reached: a batch spanning more than MAX_COVER_DAYS is judged alert
    // by alert, each writing only its own week.
    let mutes = d.mutes().mutes();
    assert_eq!(mutes.iter().filter(|m| m.id.starts_with("maintenance:long-")).count(), 8);
    let nights = mutes.iter().filter(|m| m.id == "maintenance:nightly").count();
    assert!((7..=8).contains(&nights), "{nights} nightly spans");
    // What was caught is counted once per alert, by window.
    let caught: u64 = d.mutes().caught().values().sum();
    assert_eq!(caught, ms.len() as u64);
    // The nightly window alone: exactly the alerts a plain lookup puts inside it are muted.
    let config = StormConfig { maintenance: nightly.clone(), ..StormConfig::default() };
    let mut d = StormDetector::new(config).unwrap();
    let (actions, _) = d.observe_batch_ids(ids.as_slice(), ms.as_slice(), None, None).unwrap();
    let expected: Vec<bool> =
        ms.iter().map(|&t| nightly.covers(chrono::DateTime::from_timestamp_millis(t).unwrap())).collect();
    assert_eq!(actions.iter().map(|&a| a == 2).collect::<Vec<_>>(), expected);
}

#[test]
fn a_batch_spanning_millennia_with_maintenance_is_judged_alert_by_alert_with_the_same_answers() {
    use fleetops::maintenance::{Maintenance, MaintenanceSpec};
    use fleetops::time::DurationSpec;
    // Hourly windows and one alert in 1970, one in 9999: writing the span's mutes whole would
    // expand eight millennia of starts. Judged alert by alert, each writes its own week.
    let specs: Vec<MaintenanceSpec> = (0..4)
        .map(|i| MaintenanceSpec {
            name: Some(format!("w{i}")),
            cron: Some(format!("{} * * * *", i * 15)),
            duration: Some(DurationSpec::Text("10m".into())),
            ..Default::default()
        })
        .collect();
    let m = Maintenance::new(&specs).unwrap();
    // In time order (an alert older than the window behind the newest is passed on as late).
    let ms: Vec<i64> = [
        "1970-01-01T00:05:00Z",
        "1970-01-01T00:12:00Z",
        "5000-06-01T00:31:00Z",
        "9999-12-31T00:05:00Z",
        "9999-12-31T00:55:00Z",
    ]
    .iter()
    .map(|t| parse_timestamp(t).unwrap().timestamp_millis())
    .collect();
    let ids: Vec<u64> = vec![1, 2, 3, 4, 5];
    let mut batch = StormDetector::new(StormConfig { maintenance: m.clone(), ..StormConfig::default() }).unwrap();
    let (codes, _) = batch.observe_batch_ids(ids.as_slice(), ms.as_slice(), None, None).unwrap();
    let expected: Vec<u8> =
        ms.iter().map(|&t| u8::from(m.covers(chrono::DateTime::from_timestamp_millis(t).unwrap())) * 2).collect();
    assert!(expected.contains(&0) && expected.contains(&2), "the cases fall inside and outside: {expected:?}");
    assert_eq!(codes, expected);
}
