//! Gateway API detection when reading a cluster: the CRDs' bundle-version and
//! channel annotations and served versions, and whether the GatewayClass
//! exists, default the output profile; a 403 keeps the defaults and says so.
//! Runs the binary against the fake API server of the cluster tests.

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;
use fake_apiserver::ing2gw;

use fake_apiserver::{FakeApiServer, Fixture};
use serde_json::{Value, json};

/// A passthrough host (TLSRoute) and a TLS host (ReferenceGrant for its certificate).
const INGRESSES: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: vault
  namespace: vault
  annotations:
    nginx.ingress.kubernetes.io/ssl-passthrough: "true"
spec:
  ingressClassName: nginx
  rules:
  - host: vault.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: vault, port: {number: 8200}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: web}
spec:
  ingressClassName: nginx
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
"#;

fn crd(name: &str, bundle: &str, channel: &str, versions: &[&str]) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {
            "name": name,
            "annotations": {
                "gateway.networking.k8s.io/bundle-version": bundle,
                "gateway.networking.k8s.io/channel": channel,
            }
        },
        "spec": {
            "group": "gateway.networking.k8s.io",
            "versions": versions.iter().map(|v| json!({"name": v, "served": true, "storage": false})).collect::<Vec<_>>(),
        }
    })
}

fn fixture() -> Fixture {
    Fixture::new().manifests(INGRESSES).serve(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
    )
}

fn with_crds(bundle: &str, channel: &str, rg_versions: &[&str]) -> Fixture {
    fixture()
        .object(crd(
            "gateways.gateway.networking.k8s.io",
            bundle,
            channel,
            &["v1"],
        ))
        .object(crd(
            "referencegrants.gateway.networking.k8s.io",
            bundle,
            channel,
            rg_versions,
        ))
}

/// `print -A -o json --report -`-like run: the objects and the notifications.
fn print(fixture: Fixture, extra: &[&str]) -> (Vec<Value>, Vec<Value>) {
    let (_server, kubeconfig) = FakeApiServer::start(fixture);
    let report = kubeconfig.parent().expect("dir").join("report.json");
    let report_s = report.display().to_string();
    let mut args = vec![
        "print",
        "-A",
        "-o",
        "json",
        "--fail-on",
        "never",
        "--report",
        &report_s,
    ];
    args.extend(extra);
    let o = ing2gw(&kubeconfig, &args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let list: Value = serde_json::from_slice(&o.stdout).expect("json");
    let notes: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    let notes = notes["notifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (list["items"].as_array().cloned().unwrap_or_default(), notes)
}

fn api_version(objects: &[Value], kind: &str) -> Vec<String> {
    objects
        .iter()
        .filter(|o| o["kind"] == kind)
        .map(|o| o["apiVersion"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn messages(notes: &[Value], code: &str) -> Vec<String> {
    notes
        .iter()
        .filter(|n| n["code"] == code)
        .map(|n| n["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn crds_of_1_4_experimental_set_the_profile() {
    let (objects, notes) = print(with_crds("v1.4.1", "experimental", &["v1beta1"]), &[]);
    assert_eq!(
        api_version(&objects, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1beta1"]
    );
    assert_eq!(
        api_version(&objects, "TLSRoute"),
        ["gateway.networking.k8s.io/v1alpha2"]
    );
    let info = messages(&notes, "target-profile");
    assert!(
        info.iter().any(
            |m| m.contains("cluster: Gateway API CRDs v1.4.1 (experimental channel)")
                && m.contains("output for Gateway API 1.4 (experimental channel)")
        ),
        "{info:?}"
    );
    // The GatewayClass `nginx` is not in the fixture: said.
    assert!(
        info.iter()
            .any(|m| m.contains("GatewayClass ing2gw does not exist")),
        "{info:?}"
    );
}

#[test]
fn crds_of_1_5_standard_and_an_existing_class() {
    let fixture = with_crds("v1.5.1", "standard", &["v1", "v1beta1"]).object(json!({
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {"name": "eg"},
        "spec": {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller"}
    }));
    let (objects, notes) = print(fixture, &["--implementation", "envoy-gateway"]);
    assert_eq!(
        api_version(&objects, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1"]
    );
    assert_eq!(
        api_version(&objects, "TLSRoute"),
        ["gateway.networking.k8s.io/v1"]
    );
    let info = messages(&notes, "target-profile");
    assert!(
        info.iter().any(|m| m.contains("GatewayClass eg exists")),
        "{info:?}"
    );
    assert!(
        !info.iter().any(|m| m.contains("does not exist")),
        "{info:?}"
    );
}

#[test]
fn a_bundle_that_does_not_serve_reference_grant_v1_is_treated_as_1_4() {
    let (objects, _) = print(with_crds("v1.5.0", "standard", &["v1beta1"]), &[]);
    assert_eq!(
        api_version(&objects, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1beta1"]
    );
}

#[test]
fn explicit_flags_win_over_the_cluster_with_a_warning() {
    let (objects, notes) = print(
        with_crds("v1.4.0", "standard", &["v1beta1"]),
        &["--gateway-api-version", "1.5"],
    );
    assert_eq!(
        api_version(&objects, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1"]
    );
    let warned = messages(&notes, "target-profile");
    assert!(
        warned
            .iter()
            .any(|m| m.contains("newer than the cluster's Gateway API CRDs (v1.4.0)")),
        "{warned:?}"
    );
}

#[test]
fn forbidden_crds_keep_the_defaults_and_say_so() {
    let (objects, notes) = print(
        with_crds("v1.4.0", "standard", &["v1beta1"]).forbid_resource("customresourcedefinitions"),
        &[],
    );
    // Defaults: standard → Gateway API 1.6.
    assert_eq!(
        api_version(&objects, "ReferenceGrant"),
        ["gateway.networking.k8s.io/v1"]
    );
    let warned = messages(&notes, "cluster-read");
    assert!(
        warned
            .iter()
            .any(|m| m.contains("not allowed to read the Gateway API CRDs")),
        "{warned:?}"
    );
}

#[test]
fn no_crds_installed_is_said_once() {
    let (objects, notes) = print(fixture(), &[]);
    assert!(!api_version(&objects, "TLSRoute").is_empty());
    let said = messages(&notes, "target-profile");
    assert_eq!(
        said.iter()
            .filter(|m| m.contains("no Gateway API CRDs"))
            .count(),
        1,
        "{said:?}"
    );
}
