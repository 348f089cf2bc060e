//! Listener selection and route attachment.

use super::GatewayModel;
use super::GwHandled;
use super::hostname;
use super::route_kinds::{self, Attached};
use super::rules::CompiledRoute;
use crate::gwapi::{self, Listener, ParentReference};
use crate::verify::request::{Outcome, Probe, Scheme};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Who owns a listener: a Gateway or a ListenerSet attached to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Owner {
    Gateway,
    ListenerSet { namespace: String, name: String },
}

#[derive(Debug, Clone)]
pub(super) struct ModelListener {
    /// The Gateway the listener is served by.
    pub(super) gateway: (String, String),
    pub(super) owner: Owner,
    /// Namespace of the owning object (for `allowedRoutes: Same`).
    pub(super) owner_namespace: String,
    pub(super) listener: Listener,
    /// Position in the model's listeners (the served cache keeps it, not a copy).
    pub(super) position: usize,
}

/// A route kind the model does not evaluate, kept to say so when it could apply.
#[derive(Debug, Clone)]
pub(super) struct OtherRoute {
    pub(super) kind: &'static str,
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) hostnames: Vec<String>,
    pub(super) parent_refs: Vec<ParentReference>,
}

impl OtherRoute {
    pub(super) fn new(
        kind: &'static str,
        meta: &crate::gwapi::ObjectMeta,
        hostnames: &[String],
        parent_refs: &[ParentReference],
    ) -> Self {
        OtherRoute {
            kind,
            namespace: super::ns_of(meta),
            name: meta.name.clone(),
            hostnames: hostnames.to_vec(),
            parent_refs: parent_refs.to_vec(),
        }
    }
}

impl GatewayModel {
    /// The listener that takes the request and the HTTPRoutes attached to it
    /// whose hostnames match, or the answer when there is none.
    pub(super) fn serving(
        &self,
        probe: &Probe,
        host: &str,
    ) -> Result<(&ModelListener, Vec<&CompiledRoute>), Box<GwHandled>> {
        let (port, protocol) = match probe.scheme {
            Scheme::Http => (80, "HTTP"),
            Scheme::Https => (443, "HTTPS"),
        };
        // Per Gateway: the most specific listener on the port that accepts the host.
        let mut per_gateway: BTreeMap<&(String, String), Vec<&ModelListener>> = BTreeMap::new();
        let any_on_port = self.listener_ports.contains(&port);
        let candidates = self.listener_index.candidates(host);
        for l in candidates.iter().filter_map(|&i| self.listeners.get(i)) {
            if l.listener.port != port {
                continue;
            }
            if !l
                .listener
                .hostname
                .as_deref()
                .is_none_or(|h| hostname::matches(h, host))
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
                return Err(Box::new(GwHandled::not_modelled(format!(
                    "listener {} on port {port} is TLS passthrough (TLSRoute)",
                    l.listener.name
                ))));
            }
            if proto != protocol {
                continue;
            }
            listener_found = true;
            let rejected = self.kind_conflicts(l);
            // Nearly always empty: no key to build per route and probe then.
            let accepted = |grpc: bool, ns: &str, name: &str| {
                rejected.is_empty() || !rejected.contains(&(grpc, ns.to_string(), name.to_string()))
            };
            if let Some(other) = self.others.iter().find(|o| {
                o.parent_refs
                    .iter()
                    .any(|p| attaches(p, &o.namespace, o.kind, l))
                    && accepted(o.kind == GRPC_ROUTE, &o.namespace, &o.name)
                    && (o.hostnames.is_empty()
                        || o.hostnames.iter().any(|h| hostname::matches(h, host)))
            }) {
                return Err(Box::new(GwHandled::not_modelled(format!(
                    "{} {}/{} is attached to listener {} for this host",
                    other.kind, other.namespace, other.name, l.listener.name
                ))));
            }
            let routes: Vec<&CompiledRoute> = self
                .route_index
                .candidates(host)
                .into_iter()
                .filter_map(|i| self.routes.get(i))
                .filter(|r| {
                    r.parent_refs
                        .iter()
                        .any(|p| attaches(p, &r.namespace, "HTTPRoute", l))
                })
                .filter(|r| accepted(false, &r.namespace, &r.name))
                .filter(|r| {
                    r.hostnames.is_empty() || r.hostnames.iter().any(|h| hostname::matches(h, host))
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
            return Err(Box::new(GwHandled::not_modelled(format!(
                "host {host} is served by several Gateways ({}); which one receives the request depends on DNS",
                names.join(", ")
            ))));
        }
        let Some(found) = served.pop() else {
            return Err(Box::new(match probe.scheme {
                Scheme::Http if any_on_port || listener_found => {
                    GwHandled::outcome(Outcome::Status { status: 404 })
                }
                Scheme::Https if listener_found => {
                    GwHandled::outcome(Outcome::Status { status: 404 })
                }
                Scheme::Http => GwHandled::outcome(Outcome::NoResponse {
                    reason: "no listener on port 80: the connection is refused".into(),
                }),
                Scheme::Https => GwHandled::outcome(Outcome::NoResponse {
                    reason: format!(
                        "no HTTPS listener on port 443 accepts host {host}: the TLS handshake fails"
                    ),
                }),
            }));
        };
        Ok(found)
    }
}

const GRPC_ROUTE: &str = "GRPCRoute";

impl GatewayModel {
    /// HTTPRoutes and GRPCRoutes that `l` rejects because their hostnames
    /// intersect a route of the other kind attached to it.
    fn kind_conflicts(&self, l: &ModelListener) -> BTreeSet<(bool, String, String)> {
        let grpc: Vec<Attached<'_>> = self
            .others
            .iter()
            .filter(|o| o.kind == GRPC_ROUTE)
            .filter(|o| {
                o.parent_refs
                    .iter()
                    .any(|p| attaches(p, &o.namespace, o.kind, l))
            })
            .map(|o| Attached {
                grpc: true,
                namespace: &o.namespace,
                name: &o.name,
                hostnames: &o.hostnames,
            })
            .collect();
        if grpc.is_empty() {
            return BTreeSet::new();
        }
        let all: Vec<Attached<'_>> = self
            .routes
            .iter()
            .filter(|r| {
                r.parent_refs
                    .iter()
                    .any(|p| attaches(p, &r.namespace, "HTTPRoute", l))
            })
            .map(|r| Attached {
                grpc: false,
                namespace: &r.namespace,
                name: &r.name,
                hostnames: &r.hostnames,
            })
            .chain(grpc)
            .collect();
        route_kinds::rejected(l.listener.hostname.as_deref(), &all)
    }
}

/// Listeners by the parent object a reference names, so that finding what a
/// route attaches to does not test every listener of the model (2,000 hosts
/// sharing a Secret are as many listeners and twice as many routes).
pub(super) struct ByParent<'a>(HashMap<&'a str, Vec<(ParentKey<'a>, &'a ModelListener)>>);

