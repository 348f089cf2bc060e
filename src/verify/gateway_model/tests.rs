use super::*;
use crate::gwapi::decode_gateway_objects;
use crate::input::SourceFile;
use crate::report::Report;
use crate::verify::request::Scheme;
use crate::verify::request::ServiceTarget;
use std::collections::BTreeMap;
use std::sync::Arc;

const GATEWAY: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: x
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - {name: https-a, hostname: a.example.com, port: 443, protocol: HTTPS, tls: {mode: Terminate}, allowedRoutes: {namespaces: {from: All}}}
";

fn model(routes: &str) -> GatewayModel {
    let text = format!("{GATEWAY}---\n{routes}");
    let mut report = Report::default();
    let d = decode_gateway_objects(
        &[SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(text),
        }],
        &mut report,
    );
    assert_eq!(d.errors, 0, "{:?}", report.finish());
    GatewayModel::build(&d.objects)
}

fn get(m: &GatewayModel, host: &str, target: &str) -> GwHandled {
    m.handle(&Probe::get(Scheme::Http, host, target))
}

fn backend(name: &str, uri: &str) -> Outcome {
    Outcome::Backend {
        service: ServiceTarget {
            namespace: "default".into(),
            name: name.into(),
            port: "80".into(),
        },
        uri: uri.into(),
        headers: BTreeMap::new(),
    }
}

fn route(name: &str, hostnames: &str, rules: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: {name}}}\nspec:\n  parentRefs: [{{name: gw, namespace: infra, sectionName: http}}]\n  hostnames: {hostnames}\n  rules:\n{rules}"
    )
}

#[test]
fn exact_beats_prefix_and_longest_prefix_wins_across_routes() {
    let m = model(&format!(
        "{}---\n{}",
        route(
            "a",
            "[a.example.com]",
            "  - matches: [{path: {type: PathPrefix, value: /}}]\n    backendRefs: [{name: root, port: 80}]\n  - matches: [{path: {type: Exact, value: /x}}]\n    backendRefs: [{name: exact, port: 80}]\n"
        ),
        route(
            "b",
            "[a.example.com]",
            "  - matches: [{path: {type: PathPrefix, value: /x/}}]\n    backendRefs: [{name: long, port: 80}]\n"
        )
    ));
    assert_eq!(
        get(&m, "a.example.com", "/x").outcome,
        backend("exact", "/x")
    );
    assert_eq!(
        get(&m, "a.example.com", "/x/y?q=1").outcome,
        backend("long", "/x/y?q=1")
    );
    assert_eq!(
        get(&m, "a.example.com", "/xy").outcome,
        backend("root", "/xy")
    );
    let h = get(&m, "a.example.com", "/x/y");
    assert_eq!(
        h.route,
        Some(("default".into(), "b".into(), "rules[0]".into()))
    );
    // Unknown host: the listener without hostname accepts it, no route → 404.
    assert_eq!(
        get(&m, "other.example.com", "/").outcome,
        Outcome::Status { status: 404 }
    );
}

#[test]
fn wildcard_route_matches_several_labels_and_exact_hostname_wins() {
    let m = model(&format!(
        "{}---\n{}",
        route(
            "wild",
            "['*.example.com']",
            "  - backendRefs: [{name: wild, port: 80}]\n"
        ),
        route(
            "exact",
            "[a.example.com]",
            "  - matches: [{path: {type: Exact, value: /only}}]\n    backendRefs: [{name: exact, port: 80}]\n"
        )
    ));
    assert_eq!(
        get(&m, "x.y.example.com", "/").outcome,
        backend("wild", "/")
    );
    // The exact-hostname route takes the host entirely: no fallback to the wildcard.
    assert_eq!(
        get(&m, "a.example.com", "/only").outcome,
        backend("exact", "/only")
    );
    assert_eq!(
        get(&m, "a.example.com", "/other").outcome,
        Outcome::Status { status: 404 }
    );
    assert_eq!(
        get(&m, "example.com", "/").outcome,
        Outcome::Status { status: 404 }
    );
}

