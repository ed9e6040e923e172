//! One rule for output: a name a user chose goes through every writer and lands as data, never
//! as code. Hostile names (Go template actions, PromQL that closes its string, YAML line
//! breaks, terminal escapes) and arbitrary Unicode names (proptest, seeded) are written as
//! Prometheus rules, OpenSLO, the exposition, JSON, HTML and terminal text; each output must
//! parse with the real parser (promtool, a YAML parser, serde_json) and give the name back
//! exactly as written. Under `promtool test rules` the alerts fire with the names as written,
//! so no template ran.

use std::fmt::Write;
use std::process::Command;

use fleetops::escape::{html, json, promql, terminal, yaml};
use fleetops::slo::{openslo, prometheus_rules, SloTracker, TrackerConfig, TrackerSpec};
use fleetops::time::parse_timestamp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRng, TestRunner};

const HOSTILE: &[&str] = &[
    "{{ 1 }}",
    "{{ with query \"up\" }}{{ . }}{{ end }}",
    "{{",
    "}}",
    "x\"} or vector(1) or x{a=\"",
    "back\\slash\\",
    "nel\u{85}line",
    "ls\u{2028}ps\u{2029}",
    "del\u{7f}c1\u{9b}",
    "\u{1b}]0;pwned\u{7}\u{1b}[2J",
    "new\nline: 1",
    "tab\there",
    "# comment",
    "- item",
    "'single' \"double\"",
    "&anchor *alias !tag",
    "<script>alert(1)</script>",
    "\u{202e}reversed",
    "日本語 🚚",
];

/// Names: the hostile ones and `n` arbitrary ones (any Unicode scalar, 1 to 24 characters).
fn names(n: usize) -> Vec<String> {
    let mut runner =
        TestRunner::new_with_rng(Config::default(), TestRng::deterministic_rng(Config::default().rng_algorithm));
    let strategy = proptest::collection::vec(any::<char>(), 1..24).prop_map(|c| c.into_iter().collect::<String>());
    let mut out: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    while out.len() < HOSTILE.len() + n {
        let s = proptest::strategy::ValueTree::current(&strategy.new_tree(&mut runner).unwrap());
        // U+FFFD is refused in names (Prometheus cannot carry it; a test below).
        if !out.contains(&s) && !s.contains('\u{fffd}') {
            out.push(s);
        }
    }
    out
}

fn config(objectives: &[String], tiers: serde_json::Value) -> TrackerConfig {
    let json = serde_json::json!({
        "period": "30d",
        "objectives": objectives.iter().map(|n| serde_json::json!({"name": n, "kind": "success", "target": 0.999})).collect::<Vec<_>>(),
        "burn": {"tiers": tiers},
    });
    let spec: TrackerSpec = fleetops::options::parse((&json).into(), fleetops::options::Case::Snake).unwrap();
    spec.build().unwrap()
}

