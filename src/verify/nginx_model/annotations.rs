//! What the model reads from an Ingress's annotations, and what it refuses to guess.
//!
//! Every annotation under the configured prefix falls in one class:
//! * **modelled**: read here and applied by the model (regex mode, rewrite,
//!   redirects, ssl-redirect, app-root, canary, IP lists and basic/digest auth);
//! * **neutral**: changes nothing the model reports (status, `Location`, backend,
//!   upstream URI, added request headers) for a GET without affinity cookie,
//!   and its parser falls back to the default on invalid values (timeouts,
//!   buffers, session-cookie details, CORS for non-OPTIONS); `proxy-body-size`
//!   is modelled (`body.rs`: 413 for a probe with a larger body);
//! * **not modelled, location**: decides requests of this Ingress's locations
//!   (external auth, rate limits, snippets …) → their probes are `NotModelled`;
//! * **not modelled, host**: a server-level setting (server-alias, ssl-passthrough,
//!   client certificates …) → every probe of the Ingress's hosts is `NotModelled`.
//!
//! Ingresses the controller ignores or denies (risky annotations, invalid values of
//! rejecting parsers, reference §1.0) are screened out before, by the translation's
//! `passes::controller_validation`.
//!
//! Invalid values of modelled annotations follow §1.0: rewrite/use-regex/app-root
//! fall back to their defaults; an invalid redirect or x-forwarded-prefix drops
//! the Ingress; snippets (risk Critical) drop it unless the ConfigMap raises
//! `annotations-risk-level` to Critical.

use crate::input::InputIngress;
use crate::passes::{ControllerConfig, parse_go_bool};
use fancy_regex::Regex;

/// Annotations that do not change any modelled outcome of a body-less GET.
const NEUTRAL: &[&str] = &[
    "proxy-connect-timeout",
    "proxy-send-timeout",
    "proxy-read-timeout",
    "proxy-buffering",
    "proxy-buffer-size",
    "proxy-buffers-number",
    "proxy-request-buffering",
    "proxy-max-temp-file-size",
    "proxy-http-version",
    "proxy-next-upstream",
    "proxy-next-upstream-timeout",
    "proxy-next-upstream-tries",
    "proxy-redirect-from",
    "proxy-redirect-to",
    "proxy-cookie-domain",
    "proxy-cookie-path",
    "affinity",
    "affinity-mode",
    "affinity-canary-behavior",
    "enable-access-log",
    "enable-rewrite-log",
    "enable-cors",
    "cors-allow-origin",
    "cors-allow-methods",
    "cors-allow-headers",
    "cors-allow-credentials",
    "cors-expose-headers",
    "cors-max-age",
    "limit-rate",
    "limit-rate-after",
    "enable-opentelemetry",
    "opentelemetry-trust-incoming-span",
    "opentelemetry-operation-name",
    // Upstream balancing and TLS/HTTP2 details: which Service answers is unchanged.
    "load-balance",
    "upstream-hash-by",
    "upstream-hash-by-subset",
    "upstream-hash-by-subset-size",
    "client-body-buffer-size",
    "http2-push-preload",
    "ssl-ciphers",
    "ssl-prefer-server-ciphers",
];

/// Server-level annotations: they decide requests of every path of the host (or
/// of other host names). Invalid values that make the controller ignore the whole
/// Ingress are handled before (`passes::controller_validation::screen`).
const HOST_WIDE: &[&str] = &[
    "server-alias",
    "ssl-passthrough",
    "from-to-www-redirect",
    "auth-tls-secret",
    "auth-tls-verify-client",
    "auth-tls-verify-depth",
    "auth-tls-error-page",
    "auth-tls-pass-certificate-to-upstream",
    "auth-tls-match-cn",
];

/// Annotations that restrict who gets an answer from a location: a request they
/// decide must never be served by an open Gateway API rule. (Client
/// certificates are server-wide: their hosts are not modelled at all, and a
/// Gateway enforces them on the listener, not the rule.)
const ACCESS_CONTROL: &[&str] = &[
    "auth-type",
    "auth-url",
    "allowlist-source-range",
    "whitelist-source-range",
    "denylist-source-range",
];

