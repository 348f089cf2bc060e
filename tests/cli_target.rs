//! CLI tests of the target flags: `--gateway-api-version` / `--channel` on print,
//! `annotations --implementation`, `scan --implementation`, and their help.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

const RICH: &str = "testdata/profiles/rich/input.yaml";

#[test]
fn print_follows_the_gateway_api_version() {
    let o = run(&[
        "print",
        "-f",
        RICH,
        "--gateway-api-version",
        "1.4",
        "--channel",
        "experimental",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant"),
        "{out}"
    );
    assert!(out.contains("apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute"));
    let o = run(&["print", "-f", RICH, "--gateway-api-version", "1.4"]);
    assert!(!stdout(&o).contains("kind: TLSRoute"));
    // The dropped TLSRoute is an error: exit 1.
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["print", "-f", RICH, "--gateway-api-version", "1.3"]);
    assert_eq!(o.status.code(), Some(2), "1.3 is not a known profile");
}

#[test]
fn annotations_lists_a_targets_coverage() {
    let o = run(&["annotations", "--implementation", "istio", "-o", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["implementation"], "istio");
    let rows = v["rows"].as_array().expect("rows");
    assert!(
        rows.iter()
            .any(|r| r["key"] == "limit-rps" && r["level"] == "not-expressible")
    );
    assert!(
        rows.iter()
            .all(|r| r["origin"] == "catalog" || r["origin"] == "emitter")
    );
    let o = run(&["annotations", "--implementation", "standard"]);
    assert!(stdout(&o).contains("standard Gateway API: "));
    let o = run(&["annotations", "--implementation", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn scan_says_what_the_target_expresses() {
    let case = "testdata/annotations/access-control/allowlist/input.yaml";
    let o = run(&[
        "scan",
        "-f",
        case,
        "-o",
        "json",
        "--implementation",
        "istio",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["summary"]["implementation"], "istio");
    assert_eq!(v["summary"]["annotations_on_target"]["not-expressible"], 1);
    let uses = &v["namespaces"][0]["ingresses"][0]["annotations"][0];
    assert_eq!(uses["on_target"]["level"], "not-expressible");
    // Without a target the JSON keeps its shape.
    let o = run(&["scan", "-f", case, "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v["summary"].get("implementation").is_none());
    assert!(
        v["namespaces"][0]["ingresses"][0]["annotations"][0]
            .get("on_target")
            .is_none()
    );
}

#[test]
fn help_names_the_new_flags_with_examples() {
    let o = run(&["print", "--help"]);
    let h = stdout(&o);
    assert!(h.contains("--gateway-api-version"));
    assert!(h.contains("Example: `--gateway-api-version 1.4"));
    let o = run(&["annotations", "--help"]);
    assert!(stdout(&o).contains("ing2gw annotations --implementation envoy-gateway"));
}

/// verify models the fitted output: XListenerSet parents attach on 1.4
/// experimental, and what 1.4 standard cannot carry is explained by its error.
#[test]
fn verify_explains_every_profile() {
    let case = "testdata/core/many-https-hosts/input.yaml";
    for extra in [
        &["--gateway-api-version", "1.4", "--channel", "experimental"][..],
        &["--gateway-api-version", "1.4"][..],
        &["--gateway-api-version", "1.5"][..],
    ] {
        let mut args = vec!["verify", "-f", case, "-o", "json"];
        args.extend_from_slice(extra);
        let o = run(&args);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert_eq!(
            v["summary"]["unexplained"], 0,
            "{extra:?}: {}",
            v["summary"]
        );
    }
}
