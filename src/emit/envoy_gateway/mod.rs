//! Envoy Gateway (`gateway.envoyproxy.io/v1alpha1`): the standard output plus
//! the policies Envoy Gateway offers for what standard Gateway API cannot say.
//!
//! Starts from the standard emitter's objects, so a routing fix reaches every
//! target, then adds per resource family (one file each): SecurityPolicy,
//! BackendTrafficPolicy, ClientTrafficPolicy and HTTPRouteFilter. Policies
//! attach to the narrowest object: a route rule by `sectionName` (the standard
//! emitter hands back where each IR rule went), else the Gateway
//! (see [`targeting`]).
//!
//! Access control: [`enforces`] answers from the same functions the families
//! emit from, so a requirement is never declared enforced without its policy;
//! everything else keeps failing closed in `emit/access.rs`.

mod backend_traffic_policy;
mod client_traffic_policy;
mod coverage;
mod route_filter;
mod security_policy;
mod targeting;

pub use backend_traffic_policy::{EG_APPROXIMATED, EG_BACKEND_TRAFFIC_POLICY, EG_NOT_EXPRESSIBLE};
pub use client_traffic_policy::EG_CLIENT_TRAFFIC_POLICY;
pub use route_filter::EG_REGEX_REWRITE;
pub use security_policy::{EG_BASIC_AUTH_SECRET, EG_EXT_AUTH_APPROXIMATED, EG_SECURITY_POLICY};
pub use targeting::SOURCE_ANNOTATIONS;

use super::Emitter;
use super::standard::StandardEmitter;
use crate::emit::access::Located;
use crate::emit::standard::EmittedRule;
use crate::gwapi::GatewayObject;
use crate::ir::{AccessRequirement, ExternalAuth, GatewayId, Ir};
use crate::report::{Code, Notification};

pub const EG_RULE_CLOSED: Code = Code("envoy-gateway-rule-closed");
/// A rule of a route emitted without parents: no policy is emitted for it.
pub const EG_RULE_DETACHED: Code = Code("envoy-gateway-rule-detached");

/// Makes an emitted route rule fail-closed (no filters, no backends); the caller says why.
fn close_rule(out: &mut [GatewayObject], e: &EmittedRule) {
    let ours = |m: &crate::gwapi::ObjectMeta| {
        m.name == e.route && m.namespace.as_deref() == Some(e.namespace.as_str())
    };
    let section = Some(e.section.as_str());
    for o in out.iter_mut() {
        match o {
            GatewayObject::HttpRoute(r) if ours(&r.metadata) => {
                for rule in r
                    .spec
                    .rules
                    .iter_mut()
                    .filter(|r| r.name.as_deref() == section)
                {
                    rule.filters.clear();
                    rule.backend_refs.clear();
                }
            }
            GatewayObject::GrpcRoute(r) if ours(&r.metadata) => {
                for rule in r
                    .spec
                    .rules
                    .iter_mut()
                    .filter(|r| r.name.as_deref() == section)
                {
                    rule.filters.clear();
                    rule.backend_refs.clear();
                }
            }
            _ => {}
        }
    }
}
use crate::options::TranslateOptions;
use crate::report::Report;

pub struct EnvoyGatewayEmitter;

