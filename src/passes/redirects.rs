//! permanent-redirect, temporal-redirect (+ codes), from-to-www-redirect,
//! use-port-in-redirects, relative-redirects.
//!
//! ## What ingress-nginx does
//! `permanent-redirect: URL` renders `return <code> URL;` in every location of the
//! Ingress: a fixed target, the request path and query are **not** appended. The
//! code is `permanent-redirect-code` (default 301; an integer outside 300–308 →
//! 301). `temporal-redirect` is the same with `temporal-redirect-code` (default
//! 302; outside 300–307 → 302) and wins when both are set; its URL must start with
//! `http`, else the whole redirect group (from-to-www-redirect included) is
//! dropped. With annotation validation (default since v1.12) a URL outside
//! `[-._~a-zA-Z0-9/:,?&=]` (so no `$request_uri`, `%xx`, `#`) makes the controller
//! ignore the **whole Ingress**. The return runs in the rewrite phase, before the
//! HTTP→HTTPS redirect, and also in the implicit `/` location of every host the
//! Ingress created first, so that host's unmatched paths redirect too (§2.3,
//! kubernetes/ingress-nginx#9435). `from-to-www-redirect` (any location of the
//! host) adds a server for `www.<host>` (or the apex when the host starts with
//! `www.`) that answers CM `http-redirect-code` (308) to the host, keeping the
//! request URI minus one trailing `/`; skipped when that name is a server already.
//! `use-port-in-redirects` / `relative-redirects` only change how nginx writes its
//! own `Location` headers (explicit port; relative URL).
//!
//! ## What Gateway API offers
//! `RequestRedirect` (scheme, hostname, port, `ReplaceFullPath`, status 301, 302,
//! 303, 307, 308); it keeps the query string and has no query field.
//!
//! ## What we emit
//! Each rule of the Ingress becomes a redirect to the URL's scheme, host, port and
//! path; when the Ingress owns a host without a `/` rule, an extra `PathPrefix /`
//! redirect rule. For from-to-www-redirect, a host for the other name whose single
//! rule redirects to the host (with an HTTPS listener sharing the certificate when
//! the host has one).
//!
//! ## What we warn
//! The kept query string; a URL with a query or a status Gateway API cannot carry;
//! values the controller rejects or ignores; the catch-all effect on unmatched
//! paths; the trailing slash from-to-www strips; the port/relative differences.

use super::annotated::{self, note};
use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Report, Severity};

pub const REDIRECT: Code = Code("redirect");
pub const REDIRECT_INVALID: Code = Code("redirect-invalid");
pub const REDIRECT_CATCH_ALL: Code = Code("redirect-catch-all");
pub const FROM_TO_WWW: Code = Code("from-to-www-redirect");
pub const REDIRECT_LOCATION_FORMAT: Code = Code("redirect-location-format");

pub struct Redirects;

/// A redirect the Ingress configures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedRedirect {
    /// `permanent-redirect` or `temporal-redirect`.
    pub key: &'static str,
    pub url: String,
    pub status: u16,
}

/// Why an Ingress's redirect annotations produce nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectProblem {
    /// The controller rejects the whole Ingress (validation).
    IngressRejected(&'static str, String),
    /// temporal-redirect without an http(s) scheme: the redirect group is dropped.
    GroupDropped(String),
}

/// ingress-nginx's choice of redirect for an Ingress (`redirect.go`).
pub fn parse_redirect(
    cx: &PassContext,
    ing: &InputIngress,
) -> Result<Option<FixedRedirect>, RedirectProblem> {
    let perm = annotated::value(cx, ing, "permanent-redirect").map(str::trim);
    let temp = annotated::value(cx, ing, "temporal-redirect").map(str::trim);
    if annotated::validation_enabled(cx) {
        for (key, v) in [("permanent-redirect", perm), ("temporal-redirect", temp)] {
            if let Some(v) = v
                && !annotated::is_valid_url_value(v)
            {
                return Err(RedirectProblem::IngressRejected(key, v.to_string()));
            }
        }
    }
    let code = |key: &str, default: u16, max: i64| -> u16 {
        match annotated::int(cx, ing, key) {
            Some(Ok(c)) if (300..=max).contains(&c) => c as u16,
            _ => default,
        }
    };
    if let Some(t) = temp {
        if !t.starts_with("http") {
            return Err(RedirectProblem::GroupDropped(t.to_string()));
        }
        return Ok(Some(FixedRedirect {
            key: "temporal-redirect",
            url: t.to_string(),
            status: code("temporal-redirect-code", 302, 307),
        }));
    }
    Ok(perm.map(|p| FixedRedirect {
        key: "permanent-redirect",
        url: p.to_string(),
        status: code("permanent-redirect-code", 301, 308),
    }))
}

