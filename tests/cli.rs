//! End-to-end tests of the `ing2gw` binary: exit codes, output formats, stdin,
//! `--report`, `--quiet`, help texts and order independence.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ing2gw"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

fn case(name: &str) -> String {
    format!("testdata/core/{name}/input.yaml")
}

#[test]
fn exit_0_when_only_info_notifications() {
    let o = run(&["print", "-f", &case("list-input")]);
    assert_eq!(code(&o), 0, "stderr: {}", stderr(&o));
    assert!(stdout(&o).contains("kind: HTTPRoute"));
}

#[test]
fn exit_1_on_error_notifications_by_default() {
    // Unresolvable named ports are errors.
    let o = run(&["print", "-f", &case("named-ports")]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("unresolved-backend"));
    // The output is still printed.
    assert!(stdout(&o).contains("name: api.example.com"));
}

#[test]
fn fail_on_controls_exit_1() {
    // class-selection has warnings (skipped Ingresses) but no errors.
    let f = case("class-selection");
    assert_eq!(code(&run(&["print", "-f", &f])), 0);
    assert_eq!(code(&run(&["print", "-f", &f, "--fail-on", "error"])), 0);
    assert_eq!(code(&run(&["print", "-f", &f, "--fail-on", "warning"])), 1);
    let errors = case("named-ports");
    assert_eq!(
        code(&run(&["print", "-f", &errors, "--fail-on", "never"])),
        0
    );
}

#[test]
fn exit_2_on_usage_and_input_errors() {
    let missing = run(&["print", "-f", "testdata/does-not-exist.yaml"]);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("does-not-exist.yaml"));

    let bad_flag = run(&["print", "--no-such-flag"]);
    assert_eq!(code(&bad_flag), 2);

    let bad_value = run(&["print", "-f", &case("list-input"), "--fail-on", "sometimes"]);
    assert_eq!(code(&bad_value), 2);

    let no_input = run(&["print"]);
    assert_eq!(code(&no_input), 2);

    // Invalid YAML: exit 2, but the valid documents are still translated.
    let invalid = run(&["print", "-f", &case("invalid-yaml")]);
    assert_eq!(code(&invalid), 2);
    assert!(stdout(&invalid).contains("before.example.com"));
    assert!(stdout(&invalid).contains("after.example.com"));
    assert!(stderr(&invalid).contains("testdata/core/invalid-yaml/input.yaml:18:12"));
}

#[test]
fn undecodable_object_is_an_error_notification_not_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("template.yaml");
    std::fs::write(
        &f,
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: t\n  namespace: {placeholder}\nspec: {}\n",
    )
    .unwrap();
    let o = run(&["print", "-f", f.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("invalid-object"));
    assert!(stderr(&o).contains("template.yaml:5:14"), "{}", stderr(&o));
    let o = run(&["print", "-f", f.to_str().unwrap(), "--fail-on", "never"]);
    assert_eq!(code(&o), 0);
}

