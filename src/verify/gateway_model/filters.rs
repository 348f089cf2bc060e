//! What a selected rule does with the request: filters, then backendRefs.

use super::envoy_gateway::{self, EnvoyGatewayPolicies, RouteFilter};
use super::rules::{Matched, PathMatch};
use crate::gwapi::{HttpRouteFilter, PathModifier};
use crate::verify::request::{Mirror, Outcome, Probe, Scheme, ServiceTarget, Share};
use std::collections::BTreeMap;

fn not_modelled(reason: impl Into<String>) -> Outcome {
    Outcome::NotModelled {
        reason: reason.into(),
    }
}

/// The outcome of `m` for the request (`path` is the raw path, `query` without `?`).
pub fn outcome(
    m: &Matched<'_>,
    probe: &Probe,
    host: &str,
    listener_port: u16,
    path: &str,
    query: Option<&str>,
    eg: Option<&EnvoyGatewayPolicies>,
) -> Outcome {
    let mut path = path.to_string();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    let mut external = None;
    let mut mirrors = Vec::new();
    for (index, f) in m.rule.rule.filters.iter().enumerate() {
        if f.filter_type == "RequestMirror" {
            match mirror_of(f, m, index) {
                Ok(Some(mirror)) => mirrors.push(mirror),
                Ok(None) => {}
                Err(reason) => return not_modelled(reason),
            }
            continue;
        }
        if f.filter_type == "ExternalAuth" {
            // The authorization service decides before the rest (symbolic).
            let Some(auth) = &f.external_auth else {
                return not_modelled("ExternalAuth filter without externalAuth");
            };
            let b = &auth.backend_ref;
            let (Some(port), true) = (b.port, b.kind.as_deref().is_none_or(|k| k == "Service"))
            else {
                return not_modelled("ExternalAuth backendRef that is not a Service port");
            };
            let ns = b
                .namespace
                .clone()
                .unwrap_or_else(|| m.route.namespace.clone());
            external = Some(format!("{ns}/{}:{port}", b.name));
            continue;
        }
        if f.filter_type == "ExtensionRef"
            && let Some(step) = eg.and_then(|eg| extension(f, m, eg, &mut path))
        {
            match step {
                Step::Continue => continue,
                Step::Done(o) => return with_auth(external, o),
            }
        }
        match apply(
            f,
            m,
            probe,
            host,
            listener_port,
            &mut path,
            query,
            &mut headers,
        ) {
            Step::Continue => {}
            Step::Done(o) => return with_auth(external, o),
        }
    }
    with_auth(
        external,
        with_mirrors(mirrors, backend(m, path, query, headers)),
    )
}

/// An `ExtensionRef` to an Envoy Gateway HTTPRouteFilter of the route's
/// namespace (`None`: another kind, or the filter is not in the manifests).
fn extension(
    f: &HttpRouteFilter,
    m: &Matched<'_>,
    eg: &EnvoyGatewayPolicies,
    path: &mut String,
) -> Option<Step> {
    let r = f.extension_ref.as_ref()?;
    if r.group != envoy_gateway::GROUP || r.kind != "HTTPRouteFilter" {
        return None;
    }
    Some(match eg.route_filter(&m.route.namespace, &r.name)? {
        RouteFilter::RegexPath {
            pattern,
            substitution,
        } => {
            *path = RouteFilter::rewrite(pattern, substitution, path);
            Step::Continue
        }
        RouteFilter::DirectResponse { status } => Step::Done(Outcome::Status { status: *status }),
        RouteFilter::NotModelled(r) => Step::Done(not_modelled(r.clone())),
    })
}

