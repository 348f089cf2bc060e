//! Authentication: basic/digest (`auth-type`), external auth (`auth-url`,
//! ConfigMap `global-auth-url`) and client certificates (`auth-tls-*`).
//!
//! ## What ingress-nginx does
//! * `auth-type: basic|digest` + `auth-secret` (`name` or `ns/name`, htpasswd in
//!   key `auth`, or one user per key with `auth-secret-type: auth-map`) +
//!   `auth-realm`: `auth_basic` / `auth_digest` in every location of the Ingress;
//!   the validator is the unanchored regex `basic|digest` and anything not exactly
//!   `basic` renders as digest. A missing `auth-secret`, a Secret in another
//!   namespace (ConfigMap `allow-cross-namespace-resources`, default false since
//!   v1.12) or a bad type denies the locations: 503.
//! * `auth-url`: an `auth_request` subrequest to exactly that URL (the original URI
//!   in `X-Original-URL`, all client headers, no body); 2xx lets the request
//!   through, 401/403 are returned, anything else is 500. `auth-signin` turns 401
//!   into a 302 to the sign-in page; `auth-response-headers` copies auth-response
//!   headers to the upstream request; `auth-method`, `auth-cache-*`,
//!   `auth-keepalive*`, `auth-proxy-set-headers`, `auth-request-redirect`,
//!   `auth-always-set-cookie` tune the subrequest. ConfigMap `global-auth-url`
//!   protects every Ingress that does not set `enable-global-auth: "false"` or its
//!   own `auth-url`. **Fail-open quirk**: an `auth-cache-duration`,
//!   `auth-request-redirect` or `auth-always-set-cookie` value failing validation
//!   drops the whole external-auth group, so the paths are served *without* auth;
//!   an unparsable URL, bad `auth-method`, `auth-response-headers` or cache
//!   duration syntax denies the locations (503).
//! * `auth-tls-secret` (`ns/name`, key `ca.crt`) + `auth-tls-verify-client`
//!   (`on` default, `off`, `optional`, `optional_no_ca`), `-verify-depth` (1),
//!   `-error-page`, `-pass-certificate-to-upstream`, `-match-cn`: per **host**, the
//!   first Ingress (sorted order) of the host that sets it configures the server,
//!   so it protects every Ingress's paths on that host. nginx sends the backend
//!   `ssl-client-verify`, `ssl-client-subject-dn`, `ssl-client-issuer-dn` (and
//!   `ssl-client-cert` when passing the certificate), overwriting client values.
//!   A reference error makes the whole host answer 403.
//!
//! ## What Gateway API offers
//! No basic/digest auth. The `ExternalAuth` filter (experimental channel): a
//! Service `backendRef`, `http.path` (a *prefix* put before the client path), and
//! `allowedResponseHeaders`. Gateway `spec.tls.frontend` client-certificate
//! validation is **per port** (`default` or `perPort`), not per hostname: modes
//! `AllowValidOnly` and `AllowInsecureFallback`; core support references a
//! ConfigMap with `ca.crt`.
//!
//! ## What we emit
//! Basic/digest: an access-control marker, so the emitter emits the rules
//! fail-closed (HTTP 500) unless `--allow-insecure-translation`. auth-url whose
//! host is a cluster Service (`svc.ns[.svc[.cluster.local]]`) with a static path:
//! an `ExternalAuth` filter (enforced with `--channel experimental`, otherwise
//! fail-closed; a Service of another namespace also needs
//! `--allow-cross-namespace-grants`, since its ReferenceGrant opens it to every
//! HTTPRoute of the Ingress's namespace, otherwise fail-closed); other URLs:
//! fail-closed. Client certificates: Gateway
//! `tls.frontend.perPort[443]` referencing the CA Secret when **every** HTTPS host
//! of the Gateway requires the same CA and mode (exact); otherwise the hosts that
//! require it are fail-closed, because per-port validation would either miss them
//! (wider) or impose certificates on the other hosts. Rules of a validated host
//! remove the `ssl-client-*` request headers so clients cannot forge them.
//! `auth-tls-match-cn` has no equivalent: fail-closed. A CA Secret in neither the
//! Gateway's nor the Ingress's namespace needs `--allow-cross-namespace-grants`
//! (the Gateway's ReferenceGrant goes there); otherwise the host is fail-closed. Invalid values that deny
//! locations today stay denied (always fail-closed).
//!
//! ## What we warn
//! Every setting that is approximated or dropped, per annotation: sign-in redirect,
//! method, caching, keep-alive, extra headers, the path prefix of ExternalAuth,
//! optional verification, verify depth, error page, certificate pass-through,
//! Secret kind of the CA reference. External auth that ingress-nginx does **not**
//! enforce today (fail-open quirk) is reported by `controller_validation`; the
//! translation keeps the intended auth.

