//! Traffic-policy facts: what ingress-nginx does on a location, a server or the
//! whole controller that standard Gateway API routing fields do not carry.
//!
//! Passes record each fact once, implementation-neutral, with its provenance;
//! they never know the target. Each emitter decides per fact: emitted (an
//! extension resource of its implementation), approximated (with a
//! notification) or not expressible (a notification; fail-closed when the fact
//! guards access, see [`super::AccessRequirement`], which stays the home of
//! access control). The standard emitter reports them as today.
//!
//! Scopes: [`RulePolicy`] on a [`super::Rule`] (one nginx location),
//! [`GatewayPolicy`] on a [`super::Gateway`] (the controller ConfigMap and
//! server-wide settings). Durations are milliseconds, sizes bytes: typed, not
//! the nginx strings (the provenance keeps those).
//!
//! Provenance: an annotation fact has the rule's provenance (Ingress, rule and
//! path index) with the full annotation key and span; a fact decided by another
//! Ingress (the owner of a shared Service port's upstream) names that Ingress
//! without indices; a ConfigMap fact names the ConfigMap object with the key in
//! `annotation`. Only values set in an annotation or the ConfigMap are facts,
//! never the built-in defaults. Which pass records what: docs/architecture.md.

use super::{Backend, Provenance};

/// A fact and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub from: Provenance,
}

impl<T> Sourced<T> {
    pub fn new(value: T, from: Provenance) -> Self {
        Sourced { value, from }
    }
}

/// Per-location facts (one nginx `location`). Boxed on the rule, absent when
/// the location has none, so plain estates pay one pointer per rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RulePolicy {
    /// `proxy-connect-timeout` (ms).
    pub connect_timeout_ms: Option<Sourced<u64>>,
    /// `proxy-read-timeout` (ms): longest silence between two reads from the upstream.
    pub read_timeout_ms: Option<Sourced<u64>>,
    /// `proxy-send-timeout` (ms): longest silence between two writes to the upstream.
    pub send_timeout_ms: Option<Sourced<u64>>,
    /// `proxy-next-upstream`, `-tries`, `-timeout`.
    pub next_upstream: Option<Sourced<NextUpstream>>,
    /// `proxy-body-size` (annotation, else ConfigMap; nginx's
    /// `client_max_body_size`): larger request bodies get 413. `None` inside:
    /// unlimited (`0`).
    pub body_limit_bytes: Option<Sourced<Option<u64>>>,
    /// `proxy-buffering`, `proxy-request-buffering`, buffer sizes.
    pub buffering: Option<Sourced<Buffering>>,
    /// `upstream-hash-by` (wins), else `load-balance`; per Service port (the
    /// upstream's owner decides). Not recorded where `affinity` is (it wins).
    pub load_balance: Option<Sourced<LoadBalance>>,
    /// `affinity: cookie` and `session-cookie-*`.
    pub affinity: Option<Sourced<CookieAffinity>>,
    /// `custom-http-errors` with `default-backend`: upstream responses with these
    /// codes are replaced by the default backend's answer.
    pub error_pages: Option<Sourced<ErrorPages>>,
    /// `upstream-vhost`: the Host header sent upstream.
    pub upstream_host: Option<Sourced<String>>,
    /// `service-upstream`: proxy to the Service's cluster IP, not the endpoints.
    pub service_upstream: Option<Sourced<bool>>,
    /// `rewrite-target` that a regex rewrite expresses exactly (capture groups,
    /// case-insensitive match) where the standard URLRewrite can only approximate.
    pub regex_rewrite: Option<Sourced<RegexRewrite>>,
    /// Response compression on this location. Not recorded today: ingress-nginx
    /// has no per-location compression annotation (see `GatewayPolicy.compression`).
    pub compression: Option<Sourced<Compression>>,
}

impl RulePolicy {
    pub fn is_empty(&self) -> bool {
        *self == RulePolicy::default()
    }
}

