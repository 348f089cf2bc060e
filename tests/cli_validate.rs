//! `ing2gw validate`: exit codes (0 valid, 1 violations, 2 unreadable input),
//! each violation at the file:line:column of its field with the rule, files,
//! folders, stdin, JSON and SARIF reports, the cluster's objects (fake API
//! server), and the same check inside `diff --against DIR` and `verify
//! --gateway-api`.

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const VALID: &str = "testdata/validate/valid.yaml";
const BROKEN: &str = "testdata/validate/broken.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ing2gw runs");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("stdin written");
        }
    }
    child.wait_with_output().expect("ing2gw ends")
}

fn run(args: &[&str]) -> Output {
    run_in(root(), args, None)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (code, field, line, column) of every notification of a JSON report.
fn located(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["notifications"]
        .as_array()
        .expect("notifications")
        .iter()
        .map(|n| {
            (
                n["code"].as_str().unwrap_or_default().to_string(),
                n["field"].as_str().unwrap_or_default().to_string(),
                n["span"]["line"].as_u64().unwrap_or(0),
                n["span"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_valid_file_exits_0_and_names_what_it_did_not_validate() {
    let o = run(&["validate", "-f", VALID]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(
        err.contains("2 object(s) checked against Gateway API"),
        "{err}"
    );
    // The Service is not silently skipped.
    assert!(err.contains("not-validated"), "{err}");
    assert!(err.contains("Service (v1)"), "{err}");
}

#[test]
fn each_broken_edit_is_named_at_its_field_with_its_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("r.json");
    let o = run(&[
        "validate",
        "-f",
        BROKEN,
        "--report",
        report.to_str().expect("utf-8 path"),
    ]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report written"))
            .expect("report is JSON");
    assert_eq!(json["validated"], 2);
    assert_eq!(
        json["errors"],
        json["notifications"].as_array().map(Vec::len).unwrap()
    );
    let got = located(&json);
    let want = |field: &str, line: u64, column: u64| {
        (
            "manifest-invalid".to_string(),
            field.to_string(),
            line,
            column,
        )
    };
    for expected in [
        // A second listener `http`: the list-map key (at the duplicate item).
        want("spec.listeners[1]", 13, 5),
        // `www.*.example.com`: the hostname pattern.
        want("spec.hostnames[0]", 24, 5),
        // `type: Prefix`: the enum.
        want("spec.rules[0].matches[0].path.type", 28, 15),
        // `port: 0`: the minimum.
        want("spec.rules[0].backendRefs[0].port", 32, 13),
        // ReplacePrefixMatch with an Exact match: the CEL rule on the rule.
        want("spec.rules[1]", 33, 5),
        // A backendRef without a name: required.
        want("spec.rules[1].backendRefs[0].name", 44, 7),
    ] {
        assert!(got.contains(&expected), "{expected:?} not in {got:#?}");
    }
    // The rule, in the CRD's words, and the position, on stderr too (the
    // first three of a code; --report has every one).
    assert!(err.contains("Listener name must be unique"), "{err}");
    assert!(err.contains("broken.yaml:24:5"), "{err}");
    let messages = json["notifications"].to_string();
    assert!(messages.contains("exactly one PathPrefix"), "{messages}");
    assert!(messages.contains("Unsupported value"), "{messages}");
    assert!(messages.contains("Required value"), "{messages}");
}

#[test]
fn a_yaml_syntax_error_exits_2_and_the_rest_is_still_validated() {
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: a\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: b}\nspec: {hostnames: ['A.example.com']}\n";
    let o = run_in(root(), &["validate", "-f", "-"], Some(text));
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(err.contains("invalid-input"), "{err}");
    assert!(err.contains("<stdin>:3:11"), "{err}");
    // The second document was validated all the same.
    assert!(err.contains("<stdin>:8:20"), "{err}");
}

#[test]
fn stdin_is_read_with_dash() {
    let valid = std::fs::read_to_string(root().join(VALID)).expect("fixture");
    let o = run_in(root(), &["validate", "-f", "-"], Some(&valid));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let broken = valid.replace("port: 8080\n---", "port: 0\n---");
    let o = run_in(root(), &["validate", "-f", "-"], Some(&broken));
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("<stdin>:36:13"), "{err}");
}

#[test]
fn a_folder_is_read_recursively_and_duplicates_across_files_are_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let valid = std::fs::read_to_string(root().join(VALID)).expect("fixture");
    std::fs::create_dir_all(dir.path().join("gw/shop")).expect("mkdir");
    std::fs::write(dir.path().join("gw/a.yaml"), &valid).expect("write");
    let o = run_in(dir.path(), &["validate", "-f", "gw"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The same route again in a subfolder: kubectl apply keeps one.
    let route = valid.split("---\n").nth(1).expect("the route");
    std::fs::write(dir.path().join("gw/shop/route.yaml"), route).expect("write");
    let o = run_in(dir.path(), &["validate", "-f", "gw"], None);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("duplicate-object"), "{err}");
    assert!(err.contains("first at gw/a.yaml:17:1"), "{err}");
    assert!(err.contains("gw/shop/route.yaml:1:1"), "{err}");
}

#[test]
fn json_files_get_field_positions_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = r#"{
  "apiVersion": "gateway.networking.k8s.io/v1",
  "kind": "Gateway",
  "metadata": {"name": "g", "namespace": "x"},
  "spec": {"gatewayClassName": "eg",
    "listeners": [{"name": "http", "port": 0, "protocol": "HTTP"}]}
}
"#;
    std::fs::write(dir.path().join("g.json"), text).expect("write");
    let o = run_in(dir.path(), &["validate", "-f", "g.json"], None);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("g.json:6:44"), "{err}");
    assert!(err.contains("spec.listeners[0].port"), "{err}");
}

#[test]
fn the_targeted_version_and_channel_are_named() {
    let o = run(&[
        "validate",
        "-f",
        VALID,
        "--gateway-api-version",
        "1.4",
        "--channel",
        "experimental",
    ]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(
        err.contains("Gateway API 1.4 (experimental channel)"),
        "{err}"
    );
}

#[test]
fn sarif_locates_each_violation_relative_to_the_root() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(root().join(BROKEN), dir.path().join("broken.yaml")).expect("copy");
    let o = run_in(
        dir.path(),
        &[
            "validate",
            "-f",
            "broken.yaml",
            "--report",
            "v.sarif",
            "--report-format",
            "sarif",
            "--sarif-root",
            ".",
        ],
        None,
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let log: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("v.sarif")).expect("SARIF written"),
    )
    .expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let port = results
        .iter()
        .find(|r| r["properties"]["field"] == "spec.rules[0].backendRefs[0].port")
        .expect("the port violation");
    assert_eq!(port["ruleId"], "manifest-invalid");
    assert_eq!(port["level"], "error");
    let loc = &port["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "broken.yaml");
    assert_eq!(loc["region"]["startLine"], 32);
    assert_eq!(loc["region"]["startColumn"], 13);
}

#[test]
fn unreadable_input_and_bad_flags_exit_2() {
    let o = run(&["validate", "-f", "does/not/exist.yaml"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = run(&["validate", "-f", VALID, "-A"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = run(&["validate", "-f", VALID, "--gateway-api-version", "1.2"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}

#[test]
fn the_clusters_objects_are_validated() {
    use fake_apiserver::{FakeApiServer, Fixture};
    let broken = std::fs::read_to_string(root().join(BROKEN)).expect("fixture");
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(&broken));
    let home = kubeconfig.parent().expect("kubeconfig folder");
    let o = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(["validate", "-A"])
        .env("KUBECONFIG", &kubeconfig)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("KUBERNETES_SERVICE_PORT")
        .output()
        .expect("ing2gw runs");
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("HTTPRoute shop/shop"), "{err}");
    assert!(err.contains("spec.hostnames[0]"), "{err}");
    assert!(err.contains("2 object(s) checked"), "{err}");
}

/// `diff --against DIR`: a broken edit in the committed output is named at its
/// field before the diff, and makes the exit code 1 even without a difference
/// (here: the edit is the only difference, and the message names it).
#[test]
fn diff_names_a_broken_edit_in_the_against_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = root().join("testdata/docs-examples/ingresses");
    let input = input.to_str().expect("utf-8");
    let o = run_in(
        dir.path(),
        &["print", "-f", input, "--output-dir", "gateway"],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run_in(
        dir.path(),
        &["diff", "-f", input, "--against", "gateway/"],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // A broken object ing2gw does not manage is not compared, but is named: exit 1.
    let other = std::fs::read_to_string(root().join(BROKEN))
        .expect("fixture")
        .replace("name: nginx", "name: other");
    std::fs::write(dir.path().join("gateway/other.yaml"), other).expect("write");
    let diff = ["diff", "-f", input, "--against", "gateway/"];
    let o = run_in(dir.path(), &diff, None);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("0 changed"), "{err}");
    assert!(err.contains("gateway/other.yaml:24:5"), "{err}");
    std::fs::remove_file(dir.path().join("gateway/other.yaml")).expect("removed");
    let route = dir
        .path()
        .join("gateway/blog/httproute-blog.example.com.yaml");
    let text = std::fs::read_to_string(&route).expect("route written");
    std::fs::write(
        &route,
        text.replace(
            "hostnames:\n  - blog.example.com",
            "hostnames:\n  - Blog.example.com",
        ),
    )
    .expect("edited");
    let o = run_in(
        dir.path(),
        &["diff", "-f", input, "--against", "gateway/"],
        None,
    );
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("manifest-invalid"), "{err}");
    assert!(
        err.contains("gateway/blog/httproute-blog.example.com.yaml:"),
        "{err}"
    );
    assert!(err.contains("spec.hostnames[0]"), "{err}");
    assert!(err.contains("that kubectl apply would reject"), "{err}");
}

/// `verify --gateway-api`: the user's manifests are validated first.
#[test]
fn verify_names_a_broken_gateway_api_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = root().join("testdata/docs-examples/app.yaml");
    let input = input.to_str().expect("utf-8");
    let o = run_in(dir.path(), &["print", "-f", input], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let printed = String::from_utf8(o.stdout).expect("utf-8");
    std::fs::write(dir.path().join("gw.yaml"), &printed).expect("write");
    let o = run_in(
        dir.path(),
        &["verify", "-f", input, "--gateway-api", "gw.yaml"],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("manifest-invalid"));
    let broken = printed.replacen("port: 80", "port: 0", 1);
    assert_ne!(broken, printed, "the fixture has a port to break");
    std::fs::write(dir.path().join("gw.yaml"), &broken).expect("write");
    let o = run_in(
        dir.path(),
        &["verify", "-f", input, "--gateway-api", "gw.yaml"],
        None,
    );
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("manifest-invalid"), "{err}");
    assert!(err.contains("gw.yaml:"), "{err}");
}

/// `diff --against -`: stdin is read once, for the validation and the
/// comparison both (reading it twice would compare with nothing).
#[test]
fn diff_against_stdin_is_validated_and_compared() {
    let input = root().join("testdata/docs-examples/ingresses");
    let input = input.to_str().expect("utf-8");
    let o = run(&["print", "-f", input]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let printed = String::from_utf8(o.stdout).expect("utf-8");
    let diff = ["diff", "-f", input, "--against", "-"];
    let o = run_in(root(), &diff, Some(&printed));
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(err.contains("0 changed"), "{err}");
    assert!(!err.contains("0 unchanged"), "{err}");
    let broken = printed.replacen("port: 80\n", "port: 0\n", 1);
    assert_ne!(broken, printed);
    let o = run_in(root(), &diff, Some(&broken));
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("manifest-invalid"), "{err}");
    assert!(err.contains("<stdin>:"), "{err}");
}
