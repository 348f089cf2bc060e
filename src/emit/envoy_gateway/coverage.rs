//! What the Envoy Gateway target does with each annotation / ConfigMap key it
//! handles beyond the standard translation (rendered by `annotations
//! --implementation envoy-gateway` and `scan`). Each row matches what the
//! family files emit and warn.

use crate::emit::coverage::{CoverageEntry, CoverageLevel};
use CoverageLevel::{Approximated as A, NotExpressible as N, Translated as T};

const fn row(
    key: &'static str,
    level: CoverageLevel,
    kind: &'static str,
    field: &'static str,
    note: &'static str,
) -> CoverageEntry {
    CoverageEntry {
        key,
        level,
        kind,
        field,
        note,
    }
}

const SP: &str = "SecurityPolicy";
const BTP: &str = "BackendTrafficPolicy";
const CTP: &str = "ClientTrafficPolicy";

const ROWS: &[CoverageEntry] = &[
    row("allowlist-source-range", T, SP, "spec.authorization.rules[].principal.clientCIDRs", "Allow rule, defaultAction Deny (403); under `satisfy: any` beside an authentication only the authentication is emitted (narrower)"),
    row("whitelist-source-range", T, SP, "spec.authorization.rules[].principal.clientCIDRs", "alias of allowlist-source-range"),
    row("denylist-source-range", T, SP, "spec.authorization.rules[].principal.clientCIDRs", "Deny rule evaluated before the allow rule, as nginx"),
    row("satisfy", A, SP, "spec.authorization", "`any` cannot be expressed (authentication and authorization are ANDed): the authentication alone is required"),
    row("auth-type", A, SP, "spec.basicAuth.users", "basic: a Secret with key `.htpasswd` the user creates (kubectl command in the notification), SHA hashes only, others get 401; digest: not expressible, fail-closed"),
    row("auth-secret", A, SP, "spec.basicAuth.users", "referenced as `<auth-secret>-htpasswd` in the route's namespace; ing2gw never reads Secret data"),
    row("auth-secret-type", A, SP, "spec.basicAuth.users", "both auth-file and auth-map become one `.htpasswd` key (command in the notification)"),
    row("auth-realm", N, "", "", "Envoy Gateway sends no configurable realm"),
    row("auth-url", A, SP, "spec.extAuth.http.backendRefs", "a Service of the route's namespace, called at the URL's path (pathOverride); other hosts and namespaces stay fail-closed"),
    row("auth-response-headers", T, SP, "spec.extAuth.http.headersToBackend", ""),
    row("auth-method", N, "", "", "the auth call uses the client's method"),
    row("auth-signin", N, "", "", "unauthenticated clients get 401 instead of the redirect (closed)"),
    row("auth-tls-secret", N, "", "", "client certificates beyond the Gateway's standard frontend validation stay fail-closed"),
    row("limit-rps", A, BTP, "spec.rateLimit.local.rules[].limit", "per client address (sourceCIDR Distinct) and replica; no burst (stricter), 429 instead of 503"),
    row("limit-rpm", A, BTP, "spec.rateLimit.local.rules[].limit", "as limit-rps, per minute"),
    row("limit-burst-multiplier", N, "", "", "Envoy's local rate limit has no burst beyond the limit (stricter)"),
    row("limit-whitelist", N, "", "", "exemptions cannot be expressed: listed clients are limited too (stricter)"),
    row("limit-allowlist", N, "", "", "as limit-whitelist"),
    row("limit-connections", N, "", "", "no per-client connection limit in Envoy Gateway: stays fail-closed"),
    row("proxy-connect-timeout", T, BTP, "spec.timeout.tcp.connectTimeout", ""),
    row("proxy-read-timeout", A, BTP, "spec.timeout.http.streamIdleTimeout", "one idle timeout for both directions (the larger of read/send)"),
    row("proxy-send-timeout", A, BTP, "spec.timeout.http.streamIdleTimeout", "as proxy-read-timeout"),
    row("proxy-next-upstream", A, BTP, "spec.retry.retryOn", "error → connect-failure/reset, http_NNN → status codes; Envoy retries every method"),
    row("proxy-next-upstream-tries", T, BTP, "spec.retry.numRetries", "tries − 1"),
    row("proxy-next-upstream-timeout", N, "", "", "no bound on all attempts together"),
    row("load-balance", A, BTP, "spec.loadBalancer.type", "round_robin → RoundRobin; ewma and least_conn → LeastRequest"),
    row("upstream-hash-by", A, BTP, "spec.loadBalancer.consistentHash", "client address → SourceIP, $http_x → Header, $cookie_x → Cookie, $arg_x → QueryParams; other expressions not expressible"),
    row("upstream-hash-by-subset", N, "", "", "Envoy hashes over every endpoint"),
    row("affinity", A, BTP, "spec.loadBalancer.consistentHash.cookie", "consistent hash by cookie: clients may move when endpoints change (balanced)"),
    row("affinity-mode", N, "", "", "persistent is not kept across scaling"),
    row("session-cookie-name", T, BTP, "spec.loadBalancer.consistentHash.cookie.name", ""),
    row("session-cookie-max-age", T, BTP, "spec.loadBalancer.consistentHash.cookie.ttl", ""),
    row("session-cookie-expires", T, BTP, "spec.loadBalancer.consistentHash.cookie.ttl", ""),
    row("session-cookie-path", T, BTP, "spec.loadBalancer.consistentHash.cookie.attributes", ""),
    row("session-cookie-samesite", T, BTP, "spec.loadBalancer.consistentHash.cookie.attributes", ""),
    row("session-cookie-secure", N, "", "", "the Secure attribute is not set"),
    row("session-cookie-change-on-failure", N, "", "", ""),
    row("proxy-body-size", A, BTP, "spec.requestBuffer.limit", "413 above the limit; the whole body is buffered (not for streaming or upgrades)"),
    row("proxy-buffering", N, "", "", "Envoy streams responses"),
    row("proxy-request-buffering", N, "", "", ""),
    row("custom-http-errors", A, BTP, "spec.responseOverride", "the status is kept, the body is a fixed text (not the default backend's page)"),
    row("service-upstream", T, BTP, "spec.routingType", "Service: the cluster IP"),
    row("rewrite-target", T, "HTTPRouteFilter", "spec.urlRewrite.path.replaceRegexMatch", "with use-regex: capture groups and case-insensitive matches are exact (ExtensionRef filter)"),
    row("configmap:use-forwarded-headers", T, CTP, "spec.clientIPDetection.xForwardedFor", ""),
    row("configmap:proxy-real-ip-cidr", T, CTP, "spec.clientIPDetection.xForwardedFor.trustedCIDRs", ""),
    row("configmap:forwarded-for-header", T, CTP, "spec.clientIPDetection.customHeader", ""),
    row("configmap:compute-full-forwarded-for", T, CTP, "spec.clientIPDetection", "Envoy appends the client address to X-Forwarded-For"),
    row("configmap:use-proxy-protocol", T, CTP, "spec.proxyProtocol", ""),
    row("configmap:ssl-protocols", T, CTP, "spec.tls.minVersion", ""),
    row("configmap:ssl-ciphers", A, CTP, "spec.tls.ciphers", "TLS 1.2 and below only"),
    row("configmap:client-header-timeout", T, CTP, "spec.timeout.http.requestHeadersReceivedTimeout", ""),
    row("configmap:keep-alive", T, CTP, "spec.timeout.http.idleTimeout", ""),
    row("configmap:client-body-timeout", N, "", "", ""),
    row("configmap:large-client-header-buffers", N, "", "", "Envoy limits the whole header block"),
    row("configmap:use-gzip", A, BTP, "spec.compressor", "Envoy's default content types"),
    row("configmap:enable-brotli", A, BTP, "spec.compressor", "Envoy's default content types"),
];

pub fn rows() -> Vec<CoverageEntry> {
    ROWS.to_vec()
}