/// What one Ingress's annotations mean to the model.
#[derive(Debug, Clone, Default)]
pub struct IngressAnnotations {
    pub use_regex: bool,
    /// rewrite-target when set and valid (may still equal a path: then no rewrite).
    pub rewrite_target: Option<String>,
    pub x_forwarded_prefix: Option<String>,
    pub app_root: Option<String>,
    /// permanent/temporal redirect: (status, URL as written).
    pub redirect: Option<(u16, String)>,
    pub ssl_redirect: bool,
    pub force_ssl_redirect: bool,
    pub preserve_trailing_slash: bool,
    pub canary: Option<CanaryPolicy>,
    /// IP lists and authentication (the access phase).
    pub access: super::access::Access,
    /// External authentication: the service (`auth-url`) and the sign-in URL.
    pub external_auth: Option<(String, Option<String>)>,
    /// `mirror-target` (with `mirror-host`): where a copy of each request goes.
    pub mirror: Option<crate::verify::request::Mirror>,
    /// Why requests of this Ingress's locations are not modelled.
    pub location_not_modelled: Option<String>,
    /// Why no request of this Ingress's hosts is modelled.
    pub host_not_modelled: Option<String>,
    /// Why ingress-nginx ignores the whole Ingress.
    pub dropped: Option<String>,
    /// The access-control annotations on this Ingress's locations (full keys).
    pub protection: Option<String>,
    /// `client_max_body_size` of this Ingress's locations (annotation, else
    /// ConfigMap, else 1m).
    pub body_limit: super::body::BodyLimit,
}

/// A canary Ingress's traffic policy (`canary/main.go`).
#[derive(Debug, Clone, Default)]
pub struct CanaryPolicy {
    pub header: Option<String>,
    pub header_value: Option<String>,
    /// Pattern text and its compiled form (`None` when it does not compile here).
    pub header_pattern: Option<(String, Option<Regex>)>,
    pub cookie: Option<String>,
    pub weight: i64,
    pub weight_total: i64,
}

/// ingress-nginx's `RegexPathWithCapture` validator.
pub fn valid_path_cap(v: &str) -> bool {
    let body = v.strip_prefix('/').unwrap_or(v);
    body.bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-._~/:$".contains(&c))
}

/// ingress-nginx's `URLIsValidRegex` validator.
fn valid_url(v: &str) -> bool {
    v.bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-._~/:,?&=".contains(&c))
}