#[test]
fn regex_is_a_full_case_sensitive_match_and_overlaps_are_implementation_defined() {
    let m = model(&route(
        "r",
        "[a.example.com]",
        "  - matches: [{path: {type: RegularExpression, value: '/[A-Z]{3}'}}]\n    backendRefs: [{name: one, port: 80}]\n  - matches: [{path: {type: RegularExpression, value: '/A.*'}}]\n    backendRefs: [{name: two, port: 80}]\n  - matches: [{path: {type: RegularExpression, value: '/B.*'}}]\n    backendRefs: [{name: one, port: 80}]\n",
    ));
    assert_eq!(
        get(&m, "a.example.com", "/uuid").outcome,
        Outcome::Status { status: 404 }
    );
    assert_eq!(
        get(&m, "a.example.com", "/XYZ").outcome,
        backend("one", "/XYZ")
    );
    assert_eq!(
        get(&m, "a.example.com", "/XYZa").outcome,
        Outcome::Status { status: 404 }
    );
    assert!(matches!(
        get(&m, "a.example.com", "/ABC").outcome,
        Outcome::ImplementationDefined { .. }
    ));
    // Two regexes that agree on the outcome: no ambiguity.
    assert_eq!(
        get(&m, "a.example.com", "/BCD").outcome,
        backend("one", "/BCD")
    );
}

#[test]
fn redirects_rewrites_and_headers() {
    let m = model(&route(
        "f",
        "[a.example.com]",
        "  - matches: [{path: {type: Exact, value: /my-path}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /my-path/}}
  - matches: [{path: {type: PathPrefix, value: /api}}]
    filters:
    - type: URLRewrite
      urlRewrite: {hostname: internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
    - type: RequestHeaderModifier
      requestHeaderModifier: {set: [{name: X-Env, value: prod}]}
    backendRefs: [{name: api, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /secure}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, statusCode: 308}
  - matches: [{path: {type: PathPrefix, value: /split}}]
    backendRefs: [{name: a, port: 80}, {name: b, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /zero}}]
    backendRefs: [{name: a, port: 80, weight: 0}, {name: b, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /none}}]
",
    ));
    assert_eq!(
        get(&m, "a.example.com", "/my-path").outcome,
        Outcome::Redirect {
            status: 301,
            location: "http://a.example.com/my-path/".into()
        }
    );
    let mut headers = BTreeMap::new();
    headers.insert("host".to_string(), "internal".to_string());
    headers.insert("x-env".to_string(), "prod".to_string());
    assert_eq!(
        get(&m, "a.example.com", "/api/v1?x=1").outcome,
        Outcome::Backend {
            service: ServiceTarget {
                namespace: "default".into(),
                name: "api".into(),
                port: "80".into()
            },
            uri: "/v1?x=1".into(),
            headers
        }
    );
    assert_eq!(
        get(&m, "a.example.com", "/secure/x").outcome,
        Outcome::Redirect {
            status: 308,
            location: "https://a.example.com/secure/x".into()
        }
    );
    // Weighted backendRefs: a split with each backend's weight (default 1).
    let Outcome::Split { shares, uri, .. } = get(&m, "a.example.com", "/split").outcome else {
        panic!("a split expected");
    };
    assert_eq!(uri, "/split");
    let weights: Vec<(&str, u64)> = shares
        .iter()
        .map(|s| (s.service.name.as_str(), s.weight))
        .collect();
    assert_eq!(weights, [("a", 1), ("b", 1)]);
    let zero = get(&m, "a.example.com", "/zero").outcome;
    assert!(matches!(zero, Outcome::Backend { ref service, .. } if service.name == "b"));
    assert_eq!(
        get(&m, "a.example.com", "/none").outcome,
        Outcome::Status { status: 500 }
    );
}

