//! Security rule: no emitted object for a route with an allow-list, auth or
//! other access control that Gateway API cannot express is open by default.
//!
//! Every protected Ingress below routes to a Service whose name starts with
//! `protected-`; open Ingresses route to `open-…`. By default no emitted object
//! may reference a `protected-` Service at all (so no rule, mirror or filter
//! can reach it), and every rule named after a protected Ingress must be
//! fail-closed (matches only) or a redirect. `--allow-insecure-translation` must
//! reach the backends and say so with an error per protected Ingress.

#[path = "support/cases.rs"]
mod cases;

use ing2gw::gwapi::GatewayObject;
use ing2gw::input::SourceFile;
use ing2gw::options::{Channel, TranslateOptions};
use ing2gw::report::Severity;
use ing2gw::{output, pipeline};
use std::sync::Arc;

/// (Ingress name, annotations) of the protected Ingresses.
const PROTECTED: &[(&str, &[(&str, &str)])] = &[
    (
        "protected-allow",
        &[("allowlist-source-range", "10.0.0.0/8")],
    ),
    (
        "protected-whitelist",
        &[("whitelist-source-range", "10.0.0.1")],
    ),
    (
        "protected-deny",
        &[("denylist-source-range", "192.0.2.0/24")],
    ),
    (
        "protected-basic",
        &[("auth-type", "basic"), ("auth-secret", "htpasswd")],
    ),
    (
        "protected-digest",
        &[("auth-type", "digest"), ("auth-secret", "htpasswd")],
    ),
    (
        "protected-extauth",
        &[(
            "auth-url",
            "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth",
        )],
    ),
    (
        "protected-extauth-external",
        &[("auth-url", "https://auth.example.com/check")],
    ),
    ("protected-rps", &[("limit-rps", "5")]),
    ("protected-rpm", &[("limit-rpm", "100")]),
    ("protected-conn", &[("limit-connections", "3")]),
    (
        "protected-snippet",
        &[("configuration-snippet", "allow 10.0.0.0/8;\ndeny all;\n")],
    ),
    (
        "protected-lua",
        &[(
            "configuration-snippet",
            "access_by_lua_block { ngx.exit(403) }\n",
        )],
    ),
    // Snippets that hid `deny all;` from the old tokenizer (nginx enforces it).
    (
        "protected-hidden-nbsp-comment",
        &[(
            "configuration-snippet",
            "add_header X-A b\u{a0}#c;\ndeny all;\n",
        )],
    ),
    (
        "protected-hidden-brace-in-word",
        &[(
            "configuration-snippet",
            "more_set_headers X-A:b}; deny all;\n",
        )],
    ),
    (
        "protected-hidden-dollar-brace",
        &[(
            "configuration-snippet",
            "gzip_types a/${;\ndeny all; # }\ngzip on;\n",
        )],
    ),
    // Unknown directives and unparsable snippets fail closed.
    (
        "protected-unknown-internal",
        &[("configuration-snippet", "internal;\n")],
    ),
    (
        "protected-unknown-include",
        &[("configuration-snippet", "include /etc/nginx/extra.conf;\n")],
    ),
    (
        "protected-unknown-rewrite-last",
        &[("configuration-snippet", "rewrite ^ /admin last;\n")],
    ),
    (
        "protected-unknown-modsecurity",
        &[("configuration-snippet", "modsecurity on;\n")],
    ),
    (
        "protected-unparsable-snippet",
        &[("configuration-snippet", "add_header X-A b\ndeny all\n")],
    ),
    (
        "protected-server-snippet-mtls",
        &[("server-snippet", "ssl_verify_client on;\n")],
    ),
    (
        "protected-mtls-cn",
        &[
            ("auth-tls-secret", "default/ca"),
            ("auth-tls-match-cn", "CN=client"),
        ],
    ),
    (
        "protected-invalid",
        &[("allowlist-source-range", "not-a-cidr")],
    ),
    (
        "protected-grpc",
        &[
            ("backend-protocol", "GRPC"),
            ("allowlist-source-range", "10.0.0.0/8"),
        ],
    ),
    (
        "protected-default-backend",
        &[("allowlist-source-range", "10.0.0.0/8")],
    ),
];

