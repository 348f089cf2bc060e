//! An executable model of Gateway API HTTPRoute request handling, run on the
//! emitted (or user-edited) objects.
//!
//! What the model follows (Gateway API v1.5 spec text):
//! * **Listener**: port 80 for `http`, 443 for `https` probes (protocol HTTP /
//!   HTTPS with TLS termination); among a Gateway's listeners that accept the
//!   host, the most specific hostname wins (exact > longer wildcard > none).
//!   Wildcards match one or more labels.
//! * **Attachment**: `parentRefs` (Gateway or ListenerSet, `sectionName`,
//!   `port`), `allowedRoutes` (`Same`/`All` namespaces; `Selector` is taken as
//!   allowing the route, since namespace labels are not part of the input), and
//!   route hostnames intersecting the request host. Among routes whose hostnames
//!   match, only those with the most specific matching hostname are considered.
//! * **Precedence** across all rules of those routes: Exact path > longest
//!   PathPrefix > method > most header matches > most query matches; then the
//!   oldest route — manifests carry no `creationTimestamp`, so the model goes
//!   straight to the next tie-breaker, `{namespace}/{name}` alphabetical — then
//!   rule order.
//! * **RegularExpression** path matches (full match, `regex` crate syntax, close
//!   to RE2): the spec leaves their precedence to the implementation, so when the
//!   rules that could win (the best non-regex match and every matching regex)
//!   disagree, the outcome is [`Outcome::ImplementationDefined`].
//! * **Filters**: RequestRedirect, URLRewrite, RequestHeaderModifier are applied;
//!   RequestMirror and ResponseHeaderModifier do not change the outcome; CORS
//!   (preflights and requests with `Origin`), ExternalAuth and ExtensionRef make
//!   the outcome not modelled.
//! * **Backends**: one backend with weight > 0 → that backend; all weights 0 or no
//!   backendRefs → 500; a traffic split → not modelled. No matching rule → 404.
//! * GRPCRoute and TLSRoute (and TLS passthrough listeners) are not modelled.

mod filters;
pub mod hostname;
pub mod path;
mod rules;

use crate::gwapi::{self, GatewayObject, Listener, ParentReference};
use crate::verify::request::{Outcome, Probe, Scheme};
use rules::{CompiledRoute, Selection};
use std::collections::BTreeMap;

/// What the Gateway API model says about one probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GwHandled {
    pub outcome: Outcome,
    /// The deciding rule: (route namespace, route name, rule name or `rules[i]`).
    pub route: Option<(String, String, String)>,
}

impl GwHandled {
    fn outcome(outcome: Outcome) -> Self {
        GwHandled {
            outcome,
            route: None,
        }
    }
    fn not_modelled(reason: impl Into<String>) -> Self {
        Self::outcome(Outcome::NotModelled {
            reason: reason.into(),
        })
    }
}

/// Who owns a listener: a Gateway or a ListenerSet attached to one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    Gateway,
    ListenerSet { namespace: String, name: String },
}

#[derive(Debug, Clone)]
struct ModelListener {
    /// The Gateway the listener is served by.
    gateway: (String, String),
    owner: Owner,
    /// Namespace of the owning object (for `allowedRoutes: Same`).
    owner_namespace: String,
    listener: Listener,
}

/// A route kind the model does not evaluate, kept to say so when it could apply.
#[derive(Debug, Clone)]
struct OtherRoute {
    kind: &'static str,
    namespace: String,
    name: String,
    hostnames: Vec<String>,
    parent_refs: Vec<ParentReference>,
}

/// The Gateway API side of `ing2gw verify`.
#[derive(Debug, Clone, Default)]
pub struct GatewayModel {
    listeners: Vec<ModelListener>,
    routes: Vec<CompiledRoute>,
    others: Vec<OtherRoute>,
}

impl GatewayModel {
    pub fn build(objects: &[GatewayObject]) -> GatewayModel {
        let mut model = GatewayModel::default();
        for o in objects {
            match o {
                GatewayObject::Gateway(g) => {
                    let ns = g
                        .metadata
                        .namespace
                        .clone()
                        .unwrap_or_else(|| "default".into());
                    for l in &g.spec.listeners {
                        model.listeners.push(ModelListener {
                            gateway: (ns.clone(), g.metadata.name.clone()),
                            owner: Owner::Gateway,
                            owner_namespace: ns.clone(),
                            listener: l.clone(),
                        });
                    }
                }
                GatewayObject::ListenerSet(s) => {
                    let ns = s
                        .metadata
                        .namespace
                        .clone()
                        .unwrap_or_else(|| "default".into());
                    let gw_ns = s
                        .spec
                        .parent_ref
                        .namespace
                        .clone()
                        .unwrap_or_else(|| ns.clone());
                    for l in &s.spec.listeners {
                        model.listeners.push(ModelListener {
                            gateway: (gw_ns.clone(), s.spec.parent_ref.name.clone()),
                            owner: Owner::ListenerSet {
                                namespace: ns.clone(),
                                name: s.metadata.name.clone(),
                            },
                            owner_namespace: ns.clone(),
                            listener: l.clone(),
                        });
                    }
                }
                GatewayObject::HttpRoute(r) => model.routes.push(CompiledRoute::new(r)),
                GatewayObject::GrpcRoute(r) => model.others.push(OtherRoute {
                    kind: "GRPCRoute",
                    namespace: ns_of(&r.metadata),
                    name: r.metadata.name.clone(),
                    hostnames: r.spec.hostnames.clone(),
                    parent_refs: r.spec.parent_refs.clone(),
                }),
                GatewayObject::TlsRoute(r) => model.others.push(OtherRoute {
                    kind: "TLSRoute",
                    namespace: ns_of(&r.metadata),
                    name: r.metadata.name.clone(),
                    hostnames: r.spec.hostnames.clone(),
                    parent_refs: r.spec.parent_refs.clone(),
                }),
                _ => {}
            }
        }
        // Tie-breaker after the match criteria: oldest route (unknown: no
        // timestamps in manifests), then `{namespace}/{name}`.
        model
            .routes
            .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        model
    }