#[test]
fn listeners_sections_and_https() {
    let m = model(
        "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: s, namespace: shop}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: https-a}]
  hostnames: [a.example.com]
  rules:
  - backendRefs: [{name: web, port: 80}]
",
    );
    let https = m.handle(&Probe::get(Scheme::Https, "a.example.com", "/x"));
    assert!(
        matches!(https.outcome, Outcome::Backend { ref service, .. } if service.namespace == "shop")
    );
    // Only attached to the HTTPS listener: plain HTTP finds no route.
    assert_eq!(
        get(&m, "a.example.com", "/x").outcome,
        Outcome::Status { status: 404 }
    );
    // No HTTPS listener for this host: the TLS handshake fails.
    let other = m.handle(&Probe::get(Scheme::Https, "b.example.com", "/"));
    assert!(matches!(other.outcome, Outcome::NoResponse { .. }));
}

#[test]
fn non_normal_paths_are_implementation_defined_only_when_they_route_differently() {
    let m = model(&route(
        "norm",
        "[a.example.com]",
        "  - matches: [{path: {type: Exact, value: /uuid}}]\n    backendRefs: [{name: httpbin, port: 80}]\n  - matches: [{path: {type: PathPrefix, value: /p}}]\n    backendRefs: [{name: p, port: 80}]\n",
    ));
    assert!(matches!(
        get(&m, "a.example.com", "////uuid").outcome,
        Outcome::ImplementationDefined { .. }
    ));
    assert_eq!(
        get(&m, "a.example.com", "/p//x").outcome,
        backend("p", "/p//x")
    );
}

#[test]
fn namespaces_same_rejects_routes_from_elsewhere() {
    let text = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: x
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
";
    let mut report = Report::default();
    let d = decode_gateway_objects(
        &[SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(text),
        }],
        &mut report,
    );
    let m = GatewayModel::build(&d.objects);
    assert_eq!(get(&m, "a", "/").outcome, Outcome::Status { status: 404 });
}

fn model_of(text: &str) -> GatewayModel {
    let mut report = Report::default();
    let d = decode_gateway_objects(
        &[SourceFile {
            name: "t.yaml".into(),
            text: Arc::from(text),
        }],
        &mut report,
    );
    assert_eq!(d.errors, 0, "{:?}", report.finish());
    GatewayModel::build(&d.objects)
}

/// Gateway `infra/gw` (all namespaces' ListenerSets) with `gateway_listener`,
/// and ListenerSet `infra/more` attached to it with `set_listener`.
fn gateway_and_set(gateway_listener: &str, set_listener: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: gw, namespace: infra}}
spec:
  gatewayClassName: x
  allowedListeners: {{namespaces: {{from: All}}}}
  listeners: [{gateway_listener}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {{name: more, namespace: infra}}
spec:
  parentRef: {{name: gw}}
  listeners:
  - {set_listener}
"
    )
}

#[test]
fn listener_set_listeners_serve_routes_attached_to_the_set() {
    let route = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b, namespace: app}
spec:
  parentRefs: [{kind: ListenerSet, name: more, namespace: infra, sectionName: https-b}]
  hostnames: [b.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
";
    let m = model_of(&format!(
        "{}---\n{route}",
        gateway_and_set(
            "{name: http, port: 80, protocol: HTTP}",
            "{name: https-b, hostname: b.example.com, port: 443, protocol: HTTPS, tls: {mode: Terminate}, allowedRoutes: {namespaces: {from: All}}}",
        )
    ));
    let h = m.handle(&Probe::get(Scheme::Https, "b.example.com", "/"));
    assert!(matches!(h.outcome, Outcome::Backend { ref service, .. } if service.name == "web"));
    assert_eq!(h.route, Some(("app".into(), "b".into(), "rules[0]".into())));
}

