//! The controller ConfigMap key catalog (`ing2gw::catalog::configmap`) against
//! what ingress-nginx and ing2gw really read:
//! - every key of ingress-nginx v1.15's ConfigMap documentation and of its
//!   configuration code is in the catalog with a class (no unknown-key false
//!   positive for a real key);
//! - every ConfigMap key a pass of `src/passes/` reads (found by scanning the
//!   source text) is in the catalog, so a key newly read by a pass cannot be
//!   forgotten here;
//! - ConfigMaps of the real-world corpus (`../shared/corpus`) that look like a
//!   controller ConfigMap (at least one catalog key) get no unknown-key warning
//!   for a catalog key.

#[path = "support/cases.rs"]
mod cases;

use ing2gw::catalog::configmap::{CONFIGMAP_KEYS, Handling, lookup_key};
use ing2gw::input::read_sources;
use ing2gw::options::TranslateOptions;
use ing2gw::passes::configmap_keys::CONFIGMAP_UNKNOWN_KEY;
use ing2gw::pipeline;
use regex::Regex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The keys of the table in ingress-nginx v1.15.1 `docs/user-guide/nginx-configuration/configmap.md`
/// (some of them, tracing and `use-geoip`, no longer read by the code: class `removed`).
const DOC_KEYS: &[&str] = &[
    "access-log-params",
    "access-log-path",
    "add-headers",
    "allow-backend-server-header",
    "allow-cross-namespace-resources",
    "allow-snippet-annotations",
    "annotation-value-word-blocklist",
    "annotations-risk-level",
    "bind-address",
    "block-cidrs",
    "block-referers",
    "block-user-agents",
    "brotli-level",
    "brotli-min-length",
    "brotli-types",
    "client-body-buffer-size",
    "client-body-timeout",
    "client-header-buffer-size",
    "client-header-timeout",
    "compute-full-forwarded-for",
    "custom-http-errors",
    "debug-connections",
    "default-type",
    "denylist-source-range",
    "disable-access-log",
    "disable-ipv6",
    "disable-ipv6-dns",
    "enable-access-log-for-default-backend",
    "enable-aio-write",
    "enable-brotli",
    "enable-modsecurity",
    "enable-multi-accept",
    "enable-ocsp",
    "enable-opentelemetry",
    "enable-owasp-modsecurity-crs",
    "enable-real-ip",
    "enable-serial-reloads",
    "enable-syslog",
    "enable-underscores-in-headers",
    "error-log-level",
    "error-log-path",
    "force-ssl-redirect",
    "forwarded-for-header",
    "forwarded-for-proxy-protocol-header",
    "generate-request-id",
    "geoip2-autoreload-in-minutes",
    "global-allowed-response-headers",
    "global-auth-cache-duration",
    "global-auth-cache-key",
    "global-auth-method",
    "global-auth-request-redirect",
    "global-auth-response-headers",
    "global-auth-signin",
    "global-auth-signin-redirect-param",
    "global-auth-snippet",
    "global-auth-url",
    "grpc-buffer-size-kb",
    "gzip-disable",
    "gzip-level",
    "gzip-min-length",
    "gzip-types",
    "hide-headers",
    "hsts",
    "hsts-include-subdomains",
    "hsts-max-age",
    "hsts-preload",
    "http-access-log-path",
    "http-redirect-code",
    "http-snippet",
    "http2-max-concurrent-streams",
    "http2-max-field-size",
    "http2-max-header-size",
    "http2-max-requests",
    "ignore-invalid-headers",
    "jaeger-baggage-header",
    "jaeger-collector-host",
    "jaeger-collector-port",
    "jaeger-debug-header",
    "jaeger-endpoint",
    "jaeger-propagation-format",
    "jaeger-sampler-host",
    "jaeger-sampler-param",
    "jaeger-sampler-port",
    "jaeger-sampler-type",
    "jaeger-service-name",
    "jaeger-trace-baggage-header-prefix",
    "jaeger-trace-context-header-name",
    "keep-alive",
    "keep-alive-requests",
    "large-client-header-buffers",
    "limit-conn-status-code",
    "limit-conn-zone-variable",
    "limit-rate",
    "limit-rate-after",
    "limit-req-status-code",
    "load-balance",
    "location-snippet",
    "log-format-escape-json",
    "log-format-escape-none",
    "log-format-stream",
    "log-format-upstream",
    "lua-shared-dicts",
    "main-snippet",
    "map-hash-bucket-size",
    "max-worker-connections",
    "max-worker-open-files",
    "modsecurity-snippet",
    "nginx-status-ipv4-whitelist",
    "nginx-status-ipv6-whitelist",
    "no-auth-locations",
    "no-tls-redirect-locations",
    "opentelemetry-config",
    "opentelemetry-operation-name",
    "opentelemetry-trust-incoming-span",
    "otel-max-export-batch-size",
    "otel-max-queuesize",
    "otel-sampler",
    "otel-sampler-parent-based",
    "otel-sampler-ratio",
    "otel-schedule-delay-millis",
    "otel-service-name",
    "otlp-collector-host",
    "otlp-collector-port",
    "proxy-add-original-uri-header",
    "proxy-body-size",
    "proxy-buffer-size",
    "proxy-buffering",
    "proxy-buffers-number",
    "proxy-busy-buffers-size",
    "proxy-connect-timeout",
    "proxy-cookie-domain",
    "proxy-cookie-path",
    "proxy-headers-hash-bucket-size",
    "proxy-headers-hash-max-size",
    "proxy-next-upstream",
    "proxy-next-upstream-timeout",
    "proxy-next-upstream-tries",
    "proxy-protocol-header-timeout",
    "proxy-read-timeout",
    "proxy-real-ip-cidr",
    "proxy-redirect-from",
    "proxy-request-buffering",
    "proxy-send-timeout",
    "proxy-set-headers",
    "proxy-ssl-location-only",
    "proxy-stream-next-upstream",
    "proxy-stream-next-upstream-timeout",
    "proxy-stream-next-upstream-tries",
    "proxy-stream-responses",
    "proxy-stream-timeout",
    "relative-redirects",
    "retry-non-idempotent",
    "reuse-port",
    "server-name-hash-bucket-size",
    "server-name-hash-max-size",
    "server-snippet",
    "server-tokens",
    "service-upstream",
    "skip-access-log-urls",
    "ssl-buffer-size",
    "ssl-ciphers",
    "ssl-dh-param",
    "ssl-ecdh-curve",
    "ssl-protocols",
    "ssl-redirect",
    "ssl-reject-handshake",
    "ssl-session-cache",
    "ssl-session-cache-size",
    "ssl-session-ticket-key",
    "ssl-session-tickets",
    "ssl-session-timeout",
    "stream-access-log-path",
    "stream-snippet",
    "strict-validate-path-type",
    "syslog-host",
    "syslog-port",
    "upstream-keepalive-connections",
    "upstream-keepalive-requests",
    "upstream-keepalive-time",
    "upstream-keepalive-timeout",
    "use-forwarded-headers",
    "use-geoip",
    "use-geoip2",
    "use-gzip",
    "use-http2",
    "use-proxy-protocol",
    "variables-hash-bucket-size",
    "variables-hash-max-size",
    "whitelist-source-range",
    "worker-cpu-affinity",
    "worker-processes",
    "worker-shutdown-timeout",
];

