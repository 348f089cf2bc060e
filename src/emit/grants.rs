//! ReferenceGrants for the cross-namespace references of emitted routes.
//!
//! A ReferenceGrant lives in the namespace of the object referred to and can only
//! name the *kind and namespace* of the referrers (`from`), never one route. A grant
//! for an `auth-url` Service of namespace `auth` used by an Ingress of `tenant`
//! therefore lets **every** HTTPRoute of `tenant` send traffic to that Service — a
//! right no tenant has with ingress-nginx, where the controller, not the tenant,
//! calls the auth service. Writing such a grant into another team's namespace is a
//! decision for whoever owns that namespace, so it is only emitted with
//! `--allow-cross-namespace-grants`; every grant names each object it opens
//! (`to: [{group: "", kind: Service, name: X}]`), never a whole namespace.
//!
//! Without the flag the referring passes decide what the missing grant means
//! (external auth: the rule fails closed; canary: its share answers 500; mirror: no
//! mirror), and this module names every cross-namespace reference left in the
//! output as an error (each loses something ingress-nginx does), so none is
//! dropped silently and CI stops on it.
//!
//! The certificate grants of the Gateway (listener Secrets of `spec.tls`, which live
//! in the Ingress's own namespace, and the client-certificate CA) are built with the
//! Gateway in `standard.rs`; a CA in a third namespace is refused by the auth pass.

use crate::gwapi::{self, GatewayObject};
use crate::options::TranslateOptions;
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::{BTreeMap, BTreeSet};

pub const CROSS_NAMESPACE_GRANT: Code = Code("cross-namespace-grant");
pub const CROSS_NAMESPACE_REFERENCE: Code = Code("cross-namespace-reference");

/// The ReferenceGrant CRD takes at most 16 `to` entries (Gateway API 1.5/1.6
/// `maxItems`); the API server (and Envoy Gateway's loader) rejects a longer one
/// whole.
pub const MAX_GRANT_TO: usize = 16;

/// `to` split over as many grants as the limit needs, named `name`, `name-2`, …:
/// each still names every object it opens, so splitting opens nothing more.
pub fn split_grant_to(
    name: &str,
    to: Vec<gwapi::ReferenceGrantTo>,
) -> Vec<(String, Vec<gwapi::ReferenceGrantTo>)> {
    to.chunks(MAX_GRANT_TO)
        .enumerate()
        .map(|(i, chunk)| {
            let name = match i {
                0 => name.to_string(),
                _ => super::names::dns_subdomain(&format!("{name}-{}", i + 1), 253),
            };
            (name, chunk.to_vec())
        })
        .collect()
}

/// What a route uses a Service of another namespace for; part of the grant's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Purpose {
    ExternalAuth,
    Backends,
    Mirror,
}

/// The referring route kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RouteKind {
    Http,
    Grpc,
}

impl RouteKind {
    fn kind(self) -> &'static str {
        match self {
            RouteKind::Http => "HTTPRoute",
            RouteKind::Grpc => "GRPCRoute",
        }
    }
}

/// One grant: (Service namespace, referring kind, referring namespace, purpose).
pub type GrantKey = (String, RouteKind, String, Purpose);

/// The grant's name in the Service's namespace. The suffixes are chosen so that
/// none is a suffix of another: `{ns}-{suffix}` stays injective for any namespace.
fn grant_name(kind: RouteKind, from_ns: &str, purpose: Purpose) -> String {
    let suffix = match (purpose, kind) {
        (Purpose::ExternalAuth, _) => "external-auth",
        (Purpose::Backends, RouteKind::Http) => "backends",
        (Purpose::Backends, RouteKind::Grpc) => "backends-grpc",
        (Purpose::Mirror, RouteKind::Http) => "mirror",
        (Purpose::Mirror, RouteKind::Grpc) => "mirror-grpc",
    };
    super::names::dns_subdomain(&format!("{from_ns}-{suffix}"), 253)
}

fn describe(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::ExternalAuth => "as ExternalAuth service",
        Purpose::Backends => "as backend",
        Purpose::Mirror => "as mirror target",
    }
}

