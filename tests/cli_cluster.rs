//! `print`, `scan` and `diff --against cluster` run as the built binary against
//! the fake HTTPS API server (bearer token, CA from the generated kubeconfig,
//! pages of 2 objects, RBAC denials), with `KUBECONFIG` pointing at it.

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;
use fake_apiserver::ing2gw;

use fake_apiserver::{FakeApiServer, Fixture};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

const CLUSTER: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: team-a
  annotations:
    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
spec:
  ingressClassName: nginx
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: team-a}
spec:
  ingressClassName: nginx
  rules:
  - host: api.example.com
    http:
      paths:
      - {path: /v1, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: secret-stuff, namespace: team-b}
spec:
  ingressClassName: nginx
  rules:
  - host: vault.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: vault, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: team-c
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: "more_set_headers 'X-Shop: 1';"
spec:
  ingressClassName: nginx
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /shop, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec:
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: team-a}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: vault, namespace: team-b}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: team-c}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Secret
metadata: {name: web-tls, namespace: team-a}
type: kubernetes.io/tls
data: {tls.crt: c2VjcmV0, tls.key: c2VjcmV0}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
spec:
  template:
    spec:
      containers:
      - name: controller
        args:
        - /nginx-ingress-controller
        - --configmap=$(POD_NAMESPACE)/ingress-nginx-controller
        env:
        - name: POD_NAMESPACE
          valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
data: {http-redirect-code: "301"}
"#;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn items(o: &Output) -> Vec<Value> {
    let list: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}\n{}", stdout(o), stderr(o)));
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

#[test]
fn print_all_namespaces_reads_every_page_and_uses_the_controller_configmap() {
    let (server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let out = ing2gw(
        &kubeconfig,
        &["print", "-A", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let objects = items(&out);
    let keys: Vec<String> = objects.iter().map(key).collect();
    for expected in [
        "HTTPRoute team-a/web.example.com",
        "HTTPRoute team-a/api.example.com",
        "HTTPRoute team-b/vault.example.com",
        "Gateway gateway-system/nginx",
    ] {
        assert!(keys.iter().any(|k| k == expected), "{expected} in {keys:?}");
    }
    // web.example.com has TLS: its HTTP→HTTPS redirect uses the ConfigMap's code,
    // which was found from the controller Deployment's --configmap flag.
    let codes: Vec<&Value> = objects
        .iter()
        .flat_map(|o| o["spec"]["rules"].as_array().into_iter().flatten())
        .flat_map(|r| r["filters"].as_array().into_iter().flatten())
        .filter_map(|f| f["requestRedirect"].get("statusCode"))
        .collect();
    assert!(!codes.is_empty(), "a redirect route exists: {keys:?}");
    assert!(codes.iter().all(|c| **c == json!(301)), "{codes:?}");
    // Pagination: 4 Ingresses in pages of 2, the token authenticated every request.
    let pages = server.requests_to("/apis/networking.k8s.io/v1/ingresses");
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[1].query.contains_key("continue"));
    assert!(server.requests().iter().all(|r| r.authorized));
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.contains("secrets"))
    );
}

#[test]
fn print_with_explicit_kubeconfig_and_a_forbidden_namespace_warns_and_continues() {
    let (_server, kubeconfig) =
        FakeApiServer::start(Fixture::new().manifests(CLUSTER).forbid_namespace("team-b"));
    let path = kubeconfig.to_str().expect("utf-8 path");
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args([
            "print",
            "--fail-on",
            "never",
            "--kubeconfig",
            path,
            "--context",
            "fake",
            "-n",
            "team-a",
            "-n",
            "team-b",
            "-o",
            "json",
            "--report",
        ])
        .arg(kubeconfig.with_file_name("report.json"))
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let keys: Vec<String> = items(&out).iter().map(key).collect();
    assert!(keys.iter().any(|k| k == "HTTPRoute team-a/web.example.com"));
    assert!(!keys.iter().any(|k| k.contains("team-b")), "{keys:?}");
    let err = stderr(&out);
    assert!(err.contains("cluster-read"), "{err}");
    assert!(err.contains("team-b"), "{err}");
    // Provenance: kind/namespace/name, no file span.
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(kubeconfig.with_file_name("report.json")).expect("report"),
    )
    .expect("report JSON");
    let notes = report["notifications"].as_array().expect("array");
    let denied = notes
        .iter()
        .find(|n| n["code"] == "cluster-read")
        .expect("cluster-read notification");
    assert_eq!(
        denied["object"],
        json!({"kind": "Namespace", "name": "team-b"})
    );
    assert_eq!(denied["field"], "ingresses.networking.k8s.io");
    assert!(
        notes
            .iter()
            .filter(|n| n["object"]["kind"] == "Ingress")
            .all(|n| n.get("span").is_none()),
        "{notes:?}"
    );
}