fn ingress(name: &str, annotations: &[(&str, &str)], tls: bool) -> String {
    let mut s = format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: default\n  annotations:\n"
    );
    s.push_str("    x.example/marker: \"1\"\n");
    for (k, v) in annotations {
        // YAML double-quoted: escape what YAML would read differently.
        let v: String = v
            .chars()
            .map(|c| match c {
                '\n' => "\\n".to_string(),
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                c if !c.is_ascii() || c.is_control() => format!("\\u{:04x}", c as u32),
                c => c.to_string(),
            })
            .collect();
        s.push_str(&format!("    nginx.ingress.kubernetes.io/{k}: \"{v}\"\n"));
    }
    s.push_str("spec:\n  ingressClassName: nginx\n");
    if name == "protected-default-backend" {
        s.push_str(&format!(
            "  defaultBackend: {{service: {{name: {name}-svc, port: {{number: 80}}}}}}\n"
        ));
    }
    if tls {
        s.push_str(&format!(
            "  tls:\n  - hosts: [{name}.example.com]\n    secretName: {name}-tls\n"
        ));
    }
    s.push_str(&format!(
        "  rules:\n  - host: {name}.example.com\n    http:\n      paths:\n      - {{path: /app/, pathType: Prefix, backend: {{service: {{name: {name}-svc, port: {{number: 80}}}}}}}}\n      - {{path: /exact, pathType: Exact, backend: {{service: {{name: {name}-svc, port: {{number: 80}}}}}}}}\n"
    ));
    s
}

/// The controller ConfigMap: snippets allowed, so snippet Ingresses are live today.
const CONFIGMAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ingress-nginx-controller\n  namespace: ingress-nginx\ndata:\n  allow-snippet-annotations: \"true\"\n  annotations-risk-level: Critical\n";

fn manifests() -> String {
    let mut docs: Vec<String> = PROTECTED
        .iter()
        .map(|(name, ann)| ingress(name, ann, name.contains("mtls")))
        .collect();
    // A canary of a protected path: its traffic goes through the protected location.
    docs.push(
        ingress(
            "protected-allow",
            &[
                ("canary", "true"),
                ("canary-weight", "50"),
                ("canary-by-header", "X-Canary"),
            ],
            false,
        )
        .replace("name: protected-allow\n", "name: protected-allow-canary\n")
        .replace("name: protected-allow-svc", "name: protected-canary-svc"),
    );
    // An open host that shares the Gateway's HTTPS port with the mTLS host.
    docs.push(ingress("open-site", &[], true));
    docs.push(ingress("open-plain", &[], false));
    docs.push(CONFIGMAP.to_string());
    docs.join("---\n")
}

fn translate(
    options: &TranslateOptions,
) -> (
    String,
    Vec<GatewayObject>,
    Vec<ing2gw::report::Notification>,
) {
    let file = SourceFile {
        name: "security.yaml".into(),
        text: Arc::from(manifests()),
    };
    let loaded = pipeline::load(&[file]);
    assert_eq!(
        loaded.input.ingresses.len(),
        PROTECTED.len() + 3,
        "test input decodes"
    );
    let options = TranslateOptions {
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..options.clone()
    };
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let yaml = output::to_yaml(&t.objects).expect("serialisable");
    (yaml, t.objects, t.notifications)
}

fn routes(objects: &[GatewayObject]) -> impl Iterator<Item = &ing2gw::gwapi::HttpRoute> {
    objects.iter().filter_map(|o| match o {
        GatewayObject::HttpRoute(r) => Some(r),
        _ => None,
    })
}

