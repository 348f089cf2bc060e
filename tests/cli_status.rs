//! `ing2gw status` against the fake API server serving generated objects with
//! status conditions: exit codes, text and JSON, `--wait` until ready or timeout,
//! Envoy Gateway policies, RBAC denials.

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;
use fake_apiserver::ing2gw;

use fake_apiserver::{FakeApiServer, Fixture};
use serde_json::Value;
use std::process::Output;
use std::time::Duration;

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A Gateway, a route and a grant that ing2gw generated, plus a route it did not;
/// `accepted` is the route's parent Accepted status.
fn objects(route_accepted: &str, gateway_programmed: &str) -> String {
    format!(
        r#"
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: nginx
  namespace: gateway-system
  generation: 1
  annotations: {{gateway.networking.k8s.io/generator: ing2gw-0.1.0}}
spec:
  gatewayClassName: eg
  listeners:
  - {{name: http, port: 80, protocol: HTTP}}
status:
  addresses: [{{type: IPAddress, value: 203.0.113.7}}]
  conditions:
  - {{type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}}
  - {{type: Programmed, status: "{gateway_programmed}", reason: AddressNotAssigned, observedGeneration: 1}}
  listeners:
  - name: http
    conditions:
    - {{type: Accepted, status: "True", reason: Accepted}}
    - {{type: Programmed, status: "True", reason: Programmed}}
    - {{type: ResolvedRefs, status: "True", reason: ResolvedRefs}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web.example.com
  namespace: shop
  annotations: {{gateway.networking.k8s.io/generator: ing2gw-0.1.0}}
spec:
  parentRefs: [{{name: nginx, namespace: gateway-system, sectionName: http}}]
  hostnames: [web.example.com]
status:
  parents:
  - parentRef: {{name: nginx, namespace: gateway-system, sectionName: http}}
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    conditions:
    - {{type: Accepted, status: "{route_accepted}", reason: NotAllowedByListeners, message: no listener admits the route}}
    - {{type: ResolvedRefs, status: "True", reason: ResolvedRefs}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata:
  name: nginx-certificates
  namespace: shop
  annotations: {{gateway.networking.k8s.io/generator: ing2gw-0.1.0}}
spec:
  from: [{{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-system}}]
  to: [{{group: "", kind: Secret}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: hand-made, namespace: shop}}
spec:
  parentRefs: [{{name: other}}]
"#
    )
}

fn start(text: &str) -> (FakeApiServer, std::path::PathBuf) {
    FakeApiServer::start(Fixture::new().manifests(text))
}

#[test]
fn all_accepted_and_programmed_is_exit_0_with_addresses() {
    let (_server, kc) = start(&objects("True", "True"));
    let o = ing2gw(&kc, &["status", "-A"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Gateway gateway-system/nginx: ready (addresses 203.0.113.7)"),
        "{out}"
    );
    assert!(
        out.contains("listener http: Accepted=True Programmed=True ResolvedRefs=True"),
        "{out}"
    );
    assert!(
        out.contains("ReferenceGrant shop/nginx-certificates: ready"),
        "{out}"
    );
    // Objects ing2gw did not generate are not judged.
    assert!(!out.contains("hand-made"), "{out}");
    assert!(
        out.contains("3 generated object(s): 3 ready, 0 not ready"),
        "{out}"
    );
}

#[test]
fn a_route_not_accepted_is_exit_1_and_named_per_parent() {
    let (_server, kc) = start(&objects("False", "True"));
    let o = ing2gw(&kc, &["status", "-A"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("HTTPRoute shop/web.example.com: NOT READY"),
        "{out}"
    );
    assert!(
        out.contains("! parent gateway-system/nginx/http: Accepted is False: NotAllowedByListeners (no listener admits the route)"),
        "{out}"
    );
    let o = ing2gw(&kc, &["status", "-A", "-o", "json"]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["ready"], false);
    assert_eq!(v["summary"]["not_ready"], 1);
    let route = v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "HTTPRoute")
        .expect("route");
    assert_eq!(
        route["conditions"][0]["scope"],
        "parent gateway-system/nginx/http"
    );
    assert_eq!(route["conditions"][0]["status"], "False");
}

#[test]
fn namespaces_limit_what_is_read() {
    let (_server, kc) = start(&objects("False", "True"));
    // Only the Gateway's namespace: the broken route is not read.
    let o = ing2gw(&kc, &["status", "-n", "gateway-system"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(!stdout(&o).contains("HTTPRoute"));
}

#[test]
fn nothing_generated_is_exit_1() {
    let (_server, kc) = start("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    let o = ing2gw(&kc, &["status", "-A"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("no object generated by ing2gw found"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn wait_polls_until_ready() {
    let (server, kc) = start(&objects("True", "False"));
    let kc2 = kc.clone();
    let waiter = std::thread::spawn(move || {
        ing2gw(
            &kc2,
            &[
                "status",
                "-A",
                "--wait",
                "--timeout",
                "20s",
                "--interval",
                "100ms",
            ],
        )
    });
    std::thread::sleep(Duration::from_millis(700));
    server.set_manifests(&objects("True", "True"));
    let o = waiter.join().expect("waiter");
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("waiting: 1 of 3 generated object(s) not ready"),
        "{}",
        stderr(&o)
    );
    let lists = server.requests_to("/apis/gateway.networking.k8s.io/v1/gateways");
    assert!(lists.len() >= 2, "polled: {}", lists.len());
}

#[test]
fn wait_times_out_with_exit_1() {
    let (_server, kc) = start(&objects("True", "False"));
    let t = std::time::Instant::now();
    let o = ing2gw(
        &kc,
        &[
            "status",
            "-A",
            "--wait",
            "--timeout",
            "500ms",
            "--interval",
            "100ms",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("still not ready"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Programmed=False (AddressNotAssigned)"),
        "{}",
        stdout(&o)
    );
    assert!(t.elapsed() < Duration::from_secs(15));
}

#[test]
fn envoy_gateway_policies_are_judged_when_served() {
    let policy = r#"
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: web-timeouts
  namespace: shop
  annotations: {gateway.networking.k8s.io/generator: ing2gw-0.1.0}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: web.example.com}]
status:
  ancestors:
  - ancestorRef: {group: gateway.networking.k8s.io, kind: Gateway, name: nginx, namespace: gateway-system}
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    conditions:
    - {type: Accepted, status: "True", reason: Accepted}
    - {type: Conflicted, status: "True", reason: Conflicted, message: another policy targets the route}
"#;
    let text = objects("True", "True") + policy;
    let fixture = Fixture::new()
        .serve(
            "gateway.envoyproxy.io",
            "v1alpha1",
            "BackendTrafficPolicy",
            "backendtrafficpolicies",
            true,
        )
        .manifests(&text);
    let (_server, kc) = FakeApiServer::start(fixture);
    let o = ing2gw(&kc, &["status", "-A"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("! ancestor gateway-system/nginx: Conflicted: Conflicted (another policy targets the route)"),
        "{out}"
    );
    // Without the CRD (the default fixture) the Envoy Gateway kinds are skipped quietly.
    let (_s2, kc2) = start(&objects("True", "True"));
    let o = ing2gw(&kc2, &["status", "-A"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("envoyproxy"), "{}", stderr(&o));
}

#[test]
fn a_forbidden_kind_is_exit_2() {
    let fixture = Fixture::new()
        .forbid_resource("httproutes")
        .manifests(&objects("True", "True"));
    let (_server, kc) = FakeApiServer::start(fixture);
    let o = ing2gw(&kc, &["status", "-A"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not allowed to list HTTPRoute"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_unreachable_cluster_is_exit_2() {
    let (server, _) = start(&objects("True", "True"));
    // A kubeconfig that outlives the server: the address is gone, not the file.
    let dir = tempfile::tempdir().expect("tmp");
    let kc = dir.path().join("kubeconfig.yaml");
    server.write_kubeconfig(&kc);
    drop(server);
    let o = ing2gw(&kc, &["status", "-A", "--request-timeout", "2s"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(!stderr(&o).contains("does not exist"), "{}", stderr(&o));
}
