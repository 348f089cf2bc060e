//! SARIF output (`--sarif`, `--report-format sarif`) of print, verify and validate:
//! valid against the official SARIF 2.1.0 JSON schema, locations relative to the
//! repository root, never a path of this machine, deterministic whatever the
//! input order.
//!
//! The schema is not committed: `tools/sarif-schema.sh` takes it from the npm
//! package `@microsoft/jest-sarif` (which ships `sarif-2.1.0-rtm.5.json`) into
//! `~/.cache/ing2gw-sarif/`; `ING2GW_SARIF_SCHEMA=<file>` points elsewhere.
//! Without it the schema test skips with a notice; with `CI` set or
//! `ING2GW_REQUIRE_SARIF_SCHEMA=1` (`.ci/run`) it fails.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs ing2gw in `cwd`; returns the exit code (0 or 1: findings).
fn ing2gw(cwd: &Path, args: &[&str]) -> i32 {
    ing2gw_allowing(cwd, args, &[0, 1])
}

fn ing2gw_allowing(cwd: &Path, args: &[&str], allowed: &[i32]) -> i32 {
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("ing2gw runs");
    let code = out.status.code().expect("exit code");
    assert!(
        allowed.contains(&code),
        "ing2gw {args:?} exited {code}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    code
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("SARIF written");
    serde_json::from_str(&text).expect("SARIF is JSON")
}

fn schema_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ING2GW_SARIF_SCHEMA") {
        return Some(PathBuf::from(p));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let p = cache.join("ing2gw-sarif/sarif-2.1.0-rtm.5.json");
    p.is_file().then_some(p)
}

fn schema_required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var_os("ING2GW_REQUIRE_SARIF_SCHEMA").is_some_and(|v| v == "1")
}

/// Every SARIF file the test produces: print on every core case and on the
/// documentation examples, verify on every verify case.
fn produce(out: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut cases: Vec<(String, PathBuf)> = Vec::new();
    for group in ["core", "verify"] {
        let mut dirs: Vec<_> = std::fs::read_dir(root().join("testdata").join(group))
            .expect("testdata readable")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.join("input.yaml").is_file())
            .collect();
        dirs.sort();
        for d in dirs {
            let name = d.file_name().expect("name").to_string_lossy().into_owned();
            cases.push((format!("{group}-{name}"), d.join("input.yaml")));
        }
    }
    assert!(cases.len() > 20, "too few cases: {}", cases.len());
    for (name, input) in &cases {
        let input = input.to_string_lossy();
        let sarif = out.join(format!("{name}.sarif"));
        let sarif_s = sarif.to_string_lossy();
        if name.starts_with("verify-") {
            ing2gw_allowing(
                root(),
                &["verify", "-f", &input, "--sarif", &sarif_s],
                &[0, 1, 2],
            );
        } else {
            // Input errors (invalid-yaml) exit 2 and still have their SARIF.
            ing2gw_allowing(
                root(),
                &[
                    "print",
                    "-f",
                    &input,
                    "--report",
                    &sarif_s,
                    "--report-format",
                    "sarif",
                ],
                &[0, 1, 2],
            );
        }
        files.push(sarif);
    }
    // validate: a valid and a broken manifest (violations at their fields).
    for name in ["valid", "broken"] {
        let input = root().join(format!("testdata/validate/{name}.yaml"));
        let sarif = out.join(format!("validate-{name}.sarif"));
        ing2gw(
            root(),
            &[
                "validate",
                "-f",
                &input.to_string_lossy(),
                "--sarif",
                &sarif.to_string_lossy(),
            ],
        );
        files.push(sarif);
    }
    files
}

