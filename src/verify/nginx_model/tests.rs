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
    assert_eq!(
        h.ingress.as_ref().map(|o| o.name.as_str()),
        Some("app-main")
    );
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

/// The access phase: the probe client 127.0.0.1 is outside the allow-list
/// (403); basic auth without credentials answers 401.
#[test]
fn allow_lists_and_basic_auth_decide() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: listed
  annotations:
    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
spec:
  ingressClassName: nginx
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: basic
  annotations:
    nginx.ingress.kubernetes.io/auth-type: basic
    nginx.ingress.kubernetes.io/auth-secret: htpasswd
spec:
  ingressClassName: nginx
  rules:
  - host: b.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"#;
    let m = model(yaml);
    assert_eq!(
        get(&m, Scheme::Http, "a.example.com", "/x"),
        Outcome::Status { status: 403 }
    );
    assert_eq!(
        get(&m, Scheme::Http, "b.example.com", "/x"),
        Outcome::Status { status: 401 }
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
    nginx.ingress.kubernetes.io/limit-rps: "5"
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

/// A host with a primary Ingress and a canary by header, cookie and weight.
const CANARY_PAIR: &str = r#"
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

#[test]
fn canary_by_header_and_cookie() {
    let yaml = CANARY_PAIR;
    let m = model(yaml);
    let with = |k: &str, v: &str| {
        let mut p = Probe::get(Scheme::Http, "c.example.com", "/x");
        p.headers.insert(k.into(), v.into());
        m.handle(&p).outcome
    };
    assert_eq!(with("x-canary", "always"), backend("web-v2", "80", "/x"));
    assert_eq!(with("x-canary", "never"), backend("web", "80", "/x"));
    assert_eq!(with("cookie", "beta=always"), backend("web-v2", "80", "/x"));
    // Neither header nor cookie decides: 30 of 100 requests go to the canary.
    let Outcome::Split { shares, .. } = with("x-canary", "maybe") else {
        panic!("a weighted split expected");
    };
    let weights: Vec<(&str, u64)> = shares
        .iter()
        .map(|s| (s.service.name.as_str(), s.weight))
        .collect();
    assert_eq!(weights, [("web", 70), ("web-v2", 30)]);
}

fn with_header(m: &NginxModel, host: &str, target: &str, k: &str, v: &str) -> Outcome {
    let mut p = Probe::get(Scheme::Https, host, target);
    p.headers.insert(k.into(), v.into());
    m.handle(&p).outcome
}

fn in_ns(ns: &str, name: &str, port: &str, uri: &str) -> Outcome {
    Outcome::Backend {
        service: ServiceTarget {
            namespace: ns.into(),
            name: name.into(),
            port: port.into(),
        },
        uri: uri.into(),
        headers: Default::default(),
    }
}

#[test]
fn canary_case_decisions() {
    let m = model(include_str!("../../../testdata/verify/canary/input.yaml"));
    let shop = |n: &str, p: &str, u: &str| in_ns("shop", n, p, u);
    let c = "canary.example.com";
    assert_eq!(
        with_header(&m, c, "/api", "x-canary", "always"),
        shop("api-v2", "8080", "/api")
    );
    assert_eq!(
        with_header(&m, c, "/api", "x-canary", "never"),
        shop("api", "8080", "/api")
    );
    assert_eq!(
        get(&m, Scheme::Https, c, "/api"),
        shop("api", "8080", "/api")
    );
    // The alternative belongs to the upstream: /v2 uses the same Service port.
    assert_eq!(
        with_header(&m, c, "/v2", "x-canary", "always"),
        shop("api-v2", "8080", "/v2")
    );
    assert_eq!(
        with_header(&m, c, "/", "x-canary", "always"),
        shop("web", "80", "/")
    );
    let v = "value.example.com";
    assert_eq!(
        with_header(&m, v, "/", "x-env", "staging"),
        shop("shop-next", "80", "/")
    );
    assert_eq!(
        with_header(&m, v, "/", "x-env", "always"),
        shop("shop", "80", "/")
    );
    assert_eq!(
        with_header(&m, v, "/", "cookie", "shop_beta=always"),
        shop("shop-next", "80", "/")
    );
    let p = "pattern.example.com";
    assert_eq!(
        with_header(&m, p, "/", "x-region", "eu-west"),
        shop("search-next", "80", "/")
    );
    assert_eq!(
        with_header(&m, p, "/", "x-region", "asia"),
        shop("search", "80", "/")
    );
    let k = "cookie.example.com";
    assert_eq!(get(&m, Scheme::Https, k, "/"), shop("cart-next", "80", "/"));
    assert_eq!(
        with_header(&m, k, "/", "cookie", "cart_canary=never"),
        shop("cart", "80", "/")
    );
    assert_eq!(
        get(&m, Scheme::Https, k, "/off"),
        shop("cart-off", "80", "/off")
    );
    assert_eq!(
        with_header(&m, k, "/off", "cookie", "off_canary=always"),
        shop("cart-off-next", "80", "/off")
    );
}

#[test]
fn redirects_case() {
    let m = model(include_str!(
        "../../../testdata/verify/redirects/input.yaml"
    ));
    let landing = redirect(308, "https://new.example.com/landing");
    assert_eq!(
        get(&m, Scheme::Http, "old.example.com", "/docs/x?a=1"),
        landing
    );
    // The owner's implicit `/` carries its redirect (kubernetes/ingress-nginx#9435).
    assert_eq!(get(&m, Scheme::Http, "old.example.com", "/other"), landing);
    let rel = "rel.example.com";
    assert_eq!(
        get(&m, Scheme::Https, rel, "/gone"),
        redirect(301, "https://rel.example.com/elsewhere")
    );
    assert_eq!(
        get(&m, Scheme::Http, rel, "/busy/x"),
        redirect(307, "http://maintenance.example.com/")
    );
    assert_eq!(
        get(&m, Scheme::Http, rel, "/busy"),
        redirect(301, "http://rel.example.com/busy/")
    );
    assert_eq!(
        get(&m, Scheme::Http, "forced.example.com", "/app/x/"),
        redirect(308, "https://forced.example.com/app/x/")
    );
    let w = "x.tls.example.com";
    assert_eq!(
        get(&m, Scheme::Http, w, "/a/"),
        redirect(308, "https://x.tls.example.com/a")
    );
    assert_eq!(
        get(&m, Scheme::Http, w, "/.well-known/acme-challenge/tok"),
        in_ns("web", "acme", "8089", "/.well-known/acme-challenge/tok")
    );
    assert_eq!(
        get(&m, Scheme::Http, "a.b.tls.example.com", "/a/"),
        Outcome::DefaultBackend
    );
    assert_eq!(
        get(&m, Scheme::Http, "plain.example.com", "/"),
        in_ns("web", "site", "80", "/")
    );
}

#[test]
fn hosts_case() {
    let m = model(include_str!("../../../testdata/verify/hosts/input.yaml"));
    let edge = |n: &str, p: &str, u: &str| in_ns("edge", n, p, u);
    let u = crate::verify::probes::UNKNOWN_HOST;
    assert_eq!(
        get(&m, Scheme::Http, u, "/shared/x"),
        edge("shared", "80", "/shared/x")
    );
    assert_eq!(
        get(&m, Scheme::Http, u, "/anything"),
        edge("fallback", "80", "/anything")
    );
    assert_eq!(
        get(&m, Scheme::Http, u, "/exact"),
        redirect(301, &format!("http://{u}/exact/"))
    );
    let one = "one.apps.example.com";
    assert_eq!(
        get(&m, Scheme::Http, one, "/status"),
        redirect(301, "http://one.apps.example.com/status/")
    );
    assert_eq!(
        get(&m, Scheme::Http, one, "/status/x"),
        edge("one", "80", "/status/x")
    );
    assert_eq!(
        get(&m, Scheme::Http, one, "/x"),
        edge("later-root", "80", "/x")
    );
    assert_eq!(
        get(&m, Scheme::Http, one, "/shared"),
        edge("later-root", "80", "/shared")
    );
    assert_eq!(
        get(&m, Scheme::Http, one, "/v1.0/a"),
        edge("versioned", "http", "/v1.0/a")
    );
    let x = "x.apps.example.com";
    assert_eq!(
        get(&m, Scheme::Http, x, "/status"),
        edge("wild", "80", "/status")
    );
    assert_eq!(
        get(&m, Scheme::Http, x, "/status/x"),
        edge("wild-status", "80", "/status/x")
    );
    assert_eq!(
        get(&m, Scheme::Http, x, "/x"),
        edge("wild-root", "80", "/x")
    );
    assert_eq!(
        get(&m, Scheme::Http, "a.b.apps.example.com", "/x"),
        edge("fallback", "80", "/x")
    );
}

#[test]
fn duplicate_location_is_rejected() {
    let m = model(include_str!(
        "../../../testdata/verify/duplicate-location/input.yaml"
    ));
    assert!(m.rejected().is_some());
    assert!(matches!(
        get(&m, Scheme::Http, "dup.example.com", "/foo"),
        Outcome::NotModelled { .. }
    ));
}

#[test]
fn same_type_duplicate_after_other_type_slips_through() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, creationTimestamp: "2025-01-01T00:00:00Z"}
spec:
  ingressClassName: nginx
  rules:
  - host: d.example.com
    http:
      paths:
      - {path: /foo, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
      - {path: /foo, pathType: Exact, backend: {service: {name: b, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: b, creationTimestamp: "2025-01-02T00:00:00Z"}
spec:
  ingressClassName: nginx
  rules:
  - host: d.example.com
    http:
      paths:
      - {path: /foo, pathType: Prefix, backend: {service: {name: c, port: {number: 80}}}}
      - {path: /foo, pathType: Exact, backend: {service: {name: d, port: {number: 80}}}}
"#;
    let m = model(yaml);
    // b's Prefix /foo is dropped (first same-path location is a's Prefix), but its
    // Exact /foo is added after a's Prefix: two `location = "/foo"`.
    assert!(m.rejected().is_some(), "expected a duplicate location");
}

#[test]
fn worked_example_ports_and_extra_checks() {
    let m = model(WORKED);
    // The port of the Host header is dropped from both kinds of redirect.
    assert_eq!(
        get(&m, Scheme::Http, "shop.example.com:18080", "/x/"),
        redirect(308, "https://shop.example.com/x")
    );
    assert_eq!(
        get(&m, Scheme::Http, "legacy.example.com:18080", "/files"),
        redirect(301, "http://legacy.example.com/files/")
    );
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: extra
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /new
spec:
  ingressClassName: nginx
  rules:
  - host: extra.example.com
    http:
      paths:
      - {path: /x, pathType: Prefix, backend: {service: {name: x, port: {number: 80}}}}
      - {path: /my-path/, pathType: Exact, backend: {service: {name: p, port: {number: 80}}}}
      - {path: /foo, pathType: Prefix, backend: {service: {name: f, port: {number: 80}}}}
      - {path: /foo/, pathType: Prefix, backend: {service: {name: f, port: {number: 80}}}}
"#;
    let m = model(yaml);
    // Regex mode: two identical `~* "^/foo/"` are accepted; no auto-redirect.
    assert_eq!(m.rejected(), None);
    let http = |t| get(&m, Scheme::Http, "extra.example.com", t);
    assert_eq!(http("/my-path"), Outcome::DefaultBackend);
    let x = |u: &str| Outcome::Backend {
        service: svc("x", "80"),
        uri: u.into(),
        headers: Default::default(),
    };
    assert_eq!(http("/xyz/anything?k=v"), x("/new?k=v"));
}

#[test]
fn snippet_drops_the_ingress_at_the_default_risk_level() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: snippet
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: "more_set_headers 'X: y';"
spec:
  ingressClassName: nginx
  rules:
  - host: s.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"#;
    let m = model(yaml);
    assert!(
        m.hosts().is_empty(),
        "the Ingress is ignored: {:?}",
        m.hosts()
    );
    assert_eq!(
        get(&m, Scheme::Http, "s.example.com", "/"),
        Outcome::DefaultBackend
    );
}

#[test]
fn invalid_redirect_drops_the_ingress_and_invalid_rewrite_falls_back() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bad-redirect
  annotations:
    nginx.ingress.kubernetes.io/permanent-redirect: "https://x.example.com/$request_uri"
spec:
  ingressClassName: nginx
  rules:
  - host: r.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bad-rewrite
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: "/a b"
spec:
  ingressClassName: nginx
  rules:
  - host: w.example.com
    http:
      paths:
      - {path: /x, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"#;
    let m = model(yaml);
    assert_eq!(m.hosts(), vec!["w.example.com".to_string()]);
    // No rewrite, no regex mode: plain Prefix semantics, raw URI upstream.
    assert_eq!(
        get(&m, Scheme::Http, "w.example.com", "/x/y"),
        backend("web", "80", "/x/y")
    );
    assert_eq!(
        get(&m, Scheme::Http, "w.example.com", "/xy"),
        Outcome::DefaultBackend
    );
}

#[test]
fn denied_locations_answer_503() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: denied
  annotations:
    nginx.ingress.kubernetes.io/whitelist-source-range: "not-a-cidr"
spec:
  ingressClassName: nginx
  rules:
  - host: d.example.com
    http:
      paths:
      - {path: /app/, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"#;
    let m = model(yaml);
    let http = |t| get(&m, Scheme::Http, "d.example.com", t);
    assert_eq!(http("/app/x"), Outcome::Status { status: 503 });
    // The implicit `/` carries the owner's annotations, so it is denied too.
    assert_eq!(http("/other"), Outcome::Status { status: 503 });
    // nginx's auto-redirect still comes first.
    assert_eq!(http("/app"), redirect(301, "http://d.example.com/app/"));
}

#[test]
fn regex_mode_case() {
    let m = model(include_str!(
        "../../../testdata/verify/regex-mode/input.yaml"
    ));
    let re = |n: &str, p: &str, u: &str| in_ns("re", n, p, u);
    let h = "re.example.com";
    let http = |t| get(&m, Scheme::Https, h, t);
    assert_eq!(http("/users/42"), re("users", "80", "/users/42"));
    assert_eq!(http("/users/42/x"), Outcome::DefaultBackend);
    assert_eq!(
        http("/FILES/a/raw/more"),
        re("files", "80", "/FILES/a/raw/more")
    );
    assert_eq!(http("/help/x"), re("docs", "80", "/help/x"));
    // Exact /same (first Ingress) and Prefix /same share the path: no exact copy;
    // `^/same` comes first and takes /same/x too.
    assert_eq!(http("/same/x"), re("same-exact", "80", "/same/x"));
    assert_eq!(http("/v1x0/a"), re("v1", "80", "/v1x0/a"));
    let w = "a.re.example.com";
    let o = get(&m, Scheme::Https, w, "/PUB/abc/rest?q=1");
    let Outcome::Backend { uri, headers, .. } = o else {
        panic!("{o:?}")
    };
    assert_eq!(uri, "/internal/abc/rest?q=1");
    assert_eq!(
        headers.get("x-forwarded-prefix").map(String::as_str),
        Some("/pub")
    );
}

#[test]
fn dollar_zero_in_rewrite_target_is_rejected_by_nginx() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: zero
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /x/$0
spec:
  ingressClassName: nginx
  rules:
  - host: z.example.com
    http:
      paths:
      - {path: /a, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
"#;
    assert!(model(yaml).rejected().is_some());
}

/// auth-url: the authorization Service decides first (symbolic), with the
/// sign-in redirect for denied requests; then the location's backend.
#[test]
fn external_auth_is_a_symbolic_decision() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ext
  annotations:
    nginx.ingress.kubernetes.io/auth-url: http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth
    nginx.ingress.kubernetes.io/auth-signin: https://login.example.com/start
spec:
  ingressClassName: nginx
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"#;
    let m = model(yaml);
    assert_eq!(
        get(&m, Scheme::Http, "a.example.com", "/x"),
        Outcome::ExternalAuth {
            service: "auth/oauth2-proxy:4180".into(),
            signin: Some("https://login.example.com/start".into()),
            then: Box::new(backend("web", "80", "/x")),
        }
    );
}

