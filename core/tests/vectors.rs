//! Runs every shared test vector in `tests/vectors/` against the core.

use fleetops::dedup::{keep_mask, DedupStats, Deduper, DeduperSpec, Keep, KeyHasher, KeyPart, KeyValue};
use fleetops::freshness::{
    check_cadence, classify_tables, CadenceSpec, PolicySpec, ScheduleSpec, TableSpec, DEFAULT_CLOCK_SKEW,
};
use fleetops::slo::{
    event_budget, forecast, timeslice_budget, BurnPolicySpec, Counts, CountsSpec, EmptySlice, Objective, PeriodSpec,
};
use fleetops::storm::{
    escalations_due, fingerprint, mutes_from_json, records_from_json, Alert, EscalationSpec, GroupSpec, Grouper,
    LimitSpec, Matcher, MatcherSpec, RateLimiter, StormDetector, StormSpec,
};
use fleetops::time::{from_epoch_seconds, parse_timestamp, Timestamp};
use fleetops::FleetopsError;
use fleetops::Result;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("vector file")).expect("json");
    match v {
        Value::Array(cases) => cases,
        Value::Object(mut o) => match o.remove("cases") {
            Some(Value::Array(cases)) => cases,
            _ => panic!("{path}: no cases"),
        },
        _ => panic!("{path}: not a list of cases"),
    }
}

fn field<T: DeserializeOwned>(case: &Value, key: &str) -> T {
    serde_json::from_value(case.get(key).cloned().unwrap_or(Value::Null)).unwrap_or_else(|e| panic!("{key}: {e}"))
}

fn ts(case: &Value, key: &str) -> Result<Option<Timestamp>> {
    case[key].as_str().map(parse_timestamp).transpose()
}

/// Checks that every key of `expected` is in `actual` with an equal value (floats to `tol`,
/// relative; 1e-6 unless a case states `rel_tol`).
fn matches_within(expected: &Value, actual: &Value, path: &str, tol: f64) -> std::result::Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().try_for_each(|(k, ev)| {
            let av = a.get(k).ok_or_else(|| format!("{path}.{k}: missing in {actual}"))?;
            matches_within(ev, av, &format!("{path}.{k}"), tol)
        }),
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .try_for_each(|(i, (ev, av))| matches_within(ev, av, &format!("{path}[{i}]"), tol)),
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            if (e - a).abs() <= tol * e.abs().max(1.0) {
                Ok(())
            } else {
                Err(format!("{path}: expected {e}, got {a}"))
            }
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}

fn run_freshness(case: &Value) -> Result<Value> {
    let policy = || field::<PolicySpec>(case, "policy").build();
    let now = || -> Result<Timestamp> { Ok(ts(case, "now")?.expect("now")) };
    let tables =
        || -> Result<Vec<_>> { field::<Vec<TableSpec>>(case, "tables").iter().map(TableSpec::build).collect() };
    let cadence = || field::<Option<CadenceSpec>>(case, "options").unwrap_or_default().build();
    match case["op"].as_str().unwrap() {
        "classify" => {
            let policy = policy()?;
            let (now, last) = (now()?, ts(case, "last_loaded_at")?);
            Ok(serde_json::to_value(policy.classify("t", last, now)).unwrap())
        }
        "classify_ages" => {
            let policy = policy()?;
            let ages: Vec<f64> =
                case["ages"].as_array().unwrap().iter().map(|a| a.as_f64().unwrap_or(f64::NAN)).collect();
            let mut out = Vec::new();
            policy.classify_ages(&ages, &mut out)?;
            let names = policy.class_names();
            Ok(json!({"classes": out.iter().map(|&c| names[c as usize]).collect::<Vec<_>>()}))
        }
        "batch" => Ok(serde_json::to_value(classify_tables(&policy()?, &tables()?, now()?, &cadence()?)?).unwrap()),
        "dbt_sources" => {
            let policy = policy()?;
            let report = classify_tables(&policy, &tables()?, now()?, &cadence()?)?;
            Ok(serde_json::to_value(report.to_dbt_sources(&policy, case["source"].as_str())).unwrap())
        }
        "cadence" => {
            let history =
                field::<Vec<String>>(case, "history").iter().map(|s| parse_timestamp(s)).collect::<Result<Vec<_>>>()?;
            Ok(serde_json::to_value(check_cadence(&history, now()?, DEFAULT_CLOCK_SKEW, &cadence()?)?).unwrap())
        }
        "schedule" => {
            let schedule = field::<ScheduleSpec>(case, "schedule").build()?;
            Ok(serde_json::to_value(schedule.check(ts(case, "last_loaded_at")?, now()?)).unwrap())
        }
        "policy" => Ok(json!({"class_names": policy()?.class_names()})),
        op => panic!("unknown op {op}"),
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN) // "NaN" in a vector stands for a float NaN
}

