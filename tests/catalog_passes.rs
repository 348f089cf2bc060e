//! The catalog and the passes agree: every annotation whose catalog support level
//! says ing2gw translates it (translated / approximated) is claimed by a registered
//! pass and changes the emitted objects when set on an Ingress; every annotation
//! the catalog calls unsupported leaves the objects alone (only notifications);
//! aliases are claimed together with their canonical key.

use ing2gw::catalog::{ANNOTATIONS, Support};
use ing2gw::input::SourceFile;
use ing2gw::options::{Channel, TranslateOptions};
use ing2gw::{output, passes, pipeline};
use std::sync::Arc;

const PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// Sample value of each key, and the annotations it needs to have an effect.
fn sample(key: &str) -> (String, &'static [(&'static str, &'static str)]) {
    let (value, companions) = sample_static(key);
    match value {
        Some(v) => (v.to_string(), companions),
        None => (testdata_value(key), companions),
    }
}

/// The first value of `key` in `testdata/**/input.yaml`.
fn testdata_value(key: &str) -> String {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("testdata readable")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "input.yaml") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"),
        &mut files,
    );
    let needle = format!("{PREFIX}{key}:");
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .expect("readable")
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find_map(|l| {
            let v = l.trim().strip_prefix(&needle)?.trim();
            Some(v.trim_matches('"').trim_matches('\'').to_string())
        })
        .unwrap_or_else(|| panic!("{key}: no value in testdata"))
}

fn sample_static(
    key: &str,
) -> (
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
) {
    const COOKIE: &[(&str, &str)] = &[("affinity", "cookie")];
    const HTTPS: &[(&str, &str)] = &[("backend-protocol", "HTTPS")];
    const CORS: &[(&str, &str)] = &[("enable-cors", "true")];
    const AUTH: &[(&str, &str)] = &[("auth-url", "http://auth.default.svc.cluster.local/verify")];
    const TLS: &[(&str, &str)] = &[("auth-tls-secret", "default/ca")];
    match key {
        "affinity" => (Some("cookie"), &[]),
        "affinity-mode" => (Some("persistent"), COOKIE),
        "session-cookie-name" => (Some("SESS"), COOKIE),
        "session-cookie-expires" | "session-cookie-max-age" => (Some("3600"), COOKIE),
        "auth-url" => (Some("http://auth.default.svc.cluster.local/verify"), &[]),
        "auth-response-headers" => (Some("X-User"), AUTH),
        "auth-tls-secret" => (Some("default/ca"), &[]),
        "auth-tls-verify-client" => (Some("optional"), TLS),
        "enable-global-auth" => (
            Some("false"),
            &[(
                "@cm:global-auth-url",
                "http://auth.default.svc.cluster.local/verify",
            )],
        ),
        "backend-protocol" => (Some("HTTPS"), &[]),
        "proxy-ssl-secret" => (Some("default/client"), HTTPS),
        "proxy-ssl-name" => (Some("backend.internal"), HTTPS),
        "proxy-ssl-server-name" => (Some("on"), HTTPS),
        "proxy-ssl-verify" => (
            Some("on"),
            &[
                ("backend-protocol", "HTTPS"),
                ("proxy-ssl-secret", "default/client"),
            ],
        ),
        "canary" => (Some("true"), &[]),
        "canary-weight" => (Some("30"), &[("canary", "true")]),
        "canary-weight-total" => (Some("1000"), &[("canary", "true"), ("canary-weight", "30")]),
        "canary-by-header" => (Some("X-Canary"), &[("canary", "true")]),
        "canary-by-header-value" => (
            Some("yes"),
            &[("canary", "true"), ("canary-by-header", "X-Canary")],
        ),
        "canary-by-header-pattern" => (
            Some("^y.*"),
            &[("canary", "true"), ("canary-by-header", "X-Canary")],
        ),
        "canary-by-cookie" => (Some("beta"), &[("canary", "true")]),
        "enable-cors" => (Some("true"), &[]),
        "cors-allow-origin" => (Some("https://a.example"), CORS),
        "cors-allow-methods" => (Some("GET"), CORS),
        "cors-allow-headers" => (Some("X-A"), CORS),
        "cors-expose-headers" => (Some("X-B"), CORS),
        "cors-allow-credentials" => (
            Some("false"),
            &[
                ("enable-cors", "true"),
                ("cors-allow-origin", "https://a.example"),
            ],
        ),
        "cors-max-age" => (Some("60"), CORS),
        "connection-proxy-header" => (Some("keep-alive"), &[]),
        "custom-headers" => (Some("default/hdrs"), &[]),
        "upstream-vhost" => (Some("internal.example"), &[]),
        "mirror-target" => (Some("http://mirror.default.svc$request_uri"), &[]),
        "mirror-host" => (
            Some("mirror.example"),
            &[("mirror-target", "http://mirror.default.svc$request_uri")],
        ),
        "server-alias" => (Some("alias.example.com"), &[]),
        "from-to-www-redirect" => (Some("true"), &[]),
        "permanent-redirect" | "temporal-redirect" => (Some("https://x.example/"), &[]),
        "permanent-redirect-code" => (Some("308"), &[("permanent-redirect", "https://x.example/")]),
        "temporal-redirect-code" => (Some("307"), &[("temporal-redirect", "https://x.example/")]),
        "use-port-in-redirects" => (Some("true"), &[("permanent-redirect", "/moved")]),
        "use-regex" => (Some("true"), &[]),
        "rewrite-target" => (Some("/"), &[]),
        "x-forwarded-prefix" => (Some("/api"), &[("rewrite-target", "/")]),
        "configuration-snippet" | "server-snippet" => (Some("more_set_headers \"X-A: b\";"), &[]),
        "proxy-next-upstream" => (Some("error timeout http_502"), &[]),
        "proxy-next-upstream-tries" => (Some("5"), &[]),
        "proxy-next-upstream-timeout" => (Some("10"), &[]),
        "proxy-read-timeout" | "proxy-send-timeout" | "proxy-connect-timeout" => (Some("120"), &[]),
        "ssl-passthrough" => (Some("true"), &[("@path", "/")]),
        "ssl-redirect" => (Some("false"), &[]),
        "force-ssl-redirect" => (Some("true"), &[("@no-tls", "")]),
        "preserve-trailing-slash" => (Some("true"), &[]),
        "app-root" => (Some("/app"), &[]),
        "auth-method"
        | "auth-signin"
        | "auth-cache-key"
        | "auth-cache-duration"
        | "auth-keepalive"
        | "auth-keepalive-requests"
        | "auth-keepalive-timeout"
        | "auth-keepalive-share-vars"
        | "auth-always-set-cookie"
        | "auth-request-redirect"
        | "auth-signin-redirect-param"
        | "auth-proxy-set-headers"
        | "auth-snippet" => (None, AUTH),
        _ => (None, &[]),
    }
}