/// A parentRef attaches only to the listeners of the object it names: its
/// kind, its name, and its namespace (the route's when absent).
#[test]
fn routes_attach_only_to_the_parent_they_name() {
    let route = |name: &str, parent: &str| {
        format!(
            "---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}, namespace: app}}
spec:
  parentRefs: [{parent}]
  rules: [{{backendRefs: [{{name: web, port: 80}}]}}]
"
        )
    };
    let mut text = gateway_and_set(
        "{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}",
        "{name: http-b, hostname: b.example.com, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}",
    );
    for (name, parent) in [
        (
            "to-set",
            "{kind: ListenerSet, name: more, namespace: infra}",
        ),
        ("to-gateway", "{name: gw, namespace: infra}"),
        ("set-as-gateway", "{name: more, namespace: infra}"),
        (
            "gateway-as-set",
            "{kind: ListenerSet, name: gw, namespace: infra}",
        ),
        ("set-in-route-namespace", "{kind: ListenerSet, name: more}"),
        ("service", "{kind: Service, name: gw, namespace: infra}"),
    ] {
        text.push_str(&route(name, parent));
    }
    let m = model_of(&text);
    let mut nowhere: Vec<&str> = m.not_accepted().iter().map(|n| n.name.as_str()).collect();
    nowhere.sort();
    assert_eq!(
        nowhere,
        [
            "gateway-as-set",
            "service",
            "set-as-gateway",
            "set-in-route-namespace"
        ]
    );
}

#[test]
fn grpc_routes_several_gateways_and_cors_are_not_modelled() {
    let m = model_of(
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: one, namespace: default}
spec:
  gatewayClassName: x
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: two, namespace: default}
spec:
  gatewayClassName: x
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g}
spec:
  parentRefs: [{name: one}]
  hostnames: [grpc.example.com]
  rules: [{backendRefs: [{name: grpc, port: 50051}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: both}
spec:
  parentRefs: [{name: one}, {name: two}]
  hostnames: [both.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cors}
spec:
  parentRefs: [{name: one}]
  hostnames: [cors.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /cors}}]
    filters: [{type: CORS, cors: {allowOrigins: ['https://a.example.com']}}]
    backendRefs: [{name: web, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /auth}}]
    filters: [{type: ExternalAuth, externalAuth: {protocol: HTTP, backendRef: {name: auth, port: 80}, http: {}}}]
    backendRefs: [{name: web, port: 80}]
",
    );
    let nm = |h: &str, t: &str, origin: bool| {
        let mut p = Probe::get(Scheme::Http, h, t);
        if origin {
            p.headers
                .insert("origin".into(), "https://a.example.com".into());
        }
        matches!(m.handle(&p).outcome, Outcome::NotModelled { .. })
    };
    assert!(nm("grpc.example.com", "/pkg.Service/Method", false));
    assert!(nm("both.example.com", "/", false));
    assert!(nm("cors.example.com", "/cors", true));
    assert!(!nm("cors.example.com", "/cors", false));
    // ExternalAuth is a symbolic outcome now (external_auth_is_the_service_then_the_backend).
    assert!(!nm("cors.example.com", "/auth", false));
}

#[test]
fn headers_method_and_query_matches_rank_after_the_path() {
    let m = model(&route(
        "h",
        "[a.example.com]",
        "  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: plain, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}, headers: [{name: X-Canary, value: 'yes'}]}]
    backendRefs: [{name: canary, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}, queryParams: [{name: v, value: '2'}]}]
    backendRefs: [{name: v2, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /}, method: POST}]
    backendRefs: [{name: post, port: 80}]
",
    ));
    assert_eq!(
        get(&m, "a.example.com", "/x").outcome,
        backend("plain", "/x")
    );
    assert_eq!(
        get(&m, "a.example.com", "/x?v=2").outcome,
        backend("v2", "/x?v=2")
    );
    let mut p = Probe::get(Scheme::Http, "a.example.com", "/x?v=2");
    p.headers.insert("x-canary".into(), "yes".into());
    // More header matches beat more query matches.
    assert_eq!(m.handle(&p).outcome, backend("canary", "/x?v=2"));
    p.method = "POST".into();
    // A method match beats header matches.
    assert_eq!(m.handle(&p).outcome, backend("post", "/x?v=2"));
}