use super::{Pass, PassContext, parse_go_bool};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::BTreeMap;

pub const AUTH_APPROXIMATED: Code = Code("auth-approximated");
pub const AUTH_IGNORED: Code = Code("auth-ignored");
pub const CLIENT_CERT: Code = Code("client-certificate");
pub const CLIENT_CERT_SCOPE: Code = Code("client-certificate-scope");

pub struct Auth;

/// Request headers nginx sets from the client certificate (`nginx.tmpl`).
pub const SSL_CLIENT_HEADERS: &[&str] = &[
    "ssl-client-cert",
    "ssl-client-verify",
    "ssl-client-subject-dn",
    "ssl-client-issuer-dn",
];

const KEYS: &[&str] = &[
    "auth-type",
    "auth-secret",
    "auth-secret-type",
    "auth-realm",
    "auth-url",
    "auth-method",
    "auth-signin",
    "auth-signin-redirect-param",
    "auth-cache-key",
    "auth-cache-duration",
    "auth-keepalive",
    "auth-keepalive-share-vars",
    "auth-keepalive-requests",
    "auth-keepalive-timeout",
    "auth-response-headers",
    "auth-proxy-set-headers",
    "auth-request-redirect",
    "auth-always-set-cookie",
    "enable-global-auth",
    "auth-tls-secret",
    "auth-tls-verify-client",
    "auth-tls-verify-depth",
    "auth-tls-error-page",
    "auth-tls-pass-certificate-to-upstream",
    "auth-tls-match-cn",
];

impl Pass for Auth {
    fn name(&self) -> &'static str {
        "auth"
    }
    fn annotations(&self) -> &'static [&'static str] {
        KEYS
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        for (_, ing) in cx.primaries() {
            let mut filters = Vec::new();
            if let Some(f) = password_auth(cx, ing, report) {
                filters.push(f);
            }
            filters.extend(external_auth(cx, ing, report));
            if filters.is_empty() {
                continue;
            }
            for at in ir.rules_of(&ing.obj) {
                let Some(rule) = ir.rule_mut(&at) else {
                    continue;
                };
                rule.filters.extend(filters.iter().cloned());
            }
        }
        client_certificates(cx, ir, report);
    }
}

/// The modelled controller version (`--controller-version`, latest when unparsable).
fn controller_version(cx: &PassContext) -> super::controller_validation::Version {
    use super::controller_validation::Version;
    Version::parse(&cx.options.controller_version).unwrap_or(Version::LATEST)
}

/// `--enable-annotation-validation` (default true since v1.12.0): invalid values
/// of propagating parsers make ingress-nginx ignore the whole Ingress.
pub fn annotation_validation(cx: &PassContext) -> bool {
    controller_version(cx) >= super::controller_validation::Version(1, 12, 0)
}

/// ConfigMap `allow-cross-namespace-resources` (default false since v1.12.0).
pub fn cross_namespace_allowed(cx: &PassContext) -> bool {
    let default = controller_version(cx) < super::controller_validation::Version(1, 12, 0);
    cx.config.bool("allow-cross-namespace-resources", default)
}

/// A Secret reference `name` or `ns/name` (Basic validator characters).
fn secret_ref(value: &str, namespace: &str) -> Option<SecretRef> {
    let v = value.trim();
    if v.is_empty()
        || !v
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"/-._~:".contains(&c))
    {
        return None;
    }
    match v.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Some(SecretRef {
                namespace: ns.into(),
                name: name.into(),
            })
        }
        Some(_) => None,
        None => Some(SecretRef {
            namespace: namespace.into(),
            name: v.into(),
        }),
    }
}

/// Adds the catalog's suggestion for an annotation, when it has one.
trait CatalogSuggestion {
    fn with_catalog_suggestion(self, key: &str) -> Self;
}

impl CatalogSuggestion for Notification {
    fn with_catalog_suggestion(self, key: &str) -> Self {
        match catalog_suggestion(key) {
            Some(s) => self.suggest(s),
            None => self,
        }
    }
}

/// The catalog's note on what to use instead of annotation `key` (no prefix).
fn catalog_suggestion(key: &str) -> Option<String> {
    crate::catalog::lookup(key)
        .map(|i| i.note)
        .filter(|n| !n.is_empty())
        .map(|n| format!("instead: {n}"))
}

fn from_key(cx: &PassContext, ing: &InputIngress, key: &str) -> Provenance {
    Provenance::object(&ing.obj).with_annotation(&cx.full_key(key), cx.annotation_span(ing, key))
}

fn denied(
    cx: &PassContext,
    ing: &InputIngress,
    key: &str,
    status: u16,
    reason: String,
) -> RuleFilter {
    RuleFilter {
        filter: Filter::AccessControl(AccessRequirement::DeniedToday { status, reason }),
        from: from_key(cx, ing, key),
    }
}