/// What a RequestMirror filter (number `index` of the rule) mirrors: `None`
/// when the Gateway drops it — its Service is in another namespace without a
/// ReferenceGrant, or it has no port (the spec: an unresolved mirror backendRef
/// is not configured; the rule still forwards), or `percent` is 0.
fn mirror_of(f: &HttpRouteFilter, m: &Matched<'_>, index: usize) -> Result<Option<Mirror>, String> {
    let Some(r) = &f.request_mirror else {
        return Err("RequestMirror filter without requestMirror".into());
    };
    let b = &r.backend_ref;
    let core = b.group.as_deref().is_none_or(str::is_empty);
    if !core || b.kind.as_deref().is_some_and(|k| k != "Service") {
        return Err(format!(
            "RequestMirror to a backend of kind {}",
            b.kind.as_deref().unwrap_or("Service")
        ));
    }
    let Some(port) = b.port else {
        return Ok(None);
    };
    if m.rule.refused_mirrors.contains(&index) {
        return Ok(None);
    }
    let percent = r.percent.unwrap_or(100).min(100);
    if percent == 0 {
        return Ok(None);
    }
    let divisor = gcd(percent, 100);
    let ns = b
        .namespace
        .clone()
        .unwrap_or_else(|| m.route.namespace.clone());
    Ok(Some(Mirror {
        target: format!("{ns}/{}:{port}", b.name),
        host: None,
        fraction: [percent / divisor, 100 / divisor],
    }))
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// A forwarded request behind its mirrors (redirects and fixed answers are
/// never mirrored: Envoy mirrors only what a route forwards).
fn with_mirrors(mut mirrors: Vec<Mirror>, outcome: Outcome) -> Outcome {
    if mirrors.is_empty() || !matches!(outcome, Outcome::Backend { .. } | Outcome::Split { .. }) {
        return outcome;
    }
    mirrors.sort();
    Outcome::Mirrored {
        mirrors,
        then: Box::new(outcome),
    }
}

/// `outcome` behind the external authorization `service`, if there is one.
fn with_auth(service: Option<String>, outcome: Outcome) -> Outcome {
    match (service, outcome) {
        (_, o @ (Outcome::NotModelled { .. } | Outcome::ImplementationDefined { .. })) => o,
        (Some(service), then) => Outcome::ExternalAuth {
            service,
            signin: None,
            then: Box::new(then),
        },
        (None, o) => o,
    }
}

enum Step {
    Continue,
    Done(Outcome),
}

#[allow(clippy::too_many_arguments)]
fn apply(
    f: &HttpRouteFilter,
    m: &Matched<'_>,
    probe: &Probe,
    host: &str,
    listener_port: u16,
    path: &mut String,
    query: Option<&str>,
    headers: &mut BTreeMap<String, String>,
) -> Step {
    match f.filter_type.as_str() {
        "RequestRedirect" => {
            let Some(r) = &f.request_redirect else {
                return Step::Done(not_modelled(
                    "RequestRedirect filter without requestRedirect",
                ));
            };
            let scheme = r.scheme.clone().unwrap_or_else(|| match probe.scheme {
                Scheme::Http => "http".into(),
                Scheme::Https => "https".into(),
            });
            // Spec: "the hostname in the Host header of the request" — as sent.
            let hostname = r
                .hostname
                .clone()
                .unwrap_or_else(|| host_header(probe, host));
            // Spec: no port → the scheme's well-known port when a scheme is set,
            // else the listener port; well-known ports are left out of Location.
            let port = match (r.port, &r.scheme) {
                (Some(p), _) => Some(p),
                (None, Some(_)) => None,
                (None, None) => Some(listener_port),
            };
            let port =
                port.filter(|p| !matches!((scheme.as_str(), p), ("http", 80) | ("https", 443)));
            let new_path = match &r.path {
                None => path.clone(),
                Some(modifier) => match modify_path(modifier, m, path) {
                    Ok(p) => p,
                    Err(e) => return Step::Done(not_modelled(e)),
                },
            };
            if query.is_some_and(|q| !q.is_empty()) {
                return Step::Done(Outcome::ImplementationDefined {
                    reason:
                        "Gateway API does not say whether a RequestRedirect keeps the query string"
                            .into(),
                });
            }
            let mut location = format!("{scheme}://{hostname}");
            if let Some(p) = port {
                location.push_str(&format!(":{p}"));
            }
            location.push_str(&new_path);
            Step::Done(Outcome::Redirect {
                status: r.status_code.unwrap_or(302),
                location,
            })
        }
        "URLRewrite" => {
            let Some(r) = &f.url_rewrite else {
                return Step::Done(not_modelled("URLRewrite filter without urlRewrite"));
            };
            if let Some(h) = &r.hostname {
                headers.insert("host".into(), h.clone());
            }
            if let Some(modifier) = &r.path {
                match modify_path(modifier, m, path) {
                    Ok(p) => *path = p,
                    Err(e) => return Step::Done(not_modelled(e)),
                }
            }
            Step::Continue
        }
        "RequestHeaderModifier" => {
            let Some(hm) = &f.request_header_modifier else {
                return Step::Done(not_modelled("RequestHeaderModifier without its settings"));
            };
            for h in &hm.set {
                headers.insert(h.name.to_ascii_lowercase(), h.value.clone());
            }
            for h in &hm.add {
                let name = h.name.to_ascii_lowercase();
                if probe.headers.contains_key(&name) || headers.contains_key(&name) {
                    return Step::Done(not_modelled(format!(
                        "RequestHeaderModifier adds `{}` to a header the request already has",
                        h.name
                    )));
                }
                headers.insert(name, h.value.clone());
            }
            for name in &hm.remove {
                let name = name.to_ascii_lowercase();
                if probe.headers.contains_key(&name) {
                    return Step::Done(not_modelled(format!(
                        "RequestHeaderModifier removes request header `{name}`"
                    )));
                }
                headers.remove(&name);
            }
            Step::Continue
        }
        // Responses' headers are not part of the outcome (mirrors: `mirror_of`).
        "ResponseHeaderModifier" => Step::Continue,
        "CORS" => {
            if probe.method == "OPTIONS" || probe.headers.contains_key("origin") {
                Step::Done(not_modelled(
                    "CORS filter (preflight and CORS response headers)",
                ))
            } else {
                Step::Continue
            }
        }
        "ExtensionRef" => Step::Done(not_modelled(match &f.extension_ref {
            Some(r) => format!("ExtensionRef filter {} {}", r.kind, r.name),
            None => "ExtensionRef filter".to_string(),
        })),
        other => Step::Done(not_modelled(format!("filter type `{other}`"))),
    }
}

/// The Host header without port (and without trailing dot), case kept.
fn host_header(probe: &Probe, normalised: &str) -> String {
    let h = probe.host.trim().trim_end_matches('.');
    match h.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => {
            name.trim_end_matches('.').to_string()
        }
        _ if h.eq_ignore_ascii_case(normalised) => h.to_string(),
        _ => normalised.to_string(),
    }
}