#[test]
fn mirror_target_names_the_service_or_the_url_host() {
    use super::annotations::mirror_destination;
    assert_eq!(
        mirror_destination(
            "http://shadow.testing.svc.cluster.local:8080$request_uri",
            "web"
        )
        .as_deref(),
        Some("testing/shadow:8080")
    );
    assert_eq!(
        mirror_destination("https://shadow$request_uri", "web").as_deref(),
        Some("web/shadow:443")
    );
    assert_eq!(
        mirror_destination("https://copy.example.com$request_uri", "web").as_deref(),
        Some("copy.example.com:443")
    );
    // `$host` in the host: the request's own host, replaced per probe.
    assert_eq!(
        mirror_destination("http://$host/x", "web").as_deref(),
        Some("$host:80")
    );
    assert_eq!(
        mirror_destination("http://$host:8080$request_uri", "web").as_deref(),
        Some("$host:8080")
    );
    // Other variables (or `$host` elsewhere) are not modelled.
    assert_eq!(mirror_destination("http://$host$uri", "web"), None);
    assert_eq!(mirror_destination("http://shadow/$host", "web"), None);
    assert_eq!(mirror_destination("http://shadow/$1", "web"), None);
}

/// `proxy-body-size` → `client_max_body_size`: 413 above the limit of the
/// selected location, checked before its trailing-slash 301 and redirects.
#[test]
fn body_size_limits_answer_413_per_location() {
    let yaml = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
data: {proxy-body-size: "3k"}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: up
  namespace: default
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: "2K"
    nginx.ingress.kubernetes.io/permanent-redirect: "https://elsewhere.example/"
spec:
  ingressClassName: nginx
  rules:
  - host: b.example
    http:
      paths:
      - {path: /up/, pathType: Prefix, backend: {service: {name: up, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: plain, namespace: default}
spec:
  ingressClassName: nginx
  rules:
  - host: c.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: plain, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: free
  namespace: default
  annotations: {nginx.ingress.kubernetes.io/proxy-body-size: "0"}
spec:
  ingressClassName: nginx
  rules:
  - host: d.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: free, port: {number: 80}}}}