#[test]
fn protected_routes_are_fail_closed_by_default() {
    let (yaml, objects, notes) = translate(&TranslateOptions::default());
    for (name, _) in PROTECTED {
        let svc = format!("{name}-svc");
        assert!(
            !yaml.contains(&format!("name: {svc}\n")),
            "{svc} is reachable in the default output:\n{yaml}"
        );
        let mut seen = 0;
        for route in routes(&objects) {
            for rule in &route.spec.rules {
                let rule_name = rule.name.as_deref().unwrap_or("");
                if !rule_name.starts_with(&format!("{name}-")) {
                    continue;
                }
                seen += 1;
                let redirect_only = !rule.filters.is_empty()
                    && rule
                        .filters
                        .iter()
                        .all(|f| f.filter_type == "RequestRedirect");
                assert!(
                    rule.backend_refs.is_empty() && (rule.filters.is_empty() || redirect_only),
                    "rule {rule_name} of {name} is not fail-closed: {rule:?}"
                );
            }
        }
        // gRPC backends become GRPCRoutes: the same rule, same check.
        for o in &objects {
            if let GatewayObject::GrpcRoute(route) = o {
                for rule in &route.spec.rules {
                    let rule_name = rule.name.as_deref().unwrap_or("");
                    if rule_name.starts_with(&format!("{name}-")) {
                        seen += 1;
                        assert!(
                            rule.backend_refs.is_empty() && rule.filters.is_empty(),
                            "GRPCRoute rule {rule_name} of {name} is not fail-closed: {rule:?}"
                        );
                    }
                }
            }
        }
        assert!(seen > 0, "no rule emitted for {name}");
        assert!(
            notes.iter().any(|n| n.severity == Severity::Error
                && n.object.as_ref().is_some_and(|o| &o.name == name)),
            "no error notification for {name}"
        );
    }
    assert!(
        !yaml.contains("protected-canary-svc"),
        "the canary of a protected path is reachable:\n{yaml}"
    );
    // Open Ingresses still work.
    for svc in ["open-site-svc", "open-plain-svc"] {
        assert!(yaml.contains(&format!("name: {svc}\n")), "{svc} missing");
    }
}

#[test]
fn insecure_translation_opens_routes_and_says_so() {
    let options = TranslateOptions {
        allow_insecure_translation: true,
        ..Default::default()
    };
    let (yaml, _, notes) = translate(&options);
    for (name, _) in PROTECTED {
        let svc = format!("{name}-svc");
        let reachable = yaml.contains(&format!("name: {svc}\n"));
        if *name == "protected-invalid" {
            // Denied (503) by ingress-nginx today: never opened.
            assert!(!reachable, "{svc} must stay closed: it is denied today");
            continue;
        }
        assert!(
            reachable,
            "{svc} should be emitted open with --allow-insecure-translation"
        );
        assert!(
            notes.iter().any(|n| n.severity == Severity::Error
                && n.code.0 == "access-insecure-translation"
                && n.object.as_ref().is_some_and(|o| &o.name == name)),
            "no insecure-translation error for {name}"
        );
    }
}

#[test]
fn external_auth_filter_protects_routes_on_the_experimental_channel() {
    // The auth Service is in namespace `auth`: its grant needs the flag.
    let options = TranslateOptions {
        channel: Channel::Experimental,
        allow_cross_namespace_grants: true,
        ..Default::default()
    };
    let (yaml, objects, _) = translate(&options);
    // The in-cluster auth service becomes an ExternalAuth filter on every rule that forwards.
    let mut forwarding = 0;
    for route in routes(&objects) {
        for rule in &route.spec.rules {
            if rule
                .backend_refs
                .iter()
                .any(|b| b.name == "protected-extauth-svc")
            {
                forwarding += 1;
                assert!(
                    rule.filters.iter().any(|f| f.filter_type == "ExternalAuth"),
                    "forwarding rule without ExternalAuth: {rule:?}"
                );
            }
        }
    }
    assert!(forwarding > 0, "ExternalAuth route not emitted:\n{yaml}");
    // Everything else stays closed.
    for (name, _) in PROTECTED.iter().filter(|(n, _)| *n != "protected-extauth") {
        assert!(
            !yaml.contains(&format!("name: {name}-svc\n")),
            "{name} reachable on the experimental channel"
        );
    }
}

/// Access-control annotations whose rules must never forward by default.
const RESTRICTING: &[&str] = &[
    "allowlist-source-range",
    "whitelist-source-range",
    "denylist-source-range",
    "auth-type",
    "auth-url",
    "limit-rps",
    "limit-rpm",
    "limit-connections",
    "auth-tls-match-cn",
];

