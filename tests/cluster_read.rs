//! Reading from a live cluster, against the fake HTTPS API server in
//! `tests/support/fake_apiserver.rs` (loopback only).

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fake_apiserver::{FakeApiServer, Fixture, WRONG_TOKEN_CONTEXT};
use ing2gw::cluster::{
    ClusterError, ClusterOptions, ClusterSnapshot, blocking_read_gateway_objects,
    blocking_read_ingress_inputs, read_gateway_objects,
};

const CLUSTER: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: team-a
  labels: {app: web}
  managedFields: [{manager: kubectl, operation: Apply}]
  annotations:
    nginx.ingress.kubernetes.io/default-backend: errors
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
metadata: {name: api, namespace: team-a, labels: {app: api}}
spec:
  rules:
  - http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: admin, namespace: team-a, labels: {app: web}}
spec:
  defaultBackend: {service: {name: web, port: {name: http}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: secret-stuff, namespace: team-b, labels: {app: web}}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: vault, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: team-c, labels: {app: shop}}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx-internal}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: other}
spec: {controller: example.com/other}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec:
  ports: [{name: http, port: 80, targetPort: 8080, appProtocol: kubernetes.io/h2c}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: team-a}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: errors, namespace: team-a}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: unrelated, namespace: team-a}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: vault, namespace: team-b}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: team-c}
spec: {ports: [{name: web, port: 80}]}
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
        image: registry.k8s.io/ingress-nginx/controller:v1.12.0
        args:
        - /nginx-ingress-controller
        - --publish-service=$(POD_NAMESPACE)/ingress-nginx-controller
        - --configmap=$(POD_NAMESPACE)/ingress-nginx-controller
        env:
        - name: POD_NAMESPACE
          valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: unrelated, namespace: ingress-nginx, labels: {app: other}}