#[test]
fn scan_reports_cluster_ingresses_risks_and_shared_hosts() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let out = ing2gw(&kubeconfig, &["scan", "-A", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["source"], "cluster context fake");
    assert_eq!(report["summary"]["ingresses"], 4);
    assert_eq!(report["summary"]["served_ingresses"], 4);
    let namespaces: Vec<&str> = report["namespaces"]
        .as_array()
        .expect("namespaces")
        .iter()
        .filter_map(|n| n["namespace"].as_str())
        .collect();
    assert_eq!(namespaces, ["team-a", "team-b", "team-c"]);
    assert_eq!(
        report["shared_hosts"],
        json!([{"host": "web.example.com", "namespaces": ["team-a", "team-c"],
                "ingresses": ["team-a/web", "team-c/shop"]}])
    );
    assert_eq!(report["summary"]["risks"]["allowlist"], 1);
    assert_eq!(report["summary"]["risks"]["snippet"], 1);
    // The allow-list of team-a/web is emitted fail-closed (HTTP 500): a blocker.
    assert_eq!(
        report["summary"]["top_blockers"][0]["code"],
        "access-fail-closed"
    );
    assert_eq!(report["fail_closed"][0]["namespace"], "team-a");
    assert_eq!(report["fail_closed"][0]["name"], "web");
    assert_eq!(
        report["summary"]["verdicts"]["blocked"], 2,
        "{}",
        report["summary"]
    );

    let table = ing2gw(&kubeconfig, &["scan", "-A"]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("Hosts shared across namespaces"), "{text}");
    assert!(text.contains("whitelist-source-range"), "{text}");
}

