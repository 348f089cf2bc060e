//! Route acceptance: which routes and backend references a Gateway API
//! implementation accepts before any request is matched (Gateway API v1.5).
//!
//! * **Invalid objects**: an HTTPRoute the API server rejects (CRD schema and
//!   CEL rules: more than 16 rules, a path that is not absolute or not in
//!   normal form, RequestRedirect together with URLRewrite or with
//!   backendRefs, a `ReplacePrefixMatch` without exactly one PathPrefix match,
//!   a filter type repeated, a redirect status the enum does not allow, duplicate
//!   rule names, a Service backendRef without port) never exists in the cluster:
//!   it serves nothing. Such routes are left out of the model.
//! * **Attachment**: a route with no `parentRefs`, or whose `parentRefs` name no
//!   listener of the objects, is accepted by no Gateway (`Accepted: False`,
//!   `NoMatchingParent`): it serves nothing. The model only takes routes through
//!   their attachment ([`super::listeners`]); they are listed here so the report
//!   can say why a host is not served.
//! * **ReferenceGrant**: a backendRef to another namespace without a
//!   ReferenceGrant in that namespace allowing the route is not resolved
//!   (`ResolvedRefs: False`, `RefNotPermitted`), and the spec has requests to it
//!   answered with 500.
//! * **Conflicts** between routes with the same hostname, path and matches are
//!   not a rejection in HTTPRoute: the oldest, then the alphabetically first
//!   route wins (the precedence in [`super::rules::select`]).
//!
//! Each rule is a small function of [`CHECKS`] (over all objects) or of
//! [`ROUTE_CHECKS`] (one HTTPRoute as the API server validates it); a new rule
//! is one more function there.

use super::listeners::{ByParent, ModelListener, attaches};
use crate::gwapi::{GatewayObject, HttpBackendRef, HttpRoute, HttpRouteRule, ReferenceGrant};
use serde::Serialize;
use std::collections::BTreeSet;

/// A route no implementation serves, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotAccepted {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub reason: String,
}

/// What one check found: a route no implementation serves (in full or in
/// part), and whether the model must leave it out (`excluded`; a route attached
/// to no listener is left out anyway, a refused backendRef only answers 500).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub route: NotAccepted,
    pub excluded: bool,
}

/// What the checks see: every object, the listeners, the ReferenceGrants.
pub struct Context<'a> {
    pub objects: &'a [GatewayObject],
    pub(super) listeners: &'a [ModelListener],
    pub grants: &'a Grants,
}

/// One acceptance rule over all objects. A new rule (say, a GRPCRoute and an
/// HTTPRoute competing for one hostname on a listener) is one more function in
/// [`CHECKS`].
type Check = fn(&Context<'_>) -> Vec<Finding>;

/// The acceptance rules, in the order their findings are reported.
const CHECKS: &[Check] = &[api_server_rejects, attached_nowhere, refused_backend_refs];

/// Runs every acceptance rule.
pub(super) fn review(cx: &Context<'_>) -> Vec<Finding> {
    CHECKS.iter().flat_map(|check| check(cx)).collect()
}

fn http_routes<'a>(cx: &Context<'a>) -> impl Iterator<Item = (&'a HttpRoute, String)> {
    cx.objects.iter().filter_map(|o| match o {
        GatewayObject::HttpRoute(r) => Some((r, namespace_of(r))),
        _ => None,
    })
}

fn namespace_of(r: &HttpRoute) -> String {
    r.metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into())
}

fn finding(r: &HttpRoute, reason: String, excluded: bool) -> Finding {
    Finding {
        route: NotAccepted {
            kind: "HTTPRoute".into(),
            namespace: namespace_of(r),
            name: r.metadata.name.clone(),
            reason,
        },
        excluded,
    }
}

/// HTTPRoutes the API server rejects: they never exist in the cluster.
fn api_server_rejects(cx: &Context<'_>) -> Vec<Finding> {
    http_routes(cx)
        .filter_map(|(r, _)| {
            let reason = rejected(r)?;
            Some(finding(
                r,
                format!("the API server rejects it: {reason}"),
                true,
            ))
        })
        .collect()
}

