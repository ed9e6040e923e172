//! OpenSLO in and out at its edges: what is written reads back equal or is refused, a second
//! document of one name is refused instead of silently replacing the first, every bad value is
//! named by field and line, and a huge mapping is read in linear work.

use fleetops::slo::openslo::{read, write, MAX_BYTES};
use fleetops::slo::{TrackerConfig, TrackerSpec};

fn spec(json: serde_json::Value) -> TrackerConfig {
    let spec: TrackerSpec = fleetops::options::parse((&json).into(), fleetops::options::Case::Snake).unwrap();
    spec.build().unwrap()
}

const SLO: &str = "apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
spec:
  indicator:
    metadata:
      name: availability
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: good
        total:
          metricSource:
            type: Prometheus
            spec:
              query: total
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
  alertPolicies:
    - burn
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: burn
spec:
  conditions:
    - conditionRef: fast
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: fast
spec:
  severity: page
  condition:
    kind: burnrate
    op: gt
    threshold: 14.4
    lookbackWindow: 1h
";

#[test]
fn what_is_written_reads_back_or_is_refused() {
    // max_future travels in an annotation (it came back as 5m).
    let c = spec(serde_json::json!({"period": "28d", "max_future": "1h"}));
    assert_eq!(read(&write(&c, None).unwrap()).unwrap().build().unwrap(), c);
    let c = spec(serde_json::json!({"period": "28d", "max_future": 0}));
    assert_eq!(read(&write(&c, None).unwrap()).unwrap().build().unwrap(), c);
    // A fraction of a second has no OpenSLO form: refused, never cut (1.5 s came back as 1 s).
    let c = spec(serde_json::json!({"period": "1.5s", "resolution": 1}));
    assert_eq!(write(&c, None).unwrap_err().code(), "INVALID_ARGUMENT");
    // Two tiers of one name cannot be told apart in OpenSLO (or in an inhibit rule): refused.
    let dup = serde_json::json!({"burn": {"tiers": [
        {"name": "t", "long": "1h", "short": "5m", "factor": 14.4},
        {"name": "t", "long": "6h", "short": "30m", "factor": 6},
    ]}});
    let parsed: TrackerSpec = fleetops::options::parse((&dup).into(), fleetops::options::Case::Snake).unwrap();
    assert_eq!(parsed.build().unwrap_err().code(), "INVALID_ARGUMENT");
    // A spec whose OpenSLO would pass the reader's limit is refused when written.
    let nel = "\u{85}".repeat(90);
    let windows: Vec<serde_json::Value> = (0..64)
        .map(|i| serde_json::json!({"name": format!("{nel}{i}"), "cron": "0 2 * * SUN", "duration": "1h"}))
        .collect();
    let objectives: Vec<serde_json::Value> = (0..64)
        .map(|i| serde_json::json!({"name": format!("{}{i}", "\u{85}".repeat(120)), "kind": "success", "target": 0.99}))
        .collect();
    let big = spec(serde_json::json!({"objectives": objectives, "maintenance": windows}));
    let err = write(&big, None).unwrap_err();
    assert_eq!(err.code(), "INVALID_ARGUMENT");
    assert!(err.to_string().contains(&MAX_BYTES.to_string()), "{err}");
}

#[test]
fn a_second_document_of_one_name_is_refused() {
    let condition = SLO.split("---\n").last().unwrap().replace("14.4", "1000");
    let twice = format!("{SLO}---\n{condition}");
    let err = read(&twice).unwrap_err();
    assert_eq!(err.code(), "INVALID_SPEC");
    assert!(err.to_string().contains("AlertCondition 'fast' appears twice"), "{err}");
    let slo = SLO.split("---\n").next().unwrap();
    let err = read(&format!("{SLO}---\n{slo}")).unwrap_err();
    assert!(err.to_string().contains("SLO 'availability' appears twice"), "{err}");
}

#[test]
fn every_bad_value_is_named_by_field_and_line() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("    - target: 0.999", "    - targetPercent: 150", "targetPercent 150", "INVALID_TARGET"),
        ("    - target: 0.999", "    - target: 0", "target 0", "INVALID_TARGET"),
        ("    - target: 0.999", "    - target: x", "target must be a number", "INVALID_SPEC"),
        ("    threshold: 14.4", "    threshold: -1", "threshold -1", "INVALID_SPEC"),
        ("    lookbackWindow: 1h", "    lookbackWindow: 0h", "lookbackWindow '0h'", "INVALID_SPEC"),
        ("    - duration: 28d", "    - duration: 28y", "the unit must be", "INVALID_SPEC"),
        ("      isRolling: true", "      isRolling: yes", "isRolling must be true or false", "INVALID_SPEC"),
    ];
    for (from, to, words, code) in cases {
        let text = SLO.replacen(from, to, 1);
        let line = text.lines().position(|l| l == *to).unwrap() + 1;
        let err = read(&text).unwrap_err();
        assert_eq!(err.code(), *code, "{to}: {err}");
        let message = err.to_string();
        assert!(message.contains(&format!("line {line}:")) && message.contains(words), "{to}: {message}");
    }
    let zoned = SLO.replacen(
        "    - duration: 28d\n      isRolling: true\n",
        "    - duration: 1M\n      isRolling: false\n      calendar:\n        timeZone: Mars/Olympus\n",
        1,
    );
    let line = zoned.lines().position(|l| l.ends_with("timeZone: Mars/Olympus")).unwrap() + 1;
    let err = read(&zoned).unwrap_err().to_string();
    assert!(err.contains(&format!("line {line}:")) && err.contains("Mars/Olympus"), "{err}");
    let notes = SLO.replacen(
        "  name: availability\nspec:",
        "  name: availability\n  annotations:\n    fleetops.io/maintenance: '[{\"cron\": \"* * * * *\", \"duration\": \"1m\"}]'\nspec:",
        1,
    );
    let err = read(&notes).unwrap_err().to_string();
    assert!(err.contains("line 6:") && err.contains("fleetops.io/maintenance") && err.contains("hourly"), "{err}");
}

