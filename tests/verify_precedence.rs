//! Issue 11 items 3 and 4 in `ing2gw verify`: route acceptance between HTTPRoute
//! and GRPCRoute, and the selectable precedence model for regular expressions
//! (`--implementation standard|envoy-gateway|istio`). The wrong translations are
//! hand-kept in `testdata/verify/fidelity-*/gateway.yaml`.

use serde_json::Value;
use std::process::Command;

#[path = "support/verify_cli.rs"]
mod verify_cli;
use verify_cli::{root, verify};

/// `(host, target, nginx service, gateway service, explained code)` of every
/// divergent probe on `host`.
fn divergent(json: &Value, host: &str) -> Vec<(String, String, String, Option<String>)> {
    let service = |o: &Value| o["service"]["name"].as_str().unwrap_or("-").to_string();
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["verdict"] == "divergent" && r["probe"]["host"] == host)
        .map(|r| {
            (
                r["probe"]["target"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                service(&r["ingress_nginx"]),
                service(&r["gateway_api"]),
                r["explained_by"]["code"].as_str().map(String::from),
            )
        })
        .collect()
}

const REGEX: &str = "testdata/verify/fidelity-regex-precedence";

#[test]
fn wrong_regex_order_diverges_under_envoy_gateway_and_istio() {
    let ing = format!("{REGEX}/ingress.yaml");
    let wrong = format!("{REGEX}/gateway.yaml");
    for imp in ["envoy-gateway", "istio"] {
        let (code, json) = verify(&["-f", &ing, "--gateway-api", &wrong, "--implementation", imp]);
        assert_eq!(code, 1, "{imp}");
        let api = divergent(&json, "api.example.com");
        assert!(
            api.iter().any(|(_, n, g, _)| n == "api" && g == "exporter"),
            "{imp}: {api:?}"
        );
        let www = divergent(&json, "www.example.com");
        assert!(
            www.iter().any(|(_, n, g, _)| n == "users" && g == "docs"),
            "{imp}: {www:?}"
        );
    }
}

#[test]
fn padded_regexes_keep_nginx_order_under_envoy_gateway_and_istio() {
    let ing = format!("{REGEX}/ingress.yaml");
    for imp in ["envoy-gateway", "istio"] {
        let (code, json) = verify(&["-f", &ing, "--implementation", imp]);
        assert_eq!(code, 0, "{imp}");
        assert_eq!(json["implementation"], imp);
        for host in ["api.example.com", "www.example.com"] {
            assert_eq!(divergent(&json, host), vec![], "{imp} {host}");
        }
    }
}

#[test]
fn standard_counts_every_allowed_order_and_the_warning_explains_it() {
    let ing = format!("{REGEX}/ingress.yaml");
    let (code, json) = verify(&["-f", &ing]);
    assert_eq!(code, 0);
    // The spec allows any regex order: the overlap witnesses diverge in some order,
    // and each divergence is the regex-overlap warning's.
    for (host, nginx, other) in [
        ("api.example.com", "api", "exporter"),
        ("www.example.com", "users", "docs"),
    ] {
        let d = divergent(&json, host);
        assert!(
            d.iter().any(|(_, n, g, _)| n == nginx && g == other),
            "{host}: {d:?}"
        );
        for (target, _, _, code) in &d {
            assert_eq!(code.as_deref(), Some("regex-overlap"), "{host}{target}");
        }
    }
}

#[test]
fn an_unknown_implementation_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args([
            "verify",
            "-f",
            &format!("{REGEX}/ingress.yaml"),
            "--implementation",
            "nginx",
        ])
        .current_dir(root())
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("envoy-gateway") && stderr.contains("istio"),
        "{stderr}"
    );
}

const GRPC: &str = "testdata/verify/fidelity-grpc-http-host";

#[test]
fn a_rejected_grpcroute_sends_grpc_calls_to_the_http_backend() {
    let ing = format!("{GRPC}/ingress.yaml");
    let wrong = format!("{GRPC}/gateway.yaml");
    let (code, json) = verify(&["-f", &ing, "--gateway-api", &wrong]);
    assert_eq!(code, 1);
    let d = divergent(&json, "app.example.com");
    assert!(
        d.iter()
            .any(|(t, n, g, _)| t == "/helloworld.Greeter" && n == "greeter" && g == "web"),
        "{d:?}"
    );
    // Fixed: one HTTPRoute routes by path as ingress-nginx does.
    let (code, json) = verify(&["-f", &ing]);
    assert_eq!(code, 0);
    assert_eq!(divergent(&json, "app.example.com"), vec![]);
}