/// Valid HTTPRoutes that attach to no listener.
fn attached_nowhere(cx: &Context<'_>) -> Vec<Finding> {
    let parents = ByParent::new(cx.listeners);
    http_routes(cx)
        .filter(|(r, _)| rejected(r).is_none())
        .filter_map(|(r, ns)| Some(finding(r, attachment(r, &ns, &parents)?, true)))
        .collect()
}

/// backendRefs to another namespace that no ReferenceGrant permits.
fn refused_backend_refs(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (r, ns) in http_routes(cx).filter(|(r, _)| rejected(r).is_none()) {
        for (i, rule) in r.spec.rules.iter().enumerate() {
            for b in rule
                .backend_refs
                .iter()
                .filter(|b| !cx.grants.permits("HTTPRoute", &ns, b))
            {
                let rule_name = rule.name.clone().unwrap_or_else(|| format!("rules[{i}]"));
                out.push(finding(
                    r,
                    format!(
                        "{rule_name}: backendRef {}/{} is in another namespace and no ReferenceGrant there permits it (RefNotPermitted): requests to it answer 500",
                        b.namespace.as_deref().unwrap_or(&ns),
                        b.name
                    ),
                    false,
                ));
            }
        }
    }
    out
}

/// A check of one HTTPRoute as the API server validates it: the reason it is
/// rejected, if it is.
type RouteCheck = fn(&HttpRoute) -> Option<String>;

/// The API server's validation of an HTTPRoute (CRD schema and CEL rules).
const ROUTE_CHECKS: &[RouteCheck] = &[
    too_many_rules,
    path_not_valid,
    redirect_with_rewrite_or_backends,
    replace_prefix_without_one_path_prefix,
    repeated_filter,
    redirect_status_not_allowed,
    duplicate_rule_names,
    service_backend_without_port,
];

/// The reason the API server rejects `route`, if it does.
pub fn rejected(route: &HttpRoute) -> Option<String> {
    ROUTE_CHECKS.iter().find_map(|check| check(route))
}

/// Why `route` (in `namespace`) attaches to none of `listeners`, if it does not.
fn attachment(route: &HttpRoute, namespace: &str, parents: &ByParent<'_>) -> Option<String> {
    if route.spec.parent_refs.is_empty() {
        return Some("it has no parentRefs: no Gateway accepts it, it serves nothing".into());
    }
    let attached = route.spec.parent_refs.iter().any(|p| {
        parents
            .named_by(p, namespace)
            .any(|l| attaches(p, namespace, "HTTPRoute", l))
    });
    (!attached).then(|| {
        let refs: Vec<String> = route
            .spec
            .parent_refs
            .iter()
            .map(|p| {
                let mut s = format!(
                    "{}/{}",
                    p.namespace.as_deref().unwrap_or(namespace),
                    p.name
                );
                if let Some(section) = &p.section_name {
                    s.push_str(&format!(" sectionName {section}"));
                }
                s
            })
            .collect();
        format!(
            "its parentRefs ({}) name no listener that admits it: no Gateway accepts it, it serves nothing",
            refs.join(", ")
        )
    })
}

/// ReferenceGrants: `(target namespace, from namespace, from kind, target kind,
/// target name or any)`.
#[derive(Debug, Clone, Default)]
pub struct Grants(BTreeSet<(String, String, String, String, Option<String>)>);

impl Grants {
    pub fn collect(objects: &[GatewayObject]) -> Self {
        let mut out = BTreeSet::new();
        for o in objects {
            let GatewayObject::ReferenceGrant(g) = o else {
                continue;
            };
            out.extend(grant_entries(g));
        }
        Grants(out)
    }

    /// Whether a route of `kind` in `route_ns` may reference `b`: same
    /// namespace, or a ReferenceGrant in the target's namespace allows it.
    pub fn permits(&self, kind: &str, route_ns: &str, b: &HttpBackendRef) -> bool {
        let target_ns = b.namespace.as_deref().unwrap_or(route_ns);
        if target_ns == route_ns {
            return true;
        }
        let target_kind = b.kind.as_deref().unwrap_or("Service");
        self.0
            .iter()
            .any(|(ns, from_ns, from_kind, to_kind, name)| {
                ns == target_ns
                    && from_ns == route_ns
                    && from_kind == kind
                    && to_kind == target_kind
                    && name.as_deref().is_none_or(|n| n == b.name)
            })
    }
}