/// Controller-wide facts (ConfigMap keys and server-wide behaviour).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GatewayPolicy {
    /// `use-forwarded-headers`, `compute-full-forwarded-for`, `forwarded-for-header`,
    /// `proxy-real-ip-cidr`, `enable-real-ip`.
    pub client_ip: Option<Sourced<ClientIp>>,
    /// `use-proxy-protocol`.
    pub proxy_protocol: Option<Sourced<bool>>,
    /// `ssl-protocols`.
    pub tls_protocols: Option<Sourced<Vec<String>>>,
    /// `ssl-ciphers`.
    pub tls_ciphers: Option<Sourced<Vec<String>>>,
    /// `large-client-header-buffers` (bytes of the largest header line).
    pub max_header_bytes: Option<Sourced<u64>>,
    /// URL normalisation nginx applies before matching (merge slashes, decode, resolve dot segments).
    pub path_normalisation: Option<Sourced<PathNormalisation>>,
    /// `use-gzip` / `enable-brotli` and their types.
    pub compression: Option<Sourced<Compression>>,
    /// `client-header-timeout`, `client-body-timeout`, `keep-alive` (ms).
    pub client_timeouts: Option<Sourced<ClientTimeouts>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NextUpstream {
    /// nginx conditions as written, duplicates dropped: `error`, `timeout`,
    /// `http_502`, `non_idempotent`, …; `off` (never retry) as written too. When
    /// only `-tries`/`-timeout` are set: the default `error timeout`.
    pub conditions: Vec<String>,
    /// `proxy-next-upstream-tries` (0: unlimited).
    pub tries: u32,
    /// `proxy-next-upstream-timeout` in ms (0: unlimited).
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Buffering {
    /// `proxy-buffering on`: responses are buffered.
    pub response: bool,
    /// `proxy-request-buffering on` (default): request bodies are read whole first.
    pub request: bool,
    /// `proxy-buffer-size` (bytes).
    pub buffer_bytes: Option<u64>,
    /// `client-body-buffer-size` (bytes).
    pub client_body_buffer_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadBalance {
    RoundRobin,
    /// `ewma` (peak EWMA latency).
    Ewma,
    LeastConnections,
    /// `upstream-hash-by` on an nginx variable expression, as written, with what it hashes.
    Hash {
        expression: String,
        key: HashKey,
        subset: bool,
    },
}

/// What an `upstream-hash-by` expression hashes, when ing2gw recognises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashKey {
    ClientIp,
    Header(String),
    Cookie(String),
    QueryParameter(String),
    RequestUri,
    /// Any other expression: kept as written, for a notification.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CookieAffinity {
    /// `session-cookie-name` (default `INGRESSCOOKIE`).
    pub name: String,
    /// `session-cookie-path`.
    pub path: Option<String>,
    /// `session-cookie-max-age`, else `-expires`, in seconds; `None`: a session cookie.
    pub ttl_seconds: Option<u64>,
    /// `session-cookie-samesite`, `-secure`, `-domain`.
    pub same_site: Option<String>,
    /// `session-cookie-conditional-samesite-none`: `SameSite=None` is left out for
    /// browsers known to mishandle it.
    pub conditional_same_site_none: bool,
    pub secure: bool,
    pub domain: Option<String>,
    /// `affinity-mode: persistent` (else balanced).
    pub persistent: bool,
    /// `session-cookie-change-on-failure`.
    pub change_on_failure: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorPages {
    /// Upstream status codes replaced (empty: a `default-backend` alone, which
    /// answers only when the location's Service has no endpoints, instead of 503).
    pub codes: Vec<u16>,
    /// The `default-backend` Service answering them (None: the controller's own default backend).
    pub backend: Option<Backend>,
}

/// A regex rewrite of the request path: `pattern` (RE2, matched against the whole
/// path) replaced by `substitution` (`\1`-style groups in RE2 replacement syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexRewrite {
    pub pattern: String,
    pub substitution: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Compression {
    pub gzip: bool,
    pub brotli: bool,
    /// MIME types compressed, as configured.
    pub types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientIp {
    /// Trust X-Forwarded-For (or `forwarded-for-header`) from the hops in `trusted_cidrs`.
    pub use_forwarded_headers: bool,
    /// `enable-real-ip`: the client address from `forwarded_for_header` without
    /// trusting the other forwarded headers (X-Forwarded-Proto, …).
    pub enable_real_ip: bool,
    pub forwarded_for_header: String,
    pub compute_full_forwarded_for: bool,
    /// `proxy-real-ip-cidr`.
    pub trusted_cidrs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathNormalisation {
    pub merge_slashes: bool,
    pub decode_percent: bool,
    pub resolve_dot_segments: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientTimeouts {
    pub header_ms: Option<u64>,
    pub body_ms: Option<u64>,
    pub keep_alive_ms: Option<u64>,
}