fn note(report: &mut Report, cx: &PassContext, ing: &InputIngress, key: &str, n: Notification) {
    report.push(
        n.object(&ing.obj)
            .field(cx.full_key(key))
            .span(cx.annotation_span(ing, key)),
    );
}

fn password_auth(cx: &PassContext, ing: &InputIngress, report: &mut Report) -> Option<RuleFilter> {
    let value = |k: &str| {
        cx.annotation(ing, k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let Some(auth_type) = value("auth-type") else {
        for k in ["auth-secret", "auth-secret-type", "auth-realm"] {
            if value(k).is_some() {
                note(
                    report,
                    cx,
                    ing,
                    k,
                    Notification::info(
                        AUTH_IGNORED,
                        format!(
                            "`{k}` without `auth-type` configures nothing in ingress-nginx; nothing is emitted for it"
                        ),
                    ),
                );
            }
        }
        return None;
    };
    if !auth_type.contains("basic") && !auth_type.contains("digest") && annotation_validation(cx) {
        return Some(RuleFilter {
            filter: Filter::AccessControl(AccessRequirement::IgnoredToday {
                reason: format!("auth-type `{auth_type}` does not match `basic|digest`"),
            }),
            from: from_key(cx, ing, "auth-type"),
        });
    }
    if !auth_type.contains("basic") && !auth_type.contains("digest") {
        note(
            report,
            cx,
            ing,
            "auth-type",
            Notification::warning(
                AUTH_IGNORED,
                format!(
                    "auth-type `{auth_type}` does not match `basic|digest`: ingress-nginx's validation rejects the Ingress (see the controller-validation notifications); the paths are still treated as password-protected here"
                ),
            ),
        );
    }
    let digest = auth_type != "basic";
    let Some(secret_value) = value("auth-secret") else {
        return Some(denied(
            cx,
            ing,
            "auth-type",
            503,
            "auth-type without auth-secret".into(),
        ));
    };
    let Some(secret) = secret_ref(secret_value, ing.namespace()) else {
        return Some(denied(
            cx,
            ing,
            "auth-secret",
            503,
            format!("auth-secret `{secret_value}` is not `name` or `namespace/name`"),
        ));
    };
    if secret.namespace != ing.namespace() && !cross_namespace_allowed(cx) {
        return Some(denied(
            cx,
            ing,
            "auth-secret",
            503,
            format!(
                "auth-secret in namespace `{}` while allow-cross-namespace-resources is false",
                secret.namespace
            ),
        ));
    }
    if let Some(t) = value("auth-secret-type")
        && !t.contains("auth-file")
        && !t.contains("auth-map")
    {
        return Some(denied(
            cx,
            ing,
            "auth-secret-type",
            503,
            format!("auth-secret-type `{t}` is neither auth-file nor auth-map"),
        ));
    }
    Some(RuleFilter {
        filter: Filter::AccessControl(AccessRequirement::PasswordAuth {
            digest,
            secret,
            realm: value("auth-realm").unwrap_or("").to_string(),
        }),
        from: from_key(cx, ing, "auth-type"),
    })
}

/// The parts of an absolute http(s) URL we need (Go `url.Parse` with scheme and host).
#[derive(Debug, PartialEq, Eq)]
struct AuthUrl {
    https: bool,
    host: String,
    port: Option<u16>,
    path: String,
    query: Option<String>,
}

fn parse_auth_url(v: &str) -> Option<AuthUrl> {
    let (scheme, rest) = v.split_once("://")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "http" => false,
        "https" => true,
        _ => return None,
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q.to_string())),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => (&before_query[..i], &before_query[i..]),
        None => (before_query, ""),
    };
    // `[v6]` or `[v6]:port`; otherwise `host[:port]`.
    let (host, port) = match authority.rsplit_once(':') {
        _ if authority.ends_with(']') => (authority, None),
        Some((h, p)) if !h.starts_with('[') || h.ends_with(']') => {
            // Port 0: no service listens there, and no backendRef can name it.
            (h, Some(p.parse::<u16>().ok().filter(|p| *p > 0)?))
        }
        _ => (authority, None),
    };
    if host.is_empty() || authority.contains('@') {
        return None;
    }
    Some(AuthUrl {
        https,
        host: host.to_ascii_lowercase(),
        port,
        path: path.to_string(),
        query,
    })
}

/// The authorization service an `auth-url` names, as `verify` compares it:
/// `namespace/name:port` for a cluster Service host (`svc.ns.svc[.cluster.local]`,
/// port defaulting to the scheme's), else `host:port`; `None` when the URL
/// does not parse.
pub fn auth_service(url: &str) -> Option<String> {
    let u = parse_auth_url(url.trim())?;
    let port = u.port.unwrap_or(if u.https { 443 } else { 80 });
    Some(match service_of_host(&u.host, |_, _| false) {
        Some((ns, name)) => format!("{ns}/{name}:{port}"),
        None => format!("{}:{port}", u.host),
    })
}