/// What a refused reference does to the requests (Gateway API: a reference not
/// permitted by a ReferenceGrant sets ResolvedRefs=False and is not configured).
/// Every case loses something ingress-nginx does, so each is an error: the same
/// rule for canaries, mirrors and auth (grant explicitly with the flag, or fix).
fn refused(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::ExternalAuth => "the rules that need the auth Service fail closed",
        Purpose::Backends => "the share of requests sent to them answers 500",
        Purpose::Mirror => "the mirror is not configured, so no request is mirrored",
    }
}

/// One reference of a route to a Service: (route kind, route, purpose, Service
/// namespace when written, Service name).
type Reference<'a> = (
    RouteKind,
    &'a gwapi::ObjectMeta,
    Purpose,
    Option<&'a String>,
    &'a str,
);

fn filter_references<'a>(
    kind: RouteKind,
    meta: &'a gwapi::ObjectMeta,
    filters: &'a [gwapi::HttpRouteFilter],
    out: &mut Vec<Reference<'a>>,
) {
    for f in filters {
        if let Some(m) = &f.request_mirror {
            let b = &m.backend_ref;
            out.push((kind, meta, Purpose::Mirror, b.namespace.as_ref(), &b.name));
        }
        if let Some(a) = &f.external_auth {
            let b = &a.backend_ref;
            out.push((
                kind,
                meta,
                Purpose::ExternalAuth,
                b.namespace.as_ref(),
                &b.name,
            ));
        }
    }
}

