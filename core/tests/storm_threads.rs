//! A batch judged a shard per thread gives exactly what judging it alert by alert gives:
//! actions, events, counts, mute counts and saved state, through storms, a fleet storm,
//! flapping, mutes, late and future alerts, new keys and evictions.

use chrono::TimeDelta;
use fleetops::storm::{Mute, StormConfig, StormDetector, StormEvent};
use fleetops::time::{parse_timestamp, Timestamp};

mod common;
use common::xorshift;

struct Stream {
    ids: Vec<u64>,
    at_ms: Vec<i64>,
    firing: Vec<u8>,
    now: Timestamp,
}

/// `n` alerts 20 ms apart over `keys` keys and a few more; every `burst_every` alerts one of
/// those few sends 40 alerts in seconds (a storm; twelve at once make a fleet storm, once
/// every eight bursts); a tenth of the keys
/// flap; 1 % of the alerts come up to 8 minutes late and 0.5 % an hour ahead of `now`.
fn stream(n: usize, keys: u64, burst_every: usize, seed: u64) -> Stream {
    stream_growing(n, keys, burst_every, seed, n)
}

/// As [`stream`], with twice the keys from alert `grow_at` on.
fn stream_growing(n: usize, keys: u64, burst_every: usize, seed: u64, grow_at: usize) -> Stream {
    let t0 = parse_timestamp("2026-11-22T00:00:00Z").unwrap().timestamp_millis();
    let mut rnd = xorshift(seed);
    let (mut ids, mut at_ms, mut firing) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut burst: Vec<u64> = Vec::new();
    for i in 0..n {
        if i % burst_every == 0 {
            let fleet = i % (burst_every * 8) == burst_every * 4;
            let first = if fleet { 0 } else { rnd(20) };
            for k in first..first + if fleet { 12 } else { 1 } {
                burst.extend(std::iter::repeat_n(keys + k, 40));
            }
        }
        let id = if !burst.is_empty() && rnd(4) == 0 {
            burst.swap_remove(rnd(burst.len() as u64) as usize)
        } else {
            rnd(if i < grow_at { keys + 32 } else { 2 * keys })
        };
        let mut t = t0 + i as i64 * 20;
        match rnd(200) {
            0 | 1 => t -= rnd(8 * 60_000) as i64,
            2 => t = t0 + n as i64 * 20 + 3_600_000, // an hour past `now`
            _ => {}
        }
        ids.push(id);
        at_ms.push(t);
        firing.push(if id % 10 == 3 { (rnd(2)) as u8 } else { u8::from(rnd(50) != 0) });
    }
    let now = chrono::DateTime::from_timestamp_millis(t0 + n as i64 * 20).unwrap();
    Stream { ids, at_ms, firing, now }
}

fn mutes(s: &Stream) -> Vec<Mute> {
    let start = chrono::DateTime::from_timestamp_millis(s.at_ms[s.at_ms.len() / 3]).unwrap();
    ["7", "42"]
        .iter()
        .map(|k| Mute {
            id: format!("kill-{k}"),
            key: Some(k.to_string()),
            matchers: vec![],
            starts_at: start,
            ends_at: start + TimeDelta::minutes(20),
            reason: "sensor swap".into(),
        })
        .collect()
}

/// Everything a detector shows after judging `s` in three batches with `threads`.
fn judge(
    s: &Stream,
    config: &StormConfig,
    threads: usize,
    names: bool,
    muted: bool,
) -> (Vec<u8>, Vec<StormEvent>, String, Vec<u8>) {
    let mut d = StormDetector::new(config.clone()).unwrap();
    d.set_threads(threads);
    if muted {
        d.set_mutes(mutes(s)).unwrap();
    }
    let (mut codes, mut events) = (Vec::new(), Vec::new());
    let cuts = [0, s.ids.len() / 5, s.ids.len() * 3 / 5, s.ids.len()];
    for w in cuts.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let (c, e) = if names {
            let names: Vec<String> = s.ids[lo..hi].iter().map(|id| format!("TRK-{id:05}")).collect();
            d.observe_batch_names(&names, &s.at_ms[lo..hi], Some(&s.firing[lo..hi]), Some(s.now)).unwrap()
        } else {
            d.observe_batch_ids(&s.ids[lo..hi], &s.at_ms[lo..hi], Some(&s.firing[lo..hi]), Some(s.now)).unwrap()
        };
        codes.extend(c);
        events.extend(e);
    }
    (codes, events, serde_json::to_string(&d.stats()).unwrap(), d.to_bytes())
}