/// `svc.ns.svc.cluster.local`, `svc.ns.svc` or (when `known` says so) `svc.ns`.
fn service_of_host(host: &str, known: impl Fn(&str, &str) -> bool) -> Option<(String, String)> {
    let labels: Vec<&str> = host.split('.').collect();
    match labels.as_slice() {
        [svc, ns, "svc", "cluster", "local"] | [svc, ns, "svc"] => {
            Some((ns.to_string(), svc.to_string()))
        }
        [svc, ns] if known(ns, svc) => Some((ns.to_string(), svc.to_string())),
        _ => None,
    }
}

fn is_header_name(h: &str) -> bool {
    !h.is_empty()
        && h.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// nginx `proxy_cache_valid` items: `[code …] time`.
fn valid_cache_duration(v: &str) -> bool {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .all(|item| {
            let toks: Vec<&str> = item.split_whitespace().collect();
            let Some((time, codes)) = toks.split_last() else {
                return false;
            };
            let is_time = {
                let digits = time.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                !digits.is_empty()
                    && digits.bytes().all(|c| c.is_ascii_digit())
                    && ["", "ms", "s", "m", "h", "d", "w", "M", "y"]
                        .contains(&&time[digits.len()..])
            };
            is_time
                && codes
                    .iter()
                    .all(|c| *c == "any" || (c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit())))
        })
}