fn duration(case: &Value, key: &str) -> Result<chrono::TimeDelta> {
    field::<fleetops::freshness::DurationSpec>(case, key).to_delta()
}

fn run_slo(case: &Value) -> Result<Value> {
    let objective = || Objective::new(num(&case["objective"]));
    let to_json = |v: &dyn erased::Ser| v.json();
    match case["op"].as_str().unwrap() {
        "budget" => {
            let c = &case["counts"];
            let opt = |k: &str| c.get(k).map(num);
            let counts = CountsSpec { good: opt("good"), bad: opt("bad"), total: opt("total") }.build();
            let objective = objective()?;
            let period = case.get("period_minutes").map(num);
            Ok(to_json(&event_budget(objective, counts?, period)?))
        }
        "period" => {
            let period = field::<PeriodSpec>(case, "period").build()?;
            let objective = case.get("objective").map(|_| objective()).transpose()?;
            Ok(to_json(&period.window_with_budget(ts(case, "now")?.expect("now"), objective)))
        }
        "timeslice" => {
            let slices: Vec<Counts> = case["slices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| Counts::from_good_total(num(&s[0]), num(&s[1])))
                .collect::<Result<_>>()?;
            let empty = EmptySlice::parse_or_default(case["empty"].as_str())?;
            let target = Objective::new(num(&case["slice_target"]))?;
            let slice = duration(case, "slice")?;
            let period = duration(case, "period")?;
            Ok(to_json(&timeslice_budget(objective()?, target, slice, period, &slices, empty)?))
        }
        "burn_tiers" => {
            let policy = field::<BurnPolicySpec>(case, "policy").build()?;
            let objective = Objective::new(0.999)?;
            let alerts = policy.evaluate(objective, |_| Counts::default());
            Ok(json!({"tiers": alerts}))
        }
        "burn" => {
            let policy = field::<BurnPolicySpec>(case, "policy").build()?;
            let windows = case["windows"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(secs, c)| {
                    let window = chrono::TimeDelta::seconds(secs.parse().expect("seconds"));
                    Ok((window, Counts::from_good_total(num(&c[0]), num(&c[1]))?))
                })
                .collect::<Result<Vec<_>>>()?;
            let alerts = policy.evaluate_windows(objective()?, &windows)?;
            let by_tier: serde_json::Map<String, Value> =
                alerts.iter().map(|a| (a.tier.clone(), serde_json::to_value(a).unwrap())).collect();
            Ok(json!({"alerts": alerts, "alerts_by_tier": by_tier}))
        }
        "forecast" => {
            let f = forecast(
                num(&case["remaining_percent"]),
                num(&case["burn_rate"]),
                duration(case, "period")?,
                duration(case, "time_left")?,
            )?;
            Ok(to_json(&f))
        }
        op => panic!("unknown op {op}"),
    }
}

fn run_latency(case: &Value) -> Result<Value> {
    use fleetops::slo::{LatencyHistogram, DEFAULT_MAX_MS, DEFAULT_SIGNIFICANT_FIGURES};
    let values =
        |key: &str| -> Vec<f64> { case[key].as_array().map(|a| a.iter().map(num).collect()).unwrap_or_default() };
    let sigfig = |key: &str| case[key].as_u64().map_or(DEFAULT_SIGNIFICANT_FIGURES, |n| n as u8);
    let max_ms = case["max_ms"].as_f64().unwrap_or(DEFAULT_MAX_MS);
    let mut h = LatencyHistogram::new(max_ms, sigfig("significant_figures"))?;
    h.record_batch(&values("latencies"))?;
    if case.get("merge_with").is_some() {
        let mut other = LatencyHistogram::new(max_ms, sigfig("merge_significant_figures"))?;
        other.record_batch(&values("merge_with"))?;
        h.merge(&other)?;
    }
    if case["round_trip"].as_bool() == Some(true) {
        h = LatencyHistogram::from_bytes(&h.to_bytes())?;
    }
    if let Some(text) = case["restore"].as_str() {
        h = LatencyHistogram::from_bytes(text.as_bytes())?;
    }
    let mut v = serde_json::to_value(h.summary()).unwrap();
    if let Some(t) = case["threshold_ms"].as_f64() {
        v["fraction_under"] = json!(h.fraction_under(t)?);
    }
    if let Some(p) = case["percentile"].as_f64() {
        v["percentile"] = json!(h.percentile(p)?);
    }
    Ok(v)
}

fn run_rule(case: &Value) -> Result<Value> {
    use fleetops::slo::{runbook_rules, ThresholdRule, WindowStats};
    let rule = match &case["rule"] {
        Value::String(name) => runbook_rules().into_iter().find(|r| &r.name == name).expect("a runbook rule"),
        spec => ThresholdRule::from_json(spec.clone())?,
    };
    let stats: Vec<WindowStats> = field(case, "stats");
    let steps = rule.steps(Some(duration(case, "resolution")?))?;
    Ok(serde_json::to_value(rule.judge(&stats, steps)?).unwrap())
}

mod erased {
    /// Serialises any result to JSON (the runners compare JSON).
    pub trait Ser {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("serialises")
        }
    }
}