spec:
  template:
    spec:
      containers: [{name: c, args: [--configmap=ingress-nginx/wrong]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
data: {use-forwarded-headers: "true"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: custom, namespace: ops}
data: {proxy-body-size: 8m}
"#;

const GATEWAY_OBJECTS: &str = r#"
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: team-a}
spec: {gatewayClassName: eg, listeners: [{name: http, port: 80, protocol: HTTP}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: team-a}
spec: {parentRefs: [{name: edge}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: team-a}
spec: {parentRefs: [{name: edge}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: admin, namespace: team-a}
spec: {parentRefs: [{name: edge}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: team-c}
spec: {parentRefs: [{name: edge, namespace: team-a}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-team-a, namespace: team-c}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: team-a}]
  to: [{group: "", kind: Service}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: passthrough, namespace: team-a}
spec: {parentRefs: [{name: edge}]}
"#;

fn fixture() -> Fixture {
    Fixture::new().manifests(CLUSTER)
}

fn options(kubeconfig: &Path) -> ClusterOptions {
    ClusterOptions {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        timeout: Duration::from_secs(10),
        ..ClusterOptions::default()
    }
}

fn names(snapshot: &ClusterSnapshot, kind: &str) -> Vec<String> {
    snapshot
        .objects
        .iter()
        .filter(|o| o.kind == kind)
        .map(|o| match &o.namespace {
            Some(ns) => format!("{ns}/{}", o.name),
            None => o.name.clone(),
        })
        .collect()
}

#[test]
fn all_namespaces_reads_every_object_across_pages() {
    let (server, kubeconfig) = FakeApiServer::start(fixture());
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        all_namespaces: true,
        ..options(&kubeconfig)
    })
    .expect("read succeeds");

    assert_eq!(snapshot.context, "fake");
    assert_eq!(
        names(&snapshot, "Ingress"),
        [
            "team-a/admin",
            "team-a/api",
            "team-a/web",
            "team-b/secret-stuff",
            "team-c/shop"
        ]
    );
    assert_eq!(
        names(&snapshot, "IngressClass"),
        ["nginx", "nginx-internal", "other"]
    );
    // Only referenced Services, including the default-backend annotation's.
    assert_eq!(
        names(&snapshot, "Service"),
        [
            "team-a/api",
            "team-a/errors",
            "team-a/web",
            "team-b/vault",
            "team-c/shop"
        ]
    );
    assert_eq!(
        names(&snapshot, "ConfigMap"),
        ["ingress-nginx/ingress-nginx-controller"]
    );
    assert!(snapshot.warnings.is_empty(), "{:?}", snapshot.warnings);

    // Sorted by (kind, namespace, name).
    let keys: Vec<_> = snapshot
        .objects
        .iter()
        .map(|o| (o.kind.clone(), o.namespace.clone(), o.name.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    // List items lack apiVersion/kind on the wire; they are filled in.
    let web = snapshot
        .objects
        .iter()
        .find(|o| o.kind == "Ingress" && o.name == "web")
        .expect("web ingress");
    assert_eq!(web.api_version, "networking.k8s.io/v1");
    assert_eq!(web.value["kind"], "Ingress");
    assert!(web.value["metadata"].get("managedFields").is_none());
    assert_eq!(web.value["spec"]["tls"][0]["secretName"], "web-tls");
    let svc = snapshot
        .objects
        .iter()
        .find(|o| o.kind == "Service" && o.name == "web")
        .expect("web service");
    assert_eq!(
        svc.value["spec"]["ports"][0]["appProtocol"],
        "kubernetes.io/h2c"
    );

    // Cluster-wide Ingress list, in pages of 2 (5 objects → 3 requests), limit=500 asked.
    let ingress_requests = server.requests_to("/apis/networking.k8s.io/v1/ingresses");
    assert_eq!(ingress_requests.len(), 3, "{ingress_requests:?}");
    assert!(
        ingress_requests
            .iter()
            .all(|r| r.query.get("limit").map(String::as_str) == Some("500"))
    );
    assert_eq!(
        ingress_requests
            .iter()
            .filter(|r| r.query.contains_key("continue"))
            .count(),
        2
    );
    // Secrets are never touched.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.contains("secrets")),
        "{:?}",
        server.requests()
    );
}

#[test]
fn forbidden_namespace_becomes_a_warning() {
    let (server, kubeconfig) = FakeApiServer::start(fixture().forbid_namespace("team-b"));
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-b".into(), "team-a".into()],
        ..options(&kubeconfig)
    })
    .expect("a denied namespace does not fail the run");

    assert_eq!(
        names(&snapshot, "Ingress"),
        ["team-a/admin", "team-a/api", "team-a/web"]
    );
    assert_eq!(snapshot.warnings.len(), 1, "{:?}", snapshot.warnings);
    let warning = &snapshot.warnings[0];
    assert_eq!(warning.namespace.as_deref(), Some("team-b"));
    assert_eq!(warning.resource, "ingresses.networking.k8s.io");
    assert!(warning.message.contains("team-b"), "{}", warning.message);
    assert!(warning.message.contains("forbidden"), "{}", warning.message);
    assert_eq!(
        server
            .requests_to("/apis/networking.k8s.io/v1/namespaces/team-b/ingresses")
            .first()
            .map(|r| r.status),
        Some(403)
    );
}

#[test]
fn cluster_wide_denial_is_an_error_naming_the_resource() {
    let (_server, kubeconfig) = FakeApiServer::start(fixture().forbid_cluster_wide("ingresses"));
    let err = blocking_read_ingress_inputs(&ClusterOptions {
        all_namespaces: true,
        ..options(&kubeconfig)
    })
    .expect_err("nothing could be read");
    assert!(matches!(err, ClusterError::Forbidden { .. }), "{err}");
    assert!(
        err.to_string().contains("ingresses.networking.k8s.io"),
        "{err}"
    );
}

#[test]
fn label_selector_is_passed_to_the_server() {
    let (server, kubeconfig) = FakeApiServer::start(fixture());
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-a".into()],
        selector: Some("app=web".into()),
        ..options(&kubeconfig)
    })
    .expect("read succeeds");

    assert_eq!(names(&snapshot, "Ingress"), ["team-a/admin", "team-a/web"]);
    // The api Ingress was filtered out, so its Service is not read either.
    assert_eq!(names(&snapshot, "Service"), ["team-a/errors", "team-a/web"]);
    let seen: Vec<_> = server
        .requests_to("/apis/networking.k8s.io/v1/namespaces/team-a/ingresses")
        .into_iter()
        .map(|r| r.query.get("labelSelector").cloned())
        .collect();
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|s| s.as_deref() == Some("app=web")),
        "{seen:?}"
    );
}

