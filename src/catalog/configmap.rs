//! The ingress-nginx controller ConfigMap key catalog: every key controller v1.15
//! reads from its ConfigMap (`config.go`, `defaults/main.go` and the keys
//! `template/configmap.go` parses by hand), plus the keys earlier controllers read
//! and v1.15 ignores, each with its default, its scope and what ing2gw does with it.
//!
//! The `configmap-keys` pass reads this table to make sure no key of the
//! ConfigMap is dropped silently; `docs/configmap.md` is rendered from it
//! ([`markdown`], kept identical by `tests/configmap_doc.rs`).

use serde::Serialize;
use std::fmt::Write;

/// What a key configures in ingress-nginx.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "annotation")]
pub enum KeyScope {
    /// The default of the annotation of that name (without prefix): an
    /// annotation on an Ingress overrides it for that Ingress.
    DefaultOf(&'static str),
    /// Behaviour of every server/location of the controller.
    Controller,
    /// Logs, metrics, tracing.
    Observability,
    /// nginx process tuning (workers, hash tables, buffers of the process).
    Process,
    /// Admission and hardening of the controller itself.
    Security,
}

impl KeyScope {
    pub fn describe(self) -> String {
        match self {
            KeyScope::DefaultOf(a) => format!("annotation default (`{a}`)"),
            KeyScope::Controller => "controller-wide".into(),
            KeyScope::Observability => "logging & metrics".into(),
            KeyScope::Process => "nginx process tuning".into(),
            KeyScope::Security => "security".into(),
        }
    }
}

/// What ing2gw does with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Handling {
    /// A pass translates it (the standard output changes) and reports it.
    Translated,
    /// A pass reads it as the default of an annotation and reports the value
    /// wherever it applies.
    AnnotationDefault,
    /// Recorded in `Gateway.policy` for implementation emitters; the standard
    /// output does not carry it (the `configmap-keys` pass warns).
    GatewayFact,
    /// Behaviour the Gateway will not have (the `configmap-keys` pass warns
    /// with what to do instead).
    NotExpressible,
    /// Changes nothing a client can observe on the data plane (logs, metrics,
    /// process tuning): listed once as info.
    NoDataPlaneEffect,
    /// Removed from ingress-nginx before v1.15: the controller ignores it.
    Removed,
}

impl Handling {
    pub fn as_str(self) -> &'static str {
        match self {
            Handling::Translated => "translated",
            Handling::AnnotationDefault => "annotation default",
            Handling::GatewayFact => "gateway fact",
            Handling::NotExpressible => "not expressible",
            Handling::NoDataPlaneEffect => "no data-plane effect",
            Handling::Removed => "removed",
        }
    }
}

/// One ConfigMap key.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ConfigMapKey {
    pub key: &'static str,
    /// The controller default as documented (`""`: unset).
    pub default: &'static str,
    pub scope: KeyScope,
    pub handling: Handling,
    /// What ingress-nginx does with it (for removed keys: since when it is gone).
    pub does: &'static str,
    /// What to do in the migration (or why it does not matter).
    pub fix: &'static str,
}

use Handling::*;
use KeyScope::*;

const fn k(
    key: &'static str,
    default: &'static str,
    scope: KeyScope,
    handling: Handling,
    does: &'static str,
    fix: &'static str,
) -> ConfigMapKey {
    ConfigMapKey {
        key,
        default,
        scope,
        handling,
        does,
        fix,
    }
}

const LOGS: &str = "logging only: use your implementation's access-log/telemetry settings (e.g. Envoy Gateway EnvoyProxy spec.telemetry)";
const TUNING: &str = "tunes the nginx process; the Gateway implementation sizes its own proxy (e.g. Envoy Gateway EnvoyProxy spec.provider)";
const TRACING_GONE: &str = "removed in v1.10 (and v1.9.6) with the OpenTracing/Zipkin/Jaeger/Datadog modules; v1.15 ignores it";
const GEOIP_GONE: &str = "removed in v1.12 with the legacy GeoIP module; v1.15 ignores it";
const GRL_GONE: &str = "removed in v1.12 with global rate limiting; v1.15 ignores it";
const SNIPPET: &str = "read by the snippets pass: exact header edits and redirects become filters, anything else fails closed";

