//! Issue 11 regression cases for `ing2gw verify`: each `testdata/verify/fidelity-*`
//! folder holds an `ingress.yaml` (or an `input.yaml`, which the translate
//! snapshots also cover) and `gateway.yaml`, the wrong translation ing2gw
//! produced before the fix (hand-kept). verify must fail on the wrong translation
//! (exit 1, an unexplained divergence on a request that ing2gw's own translation
//! answers exactly as ingress-nginx) and pass on ing2gw's own translation today.

use serde_json::Value;
use std::path::PathBuf;

#[path = "support/verify_cli.rs"]
mod verify_cli;
use verify_cli::{root, verify};

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/verify"))
        .expect("testdata/verify readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("fidelity-"))
        })
        .collect();
    dirs.sort();
    dirs
}

fn unexplained(json: &Value) -> u64 {
    json["summary"]["unexplained"]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.unexplained missing: {}", json["summary"]))
}

#[test]
fn verify_fails_on_the_wrong_translations_and_passes_on_ours() {
    let cases = cases();
    assert!(!cases.is_empty(), "no fidelity cases");
    for dir in cases {
        let ing = ["input.yaml", "ingress.yaml"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{}: no input.yaml or ingress.yaml", dir.display()))
            .display()
            .to_string();
        let wrong = dir.join("gateway.yaml").display().to_string();
        let (code, json) = verify(&["-f", &ing, "--gateway-api", &wrong]);
        assert_eq!(
            code,
            1,
            "{}: verify passed the wrong translation",
            dir.display()
        );
        assert!(unexplained(&json) > 0, "{}", dir.display());
        let wrong_json = json;
        let (code, json) = verify(&["-f", &ing]);
        assert_eq!(
            (code, unexplained(&json)),
            (0, 0),
            "{}: verify fails on ing2gw's own translation",
            dir.display()
        );
        // The failure must come from the bug, not from what `--gateway-api`
        // runs never explain: some request diverges on the wrong translation
        // where ours answers as ingress-nginx, or answers differently from the
        // wrong one (e.g. fail-closed 500 where the bug served the content).
        let ours: std::collections::BTreeMap<String, String> = results(&json)
            .iter()
            .map(|r| (r["probe"].to_string(), r["gateway_api"].to_string()))
            .collect();
        // Where the fix is the report (the behaviour cannot change), ours must
        // explain those same requests with that report's code.
        let report_only = REPORT_ONLY
            .iter()
            .find(|(case, _, _)| dir.ends_with(case))
            .map(|(_, code, _)| *code);
        let explained_by: std::collections::BTreeMap<String, String> = results(&json)
            .iter()
            .map(|r| {
                (
                    r["probe"].to_string(),
                    r["explained_by"]["code"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let caught: Vec<String> = results(&wrong_json)
            .iter()
            .filter(|r| r["verdict"] == "divergent")
            .filter(|r| {
                let probe = r["probe"].to_string();
                match report_only {
                    Some(code) => explained_by.get(&probe).map(String::as_str) == Some(code),
                    None => ours.get(&probe) != Some(&r["gateway_api"].to_string()),
                }
            })
            .map(|r| r["probe"].to_string())
            .collect();
        assert!(
            !caught.is_empty(),
            "{}: every divergence of the wrong translation shows identically on ours; the case does not pin its bug",
            dir.display()
        );
    }
}

/// Cases whose fix is a notification, not a different translation: (case,
/// the code that must explain the wrong translation's divergences on ours, why).
const REPORT_ONLY: &[(&str, &str, &str)] = &[
    (
        "fidelity-mirror-cross-namespace",
        "mirror",
        "without --allow-cross-namespace-grants no grant may be emitted, so the mirror is lost \
         on both; the bug was losing it silently",
    ),
    (
        "fidelity-regex-precedence",
        "regex-overlap",
        "these overlapping regexes cannot be made mutually exclusive, so the order stays \
         implementation-defined on both; the bug was not saying so",
    ),
];

fn results(json: &Value) -> Vec<Value> {
    json["results"].as_array().cloned().unwrap_or_default()
}

/// Route acceptance (issue 11, "verify must be a real check"): each
/// `fidelity-acceptance-*` wrong translation must diverge on the Ingress's own
/// host — not only on the catch-all server's `/healthz`, which every
/// `--gateway-api` run reports — and, where a route is not accepted, the report
/// must say which and why. `fidelity-canary-weight`: the split's weights are
/// compared (they used to be "not modelled" on both sides).
#[test]
fn route_acceptance_rules_catch_the_wrong_translations() {
    // (case, host, scheme of the diverging requests, not-accepted reason)
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        (
            "fidelity-acceptance-reference-grant",
            "shop.example.com",
            "http",
            Some("RefNotPermitted"),
        ),
        (
            "fidelity-acceptance-invalid-route",
            "shop.example.com",
            "http",
            Some("the API server rejects it"),
        ),
        (
            "fidelity-acceptance-no-parent",
            "secure.example.com",
            "https",
            Some("no parentRefs"),
        ),
        (
            "fidelity-acceptance-missing-listener",
            "secure.example.com",
            "https",
            Some("name no listener"),
        ),
        (
            "fidelity-acceptance-conflict",
            "shop.example.com",
            "http",
            None,
        ),
        // Canary weights are compared as a weighted split, no longer "not modelled".
        ("fidelity-canary-weight", "shop.example.com", "http", None),
    ];
    for (case, host, scheme, reason) in cases {
        let dir = root().join("testdata/verify").join(case);
        let ing = dir.join("ingress.yaml").display().to_string();
        let wrong = dir.join("gateway.yaml").display().to_string();
        let (code, json) = verify(&["-f", &ing, "--gateway-api", &wrong]);
        assert_eq!(code, 1, "{case}");
        let on_host = json["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| {
                r["verdict"] == "divergent"
                    && r["probe"]["host"] == *host
                    && r["probe"]["scheme"] == *scheme
            })
            .count();
        assert!(on_host > 0, "{case}: no {scheme} divergence on {host}");
        if let Some(reason) = reason {
            let listed = json["not_accepted"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|n| n["reason"].as_str().is_some_and(|r| r.contains(reason)))
            });
            assert!(
                listed,
                "{case}: not_accepted lacks `{reason}`: {}",
                json["not_accepted"]
            );
        }
    }
}

/// Item 8, mirror half: the mirror is part of the compared outcome. On the
/// wrong translation (the ReferenceGrant permits another Service) the Gateway
/// forwards without mirroring where ingress-nginx copies the request to
/// testing/shadow:8080; with the grant fixed the mirrors agree.
#[test]
fn a_lost_mirror_is_a_divergence() {
    let dir = root().join("testdata/verify/fidelity-mirror-cross-namespace");
    let ing = dir.join("ingress.yaml").display().to_string();
    let wrong = dir.join("gateway.yaml");
    let (code, json) = verify(&["-f", &ing, "--gateway-api", &wrong.display().to_string()]);
    assert_eq!(code, 1);
    let lost = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["probe"]["target"] == "/api" && r["probe"]["scheme"] == "http")
        .expect("/api diverges");
    assert_eq!(lost["ingress_nginx"]["kind"], "mirrored", "{lost}");
    assert_eq!(
        lost["ingress_nginx"]["mirrors"][0]["target"],
        "testing/shadow:8080"
    );
    assert_eq!(lost["gateway_api"]["kind"], "backend", "{lost}");
    let fixed_text = std::fs::read_to_string(&wrong)
        .expect("gateway.yaml")
        .replace("name: shadow-v2", "name: shadow");
    let fixed = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(fixed.path(), fixed_text).expect("write");
    let (_, json) = verify(&[
        "-f",
        &ing,
        "--gateway-api",
        &fixed.path().display().to_string(),
    ]);
    let mirror_divergences = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["verdict"] == "divergent" && r["probe"]["host"] == "shop.example.com")
        .count();
    assert_eq!(mirror_divergences, 0, "{}", json["results"]);
}
