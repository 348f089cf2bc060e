//! Cluster mode on a multi-team estate, through the stand-in API server: partial
//! selections (`-n`, `-l`, `--host`) translated in the context of the Ingresses
//! sharing their hosts, shared objects withheld unless owned, `--merge-gateway
//! cluster`; and the same selections over `-f` files.

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;
use fake_apiserver::ing2gw;

use fake_apiserver::{FakeApiServer, Fixture};
use serde_json::Value;
use std::process::{Command, Output};

/// team-a and team-b share shop.example.com; team-b's Ingress switches the host
/// to regex mode. team-c has its own host. A live Gateway already serves
/// blog.example.com (team-c's HTTPS listener).
const ESTATE: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: team-a, labels: {app: api}}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: team-b
  annotations: {nginx.ingress.kubernetes.io/use-regex: "true"}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /old/.*, pathType: ImplementationSpecific, backend: {service: {name: old, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: blog, namespace: team-c}
spec:
  ingressClassName: nginx
  tls: [{hosts: [blog.example.com], secretName: blog-tls}]
  rules:
  - host: blog.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: blog, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: team-a}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: old, namespace: team-b}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: blog, namespace: team-c}
spec: {ports: [{port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: nginx, namespace: gateway-system, resourceVersion: "42", uid: abc}
spec:
  gatewayClassName: ing2gw
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - name: https-blog.example.com
    hostname: blog.example.com
    port: 443
    protocol: HTTPS
    tls: {mode: Terminate, certificateRefs: [{name: blog-tls, namespace: team-c}]}
    allowedRoutes: {namespaces: {from: All}}
"#;

/// stderr with the rendering's line wrapping undone (`│` gutters, breaks).
fn stderr(o: &Output) -> String {
    let text = String::from_utf8_lossy(&o.stderr).replace('│', " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").replace("- ", "-").replace("/ ", "/")
}

fn items(o: &Output) -> Vec<Value> {
    let list: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(o)
        )
    });
    list["items"].as_array().expect("a List").clone()
}

fn key(v: &Value) -> String {
    format!(
        "{} {}/{}",
        v["kind"].as_str().unwrap_or_default(),
        v["metadata"]["namespace"].as_str().unwrap_or_default(),
        v["metadata"]["name"].as_str().unwrap_or_default()
    )
}

fn keys(o: &Output) -> Vec<String> {
    items(o).iter().map(key).collect()
}

fn path_matches(objects: &[Value], route: &str) -> Vec<Value> {
    objects
        .iter()
        .filter(|o| key(o) == route)
        .flat_map(|o| o["spec"]["rules"].as_array().cloned().unwrap_or_default())
        .flat_map(|r| r["matches"].as_array().cloned().unwrap_or_default())
        .map(|m| m["path"].clone())
        .collect()
}

#[test]
fn namespace_selection_keeps_regex_context_and_does_not_clobber_the_shared_gateway() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(ESTATE));
    let out = ing2gw(
        &kubeconfig,
        &["print", "-n", "team-a", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let objects = items(&out);
    let ks: Vec<String> = objects.iter().map(key).collect();
    // The shared Gateway also serves team-b and team-c: not emitted.
    assert!(!ks.iter().any(|k| k.starts_with("Gateway ")), "{ks:?}");
    // Only team-a's objects; team-a owns its certificate grant.
    assert!(
        ks.iter().all(|k| k.contains(" team-a/")),
        "only team-a: {ks:?}"
    );
    assert!(ks.iter().any(|k| k == "HTTPRoute team-a/shop.example.com"));
    // team-b's use-regex switches the shared host to regex mode: kept.
    let paths = path_matches(&objects, "HTTPRoute team-a/shop.example.com");
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert_eq!(paths[0]["type"], "RegularExpression", "{paths:?}");
    assert_eq!(paths[0]["value"], "(?i)/api.*");
    let err = stderr(&out);
    assert!(err.contains("selection-shares-hosts"), "{err}");
    assert!(err.contains("team-b/legacy"), "{err}");
    assert!(err.contains("partial-selection"), "{err}");
    assert!(
        err.contains("merge its listeners http, https-shop.example.com"),
        "{err}"
    );
}

#[test]
fn merge_gateway_cluster_adds_the_selection_listeners_to_the_live_gateway() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(ESTATE));
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-n",
            "team-a",
            "--merge-gateway",
            "cluster",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let objects = items(&out);
    let gateway = objects
        .iter()
        .find(|o| key(o) == "Gateway gateway-system/nginx")
        .unwrap_or_else(|| panic!("merged Gateway: {:?}", keys(&out)));
    let names: Vec<&str> = gateway["spec"]["listeners"]
        .as_array()
        .expect("listeners")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["http", "https-blog.example.com", "https-shop.example.com"]
    );
    assert!(gateway["metadata"].get("resourceVersion").is_none());
}