#[test]
fn json_output_is_a_v1_list() {
    let o = run(&["print", "-f", &case("shared-host-namespaces"), "-o", "json"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["apiVersion"], "v1");
    assert_eq!(v["kind"], "List");
    let items = v["items"].as_array().expect("items");
    assert!(items.iter().any(|i| i["kind"] == "Gateway"));
    assert!(items.iter().any(|i| i["kind"] == "HTTPRoute"));
    assert!(
        items
            .iter()
            .all(|i| i["apiVersion"] == "gateway.networking.k8s.io/v1")
    );
    // Same objects as the YAML output.
    let yaml = stdout(&run(&["print", "-f", &case("shared-host-namespaces")]));
    assert_eq!(yaml.matches("\nkind: ").count(), items.len());
}

#[test]
fn output_dir_layout_and_kustomization() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gateway");
    let o = run(&[
        "print",
        "-f",
        &case("shared-host-namespaces"),
        "--output-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "stderr: {}", stderr(&o));
    assert!(stdout(&o).is_empty(), "nothing on stdout with --output-dir");
    assert!(out.join("gateway-system/gateway-nginx.yaml").is_file());
    assert!(out.join("web/httproute-shop.example.com.yaml").is_file());
    assert!(
        out.join("web/referencegrant-nginx-gateway-system-certificates.yaml")
            .is_file()
    );
    let k = std::fs::read_to_string(out.join("kustomization.yaml")).unwrap();
    assert!(k.starts_with("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"));
    let resources: Vec<&str> = k.lines().filter_map(|l| l.strip_prefix("- ")).collect();
    // Every resource listed exists, and every written file is listed.
    let mut files = Vec::new();
    collect(&out, &out, &mut files);
    files.retain(|f| f != "kustomization.yaml" && f != ".ing2gw-manifest");
    files.sort();
    let mut listed: Vec<String> = resources.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(listed, files);
    // The manifest of what ing2gw wrote lists the same files.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(".ing2gw-manifest")).unwrap())
            .unwrap();
    let in_manifest: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(in_manifest, files);
    // The same objects as on stdout.
    let yaml = stdout(&run(&["print", "-f", &case("shared-host-namespaces")]));
    assert_eq!(yaml.matches("\nkind: ").count(), files.len());
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(root, &p, out);
        } else {
            out.push(p.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

#[test]
fn stdin_input_matches_file_input() {
    let path = case("path-conflict");
    let text = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    let mut child = bin()
        .args(["print", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0);
    assert!(stderr(&o).contains("<stdin>:"), "spans name stdin");
    let from_file = run(&["print", "-f", &path]);
    assert_eq!(stdout(&o), stdout(&from_file));
}

#[test]
fn report_file_is_structured_json() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let o = run(&[
        "print",
        "-f",
        &case("named-ports"),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let notes = v["notifications"].as_array().expect("notifications array");
    assert!(!notes.is_empty());
    for n in notes {
        assert!(["info", "warning", "error"].contains(&n["severity"].as_str().unwrap()));
        assert!(n["code"].is_string());
        assert!(n["message"].is_string());
    }
    let e = notes
        .iter()
        .find(|n| {
            n["code"] == "unresolved-backend" && n["message"].as_str().unwrap().contains("grpc")
        })
        .expect("the missing port is reported");
    assert_eq!(e["severity"], "error");
    assert_eq!(e["object"]["kind"], "Ingress");
    assert_eq!(e["object"]["namespace"], "apps");
    assert_eq!(e["object"]["name"], "named-ports");
    assert_eq!(e["field"], "spec.rules[0].http.paths[1].backend");
    assert_eq!(e["span"]["file"], "testdata/core/named-ports/input.yaml");
    assert!(e["span"]["line"].as_u64().unwrap() > 1);
    assert!(e["span"]["column"].as_u64().unwrap() >= 1);
    assert!(e["suggestion"].is_string());
}

#[test]
fn quiet_hides_info_but_not_warnings() {
    let f = case("class-selection");
    let loud = stderr(&run(&["print", "-f", &f]));
    let quiet = stderr(&run(&["print", "-f", &f, "--quiet"]));
    assert!(loud.contains("url-normalization"));
    assert!(!quiet.contains("url-normalization"));
    assert!(quiet.contains("ingress-skipped"));
    // The summary line still counts everything.
    let summary = |s: &str| s.lines().last().unwrap_or("").to_string();
    assert_eq!(summary(&loud), summary(&quiet));
}

#[test]
fn help_texts_have_examples_and_exit_codes() {
    let top = stdout(&run(&["--help"]));
    assert!(top.contains("Exit codes"));
    let print = run(&["print", "--help"]);
    assert_eq!(code(&print), 0);
    let print = stdout(&print);
    assert!(print.contains("Examples:"));
    assert!(print.contains("ing2gw print -f"));
    assert!(print.contains("Exit codes"));
    assert!(print.contains("--fail-on"));
    let completions = stdout(&run(&["completions", "--help"]));
    assert!(completions.contains("ing2gw completions bash"));
}

#[test]
fn output_is_byte_identical_across_file_orders() {
    let a = case("shared-host-namespaces");
    let b = case("path-conflict");
    let c = case("default-backend");
    let one = run(&["print", "-f", &format!("{a},{b},{c}")]);
    let two = run(&["print", "-f", &c, "-f", &format!("{b},{a}")]);
    assert_eq!(code(&one), code(&two));
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
    // A folder holding the same files, named so that they sort the other way.
    let dir = tempfile::tempdir().unwrap();
    for (i, f) in [c.as_str(), b.as_str(), a.as_str()].iter().enumerate() {
        let to: PathBuf = dir.path().join(format!("{i}.yaml"));
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(f), to).unwrap();
    }
    let three = run(&["print", "-f", dir.path().to_str().unwrap()]);
    assert_eq!(one.stdout, three.stdout);
}
