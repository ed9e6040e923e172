//! The `fleetops` binary end to end: demo output, exit codes, JSON forms, bad files.

use std::io::Write;
use std::process::{Command, Output};

fn fleetops(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fleetops")).args(args).output().expect("runs")
}

fn temp_file(name: &str, body: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fleetops-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path).unwrap().write_all(body.as_bytes()).unwrap();
    path
}

#[test]
fn demo_prints_every_table_and_exits_2_for_errors() {
    let out = fleetops(&["freshness"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("Freshness at 2026-11-22T08:00:00Z"));
    for (table, class) in [("routes", "POOR"), ("maintenance_orders", "MISSING"), ("fuel_purchases", "FUTURE"), ("packages", "EXCELLENT")] {
        let line = text.lines().find(|l| l.starts_with(table)).unwrap_or_else(|| panic!("{table} in {text}"));
        assert!(line.contains(class), "{line}");
    }
    assert!(text.contains("error: routes, maintenance_orders"));
    assert!(text.contains("late (cadence or schedule): routes, sensor_readings"));
    assert_eq!(fleetops(&["freshness", "--exit-zero"]).status.code(), Some(0));
}

#[test]
fn json_and_dbt_forms_parse() {
    let out = fleetops(&["freshness", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["total"], 10);
    assert_eq!(v["summary"]["worst_level"], "error");
    let out = fleetops(&["freshness", "--dbt"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["unique_id"], "source.fleetops.packages");
    assert_eq!(v["results"][0]["status"], "pass");
}

#[test]
fn csv_input_and_exit_codes_by_worst_level() {
    let clear = temp_file("clear.csv", "table,last_loaded_at\npackages,2026-11-22T07:30:00Z\n");
    let out = fleetops(&["freshness", clear.to_str().unwrap(), "--now", "2026-11-22T08:00:00Z"]);
    assert_eq!(out.status.code(), Some(0));
    let warn = temp_file("warn.csv", "table,last_loaded_at\npackages,2026-11-22T01:00:00Z\nstops,2026-11-22T07:00:00+00:00\n");
    let out = fleetops(&["freshness", warn.to_str().unwrap(), "--now", "2026-11-22T08:00:00Z"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let missing = temp_file("missing.csv", "table,last_loaded_at\npackages,\n");
    assert_eq!(fleetops(&["freshness", missing.to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn bad_files_give_one_line_naming_file_and_row() {
    let cases = [
        ("bad_ts.csv", "table,last_loaded_at\npackages,2026-11-22T07:30:00Z\nstops,yesterday\n", "line 3 (stops)"),
        ("naive.csv", "table,last_loaded_at\npackages,2026-11-22 07:30:00\n", "naive timestamp"),
        ("columns.csv", "name_of_table,when\npackages,2026-11-22T07:30:00Z\n", "no 'table' column"),
        ("empty.csv", "", "the file is empty"),
        ("header_only.csv", "table,last_loaded_at\n", "no tables"),
        ("bad.json", "{\"tables\": [{\"table\": \"a\", \"last_loaded_at\": \"soon\"}]}", "table 1 (a)"),
        ("notjson.json", "[1, 2", "not a JSON list"),
    ];
    for (name, body, needle) in cases {
        let path = temp_file(name, body);
        let out = fleetops(&["freshness", path.to_str().unwrap()]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
    }
    let out = fleetops(&["freshness", "/nonexistent/tables.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("cannot read"));
    let out = fleetops(&["freshness", "--policy", "{\"warn_after\": \"2h\", \"error_after\": \"1h\"}"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("invalid threshold"));
}