fn yaml_docs(text: &str) -> Vec<yaml_rust2::Yaml> {
    yaml_rust2::YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

fn promtool(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new("promtool").args(args).current_dir(dir).output().expect("promtool (Debian's prometheus package)")
}

#[test]
fn rule_files_parse_and_alerts_carry_the_names_as_written() {
    let names = names(40);
    // Tiers named as hostilely as objectives; the second has the slower long window.
    let tiers = serde_json::json!([
        {"name": "{{ .Labels }}", "severity": "pa\"ge", "long": "1h", "short": "5m", "factor": 1.0},
        {"name": "ticket|.*", "severity": "tick\\et", "long": "6h", "short": "30m", "factor": 1.0},
    ]);
    let c = config(&names, tiers);
    let rules = prometheus_rules(&c, None).unwrap();
    let dir = std::env::temp_dir().join(format!("fleetops-escaping-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("rules.yml"), &rules.rules).unwrap();
    std::fs::write(dir.join("inhibit.yml"), &rules.inhibit_rules).unwrap();

    // YAML: every recording rule's objective label is the name itself.
    let doc = &yaml_docs(&rules.rules)[0];
    let groups = doc["groups"].as_vec().unwrap();
    assert_eq!(groups.len(), names.len());
    for (g, name) in groups.iter().zip(&names) {
        let rule = &g["rules"][0];
        assert_eq!(rule["labels"]["objective"].as_str(), Some(name.as_str()), "{name:?}");
        assert!(rule["expr"].as_str().unwrap().contains(&promql::string(name)));
    }
    let inhibit = &yaml_docs(&rules.inhibit_rules)[0];
    assert_eq!(inhibit["inhibit_rules"].as_vec().unwrap().len(), 1);

    let check = promtool(&["check", "rules", "rules.yml"], &dir);
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // Every objective all bad for an hour: its fast tier fires with the name as its label.
    let mut series = String::new();
    let mut alerts = String::new();
    for name in &names {
        let sel = format!("{{objective={}}}", promql::string(name));
        let _ = writeln!(
            series,
            "      - series: {}\n        values: '0+100x70'",
            yaml::string(&format!("fleetops_slo_events_total{sel}"))
        );
        let _ = writeln!(
            series,
            "      - series: {}\n        values: '0+0x70'",
            yaml::string(&format!("fleetops_slo_good_events_total{sel}"))
        );
        // Both tiers burn (every event bad), each with its own hostile names.
        for (tier, severity, windows) in
            [("{{ .Labels }}", "pa\"ge", "1h and 5m"), ("ticket|.*", "tick\\et", "6h and 30m")]
        {
            let _ = write!(
                alerts,
                "          - exp_labels: {{objective: {}, tier: {}, severity: {}}}\n            exp_annotations: {{summary: {}}}\n",
                yaml::string(name),
                yaml::string(tier),
                yaml::string(severity),
                yaml::string(&format!("{name}: error budget burning faster than 1x over {windows} ({tier})")),
            );
        }
    }
    let test = format!(
        "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n{series}    alert_rule_test:\n      - eval_time: 65m\n        alertname: FleetopsSloBurnRate\n        exp_alerts:\n{alerts}"
    );
    std::fs::write(dir.join("test.yml"), &test).unwrap();
    let run = promtool(&["test", "rules", "test.yml"], &dir);
    let out = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(run.status.success(), "{out}");
}

#[test]
fn openslo_reads_back_every_name() {
    for chunk in names(60).chunks(20) {
        let c = config(
            chunk,
            serde_json::json!([{"name": "{{ x }}\u{85}", "severity": "p\u{2028}", "long": "1h", "short": "5m", "factor": 14.4}]),
        );
        let text = openslo::write(&c, None).unwrap();
        yaml_docs(&text);
        let back = openslo::read(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).build().unwrap();
        assert_eq!(back, c, "{text}");
    }
    let c = config(&["a".into()], serde_json::json!([{"name": "t", "long": "1h", "short": "5m", "factor": 1.0}]));
    let json = serde_json::json!({"objectives": [{"name": "a\u{fffd}", "kind": "success", "target": 0.9}]});
    let spec: TrackerSpec = fleetops::options::parse((&json).into(), fleetops::options::Case::Snake).unwrap();
    assert_eq!(spec.build().and_then(SloTracker::new).unwrap_err().code(), "INVALID_ARGUMENT");
    for bad in ["x\"} or vector(1) or x{a=\"", "9x", "a b"] {
        assert_eq!(openslo::write(&c, Some(bad)).unwrap_err().code(), "INVALID_ARGUMENT", "{bad:?}");
    }
}

/// Label values of one exposition line, unescaped (`\\`, `\"`, `\n`).
fn label_values(line: &str) -> Vec<String> {
    let mut out = vec![];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut v = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n') => v.push('\n'),
                    Some(o) => v.push(o),
                    None => panic!("dangling escape in {line:?}"),
                },
                '"' => break,
                c => v.push(c),
            }
        }
        out.push(v);
    }
    out
}