#[test]
fn routes_only_and_owned_selections() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(ESTATE));
    // Every namespace selected: the selection owns the Gateway.
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-n",
            "team-a",
            "-n",
            "team-b",
            "-n",
            "team-c",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        keys(&out)
            .iter()
            .any(|k| k == "Gateway gateway-system/nginx")
    );
    assert!(
        !stderr(&out).contains("partial-selection"),
        "{}",
        stderr(&out)
    );
    // --routes-only: routes, never shared objects, and what to merge is said.
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-A",
            "--routes-only",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ks = keys(&out);
    assert!(ks.iter().all(|k| k.starts_with("HTTPRoute ")), "{ks:?}");
    assert!(
        stderr(&out).contains("https-blog.example.com"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn host_and_label_selections() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(ESTATE));
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-A",
            "--host",
            "shop.example.com",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ks = keys(&out);
    assert!(
        ks.iter().any(|k| k == "HTTPRoute team-b/shop.example.com"),
        "{ks:?}"
    );
    assert!(!ks.iter().any(|k| k.contains("team-c")), "{ks:?}");
    assert!(!ks.iter().any(|k| k.starts_with("Gateway ")), "{ks:?}");
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-A",
            "-l",
            "app=api",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let objects = items(&out);
    let paths = path_matches(&objects, "HTTPRoute team-a/shop.example.com");
    assert_eq!(paths[0]["type"], "RegularExpression", "{paths:?}");
    assert!(stderr(&out).contains("team-b/legacy"), "{}", stderr(&out));
}

#[test]
fn denied_cluster_wide_list_keeps_the_selection_routes_only_and_says_why() {
    let (_server, kubeconfig) = FakeApiServer::start(
        Fixture::new()
            .manifests(ESTATE)
            .forbid_cluster_wide("ingresses"),
    );
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-n",
            "team-a",
            "-n",
            "team-b",
            "-n",
            "team-c",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!keys(&out).iter().any(|k| k.starts_with("Gateway ")));
    let err = stderr(&out);
    assert!(err.contains("across all namespaces"), "{err}");
    assert!(err.contains("cannot be shown to own"), "{err}");
}