/// The Gateway API redirect for a fixed URL, and what it cannot carry.
pub fn gateway_redirect(url: &str, status: u16) -> (Redirect, Vec<String>) {
    let mut lost = Vec::new();
    let status = match status {
        301 | 302 | 303 | 307 | 308 => status,
        other => {
            let s = if other == 300 || other == 304 {
                302
            } else {
                301
            };
            lost.push(format!(
                "status {other} is not allowed in Gateway API; {s} is used"
            ));
            s
        }
    };
    let mut r = Redirect {
        scheme: None,
        hostname: None,
        path: None,
        port: None,
        status,
    };
    // `…$request_uri` (accepted without annotation validation): keep the request URI.
    if let Some(base) = url.strip_suffix("$request_uri")
        && !base.contains('$')
    {
        let (mut r, mut lost) = gateway_redirect(if base.is_empty() { "/" } else { base }, status);
        match r.path.take() {
            Some(PathRewrite::Full(p)) if p != "/" => {
                lost.push(format!(
                    "the prefix `{p}` before $request_uri cannot be added to the path"
                ));
            }
            _ => {}
        }
        return (r, lost);
    }
    if url.contains('$') {
        lost.push(format!("`{url}` uses nginx variables other than a trailing $request_uri; only its fixed parts are used"));
    }
    if url.starts_with('/') {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        r.path = Some(PathRewrite::Full(path.to_string()));
        if !query.is_empty() {
            lost.push(format!("the query `?{query}` of the target cannot be set"));
        }
        return (r, lost);
    }
    match url.parse::<http::Uri>() {
        Ok(uri) if uri.scheme().is_some() && uri.host().is_some() => {
            r.scheme = uri.scheme_str().map(str::to_ascii_lowercase);
            r.hostname = uri.host().map(str::to_ascii_lowercase);
            r.port = uri.port_u16();
            // Port 0 is outside Gateway API's port range (1-65535): the API
            // server would reject the route. No client can connect to it either.
            if r.port == Some(0) {
                r.port = None;
                lost.push(format!(
                    "`{url}` names port 0, which no client can connect to and Gateway API cannot express; the redirect uses the scheme's default port"
                ));
            }
            let path = uri.path();
            r.path = Some(PathRewrite::Full(if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            }));
            if let Some(q) = uri.query() {
                lost.push(format!("the query `?{q}` of the target cannot be set"));
            }
        }
        _ => lost.push(format!(
            "`{url}` is not an absolute URL; only its path could be used"
        )),
    }
    (r, lost)
}

/// The other name of a from-to-www-redirect: `www.x` ↔ `x`.
pub fn www_counterpart(host: &str) -> Option<String> {
    if host.starts_with('*') || host.is_empty() {
        return None;
    }
    Some(match host.strip_prefix("www.") {
        Some(apex) => apex.to_string(),
        None => format!("www.{host}"),
    })
}