impl Emitter for EnvoyGatewayEmitter {
    fn name(&self) -> &'static str {
        "envoy-gateway"
    }
    fn emit(&self, ir: &Ir, options: &TranslateOptions, report: &mut Report) -> Vec<GatewayObject> {
        let mut rules: Vec<EmittedRule> = Vec::new();
        let mut out = StandardEmitter.emit_mapped(ir, options, report, Some(&mut rules));
        let mut extra = Vec::new();
        let mut unattached: Vec<(&GatewayId, String)> = Vec::new();
        for gw in ir.gateways.values() {
            let missing = client_traffic_policy::emit(gw, ir, &out, report, &mut extra);
            unattached.extend(missing.into_iter().map(|h| (&gw.id, h)));
            backend_traffic_policy::emit_gateway(gw, report, &mut extra);
        }
        // Client certificates declared enforced whose listener was not found:
        // close their rules rather than serve them unvalidated.
        rules.retain(|e| {
            let lost = unattached
                .iter()
                .any(|(g, h)| **g == e.gateway && e.hostname.as_deref() == Some(h.as_str()));
            if lost {
                close_rule(&mut out, e);
                report.push(
                    Notification::error(
                        EG_RULE_CLOSED,
                        format!(
                            "{} {}/{} rule `{}`: its client-certificate validation needs a listener ClientTrafficPolicy, but no HTTPS listener for {} was found; the rule is emitted fail-closed (HTTP 500)",
                            e.kind, e.namespace, e.route, e.section, e.hostname.as_deref().unwrap_or("the host")
                        ),
                    )
                    .suggest("report this as an ing2gw bug"),
                );
            }
            !lost
        });
        // A route emitted without parents (its host has no usable listener; the
        // standard emitter reported why) serves no request: a policy on it would
        // attach to nothing.
        rules.retain(|e| {
            let gone = detached(&out, e);
            if gone && e.rule.filters.iter().any(|f| matches!(f.filter, crate::ir::Filter::AccessControl(_) | crate::ir::Filter::ExternalAuth(_))) {
                report.push(
                    Notification::info(
                        EG_RULE_DETACHED,
                        format!(
                            "{} {}/{} rule `{}` is emitted without a parent (its host has no usable listener, reported above), so it serves no request and no Envoy Gateway policy is emitted for its access control",
                            e.kind, e.namespace, e.route, e.section
                        ),
                    )
                    .located(&e.rule.from),
                );
            }
            !gone
        });
        let shares = backend_traffic_policy::rate_limit_shares(&rules);
        for e in &rules {
            if let Err(why) = security_policy::emit(e, report, &mut extra) {
                // Declared enforced, so it must not stay open without its policy.
                close_rule(&mut out, e);
                report.push(
                    Notification::error(
                        EG_RULE_CLOSED,
                        format!(
                            "{} {}/{} rule `{}`: {why}; one Envoy Gateway SecurityPolicy holds one of each, so the rule is emitted fail-closed (HTTP 500)",
                            e.kind, e.namespace, e.route, e.section
                        ),
                    )
                    .suggest("keep one authentication per path in the Ingresses of this location"),
                );
                continue;
            }
            let gateway = ir.gateways.get(&e.gateway).map(|g| &g.policy);
            backend_traffic_policy::emit(e, gateway, &shares, report, &mut extra);
            route_filter::emit(e, &mut out, report, &mut extra);
        }
        out.extend(extra);
        supersede_standard_warnings(report);
        super::sort_objects(&mut out);
        // Backends for one external auth URL are shared by the policies of a
        // namespace: the name is derived from the whole URL target, so equal
        // identities are equal objects.
        out.dedup_by(|a, b| {
            matches!(a, GatewayObject::Other(_)) && a.identity() == b.identity() && a == b
        });
        out
    }
    fn coverage(&self) -> Vec<super::coverage::CoverageEntry> {
        coverage::rows()
    }
}

/// Whether the route `e` landed in was emitted with `parentRefs: []`.
fn detached(out: &[GatewayObject], e: &EmittedRule) -> bool {
    let same = |meta: &crate::gwapi::ObjectMeta| {
        meta.name == e.route && meta.namespace.as_deref() == Some(e.namespace.as_str())
    };
    out.iter().any(|o| match o {
        GatewayObject::HttpRoute(r) => {
            e.kind == "HTTPRoute" && same(&r.metadata) && r.spec.parent_refs.is_empty()
        }
        GatewayObject::GrpcRoute(r) => {
            e.kind == "GRPCRoute" && same(&r.metadata) && r.spec.parent_refs.is_empty()
        }
        _ => false,
    })
}

