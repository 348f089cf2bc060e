//! Cluster mode polish, through the stand-in API server: KUBECONFIG lists,
//! 5xx on optional resources, User-Agent, exec credential plugins, `-v`
//! request logging and severity words in logs.

#[path = "support/fake_apiserver.rs"]
mod fake_apiserver;

use fake_apiserver::{FakeApiServer, Fixture};
use std::ffi::OsString;
use std::process::Output;

const CLUSTER: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: team-a}
spec:
  ingressClassName: nginx
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec: {ports: [{name: http, port: 80}]}
"#;

fn run(kubeconfig_env: impl Into<OsString>, home: &std::path::Path, args: &[&str]) -> Output {
    fake_apiserver::ing2gw_with(kubeconfig_env.into(), home, args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn missing_files_in_a_kubeconfig_list_are_skipped_like_kubectl() {
    let (_server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let dir = kubeconfig.parent().expect("folder");
    let missing = dir.join("missing.yaml");
    let list = std::env::join_paths([&missing, &kubeconfig]).expect("joinable");
    let out = run(&list, dir, &["print", "-n", "team-a", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Nothing usable: the error names KUBECONFIG's files, and does not tell
    // the user to set a variable that is set.
    let list = std::env::join_paths([&missing, &dir.join("also-missing.yaml")]).expect("joinable");
    let out = run(&list, dir, &["print", "-n", "team-a"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("missing.yaml"), "{err}");
    assert!(!err.contains("set KUBECONFIG"), "{err}");
}

#[test]
fn every_request_says_who_is_reading_and_v_logs_them() {
    let (server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let dir = kubeconfig.parent().expect("folder");
    let out = run(
        &kubeconfig,
        dir,
        &["print", "-n", "team-a", "-v", "-o", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let requests = server.requests();
    assert!(!requests.is_empty());
    let expected = format!("ing2gw/{}", env!("CARGO_PKG_VERSION"));
    for r in &requests {
        assert_eq!(r.user_agent.as_deref(), Some(expected.as_str()), "{r:?}");
    }
    let err = stderr(&out);
    let line = format!(
        "ing2gw: GET {}/apis/networking.k8s.io/v1/namespaces/team-a/ingresses?&limit=500 200 OK in ",
        server.url()
    );
    let logged = err
        .lines()
        .filter(|l| l.starts_with("ing2gw: GET "))
        .count();
    assert!(
        err.contains(&line) || err.contains(&line.replace("?&", "?")),
        "{err}"
    );
    assert_eq!(logged, requests.len(), "one line per request: {err}");
}

#[test]
fn server_errors_on_optional_resources_are_warnings() {
    let (_server, kubeconfig) = FakeApiServer::start(
        Fixture::new()
            .manifests(CLUSTER)
            .fail_times("/api/v1/namespaces/team-a/services", 503, 100)
            .fail_times("/apis/networking.k8s.io/v1/ingressclasses", 500, 100),
    );
    let dir = kubeconfig.parent().expect("folder");
    let out = run(
        &kubeconfig,
        dir,
        &["print", "-n", "team-a", "-o", "json", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("could not list Services in namespace team-a"),
        "{err}"
    );
    assert!(err.contains("cannot list IngressClasses"), "{err}");
    // Severities are words in a log (stderr is not a terminal here).
    assert!(err.contains("cluster-read (warning)"), "{err}");
}

#[test]
fn a_missing_exec_credential_plugin_is_named() {
    let (server, kubeconfig) = FakeApiServer::start(Fixture::new().manifests(CLUSTER));
    let dir = kubeconfig.parent().expect("folder");
    let text = std::fs::read_to_string(&kubeconfig).expect("kubeconfig");
    let token_user = text
        .lines()
        .find(|l| l.trim_start().starts_with("token:"))
        .expect("a token user")
        .to_string();
    let exec = text.replacen(
        &token_user,
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ing2gw-test-no-such-plugin\n      interactiveMode: Never",
        1,
    );
    let path = dir.join("exec.yaml");
    std::fs::write(&path, exec).expect("write");
    let out = run(&path, dir, &["print", "-n", "team-a"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("ing2gw-test-no-such-plugin"), "{err}");
    assert!(err.contains("exec credential plugin"), "{err}");
    drop(server);
}