impl Pass for Redirects {
    fn name(&self) -> &'static str {
        "redirects"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &[
            "permanent-redirect",
            "permanent-redirect-code",
            "temporal-redirect",
            "temporal-redirect-code",
            "from-to-www-redirect",
            "use-port-in-redirects",
            "relative-redirects",
        ]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let mut www_from: Vec<(usize, &InputIngress)> = Vec::new();
        for (i, ing) in cx.primaries() {
            let group_ok = match parse_redirect(cx, ing) {
                Err(RedirectProblem::IngressRejected(key, v)) => {
                    report.push(
                        note(cx, ing, key, Severity::Error, REDIRECT_INVALID, format!("`{v}` fails ingress-nginx's URL validation (no `$`, `%`, `#`, `;`, `@`, `+`, `*`): since v1.12 the controller ignores this whole Ingress (the admission webhook rejects it); the redirect is not emitted"))
                            .suggest("write the literal target URL; a fixed redirect never appends the request path in ingress-nginx"),
                    );
                    false
                }
                Err(RedirectProblem::GroupDropped(_))
                    if cx
                        .verdicts
                        .is_dropped(&ing.obj, crate::catalog::Family::Redirect) =>
                {
                    // Reported by the controller-validation screen.
                    false
                }
                Err(RedirectProblem::GroupDropped(v)) => {
                    report.push(
                        note(cx, ing, "temporal-redirect", Severity::Warning, REDIRECT_INVALID, format!("temporal-redirect `{v}` does not start with http: ingress-nginx drops the whole redirect group (permanent-redirect and from-to-www-redirect too); nothing is emitted for them")),
                    );
                    false
                }
                Ok(None) => true,
                Ok(Some(fixed)) => {
                    apply_fixed(cx, ing, &fixed, ir, report);
                    true
                }
            };
            if group_ok && cx.annotation_bool(ing, "from-to-www-redirect", false) {
                www_from.push((i, ing));
            } else if let Some(v) = cx.annotation(ing, "from-to-www-redirect")
                && !cx.annotation_bool(ing, "from-to-www-redirect", false)
            {
                report.push(note(
                    cx,
                    ing,
                    "from-to-www-redirect",
                    Severity::Info,
                    FROM_TO_WWW,
                    format!("from-to-www-redirect `{v}` is not true: nothing to translate"),
                ));
            }
            code_notes(cx, ing, report);
            for key in ["use-port-in-redirects", "relative-redirects"] {
                if let Some(v) = cx.annotation(ing, key)
                    && !cx.annotation_bool(ing, key, false)
                {
                    report.push(note(
                        cx,
                        ing,
                        key,
                        Severity::Info,
                        REDIRECT_LOCATION_FORMAT,
                        format!("{key} `{v}` is not true: nginx's default, nothing to translate"),
                    ));
                } else if cx.annotation_bool(ing, key, false) {
                    report.push(note(cx, ing, key, Severity::Info, REDIRECT_LOCATION_FORMAT, format!("{key}: nginx writes its own redirects (trailing-slash 301, HTTPS redirect) {}; clients treat both forms the same", if key == "use-port-in-redirects" { "with an explicit port, Gateway API omits default ports" } else { "as relative URLs, Gateway API's are absolute" })));
                }
            }
        }
        from_to_www(cx, &www_from, ir, report);
    }
}

/// Status-code keys that are invalid, out of range, or without their redirect.
fn code_notes(cx: &PassContext, ing: &InputIngress, report: &mut Report) {
    let perm = annotated::value(cx, ing, "permanent-redirect").is_some();
    let temp = annotated::value(cx, ing, "temporal-redirect").is_some();
    if perm && temp {
        report.push(note(
            cx,
            ing,
            "permanent-redirect",
            Severity::Info,
            REDIRECT,
            "permanent-redirect is ignored: temporal-redirect is set too and wins in ingress-nginx",
        ));
    }
    for (code_key, redirect_set, max, default) in [
        ("permanent-redirect-code", perm, 308, 301),
        ("temporal-redirect-code", temp, 307, 302),
    ] {
        match annotated::int(cx, ing, code_key) {
            None => {}
            Some(_) if !redirect_set => report.push(note(
                cx,
                ing,
                code_key,
                Severity::Info,
                REDIRECT,
                format!("{code_key} without its redirect annotation does nothing"),
            )),
            Some(Ok(c)) if (300..=max).contains(&c) => {}
            Some(Ok(c)) => report.push(note(
                cx,
                ing,
                code_key,
                Severity::Warning,
                REDIRECT_INVALID,
                format!("{code_key} {c} is outside 300–{max}: ingress-nginx uses {default}"),
            )),
            Some(Err(raw)) => report.push(note(
                cx,
                ing,
                code_key,
                Severity::Warning,
                REDIRECT_INVALID,
                format!("{code_key} `{raw}` is not an integer: ingress-nginx uses {default}"),
            )),
        }
    }
}