/// The real-world corpus (`../shared/corpus`, skipped when absent): no rule of an
/// Ingress with an untranslatable access-control annotation forwards by default.
#[test]
fn corpus_protected_ingresses_never_forward() {
    let Some(files) = cases::corpus_files(&["yaml"]) else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let mut checked = 0;
    for path in files {
        let Ok(sources) = ing2gw::input::read_sources(&[path.display().to_string()]) else {
            continue;
        };
        let loaded = pipeline::load(&sources);
        let protected: Vec<String> = loaded
            .input
            .ingresses
            .iter()
            .filter(|i| {
                RESTRICTING.iter().any(|k| {
                    i.annotation(&format!("nginx.ingress.kubernetes.io/{k}"))
                        .is_some_and(|v| {
                            // A limit of 0 (or less) is no limit.
                            let no_limit = k.starts_with("limit-")
                                && v.trim().parse::<i64>().is_ok_and(|n| n <= 0);
                            !v.trim().is_empty() && !no_limit
                        })
                })
            })
            .map(|i| i.name().to_string())
            .collect();
        if protected.is_empty() {
            continue;
        }
        let t = pipeline::translate(&loaded.input, &TranslateOptions::default(), loaded.report);
        for route in routes(&t.objects) {
            for rule in &route.spec.rules {
                let name = rule.name.as_deref().unwrap_or("");
                for ing in &protected {
                    let own = name.strip_prefix(&format!("{ing}-")).is_some_and(|rest| {
                        rest.starts_with('r') && rest[1..].starts_with(|c: char| c.is_ascii_digit())
                            || rest.starts_with("default-backend")
                    });
                    if own {
                        checked += 1;
                        assert!(
                            rule.backend_refs.is_empty(),
                            "{}: rule {name} of protected Ingress {ing} forwards: {rule:?}",
                            path.display()
                        );
                    }
                }
            }
        }
    }
    eprintln!("{checked} rules of protected corpus Ingresses checked");
}

/// Each annotation key is claimed by one pass: two passes would report it twice.
#[test]
fn annotation_keys_have_one_owner() {
    let passes = ing2gw::passes::registry();
    let mut owners: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for p in &passes {
        for k in p.annotations() {
            owners.entry(k).or_default().push(p.name());
        }
    }
    let shared: Vec<_> = owners.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(
        shared.is_empty(),
        "annotations claimed by several passes: {shared:?}"
    );
}

/// Translates `open-plain` and `open-site` with extra controller ConfigMap data.
fn translate_with_configmap(
    extra: &str,
    options: &TranslateOptions,
) -> (String, Vec<ing2gw::report::Notification>) {
    let text = [
        ingress("open-plain", &[], false),
        ingress("open-site", &[], true),
        format!("{CONFIGMAP}{extra}"),
    ]
    .join("---\n");
    let loaded = pipeline::load(&[SourceFile {
        name: "configmap.yaml".into(),
        text: Arc::from(text),
    }]);
    let options = TranslateOptions {
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..options.clone()
    };
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    (
        output::to_yaml(&t.objects).expect("serialisable"),
        t.notifications,
    )
}

/// ConfigMap server-snippet / location-snippet apply to every server / location:
/// a restriction (or anything unknown) in them closes every route, with an error
/// naming the ConfigMap key; what translates is applied to every rule.
#[test]
fn configmap_snippets_apply_to_every_route() {
    for (key, snippet) in [
        ("location-snippet", "deny all;"),
        ("server-snippet", "ssl_verify_client on;"),
        ("location-snippet", "add_header X-A b\\u00a0#c;\\ndeny all;"),
        ("server-snippet", "add_header X-A b"),
    ] {
        let extra = format!("  {key}: \"{snippet}\"\n");
        let (yaml, notes) = translate_with_configmap(&extra, &TranslateOptions::default());
        for svc in ["open-site-svc", "open-plain-svc"] {
            assert!(
                !yaml.contains(&format!("name: {svc}\n")),
                "ConfigMap {key} `{snippet}`: {svc} is reachable:\n{yaml}"
            );
        }
        assert!(
            notes.iter().any(|n| n.severity == Severity::Error
                && n.field.as_deref() == Some(&format!("ConfigMap {key}"))
                && n.message.contains(&format!("ConfigMap {key}"))),
            "ConfigMap {key} `{snippet}`: no error names the key: {notes:#?}"
        );
        let (yaml, _) = translate_with_configmap(
            &extra,
            &TranslateOptions {
                allow_insecure_translation: true,
                ..Default::default()
            },
        );
        assert!(
            yaml.contains("name: open-plain-svc\n"),
            "--allow-insecure-translation opens it"
        );
    }
    let (yaml, _) = translate_with_configmap(
        "  location-snippet: \"more_set_headers 'X-Frame-Options: DENY';\"\n",
        &TranslateOptions::default(),
    );
    assert_eq!(
        yaml.matches("X-Frame-Options").count(),
        yaml.matches("backendRefs:").count(),
        "the header is set on every forwarding rule:\n{yaml}"
    );
    assert!(yaml.contains("name: open-plain-svc\n"));
}