/// The schema's patterns are ECMAScript regexes: two (run.language, toolComponent.language:
/// `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) has a stray `]`, a literal in
/// JavaScript that the validator's check of the schema (ECMA-262 `regex`
/// format, strict) refuses. Escape it (same meaning); every other pattern is
/// left as published.
fn js_patterns_for_rust(mut schema: Value) -> Value {
    fn walk(v: &mut Value, fixed: &mut usize) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "pattern"
                        && let Value::String(p) = child
                        && p.contains("{2}]?")
                    {
                        *p = p.replace("{2}]?", "{2}\\]?");
                        *fixed += 1;
                    } else {
                        walk(child, fixed);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, fixed)),
            _ => {}
        }
    }
    let mut fixed = 0;
    walk(&mut schema, &mut fixed);
    assert!(fixed <= 2, "{fixed} patterns needed escaping");
    schema
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let Some(schema_file) = schema_path() else {
        let hint = "SARIF schema not found: run tools/sarif-schema.sh (npm pack \
                    @microsoft/jest-sarif into ~/.cache/ing2gw-sarif/) or set ING2GW_SARIF_SCHEMA";
        assert!(!schema_required(), "{hint}");
        eprintln!("skipped: {hint}");
        return;
    };
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_file).expect("schema readable"))
            .expect("schema is JSON");
    assert_eq!(
        schema["$schema"],
        "http://json-schema.org/draft-04/schema#",
        "not the SARIF 2.1.0 schema: {}",
        schema_file.display()
    );
    let validator =
        jsonschema::validator_for(&js_patterns_for_rust(schema)).expect("schema compiles");
    // The schema is strict enough to catch a wrong log: check that it rejects one.
    let mut wrong = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "level": "fatal"}]}]});
    assert!(
        !validator.is_valid(&wrong),
        "the schema accepts an unknown level"
    );
    wrong["runs"][0]["results"][0]["level"] = "note".into();
    assert!(
        validator.is_valid(&wrong),
        "the schema rejects a minimal log"
    );

    let out = tempfile::tempdir().expect("temp dir");
    let files = produce(out.path());
    let mut results = 0;
    for file in &files {
        let log = read_json(file);
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            file.display(),
            errors.join("\n")
        );
        results += log["runs"][0]["results"].as_array().map_or(0, Vec::len);
    }
    assert!(results > 50, "only {results} results in all");
}

#[test]
fn locations_are_relative_to_the_repository_root() {
    let out = tempfile::tempdir().expect("temp dir");
    let sarif = out.path().join("k8s.sarif");
    // An absolute -f path: the location is still relative to the git top level.
    let input = root().join("testdata/docs-examples/k8s");
    ing2gw(
        out.path(),
        &[
            "print",
            "-f",
            &input.to_string_lossy(),
            "--sarif",
            &sarif.to_string_lossy(),
            "--fail-on",
            "never",
        ],
    );
    let text = std::fs::read_to_string(&sarif).expect("written");
    let log: Value = serde_json::from_str(&text).expect("JSON");
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let mut sorted = rules.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(rules, sorted, "rules sorted by code, once each");
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let mut located = 0;
    for r in results {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index], id, "ruleIndex points at the rule");
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        let Some(loc) = r["locations"][0].get("physicalLocation") else {
            continue;
        };
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            uri.starts_with("testdata/docs-examples/k8s/"),
            "not relative to the repository root: {uri}"
        );
        assert!(
            root().join(uri).is_file(),
            "{uri} is not a file of the repository"
        );
        assert!(loc["region"]["startLine"].as_u64().expect("line") >= 1);
        located += 1;
    }
    assert!(located > 0, "no result has a file location");
    for machine in [root().to_string_lossy(), out.path().to_string_lossy()] {
        assert!(!text.contains(&*machine), "SARIF names {machine}");
    }

    // --sarif-root moves the base; a file outside it keeps only its object.
    let inner = out.path().join("inner.sarif");
    ing2gw(
        root(),
        &[
            "print",
            "-f",
            "testdata/docs-examples/k8s",
            "--sarif",
            &inner.to_string_lossy(),
            "--sarif-root",
            "testdata/docs-examples",
            "--fail-on",
            "never",
        ],
    );
    let log = read_json(&inner);
    let uris: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .map(str::to_string)
        .collect();
    assert!(!uris.is_empty());
    assert!(uris.iter().all(|u| u.starts_with("k8s/")), "{uris:?}");
    let outside = out.path().join("outside.sarif");
    ing2gw(
        root(),
        &[
            "print",
            "-f",
            "testdata/docs-examples/k8s",
            "--sarif",
            &outside.to_string_lossy(),
            "--sarif-root",
            "testdata/core",
            "--fail-on",
            "never",
        ],
    );
    let log = read_json(&outside);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .all(|r| r["locations"][0].get("physicalLocation").is_none())
    );
    assert!(results.iter().any(|r| {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .is_some_and(|n| n.starts_with("Ingress "))
    }));
}