/// A vector's timestamp: ISO text, epoch seconds, or "NaN".
fn vector_time(v: &Value) -> Result<Timestamp> {
    match v {
        Value::String(s) if s == "NaN" => from_epoch_seconds(f64::NAN),
        Value::String(s) => parse_timestamp(s),
        v => from_epoch_seconds(v.as_f64().expect("a number")),
    }
}

fn vector_part(v: &Value) -> Result<KeyPart<'_>> {
    match v {
        Value::String(s) if s == "NaN" => Ok(KeyPart::Float(f64::NAN)),
        Value::String(s) => Ok(KeyPart::Text(s)),
        Value::Number(n) if n.is_i64() => Ok(KeyPart::Int(n.as_i64().unwrap())),
        Value::Number(n) => Ok(KeyPart::Float(n.as_f64().unwrap())),
        other => Err(FleetopsError::InvalidArgument(format!("bad key part {other}"))),
    }
}

/// A vector's key, read the way the bindings read theirs.
fn vector_key(h: &mut KeyHasher, v: &Value) -> Result<u64> {
    match v {
        Value::Number(n) if n.is_u64() => h.key(KeyValue::Uint(n.as_u64().unwrap())),
        Value::Number(n) if n.is_i64() => h.key(KeyValue::Int(n.as_i64().unwrap() as i128)),
        Value::Number(n) => h.key(KeyValue::Float(n.as_f64().unwrap())),
        Value::String(s) => h.key(KeyValue::Text(s)),
        Value::Array(items) => {
            let parts = items.iter().map(vector_part).collect::<Result<Vec<_>>>()?;
            h.key(KeyValue::Parts(&parts))
        }
        other => Err(FleetopsError::InvalidArgument(format!("a key cannot be {other}"))),
    }
}

fn deduper(config: &Value) -> Result<Deduper> {
    let spec: DeduperSpec = serde_json::from_value(config.clone()).expect("a deduper spec");
    Deduper::new(spec.build()?)
}