fn external_auth(cx: &PassContext, ing: &InputIngress, report: &mut Report) -> Vec<RuleFilter> {
    let value = |k: &str| {
        cx.annotation(ing, k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let own = value("auth-url");
    let global_enabled = cx.annotation_bool(ing, "enable-global-auth", true);
    let global = cx
        .config
        .get("global-auth-url")
        .map(str::trim)
        .filter(|v| !v.is_empty());
    if !global_enabled && global.is_some() && own.is_none() {
        note(
            report,
            cx,
            ing,
            "enable-global-auth",
            Notification::info(
                AUTH_IGNORED,
                "enable-global-auth is false: the ConfigMap global-auth-url does not protect this Ingress; nothing to emit",
            ),
        );
    }
    let (url, from) = match (own, global) {
        (Some(u), _) => (u.to_string(), from_key(cx, ing, "auth-url")),
        (None, Some(g)) if global_enabled => (
            g.to_string(),
            Provenance::object(&ing.obj).with_annotation("ConfigMap global-auth-url", None),
        ),
        _ => {
            for k in KEYS.iter().filter(|k| {
                k.starts_with("auth-")
                    && !k.starts_with("auth-tls")
                    && ![
                        "auth-type",
                        "auth-secret",
                        "auth-secret-type",
                        "auth-realm",
                        "auth-url",
                    ]
                    .contains(k)
            }) {
                if value(k).is_some() {
                    note(
                        report,
                        cx,
                        ing,
                        k,
                        Notification::info(
                            AUTH_IGNORED,
                            format!(
                                "`{k}` without `auth-url` configures nothing in ingress-nginx; nothing is emitted for it"
                            ),
                        ),
                    );
                }
            }
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    // The fail-open quirk (a value that drops the whole group) is reported by
    // controller_validation; the translation keeps the intended auth regardless.
    let ext_chars = |v: &str| {
        v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"/-._~:, ".contains(&c))
    };
    // Values that deny the locations (503) today.
    let mut deny = |k: &str, reason: String| out.push(denied(cx, ing, k, 503, reason));
    if let Some(m) = value("auth-method")
        && ![
            "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE",
        ]
        .contains(&m)
    {
        deny("auth-method", format!("invalid auth-method `{m}`"));
    }
    let response_headers: Vec<String> = value("auth-response-headers")
        .map(|v| {
            v.split(',')
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if let Some(bad) = response_headers.iter().find(|h| !is_header_name(h)) {
        deny(
            "auth-response-headers",
            format!("invalid header name `{bad}` in auth-response-headers"),
        );
    }
    if let Some(v) = value("auth-cache-duration")
        && ext_chars(v)
        && !valid_cache_duration(v)
    {
        deny(
            "auth-cache-duration",
            format!("invalid auth-cache-duration `{v}`"),
        );
    }
    let Some(parsed) = parse_auth_url(&url) else {
        out.push(RuleFilter {
            filter: Filter::AccessControl(AccessRequirement::DeniedToday {
                status: 503,
                reason: format!("auth-url `{url}` is not an absolute http(s) URL"),
            }),
            from,
        });
        return out;
    };
    let known = |ns: &str, svc: &str| cx.service(ns, svc).is_some() || cx.has_ingress_namespace(ns);
    let unmappable = |reason: &str| RuleFilter {
        filter: Filter::AccessControl(AccessRequirement::ExternalAuthUrl {
            url: url.clone(),
            reason: reason.to_string(),
        }),
        from: from.clone(),
    };
    if url.contains('$') {
        out.push(unmappable("it uses nginx variables"));
    } else if parsed.query.is_some() {
        out.push(unmappable("ExternalAuth cannot send a query string"));
    } else if let Some((ns, svc)) = service_of_host(&parsed.host, known) {
        let port = parsed.port.unwrap_or(if parsed.https { 443 } else { 80 });
        let path = (!parsed.path.is_empty() && parsed.path != "/").then(|| parsed.path.clone());
        out.push(RuleFilter {
            filter: Filter::ExternalAuth(ExternalAuth {
                protocol: "HTTP".into(),
                backend: Backend {
                    namespace: ns,
                    service: svc,
                    port,
                    weight: None,
                },
                path: path.clone(),
                allowed_response_headers: response_headers.clone(),
            }),
            from: from.clone(),
        });
        let mut diffs = vec![format!(
            "the auth service receives the client's method and path{} instead of a subrequest to `{}`",
            path.as_deref()
                .map(|p| format!(" prefixed with `{p}`"))
                .unwrap_or_default(),
            if parsed.path.is_empty() {
                "/"
            } else {
                &parsed.path
            }
        )];
        diffs.push("only the headers your implementation forwards by default (plus http.allowedHeaders) reach it, while ingress-nginx sends every client header (Cookie included)".into());
        if parsed.https {
            diffs.push(
                "the Service is called over plain HTTP unless a BackendTLSPolicy targets it".into(),
            );
        }
        if cx.options.channel == crate::options::Channel::Experimental {
            report.push(
            Notification::warning(AUTH_APPROXIMATED, format!("external auth `{url}` → ExternalAuth filter (experimental channel): {}", diffs.join("; ")))
                .located(&from)
                .suggest("check that the auth service answers 2xx for these requests; any other answer denies the request, so a mismatch fails closed"),
        );
        }
    } else {
        out.push(unmappable(
            "its host is not a cluster Service (`svc.namespace.svc[.cluster.local]`)",
        ));
    }
    let dropped: &[(&str, &str)] = &[
        (
            "auth-signin",
            "unauthenticated clients get the 401 instead of a 302 to the sign-in page",
        ),
        ("auth-signin-redirect-param", "there is no sign-in redirect"),
        ("auth-method", "the auth call uses the client's method"),
        (
            "auth-cache-key",
            "auth answers are not cached (more load on the auth service)",
        ),
        ("auth-cache-duration", "auth answers are not cached"),
        (
            "auth-keepalive",
            "connection reuse is the implementation's choice",
        ),
        ("auth-keepalive-share-vars", "no nginx variables exist"),
        (
            "auth-keepalive-requests",
            "connection reuse is the implementation's choice",
        ),
        (
            "auth-keepalive-timeout",
            "connection reuse is the implementation's choice",
        ),
        (
            "auth-proxy-set-headers",
            "the extra headers are not sent to the auth service (it may deny requests it accepted before)",
        ),
        (
            "auth-request-redirect",
            "X-Auth-Request-Redirect is not sent to the auth service",
        ),
        (
            "auth-always-set-cookie",
            "Set-Cookie of the auth response is not added to responses",
        ),
    ];
    // The consequences above hold only where an ExternalAuth filter is emitted;
    // otherwise the rules are fail-closed or denied (their own notification says
    // so) and a "401 instead of 302" would contradict it.
    let enforced = cx.options.channel == crate::options::Channel::Experimental
        && out
            .iter()
            .any(|f| matches!(f.filter, Filter::ExternalAuth(_)))
        && !out
            .iter()
            .any(|f| matches!(f.filter, Filter::AccessControl(_)));
    for (k, what) in dropped {
        if let Some(v) = value(k) {
            let message = if enforced {
                format!("`{k}: {v}` has no Gateway API equivalent: {what}")
            } else {
                format!(
                    "`{k}: {v}` is not translated: the auth-url check of these rules is not emitted as an ExternalAuth filter (see the auth-url notification for what the rules do instead), so it has nothing to apply to"
                )
            };
            note(report, cx, ing, k, Notification::warning(AUTH_APPROXIMATED, message)
.suggest(catalog_suggestion(k).unwrap_or_else(|| "configure it in your implementation's auth policy (e.g. Envoy Gateway SecurityPolicy extAuth) if you need it".into())));
        }
    }
    out
}

use crate::emit::access::Located;

/// The auth-tls configuration of a host (first Ingress of the host that sets it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct HostCert {
    owner: ObjectRef,
    outcome: CertOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum CertOutcome {
    Validate { ca: SecretRef, optional: bool },
    Off,
    Denied(String),
}

fn host_cert(cx: &PassContext, ing: &InputIngress, report: &mut Report) -> Option<CertOutcome> {
    let value = |k: &str| {
        cx.annotation(ing, k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let raw = value("auth-tls-secret")?;
    let ca = match raw.split_once('/') {
        Some(_) => secret_ref(raw, ing.namespace()),
        None => None,
    };
    let Some(ca) = ca else {
        return Some(CertOutcome::Denied(format!(
            "auth-tls-secret `{raw}` is not `namespace/name`"
        )));
    };
    if ca.namespace != ing.namespace() && !cross_namespace_allowed(cx) {
        return Some(CertOutcome::Denied(format!(
            "auth-tls-secret in namespace `{}` while allow-cross-namespace-resources is false",
            ca.namespace
        )));
    }
    let mode = value("auth-tls-verify-client").unwrap_or("on");
    let mode = if ["on", "off", "optional", "optional_no_ca"].contains(&mode) {
        mode
    } else {
        note(
            report,
            cx,
            ing,
            "auth-tls-verify-client",
            Notification::warning(
                CLIENT_CERT,
                format!(
                    "auth-tls-verify-client `{mode}` is invalid; ingress-nginx falls back to `on`"
                ),
            ),
        );
        "on"
    };
    if mode != "on" && mode != "off" {
        note(report, cx, ing, "auth-tls-verify-client", Notification::warning(CLIENT_CERT, format!("auth-tls-verify-client `{mode}` lets clients without a valid certificate through (Gateway validation mode AllowInsecureFallback); ingress-nginx told the backend the result in `ssl-client-verify`, which is not sent (and is removed from client requests)"))
            .suggest("make sure the backend does not rely on ssl-client-verify, or require certificates (`on`)"));
    }
    if let Some(d) = value("auth-tls-verify-depth")
        && d != "1"
        && d != "0"
    {
        note(
            report,
            cx,
            ing,
            "auth-tls-verify-depth",
            Notification::warning(
                CLIENT_CERT,
                format!(
                    "auth-tls-verify-depth `{d}` has no Gateway API equivalent; chain depth is the implementation's default"
                ),
            )
            .with_catalog_suggestion("auth-tls-verify-depth"),
        );
    }
    for (k, what) in [
        (
            "auth-tls-error-page",
            "clients with a bad certificate get the implementation's TLS error instead of a redirect to the error page",
        ),
        (
            "auth-tls-pass-certificate-to-upstream",
            "the backend no longer receives `ssl-client-cert`",
        ),
    ] {
        if let Some(v) = value(k)
            && !(k == "auth-tls-pass-certificate-to-upstream" && parse_go_bool(v) == Some(false))
        {
            note(
                report,
                cx,
                ing,
                k,
                Notification::warning(
                    CLIENT_CERT,
                    format!("`{k}: {v}` has no Gateway API equivalent: {what}"),
                )
                .with_catalog_suggestion(k),
            );
        }
    }
    Some(if mode == "off" {
        CertOutcome::Off
    } else {
        CertOutcome::Validate {
            ca,
            optional: mode != "on",
        }
    })
}

/// Whether the Gateway may reference the CA Secret: same namespace, or a
/// ReferenceGrant in the Ingress's own namespace, or any namespace with
/// `--allow-cross-namespace-grants` (`emit/grants.rs` explains why).
fn ca_grant_allowed(
    cx: &PassContext,
    ca: &SecretRef,
    gateway: &GatewayId,
    owner: &ObjectRef,
) -> bool {
    ca.namespace == gateway.namespace
        || owner.namespace.as_deref() == Some(ca.namespace.as_str())
        || cx.options.allow_cross_namespace_grants
}

fn client_certificates(cx: &PassContext, ir: &mut Ir, report: &mut Report) {
    // Per host: the first Ingress (sorted order) with a rule for the host that sets auth-tls-secret.
    let mut per_host: BTreeMap<HostId, HostCert> = BTreeMap::new();
    for (i, ing) in cx.primaries() {
        let Some(outcome) = host_cert(cx, ing, report) else {
            continue;
        };
        for id in cx.rule_hosts(i) {
            if let Some(existing) = per_host.get(&id) {
                // The first auth-tls error of any Ingress of the host makes the server answer 403.
                if matches!(outcome, CertOutcome::Denied(_))
                    && !matches!(existing.outcome, CertOutcome::Denied(_))
                {
                    per_host.insert(
                        id,
                        HostCert {
                            owner: ing.obj.clone(),
                            outcome: outcome.clone(),
                        },
                    );
                    continue;
                }
                if existing.outcome != outcome {
                    note(
                        report,
                        cx,
                        ing,
                        "auth-tls-secret",
                        Notification::warning(
                            CLIENT_CERT_SCOPE,
                            format!(
                                "host {}: the client-certificate settings of {} apply (first Ingress of the host); this Ingress's auth-tls-* settings are ignored by ingress-nginx",
                                id.host, existing.owner
                            ),
                        ),
                    );
                }
                continue;
            }
            per_host.insert(
                id,
                HostCert {
                    owner: ing.obj.clone(),
                    outcome: outcome.clone(),
                },
            );
        }
    }
    if per_host.is_empty() {
        return;
    }
    let key = cx.full_key("auth-tls-secret");
    let match_cn: BTreeMap<ObjectRef, (String, Option<crate::input::SourceSpan>)> = cx
        .ingresses
        .iter()
        .filter_map(|ing| {
            let v = cx.annotation(ing, "auth-tls-match-cn")?.trim();
            (!v.is_empty()).then(|| {
                (
                    ing.obj.clone(),
                    (v.to_string(), cx.annotation_span(ing, "auth-tls-match-cn")),
                )
            })
        })
        .collect();
    // Gateway-wide validation is exact only when every HTTPS host of the Gateway needs the same one.
    let mut gateway_uniform: BTreeMap<GatewayId, Option<(SecretRef, bool)>> = BTreeMap::new();
    for (gid, gw) in &ir.gateways {
        let mut wanted: Option<Option<(SecretRef, bool)>> = None;
        let mut uniform = true;
        for hostname in gw.https.keys() {
            let id = HostId {
                gateway: gid.clone(),
                host: HostKey::Named(hostname.clone()),
            };
            let this = match per_host.get(&id).map(|c| &c.outcome) {
                Some(CertOutcome::Validate { ca, optional }) => Some((ca.clone(), *optional)),
                _ => None,
            };
            match &wanted {
                None => wanted = Some(this),
                Some(w) if *w != this => uniform = false,
                _ => {}
            }
        }
        gateway_uniform.insert(gid.clone(), if uniform { wanted.flatten() } else { None });
    }
    for (id, cert) in per_host {
        let Some(host) = ir.hosts.get_mut(&id) else {
            continue;
        };
        let owner_ing = cx.ingresses.iter().find(|i| i.obj == cert.owner);
        let span = owner_ing.and_then(|i| cx.annotation_span(i, "auth-tls-secret"));
        let from = Provenance::object(&cert.owner).with_annotation(&key, span.clone());
        let has_listener = id
            .host
            .hostname()
            .and_then(|h| {
                ir.gateways
                    .get(&id.gateway)
                    .map(|g| g.https.contains_key(h))
            })
            .unwrap_or(false);
        let requirement = match &cert.outcome {
            CertOutcome::Off => continue,
            CertOutcome::Denied(reason) => Some(AccessRequirement::DeniedToday {
                status: 403,
                reason: format!("{reason}; the whole host answers 403"),
            }),
            CertOutcome::Validate { .. } if !has_listener => {
                report.push(
                    Notification::warning(CLIENT_CERT, format!("host {} requires client certificates but gets no HTTPS listener (see the TLS notifications); nothing enforces them", id.host))
                        .located(&from),
                );
                None
            }
            CertOutcome::Validate { ca, .. }
                if !ca_grant_allowed(cx, ca, &id.gateway, &cert.owner) =>
            {
                Some(AccessRequirement::ClientCertificate {
                    ca_secret: ca.clone(),
                    reason: format!(
                        "the CA Secret is in namespace {}, neither the Gateway's nor the Ingress's: the ReferenceGrant the Gateway needs there is emitted only with --allow-cross-namespace-grants",
                        ca.namespace
                    ),
                })
            }
            // Gateway `tls.frontend` is experimental in 1.4 and standard from 1.5:
            // without it nothing validates client certificates, so fail closed.
            CertOutcome::Validate { ca, .. }
                if !cx.options.gateway_api().frontend_client_validation() =>
            {
                Some(AccessRequirement::ClientCertificate {
                    ca_secret: ca.clone(),
                    reason: format!(
                        "{} has no Gateway tls.frontend client-certificate validation (experimental in 1.4, standard from 1.5): use --gateway-api-version 1.5 or --channel experimental if your cluster has them",
                        cx.options.gateway_api().describe()
                    ),
                })
            }
            CertOutcome::Validate { ca, optional } => {
                let uniform = gateway_uniform.get(&id.gateway).cloned().flatten();
                if uniform.as_ref() == Some(&(ca.clone(), *optional)) {
                    let hostname = id.host.hostname().unwrap_or_default().to_string();
                    if let Some(gw) = ir.gateways.get_mut(&id.gateway) {
                        gw.client_validation.insert(
                            hostname,
                            ClientValidation {
                                ca_secret: ca.clone(),
                                optional: *optional,
                                from: from.clone(),
                            },
                        );
                    }
                    report.push(
                        Notification::info(CLIENT_CERT, format!("host {}: client certificates → Gateway tls.frontend.perPort[443] with the CA Secret {}/{} (every HTTPS host of the Gateway needs the same validation, so the per-port setting is exact)", id.host, ca.namespace, ca.name))
                            .located(&from)
                            .suggest("core support is a ConfigMap with key ca.crt; if your implementation does not accept a Secret reference, copy ca.crt into a ConfigMap and change the reference"),
                    );
                    None
                } else {
                    Some(AccessRequirement::ClientCertificate {
                        ca_secret: ca.clone(),
                        reason: "Gateway API validates client certificates per port, and other HTTPS hosts of this Gateway do not share this requirement".into(),
                    })
                }
            }
        };
        let cn = match_cn.get(&cert.owner).cloned();
        for rule in &mut host.rules {
            if let Some(req) = &requirement {
                rule.filters.push(RuleFilter {
                    filter: Filter::AccessControl(req.clone()),
                    from: from.clone(),
                });
            }
            if let Some((pattern, cn_span)) = &cn {
                rule.filters.push(RuleFilter {
                    filter: Filter::AccessControl(AccessRequirement::ClientCertificateCn {
                        pattern: pattern.clone(),
                    }),
                    from: Provenance::object(&cert.owner)
                        .with_annotation(&cx.full_key("auth-tls-match-cn"), cn_span.clone()),
                });
            }
            if matches!(cert.outcome, CertOutcome::Validate { .. })
                && has_listener
                && matches!(rule.action, Action::Forward(_))
            {
                rule.filters.push(RuleFilter {
                    filter: Filter::RequestHeaders(HeaderEdits {
                        remove: SSL_CLIENT_HEADERS.iter().map(|h| h.to_string()).collect(),
                        ..Default::default()
                    }),
                    from: from.clone(),
                });
            }
        }
        if matches!(cert.outcome, CertOutcome::Validate { .. }) && has_listener {
            report.push(
                Notification::info(CLIENT_CERT, format!("host {}: the request headers {} are removed so clients cannot forge what nginx used to set from the certificate", id.host, SSL_CLIENT_HEADERS.join(", ")))
                    .located(&from),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_urls() {
        let u =
            parse_auth_url("http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth").unwrap();
        assert_eq!(u.host, "oauth2-proxy.auth.svc.cluster.local");
        assert_eq!(u.port, Some(4180));
        assert_eq!(u.path, "/oauth2/auth");
        assert!(!u.https);
        assert!(parse_auth_url("oauth2-proxy/auth").is_none());
        assert_eq!(parse_auth_url("http://[::1]/x").unwrap().host, "[::1]");
        assert_eq!(
            parse_auth_url("http://[::1]:8080/x").unwrap().port,
            Some(8080)
        );
        assert!(parse_auth_url("ftp://x/y").is_none());
        assert!(parse_auth_url("http://:80/").is_none());
        assert_eq!(
            parse_auth_url("https://auth.example.com/check?x=1")
                .unwrap()
                .query
                .as_deref(),
            Some("x=1")
        );
    }

    #[test]
    fn services_from_hosts() {
        let never = |_: &str, _: &str| false;
        assert_eq!(
            service_of_host("a.b.svc.cluster.local", never),
            Some(("b".into(), "a".into()))
        );
        assert_eq!(
            service_of_host("a.b.svc", never),
            Some(("b".into(), "a".into()))
        );
        assert_eq!(service_of_host("a.b", never), None);
        assert_eq!(
            service_of_host("a.b", |ns, _| ns == "b"),
            Some(("b".into(), "a".into()))
        );
        assert_eq!(service_of_host("auth.example.com", never), None);
    }

    #[test]
    fn cache_durations() {
        assert!(valid_cache_duration("200 202 401 5m"));
        assert!(valid_cache_duration("200 10m, 401 30s"));
        assert!(!valid_cache_duration("5 minutes"));
        assert!(valid_cache_duration("10m"));
        assert!(!valid_cache_duration("abc 5m"));
    }

    #[test]
    fn secret_refs() {
        assert_eq!(
            secret_ref("ns/basic", "x"),
            Some(SecretRef {
                namespace: "ns".into(),
                name: "basic".into()
            })
        );
        assert_eq!(
            secret_ref("basic", "x"),
            Some(SecretRef {
                namespace: "x".into(),
                name: "basic".into()
            })
        );
        assert_eq!(secret_ref("a/b/c", "x"), None);
        assert_eq!(secret_ref("a b", "x"), None);
    }
}