/// Every key, sorted by name (a unit test keeps it sorted and unique).
pub static CONFIGMAP_KEYS: &[ConfigMapKey] = &[
    k(
        "access-log-params",
        "",
        Observability,
        NoDataPlaneEffect,
        "extra access_log parameters (buffer, gzip, flush)",
        LOGS,
    ),
    k(
        "access-log-path",
        "/var/log/nginx/access.log",
        Observability,
        NoDataPlaneEffect,
        "access log file",
        LOGS,
    ),
    k(
        "add-headers",
        "",
        Controller,
        Translated,
        "response headers from a ConfigMap on every location",
        "headers pass: ResponseHeaderModifier on every rule",
    ),
    k(
        "allow-backend-server-header",
        "false",
        Controller,
        NotExpressible,
        "passes the backend's Server header to clients instead of nginx's",
        "Envoy Gateway ClientTrafficPolicy spec.headers / EnvoyProxy; most implementations pass the backend header through",
    ),
    k(
        "allow-cross-namespace-resources",
        "false",
        Security,
        Translated,
        "lets annotations reference Secrets/ConfigMaps of other namespaces",
        "controller-validation and auth passes model it (ReferenceGrant where Gateway API needs one)",
    ),
    k(
        "allow-snippet-annotations",
        "false",
        Security,
        Translated,
        "accepts the snippet annotations",
        "controller-validation pass: Ingresses with snippets are denied like ingress-nginx does",
    ),
    k(
        "annotation-value-word-blocklist",
        "",
        Security,
        Translated,
        "rejects Ingresses whose annotation values contain a listed word",
        "controller-validation pass rejects the same Ingresses",
    ),
    k(
        "annotations-risk-level",
        "High",
        Security,
        Translated,
        "rejects Ingresses with annotations above the risk level",
        "controller-validation pass rejects the same Ingresses",
    ),
    k(
        "app-root",
        "",
        Controller,
        NoDataPlaneEffect,
        "decoded into the backend defaults but never used: the `app-root` annotation has no ConfigMap fallback in v1.15",
        "nothing to migrate; remove the key",
    ),
    k(
        "bind-address",
        "",
        Process,
        NoDataPlaneEffect,
        "addresses nginx listens on",
        "the Gateway's addresses come from spec.addresses / the implementation's Service",
    ),
    k(
        "bind-address-ipv4",
        "",
        Process,
        NoDataPlaneEffect,
        "IPv4 listen addresses (set from bind-address)",
        "the Gateway's addresses come from spec.addresses / the implementation's Service",
    ),
    k(
        "bind-address-ipv6",
        "",
        Process,
        NoDataPlaneEffect,
        "IPv6 listen addresses (set from bind-address)",
        "the Gateway's addresses come from spec.addresses / the implementation's Service",
    ),
    k(
        "block-cidrs",
        "",
        Security,
        Translated,
        "denies client addresses on every server",
        "global-blocks pass: every forwarding rule fails closed",
    ),
    k(
        "block-referers",
        "",
        Security,
        Translated,
        "denies Referer values on every server",
        "global-blocks pass: every forwarding rule fails closed",
    ),
    k(
        "block-user-agents",
        "",
        Security,
        Translated,
        "denies User-Agent values on every server",
        "global-blocks pass: every forwarding rule fails closed",
    ),
    k(
        "brotli-level",
        "4",
        Controller,
        NotExpressible,
        "brotli compression level",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Brotli)",
    ),
    k(
        "brotli-min-length",
        "20",
        Controller,
        NotExpressible,
        "minimum response length brotli compresses",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Brotli)",
    ),
    k(
        "brotli-types",
        "application/xml+rss application/atom+xml …",
        Controller,
        GatewayFact,
        "MIME types brotli compresses",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Brotli)",
    ),
    k(
        "client-body-buffer-size",
        "8k",
        DefaultOf("client-body-buffer-size"),
        NotExpressible,
        "memory buffer for request bodies before spooling to disk",
        "implementation buffer limits (Envoy Gateway ClientTrafficPolicy spec.connection.bufferLimit); rarely matters",
    ),
    k(
        "client-body-timeout",
        "60",
        Controller,
        GatewayFact,
        "seconds between two reads of the request body",
        "Envoy Gateway ClientTrafficPolicy spec.timeout.http.requestReceivedTimeout",
    ),
    k(
        "client-header-buffer-size",
        "1k",
        Controller,
        NotExpressible,
        "buffer for request headers (large ones use large-client-header-buffers)",
        "Envoy Gateway ClientTrafficPolicy spec.headers; rarely matters",
    ),
    k(
        "client-header-timeout",
        "60",
        Controller,
        GatewayFact,
        "seconds to receive the request headers",
        "Envoy Gateway ClientTrafficPolicy spec.timeout.http.requestReceivedTimeout",
    ),
    k(
        "compute-full-forwarded-for",
        "false",
        Controller,
        GatewayFact,
        "appends the peer to X-Forwarded-For instead of replacing it",
        "Envoy Gateway ClientTrafficPolicy spec.clientIPDetection / spec.headers",
    ),
    k(
        "custom-http-errors",
        "",
        DefaultOf("custom-http-errors"),
        NotExpressible,
        "serves the default backend's page for these upstream status codes",
        "Envoy Gateway BackendTrafficPolicy spec.responseOverride; or keep error pages in the application",
    ),
    k(
        "datadog-collector-host",
        "",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "datadog-collector-port",
        "8126",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "datadog-environment",
        "prod",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "datadog-operation-name-override",
        "nginx.handle",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "datadog-priority-sampling",
        "true",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "datadog-sample-rate",
        "1.0",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "datadog-service-name",
        "nginx",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "debug-connections",
        "",
        Observability,
        NoDataPlaneEffect,
        "debug-level error log for these client addresses",
        LOGS,
    ),
    k(
        "default-type",
        "text/html",
        Controller,
        NotExpressible,
        "Content-Type of responses nginx generates without one",
        "backends set their own Content-Type; check error pages",
    ),
    k(
        "denylist-source-range",
        "",
        DefaultOf("denylist-source-range"),
        AnnotationDefault,
        "denies client CIDRs on every Ingress without the annotation",
        "access-control pass fails the rules closed",
    ),
    k(
        "disable-access-log",
        "false",
        Observability,
        NoDataPlaneEffect,
        "turns access logs off",
        LOGS,
    ),
    k(
        "disable-http-access-log",
        "false",
        Observability,
        NoDataPlaneEffect,
        "turns the http access log off",
        LOGS,
    ),
    k(
        "disable-ipv6",
        "false",
        Process,
        NoDataPlaneEffect,
        "listens on IPv4 only",
        "the Gateway's address families come from the implementation's Service",
    ),
    k(
        "disable-ipv6-dns",
        "false",
        Process,
        NoDataPlaneEffect,
        "nginx's resolver ignores AAAA records",
        "the implementation resolves names itself",
    ),
    k(
        "disable-proxy-intercept-errors",
        "false",
        DefaultOf("disable-proxy-intercept-errors"),
        NotExpressible,
        "turns off interception of custom-http-errors",
        "only matters with custom-http-errors (see there)",
    ),
    k(
        "disable-stream-access-log",
        "false",
        Observability,
        NoDataPlaneEffect,
        "turns the stream access log off",
        LOGS,
    ),
    k(
        "enable-access-log-for-default-backend",
        "false",
        Observability,
        NoDataPlaneEffect,
        "logs requests to the default backend",
        LOGS,
    ),
    k(
        "enable-aio-write",
        "true",
        Process,
        NoDataPlaneEffect,
        "asynchronous file writes",
        TUNING,
    ),
    k(
        "enable-auth-access-log",
        "false",
        Observability,
        NoDataPlaneEffect,
        "logs the auth subrequests",
        LOGS,
    ),
    k(
        "enable-brotli",
        "false",
        Controller,
        GatewayFact,
        "brotli-compresses responses of brotli-types",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Brotli); or compress in the backend",
    ),
    k(
        "enable-modsecurity",
        "false",
        Security,
        Translated,
        "ModSecurity WAF on every location",
        "modsecurity pass: the rules fail closed",
    ),
    k(
        "enable-multi-accept",
        "true",
        Process,
        NoDataPlaneEffect,
        "a worker accepts all new connections at once",
        TUNING,
    ),
    k(
        "enable-ocsp",
        "false",
        Controller,
        NotExpressible,
        "OCSP stapling of server certificates",
        "Envoy Gateway ClientTrafficPolicy spec.tls (OCSP stapling where supported); check clients that require stapling",
    ),
    k(
        "enable-opentelemetry",
        "false",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry tracing",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "enable-opentracing",
        "false",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "enable-owasp-modsecurity-crs",
        "false",
        Security,
        Translated,
        "OWASP core rule set with ModSecurity",
        "modsecurity pass: the rules fail closed",
    ),
    k(
        "enable-real-ip",
        "false",
        Controller,
        GatewayFact,
        "takes the client address from forwarded-for-header",
        "Envoy Gateway ClientTrafficPolicy spec.clientIPDetection",
    ),
    k(
        "enable-serial-reloads",
        "false",
        Process,
        NoDataPlaneEffect,
        "reloads nginx one at a time",
        TUNING,
    ),
    k(
        "enable-syslog",
        "false",
        Observability,
        NoDataPlaneEffect,
        "sends logs to syslog",
        LOGS,
    ),
    k(
        "enable-underscores-in-headers",
        "false",
        Controller,
        NotExpressible,
        "accepts request headers with `_` in their name (dropped by default)",
        "Envoy Gateway ClientTrafficPolicy spec.headers.withUnderscoresAction (Envoy allows them by default)",
    ),
    k(
        "error-log-level",
        "notice",
        Observability,
        NoDataPlaneEffect,
        "error log level",
        LOGS,
    ),
    k(
        "error-log-path",
        "/var/log/nginx/error.log",
        Observability,
        NoDataPlaneEffect,
        "error log file",
        LOGS,
    ),
    k(
        "force-ssl-redirect",
        "false",
        DefaultOf("force-ssl-redirect"),
        Translated,
        "redirects HTTP to HTTPS even without TLS",
        "ssl-redirect pass: RequestRedirect rules",
    ),
    k(
        "forwarded-for-header",
        "X-Forwarded-For",
        Controller,
        GatewayFact,
        "header carrying the client address",
        "Envoy Gateway ClientTrafficPolicy spec.clientIPDetection.customHeader",
    ),
    k(
        "forwarded-for-proxy-protocol-header",
        "X-Forwarded-For-Proxy-Protocol",
        Controller,
        NotExpressible,
        "header nginx sets with the PROXY protocol client address",
        "Envoy Gateway ClientTrafficPolicy spec.clientIPDetection / spec.headers",
    ),
    k(
        "forwarded-host-header",
        "X-Forwarded-Host",
        Controller,
        NotExpressible,
        "header nginx reads the original host from with use-forwarded-headers",
        "Envoy Gateway ClientTrafficPolicy spec.headers (X-Forwarded-Host handling)",
    ),
    k(
        "generate-request-id",
        "true",
        Controller,
        NotExpressible,
        "generates X-Request-ID when the client sends none and passes it upstream",
        "Envoy Gateway ClientTrafficPolicy spec.headers.requestID (Envoy generates x-request-id by default)",
    ),
    k(
        "geoip2-autoreload-in-minutes",
        "0",
        Process,
        NoDataPlaneEffect,
        "reloads the GeoIP2 databases",
        "only matters with use-geoip2 (see there)",
    ),
    k(
        "global-allowed-response-headers",
        "",
        Security,
        Translated,
        "response headers custom-headers may set",
        "headers pass denies the same custom-headers",
    ),
    k(
        "global-auth-always-set-cookie",
        "false",
        Controller,
        NotExpressible,
        "sets the auth service's cookies on every response",
        "Envoy Gateway SecurityPolicy spec.extAuth.headersToBackend",
    ),
    k(
        "global-auth-cache-duration",
        "200 202 401 5m",
        Controller,
        NotExpressible,
        "caches global auth responses",
        "Envoy Gateway SecurityPolicy spec.extAuth (no cache); the auth service must take the load",
    ),
    k(
        "global-auth-cache-key",
        "",
        Controller,
        NotExpressible,
        "cache key of global auth responses",
        "Envoy Gateway SecurityPolicy spec.extAuth (no cache)",
    ),
    k(
        "global-auth-method",
        "",
        Controller,
        NotExpressible,
        "HTTP method of the global auth subrequest",
        "Envoy Gateway SecurityPolicy spec.extAuth.http",
    ),
    k(
        "global-auth-request-redirect",
        "",
        Controller,
        NotExpressible,
        "X-Auth-Request-Redirect sent to the auth service",
        "Envoy Gateway SecurityPolicy spec.extAuth.http",
    ),
    k(
        "global-auth-response-headers",
        "",
        Controller,
        NotExpressible,
        "auth response headers copied to the upstream request",
        "Envoy Gateway SecurityPolicy spec.extAuth.headersToBackend",
    ),
    k(
        "global-auth-signin",
        "",
        Controller,
        NotExpressible,
        "redirects unauthenticated clients to this sign-in URL",
        "Envoy Gateway SecurityPolicy spec.oidc, or the auth service answers the redirect itself",
    ),
    k(
        "global-auth-signin-redirect-param",
        "rd",
        Controller,
        NotExpressible,
        "query parameter of global-auth-signin carrying the original URL",
        "Envoy Gateway SecurityPolicy spec.oidc",
    ),
    k(
        "global-auth-snippet",
        "",
        Controller,
        NotExpressible,
        "nginx directives in the global auth location",
        "review the snippet; Envoy Gateway SecurityPolicy spec.extAuth",
    ),
    k(
        "global-auth-url",
        "",
        Controller,
        Translated,
        "external auth for every location",
        "auth pass: rules fail closed (or SecurityPolicy extAuth with an implementation)",
    ),
    k(
        "global-rate-limit-memcached-connect-timeout",
        "50",
        Controller,
        Removed,
        GRL_GONE,
        "use the implementation's rate limit (Envoy Gateway BackendTrafficPolicy spec.rateLimit)",
    ),
    k(
        "global-rate-limit-memcached-host",
        "",
        Controller,
        Removed,
        GRL_GONE,
        "use the implementation's rate limit (Envoy Gateway BackendTrafficPolicy spec.rateLimit)",
    ),
    k(
        "global-rate-limit-memcached-max-idle-timeout",
        "10000",
        Controller,
        Removed,
        GRL_GONE,
        "use the implementation's rate limit (Envoy Gateway BackendTrafficPolicy spec.rateLimit)",
    ),
    k(
        "global-rate-limit-memcached-pool-size",
        "50",
        Controller,
        Removed,
        GRL_GONE,
        "use the implementation's rate limit (Envoy Gateway BackendTrafficPolicy spec.rateLimit)",
    ),
    k(
        "global-rate-limit-memcached-port",
        "11211",
        Controller,
        Removed,
        GRL_GONE,
        "use the implementation's rate limit (Envoy Gateway BackendTrafficPolicy spec.rateLimit)",
    ),
    k(
        "global-rate-limit-status-code",
        "429",
        Controller,
        Removed,
        GRL_GONE,
        "use the implementation's rate limit (Envoy Gateway BackendTrafficPolicy spec.rateLimit)",
    ),
    k(
        "grpc-buffer-size-kb",
        "0",
        Controller,
        NotExpressible,
        "grpc_buffer_size for gRPC upstream responses",
        "implementation buffer limits; rarely matters",
    ),
    k(
        "gzip-disable",
        "",
        Controller,
        NotExpressible,
        "User-Agents that get no gzip",
        "Envoy Gateway BackendTrafficPolicy spec.compression (no per-agent exclusion)",
    ),
    k(
        "gzip-level",
        "1",
        Controller,
        NotExpressible,
        "gzip compression level",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Gzip)",
    ),
    k(
        "gzip-min-length",
        "256",
        Controller,
        NotExpressible,
        "minimum response length gzip compresses",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Gzip)",
    ),
    k(
        "gzip-types",
        "application/atom+xml application/javascript …",
        Controller,
        GatewayFact,
        "MIME types gzip compresses",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Gzip)",
    ),
    k(
        "hide-headers",
        "",
        Controller,
        NotExpressible,
        "removes these upstream response headers",
        "a ResponseHeaderModifier `remove` on each HTTPRoute rule (add it by hand)",
    ),
    k(
        "hsts",
        "true",
        Controller,
        Translated,
        "Strict-Transport-Security on HTTPS responses",
        "hsts pass: ResponseHeaderModifier on HTTPS routes",
    ),
    k(
        "hsts-include-subdomains",
        "true",
        Controller,
        Translated,
        "includeSubDomains in the HSTS header",
        "hsts pass",
    ),
    k(
        "hsts-max-age",
        "31536000",
        Controller,
        Translated,
        "max-age of the HSTS header",
        "hsts pass",
    ),
    k(
        "hsts-preload",
        "false",
        Controller,
        Translated,
        "preload in the HSTS header",
        "hsts pass",
    ),
    k(
        "http-access-log-path",
        "",
        Observability,
        NoDataPlaneEffect,
        "http access log file",
        LOGS,
    ),
    k(
        "http-redirect-code",
        "308",
        Controller,
        Translated,
        "status of the HTTP→HTTPS and www redirects",
        "ssl-redirect and redirects passes use it",
    ),
    k(
        "http-snippet",
        "",
        Controller,
        NotExpressible,
        "raw nginx directives in the http block",
        "review the snippet and reproduce what it does with the implementation's policies",
    ),
    k(
        "http2-max-concurrent-streams",
        "128",
        Controller,
        NotExpressible,
        "HTTP/2 streams per connection",
        "Envoy Gateway ClientTrafficPolicy spec.http2.maxConcurrentStreams",
    ),
    k(
        "http2-max-field-size",
        "",
        Controller,
        NotExpressible,
        "HTTP/2 header field size limit (deprecated by nginx)",
        "Envoy Gateway ClientTrafficPolicy spec.headers",
    ),
    k(
        "http2-max-header-size",
        "",
        Controller,
        NotExpressible,
        "HTTP/2 header list size limit (deprecated by nginx)",
        "Envoy Gateway ClientTrafficPolicy spec.headers",
    ),
    k(
        "http2-max-requests",
        "0",
        Controller,
        NotExpressible,
        "requests per HTTP/2 connection (deprecated by nginx)",
        "Envoy Gateway ClientTrafficPolicy spec.connection",
    ),
    k(
        "ignore-invalid-headers",
        "true",
        Controller,
        NotExpressible,
        "silently drops request headers with invalid names",
        "Envoy rejects or passes them per its codec; test clients that send unusual header names",
    ),
    k(
        "jaeger-baggage-header",
        "jaeger-baggage",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-collector-host",
        "",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-collector-port",
        "6831",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-debug-header",
        "uber-debug-id",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-endpoint",
        "",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-propagation-format",
        "jaeger",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-sampler-host",
        "http://127.0.0.1",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-sampler-param",
        "1",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-sampler-port",
        "5778",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-sampler-type",
        "const",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-service-name",
        "nginx",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-trace-baggage-header-prefix",
        "uberctx-",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "jaeger-trace-context-header-name",
        "uber-trace-id",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "keep-alive",
        "75",
        Controller,
        GatewayFact,
        "seconds an idle client keep-alive connection stays open",
        "Envoy Gateway ClientTrafficPolicy spec.timeout.http.idleTimeout",
    ),
    k(
        "keep-alive-requests",
        "1000",
        Controller,
        NotExpressible,
        "requests per client keep-alive connection",
        "Envoy Gateway ClientTrafficPolicy spec.connection; rarely matters",
    ),
    k(
        "large-client-header-buffers",
        "4 8k",
        Controller,
        GatewayFact,
        "largest request line/header (larger ones get 400/414)",
        "Envoy Gateway ClientTrafficPolicy spec.connection.bufferLimit / headers",
    ),
    k(
        "limit-conn-status-code",
        "503",
        Controller,
        NotExpressible,
        "status of requests refused by limit-connections",
        "Envoy Gateway BackendTrafficPolicy spec.rateLimit answers 429",
    ),
    k(
        "limit-conn-zone-variable",
        "$binary_remote_addr",
        Controller,
        NotExpressible,
        "key of the connection limits",
        "Envoy Gateway BackendTrafficPolicy spec.rateLimit clientSelectors",
    ),
    k(
        "limit-rate",
        "0",
        DefaultOf("limit-rate"),
        NotExpressible,
        "bytes per second sent to each client",
        "no Gateway API field; Envoy Gateway has no response-rate limit: remove or keep in the backend",
    ),
    k(
        "limit-rate-after",
        "0",
        DefaultOf("limit-rate-after"),
        NotExpressible,
        "bytes sent before limit-rate applies",
        "see limit-rate",
    ),
    k(
        "limit-req-status-code",
        "503",
        Controller,
        NotExpressible,
        "status of requests refused by limit-rps/limit-rpm",
        "Envoy Gateway BackendTrafficPolicy spec.rateLimit answers 429",
    ),
    k(
        "load-balance",
        "round_robin",
        DefaultOf("load-balance"),
        NotExpressible,
        "balancing algorithm of every upstream",
        "Envoy Gateway BackendTrafficPolicy spec.loadBalancer.type",
    ),
    k(
        "location-snippet",
        "",
        Controller,
        Translated,
        "raw nginx directives in every location",
        SNIPPET,
    ),
    k(
        "log-format-escape-json",
        "false",
        Observability,
        NoDataPlaneEffect,
        "JSON escaping in the access log",
        LOGS,
    ),
    k(
        "log-format-escape-none",
        "false",
        Observability,
        NoDataPlaneEffect,
        "no escaping in the access log",
        LOGS,
    ),
    k(
        "log-format-stream",
        "[$remote_addr] [$time_local] …",
        Observability,
        NoDataPlaneEffect,
        "stream access log format",
        LOGS,
    ),
    k(
        "log-format-upstream",
        "$remote_addr - $remote_user …",
        Observability,
        NoDataPlaneEffect,
        "http access log format",
        LOGS,
    ),
    k(
        "lua-shared-dicts",
        "",
        Process,
        NoDataPlaneEffect,
        "sizes of the Lua shared dictionaries",
        TUNING,
    ),
    k(
        "main-snippet",
        "",
        Process,
        NotExpressible,
        "raw nginx directives in the main block",
        "review the snippet and reproduce what it does with the implementation's configuration",
    ),
    k(
        "map-hash-bucket-size",
        "64",
        Process,
        NoDataPlaneEffect,
        "nginx map hash table size",
        TUNING,
    ),
    k(
        "max-worker-connections",
        "16384",
        Process,
        NoDataPlaneEffect,
        "connections per worker",
        TUNING,
    ),
    k(
        "max-worker-open-files",
        "0",
        Process,
        NoDataPlaneEffect,
        "open files per worker",
        TUNING,
    ),
    k(
        "modsecurity-snippet",
        "",
        Security,
        NotExpressible,
        "ModSecurity rules",
        "no WAF in Gateway API; with enable-modsecurity the rules are emitted fail-closed (modsecurity pass); run a WAF in front of the Gateway or as an implementation extension",
    ),
    k(
        "nginx-status-ipv4-whitelist",
        "127.0.0.1",
        Observability,
        NoDataPlaneEffect,
        "who may read nginx's status page",
        "controller-internal status endpoint, not a route",
    ),
    k(
        "nginx-status-ipv6-whitelist",
        "::1",
        Observability,
        NoDataPlaneEffect,
        "who may read nginx's status page",
        "controller-internal status endpoint, not a route",
    ),
    k(
        "no-auth-locations",
        "/.well-known/acme-challenge",
        Controller,
        NotExpressible,
        "paths exempt from global-auth-url",
        "split the exempt paths into their own HTTPRoute rules without the auth policy",
    ),
    k(
        "no-tls-redirect-locations",
        "/.well-known/acme-challenge",
        Controller,
        Translated,
        "paths never redirected to HTTPS",
        "ssl-redirect pass keeps them on HTTP",
    ),
    k(
        "opentelemetry-config",
        "/etc/ingress-controller/telemetry/opentelemetry.toml",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry module configuration file",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "opentelemetry-operation-name",
        "",
        Observability,
        NoDataPlaneEffect,
        "span name",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "opentelemetry-trust-incoming-span",
        "true",
        Observability,
        NoDataPlaneEffect,
        "continues incoming traces",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "opentracing-location-operation-name",
        "",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "opentracing-operation-name",
        "",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "otel-max-export-batch-size",
        "512",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry export batch",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "otel-max-queuesize",
        "2048",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry queue",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "otel-sampler",
        "AlwaysOn",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry sampler",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing.samplingRate",
    ),
    k(
        "otel-sampler-parent-based",
        "true",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry parent-based sampling",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "otel-sampler-ratio",
        "0.01",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry sampling ratio",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing.samplingRate",
    ),
    k(
        "otel-schedule-delay-millis",
        "5000",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry export delay",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "otel-service-name",
        "nginx",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry service name",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing",
    ),
    k(
        "otlp-collector-host",
        "",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry collector",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing.provider",
    ),
    k(
        "otlp-collector-port",
        "4317",
        Observability,
        NoDataPlaneEffect,
        "OpenTelemetry collector port",
        "Envoy Gateway EnvoyProxy spec.telemetry.tracing.provider",
    ),
    k(
        "plugins",
        "",
        Controller,
        Removed,
        "removed in v1.12 with the Lua plugin loader; v1.15 ignores it",
        "reproduce a plugin's behaviour with the implementation's extensions",
    ),
    k(
        "preserve-trailing-slash",
        "false",
        DefaultOf("preserve-trailing-slash"),
        Translated,
        "keeps the trailing slash in the HTTPS redirect",
        "ssl-redirect pass uses it",
    ),
    k(
        "proxy-add-original-uri-header",
        "false",
        Controller,
        NotExpressible,
        "sends X-Original-Uri with the request URI upstream",
        "Envoy Gateway has no variable header: add X-Original-Uri in the backend, or drop it",
    ),
    k(
        "proxy-body-size",
        "1m",
        DefaultOf("proxy-body-size"),
        NotExpressible,
        "largest request body (larger ones get 413; 0 = unlimited)",
        "Envoy Gateway ClientTrafficPolicy spec.connection.bufferLimit or BackendTrafficPolicy spec.requestBuffer.limit",
    ),
    k(
        "proxy-buffer-size",
        "4k",
        DefaultOf("proxy-buffer-size"),
        NotExpressible,
        "buffer for upstream response headers",
        "implementation header-size limits; check large response headers",
    ),
    k(
        "proxy-buffering",
        "off",
        DefaultOf("proxy-buffering"),
        NotExpressible,
        "buffers upstream responses",
        "Envoy streams responses; rarely matters",
    ),
    k(
        "proxy-buffers-number",
        "4",
        DefaultOf("proxy-buffers-number"),
        NotExpressible,
        "number of upstream response buffers",
        "Envoy streams responses; rarely matters",
    ),
    k(
        "proxy-busy-buffers-size",
        "",
        DefaultOf("proxy-busy-buffers-size"),
        NotExpressible,
        "buffers busy sending to the client",
        "Envoy streams responses; rarely matters",
    ),
    k(
        "proxy-connect-timeout",
        "5",
        DefaultOf("proxy-connect-timeout"),
        AnnotationDefault,
        "upstream connect timeout in seconds",
        "timeouts pass: timeouts.request",
    ),
    k(
        "proxy-cookie-domain",
        "off",
        DefaultOf("proxy-cookie-domain"),
        NotExpressible,
        "rewrites the Domain of upstream Set-Cookie headers",
        "no Gateway API field; rewrite cookies in the backend",
    ),
    k(
        "proxy-cookie-path",
        "off",
        DefaultOf("proxy-cookie-path"),
        NotExpressible,
        "rewrites the Path of upstream Set-Cookie headers",
        "no Gateway API field; rewrite cookies in the backend",
    ),
    k(
        "proxy-headers-hash-bucket-size",
        "64",
        Process,
        NoDataPlaneEffect,
        "hash table of proxy headers",
        TUNING,
    ),
    k(
        "proxy-headers-hash-max-size",
        "512",
        Process,
        NoDataPlaneEffect,
        "hash table of proxy headers",
        TUNING,
    ),
    k(
        "proxy-http-version",
        "1.1",
        DefaultOf("proxy-http-version"),
        NotExpressible,
        "HTTP version to upstreams",
        "Service appProtocol (kubernetes.io/h2c) or Envoy Gateway BackendTrafficPolicy; HTTP/1.1 is the usual default",
    ),
    k(
        "proxy-max-temp-file-size",
        "1024m",
        DefaultOf("proxy-max-temp-file-size"),
        NotExpressible,
        "largest temporary file of a buffered response",
        "Envoy streams responses; rarely matters",
    ),
    k(
        "proxy-next-upstream",
        "error timeout",
        DefaultOf("proxy-next-upstream"),
        NotExpressible,
        "when to retry another endpoint",
        "HTTPRoute retry (--channel experimental), or Envoy Gateway BackendTrafficPolicy spec.retry",
    ),
    k(
        "proxy-next-upstream-timeout",
        "0",
        DefaultOf("proxy-next-upstream-timeout"),
        NotExpressible,
        "retry time budget",
        "HTTPRoute retry (--channel experimental), or Envoy Gateway BackendTrafficPolicy spec.retry",
    ),
    k(
        "proxy-next-upstream-tries",
        "3",
        DefaultOf("proxy-next-upstream-tries"),
        NotExpressible,
        "retry attempts",
        "HTTPRoute retry (--channel experimental), or Envoy Gateway BackendTrafficPolicy spec.retry",
    ),
    k(
        "proxy-protocol-header-timeout",
        "5s",
        Controller,
        NotExpressible,
        "time to receive the PROXY protocol header",
        "Envoy Gateway ClientTrafficPolicy spec.proxyProtocol; rarely matters",
    ),
    k(
        "proxy-read-timeout",
        "60",
        DefaultOf("proxy-read-timeout"),
        AnnotationDefault,
        "upstream read timeout in seconds",
        "timeouts pass: timeouts.request",
    ),
    k(
        "proxy-real-ip-cidr",
        "0.0.0.0/0",
        Controller,
        GatewayFact,
        "peers trusted for forwarded-for-header / PROXY protocol",
        "Envoy Gateway ClientTrafficPolicy spec.clientIPDetection.xForwardedFor.trustedCIDRs",
    ),
    k(
        "proxy-redirect-from",
        "off",
        DefaultOf("proxy-redirect-from"),
        NotExpressible,
        "rewrites upstream Location headers (with proxy-redirect-to)",
        "no Gateway API field; fix Location headers in the backend",
    ),
    k(
        "proxy-redirect-to",
        "off",
        DefaultOf("proxy-redirect-to"),
        NotExpressible,
        "replacement of proxy-redirect-from",
        "no Gateway API field; fix Location headers in the backend",
    ),
    k(
        "proxy-request-buffering",
        "on",
        DefaultOf("proxy-request-buffering"),
        NotExpressible,
        "buffers request bodies before proxying",
        "Envoy streams request bodies; Envoy Gateway BackendTrafficPolicy spec.requestBuffer buffers them",
    ),
    k(
        "proxy-send-timeout",
        "60",
        DefaultOf("proxy-send-timeout"),
        AnnotationDefault,
        "upstream send timeout in seconds",
        "timeouts pass: timeouts.request",
    ),
    k(
        "proxy-set-headers",
        "",
        Controller,
        Translated,
        "request headers from a ConfigMap on every location",
        "headers pass: RequestHeaderModifier on every rule",
    ),
    k(
        "proxy-ssl-location-only",
        "false",
        Controller,
        NotExpressible,
        "limits proxy-ssl-* to the location instead of the server",
        "BackendTLSPolicy is per Service; check backends that shared a server",
    ),
    k(
        "proxy-stream-next-upstream",
        "true",
        Controller,
        NotExpressible,
        "TCP/UDP: retry another endpoint",
        "TCPRoute/UDPRoute have no retry; Envoy Gateway BackendTrafficPolicy spec.retry",
    ),
    k(
        "proxy-stream-next-upstream-timeout",
        "600s",
        Controller,
        NotExpressible,
        "TCP/UDP retry budget",
        "Envoy Gateway BackendTrafficPolicy spec.retry",
    ),
    k(
        "proxy-stream-next-upstream-tries",
        "3",
        Controller,
        NotExpressible,
        "TCP/UDP retry attempts",
        "Envoy Gateway BackendTrafficPolicy spec.retry",
    ),
    k(
        "proxy-stream-responses",
        "1",
        Controller,
        NotExpressible,
        "UDP responses expected per datagram",
        "UDPRoute has no field; Envoy Gateway BackendTrafficPolicy / EnvoyProxy",
    ),
    k(
        "proxy-stream-timeout",
        "600s",
        Controller,
        NotExpressible,
        "TCP/UDP idle timeout",
        "Envoy Gateway BackendTrafficPolicy spec.timeout.tcp",
    ),
    k(
        "relative-redirects",
        "false",
        DefaultOf("relative-redirects"),
        NotExpressible,
        "nginx-generated redirects use a relative Location",
        "Gateway redirects are absolute; clients follow both",
    ),
    k(
        "retry-non-idempotent",
        "false",
        Controller,
        NotExpressible,
        "also retries POST/LOCK/PATCH on proxy-next-upstream errors",
        "Envoy Gateway BackendTrafficPolicy spec.retry (retries any method on listed triggers)",
    ),
    k(
        "reuse-port",
        "true",
        Process,
        NoDataPlaneEffect,
        "SO_REUSEPORT listeners",
        TUNING,
    ),
    k(
        "server-name-hash-bucket-size",
        "",
        Process,
        NoDataPlaneEffect,
        "hash table of server names",
        TUNING,
    ),
    k(
        "server-name-hash-max-size",
        "1024",
        Process,
        NoDataPlaneEffect,
        "hash table of server names",
        TUNING,
    ),
    k(
        "server-snippet",
        "",
        Controller,
        Translated,
        "raw nginx directives in every server",
        SNIPPET,
    ),
    k(
        "server-tokens",
        "false",
        Controller,
        NotExpressible,
        "nginx version in the Server header and error pages",
        "the implementation sets its own Server header (Envoy Gateway ClientTrafficPolicy spec.headers)",
    ),
    k(
        "service-upstream",
        "false",
        DefaultOf("service-upstream"),
        NotExpressible,
        "proxies to the Service ClusterIP instead of the endpoints",
        "Gateway implementations balance over endpoints; a Backend resource with the ClusterIP reproduces it",
    ),
    k(
        "skip-access-log-urls",
        "",
        Observability,
        NoDataPlaneEffect,
        "paths left out of the access log",
        LOGS,
    ),
    k(
        "ssl-buffer-size",
        "4k",
        Controller,
        NotExpressible,
        "TLS record buffer",
        "implementation TLS tuning; rarely matters",
    ),
    k(
        "ssl-ciphers",
        "ECDHE-ECDSA-AES128-GCM-SHA256:…",
        Controller,
        GatewayFact,
        "TLS ciphers of every server",
        "Envoy Gateway ClientTrafficPolicy spec.tls.ciphers",
    ),
    k(
        "ssl-dh-param",
        "",
        Controller,
        NotExpressible,
        "Diffie-Hellman parameters (Secret)",
        "Envoy does not use DH parameters (ECDHE only); check clients that need DHE ciphers",
    ),
    k(
        "ssl-early-data",
        "false",
        Controller,
        NotExpressible,
        "TLS 1.3 0-RTT",
        "implementation TLS settings; 0-RTT is off in most",
    ),
    k(
        "ssl-ecdh-curve",
        "auto",
        Controller,
        NotExpressible,
        "TLS ECDH curves",
        "Envoy Gateway ClientTrafficPolicy spec.tls.ecdhCurves",
    ),
    k(
        "ssl-protocols",
        "TLSv1.2 TLSv1.3",
        Controller,
        GatewayFact,
        "TLS versions of every server",
        "Envoy Gateway ClientTrafficPolicy spec.tls.minVersion/maxVersion",
    ),
    k(
        "ssl-redirect",
        "true",
        DefaultOf("ssl-redirect"),
        Translated,
        "redirects HTTP to HTTPS on hosts with TLS",
        "ssl-redirect pass: RequestRedirect rules",
    ),
    k(
        "ssl-reject-handshake",
        "false",
        Controller,
        NotExpressible,
        "refuses TLS handshakes for unknown server names",
        "Gateway listeners without a matching hostname answer with the implementation's default; check SNI-less clients",
    ),
    k(
        "ssl-session-cache",
        "true",
        Controller,
        NotExpressible,
        "TLS session cache",
        "Envoy Gateway ClientTrafficPolicy spec.tls.session; rarely matters",
    ),
    k(
        "ssl-session-cache-size",
        "10m",
        Controller,
        NotExpressible,
        "TLS session cache size",
        "Envoy Gateway ClientTrafficPolicy spec.tls.session; rarely matters",
    ),
    k(
        "ssl-session-ticket-key",
        "",
        Controller,
        NotExpressible,
        "TLS session ticket key (shared by replicas)",
        "Envoy Gateway ClientTrafficPolicy spec.tls.session; rarely matters",
    ),
    k(
        "ssl-session-tickets",
        "false",
        Controller,
        NotExpressible,
        "TLS session tickets",
        "Envoy Gateway ClientTrafficPolicy spec.tls.session; rarely matters",
    ),
    k(
        "ssl-session-timeout",
        "10m",
        Controller,
        NotExpressible,
        "TLS session lifetime",
        "Envoy Gateway ClientTrafficPolicy spec.tls.session; rarely matters",
    ),
    k(
        "stream-access-log-path",
        "",
        Observability,
        NoDataPlaneEffect,
        "stream access log file",
        LOGS,
    ),
    k(
        "stream-snippet",
        "",
        Controller,
        NotExpressible,
        "raw nginx directives in the stream block",
        "review the snippet; TCPRoute/UDPRoute or the implementation's policies",
    ),
    k(
        "strict-validate-path-type",
        "true",
        Security,
        NoDataPlaneEffect,
        "rejects Exact/Prefix paths with characters outside the safe set",
        "enforced only by the admission webhook: the Ingresses in the input were already admitted, and Gateway API validates paths with its own CRD rules",
    ),
    k(
        "syslog-host",
        "",
        Observability,
        NoDataPlaneEffect,
        "syslog server",
        LOGS,
    ),
    k(
        "syslog-port",
        "514",
        Observability,
        NoDataPlaneEffect,
        "syslog port",
        LOGS,
    ),
    k(
        "upstream-hash-by",
        "",
        Controller,
        NoDataPlaneEffect,
        "decoded into the backend defaults but never used: the `upstream-hash-by` annotation has no ConfigMap fallback in v1.15",
        "nothing to migrate; remove the key",
    ),
    k(
        "upstream-hash-by-subset",
        "false",
        Controller,
        NoDataPlaneEffect,
        "decoded into the backend defaults but never used: the `upstream-hash-by-subset` annotation has no ConfigMap fallback in v1.15",
        "nothing to migrate; remove the key",
    ),
    k(
        "upstream-hash-by-subset-size",
        "3",
        Controller,
        NoDataPlaneEffect,
        "decoded into the backend defaults but never used: the `upstream-hash-by-subset-size` annotation has no ConfigMap fallback in v1.15",
        "nothing to migrate; remove the key",
    ),
    k(
        "upstream-keepalive-connections",
        "320",
        Controller,
        NotExpressible,
        "idle keep-alive connections to upstreams per worker",
        "Envoy Gateway BackendTrafficPolicy spec.circuitBreaker / tcpKeepalive; rarely matters",
    ),
    k(
        "upstream-keepalive-requests",
        "10000",
        Controller,
        NotExpressible,
        "requests per upstream keep-alive connection",
        "Envoy Gateway BackendTrafficPolicy; rarely matters",
    ),
    k(
        "upstream-keepalive-time",
        "1h",
        Controller,
        NotExpressible,
        "lifetime of an upstream keep-alive connection",
        "Envoy Gateway BackendTrafficPolicy; rarely matters",
    ),
    k(
        "upstream-keepalive-timeout",
        "60",
        Controller,
        NotExpressible,
        "idle timeout of upstream keep-alive connections",
        "Envoy Gateway BackendTrafficPolicy spec.timeout.http.connectionIdleTimeout",
    ),
    k(
        "use-forwarded-headers",
        "false",
        Controller,
        GatewayFact,
        "trusts X-Forwarded-* from clients (behind another proxy)",
        "Envoy Gateway ClientTrafficPolicy spec.clientIPDetection.xForwardedFor",
    ),
    k(
        "use-geoip",
        "true",
        Controller,
        Removed,
        GEOIP_GONE,
        "use GeoIP in the backend or the implementation's extensions",
    ),
    k(
        "use-geoip2",
        "false",
        Controller,
        NotExpressible,
        "GeoIP2 variables (for snippets, rate-limit keys)",
        "no Gateway API equivalent; do GeoIP in the backend or with an implementation extension",
    ),
    k(
        "use-gzip",
        "false",
        Controller,
        GatewayFact,
        "gzip-compresses responses of gzip-types",
        "Envoy Gateway BackendTrafficPolicy spec.compression (Gzip); or compress in the backend",
    ),
    k(
        "use-http2",
        "true",
        Controller,
        NotExpressible,
        "HTTP/2 on HTTPS listeners",
        "Envoy Gateway ClientTrafficPolicy spec.tls.alpnProtocols (HTTP/2 is on by default)",
    ),
    k(
        "use-port-in-redirects",
        "false",
        DefaultOf("use-port-in-redirects"),
        NotExpressible,
        "keeps the port in nginx-generated redirects",
        "RequestRedirect.port on the redirect rules",
    ),
    k(
        "use-proxy-protocol",
        "false",
        Controller,
        GatewayFact,
        "expects a PROXY protocol header on every connection",
        "Envoy Gateway ClientTrafficPolicy spec.proxyProtocol (enableProxyProtocol)",
    ),
    k(
        "variables-hash-bucket-size",
        "256",
        Process,
        NoDataPlaneEffect,
        "hash table of variables",
        TUNING,
    ),
    k(
        "variables-hash-max-size",
        "2048",
        Process,
        NoDataPlaneEffect,
        "hash table of variables",
        TUNING,
    ),
    k(
        "whitelist-source-range",
        "",
        DefaultOf("whitelist-source-range"),
        AnnotationDefault,
        "allows only these client CIDRs on every Ingress without the annotation",
        "access-control pass fails the rules closed",
    ),
    k(
        "worker-cpu-affinity",
        "",
        Process,
        NoDataPlaneEffect,
        "pins workers to CPUs",
        TUNING,
    ),
    k(
        "worker-processes",
        "<number of CPUs>",
        Process,
        NoDataPlaneEffect,
        "number of nginx workers",
        TUNING,
    ),
    k(
        "worker-shutdown-timeout",
        "240s",
        Process,
        NoDataPlaneEffect,
        "graceful shutdown time of old workers after a reload",
        "the implementation drains its own connections (Envoy Gateway EnvoyProxy spec.shutdown)",
    ),
    k(
        "zipkin-collector-host",
        "",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "zipkin-collector-port",
        "9411",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "zipkin-sample-rate",
        "1.0",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
    k(
        "zipkin-service-name",
        "nginx",
        Observability,
        Removed,
        TRACING_GONE,
        "use OpenTelemetry on the Gateway implementation",
    ),
];