fn grant_entries(g: &ReferenceGrant) -> Vec<(String, String, String, String, Option<String>)> {
    let ns = g
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let mut out = Vec::new();
    for from in &g.spec.from {
        // Envoy Gateway's policies (SecurityPolicy …) reference Services and
        // Secrets through grants too.
        if from.group != crate::gwapi::GROUP && from.group != super::envoy_gateway::GROUP {
            continue;
        }
        for to in &g.spec.to {
            if !to.group.is_empty() {
                continue;
            }
            out.push((
                ns.clone(),
                from.namespace.clone(),
                from.kind.clone(),
                to.kind.clone(),
                to.name.clone(),
            ));
        }
    }
    out
}

fn too_many_rules(r: &HttpRoute) -> Option<String> {
    (r.spec.rules.len() > 16).then(|| {
        format!(
            "spec.rules has {} items, more than the 16 the CRD allows",
            r.spec.rules.len()
        )
    })
}

/// CEL: an Exact or PathPrefix value starts with `/` and contains no `//`,
/// `/./`, `/../`, `%2f`, `%2F` or `#`, and does not end in `/.` or `/..`.
fn path_not_valid(r: &HttpRoute) -> Option<String> {
    r.spec
        .rules
        .iter()
        .flat_map(|rule| &rule.matches)
        .find_map(|m| {
            let p = m.path.as_ref()?;
            let ty = p.match_type.as_deref().unwrap_or("PathPrefix");
            let v = p.value.as_deref().unwrap_or("/");
            if ty == "RegularExpression" {
                return None;
            }
            let bad = !v.starts_with('/')
                || ["//", "/./", "/../", "%2f", "%2F", "#"]
                    .iter()
                    .any(|s| v.contains(s))
                || v.ends_with("/..")
                || v.ends_with("/.");
            bad.then(|| format!("{ty} path `{v}` is not an absolute path in normal form"))
        })
}

fn has_redirect(rule: &HttpRouteRule) -> bool {
    rule.filters.iter().any(|f| f.request_redirect.is_some())
}

/// CEL: RequestRedirect and URLRewrite cannot be used together, and
/// RequestRedirect not with backendRefs.
fn redirect_with_rewrite_or_backends(r: &HttpRoute) -> Option<String> {
    r.spec.rules.iter().find_map(|rule| {
        if !has_redirect(rule) {
            return None;
        }
        if rule.filters.iter().any(|f| f.url_rewrite.is_some()) {
            return Some("a rule has both RequestRedirect and URLRewrite filters".into());
        }
        (!rule.backend_refs.is_empty())
            .then(|| "a rule has a RequestRedirect filter and backendRefs".into())
    })
}

/// CEL: `ReplacePrefixMatch` needs exactly one match, of type PathPrefix.
fn replace_prefix_without_one_path_prefix(r: &HttpRoute) -> Option<String> {
    r.spec.rules.iter().find_map(|rule| {
        let replaces_prefix = rule.filters.iter().any(|f| {
            let redirect = f.request_redirect.as_ref().and_then(|x| x.path.as_ref());
            let rewrite = f.url_rewrite.as_ref().and_then(|x| x.path.as_ref());
            redirect
                .into_iter()
                .chain(rewrite)
                .any(|p| p.modifier_type == "ReplacePrefixMatch")
        });
        let one_prefix = match rule.matches.as_slice() {
            [m] => m
                .path
                .as_ref()
                .is_none_or(|p| p.match_type.as_deref().unwrap_or("PathPrefix") == "PathPrefix"),
            _ => false,
        };
        (replaces_prefix && !one_prefix)
            .then(|| "a rule uses ReplacePrefixMatch without exactly one PathPrefix match".into())
    })
}