/// The keys ingress-nginx v1.15.1 decodes: the `json` tags of `config.Configuration`
/// and `defaults.Backend` (nested struct tags left out) and the keys
/// `template/configmap.go` parses itself (`bind-address`, `global-auth-*`).
const CODE_KEYS: &[&str] = &[
    "access-log-params",
    "access-log-path",
    "add-headers",
    "allow-backend-server-header",
    "allow-cross-namespace-resources",
    "allow-snippet-annotations",
    "annotation-value-word-blocklist",
    "annotations-risk-level",
    "app-root",
    "bind-address",
    "bind-address-ipv4",
    "bind-address-ipv6",
    "block-cidrs",
    "block-referers",
    "block-user-agents",
    "brotli-level",
    "brotli-min-length",
    "brotli-types",
    "client-body-buffer-size",
    "client-body-timeout",
    "client-header-buffer-size",
    "client-header-timeout",
    "compute-full-forwarded-for",
    "custom-http-errors",
    "debug-connections",
    "default-type",
    "denylist-source-range",
    "disable-access-log",
    "disable-http-access-log",
    "disable-ipv6",
    "disable-ipv6-dns",
    "disable-proxy-intercept-errors",
    "disable-stream-access-log",
    "enable-access-log-for-default-backend",
    "enable-aio-write",
    "enable-auth-access-log",
    "enable-brotli",
    "enable-modsecurity",
    "enable-multi-accept",
    "enable-ocsp",
    "enable-opentelemetry",
    "enable-owasp-modsecurity-crs",
    "enable-real-ip",
    "enable-serial-reloads",
    "enable-syslog",
    "enable-underscores-in-headers",
    "error-log-level",
    "error-log-path",
    "force-ssl-redirect",
    "forwarded-for-header",
    "forwarded-for-proxy-protocol-header",
    "forwarded-host-header",
    "generate-request-id",
    "geoip2-autoreload-in-minutes",
    "global-allowed-response-headers",
    "global-auth-always-set-cookie",
    "global-auth-cache-duration",
    "global-auth-cache-key",
    "global-auth-method",
    "global-auth-request-redirect",
    "global-auth-response-headers",
    "global-auth-signin",
    "global-auth-signin-redirect-param",
    "global-auth-snippet",
    "global-auth-url",
    "grpc-buffer-size-kb",
    "gzip-disable",
    "gzip-level",
    "gzip-min-length",
    "gzip-types",
    "hide-headers",
    "hsts",
    "hsts-include-subdomains",
    "hsts-max-age",
    "hsts-preload",
    "http-access-log-path",
    "http-redirect-code",
    "http-snippet",
    "http2-max-concurrent-streams",
    "http2-max-field-size",
    "http2-max-header-size",
    "http2-max-requests",
    "ignore-invalid-headers",
    "keep-alive",
    "keep-alive-requests",
    "large-client-header-buffers",
    "limit-conn-status-code",
    "limit-conn-zone-variable",
    "limit-rate",
    "limit-rate-after",
    "limit-req-status-code",
    "load-balance",
    "location-snippet",
    "log-format-escape-json",
    "log-format-escape-none",
    "log-format-stream",
    "log-format-upstream",
    "lua-shared-dicts",
    "main-snippet",
    "map-hash-bucket-size",
    "max-worker-connections",
    "max-worker-open-files",
    "modsecurity-snippet",
    "nginx-status-ipv4-whitelist",
    "nginx-status-ipv6-whitelist",
    "no-auth-locations",
    "no-tls-redirect-locations",
    "opentelemetry-config",
    "opentelemetry-operation-name",
    "opentelemetry-trust-incoming-span",
    "otel-max-export-batch-size",
    "otel-max-queuesize",
    "otel-sampler",
    "otel-sampler-parent-based",
    "otel-sampler-ratio",
    "otel-schedule-delay-millis",
    "otel-service-name",
    "otlp-collector-host",
    "otlp-collector-port",
    "preserve-trailing-slash",
    "proxy-add-original-uri-header",
    "proxy-body-size",
    "proxy-buffer-size",
    "proxy-buffering",
    "proxy-buffers-number",
    "proxy-busy-buffers-size",
    "proxy-connect-timeout",
    "proxy-cookie-domain",
    "proxy-cookie-path",
    "proxy-headers-hash-bucket-size",
    "proxy-headers-hash-max-size",
    "proxy-http-version",
    "proxy-max-temp-file-size",
    "proxy-next-upstream",
    "proxy-next-upstream-timeout",
    "proxy-next-upstream-tries",
    "proxy-protocol-header-timeout",
    "proxy-read-timeout",
    "proxy-real-ip-cidr",
    "proxy-redirect-from",
    "proxy-redirect-to",
    "proxy-request-buffering",
    "proxy-send-timeout",
    "proxy-set-headers",
    "proxy-ssl-location-only",
    "proxy-stream-next-upstream",
    "proxy-stream-next-upstream-timeout",
    "proxy-stream-next-upstream-tries",
    "proxy-stream-responses",
    "proxy-stream-timeout",
    "relative-redirects",
    "retry-non-idempotent",
    "reuse-port",
    "server-name-hash-bucket-size",
    "server-name-hash-max-size",
    "server-snippet",
    "server-tokens",
    "service-upstream",
    "skip-access-log-urls",
    "ssl-buffer-size",
    "ssl-ciphers",
    "ssl-dh-param",
    "ssl-early-data",
    "ssl-ecdh-curve",
    "ssl-protocols",
    "ssl-redirect",
    "ssl-reject-handshake",
    "ssl-session-cache",
    "ssl-session-cache-size",
    "ssl-session-ticket-key",
    "ssl-session-tickets",
    "ssl-session-timeout",
    "stream-access-log-path",
    "stream-snippet",
    "strict-validate-path-type",
    "syslog-host",
    "syslog-port",
    "upstream-hash-by",
    "upstream-hash-by-subset",
    "upstream-hash-by-subset-size",
    "upstream-keepalive-connections",
    "upstream-keepalive-requests",
    "upstream-keepalive-time",
    "upstream-keepalive-timeout",
    "use-forwarded-headers",
    "use-geoip2",
    "use-gzip",
    "use-http2",
    "use-port-in-redirects",
    "use-proxy-protocol",
    "variables-hash-bucket-size",
    "variables-hash-max-size",
    "whitelist-source-range",
    "worker-cpu-affinity",
    "worker-processes",
    "worker-shutdown-timeout",
];

