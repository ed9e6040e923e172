//! `cargo xtask codegen` writes every generated file of the repository, in the one order they
//! depend on: the JSON Schemas of results and options (from the core's types), the Python
//! TypedDicts and TypeScript declarations made from them, then `index.js` / `index.d.ts` from
//! `napi build` (whose header imports those declarations); and the example Prometheus rules
//! (from the example OpenSLO spec). `cargo xtask codegen --check`
//! writes nothing and fails, naming the files, when a committed one differs.

mod emit;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::{Map, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository").to_path_buf()
}

/// The example rules: what fleetops writes for the example OpenSLO spec.
fn example_files() -> Result<Vec<(&'static str, String)>, String> {
    let spec = root().join("examples/prometheus/fleet-api.openslo.yaml");
    let yaml = std::fs::read_to_string(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let config = fleetops::slo::openslo::read(&yaml).and_then(|s| s.build()).map_err(|e| e.to_string())?;
    let rules = fleetops::slo::prometheus_rules(&config, None).map_err(|e| e.to_string())?;
    Ok(vec![
        ("examples/prometheus/fleet-api-rules.yml", rules.rules),
        ("examples/prometheus/fleet-api-inhibit.yml", rules.inhibit_rules),
    ])
}

/// Every file generated from the core's schemas, with its text.
fn schema_files() -> Vec<(&'static str, String)> {
    let results = fleetops::schema::results_schema();
    let options = fleetops::schema::options_schema();
    let (py, py_returns) = emit::python(&results);
    let (ts, ts_returns, result_names) = emit::typescript(&results);
    let (options_ts, option_names) = emit::options_typescript(&options, &result_names);
    let returns: Map<String, Value> = py_returns
        .iter()
        .map(|(call, p)| (call.clone(), serde_json::json!({"python": p, "typescript": ts_returns[call]})))
        .collect();
    let json = |v: &Value| serde_json::to_string_pretty(v).expect("JSON") + "\n";
    vec![
        ("tests/types/results.schema.json", json(&results)),
        ("tests/types/options.schema.json", json(&options)),
        ("tests/types/returns.json", json(&Value::Object(returns))),
        ("bindings-python/python/fleetops/results.py", py),
        ("bindings-node/results.d.ts", ts),
        ("bindings-node/options.d.ts", options_ts),
        ("bindings-node/dts-header.d.ts", emit::dts_header(&result_names, &option_names)),
    ]
}

/// `index.js` and `index.d.ts` as `napi build` writes them, built into `out` (a debug build:
/// the declarations do not depend on the profile).
fn napi_files(out: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let node = root().join("bindings-node");
    let napi = node.join("node_modules/.bin/napi");
    if !napi.exists() {
        return Err("bindings-node/node_modules is missing: run `npm ci` in bindings-node first".into());
    }
    let status = Command::new(&napi)
        .current_dir(&node)
        .args(["build", "--platform", "--no-const-enum", "--output-dir"])
        .arg(out)
        .status()
        .map_err(|e| format!("napi build: {e}"))?;
    if !status.success() {
        return Err(format!("napi build failed ({status})"));
    }
    let read = |name: &str| std::fs::read_to_string(out.join(name)).map_err(|e| format!("{name}: {e}"));
    Ok(vec![("bindings-node/index.js", read("index.js")?), ("bindings-node/index.d.ts", read("index.d.ts")?)])
}

/// Writes (or, with `check`, compares) the files; the names of those that differed.
fn sync(files: &[(&str, String)], check: bool) -> Vec<String> {
    let mut stale = Vec::new();
    for (path, text) in files {
        let at = root().join(path);
        if std::fs::read_to_string(&at).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        stale.push((*path).to_owned());
        if !check {
            std::fs::create_dir_all(at.parent().expect("a folder")).expect("create the folder");
            std::fs::write(&at, text).unwrap_or_else(|e| panic!("write {path}: {e}"));
        }
    }
    stale
}

fn codegen(check: bool, with_napi: bool) -> Result<Vec<String>, String> {
    // The schema files first: `napi build` reads the header they include.
    let mut changed = sync(&schema_files(), check);
    changed.extend(sync(&example_files()?, check));
    if with_napi {
        let out = std::env::temp_dir().join(format!("fleetops-codegen-{}", std::process::id()));
        std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
        let files = napi_files(&out);
        let _ = std::fs::remove_dir_all(&out);
        changed.extend(sync(&files?, check));
    }
    Ok(changed)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: cargo xtask codegen [--check] [--no-napi]";
    if args.first().map(String::as_str) != Some("codegen")
        || args[1..].iter().any(|a| a != "--check" && a != "--no-napi")
    {
        eprintln!("{usage}");
        return ExitCode::from(2);
    }
    let check = args.iter().any(|a| a == "--check");
    let with_napi = !args.iter().any(|a| a == "--no-napi");
    match codegen(check, with_napi) {
        Ok(changed) if check && !changed.is_empty() => {
            eprintln!("generated files are stale: {}; run `cargo xtask codegen` and commit them", changed.join(", "));
            ExitCode::FAILURE
        }
        Ok(changed) => {
            for path in changed {
                println!("wrote {path}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cargo xtask codegen: {e}");
            ExitCode::FAILURE
        }
    }
}
