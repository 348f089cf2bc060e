//! `--host-map`, cert-manager / external-dns carrying, through the binary: usage
//! errors, and `verify` giving the same verdicts with and without a map.

use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const CASE: &str = "testdata/cutover/host-map/input.yaml";

#[test]
fn ambiguous_host_maps_are_a_usage_error() {
    for (a, b) in [
        (
            "*.example.com=*.x.example.net",
            "shop.example.com=shop.y.example.net",
        ),
        (
            "*.example.com=*.x.example.net",
            "*.shop.example.com=*.y.example.net",
        ),
        (
            "api.example.org=a.example.net",
            "api.example.org=b.example.net",
        ),
    ] {
        for cmd in ["print", "verify", "scan", "diff"] {
            let mut args = vec![cmd, "-f", CASE, "--host-map", a, "--host-map", b];
            if cmd == "diff" {
                args.extend(["--against", CASE]);
            }
            let o = run(&args);
            assert_eq!(code(&o), 2, "{cmd} {a} {b}: {}", stderr(&o));
            assert!(
                stderr(&o).contains("can both match the same host"),
                "{}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn malformed_host_map_is_a_usage_error() {
    let o = run(&[
        "print",
        "-f",
        CASE,
        "--host-map",
        "*.example.com=shop.example.net",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("both sides"), "{}", stderr(&o));
}

#[test]
fn a_map_that_merges_two_hosts_is_an_error_and_rewrites_nothing() {
    let o = run(&[
        "print",
        "-f",
        CASE,
        "--host-map",
        "api.example.org=www.shop.example.com",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("host-map-collision"), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("- api.example.org"),
        "nothing rewritten: {out}"
    );
}

fn verify_json(extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["verify", "-f", CASE, "-o", "json"];
    args.extend_from_slice(extra);
    let o = run(&args);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json report");
    (code(&o), v)
}

#[test]
fn verify_gives_the_same_verdicts_with_a_map_and_shows_both_names() {
    let (plain_code, plain) = verify_json(&[]);
    let (mapped_code, mapped) = verify_json(&[
        "--host-map",
        "*.example.com=*.canary.example.com",
        "--host-map",
        "api.example.org=api.test.example.net",
    ]);
    assert_eq!(plain_code, mapped_code);
    assert_eq!(plain["summary"], mapped["summary"]);
    assert_eq!(plain["results"], mapped["results"]);
    assert!(plain.get("host_map").is_none());
    assert_eq!(
        mapped["host_map"]["www.shop.example.com"],
        "www.shop.canary.example.com"
    );
    assert_eq!(
        mapped["host_map"]["api.example.org"],
        "api.test.example.net"
    );
    // The table names both.
    let o = run(&[
        "verify",
        "-f",
        CASE,
        "--host-map",
        "api.example.org=api.test.example.net",
    ]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains("api.example.org → api.test.example.net"),
        "{table}"
    );
}

#[test]
fn verify_of_printed_mapped_manifests_maps_them_back() {
    let dir = std::env::temp_dir().join(format!("ing2gw-hostmap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let file = dir.join("gw.yaml");
    let map = ["--host-map", "*.example.com=*.canary.example.com"];
    let o = run(&[&["print", "-f", CASE][..], &map[..]].concat());
    std::fs::write(&file, &o.stdout).expect("write");
    let (code_own, own) = verify_json(&map);
    let path = file.to_string_lossy().into_owned();
    let (code_file, from_file) = verify_json(&[&map[..], &["--gateway-api", &path][..]].concat());
    assert_eq!(code_own, code_file);
    assert_eq!(own["summary"], from_file["summary"]);
    assert!(
        from_file.get("edits").is_none(),
        "same objects: {from_file}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn carried_annotations_are_not_reported_as_foreign() {
    let o = run(&["print", "-f", "testdata/cutover/external-dns/input.yaml"]);
    assert!(
        !stderr(&o).contains("foreign-annotations"),
        "{}",
        stderr(&o)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("external-dns.alpha.kubernetes.io/ttl"));
}