fn apply_fixed(
    cx: &PassContext,
    ing: &InputIngress,
    fixed: &FixedRedirect,
    ir: &mut Ir,
    report: &mut Report,
) {
    let (redirect, lost) = gateway_redirect(&fixed.url, fixed.status);
    let has_rules = ing
        .ingress
        .spec
        .as_ref()
        .and_then(|s| s.rules.as_ref())
        .is_some_and(|r| !r.is_empty());
    if !has_rules {
        // A rule-less Ingress's defaultBackend does not get Redirect annotations.
        report.push(note(cx, ing, fixed.key, Severity::Info, REDIRECT, "the Ingress has no rules: ingress-nginx does not apply redirect annotations to the catch-all spec.defaultBackend, so nothing is redirected"));
        return;
    }
    let mut count = 0;
    for at in annotated::location_rules(ir, ing) {
        let Some(rule) = ir.rule_mut(&at) else {
            continue;
        };
        rule.action = Action::Redirect(redirect.clone());
        rule.filters
            .retain(|f| !matches!(f.filter, Filter::UrlRewrite { .. }));
        count += 1;
    }
    // Hosts this Ingress created first and that have no `/` rule: the implicit `/`.
    let owned: Vec<HostId> = ir
        .hosts
        .of_object(&ing.obj)
        .filter(|h| {
            h.owner == ing.obj
                && !h
                    .rules
                    .iter()
                    .any(|r| r.source_path.path == "/" && !r.source_path.path_type.is_exact())
        })
        .map(|h| h.id.clone())
        .collect();
    for id in owned {
        report.push(
            note(cx, ing, fixed.key, Severity::Warning, REDIRECT_CATCH_ALL, format!("host {}: this Ingress created the host first, so ingress-nginx also applies its {} to the implicit `/` location: every unmatched path of the host redirects too (kubernetes/ingress-nginx#9435); a `PathPrefix /` redirect rule reproduces it", id.host, fixed.key))
                .suggest("if unmatched paths should answer 404, add a `/` path to another Ingress of the host (ingress-nginx then stops redirecting them too)"),
        );
        ir.hosts.push_rule(
            &id,
            Rule::new(
                ing.namespace(),
                format!("{}-implicit-root-redirect", ing.name()),
                PathMatch::Prefix("/".into()),
                SourcePath::new("/", SourcePathType::Prefix),
                Action::Redirect(redirect.clone()),
                // A location of the Ingress like its path rules (no annotation
                // provenance): the passes after this one apply the Ingress's other
                // location annotations (CORS, headers, access control, …) to it, as
                // ingress-nginx applies them to the implicit `/` location.
                Provenance::object(&ing.obj),
            ),
        );
        count += 1;
    }
    if count == 0 {
        return;
    }
    let query = if fixed.url.ends_with("$request_uri") {
        "the request's path and query are kept, as with nginx's $request_uri"
    } else {
        "ingress-nginx drops the request's path and query string, Gateway API RequestRedirect keeps the query"
    };
    let mut msg = format!(
        "{} → {} `{}` on {count} rule(s); {query}",
        fixed.key, redirect.status, fixed.url
    );
    let severity = if lost.is_empty() {
        Severity::Info
    } else {
        msg.push_str("; ");
        msg.push_str(&lost.join("; "));
        Severity::Warning
    };
    report.push(note(cx, ing, fixed.key, severity, REDIRECT, msg));
}