#[test]
fn empty_selection_says_so() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(ESTATE));
    let out = ing2gw(&kubeconfig, &["print", "-n", "nobody", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(items(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("selection-empty"), "{err}");
    assert!(err.contains("-n nobody"), "{err}");
}

#[test]
fn file_input_selections_use_the_files_as_context() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("estate.yaml");
    let ingresses: String = ESTATE
        .split("\n---\n")
        .filter(|d| !d.contains("kind: Gateway\n"))
        .collect::<Vec<_>>()
        .join("\n---\n");
    std::fs::write(&file, ingresses).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(["print", "-f"])
        .arg(&file)
        .args(["-n", "team-a", "-o", "json", "--fail-on", "never"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let objects = items(&out);
    let ks: Vec<String> = objects.iter().map(key).collect();
    assert!(ks.iter().all(|k| k.contains(" team-a/")), "{ks:?}");
    let paths = path_matches(&objects, "HTTPRoute team-a/shop.example.com");
    assert_eq!(paths[0]["type"], "RegularExpression", "{paths:?}");
}

/// Services denied for list and get: one list and one get per namespace, not
/// one get per Service (a 403 is learned once per namespace and kind).
#[test]
fn denied_services_are_learned_once_per_namespace() {
    let mut manifests = String::new();
    for ns in ["team-a", "team-b"] {
        for i in 0..40 {
            manifests.push_str(&format!(
                "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: app{i}, namespace: {ns}}}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: app{i}.{ns}.example.com\n    http:\n      paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: svc{i}, port: {{number: 80}}}}}}}}\n"
            ));
        }
    }
    let (server, kubeconfig) = FakeApiServer::start(
        Fixture::new()
            .manifests(&manifests)
            .forbid_resource("services"),
    );
    let out = ing2gw(
        &kubeconfig,
        &["print", "-A", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let service_requests = server
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/services"))
        .count();
    // One cluster-wide list, then per namespace one list and one get.
    assert!(
        service_requests <= 5,
        "{service_requests} requests for Services"
    );
    let err = stderr(&out);
    assert!(
        err.contains("svc39"),
        "the denied Services are still named: {err}"
    );
}

/// Two installations: an internal one (sorted first, class `internal`, 302
/// redirects) and the public one serving class `nginx` (301), installed by the
/// Helm chart. The Ingresses of class nginx get the public controller's
/// ConfigMap; one line says which controller, ConfigMap and version.
const TWO_CONTROLLERS: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: team-a}
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
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: internal}
spec: {controller: k8s.io/internal-nginx}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: internal-controller
  namespace: aaa-internal
  labels: {app.kubernetes.io/name: ingress-nginx}
spec:
  template:
    spec:
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:v1.12.1
        args: [/nginx-ingress-controller, --ingress-class=internal, --controller-class=k8s.io/internal-nginx, --configmap=aaa-internal/internal]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: internal, namespace: aaa-internal}
data: {http-redirect-code: "302"}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: public-ingress-nginx-controller
  namespace: public
  labels: {app.kubernetes.io/name: rke2-ingress-nginx}
spec:
  template:
    spec:
      containers:
      - name: controller
        image: rancher/nginx-ingress-controller:nginx-1.11.3-hardened1
        args: [/nginx-ingress-controller, --configmap=$(POD_NAMESPACE)/public-config]
        env:
        - name: POD_NAMESPACE
          valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: public-config, namespace: public}
data: {http-redirect-code: "301"}
"#;

fn redirect_codes(objects: &[Value]) -> Vec<Value> {
    objects
        .iter()
        .flat_map(|o| o["spec"]["rules"].as_array().cloned().unwrap_or_default())
        .flat_map(|r| r["filters"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f["requestRedirect"].get("statusCode").cloned())
        .collect()
}

#[test]
fn two_controllers_the_one_serving_the_class_is_used_and_said_once() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(TWO_CONTROLLERS));
    let out = ing2gw(
        &kubeconfig,
        &["print", "-A", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let codes = redirect_codes(&items(&out));
    assert!(!codes.is_empty());
    assert!(codes.iter().all(|c| *c == 301), "{codes:?}");
    let err = stderr(&out);
    assert!(
        err.contains(
            "DaemonSet public/public-ingress-nginx-controller: the ingress-nginx controller used for class nginx: ConfigMap public/public-config, version v1.11.3 (image tag)"
        ),
        "{err}"
    );
    assert!(!err.contains("several"), "{err}");

    // --controller names the other one: its class, ConfigMap and version.
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-A",
            "--controller",
            "aaa-internal/internal-controller",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("used for class internal: ConfigMap aaa-internal/internal, version v1.12.1"),
        "{err}"
    );
    // The class-nginx Ingress is not served by that controller.
    assert!(err.contains("ingress-skipped"), "{err}");
}

#[test]
fn two_controllers_on_one_class_warn_once() {
    let both_nginx = TWO_CONTROLLERS.replace(
        "--ingress-class=internal, --controller-class=k8s.io/internal-nginx, ",
        "",
    );
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(&both_nginx));
    let out = ing2gw(
        &kubeconfig,
        &["print", "-A", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("several").count(), 1, "{err}");
    assert!(err.contains("--controller NAMESPACE/NAME"), "{err}");
}