#[test]
fn the_exposition_keeps_every_name_on_its_own_line() {
    let names = names(40);
    let c = config(
        &names,
        serde_json::json!([{"name": "t\n1", "severity": "s\"", "long": "1h", "short": "5m", "factor": 1.0}]),
    );
    let mut t = SloTracker::new(c).unwrap();
    let now = parse_timestamp("2026-11-22T08:00:00Z").unwrap();
    t.record(fleetops::slo::Outcome { at: now, ok: true, latency_ms: Some(12.0) }, now).unwrap();
    let text = t.status(now).prometheus(None).unwrap();
    let objective_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("fleetops_slo_objective{")).collect();
    let got: Vec<String> = objective_lines.iter().map(|l| label_values(l).remove(0)).collect();
    assert_eq!(got, names);
    for line in text.lines() {
        assert!(line.starts_with('#') || line.starts_with("fleetops_"), "a line that is no sample: {line:?}");
    }
    let lint = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut p| {
            use std::io::Write as _;
            p.stdin.take().unwrap().write_all(text.as_bytes())?;
            p.wait_with_output()
        })
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&lint.stdout), String::from_utf8_lossy(&lint.stderr));
    // Lint advice (naming conventions) is allowed; a text it cannot parse is not.
    assert!(!said.contains("error while linting"), "{said}");
    for bad in ["a\nevil_metric 1\nb", "a{b}", ""] {
        assert_eq!(t.status(now).prometheus(Some(bad)).unwrap_err().code(), "INVALID_ARGUMENT");
    }
}

#[test]
fn json_html_and_terminal_text_are_inert() {
    for name in names(200) {
        let j = json::string(&name);
        assert_eq!(serde_json::from_str::<String>(&j).unwrap(), name);
        assert!(j.chars().all(|c| c == ' ' || fleetops::escape::is_plain(c)), "{j:?}");
        let h = html::text(&name);
        assert!(!h.contains(['<', '>', '"', '\'']), "{h:?}");
        let shown = terminal::value(&name);
        assert!(!shown.chars().any(|c| c.is_control() || fleetops::escape::is_bidi_control(c)), "{shown:?}");
        let y = yaml::string(&name);
        assert_eq!(yaml_docs(&format!("k: {y}\n"))[0]["k"].as_str(), Some(name.as_str()), "{y}");
    }
}

#[test]
fn the_cli_shows_escape_sequences_instead_of_running_them() {
    let dir = std::env::temp_dir().join(format!("fleetops-cli-escaping-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("loads.csv");
    std::fs::write(
        &csv,
        "table,loaded_at\n\"\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mALL\nCLEAR\u{9b}\",2026-11-22T06:00:00Z\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_fleetops");
    for args in [vec!["freshness"], vec!["freshness", "--json"]] {
        let out = Command::new(bin).args(&args).arg(&csv).args(["--now", "2026-11-22T12:00:00Z"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{text:?}");
        assert!(!text.lines().any(|l| l.starts_with("CLEAR")), "a name's line break ends no line: {text}");
        assert!(text.contains("\\x1b[2J") || text.contains("\\u001b[2J"), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_cli_command_and_its_errors_show_escapes_instead_of_running_them() {
    let dir = std::env::temp_dir().join(format!("fleetops-cli-escaping-all-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    let alerts = dir.join("alerts.jsonl");
    let lines: String = (0..30)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({"vehicle_id": evil, "at": format!("2026-11-22T07:59:{:02}Z", i), "firing": true})
            )
        })
        .collect();
    std::fs::write(&alerts, lines).unwrap();
    let rows = dir.join("rows.csv");
    std::fs::write(&rows, format!("id,at\n\"{evil}\",2026-11-22T07:00:00Z\n\"{evil}\",2026-11-22T07:00:00Z\n"))
        .unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, format!("table,loaded_at\nt,\"{evil}\"\n")).unwrap();
    let bin = env!("CARGO_BIN_EXE_fleetops");
    let now = ["--now", "2026-11-22T08:00:00Z"];
    let runs: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec!["storms".as_ref(), alerts.as_os_str(), "--now".as_ref(), "2026-11-22T08:00:00Z".as_ref()],
        vec![
            "storms".as_ref(),
            alerts.as_os_str(),
            "--json".as_ref(),
            "--now".as_ref(),
            "2026-11-22T08:00:00Z".as_ref(),
        ],
        vec!["dedup".as_ref(), rows.as_os_str(), "--key".as_ref(), "id".as_ref()],
        vec!["freshness".as_ref(), bad.as_os_str(), now[0].as_ref(), now[1].as_ref()],
    ];
    for args in runs {
        let out = Command::new(bin).args(&args).output().unwrap();
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{args:?} {stream}: {text:?}");
        }
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(all.contains("\\x1b") || all.contains("\\u001b"), "{args:?}: the key is shown: {all}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