/// CEL: RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect and
/// URLRewrite at most once per rule.
fn repeated_filter(r: &HttpRoute) -> Option<String> {
    r.spec.rules.iter().find_map(|rule| {
        let mut seen = BTreeSet::new();
        rule.filters
            .iter()
            .map(|f| f.filter_type.as_str())
            .filter(|t| {
                matches!(
                    *t,
                    "RequestHeaderModifier"
                        | "ResponseHeaderModifier"
                        | "RequestRedirect"
                        | "URLRewrite"
                )
            })
            .find(|t| !seen.insert(*t))
            .map(|t| format!("a rule has more than one {t} filter"))
    })
}

/// Enum: `statusCode` is 301, 302, 303, 307 or 308.
fn redirect_status_not_allowed(r: &HttpRoute) -> Option<String> {
    r.spec
        .rules
        .iter()
        .flat_map(|rule| &rule.filters)
        .filter_map(|f| f.request_redirect.as_ref()?.status_code)
        .find(|c| ![301, 302, 303, 307, 308].contains(c))
        .map(|c| format!("RequestRedirect statusCode {c} is not one of 301, 302, 303, 307, 308"))
}

/// CEL: rule names are unique within the route.
fn duplicate_rule_names(r: &HttpRoute) -> Option<String> {
    let mut seen = BTreeSet::new();
    r.spec
        .rules
        .iter()
        .filter_map(|rule| rule.name.as_deref())
        .find(|n| !seen.insert(*n))
        .map(|n| format!("rule name `{n}` is used twice"))
}

/// CEL: a backendRef to a Service must have a port.
fn service_backend_without_port(r: &HttpRoute) -> Option<String> {
    r.spec
        .rules
        .iter()
        .flat_map(|rule| &rule.backend_refs)
        .find(|b| {
            b.group.as_deref().is_none_or(str::is_empty)
                && b.kind.as_deref().is_none_or(|k| k == "Service")
                && b.port.is_none()
        })
        .map(|b| format!("backendRef to Service {} has no port", b.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gwapi::{HttpPathMatch, HttpRouteFilter, HttpRouteMatch, RequestRedirect};

    fn route(rules: Vec<HttpRouteRule>) -> HttpRoute {
        HttpRoute {
            api_version: "gateway.networking.k8s.io/v1".into(),
            kind: "HTTPRoute".into(),
            metadata: Default::default(),
            spec: crate::gwapi::HttpRouteSpec {
                parent_refs: vec![],
                hostnames: vec![],
                rules,
            },
        }
    }

    fn with_path(ty: &str, v: &str) -> HttpRouteRule {
        HttpRouteRule {
            matches: vec![HttpRouteMatch {
                path: Some(HttpPathMatch {
                    match_type: Some(ty.into()),
                    value: Some(v.into()),
                }),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn the_api_server_rejects_invalid_shapes() {
        assert_eq!(rejected(&route(vec![with_path("PathPrefix", "/ok")])), None);
        assert!(rejected(&route(vec![with_path("Exact", "/a//b")])).is_some());
        assert!(rejected(&route(vec![with_path("PathPrefix", "api")])).is_some());
        assert_eq!(
            rejected(&route(vec![with_path("RegularExpression", "a//b")])),
            None
        );
        assert!(rejected(&route(vec![HttpRouteRule::default(); 17])).is_some());
        let redirect = |code: u16| HttpRouteFilter {
            filter_type: "RequestRedirect".into(),
            request_redirect: Some(Box::new(RequestRedirect {
                status_code: Some(code),
                ..Default::default()
            })),
            ..Default::default()
        };
        let mut rule = HttpRouteRule {
            filters: vec![redirect(301)],
            ..Default::default()
        };
        assert_eq!(rejected(&route(vec![rule.clone()])), None);
        rule.filters.push(redirect(301));
        assert!(rejected(&route(vec![rule])).is_some());
        let rule = HttpRouteRule {
            filters: vec![redirect(300)],
            ..Default::default()
        };
        assert!(rejected(&route(vec![rule])).is_some());
        let rule = HttpRouteRule {
            backend_refs: vec![HttpBackendRef {
                name: "svc".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(rejected(&route(vec![rule])).is_some());
        let named = HttpRouteRule {
            name: Some("a".into()),
            ..Default::default()
        };
        assert!(rejected(&route(vec![named.clone(), named])).is_some());
    }
}