#[test]
fn scan_with_a_forbidden_namespace_counts_the_warning() {
    let (_server, kubeconfig) =
        FakeApiServer::start(Fixture::new().manifests(CLUSTER).forbid_namespace("team-b"));
    let out = ing2gw(
        &kubeconfig,
        &["scan", "-n", "team-b", "-n", "team-c", "-o", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["summary"]["ingresses"], 1);
    assert_eq!(report["notifications"]["by_code"]["cluster-read"], 1);
    // Denied namespaces are named, not only counted.
    assert_eq!(report["summary"]["denied_namespaces"], json!(["team-b"]));
    let md = ing2gw(
        &kubeconfig,
        &["scan", "-n", "team-b", "-n", "team-c", "-o", "markdown"],
    );
    let md = stdout(&md);
    assert!(
        md.contains("| namespaces not read (denied) | 1: team-b |"),
        "{md}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("warning: not allowed to list Ingresses in namespace team-b"),
        "{err}"
    );
}

/// What the API server would hold after `kubectl apply` of the generated objects:
/// server-set metadata, status, the last-applied annotation, other key order.
fn as_live(mut object: Value, n: usize) -> Value {
    let last_applied = object.to_string();
    let meta = object["metadata"].as_object_mut().expect("metadata");
    meta.insert("uid".into(), json!(format!("uid-{n}")));
    meta.insert("resourceVersion".into(), json!(n.to_string()));
    meta.insert("generation".into(), json!(1));
    meta.insert("creationTimestamp".into(), json!("2026-01-01T00:00:00Z"));
    meta.insert(
        "managedFields".into(),
        json!([{"manager": "kubectl", "operation": "Apply"}]),
    );
    meta.entry("annotations").or_insert_with(|| json!({}))["kubectl.kubernetes.io/last-applied-configuration"] =
        json!(last_applied);
    object["status"] = json!({"parents": []});
    object
}

fn generated(kubeconfig: &Path) -> Vec<Value> {
    let out = ing2gw(
        kubeconfig,
        &["print", "-A", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    items(&out)
}

#[test]
fn diff_against_cluster_is_clean_after_apply_and_shows_drift() {
    let (seed, seed_kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let objects = generated(&seed_kubeconfig);
    drop(seed);

    // In sync: exit 0, nothing on stdout.
    let mut live = Fixture::new().manifests(CLUSTER);
    for (n, o) in objects.iter().enumerate() {
        live = live.object(as_live(o.clone(), n));
    }
    // Someone else's route in a compared namespace is left alone.
    live = live.object(json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": "hand-made", "namespace": "team-a"},
        "spec": {"parentRefs": [{"name": "other"}]}
    }));
    let (server, kubeconfig) = FakeApiServer::start(live);
    let out = ing2gw(&kubeconfig, &["diff", "-A", "--against", "cluster", "-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("1 live Gateway API object(s) not generated by ing2gw"));
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.path == "/apis/gateway.networking.k8s.io/v1/httproutes")
    );

    // Drift: one live route edited by hand, one stale generated route, one missing.
    let mut drifted = Fixture::new().manifests(CLUSTER);
    let mut stale = None;
    for (n, o) in objects.iter().enumerate() {
        let mut o = as_live(o.clone(), n);
        match key(&o).as_str() {
            "HTTPRoute team-a/api.example.com" => {
                o["spec"]["hostnames"] = json!(["api.old.example.com"]);
            }
            "HTTPRoute team-b/vault.example.com" => continue,
            "HTTPRoute team-a/web.example.com" => {
                o["metadata"]["name"] = json!("web-old");
                stale = Some(o.clone());
            }
            _ => {}
        }
        drifted = drifted.object(o);
    }
    assert!(stale.is_some(), "team-a web route generated");
    let (_server, kubeconfig) = FakeApiServer::start(drifted);
    let out = ing2gw(
        &kubeconfig,
        &[
            "diff",
            "-A",
            "--against",
            "cluster",
            "-q",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("# HTTPRoute team-a/api.example.com: changed"),
        "{text}"
    );
    assert!(
        text.contains("-  - api.old.example.com\n+  - api.example.com\n"),
        "{text}"
    );
    assert!(
        text.contains("# HTTPRoute team-b/vault.example.com: only generated"),
        "{text}"
    );
    assert!(
        text.contains("# HTTPRoute team-a/web-old: only in the compared objects"),
        "{text}"
    );
    assert!(!text.contains("resourceVersion"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour with --color never");
    assert!(
        stderr(&out).contains("1 changed, 2 only generated"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn diff_against_an_unreachable_cluster_is_exit_2() {
    let (server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let text = std::fs::read_to_string(&kubeconfig).expect("kubeconfig");
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("kubeconfig.yaml");
    std::fs::write(&copy, text).expect("copy");
    drop(server);
    let out = ing2gw(&copy, &["diff", "-A", "--against", "cluster"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot reach"), "{}", stderr(&out));
}

#[test]
fn several_controllers_use_the_first_configmap_and_say_so() {
    const SECOND: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: internal-controller
  namespace: ops
  labels: {app.kubernetes.io/name: ingress-nginx}
spec:
  template:
    spec:
      containers: [{name: controller, args: [--configmap=ops/internal]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: internal, namespace: ops}
data: {http-redirect-code: "302"}
"#;
    let (_server, kubeconfig) =
        FakeApiServer::start(Fixture::new().manifests(CLUSTER).manifests(SECOND));
    let report = kubeconfig.with_file_name("several.json");
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "--fail-on",
            "never",
            "-A",
            "-o",
            "json",
            "--report",
            report.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let notes = std::fs::read_to_string(&report).expect("report written");
    assert!(
        notes.contains("ingress-nginx/ingress-nginx-controller is used"),
        "{notes}"
    );
    let text = stdout(&out);
    assert!(text.contains("\"statusCode\": 301"), "{text}");

    // An explicit --nginx-configmap wins and no controller lookup is needed.
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "--fail-on",
            "never",
            "-A",
            "-o",
            "json",
            "--nginx-configmap",
            "ops/internal",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"statusCode\": 302"),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("several"), "{}", stderr(&out));
}

/// The controller's `--annotations-prefix` is read from its Deployment like
/// `--configmap`: access control under the custom prefix is enforced (the
/// route is fail-closed), the default prefix is ignored like the controller does.
#[test]
fn custom_annotations_prefix_is_discovered_and_enforced() {
    const CUSTOM: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: guarded
  namespace: team-a
  annotations:
    custom.example.com/whitelist-source-range: 10.0.0.0/8
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  ingressClassName: nginx
  rules:
  - host: guarded.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: guarded, port: {number: 80}}}}
---
apiVersion: v1
kind: Service
metadata: {name: guarded, namespace: team-a}
spec: {ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels: {app.kubernetes.io/name: ingress-nginx}
spec:
  template:
    spec:
      containers:
      - name: controller
        args:
        - /nginx-ingress-controller
        - --configmap=ingress-nginx/ingress-nginx-controller
        - --annotations-prefix=custom.example.com
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
data: {}
"#;
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CUSTOM));
    let out = ing2gw(
        &kubeconfig,
        &["print", "-A", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        !text.contains("\"name\": \"guarded\""),
        "the allow-listed route forwards: {text}"
    );
    let err = stderr(&out);
    assert!(err.contains("[annotations-prefix]"), "{err}");
    assert!(err.contains("access-fail-closed"), "{err}");
    // An explicit flag wins over the Deployment's.
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-A",
            "-o",
            "json",
            "--fail-on",
            "never",
            "--annotations-prefix",
            "nginx.ingress.kubernetes.io",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"name\": \"guarded\""));
    // An explicit --nginx-configmap does not skip the prefix: the Deployment's
    // --annotations-prefix is still read, so the allow-list stays enforced.
    let out = ing2gw(
        &kubeconfig,
        &[
            "print",
            "-A",
            "-o",
            "json",
            "--fail-on",
            "never",
            "--nginx-configmap",
            "ingress-nginx/ingress-nginx-controller",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        !text.contains("\"name\": \"guarded\""),
        "with --nginx-configmap the allow-listed route forwards: {text}"
    );
    let err = stderr(&out);
    assert!(err.contains("[annotations-prefix]"), "{err}");
    assert!(err.contains("access-fail-closed"), "{err}");
}

/// A 404 names what was not found and where, never an empty ": " message.
#[test]
fn a_404_names_what_was_not_found_and_where() {
    let fixture = Fixture::new().manifests(CLUSTER).empty_answer_times(
        "/apis/networking.k8s.io/v1/ingresses",
        404,
        100,
    );
    let (_server, kubeconfig) = FakeApiServer::start(fixture);
    let out = ing2gw(&kubeconfig, &["print", "-A"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        !err.contains(": \n") && !err.trim_end().ends_with(':'),
        "{err}"
    );
    assert!(
        err.contains("Ingresses") || err.contains("ingresses"),
        "{err}"
    );
    assert!(
        err.contains("404"),
        "says the API server answered 404: {err}"
    );
    assert!(err.contains("127.0.0.1"), "names the server: {err}");
}

/// What Argo CD, Flux and the API server add to applied objects.
fn with_gitops_metadata(mut object: Value) -> Value {
    let meta = object["metadata"].as_object_mut().expect("metadata");
    meta.insert(
        "finalizers".into(),
        json!(["resources-finalizer.argocd.argoproj.io"]),
    );
    meta.insert(
        "ownerReferences".into(),
        json!([{"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "name": "shop", "uid": "u"}]),
    );
    meta.entry("labels").or_insert_with(|| json!({}))["app.kubernetes.io/instance"] = json!("shop");
    object["metadata"]["labels"]["kustomize.toolkit.fluxcd.io/name"] = json!("apps");
    object["metadata"]["labels"]["team.example.com/owner"] = json!("payments");
    let annotations = &mut object["metadata"]["annotations"];
    annotations["argocd.argoproj.io/tracking-id"] =
        json!("shop:gateway.networking.k8s.io/HTTPRoute:x");
    annotations["argocd.argoproj.io/sync-wave"] = json!("2");
    annotations["helm.toolkit.fluxcd.io/name"] = json!("gw");
    annotations["meta.helm.sh/release-name"] = json!("gw");
    // Someone else's annotation: applying the output would not touch it.
    annotations["example.com/reviewed-by"] = json!("ops");
    object
}

/// Issue 15.4: GitOps metadata never drifts; a kind that may not be listed is
/// unknown, not "would be created"; stale ing2gw objects in a namespace without
/// Ingresses are reported with -A, also with -f; user ignore rules apply.
#[test]
fn diff_against_cluster_owns_only_its_fields() {
    let (seed, seed_kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let objects = generated(&seed_kubeconfig);
    drop(seed);
    let mut live = Fixture::new().manifests(CLUSTER);
    for (n, o) in objects.iter().enumerate() {
        live = live.object(with_gitops_metadata(as_live(o.clone(), n)));
    }
    let (_server, kubeconfig) = FakeApiServer::start(live.clone());
    let out = ing2gw(&kubeconfig, &["diff", "-A", "--against", "cluster", "-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");

    // A stale ing2gw route in a namespace that has no Ingress any more.
    let stale = json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": "old.example.com", "namespace": "team-gone",
            "annotations": {"gateway.networking.k8s.io/generator": "ing2gw-0.1.0"}},
        "spec": {"hostnames": ["old.example.com"]}
    });
    let (_server, kubeconfig) = FakeApiServer::start(live.clone().object(stale.clone()));
    let out = ing2gw(
        &kubeconfig,
        &[
            "diff",
            "-A",
            "--against",
            "cluster",
            "-q",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("# HTTPRoute team-gone/old.example.com: only in the compared objects"),
        "{}",
        stdout(&out)
    );
    // The same from files: -A with -f compares with every namespace.
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("cluster.yaml");
    std::fs::write(&input, CLUSTER).expect("write");
    let input = input.to_str().expect("utf-8");
    let out = ing2gw(
        &kubeconfig,
        &[
            "diff",
            "-f",
            input,
            "-A",
            "--against",
            "cluster",
            "-q",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("# HTTPRoute team-gone/old.example.com"),
        "{}",
        stdout(&out)
    );
    // Without -A, the run says where stale objects were not searched.
    let out = ing2gw(
        &kubeconfig,
        &["diff", "-f", input, "--against", "cluster", "-q"],
    );
    assert!(
        stderr(&out).contains("-A searches them all"),
        "{}",
        stderr(&out)
    );

    // HTTPRoutes may not be listed in team-b: its route is unknown, not created.
    let (_server, kubeconfig) = FakeApiServer::start(live.clone().forbid_namespace("team-b"));
    let out = ing2gw(
        &kubeconfig,
        &[
            "diff",
            "-f",
            input,
            "--against",
            "cluster",
            "-q",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("# HTTPRoute team-b/vault.example.com: unknown: not allowed to list"),
        "{text}"
    );
    assert!(
        !text.contains("team-b/vault.example.com: only generated"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("unknown (could not be read)"),
        "{}",
        stderr(&out)
    );

    // A hand edit in an ignored field or under an ignored prefix is not drift.
    let mut edited = Fixture::new().manifests(CLUSTER);
    for (n, o) in objects.iter().enumerate() {
        let mut o = with_gitops_metadata(as_live(o.clone(), n));
        if key(&o) == "HTTPRoute team-a/api.example.com" {
            o["metadata"]["annotations"]["ing2gw.io/sources"] = json!("team-a/other");
            o["spec"]["hostnames"] = json!(["api.old.example.com"]);
        }
        edited = edited.object(o);
    }
    let (_server, kubeconfig) = FakeApiServer::start(edited);
    let out = ing2gw(&kubeconfig, &["diff", "-A", "--against", "cluster", "-q"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "ing2gw's own annotation and spec drift"
    );
    let out = ing2gw(
        &kubeconfig,
        &[
            "diff",
            "-A",
            "--against",
            "cluster",
            "-q",
            "--ignore-annotation",
            "ing2gw.io/",
            "--ignore-field",
            "spec.hostnames",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
}