#[test]
fn context_namespace_is_the_default() {
    let (_server, kubeconfig) = FakeApiServer::start(fixture().context_namespace("team-c"));
    let snapshot = blocking_read_ingress_inputs(&options(&kubeconfig)).expect("read succeeds");
    assert_eq!(names(&snapshot, "Ingress"), ["team-c/shop"]);
    assert_eq!(names(&snapshot, "Service"), ["team-c/shop"]);
}

#[test]
fn transient_503_is_retried() {
    let path = "/apis/networking.k8s.io/v1/namespaces/team-a/ingresses";
    let (server, kubeconfig) = FakeApiServer::start(fixture().fail_times(path, 503, 1));
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-a".into()],
        ..options(&kubeconfig)
    })
    .expect("one 503 is retried");
    assert_eq!(names(&snapshot, "Ingress").len(), 3);
    let statuses: Vec<u16> = server.requests_to(path).iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [503, 200, 200],
        "first page retried, then second page"
    );
}

#[test]
fn persistent_503_fails_after_bounded_retries() {
    let path = "/apis/networking.k8s.io/v1/namespaces/team-a/ingresses";
    let (server, kubeconfig) = FakeApiServer::start(fixture().fail_times(path, 503, 100));
    let err = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-a".into()],
        ..options(&kubeconfig)
    })
    .expect_err("the server keeps failing");
    assert!(matches!(err, ClusterError::Api { code: 503, .. }), "{err}");
    assert_eq!(server.requests_to(path).len(), 3);
}

#[test]
fn dropped_connection_is_retried() {
    let path = "/apis/networking.k8s.io/v1/ingressclasses";
    let (server, kubeconfig) = FakeApiServer::start(fixture().drop_connection_times(path, 1));
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-a".into()],
        ..options(&kubeconfig)
    })
    .expect("a reset connection is retried");
    assert_eq!(names(&snapshot, "IngressClass").len(), 3);
    assert!(server.requests_to(path).len() >= 3, "dropped + 2 pages");
}

#[test]
fn slow_answer_times_out() {
    let path = "/apis/networking.k8s.io/v1/namespaces/team-a/ingresses";
    let (_server, kubeconfig) =
        FakeApiServer::start(fixture().delay_times(path, Duration::from_secs(5), 1));
    let err = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-a".into()],
        timeout: Duration::from_millis(300),
        ..options(&kubeconfig)
    })
    .expect_err("deadline passes");
    assert!(matches!(err, ClusterError::Timeout { .. }), "{err}");
    assert!(err.to_string().contains("ingresses"), "{err}");
}