#[test]
fn every_documented_and_decoded_key_has_a_class() {
    for key in DOC_KEYS.iter().chain(CODE_KEYS) {
        assert!(
            lookup_key(key).is_some(),
            "`{key}` is missing from the catalog"
        );
    }
    for key in CODE_KEYS {
        let e = lookup_key(key).expect("checked above");
        assert_ne!(
            e.handling,
            Handling::Removed,
            "`{key}` is read by v1.15: not removed"
        );
    }
    // Every catalog key is real: read by v1.15 or removed from it.
    for e in CONFIGMAP_KEYS {
        assert!(
            CODE_KEYS.contains(&e.key) || e.handling == Handling::Removed,
            "`{}` is neither decoded by v1.15 nor marked removed",
            e.key
        );
    }
}

/// `src/passes/**/*.rs` without their `#[cfg(test)]` modules.
fn pass_sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/passes readable")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") && !p.ends_with("test_support.rs") {
                let text = std::fs::read_to_string(&p).expect("readable source");
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                out.push((p, code));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/passes"),
        &mut out,
    );
    out
}

/// The ConfigMap keys a pass reads, from the source text: literal arguments of
/// `ControllerConfig` reads (`config.get("…")`, `cm.value("…")`, `self.int("…")`
/// in config.rs…), of `annotated::setting(cx, ing, "…")` (an annotation whose
/// default is the ConfigMap key of the same name), and the string literals of
/// arrays fed to those reads (`[…].iter().any(|k| cx.config.value(k))`,
/// `for (key, _) in [("…", …)] { cx.config.get(key) }`, `const X_KEYS` /
/// `let x_keys` used in a statement that reads the ConfigMap).
fn keys_read_by_passes() -> BTreeSet<(String, String)> {
    let read =
        r"(?:\bconfig|\bcm|\bself)\s*\.\s*(?:get|value|bool_set|uint_set|bool|int|provenance)\(";
    let literal_call = Regex::new(&format!(r#"{read}\s*"([a-z0-9-]+)""#)).expect("regex");
    let setting = Regex::new(r#"setting\(\s*cx,\s*ing,\s*"([a-z0-9-]+)""#).expect("regex");
    let var_read = Regex::new(&format!(
        r"(?:{read}\s*&?\*?[A-Za-z_]|setting\(\s*cx,\s*ing,\s*[A-Za-z_]|first_set\()"
    ))
    .expect("regex");
    let array = Regex::new(r#"(?s)\[\s*(\(?\s*"[a-z0-9-]+"[^\[\]]*?)\]"#).expect("regex");
    let named = Regex::new(
        r#"(?s)(?:const\s+([A-Z_]*KEYS)|let\s+([a-z_]*keys))\s*(?::[^=]*)?=\s*\[([^\]]*)\]"#,
    )
    .expect("regex");
    let string = Regex::new(r#""([a-z0-9-]+)""#).expect("regex");
    let mut keys = BTreeSet::new();
    for (path, code) in pass_sources() {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        // `self.` reads only count in the ControllerConfig itself.
        let text = if file == "config.rs" {
            code.clone()
        } else {
            code.replace("self.", "this.")
        };
        for re in [&literal_call, &setting] {
            for c in re.captures_iter(&text) {
                keys.insert((c[1].to_string(), file.clone()));
            }
        }
        // Inline arrays followed (within the statement or loop head) by a read
        // with a variable argument.
        for c in array.captures_iter(&text) {
            let end = c.get(0).map_or(0, |m| m.end());
            let after: String = text[end..].chars().take(200).collect();
            if var_read.is_match(&after) {
                for s in string.captures_iter(&c[1]) {
                    keys.insert((s[1].to_string(), file.clone()));
                }
            }
        }
        // Named key arrays used in a statement that reads the ConfigMap.
        for c in named.captures_iter(&text) {
            let name = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
            let def_end = c.get(0).map_or(0, |m| m.end());
            // The statement around each use: from the previous `;`/`{`/`}`
            // to the next `;`.
            let used = text[def_end..].match_indices(name).any(|(i, _)| {
                let at = def_end + i;
                let start = text[..at].rfind([';', '{', '}']).map_or(0, |s| s + 1);
                let end = text[at..].find(';').map_or(text.len(), |e| at + e);
                var_read.is_match(&text[start..end])
            });
            if used {
                for s in string.captures_iter(&c[3]) {
                    keys.insert((s[1].to_string(), file.clone()));
                }
            }
        }
    }
    keys
}

#[test]
fn every_configmap_key_a_pass_reads_is_in_the_catalog() {
    let read = keys_read_by_passes();
    let names: BTreeSet<&str> = read.iter().map(|(k, _)| k.as_str()).collect();
    // The scan itself finds reads of each shape.
    for expected in [
        "ssl-redirect",              // config.bool("…")
        "use-gzip",                  // cm.bool_set("…")
        "proxy-body-size",           // annotated::setting(cx, ing, "…")
        "proxy-buffering",           // const BUFFERING_KEYS fed to setting
        "proxy-read-timeout",        // const TIMEOUT_KEYS fed to setting
        "keep-alive",                // let timeout_keys fed to cm.uint_set
        "forwarded-for-header",      // let ip_keys fed to first_set
        "service-upstream",          // inline array fed to config.value(k)
        "add-headers",               // for (key, _) in [(…)] { config.get(key) }
        "no-tls-redirect-locations", // self.get in config.rs
    ] {
        assert!(
            names.contains(expected),
            "the scan misses `{expected}`: {names:?}"
        );
    }
    let mut missing = Vec::new();
    for (key, file) in &read {
        match lookup_key(key) {
            // Annotations whose ConfigMap key does not exist are read through
            // `setting` only as annotations (none today).
            None => missing.push(format!("{key} (read in {file})")),
            Some(e) if e.handling == Handling::Removed => missing.push(format!(
                "{key} (read in {file}, but the catalog says removed)"
            )),
            Some(_) => {}
        }
    }
    assert!(
        missing.is_empty(),
        "ConfigMap keys read by passes but not in src/catalog/configmap.rs: {missing:?}"
    );
}

#[test]
fn corpus_controller_configmaps_have_no_false_unknown_keys() {
    let Some(files) = cases::corpus_files(&["yaml", "yml"]) else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let mut checked = 0;
    for file in &files {
        let sources = read_sources(&[file.display().to_string()]).expect("readable corpus file");
        let loaded = pipeline::load(&sources);
        if loaded.input.ingresses.is_empty() {
            continue;
        }
        for cm in &loaded.input.config_maps {
            if !cm.data.keys().any(|k| lookup_key(k).is_some()) {
                continue; // not a controller ConfigMap
            }
            checked += 1;
            let options = TranslateOptions {
                nginx_configmap: Some((
                    cm.obj.namespace.clone().unwrap_or_default(),
                    cm.obj.name.clone(),
                )),
                ..Default::default()
            };
            let t = pipeline::translate(&loaded.input, &options, pipeline::load(&sources).report);
            for n in t
                .notifications
                .iter()
                .filter(|n| n.code == CONFIGMAP_UNKNOWN_KEY)
            {
                let key = n
                    .field
                    .as_deref()
                    .unwrap_or("")
                    .trim_start_matches("ConfigMap ");
                assert!(
                    lookup_key(key).is_none_or(|e| e.handling == Handling::Removed),
                    "{}: real key `{key}` reported unknown: {}",
                    file.display(),
                    n.message
                );
            }
        }
    }
    eprintln!("corpus: {checked} controller-like ConfigMap(s) checked");
}

/// A ConfigMap with `key: value` and one Ingress without annotations.
fn translate_with(key: &str, value: &str) -> Vec<ing2gw::report::Notification> {
    translate_full(key, value).1
}

/// The output (YAML of the objects) and notifications of [`translate_with`]'s
/// input, whose Ingress has TLS and a snippet-free, annotation-free rule.
fn translate_full(key: &str, value: &str) -> (String, Vec<ing2gw::report::Notification>) {
    let yaml = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: ingress-nginx-controller, namespace: ingress-nginx}}\ndata:\n  {key}: {value:?}\n---\n\
         apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: web, namespace: shop}}\nspec:\n  ingressClassName: nginx\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n"
    );
    let loaded = pipeline::load(&[ing2gw::input::SourceFile {
        name: "cm.yaml".into(),
        text: std::sync::Arc::from(yaml.as_str()),
    }]);
    let options = TranslateOptions {
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..Default::default()
    };
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let objects = format!("{:?}", t.objects);
    (objects, t.notifications)
}