// ---- Controller-wide and WAF access control (issue 10 items 11, 12, 13) ----

/// One Ingress `app` (Service `app-svc`, TLS) with `annotations`, and the
/// controller ConfigMap with `configmap` data.
fn app_with(annotations: &[(&str, &str)], configmap: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ingress-nginx-controller, namespace: ingress-nginx}\ndata:\n  allow-snippet-annotations: \"true\"\n  annotations-risk-level: Critical\n",
    );
    for (k, v) in configmap {
        s.push_str(&format!("  {k}: {}\n", serde_json::to_string(v).unwrap()));
    }
    s.push_str("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  namespace: default\n  annotations:\n    x.example/marker: \"1\"\n");
    for (k, v) in annotations {
        s.push_str(&format!("    {k}: {}\n", serde_json::to_string(v).unwrap()));
    }
    s.push_str("spec:\n  ingressClassName: nginx\n  tls:\n  - {hosts: [app.example.com], secretName: app-tls}\n  rules:\n  - host: app.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: app-svc, port: {number: 80}}}}\n");
    s
}

/// (objects as YAML, error notifications) of `text` under `options` (the
/// ConfigMap of [`app_with`] is always passed).
fn run(text: String, options: &TranslateOptions) -> (String, Vec<ing2gw::report::Notification>) {
    let file = SourceFile {
        name: "case.yaml".into(),
        text: Arc::from(text),
    };
    let loaded = pipeline::load(&[file]);
    let options = TranslateOptions {
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..options.clone()
    };
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let errors = t
        .notifications
        .into_iter()
        .filter(|n| n.severity == Severity::Error)
        .collect();
    (output::to_yaml(&t.objects).expect("serialisable"), errors)
}

fn reachable(yaml: &str) -> bool {
    yaml.contains("name: app-svc\n")
}

/// Each case must close `app` by default (with an error naming it) and open it
/// with --allow-insecure-translation.
fn assert_closed_unless_insecure(case: &str, text: String, options: &TranslateOptions) {
    let (yaml, errors) = run(text.clone(), options);
    assert!(!reachable(&yaml), "{case}: app-svc is reachable:\n{yaml}");
    assert!(
        errors
            .iter()
            .any(|n| n.object.as_ref().is_some_and(|o| o.name == "app")),
        "{case}: no error for app: {errors:?}"
    );
    let insecure = TranslateOptions {
        allow_insecure_translation: true,
        ..options.clone()
    };
    let (yaml, _) = run(text, &insecure);
    assert!(
        reachable(&yaml),
        "{case}: --allow-insecure-translation should open it"
    );
}

#[test]
fn configmap_block_lists_close_every_route() {
    for (key, value) in [
        ("block-cidrs", "192.0.2.0/24"),
        ("block-user-agents", "curl/8.0"),
        ("block-user-agents", "~*bot"),
        ("block-referers", "~*spam"),
    ] {
        assert_closed_unless_insecure(
            &format!("{key}: {value}"),
            app_with(&[], &[(key, value)]),
            &TranslateOptions::default(),
        );
    }
    // Empty lists block nothing.
    let (yaml, _) = run(
        app_with(&[], &[("block-cidrs", " , ")]),
        &TranslateOptions::default(),
    );
    assert!(reachable(&yaml), "an empty block-cidrs closed the route");
}