#[test]
fn wrong_token_is_a_clear_unauthorized_error() {
    let (server, kubeconfig) = FakeApiServer::start(fixture());
    let err = blocking_read_ingress_inputs(&ClusterOptions {
        context: Some(WRONG_TOKEN_CONTEXT.into()),
        ..options(&kubeconfig)
    })
    .expect_err("token rejected");
    assert!(matches!(err, ClusterError::Unauthorized { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("401"), "{message}");
    assert!(message.contains("token"), "{message}");
    assert!(message.contains(WRONG_TOKEN_CONTEXT), "{message}");
    assert!(message.contains(&server.url()), "{message}");
    // 401 is not retried.
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn missing_kubeconfig_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nope.yaml");
    let err = blocking_read_ingress_inputs(&options(&path)).expect_err("no file");
    assert!(
        matches!(err, ClusterError::KubeconfigNotFound { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("nope.yaml"), "{err}");
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[test]
fn unparsable_kubeconfig_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, "clusters: [ {").expect("write");
    let err = blocking_read_ingress_inputs(&options(&path)).expect_err("broken file");
    assert!(
        matches!(err, ClusterError::KubeconfigInvalid { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("broken.yaml"), "{err}");
}

#[test]
fn unknown_context_lists_the_available_ones() {
    let (_server, kubeconfig) = FakeApiServer::start(fixture());
    let err = blocking_read_ingress_inputs(&ClusterOptions {
        context: Some("prod".into()),
        ..options(&kubeconfig)
    })
    .expect_err("no such context");
    assert_eq!(
        err.to_string(),
        format!(
            "context \"prod\" not found in kubeconfig {}; available contexts: fake, fake-wrong-token",
            kubeconfig.display()
        )
    );
}

#[test]
fn unreachable_server_names_the_url() {
    let (server, kubeconfig) = FakeApiServer::start(fixture());
    let url = server.url();
    let text = std::fs::read_to_string(&kubeconfig).expect("kubeconfig");
    let copy = tempfile::tempdir().expect("tempdir");
    let path = copy.path().join("kubeconfig.yaml");
    std::fs::write(&path, text).expect("write copy");
    drop(server); // the port is closed now
    let err = blocking_read_ingress_inputs(&options(&path)).expect_err("nothing listens");
    assert!(matches!(err, ClusterError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");
}

#[test]
fn untrusted_certificate_is_a_tls_error() {
    let (server, kubeconfig) = FakeApiServer::start(fixture());
    let (other, other_kubeconfig) = FakeApiServer::start(Fixture::new());
    // Same server, but the CA of another fake cluster.
    let ca_line = |path: &PathBuf| -> String {
        std::fs::read_to_string(path)
            .expect("kubeconfig")
            .lines()
            .find(|l| l.contains("certificate-authority-data"))
            .expect("CA line")
            .to_string()
    };
    let text = std::fs::read_to_string(&kubeconfig)
        .expect("kubeconfig")
        .replace(&ca_line(&kubeconfig), &ca_line(&other_kubeconfig));
    let path = other.dir().join("mismatched.yaml");
    std::fs::write(&path, text).expect("write");
    let err = blocking_read_ingress_inputs(&options(&path)).expect_err("CA mismatch");
    assert!(matches!(err, ClusterError::Tls { .. }), "{err}");
    assert!(err.to_string().contains(&server.url()), "{err}");
    assert!(server.requests().is_empty(), "no request got through TLS");
}

#[test]
fn configmap_is_found_from_the_controller_deployment() {
    // Discovery: cluster-wide Deployment list denied, fallback to the ingress-nginx namespace.
    let (server, kubeconfig) = FakeApiServer::start(fixture().forbid_cluster_wide("deployments"));
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-c".into()],
        ..options(&kubeconfig)
    })
    .expect("read succeeds");
    assert_eq!(
        names(&snapshot, "ConfigMap"),
        ["ingress-nginx/ingress-nginx-controller"]
    );
    let cm = snapshot
        .objects
        .iter()
        .find(|o| o.kind == "ConfigMap")
        .expect("configmap");
    assert_eq!(cm.value["data"]["use-forwarded-headers"], "true");
    assert!(snapshot.warnings.is_empty(), "{:?}", snapshot.warnings);
    let lookups = server.requests_to("/apis/apps/v1/namespaces/ingress-nginx/deployments");
    assert_eq!(lookups.len(), 1);
    assert_eq!(
        lookups[0].query.get("labelSelector").map(String::as_str),
        Some("app.kubernetes.io/name=ingress-nginx")
    );
}

/// An explicit --nginx-configmap replaces the controllers' --configmap (only
/// that ConfigMap is read), but the controller workloads are still listed for
/// their --annotations-prefix.
#[test]
fn explicit_configmap_flag_skips_configmap_discovery_not_the_prefix() {
    let (server, kubeconfig) = FakeApiServer::start(fixture());
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-c".into()],
        nginx_configmap: Some(("ops".into(), "custom".into())),
        ..options(&kubeconfig)
    })
    .expect("read succeeds");
    assert_eq!(names(&snapshot, "ConfigMap"), ["ops/custom"]);
    let apps: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/apps/"))
        .collect();
    assert!(!apps.is_empty(), "the workloads are listed for the prefix");
    assert!(
        apps.iter()
            .all(|r| r.query.get("labelSelector").map(String::as_str)
                == Some("app.kubernetes.io/name=ingress-nginx")),
        "{apps:?}"
    );
}

#[test]
fn invisible_controller_and_missing_configmap_are_warnings() {
    let (_server, kubeconfig) = FakeApiServer::start(
        fixture()
            .forbid_resource("deployments")
            .forbid_resource("daemonsets"),
    );
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-c".into()],
        ..options(&kubeconfig)
    })
    .expect("read succeeds");
    assert!(names(&snapshot, "ConfigMap").is_empty());
    assert_eq!(snapshot.warnings.len(), 1, "{:?}", snapshot.warnings);
    assert!(snapshot.warnings[0].message.contains("--nginx-configmap"));

    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-c".into()],
        nginx_configmap: Some(("ops".into(), "absent".into())),
        ..options(&kubeconfig)
    })
    .expect("read succeeds");
    // The missing ConfigMap, and that the prefix could not be checked.
    assert_eq!(snapshot.warnings.len(), 2, "{:?}", snapshot.warnings);
    assert!(
        snapshot.warnings[0]
            .message
            .starts_with(ing2gw::cluster::PREFIX_NOT_CHECKED),
        "{:?}",
        snapshot.warnings
    );
    assert_eq!(snapshot.warnings[1].namespace.as_deref(), Some("ops"));
    assert!(snapshot.warnings[1].message.contains("ops/absent"));
}