/// A ConfigMap allowing snippets and holding custom headers, a main Ingress
/// (with TLS) and one Ingress carrying `annotations` (a canary when asked).
fn manifest(annotations: &[(&str, &str)]) -> String {
    let control = |k: &str| {
        annotations
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| *v)
    };
    let path = control("@path").unwrap_or("/api");
    let tls = if control("@no-tls").is_some() {
        ""
    } else {
        "  tls:\n  - hosts: [www.example.com]\n    secretName: cert\n"
    };
    let cm: String = annotations
        .iter()
        .filter_map(|(k, v)| Some(format!("  {}: {v:?}\n", k.strip_prefix("@cm:")?)))
        .collect();
    let notes: String = annotations
        .iter()
        .filter(|(k, _)| !k.starts_with('@'))
        .map(|(k, v)| format!("    {PREFIX}{k}: {}\n", serde_json::to_string(v).unwrap()))
        .collect();
    let canary = annotations.iter().any(|(k, _)| k.starts_with("canary"));
    let main = if canary {
        "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: main, namespace: default}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: www.example.com\n    http:\n      paths:\n      - {path: /api, pathType: Prefix, backend: {service: {name: main, port: {number: 80}}}}\n"
    } else {
        ""
    };
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: ingress-nginx-controller, namespace: ingress-nginx}}\ndata:\n  allow-snippet-annotations: \"true\"\n  annotations-risk-level: Critical\n{cm}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: hdrs, namespace: default}}\ndata:\n  X-Frame-Options: DENY\n{main}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  namespace: default\n  annotations:\n{notes}    {PREFIX}unrelated-placeholder: \"x\"\nspec:\n  ingressClassName: nginx\n{tls}  rules:\n  - host: www.example.com\n    http:\n      paths:\n      - {{path: {path}, pathType: Prefix, backend: {{service: {{name: app, port: {{number: 80}}}}}}}}\n"
    )
}

/// Translated keys whose sample value is what Gateway API does anyway: the objects
/// stay the same and only the notifications change (the difference warned about
/// without the annotation disappears).
const SAME_AS_GATEWAY_API: &[(&str, &str)] = &[
    ("preserve-trailing-slash", "RequestRedirect keeps the path"),
    ("proxy-ssl-server-name", "BackendTLSPolicy always sends SNI"),
    ("proxy-ssl-verify", "BackendTLSPolicy always verifies"),
];

/// The emitted objects (JSON) and the notifications for `annotations`.
fn translate(annotations: &[(&str, &str)]) -> (String, String) {
    let file = SourceFile {
        name: "case.yaml".into(),
        text: Arc::from(manifest(annotations)),
    };
    let loaded = pipeline::load(&[file]);
    let options = TranslateOptions {
        channel: Channel::Experimental,
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..TranslateOptions::default()
    };
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let notes: Vec<String> = t.notifications.iter().map(|n| n.message.clone()).collect();
    (
        output::to_json(&t.objects).expect("serialisable"),
        notes.join("\n"),
    )
}

fn objects(annotations: &[(&str, &str)]) -> String {
    translate(annotations).0
}