    /// Hostnames named by routes and listeners (for probe generation and reports).
    pub fn hostnames(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .routes
            .iter()
            .flat_map(|r| r.hostnames.iter().cloned())
            .chain(
                self.listeners
                    .iter()
                    .filter_map(|l| l.listener.hostname.clone()),
            )
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn handle(&self, probe: &Probe) -> GwHandled {
        let (raw_path, _) = path::split_target(&probe.target);
        if path::normalise(raw_path).is_none() {
            return GwHandled::outcome(Outcome::ImplementationDefined {
                reason: format!(
                    "path `{raw_path}` cannot be normalised (`..` above the root); Gateway API does not specify the response"
                ),
            });
        }
        let host = hostname::normalise_host(&probe.host);
        let (port, protocol) = match probe.scheme {
            Scheme::Http => (80, "HTTP"),
            Scheme::Https => (443, "HTTPS"),
        };
        // Per Gateway: the most specific listener on the port that accepts the host.
        let mut per_gateway: BTreeMap<&(String, String), Vec<&ModelListener>> = BTreeMap::new();
        let mut any_on_port = false;
        for l in &self.listeners {
            if l.listener.port != port {
                continue;
            }
            any_on_port = true;
            if !l
                .listener
                .hostname
                .as_deref()
                .is_none_or(|h| hostname::matches(h, &host))
            {
                continue;
            }
            per_gateway.entry(&l.gateway).or_default().push(l);
        }
        let mut served: Vec<(&ModelListener, Vec<&CompiledRoute>)> = Vec::new();
        let mut listener_found = false;
        for (_, mut ls) in per_gateway {
            let best = ls
                .iter()
                .map(|l| hostname::specificity(l.listener.hostname.as_deref()))
                .max()
                .unwrap_or_default();
            ls.retain(|l| hostname::specificity(l.listener.hostname.as_deref()) == best);
            // Conflicting listeners (same port and hostname): the Gateway's own first.
            ls.sort_by_key(|l| l.owner != Owner::Gateway);
            let l = ls[0];
            let proto = l.listener.protocol.to_ascii_uppercase();
            let passthrough = proto == "TLS"
                || l.listener
                    .tls
                    .as_ref()
                    .and_then(|t| t.mode.as_deref())
                    .is_some_and(|m| m == "Passthrough");
            if passthrough {
                return GwHandled::not_modelled(format!(
                    "listener {} on port {port} is TLS passthrough (TLSRoute)",
                    l.listener.name
                ));
            }
            if proto != protocol {
                continue;
            }
            listener_found = true;
            if let Some(other) = self.others.iter().find(|o| {
                o.parent_refs
                    .iter()
                    .any(|p| attaches(p, &o.namespace, o.kind, l))
                    && (o.hostnames.is_empty()
                        || o.hostnames.iter().any(|h| hostname::matches(h, &host)))
            }) {
                return GwHandled::not_modelled(format!(
                    "{} {}/{} is attached to listener {} for this host",
                    other.kind, other.namespace, other.name, l.listener.name
                ));
            }
            let routes: Vec<&CompiledRoute> = self
                .routes
                .iter()
                .filter(|r| {
                    r.parent_refs
                        .iter()
                        .any(|p| attaches(p, &r.namespace, "HTTPRoute", l))
                })
                .filter(|r| {
                    r.hostnames.is_empty()
                        || r.hostnames.iter().any(|h| hostname::matches(h, &host))
                })
                .collect();
            if !routes.is_empty() {
                served.push((l, routes));
            }
        }
        if served.len() > 1 {
            let names: Vec<String> = served
                .iter()
                .map(|(l, _)| format!("{}/{}", l.gateway.0, l.gateway.1))
                .collect();
            return GwHandled::not_modelled(format!(
                "host {host} is served by several Gateways ({}); which one receives the request depends on DNS",
                names.join(", ")
            ));
        }
        let Some((listener, routes)) = served.pop() else {
            return match probe.scheme {
                Scheme::Http if any_on_port || listener_found => {
                    GwHandled::outcome(Outcome::Status { status: 404 })
                }
                Scheme::Https if listener_found => {
                    GwHandled::outcome(Outcome::Status { status: 404 })
                }
                Scheme::Http => {
                    GwHandled::not_modelled("no listener on port 80: the connection is refused")
                }
                Scheme::Https => GwHandled::not_modelled(format!(
                    "no HTTPS listener on port 443 accepts host {host}: the TLS handshake fails"
                )),
            };
        };
        // Only the routes with the most specific matching hostname take part.
        let listener_spec = hostname::specificity(listener.listener.hostname.as_deref());
        let spec_of = |r: &CompiledRoute| {
            r.hostnames
                .iter()
                .filter(|h| hostname::matches(h, &host))
                .map(|h| hostname::specificity(Some(h)))
                .max()
                .unwrap_or(listener_spec)
        };
        let best = routes.iter().map(|r| spec_of(r)).max().unwrap_or_default();
        let routes: Vec<&CompiledRoute> =
            routes.into_iter().filter(|r| spec_of(r) == best).collect();
        self.route_request(probe, &host, listener, &routes)
    }

    fn route_request(
        &self,
        probe: &Probe,
        host: &str,
        listener: &ModelListener,
        routes: &[&CompiledRoute],
    ) -> GwHandled {
        let (raw_path, query) = path::split_target(&probe.target);
        let raw = rules::select(routes, probe, raw_path, query);
        let normal = path::normalise(raw_path);
        let decided = match normal {
            Some(n) if n != raw_path => {
                let normalised = rules::select(routes, probe, &n, query);
                if normalised.decision() != raw.decision() {
                    return GwHandled::outcome(Outcome::ImplementationDefined {
                        reason: format!(
                            "path `{raw_path}` is not in normal form; Gateway API does not specify normalisation, and `{raw_path}` and `{n}` route differently"
                        ),
                    });
                }
                raw
            }
            _ => raw,
        };
        match decided {
            Selection::NoMatch => GwHandled::outcome(Outcome::Status { status: 404 }),
            Selection::Unknown(reason) => GwHandled::not_modelled(reason),
            Selection::Rule(m) => {
                let outcome =
                    filters::outcome(&m, probe, host, listener.listener.port, raw_path, query);
                GwHandled {
                    outcome,
                    route: Some(m.id()),
                }
            }
            Selection::Contenders(all) => {
                let outcomes: Vec<Outcome> = all
                    .iter()
                    .map(|m| {
                        filters::outcome(m, probe, host, listener.listener.port, raw_path, query)
                    })
                    .collect();
                if outcomes.iter().all(|o| *o == outcomes[0]) {
                    return GwHandled {
                        outcome: outcomes[0].clone(),
                        route: Some(all[0].id()),
                    };
                }
                let names: Vec<String> = all
                    .iter()
                    .map(|m| {
                        let (ns, name, rule) = m.id();
                        format!("{ns}/{name} {rule}")
                    })
                    .collect();
                GwHandled::outcome(Outcome::ImplementationDefined {
                    reason: format!(
                        "RegularExpression precedence is implementation-specific and these rules match with different outcomes: {}",
                        names.join(", ")
                    ),
                })
            }
        }
    }
}

fn ns_of(meta: &gwapi::ObjectMeta) -> String {
    meta.namespace.clone().unwrap_or_else(|| "default".into())
}

/// Whether a route in `route_ns` attaches to `l` through parent reference `p`.
fn attaches(p: &ParentReference, route_ns: &str, route_kind: &str, l: &ModelListener) -> bool {
    let group_ok = p.group.as_deref().is_none_or(|g| g == gwapi::GROUP);
    let ns = p.namespace.as_deref().unwrap_or(route_ns);
    let parent_ok = match (p.kind.as_deref().unwrap_or("Gateway"), &l.owner) {
        ("Gateway", Owner::Gateway) => {
            (ns, p.name.as_str()) == (l.gateway.0.as_str(), l.gateway.1.as_str())
        }
        ("ListenerSet" | "XListenerSet", Owner::ListenerSet { namespace, name }) => {
            ns == namespace && p.name == *name
        }
        _ => false,
    };
    let section_ok = p
        .section_name
        .as_deref()
        .is_none_or(|s| s == l.listener.name);
    let port_ok = p.port.is_none_or(|port| port == l.listener.port);
    let allowed = l.listener.allowed_routes.as_ref();
    let ns_ok = match allowed
        .and_then(|a| a.namespaces.as_ref())
        .map(|n| n.from.as_str())
        .unwrap_or("Same")
    {
        "All" | "Selector" => true,
        _ => route_ns == l.owner_namespace,
    };
    let kind_ok =
        allowed.is_none_or(|a| a.kinds.is_empty() || a.kinds.iter().any(|k| k.kind == route_kind));
    group_ok && parent_ok && section_ok && port_ok && ns_ok && kind_ok
}

#[cfg(test)]
mod tests;