/// The configmap-keys pass is silent on annotation-default keys because their
/// pass reports the ConfigMap value: check that it really does, for each one.
#[test]
fn annotation_default_keys_are_reported_by_their_pass() {
    let samples = [
        ("denylist-source-range", "192.0.2.0/24"),
        ("proxy-connect-timeout", "3"),
        ("proxy-read-timeout", "120"),
        ("proxy-send-timeout", "120"),
        ("whitelist-source-range", "10.0.0.0/8"),
    ];
    let listed: Vec<&str> = CONFIGMAP_KEYS
        .iter()
        .filter(|e| e.handling == Handling::AnnotationDefault)
        .map(|e| e.key)
        .collect();
    assert_eq!(
        listed,
        samples.map(|(k, _)| k).to_vec(),
        "a sample per annotation-default key"
    );
    // What an unrelated key reports: the baseline every run has.
    let baseline: Vec<String> = translate_with("worker-processes", "4")
        .iter()
        .filter(|n| !n.code.0.starts_with("configmap-"))
        .map(|n| n.message.clone())
        .collect();
    for (key, value) in samples {
        let n = translate_with(key, value);
        let extra: Vec<_> = n
            .iter()
            .filter(|n| !n.code.0.starts_with("configmap-") && !baseline.contains(&n.message))
            .collect();
        assert!(
            !extra.is_empty(),
            "ConfigMap `{key}: {value}` is reported by no pass: {:#?}",
            n.iter().map(|n| (n.code.0, &n.message)).collect::<Vec<_>>()
        );
        // And the configmap-keys pass stays silent about it.
        assert!(
            !n.iter()
                .any(|n| n.field.as_deref() == Some(&format!("ConfigMap {key}"))
                    && n.code.0.starts_with("configmap-")),
            "{key}"
        );
    }
}