/// ReplaceFullPath / ReplacePrefixMatch (the latter needs a PathPrefix match).
fn modify_path(modifier: &PathModifier, m: &Matched<'_>, path: &str) -> Result<String, String> {
    match modifier.modifier_type.as_str() {
        "ReplaceFullPath" => Ok(modifier.replace_full_path.clone().unwrap_or_default()),
        "ReplacePrefixMatch" => {
            let PathMatch::Prefix(prefix) = &m.matched.path else {
                return Err("ReplacePrefixMatch on a rule without a PathPrefix match".into());
            };
            let replacement = modifier.replace_prefix_match.as_deref().unwrap_or("/");
            Ok(replace_prefix(prefix, replacement, path))
        }
        other => Err(format!("path modifier `{other}`")),
    }
}

/// Replaces the matched prefix element-wise, as the spec's examples show:
/// `/foo` → `/xyz` turns `/foo/bar` into `/xyz/bar`; `/foo` → `/` turns it into `/bar`.
pub fn replace_prefix(prefix: &str, replacement: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let rest = &path[prefix.len().min(path.len())..];
    let replacement = replacement.trim_end_matches('/');
    let out = format!("{replacement}{rest}");
    if out.is_empty() {
        "/".into()
    } else if !out.starts_with('/') {
        format!("/{out}")
    } else {
        out
    }
}

fn backend(
    m: &Matched<'_>,
    path: String,
    query: Option<&str>,
    headers: BTreeMap<String, String>,
) -> Outcome {
    let refs = &m.rule.rule.backend_refs;
    let weighted: Vec<_> = refs
        .iter()
        .enumerate()
        .filter(|(_, b)| b.weight.unwrap_or(1) > 0)
        .collect();
    if weighted.is_empty() {
        return Outcome::Status { status: 500 };
    }
    let mut uri = path;
    if let Some(q) = query {
        uri.push('?');
        uri.push_str(q);
    }
    let mut shares = Vec::new();
    for (i, b) in &weighted {
        if !b.filters.is_empty() {
            return not_modelled("per-backend filters");
        }
        let core = b.group.as_deref().is_none_or(str::is_empty);
        if !core || b.kind.as_deref().is_some_and(|k| k != "Service") {
            return not_modelled(format!(
                "backend of kind {}",
                b.kind.as_deref().unwrap_or("Service")
            ));
        }
        // Not permitted by a ReferenceGrant, or a Service reference without a
        // port (invalid): the spec answers 500 for the requests sent to it.
        let Some(port) = b.port.filter(|_| !m.rule.refused.contains(i)) else {
            if weighted.len() == 1 {
                return Outcome::Status { status: 500 };
            }
            return not_modelled("traffic split with a backend that answers 500");
        };
        shares.push(Share {
            service: ServiceTarget {
                namespace: b
                    .namespace
                    .clone()
                    .unwrap_or_else(|| m.route.namespace.clone()),
                name: b.name.clone(),
                port: port.to_string(),
            },
            weight: u64::from(b.weight.unwrap_or(1)),
        });
    }
    match <[Share; 1]>::try_from(shares) {
        Ok([only]) => Outcome::Backend {
            service: only.service,
            uri,
            headers,
        },
        Err(shares) => Outcome::Split {
            shares,
            uri,
            headers,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::replace_prefix;

    #[test]
    fn replace_prefix_follows_the_spec_table() {
        assert_eq!(replace_prefix("/foo", "/xyz", "/foo/bar"), "/xyz/bar");
        assert_eq!(replace_prefix("/foo", "/xyz/", "/foo/bar"), "/xyz/bar");
        assert_eq!(replace_prefix("/foo/", "/xyz", "/foo/bar"), "/xyz/bar");
        assert_eq!(replace_prefix("/foo", "/", "/foo"), "/");
        assert_eq!(replace_prefix("/foo", "/", "/foo/bar"), "/bar");
        assert_eq!(replace_prefix("/foo", "/xyz", "/foo/"), "/xyz/");
        assert_eq!(replace_prefix("/", "/xyz", "/foo"), "/xyz/foo");
    }
}