"#;
    let f = SourceFile {
        name: "test.yaml".into(),
        text: yaml.into(),
    };
    let loaded = crate::pipeline::load(&[f]);
    let options = TranslateOptions {
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..TranslateOptions::default()
    };
    let m = NginxModel::build(&loaded.input, &options);
    let with = |host: &str, target: &str, len: u64| {
        m.handle(&Probe::get(Scheme::Http, host, target).with_body(len))
            .outcome
    };
    let too_large = Outcome::Status { status: 413 };
    // The annotation (2K): the permanent redirect answers within the limit,
    // 413 above it; the trailing-slash 301 of `/up` comes after the check too.
    assert_eq!(
        with("b.example", "/up/x", 2048),
        redirect(301, "https://elsewhere.example/")
    );
    assert_eq!(with("b.example", "/up/x", 2049), too_large);
    assert_eq!(with("b.example", "/up", 2049), too_large);
    assert_eq!(
        with("b.example", "/up", 2048),
        redirect(301, "http://b.example/up/")
    );
    // The ConfigMap value (3k) where no annotation is set.
    assert_eq!(with("c.example", "/", 3072), backend("plain", "80", "/"));
    assert_eq!(with("c.example", "/", 3073), too_large);
    // `0`: unlimited. No body: never refused.
    assert_eq!(
        with("d.example", "/", u64::MAX / 2),
        backend("free", "80", "/")
    );
    assert_eq!(
        get(&m, Scheme::Http, "c.example", "/"),
        backend("plain", "80", "/")
    );
    // Without a ConfigMap value, the default 1m.
    let default = model(WORKED);
    let at = |len| {
        default
            .handle(&Probe::get(Scheme::Https, SHOP, "/static/x").with_body(len))
            .outcome
    };
    assert_eq!(at(1 << 20), backend("static", "80", "/x"));
    assert_eq!(at((1 << 20) + 1), too_large);
}

