//! The worked example of reference §3.3–3.5 (observed on nginx 1.22.1) and the
//! seed examples of `testdata/paths`.

use super::*;
use crate::input::SourceFile;
use crate::verify::request::{Outcome, Probe, Scheme};

const WORKED: &str = include_str!("../../../testdata/verify/worked-example/input.yaml");

fn model(yaml: &str) -> NginxModel {
    let f = SourceFile {
        name: "test.yaml".into(),
        text: yaml.into(),
    };
    let loaded = crate::pipeline::load(&[f]);
    NginxModel::build(&loaded.input, &TranslateOptions::default())
}

fn svc(name: &str, port: &str) -> ServiceTarget {
    ServiceTarget {
        namespace: "default".into(),
        name: name.into(),
        port: port.into(),
    }
}

fn get(m: &NginxModel, scheme: Scheme, host: &str, target: &str) -> Outcome {
    m.handle(&Probe::get(scheme, host, target)).outcome
}

fn backend(name: &str, port: &str, uri: &str) -> Outcome {
    Outcome::Backend {
        service: svc(name, port),
        uri: uri.into(),
        headers: Default::default(),
    }
}

fn redirect(status: u16, location: &str) -> Outcome {
    Outcome::Redirect {
        status,
        location: location.into(),
    }
}

const SHOP: &str = "shop.example.com";
const LEGACY: &str = "legacy.example.com";

#[test]
fn worked_example_shop_host() {
    let m = model(WORKED);
    let https = |t| get(&m, Scheme::Https, SHOP, t);
    assert_eq!(
        https("/static/css/a.css"),
        backend("static", "80", "/css/a.css")
    );
    assert_eq!(https("/STATIC/x?y=1"), backend("static", "80", "/x?y=1"));
    assert_eq!(https("/static"), backend("static", "80", "/"));
    assert_eq!(https("/staticfoo"), backend("web", "80", "/staticfoo"));
    assert_eq!(
        https("/healthz/extra"),
        backend("web", "80", "/healthz/extra")
    );
    assert_eq!(https("/HEALTHZ"), backend("web", "80", "/HEALTHZ"));
    assert_eq!(https("/apiary"), backend("api", "8080", "/apiary"));
    assert_eq!(https("/static/a%2Fb"), backend("static", "80", "/a/b"));
    assert_eq!(
        https("/static/a%20b?q=%2F"),
        backend("static", "80", "/a%20b?q=%2F")
    );
    let http = |t| get(&m, Scheme::Http, SHOP, t);
    assert_eq!(http("/api/"), redirect(308, "https://shop.example.com/api"));
    assert_eq!(
        http("/api/?q=1"),
        redirect(308, "https://shop.example.com/api/?q=1")
    );
    assert_eq!(http("/"), redirect(308, "https://shop.example.com"));
    assert_eq!(http("/x/"), redirect(308, "https://shop.example.com/x"));
    let h = m.handle(&Probe::get(Scheme::Https, SHOP, "/apiary"));
    assert_eq!(h.location.as_deref(), Some("location ~* \"^/api\""));
    assert_eq!(h.ingress.map(|o| o.name).as_deref(), Some("app-main"));
}

#[test]
fn worked_example_legacy_host() {
    let m = model(WORKED);
    let http = |t| get(&m, Scheme::Http, LEGACY, t);
    assert_eq!(http("/"), redirect(302, "http://legacy.example.com/portal"));
    assert_eq!(
        http("/?a=1"),
        redirect(302, "http://legacy.example.com/portal")
    );
    assert_eq!(http("/portal"), backend("portal", "80", "/portal"));
    assert_eq!(http("/portal/x"), backend("portal", "80", "/portal/x"));
    assert_eq!(http("/portalx"), Outcome::DefaultBackend);
    assert_eq!(http("/Portal"), Outcome::DefaultBackend);
    assert_eq!(
        http("/files"),
        redirect(301, "http://legacy.example.com/files/")
    );
    assert_eq!(
        http("/files?a=1"),
        redirect(301, "http://legacy.example.com/files/?a=1")
    );
    assert_eq!(http("/files/a"), backend("files", "80", "/files/a"));
    assert_eq!(http("/v1/status"), backend("legacy", "80", "/v1/status"));
    assert_eq!(http("/v1/status/"), Outcome::DefaultBackend);
    assert_eq!(http("//portal//x"), backend("portal", "80", "//portal//x"));
    assert_eq!(
        http("/a/../portal/x"),
        backend("portal", "80", "/a/../portal/x")
    );
    assert_eq!(http("/%70ortal/x"), backend("portal", "80", "/%70ortal/x"));
    assert_eq!(http("/../x"), Outcome::Status { status: 400 });
    // app-root keeps the scheme (it runs before ssl-redirect).
    assert_eq!(
        get(&m, Scheme::Https, LEGACY, "/"),
        redirect(302, "https://legacy.example.com/portal")
    );
}

