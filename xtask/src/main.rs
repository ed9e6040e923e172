//! `cargo xtask codegen` writes every generated file of the repository, in the one order they
//! depend on: the JSON Schemas of results and options (from the core's types), the Python
//! TypedDicts and TypeScript declarations made from them, then `index.js` / `index.d.ts` from
//! `napi build` (whose header imports those declarations); and the example Prometheus rules
//! (from the example OpenSLO spec); the per-platform npm packages (from `package.json`).
//! `cargo xtask codegen --check`
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

/// The per-platform npm packages of the prebuilt addon (`bindings-node/npm/<platform>/`), one
/// per `napi.targets` entry of `bindings-node/package.json`, in napi-rs's layout: the main
/// package's `index.js` loads `fleetops-<platform>` when the addon is not beside it, and the
/// release adds them to its `optionalDependencies`.
fn npm_platform_files() -> Result<Vec<(String, String)>, String> {
    let path = root().join("bindings-node/package.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let main: Value = serde_json::from_str(&text).map_err(|e| format!("package.json: {e}"))?;
    let targets = main["napi"]["targets"].as_array().ok_or("package.json: no napi.targets")?;
    let mut files = Vec::new();
    for target in targets {
        let triple = target.as_str().ok_or("napi.targets: a target is not a string")?;
        // (platform, os, cpu, libc) as npm and napi-rs name them.
        let (platform, os, cpu, libc) = match triple {
            "x86_64-unknown-linux-gnu" => ("linux-x64-gnu", "linux", "x64", Some("glibc")),
            "x86_64-unknown-linux-musl" => ("linux-x64-musl", "linux", "x64", Some("musl")),
            "aarch64-unknown-linux-gnu" => ("linux-arm64-gnu", "linux", "arm64", Some("glibc")),
            "aarch64-unknown-linux-musl" => ("linux-arm64-musl", "linux", "arm64", Some("musl")),
            "x86_64-apple-darwin" => ("darwin-x64", "darwin", "x64", None),
            "aarch64-apple-darwin" => ("darwin-arm64", "darwin", "arm64", None),
            "x86_64-pc-windows-msvc" => ("win32-x64-msvc", "win32", "x64", None),
            other => return Err(format!("napi.targets: no npm platform known for {other}")),
        };
        let binary = format!("fleetops.{platform}.node");
        let mut package = serde_json::json!({
            "name": format!("fleetops-{platform}"),
            "version": main["version"],
            "description": format!("The {triple} binary of fleetops (installed by `fleetops` itself)."),
            "license": main["license"],
            "engines": main["engines"],
            "os": [os],
            "cpu": [cpu],
            "main": binary,
            "files": [binary],
        });
        if let Some(libc) = libc {
            package["libc"] = serde_json::json!([libc]);
        }
        let dir = format!("bindings-node/npm/{platform}");
        files.push((format!("{dir}/package.json"), serde_json::to_string_pretty(&package).expect("JSON") + "\n"));
        let readme = format!(
            "# `fleetops-{platform}`\n\nThe **{triple}** binary of [`fleetops`](https://www.npmjs.com/package/fleetops). \
             Install `fleetops`; npm picks this package for the platform it runs on.\n"
        );
        files.push((format!("{dir}/README.md"), readme));
    }
    Ok(files)
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
    let index = read("index.js")?;
    let esm = esm_entry(&index);
    Ok(vec![
        ("bindings-node/index.js", index),
        ("bindings-node/index.d.ts", read("index.d.ts")?),
        ("bindings-node/fleetops.mjs", esm),
    ])
}

/// The package's ES module entry: every export napi's `index.js` names, re-exported by name
/// from the CommonJS entry (whose guarded object Node cannot see names in), and as the default.
fn esm_entry(index_js: &str) -> String {
    let names: Vec<&str> = index_js
        .lines()
        .filter_map(|l| l.strip_prefix("module.exports."))
        .filter_map(|l| l.split_once(" = nativeBinding.").map(|(name, _)| name))
        .filter(|name| !name.starts_with('_'))
        .collect();
    let mut out = String::from(
        "// The ES module entry of fleetops (generated by `cargo xtask codegen` from index.js; do not edit):\n\
         // the CommonJS entry's exports by name, and the whole as the default export.\n\
         import fleetops from './fleetops.js'\n\n\
         export const {\n",
    );
    for name in &names {
        out.push_str(&format!("  {name},\n"));
    }
    out.push_str("} = fleetops\n\nexport default fleetops\n");
    out
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
    let platforms = npm_platform_files()?;
    let platforms: Vec<(&str, String)> = platforms.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    changed.extend(sync(&platforms, check));
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