/// One translation: ConfigMap `data`, an Ingress with `annotations` and one
/// `path` (TLS on its host when `tls`): the objects (debug text) and the
/// notification messages.
fn translate_case(
    data: &[(&str, &str)],
    annotations: &[(&str, &str)],
    path: &str,
    tls: bool,
) -> (String, BTreeSet<String>) {
    let mut yaml = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ingress-nginx-controller, namespace: ingress-nginx}\ndata:\n",
    );
    for (k, v) in data {
        yaml.push_str(&format!("  {k}: {v:?}\n"));
    }
    // A header ConfigMap for add-headers, proxy-set-headers and custom-headers.
    yaml.push_str("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra-headers, namespace: shop}\ndata:\n  X-Extra: \"1\"\n");
    yaml.push_str("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n");
    for (k, v) in annotations {
        yaml.push_str(&format!("    nginx.ingress.kubernetes.io/{k}: {v:?}\n"));
    }
    yaml.push_str("spec:\n  ingressClassName: nginx\n");
    if tls {
        yaml.push_str("  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n");
    }
    yaml.push_str(&format!(
        "  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - {{path: {path:?}, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n"
    ));
    let loaded = pipeline::load(&[ing2gw::input::SourceFile {
        name: "cm.yaml".into(),
        text: std::sync::Arc::from(yaml.as_str()),
    }]);
    let options = TranslateOptions {
        nginx_configmap: Some(("ingress-nginx".into(), "ingress-nginx-controller".into())),
        ..Default::default()
    };
    let t = pipeline::translate(&loaded.input, &options, loaded.report);
    let notes = t
        .notifications
        .iter()
        .filter(|n| !n.code.0.starts_with("configmap-"))
        .map(|n| format!("{}: {}", n.code, n.message))
        .collect();
    (format!("{:?}", t.objects), notes)
}