#[test]
fn worked_example_unknown_host() {
    let m = model(WORKED);
    let http = |t| get(&m, Scheme::Http, "unknown.example.org", t);
    assert_eq!(http("/anything"), Outcome::DefaultBackend);
    assert_eq!(http("/healthzfoo"), Outcome::Status { status: 200 });
    assert_eq!(m.hosts(), vec![LEGACY.to_string(), SHOP.to_string()]);
}

#[test]
fn seed_regex_two_ingresses_exact_becomes_prefix_regex() {
    let m = model(include_str!(
        "../../../testdata/paths/seed-regex-two-ingresses/input.yaml"
    ));
    let http = |t| get(&m, Scheme::Http, "regex-match.example.com", t);
    let httpbin = |uri: &str| Outcome::Backend {
        service: svc("httpbin", "8000"),
        uri: uri.into(),
        headers: Default::default(),
    };
    assert_eq!(http("/headers"), httpbin("/headers"));
    assert_eq!(http("/Header"), httpbin("/Header"));
    assert_eq!(http("/uuid"), httpbin("/uuid"));
    assert_eq!(http("/12"), Outcome::DefaultBackend);
}

#[test]
fn seed_regex_match_is_prefix_and_caseless() {
    let m = model(include_str!(
        "../../../testdata/paths/seed-regex-match/input.yaml"
    ));
    let http = |t| get(&m, Scheme::Http, "regex-match.example.com", t);
    assert!(matches!(http("/uuid"), Outcome::Backend { .. }));
    assert!(matches!(http("/ABCdef"), Outcome::Backend { .. }));
    assert_eq!(http("/ab"), Outcome::DefaultBackend);
}

#[test]
fn seed_trailing_slash_and_normalisation() {
    let m = model(include_str!(
        "../../../testdata/paths/seed-trailing-slash/input.yaml"
    ));
    let hosts = m.hosts();
    assert_eq!(hosts.len(), 1, "{hosts:?}");
    let h = &hosts[0];
    let out = get(&m, Scheme::Http, h, "/my-path");
    assert_eq!(out, redirect(301, &format!("http://{h}/my-path/")));
    let m = model(include_str!(
        "../../../testdata/paths/seed-path-normalization/input.yaml"
    ));
    let host = "path-normalization.example.com";
    for t in ["/uuid", "/ip/abc/../../uuid", "////uuid"] {
        let o = get(&m, Scheme::Http, host, t);
        assert!(
            matches!(&o, Outcome::Backend { uri, .. } if uri == t),
            "{t}: {o:?}"
        );
    }
}

#[test]
fn seed_rewrite_target_replaces_whole_uri() {
    let m = model(include_str!(
        "../../../testdata/paths/prefix-strip-rewrite/input.yaml"
    ));
    let o = get(
        &m,
        Scheme::Http,
        "rewrite.example.com",
        "/something/new?x=1",
    );
    let Outcome::Backend { uri, headers, .. } = o else {
        panic!("{o:?}")
    };
    assert_eq!(uri, "/new?x=1");
    assert_eq!(
        headers.get("x-forwarded-prefix").map(String::as_str),
        Some("/something")
    );
}

#[test]
fn unmodelled_annotations_are_not_guessed() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: auth
  annotations:
    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
spec:
  ingressClassName: nginx
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"#;
    let m = model(yaml);
    assert!(matches!(
        get(&m, Scheme::Http, "a.example.com", "/x"),
        Outcome::NotModelled { .. }
    ));
}

#[test]
fn canary_by_header_and_cookie() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: main, creationTimestamp: "2025-01-01T00:00:00Z"}
spec:
  ingressClassName: nginx
  rules:
  - host: c.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: canary
  creationTimestamp: "2025-01-02T00:00:00Z"
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-by-header: X-Canary
    nginx.ingress.kubernetes.io/canary-by-cookie: beta
    nginx.ingress.kubernetes.io/canary-weight: "30"
spec:
  ingressClassName: nginx
  rules:
  - host: c.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web-v2, port: {number: 80}}}}
"#;
    let m = model(yaml);
    let with = |k: &str, v: &str| {
        let mut p = Probe::get(Scheme::Http, "c.example.com", "/x");
        p.headers.insert(k.into(), v.into());
        m.handle(&p).outcome
    };
    assert_eq!(with("x-canary", "always"), backend("web-v2", "80", "/x"));
    assert_eq!(with("x-canary", "never"), backend("web", "80", "/x"));
    assert_eq!(with("cookie", "beta=always"), backend("web-v2", "80", "/x"));
    assert!(matches!(
        with("x-canary", "maybe"),
        Outcome::NotModelled { .. }
    ));
}