/// A host with more locations than `PARALLEL_LOCATIONS` compiles them on
/// every core: each location keeps its own regex and rewrite, in order.
#[test]
fn a_large_regex_host_selects_and_rewrites_as_a_small_one() {
    let paths: String = (0..100)
        .map(|i| {
            format!(
                "      - {{path: /p{i}/(.*), pathType: ImplementationSpecific, backend: {{service: {{name: s{i}, port: {{number: 80}}}}}}}}\n"
            )
        })
        .collect();
    let m = model(&format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: big
  annotations:
    nginx.ingress.kubernetes.io/use-regex: \"true\"
    nginx.ingress.kubernetes.io/rewrite-target: /x/$1
spec:
  ingressClassName: nginx
  rules:
  - host: big.example.com
    http:
      paths:
{paths}"
    ));
    for i in [0, 7, 63, 64, 99] {
        assert_eq!(
            get(&m, Scheme::Http, "big.example.com", &format!("/P{i}/Tail")),
            backend(&format!("s{i}"), "80", "/x/Tail"),
            "/p{i}/"
        );
    }
}

/// `getBackendServers`'s scan for a same-path location finds the root first once
/// an Ingress configures it, even after an older `Exact /` was added: a later
/// `Exact /` is then added too, and nginx rejects the two `location = /`.
/// Without the root configured, the later one is "already configured".
#[test]
fn the_configured_root_is_the_first_same_path_location() {
    let ingress = |name: &str, day: u8, ty: &str| {
        format!(
            r#"---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: {name}, creationTimestamp: "2025-01-0{day}T00:00:00Z"}}
spec:
  ingressClassName: nginx
  rules:
  - host: r.example.com
    http:
      paths:
      - {{path: /, pathType: {ty}, backend: {{service: {{name: {name}, port: {{number: 80}}}}}}}}
"#
        )
    };
    let (a, b, c) = (
        ingress("a", 1, "Exact"),
        ingress("b", 2, "Prefix"),
        ingress("c", 3, "Exact"),
    );
    assert!(model(&format!("{a}{b}{c}")).rejected().is_some());
    assert_eq!(model(&format!("{a}{c}")).rejected(), None);
}

/// A canary whose Service port is also a primary backend, on any host, is not
/// modelled (ingress-nginx #8004/#9458): the upstreams are shared. A canary on
/// a Service no location uses is.
#[test]
fn a_canary_on_another_host_s_primary_backend_is_not_modelled() {
    let estate = |other_backend: &str| {
        format!(
            r#"{CANARY_PAIR}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: other, creationTimestamp: "2025-01-01T00:00:00Z"}}
spec:
  ingressClassName: nginx
  rules:
  - host: o.example.com
    http:
      paths:
      - {{path: /, pathType: Prefix, backend: {{service: {{name: {other_backend}, port: {{number: 80}}}}}}}}
"#
        )
    };
    let canary =
        |yaml: &str| with_header(&model(yaml), "c.example.com", "/x", "x-canary", "always");
    assert!(
        matches!(canary(&estate("web-v2")), Outcome::NotModelled { .. }),
        "{:?}",
        canary(&estate("web-v2"))
    );
    assert!(matches!(canary(&estate("api")), Outcome::Backend { .. }));
}