#[test]
fn sarif_is_identical_whatever_the_input_order() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = "testdata/docs-examples/k8s";
    let mut files: Vec<String> = ["shop", "payments", "ingress-nginx"]
        .iter()
        .map(|d| format!("{dir}/{d}"))
        .collect();
    files.push(format!("{dir}/ingressclass.yaml"));
    let one = out.path().join("one.sarif");
    let two = out.path().join("two.sarif");
    let forward = files.join(",");
    files.reverse();
    let backward = files.join(",");
    for (list, path) in [(&forward, &one), (&backward, &two)] {
        ing2gw(
            root(),
            &[
                "print",
                "-f",
                list,
                "--sarif",
                &path.to_string_lossy(),
                "--fail-on",
                "never",
            ],
        );
    }
    let a = std::fs::read(&one).expect("one");
    let b = std::fs::read(&two).expect("two");
    assert!(a.len() > 200);
    assert_eq!(a, b, "SARIF depends on the input order");
}

#[test]
fn report_format_sarif_needs_report_and_verify_writes_both() {
    // --report-format without --report is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args([
            "print",
            "-f",
            "testdata/docs-examples/app.yaml",
            "--report-format",
            "sarif",
        ])
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    // verify: --report stays the verify JSON, --sarif is SARIF.
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("verify.json");
    let sarif = dir.path().join("verify.sarif");
    ing2gw(
        root(),
        &[
            "verify",
            "-f",
            "testdata/docs-examples/k8s",
            "--report",
            &json.to_string_lossy(),
            "--sarif",
            &sarif.to_string_lossy(),
        ],
    );
    assert!(
        read_json(&json).get("summary").is_some(),
        "verify JSON report"
    );
    assert_eq!(read_json(&sarif)["version"], "2.1.0");
}

#[test]
fn verify_names_unexplained_divergences_at_the_ingress() {
    // An edited translation (the backend renamed): every divergence is unexplained.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        root().join("testdata/docs-examples/app.yaml"),
        dir.path().join("app.yaml"),
    )
    .expect("copy");
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(["print", "-f", "app.yaml"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let edited = String::from_utf8(out.stdout)
        .expect("utf-8")
        .replace("    - name: app\n", "    - name: other\n");
    assert!(edited.contains("name: other"), "{edited}");
    std::fs::write(dir.path().join("gw.yaml"), edited).expect("write");
    let code = ing2gw(
        dir.path(),
        &[
            "verify",
            "-f",
            "app.yaml",
            "--gateway-api",
            "gw.yaml",
            "--sarif",
            "v.sarif",
            "--sarif-root",
            ".",
        ],
    );
    assert_eq!(code, 1);
    let log = read_json(&dir.path().join("v.sarif"));
    let hit = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| {
            r["ruleId"] == "unexplained-divergence"
                && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                    == "Ingress default/app"
        })
        .expect("an unexplained-divergence result for default/app")
        .clone();
    assert_eq!(hit["level"], "error");
    let loc = &hit["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "app.yaml");
    assert_eq!(loc["region"]["startLine"], 1);
    let text = hit["message"]["text"].as_str().expect("text");
    assert!(text.contains("default/other"), "{text}");
}

#[test]
fn gitlab_code_quality_conversion() {
    // tools/sarif-to-codequality.jq, as docs/ci.md runs it in GitLab CI.
    let Ok(version) = Command::new("jq").arg("--version").output() else {
        assert!(
            !schema_required(),
            "jq is not installed (apt-get install jq)"
        );
        eprintln!("skipped: jq is not installed");
        return;
    };
    assert!(version.status.success());
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = dir.path().join("ing2gw.sarif");
    ing2gw(
        root(),
        &[
            "print",
            "-f",
            "testdata/docs-examples/k8s",
            "--sarif",
            &sarif.to_string_lossy(),
            "--accept",
            "timeouts:shop/web",
        ],
    );
    let out = Command::new("jq")
        .arg("-f")
        .arg(root().join("tools/sarif-to-codequality.jq"))
        .arg(&sarif)
        .output()
        .expect("jq runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let issues = report.as_array().expect("an array");
    assert!(!issues.is_empty());
    let log = read_json(&sarif);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let kept = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .filter(|r| r["locations"][0].get("physicalLocation").is_some())
        .count();
    assert_eq!(
        issues.len(),
        kept,
        "one issue per located, unaccepted result"
    );
    let mut fingerprints = std::collections::BTreeSet::new();
    for issue in issues {
        assert!(matches!(
            issue["severity"].as_str(),
            Some("major" | "minor" | "info")
        ));
        assert_ne!(
            issue["check_name"], "tls-default-certificate",
            "accepted: left out"
        );
        let path = issue["location"]["path"].as_str().expect("path");
        assert!(root().join(path).is_file(), "{path}");
        assert!(issue["location"]["lines"]["begin"].as_u64().expect("line") >= 1);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().expect("fp").to_string()));
    }
}