/// The controller release (major, minor, patch) that stopped reading a
/// [`Handling::Removed`] key: earlier controllers still apply it.
pub fn removed_in(key: &str) -> Option<(u32, u32, u32)> {
    let e = lookup_key(key).filter(|e| e.handling == Removed)?;
    if e.does == TRACING_GONE {
        Some((1, 10, 0))
    } else {
        // Global rate limiting, the Lua plugins and legacy GeoIP went in v1.12.
        Some((1, 12, 0))
    }
}

/// The catalog entry of `key` (exact, case-sensitive like ingress-nginx).
pub fn lookup_key(key: &str) -> Option<&'static ConfigMapKey> {
    CONFIGMAP_KEYS
        .binary_search_by(|e| e.key.cmp(key))
        .ok()
        .map(|i| &CONFIGMAP_KEYS[i])
}

/// The catalog key closest to `key` (edit distance at most 2), for typos.
pub fn closest_key(key: &str) -> Option<&'static str> {
    CONFIGMAP_KEYS
        .iter()
        .filter(|e| e.handling != Removed)
        .map(|e| (edit_distance(key, e.key), e.key))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `docs/configmap.md`: the catalog as a Markdown page.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Controller ConfigMap keys\n\n\
         Generated from `src/catalog/configmap.rs` (a test keeps this page identical; \
         regenerate with `ING2GW_BLESS=1 cargo test --test configmap_doc`).\n\n\
         Every key ingress-nginx v1.15 reads from its ConfigMap (`--nginx-configmap NS/NAME`, \
         or found in the cluster), plus keys older controllers read. What ing2gw does with \
         each key of the ConfigMap it is given:\n\n\
         - **translated**: a pass changes the output and reports it;\n\
         - **annotation default**: the pass of the annotation of the same name uses it \
         wherever the Ingress has no annotation, and reports it;\n\
         - **gateway fact**: recorded in the Gateway's traffic-policy facts for implementation \
         emitters; warning `configmap-not-expressible` (standard Gateway API cannot carry it);\n\
         - **not expressible**: warning `configmap-not-expressible` with what to do instead;\n\
         - **no data-plane effect**: listed once in the info `configmap-no-data-plane-effect`;\n\
         - **removed**, and keys not in this table: warning `configmap-unknown-key` \
         (ingress-nginx ignores them).\n\n",
    );
    let counts = [
        Translated,
        AnnotationDefault,
        GatewayFact,
        NotExpressible,
        NoDataPlaneEffect,
        Removed,
    ]
    .map(|h| {
        let n = CONFIGMAP_KEYS.iter().filter(|e| e.handling == h).count();
        format!("{} {n}", h.as_str())
    });
    let _ = writeln!(
        out,
        "{} keys: {}.\n",
        CONFIGMAP_KEYS.len(),
        counts.join(", ")
    );
    out.push_str("| key | default | scope | ing2gw | ingress-nginx | migration |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for e in CONFIGMAP_KEYS {
        let default = if e.default.is_empty() {
            String::new()
        } else {
            format!("`{}`", e.default.replace('|', "\\|"))
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            e.key,
            default,
            e.scope.describe(),
            e.handling.as_str(),
            e.does.replace('|', "\\|"),
            e.fix.replace('|', "\\|"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_complete() {
        for w in CONFIGMAP_KEYS.windows(2) {
            assert!(w[0].key < w[1].key, "{} before {}", w[0].key, w[1].key);
        }
        for e in CONFIGMAP_KEYS {
            assert!(!e.does.is_empty() && !e.fix.is_empty(), "{}", e.key);
            assert_eq!(lookup_key(e.key).map(|f| f.key), Some(e.key));
        }
    }

    #[test]
    fn classification_of_known_keys() {
        let h = |k: &str| lookup_key(k).map(|e| e.handling);
        assert_eq!(h("use-forwarded-headers"), Some(GatewayFact));
        assert_eq!(h("use-gzip"), Some(GatewayFact));
        assert_eq!(h("ssl-protocols"), Some(GatewayFact));
        assert_eq!(h("proxy-body-size"), Some(NotExpressible));
        assert_eq!(h("custom-http-errors"), Some(NotExpressible));
        assert_eq!(h("ssl-redirect"), Some(Translated));
        assert_eq!(h("hsts-max-age"), Some(Translated));
        assert_eq!(h("proxy-read-timeout"), Some(AnnotationDefault));
        assert_eq!(h("worker-processes"), Some(NoDataPlaneEffect));
        assert_eq!(h("log-format-upstream"), Some(NoDataPlaneEffect));
        assert_eq!(h("enable-opentracing"), Some(Removed));
        assert_eq!(h("no-such-key"), None);
        assert_eq!(
            lookup_key("proxy-body-size").map(|e| e.scope),
            Some(KeyScope::DefaultOf("proxy-body-size"))
        );
    }

    #[test]
    fn removal_versions() {
        assert_eq!(removed_in("enable-opentracing"), Some((1, 10, 0)));
        assert_eq!(
            removed_in("global-rate-limit-memcached-host"),
            Some((1, 12, 0))
        );
        assert_eq!(removed_in("use-geoip"), Some((1, 12, 0)));
        assert_eq!(removed_in("use-gzip"), None);
        for e in CONFIGMAP_KEYS.iter().filter(|e| e.handling == Removed) {
            assert!(e.does.starts_with("removed in v1."), "{}", e.key);
        }
    }

    #[test]
    fn typos_find_the_closest_key() {
        assert_eq!(
            closest_key("use-forwarded-header"),
            Some("use-forwarded-headers")
        );
        assert_eq!(closest_key("proxy-body-sise"), Some("proxy-body-size"));
        assert_eq!(closest_key("completely-unrelated"), None);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