/// A Gateway's own listeners (`true`) or a ListenerSet's, and its namespace
/// (the map's key is its name).
type ParentKey<'a> = (bool, &'a str);

impl<'a> ByParent<'a> {
    pub(super) fn new(listeners: &'a [ModelListener]) -> Self {
        let mut by: HashMap<&'a str, Vec<(ParentKey<'a>, &'a ModelListener)>> = HashMap::new();
        for l in listeners {
            let (key, name) = match &l.owner {
                Owner::Gateway => ((true, l.gateway.0.as_str()), l.gateway.1.as_str()),
                Owner::ListenerSet { namespace, name } => {
                    ((false, namespace.as_str()), name.as_str())
                }
            };
            by.entry(name).or_default().push((key, l));
        }
        ByParent(by)
    }

    /// The listeners of the object `p` names (from a route in `route_ns`):
    /// the only ones it can attach to; [`attaches`] decides which it does.
    pub(super) fn named_by<'s>(
        &'s self,
        p: &'s ParentReference,
        route_ns: &'s str,
    ) -> impl Iterator<Item = &'a ModelListener> + 's {
        let ns = p.namespace.as_deref().unwrap_or(route_ns);
        let gateway = match p.kind.as_deref().unwrap_or("Gateway") {
            "Gateway" => Some(true),
            "ListenerSet" | "XListenerSet" => Some(false),
            _ => None,
        };
        gateway
            .and_then(|gateway| Some((gateway, self.0.get(p.name.as_str())?)))
            .into_iter()
            .flat_map(move |(gateway, ls)| {
                ls.iter()
                    .filter(move |((g, n), _)| *g == gateway && *n == ns)
                    .map(|(_, l)| *l)
            })
    }
}

/// Whether a route in `route_ns` attaches to `l` through parent reference `p`.
pub(super) fn attaches(
    p: &ParentReference,
    route_ns: &str,
    route_kind: &str,
    l: &ModelListener,
) -> bool {
    // XListenerSet (Gateway API 1.4 experimental) lives in the x-k8s group.
    let group_ok = p
        .group
        .as_deref()
        .is_none_or(|g| g == gwapi::GROUP || g == crate::target::gateway_api::X_GROUP);
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