/// Reads an Ingress's annotations (keys under `prefix`).
pub fn read(ing: &InputIngress, prefix: &str, cm: &ControllerConfig) -> IngressAnnotations {
    let get = |k: &str| ing.annotation(&format!("{prefix}{k}"));
    let boolean = |k: &str, default: bool| get(k).and_then(parse_go_bool).unwrap_or(default);
    let mut a = IngressAnnotations {
        use_regex: boolean("use-regex", false),
        ssl_redirect: boolean("ssl-redirect", cm.bool("ssl-redirect", true)),
        force_ssl_redirect: boolean("force-ssl-redirect", cm.bool("force-ssl-redirect", false)),
        preserve_trailing_slash: boolean(
            "preserve-trailing-slash",
            cm.bool("preserve-trailing-slash", false),
        ),
        body_limit: super::body::BodyLimit::annotation(
            get("proxy-body-size"),
            &super::body::BodyLimit::configmap(cm.get("proxy-body-size")),
        ),
        ..Default::default()
    };
    let risk_critical = cm
        .get("annotations-risk-level")
        .is_some_and(|v| v.trim() == "Critical");
    let snippets_allowed = cm.bool("allow-snippet-annotations", false);
    let mut location_nm = Vec::new();
    let mut host_nm = Vec::new();
    let mut protection = Vec::new();
    for (key, value) in ing.annotations() {
        let Some(short) = key.strip_prefix(prefix) else {
            continue;
        };
        if ACCESS_CONTROL.contains(&short) && !value.trim().is_empty() {
            protection.push(key.clone());
        }
        if short.ends_with("-snippet") {
            if !risk_critical {
                a.dropped = Some(format!(
                    "{key} has risk Critical, above the default annotations-risk-level High: ingress-nginx ignores the whole Ingress"
                ));
            } else if snippets_allowed && !value.trim().is_empty() {
                if short == "server-snippet" {
                    host_nm.push(key.clone());
                } else {
                    location_nm.push(key.clone());
                }
            }
            continue;
        }
        match short {
            "use-regex" | "ssl-redirect" | "force-ssl-redirect" | "preserve-trailing-slash" => {}
            "rewrite-target" => {
                if !value.is_empty() && valid_path_cap(value) && !value.contains('\n') {
                    a.rewrite_target = Some(value.clone());
                }
            }
            "x-forwarded-prefix" => {
                let v: String = value.chars().filter(|c| *c != ' ').collect();
                // Empty values are never validated (and set nothing).
                if v.is_empty() {
                    continue;
                }
                if !valid_path_cap(&v) {
                    a.dropped = Some(format!(
                        "{key} `{value}` fails validation: ingress-nginx ignores the whole Ingress"
                    ));
                } else if crate::passes::nginx_vars::variables(&v).iter().any(|var| {
                    !matches!(var, crate::passes::nginx_vars::NginxVar::Capture(_))
                        && *var != crate::passes::nginx_vars::NginxVar::Named("host".into())
                }) {
                    // `$host` and captures are evaluated per request (mod.rs).
                    location_nm.push(format!(
                        "{key} with an nginx variable other than $host or $1…$9"
                    ));
                } else {
                    a.x_forwarded_prefix = Some(v);
                }
            }
            "app-root" => {
                let v = value.trim();
                if crate::passes::app_root::valid_app_root(v) {
                    if v.contains('$') {
                        host_nm.push(format!("{key} with an nginx variable"));
                    } else {
                        a.app_root = Some(v.to_string());
                    }
                }
            }
            "permanent-redirect"
            | "permanent-redirect-code"
            | "temporal-redirect"
            | "temporal-redirect-code" => {}
            "canary"
            | "canary-by-header"
            | "canary-by-header-value"
            | "canary-by-header-pattern"
            | "canary-by-cookie"
            | "canary-weight"
            | "canary-weight-total" => {}
            // Read together below (the access phase).
            "allowlist-source-range"
            | "whitelist-source-range"
            | "denylist-source-range"
            | "auth-type"
            | "auth-secret"
            | "auth-secret-type"
            | "auth-realm"
            | "satisfy"
            | "enable-global-auth" => {}
            // External auth: the service decides (symbolic); these only tune the
            // subrequest (method, cache, keepalive, redirect header, cookies).
            "auth-url"
            | "auth-signin"
            | "auth-signin-redirect-param"
            | "auth-method"
            | "auth-cache-key"
            | "auth-cache-duration"
            | "auth-keepalive"
            | "auth-keepalive-share-vars"
            | "auth-keepalive-requests"
            | "auth-keepalive-timeout"
            | "auth-request-redirect"
            | "auth-always-set-cookie" => {}
            // Read together below. A probe is mirrored to the same target with
            // or without `mirror-request-body` (the copy's body is not
            // compared); `mirror-uri` is not read by the
            // modelled controller (reference §1.12).
            "mirror-target" | "mirror-host" | "mirror-request-body" | "mirror-uri" => {}
            // Read above (`body_limit`): 413 for probes with a larger body.
            "proxy-body-size" => {}
            "backend-protocol" => {
                // gRPC locations route like any other (`grpc_pass` to the same
                // upstream); the protocol spoken to it is not part of the outcome.
                let v = value.trim().to_ascii_uppercase();
                if !matches!(v.as_str(), "HTTP" | "HTTPS" | "GRPC" | "GRPCS") {
                    location_nm.push(format!("{key}: {value}"));
                }
            }
            s if NEUTRAL.contains(&s) || s.starts_with("session-cookie-") => {}
            s if HOST_WIDE.contains(&s) => host_nm.push(key.clone()),
            _ => location_nm.push(key.clone()),
        }
    }
    // The ConfigMap's external auth protects every Ingress that does not opt out.
    if cm
        .get("global-auth-url")
        .is_some_and(|v| !v.trim().is_empty())
        && boolean("enable-global-auth", true)
        && get("auth-url").is_none()
    {
        location_nm.push("ConfigMap global-auth-url (external authentication)".into());
    }
    if let Some(url) = get("auth-url").filter(|u| !u.trim().is_empty()) {
        match crate::passes::auth::auth_service(url) {
            Some(service) if !url.contains('$') => {
                let signin = get("auth-signin")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from);
                if signin.as_deref().is_some_and(|s| s.contains('$')) {
                    location_nm.push(format!("{prefix}auth-signin with an nginx variable"));
                }
                a.external_auth = Some((service, signin));
            }
            _ => location_nm.push(format!("{prefix}auth-url `{url}`")),
        }
    }
    match read_mirror(&get, ing.namespace()) {
        Ok(m) => a.mirror = m,
        Err(reason) => location_nm.push(format!("{prefix}{reason}")),
    }
    match super::access::Access::read(&get, cm) {
        Ok(access) => a.access = access,
        Err(reason) => location_nm.push(reason),
    }
    read_redirect(&get, &mut a, prefix);
    if boolean("canary", false) {
        a.canary = Some(read_canary(&get));
    }
    if !location_nm.is_empty() {
        a.location_not_modelled = Some(format!(
            "annotations not modelled: {}",
            location_nm.join(", ")
        ));
    }
    if !protection.is_empty() {
        a.protection = Some(protection.join(", "));
    }
    if !host_nm.is_empty() {
        a.host_not_modelled = Some(format!(
            "server-level annotations not modelled: {}",
            host_nm.join(", ")
        ));
    }
    a
}

