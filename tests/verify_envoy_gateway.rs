//! Issue 14 §3: `verify --implementation envoy-gateway` applies Envoy Gateway's
//! policies (`testdata/verify/envoy-gateway-*`: an Ingress input, a
//! hand-written Envoy Gateway translation that keeps every behaviour, and one
//! that loses some).

use serde_json::Value;

#[path = "support/verify_cli.rs"]
mod verify_cli;
use verify_cli::{root, verify};

fn case(file: &str) -> String {
    root()
        .join("testdata/verify/envoy-gateway-policies")
        .join(file)
        .display()
        .to_string()
}

fn results(json: &Value) -> &Vec<Value> {
    json["results"].as_array().expect("results")
}

/// The policies make the Gateway answer as ingress-nginx does: 403 for the
/// allow-list, 401 for basic auth, the same external auth service, the
/// capture-group rewrite, `/healthz` — no divergence, nothing "not modelled".
#[test]
fn envoy_gateway_policies_make_the_gateway_agree() {
    let (code, json) = verify(&[
        "-f",
        &case("ingress.yaml"),
        "--gateway-api",
        &case("gateway.yaml"),
        "--implementation",
        "envoy-gateway",
    ]);
    let s = &json["summary"];
    assert_eq!(s["divergent"], 0, "{}", json["results"]);
    assert_eq!(s["not_modelled_gateway_api"], 0, "{s}");
    assert!(s["same"].as_u64().unwrap_or(0) > 300, "{s}");
    assert_eq!(code, 0, "{s}");
}

/// Without `--implementation envoy-gateway` the same manifests are standard
/// Gateway API: the policies do nothing and the HTTPRouteFilters are not
/// modelled, so verify fails.
#[test]
fn without_the_implementation_the_policies_do_not_count() {
    let (code, json) = verify(&[
        "-f",
        &case("ingress.yaml"),
        "--gateway-api",
        &case("gateway.yaml"),
    ]);
    assert_eq!(code, 1);
    let admin = results(&json)
        .iter()
        .find(|r| r["probe"]["host"] == "admin.example.com" && r["probe"]["target"] == "/")
        .expect("admin / diverges");
    assert_eq!(admin["ingress_nginx"]["status"], 403);
    assert_eq!(admin["gateway_api"]["kind"], "backend");
}

/// The allow-list policy is missing (200 where ingress-nginx answers 403) and
/// the regex rewrite swaps no captures: verify fails with those outcomes.
#[test]
fn a_missing_or_wrong_policy_is_a_divergence() {
    let (code, json) = verify(&[
        "-f",
        &case("ingress.yaml"),
        "--gateway-api",
        &case("gateway-missing.yaml"),
        "--implementation",
        "envoy-gateway",
    ]);
    assert_eq!(code, 1);
    let find = |host: &str, target: &str| {
        results(&json)
            .iter()
            .find(|r| {
                r["probe"]["host"] == host
                    && r["probe"]["target"] == target
                    && r["probe"]["scheme"] == "http"
            })
            .unwrap_or_else(|| panic!("{host}{target} diverges: {}", json["results"]))
            .clone()
    };
    let admin = find("admin.example.com", "/");
    assert_eq!(admin["verdict"], "divergent");
    assert_eq!(admin["ingress_nginx"]["status"], 403);
    assert_eq!(admin["gateway_api"]["kind"], "backend");
    let api = find("api.example.com", "/api/nn/HH");
    assert_eq!(api["ingress_nginx"]["uri"], "/HH/nn", "{api}");
    assert_eq!(api["gateway_api"]["uri"], "/nn/HH", "{api}");
    // The policies that are there still apply: no divergence on their hosts.
    assert!(
        !results(&json).iter().any(|r| r["verdict"] == "divergent"
            && (r["probe"]["host"] == "private.example.com"
                || r["probe"]["host"] == "sso.example.com")),
        "{}",
        json["results"]
    );
}

/// Probes come from inside the allow-list too: an authorization policy that
/// admits the wrong range refuses the client ingress-nginx lets through.
#[test]
fn a_client_inside_the_allow_list_is_probed() {
    let text = std::fs::read_to_string(case("gateway.yaml"))
        .expect("gateway.yaml")
        .replace("clientCIDRs: [10.0.0.0/8]", "clientCIDRs: [192.168.0.0/16]");
    let wrong = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(wrong.path(), text).expect("write");
    let (code, json) = verify(&[
        "-f",
        &case("ingress.yaml"),
        "--gateway-api",
        &wrong.path().display().to_string(),
        "--implementation",
        "envoy-gateway",
    ]);
    assert_eq!(code, 1);
    let inside = results(&json)
        .iter()
        .find(|r| r["probe"]["host"] == "admin.example.com" && r["probe"]["client"] == "10.0.0.1")
        .unwrap_or_else(|| panic!("the inside client diverges: {}", json["results"]));
    assert_eq!(inside["ingress_nginx"]["kind"], "backend", "{inside}");
    assert_eq!(inside["gateway_api"]["status"], 403, "{inside}");
}

/// extAuth to a Service of another namespace without the ReferenceGrant:
/// Envoy Gateway refuses the SecurityPolicy and the route answers 500
/// (what its translator does), a divergence from ingress-nginx's auth-url.
#[test]
fn a_security_policy_without_its_grant_answers_500() {
    let text = std::fs::read_to_string(case("gateway.yaml")).expect("gateway.yaml");
    let kept: Vec<&str> = text
        .split("\n---\n")
        .filter(|d| !d.contains("kind: ReferenceGrant"))
        .collect();
    let wrong = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(wrong.path(), kept.join("\n---\n")).expect("write");
    let (code, json) = verify(&[
        "-f",
        &case("ingress.yaml"),
        "--gateway-api",
        &wrong.path().display().to_string(),
        "--implementation",
        "envoy-gateway",
    ]);
    assert_eq!(code, 1);
    let sso = results(&json)
        .iter()
        .find(|r| r["probe"]["host"] == "sso.example.com" && r["probe"]["target"] == "/")
        .unwrap_or_else(|| panic!("sso diverges: {}", json["results"]));
    assert_eq!(sso["ingress_nginx"]["kind"], "external-auth", "{sso}");
    assert_eq!(sso["gateway_api"]["status"], 500, "{sso}");
}