/// For this target, an emitted object replaces the passes' "Gateway API has no
/// field for it" warning about the same annotation of the same object (the
/// family's own notification says what was emitted and what differs), and an
/// exact regex rewrite replaces the standard rewrite's approximation warning.
fn supersede_standard_warnings(report: &mut Report) {
    use std::collections::BTreeSet;
    let emitted = |codes: &[Code]| -> BTreeSet<(crate::report::ObjectRef, String)> {
        report
            .iter()
            .filter(|n| codes.contains(&n.code))
            .filter_map(|n| Some((n.object.clone()?, n.field.clone()?)))
            .collect()
    };
    let facts = emitted(&[
        EG_SECURITY_POLICY,
        EG_BASIC_AUTH_SECRET,
        EG_EXT_AUTH_APPROXIMATED,
        EG_BACKEND_TRAFFIC_POLICY,
        EG_APPROXIMATED,
        EG_CLIENT_TRAFFIC_POLICY,
    ]);
    let rewrites = emitted(&[EG_REGEX_REWRITE]);
    // The auth pass says the other auth-* keys have nothing to apply to when no
    // ExternalAuth filter is emitted; here the SecurityPolicy carries auth-url.
    let ext_auth_objects: BTreeSet<crate::report::ObjectRef> = report
        .iter()
        .filter(|n| n.code == EG_EXT_AUTH_APPROXIMATED)
        .filter_map(|n| n.object.clone())
        .collect();
    let rewritten: Vec<Notification> = report
        .iter()
        .filter(|n| {
            n.code == crate::passes::auth::AUTH_APPROXIMATED
                && n.object.as_ref().is_some_and(|o| ext_auth_objects.contains(o))
                && n.message.contains("not emitted as an ExternalAuth filter")
        })
        .map(|n| {
            let key = n.field.as_deref().unwrap_or_default();
            let short = key.rsplit('/').next().unwrap_or(key);
            let mut n = n.clone();
            n.message = format!(
                "`{short}` has no Envoy Gateway equivalent beside the SecurityPolicy extAuth that carries auth-url: {}",
                auth_key_consequence(short)
            );
            n
        })
        .collect();
    report.retain(|n| {
        !(n.code == crate::passes::auth::AUTH_APPROXIMATED
            && n.object
                .as_ref()
                .is_some_and(|o| ext_auth_objects.contains(o))
            && n.message.contains("not emitted as an ExternalAuth filter"))
    });
    report.extend(rewritten);
    let key = |n: &Notification| Some((n.object.clone()?, n.field.clone()?));
    report.retain(|n| {
        let Some(k) = key(n) else { return true };
        let replaced = (n.code == crate::passes::misc::NO_GATEWAY_FIELD && facts.contains(&k))
            || (n.code == crate::passes::rewrite::REWRITE
                && n.severity != crate::report::Severity::Info
                && rewrites.contains(&k));
        !replaced
    });
}

/// What is lost when an auth-* annotation beside `auth-url` has no Envoy
/// Gateway field.
fn auth_key_consequence(key: &str) -> &'static str {
    match key {
        "auth-signin" | "auth-signin-redirect-param" => {
            "unauthenticated clients get the auth service's 401 instead of a redirect to the sign-in page (closed, never open)"
        }
        "auth-method" => "the auth call uses the client's method",
        "auth-cache-key" | "auth-cache-duration" => {
            "auth answers are not cached (more load on the auth service)"
        }
        "auth-proxy-set-headers" => {
            "the extra headers are not sent to the auth service (it may deny requests it accepted before: closed)"
        }
        "auth-request-redirect" => "X-Auth-Request-Redirect is not sent to the auth service",
        "auth-always-set-cookie" => "Set-Cookie of the auth response is not added to responses",
        _ => "connection handling of the auth call is Envoy's",
    }
}

/// The access requirements this emitter enforces with a policy of its own (see
/// [`super::target_enforces`]): exactly those its SecurityPolicy and
/// BackendTrafficPolicy families express.
pub fn enforces(req: &AccessRequirement, _options: &TranslateOptions) -> bool {
    security_policy::expresses(req) || backend_traffic_policy::expresses(req)
}

/// The requirements enforced only for some route namespaces: client
/// certificates whose CA Secret is in the route's (the Ingress's) namespace,
/// validated by a listener ClientTrafficPolicy (see [`client_traffic_policy`]).
pub fn enforces_in(req: &AccessRequirement, route_namespace: &str) -> bool {
    client_traffic_policy::expresses_in(req, route_namespace)
}

/// Whether an ExternalAuth filter on a rule of `route_namespace` is enforced by
/// a SecurityPolicy `extAuth` (Envoy Gateway v1.9 does not implement the
/// standard ExternalAuth filter, so it is never emitted for this target).
pub fn enforces_external_auth(a: &ExternalAuth, route_namespace: &str) -> bool {
    security_policy::expresses_external_auth(a, route_namespace)
}

#[cfg(test)]
mod tests;

/// An address list item as Envoy Gateway's CIDR fields take it: ingress-nginx
/// accepts a bare address (`192.168.0.1`) where the CRD pattern requires a
/// prefix length, so a bare address becomes `/32` (IPv4) or `/128` (IPv6) —
/// the same single client.
pub(crate) fn as_cidr(item: &str) -> String {
    if item.contains('/') {
        return item.to_string();
    }
    match item.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => format!("{item}/32"),
        Ok(std::net::IpAddr::V6(_)) => format!("{item}/128"),
        Err(_) => item.to_string(),
    }
}

#[cfg(test)]
mod cidr_tests {
    #[test]
    fn bare_addresses_get_a_full_prefix() {
        assert_eq!(super::as_cidr("192.168.0.1"), "192.168.0.1/32");
        assert_eq!(super::as_cidr("2001:db8::1"), "2001:db8::1/128");
        assert_eq!(super::as_cidr("10.0.0.0/8"), "10.0.0.0/8");
    }
}