/// Feeds events one by one; also through `observe_batch` on a fresh copy, which must agree.
fn feed(d: &mut Deduper, events: &Value, now: Option<Timestamp>) -> Result<Vec<&'static str>> {
    let mut h = KeyHasher::new();
    let events = events.as_array().unwrap();
    let parsed =
        events.iter().map(|e| Ok((vector_key(&mut h, &e[0])?, vector_time(&e[1])?))).collect::<Result<Vec<_>>>()?;
    let mut batch_copy = d.clone();
    let outcomes: Vec<&'static str> =
        parsed.iter().map(|&(k, t)| d.observe(k, t, now).map(|o| o.as_str())).collect::<Result<_>>()?;
    let keys: Vec<u64> = parsed.iter().map(|p| p.0).collect();
    let ms: Vec<i64> = parsed.iter().map(|p| p.1.timestamp_millis()).collect();
    let codes = batch_copy.observe_batch(&keys, &ms, now)?;
    let from_batch: Vec<&str> = codes.iter().map(|&c| fleetops::dedup::Outcome::ALL[c as usize].as_str()).collect();
    assert_eq!(from_batch, outcomes, "observe_batch disagrees with observe");
    Ok(outcomes)
}

fn counts_json(s: &DedupStats) -> Value {
    serde_json::to_value(s.counts).unwrap()
}

fn run_dedup(case: &Value) -> Result<Value> {
    let opt_now = || case.get("now").map(vector_time).transpose();
    match case["op"].as_str().unwrap() {
        "stream" => {
            let mut d = deduper(&case["config"])?;
            let outcomes = feed(&mut d, &case["events"], opt_now()?)?;
            Ok(json!({"outcomes": outcomes, "counts": counts_json(&d.stats())}))
        }
        "batch" => {
            let mut h = KeyHasher::new();
            let keys =
                case["keys"].as_array().unwrap().iter().map(|k| vector_key(&mut h, k)).collect::<Result<Vec<_>>>()?;
            let keep = Keep::parse(case["keep"].as_str().unwrap())?;
            let order: Option<Vec<f64>> = case
                .get("order_by")
                .map(|o| o.as_array().unwrap().iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect());
            let mask = keep_mask(&keys, keep, order.as_deref())?;
            let indices: Vec<usize> = mask.iter().enumerate().filter(|(_, &m)| m).map(|(i, _)| i).collect();
            Ok(json!({"indices": indices, "mask": mask}))
        }
        "key_hash" => Ok(json!({"hash": vector_key(&mut KeyHasher::new(), &case["key"])?.to_string()})),
        "merge" => {
            let mut a = deduper(&case["config"])?;
            let mut b = deduper(case.get("config_b").unwrap_or(&case["config"]))?;
            feed(&mut a, &case["a"], None)?;
            feed(&mut b, &case["b"], None)?;
            a.merge(&b)?;
            let outcomes = feed(&mut a, &case["then"], None)?;
            Ok(json!({"outcomes": outcomes, "watermark": a.watermark().map(fleetops::time::to_iso)}))
        }
        "replay" => {
            let events = case["events"].as_array().unwrap();
            let cut = case["cut"].as_u64().unwrap() as usize;
            let mut before = deduper(&case["config"])?;
            feed(&mut before, &Value::Array(events[..cut].to_vec()), None)?;
            let mut after = Deduper::from_bytes(&before.to_bytes())?;
            Ok(json!({"outcomes": feed(&mut after, &case["events"], None)?}))
        }
        "restore" => {
            let hex = case["bytes_hex"].as_str().unwrap();
            let bytes: Vec<u8> =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
            Deduper::from_bytes(&bytes).map(|_| json!({}))
        }
        op => panic!("unknown op {op}"),
    }
}

fn spec<T: DeserializeOwned + Default>(v: Option<&Value>) -> T {
    v.map(|v| serde_json::from_value(v.clone()).expect("a spec")).unwrap_or_default()
}

/// Labels as pairs, from an object or a list of pairs.
fn label_pairs(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect(),
        Some(Value::Array(items)) => {
            items.iter().map(|p| (p[0].as_str().unwrap().to_owned(), p[1].as_str().unwrap().to_owned())).collect()
        }
        _ => vec![],
    }
}