/// Every Service of another namespace that an emitted route refers to, with the
/// routes that do.
pub fn references(objects: &[GatewayObject]) -> References {
    let mut refs: Vec<Reference> = Vec::new();
    for o in objects {
        match o {
            GatewayObject::HttpRoute(r) => {
                for rule in &r.spec.rules {
                    filter_references(RouteKind::Http, &r.metadata, &rule.filters, &mut refs);
                    for b in &rule.backend_refs {
                        refs.push((
                            RouteKind::Http,
                            &r.metadata,
                            Purpose::Backends,
                            b.namespace.as_ref(),
                            &b.name,
                        ));
                    }
                }
            }
            GatewayObject::GrpcRoute(r) => {
                for rule in &r.spec.rules {
                    filter_references(RouteKind::Grpc, &r.metadata, &rule.filters, &mut refs);
                    for b in &rule.backend_refs {
                        refs.push((
                            RouteKind::Grpc,
                            &r.metadata,
                            Purpose::Backends,
                            b.namespace.as_ref(),
                            &b.name,
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let mut out: BTreeMap<GrantKey, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (kind, route, purpose, namespace, service) in refs {
        let from_ns = route.namespace.clone().unwrap_or_default();
        let Some(to_ns) = namespace.filter(|ns| **ns != from_ns) else {
            continue;
        };
        out.entry((to_ns.clone(), kind, from_ns, purpose))
            .or_default()
            .entry(service.to_string())
            .or_default()
            .insert(route.name.clone());
    }
    out
}

/// The ReferenceGrants the emitted routes need (only with
/// `--allow-cross-namespace-grants`), and a notification for each cross-namespace
/// reference: what was granted, or that the reference stays unresolved.
pub fn route_grants(
    objects: &[GatewayObject],
    options: &TranslateOptions,
    meta: impl Fn(String, &str) -> gwapi::ObjectMeta,
    report: &mut Report,
) -> Vec<GatewayObject> {
    grants_for(references(objects), options, meta, report)
}

/// Cross-namespace references of routes, by grant: Service → names of the routes
/// that use it.
pub type References = BTreeMap<GrantKey, BTreeMap<String, BTreeSet<String>>>;

/// Adds the references of `more` (routes emitted apart, e.g. another shard) to `into`.
pub fn merge_references(into: &mut References, more: References) {
    for (key, services) in more {
        let entry = into.entry(key).or_default();
        for (service, routes) in services {
            entry.entry(service).or_default().extend(routes);
        }
    }
}

/// [`route_grants`] over references already collected.
pub fn grants_for(
    references: References,
    options: &TranslateOptions,
    meta: impl Fn(String, &str) -> gwapi::ObjectMeta,
    report: &mut Report,
) -> Vec<GatewayObject> {
    let mut out = Vec::new();
    for ((to_ns, kind, from_ns, purpose), services) in references {
        let list = services
            .iter()
            .map(|(svc, routes)| {
                format!(
                    "{to_ns}/{svc} (used by {})",
                    routes.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let route_kind = kind.kind();
        let first_route = services
            .values()
            .flat_map(|r| r.iter())
            .next()
            .cloned()
            .unwrap_or_default();
        let object = ObjectRef::new(route_kind, Some(&from_ns), &first_route);
        if !options.allow_cross_namespace_grants {
            report.push(
                Notification::error(
                    CROSS_NAMESPACE_REFERENCE,
                    format!("{route_kind}s of namespace {from_ns} refer to Services of namespace {to_ns} {}: {list}; no ReferenceGrant is emitted into {to_ns} (it would let every {route_kind} of {from_ns} use them), so the implementation refuses these references: {}", describe(purpose), refused(purpose)),
                )
                .object(&object)
                .suggest(format!("if namespace {from_ns} may use them, pass --allow-cross-namespace-grants (or have the owner of {to_ns} create the ReferenceGrant); otherwise move the Service into {from_ns}")),
            );
            continue;
        }
        let name = grant_name(kind, &from_ns, purpose);
        report.push(
            Notification::warning(
                CROSS_NAMESPACE_GRANT,
                format!("--allow-cross-namespace-grants: ReferenceGrant {to_ns}/{name} lets every {route_kind} of namespace {from_ns} use {}: {list}", if services.len() == 1 { "this Service" } else { "these Services" }),
            )
            .object(&object)
            .suggest(format!("review it with the owner of namespace {to_ns}: any route of {from_ns}, not only the generated one, can send traffic to the named Services")),
        );
        let to = services
            .into_keys()
            .map(|name| gwapi::ReferenceGrantTo {
                group: String::new(),
                kind: "Service".into(),
                name: Some(name),
            })
            .collect();
        for (name, to) in split_grant_to(&name, to) {
            out.push(GatewayObject::ReferenceGrant(gwapi::ReferenceGrant {
                api_version: gwapi::API_VERSION_V1.into(),
                kind: "ReferenceGrant".into(),
                metadata: meta(name, &to_ns),
                spec: gwapi::ReferenceGrantSpec {
                    from: vec![gwapi::ReferenceGrantFrom {
                        group: gwapi::GROUP.into(),
                        kind: route_kind.into(),
                        namespace: from_ns.clone(),
                    }],
                    to,
                },
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_grants_split_at_the_crd_limit_naming_every_object() {
        let to: Vec<gwapi::ReferenceGrantTo> = (0..33)
            .map(|i| gwapi::ReferenceGrantTo {
                group: String::new(),
                kind: "Secret".into(),
                name: Some(format!("s{i:02}")),
            })
            .collect();
        let split = split_grant_to("g-certificates", to.clone());
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["g-certificates", "g-certificates-2", "g-certificates-3"]
        );
        assert!(split.iter().all(|(_, t)| t.len() <= MAX_GRANT_TO));
        let back: Vec<_> = split.into_iter().flat_map(|(_, t)| t).collect();
        assert_eq!(back, to);
        assert_eq!(split_grant_to("g", to[..16].to_vec()).len(), 1);
    }

    #[test]
    fn grant_names_stay_apart_for_any_namespace() {
        let kinds = [RouteKind::Http, RouteKind::Grpc];
        let purposes = [Purpose::ExternalAuth, Purpose::Backends, Purpose::Mirror];
        let namespaces = ["a", "a-backends", "a-mirror", "a-external", "a-grpc"];
        let mut seen = BTreeMap::new();
        for ns in namespaces {
            for k in kinds {
                for p in purposes {
                    if p == Purpose::ExternalAuth && k == RouteKind::Grpc {
                        continue; // GRPCRoute has no ExternalAuth filter
                    }
                    let name = grant_name(k, ns, p);
                    if let Some(prev) = seen.insert(name.clone(), (ns, k, p)) {
                        panic!("{name}: {prev:?} and {:?}", (ns, k, p));
                    }
                }
            }
        }
    }
}