#[test]
fn modsecurity_closes_the_routes_it_protects() {
    const P: &str = "nginx.ingress.kubernetes.io/";
    let on = format!("{P}enable-modsecurity");
    let crs = format!("{P}enable-owasp-core-rules");
    let snippet = format!("{P}modsecurity-snippet");
    type Pairs<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(&str, Pairs, Pairs)> = vec![
        ("annotation", vec![(on.as_str(), "true")], vec![]),
        (
            "annotation with CRS",
            vec![(on.as_str(), "true"), (crs.as_str(), "true")],
            vec![],
        ),
        (
            "annotation with snippet",
            vec![
                (on.as_str(), "true"),
                (snippet.as_str(), "SecRuleEngine On"),
            ],
            vec![],
        ),
        ("ConfigMap", vec![], vec![("enable-modsecurity", "true")]),
        (
            "ConfigMap, annotation false",
            vec![(on.as_str(), "false")],
            vec![("enable-modsecurity", "true")],
        ),
        (
            "ConfigMap with CRS",
            vec![],
            vec![
                ("enable-modsecurity", "true"),
                ("enable-owasp-modsecurity-crs", "true"),
            ],
        ),
    ];
    for (case, annotations, configmap) in cases {
        assert_closed_unless_insecure(
            case,
            app_with(&annotations, &configmap),
            &TranslateOptions::default(),
        );
    }
    // Not a restriction: WAF off, or CRS without enable-modsecurity.
    for annotations in [vec![(on.as_str(), "false")], vec![(crs.as_str(), "true")]] {
        let (yaml, errors) = run(app_with(&annotations, &[]), &TranslateOptions::default());
        assert!(reachable(&yaml), "{annotations:?} closed the route");
        assert!(errors.is_empty(), "{annotations:?}: {errors:?}");
    }
}

#[test]
fn global_rate_limit_closes_routes_on_controllers_that_enforce_it() {
    let limited = app_with(
        &[
            ("nginx.ingress.kubernetes.io/global-rate-limit", "100"),
            ("nginx.ingress.kubernetes.io/global-rate-limit-window", "1m"),
        ],
        &[],
    );
    let v1_11 = TranslateOptions {
        controller_version: "v1.11.5".into(),
        ..Default::default()
    };
    assert_closed_unless_insecure("global-rate-limit on v1.11", limited.clone(), &v1_11);
    // Removed in v1.12.0: ignored today, so the route is as open as today.
    let (yaml, errors) = run(limited, &TranslateOptions::default());
    assert!(reachable(&yaml), "v1.15 ignores global-rate-limit");
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn access_control_under_a_custom_annotations_prefix_is_enforced() {
    let text = app_with(
        &[
            ("custom.example.com/whitelist-source-range", "10.0.0.0/8"),
            // The default prefix is ignored by a controller with a custom one.
            ("nginx.ingress.kubernetes.io/ssl-redirect", "false"),
        ],
        &[],
    );
    let options = TranslateOptions {
        annotation_prefix: "custom.example.com/".into(),
        ..Default::default()
    };
    assert_closed_unless_insecure("custom prefix", text, &options);
}

/// Cross-namespace references of a tenant (namespace `tenant`): an auth-url
/// Service, a canary, a mirror target and a client CA of other namespaces.
const CROSS_NAMESPACE: &str = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
data: {allow-cross-namespace-resources: "true", annotations-risk-level: Critical}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: protected-auth
  namespace: tenant
  annotations:
    nginx.ingress.kubernetes.io/auth-url: http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth
spec:
  ingressClassName: nginx
  rules:
  - host: auth.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: protected-auth-svc, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: protected-mtls
  namespace: tenant
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-secret: pki/client-ca
spec:
  ingressClassName: nginx
  tls:
  - {hosts: [mtls.example.com], secretName: mtls-cert}
  rules:
  - host: mtls.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: protected-mtls-svc, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: mirrored
  namespace: tenant
  annotations:
    nginx.ingress.kubernetes.io/mirror-target: http://shadow.testing.svc.cluster.local:8080$request_uri
spec:
  ingressClassName: nginx
  rules:
  - host: mirror.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: mirrored, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  creationTimestamp: "2025-01-01T00:00:00Z"
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop-canary
  namespace: tenant
  creationTimestamp: "2025-01-02T00:00:00Z"
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-weight: "30"
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: tenant-canary, port: {number: 80}}}}
"#;

fn translate_cross_namespace(
    options: TranslateOptions,
) -> (Vec<GatewayObject>, Vec<ing2gw::report::Notification>) {
    let file = SourceFile {
        name: "cross.yaml".into(),
        text: Arc::from(CROSS_NAMESPACE),
    };
    let loaded = pipeline::load(&[file]);
    let options = TranslateOptions {
        channel: Channel::Experimental,
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..options
    };
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    (t.objects, t.notifications)
}

fn grants(objects: &[GatewayObject]) -> Vec<&ing2gw::gwapi::ReferenceGrant> {
    objects
        .iter()
        .filter_map(|o| match o {
            GatewayObject::ReferenceGrant(g) => Some(g),
            _ => None,
        })
        .collect()
}