/// The mirror of every request of the Ingress's locations (`mirror /_mirror-<uid>`
/// to `proxy_pass <mirror-target>`): the target's Service (as the translation
/// maps it, `passes::mirror::parse_target`) or its URL's `host:port`, and an
/// explicit `mirror-host`. `Err`: why the target is not modelled.
fn read_mirror<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    namespace: &str,
) -> Result<Option<crate::verify::request::Mirror>, String> {
    let Some(url) = get("mirror-target")
        .map(str::trim)
        .filter(|v| !v.is_empty())
    else {
        return Ok(None);
    };
    let target = mirror_destination(url, namespace).ok_or_else(|| {
        format!("mirror-target `{url}` (not an http(s) URL without other variables)")
    })?;
    let host = match get("mirror-host").map(str::trim).filter(|v| !v.is_empty()) {
        Some(h) if h.contains('$') => {
            return Err(format!("mirror-host `{h}` with an nginx variable"));
        }
        Some(h) => Some(h.to_ascii_lowercase()),
        None => None,
    };
    Ok(Some(crate::verify::request::Mirror::all(target, host)))
}

/// `namespace/name:port` for an in-cluster Service URL, else `host:port`.
/// `http://$host…`: nginx resolves the request's own host, spelled
/// [`REQUEST_HOST`]`:port` here and replaced per probe.
pub fn mirror_destination(url: &str, namespace: &str) -> Option<String> {
    let cleaned = url.replace("$request_uri", "");
    let vars = crate::passes::nginx_vars::variables(&cleaned);
    let host_only = vars
        .iter()
        .all(|v| matches!(v, crate::passes::nginx_vars::NginxVar::Named(n) if n == "host"));
    if !vars.is_empty() {
        // Only `scheme://$host[:port]/fixed-path`: the mirror's destination is
        // the request's host; the path is not compared.
        let rest = cleaned.split_once("://").map(|(_, r)| r)?;
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        if !host_only || vars.len() != 1 || authority.split(':').next() != Some("$host") {
            return None;
        }
    }
    if let Some(t) = crate::passes::mirror::parse_target(url, namespace) {
        return Some(format!("{}/{}:{}", t.namespace, t.service, t.port));
    }
    let uri: http::Uri = cleaned.parse().ok()?;
    let port = match uri.scheme_str()? {
        "http" => uri.port_u16().unwrap_or(80),
        "https" => uri.port_u16().unwrap_or(443),
        _ => return None,
    };
    Some(format!("{}:{port}", uri.host()?.to_ascii_lowercase()))
}

/// The mirror destination standing for the request's own host (`http://$host…`).
pub const REQUEST_HOST: &str = "$host";

fn read_redirect<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    a: &mut IngressAnnotations,
    prefix: &str,
) {
    let code = |k: &str, lo: i64, hi: i64, default: u16| -> Result<u16, ()> {
        match get(k) {
            None | Some("") => Ok(default),
            Some(v) => match v.trim().parse::<i64>() {
                Ok(c) if (lo..=hi).contains(&c) => Ok(c as u16),
                Ok(_) => Ok(default),
                Err(_) => Err(()),
            },
        }
    };
    let invalid =
        |k: &str| format!("{prefix}{k} fails validation: ingress-nginx ignores the whole Ingress");
    let permanent = get("permanent-redirect").filter(|v| !v.is_empty());
    let temporal = get("temporal-redirect").filter(|v| !v.is_empty());
    for (k, v) in [
        ("permanent-redirect", permanent),
        ("temporal-redirect", temporal),
    ] {
        if let Some(v) = v
            && !valid_url(v)
        {
            a.dropped = Some(invalid(k));
            return;
        }
    }
    let Ok(pcode) = code("permanent-redirect-code", 300, 308, 301) else {
        a.dropped = Some(invalid("permanent-redirect-code"));
        return;
    };
    let Ok(tcode) = code("temporal-redirect-code", 300, 307, 302) else {
        a.dropped = Some(invalid("temporal-redirect-code"));
        return;
    };
    if let Some(t) = temporal {
        // A non-http scheme drops the redirect group (as if absent).
        if t.starts_with("http") {
            a.redirect = Some((tcode, t.to_string()));
        }
        return;
    }
    if let Some(p) = permanent {
        a.redirect = Some((pcode, p.to_string()));
    }
}

fn read_canary<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> CanaryPolicy {
    let non_empty = |k: &str| {
        get(k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    };
    let int = |k: &str, d: i64| get(k).and_then(|v| v.trim().parse().ok()).unwrap_or(d);
    let total = int("canary-weight-total", 100);
    CanaryPolicy {
        header: non_empty("canary-by-header"),
        header_value: non_empty("canary-by-header-value"),
        header_pattern: non_empty("canary-by-header-pattern").map(|p| {
            let re = Regex::new(&p).ok();
            (p, re)
        }),
        cookie: non_empty("canary-by-cookie"),
        weight: int("canary-weight", 0),
        weight_total: if total > 100 { total } else { 100 },
    }
}