fn with_sample<'a>(
    key: &'a str,
    value: &'a str,
    companions: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    companions.iter().copied().chain([(key, value)]).collect()
}

/// True when setting `key` (with its companions) changes the emitted objects.
fn changes_objects(key: &str) -> bool {
    let (value, companions) = sample(key);
    objects(&with_sample(key, &value, companions)) != objects(companions)
}

fn claimed() -> Vec<&'static str> {
    passes::registry()
        .iter()
        .flat_map(|p| p.annotations().iter().copied())
        .collect()
}

#[test]
fn translated_and_approximated_keys_are_claimed_by_a_pass() {
    let claimed = claimed();
    let missing: Vec<&str> = ANNOTATIONS
        .iter()
        .filter(|a| matches!(a.support, Support::Translated | Support::Approximated))
        .map(|a| a.name)
        .filter(|n| !claimed.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "translated in the catalog, claimed by no pass: {missing:?}"
    );
}

#[test]
fn aliases_are_claimed_with_their_canonical_key() {
    let claimed = claimed();
    for a in ANNOTATIONS.iter().filter(|a| a.alias_of.is_some()) {
        assert_eq!(
            claimed.contains(&a.name),
            claimed.contains(&a.canonical()),
            "{} and {} claimed differently",
            a.name,
            a.canonical()
        );
    }
}

#[test]
fn translated_and_approximated_keys_change_the_emitted_objects() {
    let inert: Vec<&str> = ANNOTATIONS
        .iter()
        .filter(|a| matches!(a.support, Support::Translated | Support::Approximated))
        .map(|a| a.name)
        .filter(|n| !SAME_AS_GATEWAY_API.iter().any(|(k, _)| k == n))
        .filter(|n| !changes_objects(n))
        .collect();
    assert!(
        inert.is_empty(),
        "catalog says translated/approximated, but the objects do not change: {inert:?}"
    );
}

#[test]
fn keys_that_match_gateway_api_change_only_the_notifications() {
    for (key, why) in SAME_AS_GATEWAY_API {
        let info = ing2gw::catalog::lookup(key).expect("catalog key");
        assert!(
            matches!(info.support, Support::Translated | Support::Approximated),
            "{key}"
        );
        let (value, companions) = sample(key);
        let (objects_with, notes_with) = translate(&with_sample(key, &value, companions));
        let (objects_without, notes_without) = translate(companions);
        assert_eq!(
            objects_with, objects_without,
            "{key} ({why}) changed the objects"
        );
        assert_ne!(notes_with, notes_without, "{key} ({why}): no pass reacted");
    }
}

#[test]
fn unsupported_keys_only_notify() {
    let effective: Vec<&str> = ANNOTATIONS
        .iter()
        .filter(|a| a.support == Support::Unsupported)
        .map(|a| a.name)
        .filter(|n| changes_objects(n))
        .collect();
    assert!(
        effective.is_empty(),
        "catalog says unsupported, but the objects change: {effective:?}"
    );
}

#[test]
fn the_harness_sees_a_change() {
    // A key every build translates, and one no pass knows.
    assert!(changes_objects("permanent-redirect"));
    assert_eq!(objects(&[("no-such-annotation", "x")]), objects(&[]));
}

/// Implementation-specific keys either only notify or close the rules they guard
/// (fail-closed access control): they never open or reshape a route.
#[test]
fn implementation_specific_keys_only_notify_or_close() {
    const CLOSES: &[&str] = &[
        "allowlist-source-range",
        "whitelist-source-range",
        "denylist-source-range",
        "auth-type",
        "limit-connections",
        "limit-rpm",
        "limit-rps",
        // A web application firewall restricts access: fail-closed too.
        "enable-modsecurity",
    ];
    for a in ANNOTATIONS
        .iter()
        .filter(|a| a.support == Support::ImplementationSpecific)
    {
        let (value, companions) = sample(a.name);
        let with = objects(&with_sample(a.name, &value, companions));
        let without = objects(companions);
        if CLOSES.contains(&a.name) {
            assert!(
                a.risky
                    || matches!(
                        a.family,
                        ing2gw::catalog::Family::RateLimit | ing2gw::catalog::Family::Modsecurity
                    ),
                "{}",
                a.name
            );
            assert_ne!(with, without, "{}: expected the rules to be closed", a.name);
            let json: serde_json::Value = serde_json::from_str(&with).expect("json");
            let forwards_open = json["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter(|o| o["kind"] == "HTTPRoute")
                .flat_map(|o| o["spec"]["rules"].as_array().cloned().unwrap_or_default())
                .any(|r| {
                    r["backendRefs"].as_array().is_some_and(|b| !b.is_empty())
                        && !r["filters"]
                            .as_array()
                            .is_some_and(|f| f.iter().any(|f| f["type"] == "ExtensionRef"))
                });
            assert!(
                !forwards_open,
                "{}: a rule forwards without a guard: {with}",
                a.name
            );
        } else {
            assert_eq!(
                with, without,
                "{}: implementation-specific but the objects change",
                a.name
            );
        }
    }
}