fn borrow(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn run_storm(case: &Value) -> Result<Value> {
    let at = |v: &Value| parse_timestamp(v.as_str().unwrap());
    match case["op"].as_str().unwrap() {
        "detector" => {
            let mut d = StormDetector::new(spec::<StormSpec>(case.get("config")).build()?)?;
            if let Some(m) = case.get("mutes") {
                d.set_mutes(mutes_from_json(m.clone())?)?;
            }
            let now = case.get("now").map(at).transpose()?;
            let (mut actions, mut events) = (vec![], vec![]);
            for a in case["alerts"].as_array().unwrap() {
                let labels = label_pairs(a.get("labels"));
                let alert = Alert {
                    key: a["key"].as_str().unwrap(),
                    labels: &borrow(&labels),
                    at: at(&a["at"])?,
                    firing: a.get("status").and_then(Value::as_str) != Some("resolved"),
                };
                let v = d.observe(&alert, now);
                assert!(!v.reason.is_empty());
                actions.push(serde_json::to_value(v.action).unwrap());
                events.extend(v.events.iter().map(|e| serde_json::to_value(e).unwrap()));
            }
            // Restored from its saved form, the detector carries on identically.
            let mut d = StormDetector::from_bytes(&d.to_bytes())?;
            let advance_events = match case.get("advance") {
                Some(t) => serde_json::to_value(d.advance(at(t)?)).unwrap(),
                None => json!([]),
            };
            Ok(json!({"actions": actions, "events": events, "advance_events": advance_events, "counts": d.counts()}))
        }
        "fingerprint" => {
            let labels = label_pairs(case.get("labels"));
            Ok(json!({"fingerprint": fingerprint(&borrow(&labels)).to_string()}))
        }
        "matcher" => {
            let m: MatcherSpec = serde_json::from_value(case["matcher"].clone()).expect("a matcher");
            let m = Matcher::try_from(m)?;
            let labels = label_pairs(case.get("labels"));
            Ok(json!({"matches": m.matches(&borrow(&labels))}))
        }
        "flap" => {
            let states: Vec<bool> = case["states"].as_array().unwrap().iter().map(|s| s.as_bool().unwrap()).collect();
            Ok(serde_json::to_value(fleetops::storm::flap_series(&states, None, None)?).unwrap())
        }
        "limit" => {
            let mut l = RateLimiter::new(spec::<LimitSpec>(case.get("config")).build()?)?;
            let decisions: Vec<Value> = case["requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    Ok(serde_json::to_value(l.check(fleetops::storm::key_id_of(r[0].as_str().unwrap()), at(&r[1])?))
                        .unwrap())
                })
                .collect::<Result<_>>()?;
            Ok(json!({"decisions": decisions}))
        }
        "escalation" => {
            let policy = spec::<EscalationSpec>(case.get("policy")).build()?;
            let records = records_from_json(case["alerts"].clone())?;
            Ok(json!({"due": escalations_due(&records, &policy, at(&case["now"])?)}))
        }
        "group" => {
            let mut g = Grouper::new(spec::<GroupSpec>(case.get("config")).build()?)?;
            let alerts = case["alerts"].as_array().unwrap();
            let mut out = vec![];
            let mut next = 0;
            for d in case["due"].as_array().unwrap() {
                let due = at(d)?;
                while next < alerts.len() && at(&alerts[next][1])? <= due {
                    let labels = label_pairs(Some(&alerts[next][0]));
                    g.add(&borrow(&labels), at(&alerts[next][1])?, alerts[next][2].as_bool().unwrap());
                    next += 1;
                }
                out.push(serde_json::to_value(g.due(due)).unwrap());
            }
            Ok(json!({"notifications": out}))
        }
        op => panic!("unknown op {op}"),
    }
}

fn options<T: DeserializeOwned>(v: &Value) -> Result<T> {
    fleetops::options::parse(v.into(), fleetops::options::Case::Snake)
}