fn same_both_ways(s: &Stream, config: &StormConfig, names: bool, muted: bool) {
    let one = judge(s, config, 1, names, muted);
    let two = judge(s, config, 2, names, muted);
    assert_eq!(one.0, two.0, "actions");
    assert_eq!(one.1, two.1, "events");
    assert_eq!(one.2, two.2, "counts and stats");
    assert!(one.3 == two.3, "saved state");
    let kinds = |k: &str| one.1.iter().filter(|e| format!("{e:?}").starts_with(k)).count();
    for kind in ["StormStarted", "StormEnded", "FleetStormStarted", "FlapStarted"] {
        assert!(kinds(kind) > 0, "the stream has no {kind}: {}", one.2);
    }
}

#[test]
fn storms_flapping_late_and_future_alerts_come_out_the_same_on_two_threads() {
    same_both_ways(&stream(400_000, 3_000, 50_000, 0x51ed), &StormConfig::default(), false, false);
}

#[test]
fn mutes_and_key_names_come_out_the_same_on_two_threads() {
    let s = stream(300_000, 3_000, 40_000, 0xbeef);
    same_both_ways(&s, &StormConfig::default(), true, true);
    let one = judge(&s, &StormConfig::default(), 2, false, true);
    assert!(one.2.contains("\"kill-7\""), "the mutes caught nothing: {}", one.2);
}

#[test]
fn evictions_pick_the_same_keys_on_two_threads() {
    // The keys fit until the middle, then new keys evict the least recently seen: which key
    // that is depends on the order of the alerts judged a shard per thread before.
    let config = StormConfig { max_keys: 3_000, ..StormConfig::default() };
    let s = stream_growing(300_000, 2_900, 60_000, 0xfeed, 150_000);
    same_both_ways(&s, &config, false, false);
    let d = judge(&s, &config, 2, false, false);
    assert!(!d.2.contains("\"evicted\":0"), "nothing evicted: {}", d.2);
}

#[test]
fn maintenance_windows_mute_the_same_on_two_threads_and_one_alert_at_a_time() {
    let s = stream(300_000, 3_000, 40_000, 0xcafe);
    // A window over the middle third of the stream's time.
    let (a, b) = (s.at_ms[s.at_ms.len() / 3], s.at_ms[s.at_ms.len() / 2]);
    let at = |ms: i64| fleetops::time::to_iso(chrono::DateTime::from_timestamp_millis(ms).unwrap());
    let spec = fleetops::maintenance::MaintenanceSpec {
        name: Some("swap".into()),
        start: Some(at(a)),
        end: Some(at(b)),
        ..Default::default()
    };
    let config = StormConfig {
        maintenance: fleetops::maintenance::Maintenance::new(&[spec]).unwrap(),
        ..StormConfig::default()
    };
    same_both_ways(&s, &config, false, true);
    let (codes, _, stats, _) = judge(&s, &config, 2, false, true);
    // Every alert inside the window but the late and future ones (passed on before any mute).
    let inside = s.at_ms.iter().filter(|&&t| (a..b).contains(&t)).count() as u64;
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    let (caught, not_judged) = (&stats["muted_by"]["maintenance:swap"], &stats["counts"]);
    let caught = caught.as_u64().unwrap_or_else(|| panic!("no maintenance mute: {stats}"));
    // ... and the ones the user's mutes (first in the list) caught.
    let users: u64 = ["kill-7", "kill-42"].iter().map(|k| stats["muted_by"][k].as_u64().unwrap_or(0)).sum();
    let passed = not_judged["late"].as_u64().unwrap() + not_judged["future"].as_u64().unwrap();
    assert!(caught <= inside && caught + passed + users >= inside, "{caught} of {inside} ({passed} late or future)");
    // One alert at a time: the same actions.
    let mut d = StormDetector::new(config).unwrap();
    d.set_mutes(mutes(&s)).unwrap();
    let single: Vec<u8> = (0..s.ids.len())
        .map(|i| {
            let key = s.ids[i].to_string();
            let at = chrono::DateTime::from_timestamp_millis(s.at_ms[i]).unwrap();
            let alert = fleetops::storm::Alert { key: &key, labels: &[], at, firing: s.firing[i] != 0 };
            d.observe(&alert, Some(s.now)).action as u8
        })
        .collect();
    assert_eq!(single, codes);
}