#[test]
fn a_rewrite_of_a_non_normal_path_is_implementation_defined() {
    let m = model(&route(
        "rw",
        "[a.example.com]",
        "  - matches: [{path: {type: PathPrefix, value: /hubble}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
    backendRefs: [{name: ui, port: 80}]
",
    ));
    assert_eq!(
        get(&m, "a.example.com", "/hubble/x").outcome,
        backend("ui", "/x")
    );
    assert!(matches!(
        get(&m, "a.example.com", "/hubble//x").outcome,
        Outcome::ImplementationDefined { .. }
    ));
}

#[test]
fn a_redirect_to_a_listener_that_does_not_exist_is_unreachable() {
    let redirect = "  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 308}}]\n";
    let m = model(&format!(
        "{}---\n{}",
        route("a", "[a.example.com]", redirect),
        route("b", "[b.example.com]", redirect)
    ));
    // a.example.com has an HTTPS listener, b.example.com has none.
    assert_eq!(
        get(&m, "a.example.com", "/x").outcome,
        Outcome::Redirect {
            status: 308,
            location: "https://a.example.com/x".into()
        }
    );
    assert_eq!(
        get(&m, "b.example.com", "/x").outcome,
        Outcome::UnreachableRedirect {
            status: 308,
            location: "https://b.example.com/x".into()
        }
    );
}

#[test]
fn paths_are_matched_percent_encoded() {
    let m = model(&route(
        "r",
        "[a.example.com]",
        "  - matches: [{path: {type: PathPrefix, value: /my%20docs}}]\n    backendRefs: [{name: docs, port: 80}]\n  - matches: [{path: {type: RegularExpression, value: /caf\u{e9}}}]\n    backendRefs: [{name: cafe, port: 80}]\n",
    ));
    assert_eq!(
        get(&m, "a.example.com", "/my%20docs/x").outcome,
        backend("docs", "/my%20docs/x")
    );
    // A match on the decoded form never sees a request path.
    assert_eq!(
        get(&m, "a.example.com", "/caf%C3%A9").outcome,
        Outcome::Status { status: 404 }
    );
}

/// An ExternalAuth filter is a symbolic outcome: the authorization Service
/// decides, then the rule's backend.
#[test]
fn external_auth_is_the_service_then_the_backend() {
    let m = model(&route(
        "auth",
        "[a.example.com]",
        "  - filters:\n    - type: ExternalAuth\n      externalAuth: {protocol: HTTP, backendRef: {name: oauth, namespace: auth, port: 4180}}\n    backendRefs: [{name: web, port: 80}]\n",
    ));
    let Outcome::ExternalAuth {
        service,
        signin,
        then,
    } = get(&m, "a.example.com", "/x").outcome
    else {
        panic!("external auth expected");
    };
    assert_eq!((service.as_str(), signin), ("auth/oauth:4180", None));
    assert!(matches!(*then, Outcome::Backend { ref service, .. } if service.name == "web"));
}

/// RequestMirror is part of the outcome: its Service and percent (reduced);
/// another namespace without a ReferenceGrant drops the mirror, not the rule.
#[test]
fn request_mirrors_are_part_of_the_outcome() {
    let rules = "  - matches: [{path: {type: PathPrefix, value: /half}}]
    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}, percent: 50}}]
    backendRefs: [{name: app, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /far}}]
    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, namespace: testing, port: 8080}}}]
    backendRefs: [{name: app, port: 80}]
";
    let m = model(&route("r", "[a.example.com]", rules));
    let Outcome::Mirrored { mirrors, then } = get(&m, "a.example.com", "/half").outcome else {
        panic!("mirrored")
    };
    assert_eq!(mirrors[0].target, "default/shadow:8080");
    assert_eq!(mirrors[0].fraction, [1, 2]);
    assert_eq!(*then, backend("app", "/half"));
    assert_eq!(
        get(&m, "a.example.com", "/far").outcome,
        backend("app", "/far")
    );
}