fn run_maintenance(case: &Value) -> Result<Value> {
    use fleetops::maintenance::{windows_between, MaintenanceSpec};
    use fleetops::slo::{Correction, SloTracker, TrackerSpec};
    let at = |k: &str| -> Result<Timestamp> { Ok(ts(case, k)?.expect(k)) };
    match case["op"].as_str().unwrap() {
        "windows" => {
            let specs: Vec<MaintenanceSpec> = options(&case["windows"])?;
            Ok(serde_json::to_value(windows_between(&specs, at("start")?, at("end")?)?).unwrap())
        }
        "tracker" => {
            let now = at("now")?;
            let mut tracker = SloTracker::new(options::<TrackerSpec>(&case["tracker"])?.build()?)?;
            for a in case["announce"].as_array().into_iter().flatten() {
                announce(&mut tracker, a)?;
            }
            let (mut at_us, mut ok, mut latency) = (Vec::new(), Vec::new(), Vec::new());
            for run in case["traffic"].as_array().unwrap() {
                let from = parse_timestamp(run["from"].as_str().unwrap())?.timestamp_micros();
                for k in 0..run["count"].as_i64().unwrap() {
                    at_us.push(from + k * run["every_s"].as_i64().unwrap() * 1_000_000);
                    ok.push(run["ok"].as_bool().unwrap());
                    latency.push(run["latency_ms"].as_f64().unwrap_or(f64::NAN));
                }
            }
            tracker.record_batch(&at_us, &ok, &latency, now)?;
            for step in case["steps"].as_array().into_iter().flatten() {
                if step.get("restore").is_some() {
                    tracker = SloTracker::from_bytes(&tracker.to_bytes())?;
                } else if let Some(a) = step.get("announce") {
                    announce(&mut tracker, a)?;
                } else {
                    let c = &step["correct"];
                    let t = |k: &str| parse_timestamp(c[k].as_str().unwrap());
                    let reason = c["reason"].as_str().unwrap().to_owned();
                    tracker.correct(Correction { start: t("start")?, end: t("end")?, reason }, now)?;
                }
            }
            Ok(serde_json::to_value(tracker.status(now)).unwrap())
        }
        op => panic!("unknown op {op}"),
    }
}

/// Announces the maintenance `a` ({start, end, at, name?, notice?}) at its instant `at`.
fn announce(tracker: &mut fleetops::slo::SloTracker, a: &Value) -> Result<()> {
    let t = |k: &str| parse_timestamp(a[k].as_str().unwrap());
    let notice = match a.get("notice") {
        Some(n) => Some(options::<fleetops::time::DurationSpec>(n)?.to_delta()?),
        None => None,
    };
    let name = a.get("name").and_then(Value::as_str).map(str::to_owned);
    let announced = fleetops::slo::Announcement { name, start: t("start")?, end: t("end")?, notice };
    tracker.announce_maintenance(announced, t("at")?).map(|_| ())
}

fn run_openslo(case: &Value) -> Result<Value> {
    let spec = fleetops::slo::openslo::read(case["yaml"].as_str().unwrap())?;
    Ok(serde_json::to_value(spec).unwrap())
}

fn run_all(file: &str, run: fn(&Value) -> Result<Value>) {
    let cases = load(file);
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let expect = &case["expect"];
        let outcome = match (run(case), expect.get("error")) {
            (Err(e), Some(code)) if code == e.code() => match expect.get("line") {
                Some(line) if !e.to_string().contains(&format!("line {line}:")) => {
                    Err(format!("expected line {line} in the message: {e}"))
                }
                _ => Ok(()),
            },
            (Err(e), _) => Err(format!("unexpected error {}: {e}", e.code())),
            (Ok(v), Some(code)) => Err(format!("expected error {code}, got {v}")),
            (Ok(v), None) => matches_within(expect, &v, "$", case["rel_tol"].as_f64().unwrap_or(1e-6)),
        };
        if let Err(msg) = outcome {
            failures.push(format!("{name}: {msg}"));
        }
    }
    assert!(!cases.is_empty(), "{file} has no cases");
    assert!(failures.is_empty(), "{} of {} {file} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn freshness_vectors() {
    run_all("freshness.json", run_freshness);
}

#[test]
fn slo_vectors() {
    run_all("slo.json", run_slo);
}

#[test]
fn slo_maintenance_vectors() {
    run_all("slo_maintenance.json", run_maintenance);
}

#[test]
fn slo_openslo_vectors() {
    run_all("slo_openslo.json", run_openslo);
}

#[test]
fn slo_latency_vectors() {
    run_all("slo_latency.json", run_latency);
}

#[test]
fn slo_rule_vectors() {
    run_all("slo_rules.json", run_rule);
}

#[test]
fn dedup_vectors() {
    run_all("dedup.json", run_dedup);
}

#[test]
fn storm_vectors() {
    run_all("storm.json", run_storm);
}