/// Without `--allow-cross-namespace-grants` no ReferenceGrant goes into another
/// namespace than the referring Ingress's own, and what needed one fails closed
/// (auth, client CA) or is an error (canary share).
#[test]
fn cross_namespace_references_get_no_grant_by_default() {
    let (objects, notes) = translate_cross_namespace(TranslateOptions::default());
    for g in grants(&objects) {
        let ns = g.metadata.namespace.as_deref().unwrap_or_default();
        assert_eq!(ns, "tenant", "ReferenceGrant outside the tenant: {g:?}");
        assert!(g.spec.from.iter().all(|f| f.kind == "Gateway"), "{g:?}");
    }
    let yaml = output::to_yaml(&objects).expect("serialisable");
    for protected in ["protected-auth-svc", "protected-mtls-svc", "oauth2-proxy"] {
        assert!(
            !yaml.contains(&format!("name: {protected}\n")),
            "{protected} reachable without a grant:\n{yaml}"
        );
    }
    for (code, object) in [
        ("access-fail-closed", "protected-auth"),
        ("access-fail-closed", "protected-mtls"),
        ("canary-cross-namespace", "shop-canary"),
    ] {
        assert!(
            notes.iter().any(|n| n.severity == Severity::Error
                && n.code.0 == code
                && n.object.as_ref().is_some_and(|o| o.name == object)
                && n.message.contains("--allow-cross-namespace-grants")),
            "no {code} error for {object}: {notes:#?}"
        );
    }
    assert!(
        notes.iter().any(|n| n.code.0 == "canary-cross-namespace"
            && n.message.contains("(30%)")
            && n.message.contains("shop")
            && n.message.contains("tenant")),
        "the canary error names both namespaces and the share"
    );
}

/// With the flag every grant names the single objects it opens, never a namespace.
#[test]
fn cross_namespace_grants_name_single_objects() {
    let (objects, notes) = translate_cross_namespace(TranslateOptions {
        allow_cross_namespace_grants: true,
        ..Default::default()
    });
    let grants = grants(&objects);
    let into: std::collections::BTreeSet<&str> = grants
        .iter()
        .filter_map(|g| g.metadata.namespace.as_deref())
        .collect();
    for ns in ["auth", "pki", "testing"] {
        assert!(into.contains(ns), "no grant into {ns}: {grants:#?}");
    }
    for g in &grants {
        assert!(!g.spec.to.is_empty());
        assert!(g.spec.to.iter().all(|t| t.name.is_some()), "{g:?}");
    }
    assert!(
        notes
            .iter()
            .any(|n| n.code.0 == "cross-namespace-grant" && n.message.contains("oauth2-proxy"))
    );
}

/// Issue 11 item 1: a protected path Gateway API cannot express (PCRE
/// look-ahead) must not be dropped, or its requests reach the host's open `/`.
#[test]
fn a_protected_path_that_cannot_be_expressed_stays_closed() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/verify/fidelity-auth-dropped-path/input.yaml"
    );
    let text = std::fs::read_to_string(path).expect("fixture readable");
    for options in [
        TranslateOptions::default(),
        TranslateOptions {
            allow_insecure_translation: true,
            ..Default::default()
        },
    ] {
        let file = SourceFile {
            name: "case.yaml".into(),
            text: Arc::from(text.as_str()),
        };
        let loaded = pipeline::load(&[file]);
        let t = pipeline::translate(&loaded.input, &options, loaded.report);
        let rule = routes(&t.objects)
            .flat_map(|r| &r.spec.rules)
            .find(|r| r.name.as_deref() == Some("admin-r0-p0"))
            .expect("the protected rule is emitted");
        assert!(rule.backend_refs.is_empty() && rule.filters.is_empty());
        let cover = rule.matches[0].path.as_ref().and_then(|p| p.value.clone());
        assert_eq!(cover.as_deref(), Some("(?i)/admin/.*"));
        let error = t
            .notifications
            .iter()
            .find(|n| n.code.0 == "protected-path-fail-closed")
            .expect("an error names the protection");
        assert_eq!(error.severity, Severity::Error);
        for part in [
            "shop.example.com",
            "/admin/(?!public)(.*)",
            "basic authentication",
        ] {
            assert!(error.message.contains(part), "{part}: {}", error.message);
        }
    }
}