/// Rules of every path type (and header, method and caseless-literal regex
/// matches) over several routes, enough for the routes to be indexed.
fn many_rules(route_name: &str, base: usize, invalid: bool) -> String {
    let mut rules = String::new();
    for i in base..base + 16 {
        let extra = match i % 4 {
            0 => {
                "{path: {type: PathPrefix, value: /}, headers: [{name: x-k, value: v}]}".to_string()
            }
            1 => format!("{{path: {{type: RegularExpression, value: '/[Pp]{i}/[0-9]+'}}}}"),
            2 => "{path: {type: RegularExpression, value: '/(a|b)/.*'}, method: POST}".to_string(),
            _ => format!("{{path: {{type: PathPrefix, value: '/p{i}/x/'}}}}"),
        };
        let invalid_match = if invalid && i == base + 9 {
            ", {path: {type: RegularExpression, value: '/q('}}"
        } else {
            ""
        };
        rules.push_str(&format!(
            "  - matches: [{{path: {{type: Exact, value: /p{i}}}}}, {{path: {{type: PathPrefix, value: /p{i}/sub/}}}}, {{path: {{type: RegularExpression, value: '/p{i}/[a-z]+'}}}}, {extra}{invalid_match}]\n    backendRefs: [{{name: s{i}, port: 80}}]\n"
        ));
    }
    route(route_name, "[a.example.com]", &rules)
}

#[test]
fn indexed_selection_is_the_walk_for_every_path_and_implementation() {
    for invalid in [false, true] {
        let m = model(&format!(
            "{}---\n{}---\n{}",
            many_rules("r1", 0, false),
            many_rules("r2", 8, invalid),
            many_rules("r3", 30, false)
        ));
        let routes: Vec<&rules::CompiledRoute> = m.routes.iter().collect();
        assert_eq!(routes.len(), 3, "{:?}", m.not_accepted);
        let index = match_index::MatchIndex::build(&routes).expect("enough matches to index");
        let mut paths: Vec<String> = ["/", "", "//", "/a/x", "/b/", "/c/x", "/é/p1", "/p", "/q("]
            .iter()
            .map(|p| p.to_string())
            .collect();
        for i in [0, 1, 5, 9, 13, 17, 30, 45, 46] {
            for p in [
                "/p{i}",
                "/p{i}/",
                "/p{i}x",
                "/p{i}/sub",
                "/p{i}/sub/",
                "/p{i}/sub/x",
                "/p{i}/abc",
                "/p{i}/123",
                "/P{i}/123",
                "/p{i}//",
                "/p{i}//x",
                "/p{i}/ü",
            ] {
                paths.push(p.replace("{i}", &i.to_string()));
            }
        }
        let mut probes = vec![Probe::get(Scheme::Http, "a.example.com", "/")];
        let mut post = Probe::get(Scheme::Http, "a.example.com", "/");
        post.method = "POST".into();
        post.headers.insert("x-k".into(), "v".into());
        probes.push(post);
        let (mut selected, mut unknown) = (false, false);
        for imp in [
            Implementation::Standard,
            Implementation::EnvoyGateway,
            Implementation::Istio,
        ] {
            for probe in &probes {
                for path in &paths {
                    let walked = rules::select(&routes, None, probe, path, None, imp);
                    let indexed = rules::select(&routes, Some(&index), probe, path, None, imp);
                    assert_eq!(
                        walked.decision(),
                        indexed.decision(),
                        "{path} {imp:?} {}",
                        probe.method
                    );
                    if let (Selection::Unknown(a), Selection::Unknown(b)) = (&walked, &indexed) {
                        assert_eq!(a, b);
                        unknown = true;
                    }
                    if !matches!(walked, Selection::NoMatch | Selection::Unknown(_)) {
                        selected = true;
                    }
                }
            }
        }
        // An invalid match makes every answer "not understood", as in the walk.
        assert_eq!((selected, unknown), (!invalid, invalid));
        // The index evaluates far fewer matches than the walk (about 200).
        assert!(index.candidates("/p5/123").len() < 40);
    }
}