#[test]
fn huge_mappings_and_many_annotations_are_read_in_linear_work() {
    // 85,000 keys in one mapping: every one checked against the earlier ones took 27 s.
    let keys: String = (0..85_000).map(|k| format!("k{k}: 1\n")).collect();
    assert!(keys.len() < MAX_BYTES);
    assert_eq!(read(&keys).unwrap_err().code(), "INVALID_SPEC");
    // 40,000 annotations on the SLO: each was found by a linear search.
    let notes: String = (0..40_000).map(|k| format!("    n{k}: v\n")).collect();
    let text =
        SLO.replacen("  name: availability\nspec:", &format!("  name: availability\n  annotations:\n{notes}spec:"), 1);
    assert!(text.len() < MAX_BYTES);
    assert!(read(&text).is_ok());
    // A repeated key among them is still found, with its line.
    let repeated = format!("{keys}k17: 2\n");
    assert!(read(&repeated).unwrap_err().to_string().contains("line 85001: 'k17' appears twice"));
}

#[test]
fn every_collection_a_spec_can_grow_has_its_maximum() {
    use fleetops::slo::{MAX_NAME_CHARS, MAX_OBJECTIVES, MAX_TIERS};
    let code = |json: serde_json::Value| {
        let spec: TrackerSpec = fleetops::options::parse((&json).into(), fleetops::options::Case::Snake).unwrap();
        spec.build().and_then(fleetops::slo::SloTracker::new).err().map(|e| e.code())
    };
    let objectives = |n: usize| -> Vec<serde_json::Value> {
        (0..n).map(|i| serde_json::json!({"name": format!("o{i}"), "kind": "success", "target": 0.99})).collect()
    };
    assert_eq!(code(serde_json::json!({"objectives": objectives(MAX_OBJECTIVES)})), None);
    assert_eq!(code(serde_json::json!({"objectives": objectives(MAX_OBJECTIVES + 1)})), Some("INVALID_ARGUMENT"));
    let tiers = |n: usize| -> Vec<serde_json::Value> {
        (0..n).map(|i| serde_json::json!({"name": format!("t{i}"), "long": "1h", "short": "5m", "factor": 2})).collect()
    };
    assert_eq!(code(serde_json::json!({"burn": {"tiers": tiers(MAX_TIERS)}})), None);
    assert_eq!(code(serde_json::json!({"burn": {"tiers": tiers(MAX_TIERS + 1)}})), Some("INVALID_ARGUMENT"));
    // 20,000 tiers wrote 301 MB of inhibit rules; now refused at once, as are long names.
    assert_eq!(code(serde_json::json!({"burn": {"tiers": tiers(20_000)}})), Some("INVALID_ARGUMENT"));
    let long = "x".repeat(MAX_NAME_CHARS + 1);
    assert_eq!(
        code(serde_json::json!({"objectives": [{"name": long, "kind": "success", "target": 0.9}]})),
        Some("INVALID_ARGUMENT")
    );
    assert_eq!(
        code(serde_json::json!({"objectives": [{"name": "", "kind": "success", "target": 0.9}]})),
        Some("INVALID_ARGUMENT")
    );
    // A maximal spec's rules stay small: 64 objectives, 16 tiers of long names.
    let names: Vec<serde_json::Value> = (0..MAX_OBJECTIVES)
        .map(|i| serde_json::json!({"name": format!("{i}{}", "n".repeat(MAX_NAME_CHARS - 3)), "kind": "success", "target": 0.99}))
        .collect();
    let wide: Vec<serde_json::Value> = (0..MAX_TIERS)
        .map(|i| serde_json::json!({"name": format!("{i}{}", "t".repeat(MAX_NAME_CHARS - 3)), "long": format!("{}h", i + 1), "short": "5m", "factor": 2}))
        .collect();
    let c = spec(serde_json::json!({"objectives": names, "burn": {"tiers": wide}}));
    let rules = fleetops::slo::prometheus_rules(&c, None).unwrap();
    assert!(rules.rules.len() + rules.inhibit_rules.len() < 4 << 20, "{} bytes", rules.rules.len());
}