#[test]
fn services_fall_back_to_get_when_list_is_denied() {
    let (server, kubeconfig) = FakeApiServer::start(fixture().forbid_list("services"));
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        all_namespaces: true,
        ..options(&kubeconfig)
    })
    .expect("read succeeds");
    assert_eq!(
        names(&snapshot, "Service"),
        [
            "team-a/api",
            "team-a/errors",
            "team-a/web",
            "team-b/vault",
            "team-c/shop"
        ]
    );
    assert!(snapshot.warnings.is_empty(), "{:?}", snapshot.warnings);
    assert_eq!(
        server
            .requests_to("/api/v1/namespaces/team-a/services/web")
            .len(),
        1
    );
}

#[test]
fn services_denied_entirely_are_a_warning_per_namespace() {
    let (_server, kubeconfig) = FakeApiServer::start(fixture().forbid_resource("services"));
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-a".into()],
        ..options(&kubeconfig)
    })
    .expect("read succeeds");
    assert!(names(&snapshot, "Service").is_empty());
    assert_eq!(snapshot.warnings.len(), 1, "{:?}", snapshot.warnings);
    let w = &snapshot.warnings[0];
    assert_eq!(w.resource, "services");
    assert!(w.message.contains("api, errors, web"), "{}", w.message);
}

#[test]
fn gateway_objects_with_missing_crds_are_warnings() {
    let (server, kubeconfig) = FakeApiServer::start(
        Fixture::new()
            .manifests(GATEWAY_OBJECTS)
            .without_resource("gateway.networking.k8s.io", "v1", "listenersets")
            .without_resource("gateway.networking.k8s.io", "v1", "referencegrants"),
    );
    let snapshot =
        blocking_read_gateway_objects(&options(&kubeconfig), &["team-c".into(), "team-a".into()])
            .expect("read succeeds");
    assert_eq!(names(&snapshot, "Gateway"), ["team-a/edge"]);
    assert_eq!(
        names(&snapshot, "HTTPRoute"),
        ["team-a/admin", "team-a/api", "team-a/web", "team-c/shop"]
    );
    assert_eq!(names(&snapshot, "TLSRoute"), ["team-a/passthrough"]);
    // ReferenceGrant v1 not served → v1beta1.
    let grant = snapshot
        .objects
        .iter()
        .find(|o| o.kind == "ReferenceGrant")
        .expect("reference grant via v1beta1");
    assert_eq!(grant.api_version, "gateway.networking.k8s.io/v1beta1");

    assert_eq!(snapshot.warnings.len(), 1, "{:?}", snapshot.warnings);
    let w = &snapshot.warnings[0];
    assert_eq!(w.resource, "listenersets.gateway.networking.k8s.io");
    assert!(w.message.contains("ListenerSet"), "{}", w.message);
    // Reported once: the second namespace is not asked again.
    let listenerset_requests = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/listenersets"))
        .count();
    assert_eq!(listenerset_requests, 1);
}