/// Translated keys change the output or the notifications of an input where
/// they matter (the same input without the key is the baseline).
#[test]
fn translated_keys_change_the_output_or_are_reported() {
    type Case = (
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static [(&'static str, &'static str)],
        &'static str,
        bool,
    );
    let modsec: &[(&str, &str)] = &[("enable-modsecurity", "true")];
    let samples: [Case; 24] = [
        ("add-headers", "shop/extra-headers", &[], &[], "/", true),
        (
            "allow-cross-namespace-resources",
            "true",
            &[],
            &[("auth-type", "basic"), ("auth-secret", "other/users")],
            "/",
            true,
        ),
        (
            "allow-snippet-annotations",
            "true",
            &[("annotations-risk-level", "Critical")],
            &[("configuration-snippet", "more_set_headers \"X-A: b\";")],
            "/",
            true,
        ),
        (
            "annotation-value-word-blocklist",
            "internal",
            &[],
            &[("upstream-vhost", "web.internal")],
            "/",
            true,
        ),
        (
            "annotations-risk-level",
            "Medium",
            &[],
            &[("auth-signin", "https://login.example.com/")],
            "/",
            true,
        ),
        ("block-cidrs", "192.0.2.0/24", &[], &[], "/", true),
        ("block-referers", "evil.example", &[], &[], "/", true),
        ("block-user-agents", "curl", &[], &[], "/", true),
        ("enable-modsecurity", "true", &[], &[], "/", true),
        (
            "enable-owasp-modsecurity-crs",
            "true",
            modsec,
            &[],
            "/",
            true,
        ),
        ("force-ssl-redirect", "true", &[], &[], "/", false),
        (
            "global-allowed-response-headers",
            "X-Extra",
            &[],
            &[("custom-headers", "shop/extra-headers")],
            "/",
            true,
        ),
        (
            "global-auth-url",
            "http://auth.example.com/check",
            &[],
            &[],
            "/",
            true,
        ),
        ("hsts", "false", &[], &[], "/", true),
        ("hsts-include-subdomains", "false", &[], &[], "/", true),
        ("hsts-max-age", "600", &[], &[], "/", true),
        ("hsts-preload", "true", &[], &[], "/", true),
        ("http-redirect-code", "301", &[], &[], "/", true),
        (
            "location-snippet",
            "more_set_headers \"X-A: b\";",
            &[],
            &[],
            "/",
            true,
        ),
        ("no-tls-redirect-locations", "/", &[], &[], "/", true),
        ("preserve-trailing-slash", "true", &[], &[], "/app/", true),
        (
            "proxy-set-headers",
            "shop/extra-headers",
            &[],
            &[],
            "/",
            true,
        ),
        (
            "server-snippet",
            "more_set_headers \"X-A: b\";",
            &[],
            &[],
            "/",
            true,
        ),
        ("ssl-redirect", "false", &[], &[], "/", true),
    ];
    let listed: Vec<&str> = CONFIGMAP_KEYS
        .iter()
        .filter(|e| e.handling == Handling::Translated)
        .map(|e| e.key)
        .collect();
    assert_eq!(
        listed,
        samples.map(|c| c.0).to_vec(),
        "a sample per translated key"
    );
    let mut silent = Vec::new();
    for (key, value, extra, annotations, path, tls) in samples {
        let base = translate_case(extra, annotations, path, tls);
        let mut data = extra.to_vec();
        data.push((key, value));
        if translate_case(&data, annotations, path, tls) == base {
            silent.push(key);
        }
    }
    assert_eq!(
        silent,
        Vec::<&str>::new(),
        "translated keys with no effect where they matter"
    );
}

/// A key classed *gateway fact* is one `src/passes/gateway_facts.rs` records
/// (its name appears there), and every key that pass reads is classed so.
#[test]
fn gateway_fact_keys_are_the_ones_gateway_facts_records() {
    let facts: BTreeSet<String> = keys_read_by_passes()
        .into_iter()
        .filter(|(_, file)| file == "gateway_facts.rs")
        .map(|(k, _)| k)
        .collect();
    let classed: BTreeSet<String> = CONFIGMAP_KEYS
        .iter()
        .filter(|e| e.handling == Handling::GatewayFact)
        .map(|e| e.key.to_string())
        .collect();
    assert_eq!(classed, facts);
}