fn from_to_www(
    cx: &PassContext,
    carriers: &[(usize, &InputIngress)],
    ir: &mut Ir,
    report: &mut Report,
) {
    let status = cx.config.http_redirect_code();
    let mut new_hosts = Vec::new();
    let winners = annotated::first_with_rules(ir, carriers.iter().map(|(_, ing)| *ing));
    for (id, ing) in winners {
        let Some(host) = ir.hosts.get(&id) else {
            continue;
        };
        let Some(name) = host.id.host.hostname() else {
            continue;
        };
        let Some(other) = www_counterpart(name) else {
            report.push(note(
                cx,
                ing,
                "from-to-www-redirect",
                Severity::Info,
                FROM_TO_WWW,
                format!("from-to-www-redirect does nothing for wildcard host {name}"),
            ));
            continue;
        };
        let other_id = HostId {
            gateway: host.id.gateway.clone(),
            host: HostKey::Named(other.clone()),
        };
        if ir.hosts.contains_key(&other_id) {
            report.push(note(cx, ing, "from-to-www-redirect", Severity::Info, FROM_TO_WWW, format!("from-to-www-redirect for {name}: {other} has rules of its own, so ingress-nginx adds no redirect for it")));
            continue;
        }
        new_hosts.push((host.id.clone(), other_id, ing));
    }
    for (host_id, other_id, ing) in new_hosts {
        let name = host_id.host.hostname().unwrap_or_default().to_string();
        let other = other_id.host.hostname().unwrap_or_default().to_string();
        let key = cx.full_key("from-to-www-redirect");
        let from = Provenance::object(&ing.obj)
            .with_annotation(&key, cx.annotation_span(ing, "from-to-www-redirect"));
        let mut https_note = String::new();
        if let Some(gw) = ir.gateways.get_mut(&host_id.gateway)
            && let Some(l) = gw.https.get(&name).cloned()
        {
            gw.https.insert(
                other.clone(),
                HttpsListener {
                    hostname: other.clone(),
                    secret: l.secret.clone(),
                    from: from.clone(),
                },
            );
            https_note = format!(
                "; its HTTPS listener reuses Secret {}/{}, whose certificate must cover {other} (ingress-nginx requires the same)",
                l.secret.namespace, l.secret.name
            );
        }
        report.push(
            note(cx, ing, "from-to-www-redirect", Severity::Info, FROM_TO_WWW, format!("from-to-www-redirect: requests for {other} get {status} to {name} (path and query kept){https_note}; ingress-nginx also strips one trailing `/` of the URI, which Gateway API keeps")),
        );
        ir.hosts.insert(VirtualHost {
            id: other_id,
            owner: ing.obj.clone(),
            rules: Rules::new(vec![Rule::new(
                ing.namespace(),
                format!("{}-from-to-www", ing.name()),
                PathMatch::Prefix("/".into()),
                SourcePath::new("/", SourcePathType::Prefix),
                Action::Redirect(Redirect {
                    scheme: None,
                    hostname: Some(name.clone()),
                    path: None,
                    port: None,
                    status,
                }),
                from.clone(),
            )]),
            tls: None,
            regex_mode: None,
            implicit_root: ImplicitRoot {
                backend: None,
                https_redirect: None,
                from,
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_url_splits_into_redirect_fields() {
        let (r, lost) = gateway_redirect("https://new.example.com:8443/landing", 301);
        assert_eq!(r.scheme.as_deref(), Some("https"));
        assert_eq!(r.hostname.as_deref(), Some("new.example.com"));
        assert_eq!(r.port, Some(8443));
        assert_eq!(r.path, Some(PathRewrite::Full("/landing".into())));
        assert!(lost.is_empty());
    }

    #[test]
    fn bare_host_redirects_to_root_and_query_is_reported() {
        let (r, lost) = gateway_redirect("http://example.com?a=b", 302);
        assert_eq!(r.path, Some(PathRewrite::Full("/".into())));
        assert_eq!(lost.len(), 1);
    }

    #[test]
    fn unsupported_status_falls_back() {
        let (r, lost) = gateway_redirect("https://x.example", 305);
        assert_eq!(r.status, 301);
        assert_eq!(lost.len(), 1);
        assert_eq!(gateway_redirect("https://x.example", 300).0.status, 302);
    }

    #[test]
    fn request_uri_suffix_keeps_the_path() {
        let (r, lost) = gateway_redirect("https://new.example.com$request_uri", 301);
        assert_eq!(r.hostname.as_deref(), Some("new.example.com"));
        assert_eq!(r.path, None);
        assert!(lost.is_empty());
        let (_, lost) = gateway_redirect("https://new.example.com/v2$request_uri", 301);
        assert_eq!(lost.len(), 1);
    }

    #[test]
    fn www_names() {
        assert_eq!(
            www_counterpart("example.com").as_deref(),
            Some("www.example.com")
        );
        assert_eq!(
            www_counterpart("www.example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(www_counterpart("*.example.com"), None);
    }
}