#[tokio::test]
async fn gateway_objects_all_namespaces_async() {
    let (server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(GATEWAY_OBJECTS));
    let snapshot = read_gateway_objects(
        &ClusterOptions {
            all_namespaces: true,
            ..options(&kubeconfig)
        },
        &[],
    )
    .await
    .expect("read succeeds");
    assert_eq!(names(&snapshot, "HTTPRoute").len(), 4);
    assert_eq!(names(&snapshot, "ReferenceGrant"), ["team-c/from-team-a"]);
    assert!(snapshot.warnings.is_empty(), "{:?}", snapshot.warnings);
    assert_eq!(
        server
            .requests_to("/apis/gateway.networking.k8s.io/v1/httproutes")
            .len(),
        2,
        "4 routes in pages of 2"
    );
}

#[tokio::test]
async fn blocking_wrapper_refuses_to_nest_runtimes() {
    let err =
        blocking_read_ingress_inputs(&ClusterOptions::default()).expect_err("inside a runtime");
    assert!(matches!(err, ClusterError::Runtime(_)), "{err}");
}

#[test]
fn selector_rejected_by_the_server_is_reported_with_its_reason() {
    let (_server, kubeconfig) = FakeApiServer::start(fixture());
    let err = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-a".into()],
        selector: Some("app in web".into()),
        ..options(&kubeconfig)
    })
    .expect_err("bad selector");
    assert!(matches!(err, ClusterError::Api { code: 400, .. }), "{err}");
    assert!(
        err.to_string().contains("unable to parse requirement"),
        "{err}"
    );
}

#[test]
fn invalid_names_are_rejected_before_any_request() {
    let (server, kubeconfig) = FakeApiServer::start(fixture());
    let err = blocking_read_ingress_inputs(&ClusterOptions {
        nginx_configmap: Some(("ops".into(), "../secrets".into())),
        ..options(&kubeconfig)
    })
    .expect_err("invalid configmap name");
    assert!(matches!(err, ClusterError::InvalidOption { .. }), "{err}");
    assert!(server.requests().is_empty());
}

#[test]
fn progress_bar_does_not_disturb_the_read() {
    let (_server, kubeconfig) = FakeApiServer::start(fixture());
    let snapshot = blocking_read_ingress_inputs(&ClusterOptions {
        namespaces: vec!["team-c".into()],
        progress: true,
        ..options(&kubeconfig)
    })
    .expect("read succeeds");
    assert_eq!(names(&snapshot, "Ingress"), ["team-c/shop"]);
}

#[test]
fn fixture_accepts_json_lists() {
    let json = r#"{"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
         "metadata": {"name": "from-json", "namespace": "default"}, "spec": {}}
    ]}"#;
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(json));
    let snapshot = blocking_read_ingress_inputs(&options(&kubeconfig)).expect("read succeeds");
    assert_eq!(names(&snapshot, "Ingress"), ["default/from-json"]);
}

#[tokio::test]
async fn fake_server_answers_kube_discovery() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().without_resource(
        "gateway.networking.k8s.io",
        "v1",
        "tlsroutes",
    ));
    let config = kube::Config::from_custom_kubeconfig(
        kube::config::Kubeconfig::read_from(&kubeconfig).expect("kubeconfig"),
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .expect("config");
    let client = kube::Client::try_from(config).expect("client");
    let discovery = kube::Discovery::new(client)
        .run()
        .await
        .expect("discovery runs");
    let gateway = discovery
        .get("gateway.networking.k8s.io")
        .expect("gateway group discovered");
    let kinds: Vec<String> = gateway
        .recommended_resources()
        .into_iter()
        .map(|(r, _)| r.kind)
        .collect();
    assert!(kinds.contains(&"HTTPRoute".to_string()), "{kinds:?}");
    assert!(!kinds.contains(&"TLSRoute".to_string()), "{kinds:?}");
    assert!(discovery.get("networking.k8s.io").is_some());
}
