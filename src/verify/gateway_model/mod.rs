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
//!   disagree, the outcome is [`Outcome::ImplementationDefined`] with every
//!   contender's outcome in [`GwHandled::alternatives`] (`standard`), or the rule
//!   the selected implementation's route sorting puts first (`precedence.rs`).
//! * **Filters**: RequestRedirect, URLRewrite, RequestHeaderModifier are applied;
//!   RequestMirror adds its Service (and `percent`) to a forwarded request's
//!   outcome ([`Outcome::Mirrored`]) unless the Service is in another namespace
//!   without a ReferenceGrant (then the Gateway does not mirror); the Host the
//!   mirror receives and `fraction` are not read; ResponseHeaderModifier does
//!   not change the outcome; CORS
//!   (preflights and requests with `Origin`) and ExtensionRef make the outcome
//!   not modelled; ExternalAuth is a symbolic outcome (the auth Service decides,
//!   then the rest of the rule).
//! * **Redirect targets**: a redirect to the request's own host on a scheme and
//!   port where no listener accepts that host (an HTTP→HTTPS redirect without
//!   an HTTPS listener) is [`Outcome::UnreachableRedirect`], never the same
//!   answer as ingress-nginx's redirect (`reachability.rs`).
//! * **Backends**: one backend with weight > 0 → that backend; all weights 0 or no
//!   backendRefs → 500; several → a weighted split. A backendRef to another
//!   namespace without a ReferenceGrant → 500. No matching rule → 404; no
//!   listener for the request → no response.
//! * **Acceptance** ([`acceptance`]): routes the API server rejects, and routes
//!   attached to no listener, serve nothing; they are listed as not accepted.
//! * GRPCRoute and TLSRoute (and TLS passthrough listeners) are not modelled,
//!   except that a listener accepts only one of an HTTPRoute and a GRPCRoute
//!   whose hostnames intersect (`route_kinds.rs`).

pub mod acceptance;
pub mod envoy_gateway;
mod filters;
pub mod hostname;
mod index;
mod listeners;
mod match_index;
pub mod path;
pub mod precedence;
mod reachability;
mod route_kinds;
mod rules;
mod served;

use crate::gwapi::{self, GatewayObject};
use crate::verify::request::{Outcome, Probe};
use acceptance::{Grants, NotAccepted};
use listeners::{ModelListener, OtherRoute, Owner};
use precedence::Implementation;
use rules::{CompiledRoute, Selection};

/// What the Gateway API model says about one probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GwHandled {
    pub outcome: Outcome,
    /// The deciding rule: (route namespace, route name, rule name or `rules[i]`).
    pub route: Option<(String, String, String)>,
    /// When regex precedence decides and the spec allows several orders: the
    /// outcome (and rule) of every rule that could win.
    pub alternatives: Vec<(Outcome, (String, String, String))>,
}

impl GwHandled {
    fn outcome(outcome: Outcome) -> Self {
        GwHandled {
            outcome,
            route: None,
            alternatives: Vec::new(),
        }
    }
    fn not_modelled(reason: impl Into<String>) -> Self {
        Self::outcome(Outcome::NotModelled {
            reason: reason.into(),
        })
    }
}

/// The Gateway API side of `ing2gw verify`.
#[derive(Debug, Clone, Default)]
pub struct GatewayModel {
    listeners: Vec<ModelListener>,
    routes: Vec<CompiledRoute>,
    others: Vec<OtherRoute>,
    implementation: Implementation,
    /// Routes no implementation serves (rejected by the API server, attached
    /// to no listener), in (kind, namespace, name) order.
    not_accepted: Vec<NotAccepted>,
    /// `listeners` and `routes` by hostname, and the listeners' ports.
    listener_index: index::HostIndex,
    route_index: index::HostIndex,
    listener_ports: std::collections::BTreeSet<u16>,
    /// Envoy Gateway's resources, applied with `--implementation envoy-gateway`.
    envoy_gateway: envoy_gateway::EnvoyGatewayPolicies,
    /// The matches of each route set a probe selected among, by path.
    match_indexes: match_index::MatchIndexes,
    /// The listener and routes serving each (scheme, host) probed.
    served: served::ServedCache,
}

impl GatewayModel {
    pub fn build(objects: &[GatewayObject]) -> GatewayModel {
        let mut model = GatewayModel::default();
        for o in objects {
            match o {
                GatewayObject::Gateway(g) => {
                    let ns = ns_of(&g.metadata);
                    for l in &g.spec.listeners {
                        model.listeners.push(ModelListener {
                            gateway: (ns.clone(), g.metadata.name.clone()),
                            owner: Owner::Gateway,
                            owner_namespace: ns.clone(),
                            listener: l.clone(),
                            position: model.listeners.len(),
                        });
                    }
                }
                GatewayObject::ListenerSet(s) => {
                    let ns = ns_of(&s.metadata);
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
                            position: model.listeners.len(),
                        });
                    }
                }
                _ => {}
            }
        }
        let grants = Grants::collect(objects);
        let findings = acceptance::review(&acceptance::Context {
            objects,
            listeners: &model.listeners,
            grants: &grants,
        });
        let excluded = |kind: &str, meta: &gwapi::ObjectMeta| {
            findings.iter().any(|f| {
                f.excluded
                    && f.route.kind == kind
                    && f.route.namespace == ns_of(meta)
                    && f.route.name == meta.name
            })
        };
        // Each route compiles its path regexes (thousands on a large regex
        // host): on every core, then taken in object order.
        let compiled: Vec<Option<CompiledRoute>> = {
            use rayon::prelude::*;
            objects
                .par_iter()
                .map(|o| match o {
                    GatewayObject::HttpRoute(r) if !excluded("HTTPRoute", &r.metadata) => {
                        Some(CompiledRoute::new(r))
                    }
                    _ => None,
                })
                .collect()
        };
        for (o, compiled) in objects.iter().zip(compiled) {
            match o {
                GatewayObject::HttpRoute(_) => {
                    let Some(mut route) = compiled else {
                        continue;
                    };
                    for rule in &mut route.rules {
                        rule.refused = (rule.rule.backend_refs.iter().enumerate())
                            .filter(|(_, b)| !grants.permits("HTTPRoute", &route.namespace, b))
                            .map(|(i, _)| i)
                            .collect();
                        rule.refused_mirrors = (rule.rule.filters.iter().enumerate())
                            .filter(|(_, f)| {
                                f.request_mirror.as_ref().is_some_and(|m| {
                                    !grants.permits(
                                        "HTTPRoute",
                                        &route.namespace,
                                        &gwapi::HttpBackendRef {
                                            group: m.backend_ref.group.clone(),
                                            kind: m.backend_ref.kind.clone(),
                                            name: m.backend_ref.name.clone(),
                                            namespace: m.backend_ref.namespace.clone(),
                                            port: m.backend_ref.port,
                                            ..Default::default()
                                        },
                                    )
                                })
                            })
                            .map(|(i, _)| i)
                            .collect();
                    }
                    model.routes.push(route);
                }
                GatewayObject::GrpcRoute(r) if !excluded("GRPCRoute", &r.metadata) => {
                    model.others.push(OtherRoute::new(
                        "GRPCRoute",
                        &r.metadata,
                        &r.spec.hostnames,
                        &r.spec.parent_refs,
                    ))
                }
                GatewayObject::TlsRoute(r) if !excluded("TLSRoute", &r.metadata) => {
                    model.others.push(OtherRoute::new(
                        "TLSRoute",
                        &r.metadata,
                        &r.spec.hostnames,
                        &r.spec.parent_refs,
                    ))
                }
                _ => {}
            }
        }
        model.not_accepted = findings.into_iter().map(|f| f.route).collect();
        model.not_accepted.sort();
        model.not_accepted.dedup();
        // Tie-breaker after the match criteria: oldest route (unknown: no
        // timestamps in manifests), then `{namespace}/{name}`.
        model
            .routes
            .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        for (position, route) in model.routes.iter_mut().enumerate() {
            route.position = position;
        }
        model.listener_index = index::HostIndex::new(
            model
                .listeners
                .iter()
                .map(|l| l.listener.hostname.as_deref()),
        );
        model.route_index = index::HostIndex::new(
            model
                .routes
                .iter()
                .map(|r| r.hostnames.iter().map(String::as_str)),
        );
        model.listener_ports = model.listeners.iter().map(|l| l.listener.port).collect();
        model.envoy_gateway = envoy_gateway::EnvoyGatewayPolicies::collect(objects);
        model
    }

    /// What rule `m` answers, with the implementation's own policies applied.
    fn rule_outcome(
        &self,
        m: &rules::Matched<'_>,
        probe: &Probe,
        host: &str,
        listener: &ModelListener,
        path: &str,
        query: Option<&str>,
    ) -> Outcome {
        let eg =
            (self.implementation == Implementation::EnvoyGateway).then_some(&self.envoy_gateway);
        let outcome = filters::outcome(m, probe, host, listener.listener.port, path, query, eg);
        let Some(eg) = eg else {
            return outcome;
        };
        let rule = m.rule.rule.name.as_deref();
        let place = envoy_gateway::Place {
            gateway: (&listener.gateway.0, &listener.gateway.1),
            listener: &listener.listener.name,
            route: (&m.route.namespace, &m.route.name),
            rule,
        };
        eg.apply(&place, probe, outcome)
    }

    /// Uses `imp`'s route sorting for the rules the spec does not rank.
    pub fn with_implementation(mut self, imp: Implementation) -> Self {
        self.implementation = imp;
        self
    }

    /// Routes no implementation serves, with the reason.
    pub fn not_accepted(&self) -> &[NotAccepted] {
        &self.not_accepted
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
        if path::normalise_encoded(raw_path).is_none() {
            return GwHandled::outcome(Outcome::ImplementationDefined {
                reason: format!(
                    "path `{raw_path}` cannot be normalised (`..` above the root); Gateway API does not specify the response"
                ),
            });
        }
        let host = hostname::normalise_host(&probe.host);
        let served = self
            .served
            .get(probe.scheme, &host, || self.serve(probe, &host));
        match &*served {
            served::Served::Answer(answer) => answer.clone(),
            served::Served::Routes { listener, routes } => {
                // Positions the model gave its own listeners and routes.
                let routes: Vec<&CompiledRoute> = routes.iter().map(|&i| &self.routes[i]).collect();
                self.route_request(probe, &host, &self.listeners[*listener], &routes)
            }
        }
    }

    /// The listener and routes serving `probe`'s scheme and `host` (they
    /// depend on nothing else), or the answer when none does.
    fn serve(&self, probe: &Probe, host: &str) -> served::Served {
        let (listener, routes) = match self.serving(probe, host) {
            Ok(found) => found,
            Err(answer) => return served::Served::Answer(*answer),
        };
        // Only the routes with the most specific matching hostname take part.
        let listener_spec = hostname::specificity(listener.listener.hostname.as_deref());
        let spec_of = |r: &CompiledRoute| {
            r.hostnames
                .iter()
                .filter(|h| hostname::matches(h, host))
                .map(|h| hostname::specificity(Some(h)))
                .max()
                .unwrap_or(listener_spec)
        };
        let best = routes.iter().map(|r| spec_of(r)).max().unwrap_or_default();
        served::Served::Routes {
            listener: listener.position,
            routes: (routes.into_iter())
                .filter(|r| spec_of(r) == best)
                .map(|r| r.position)
                .collect(),
        }
    }

    fn route_request(
        &self,
        probe: &Probe,
        host: &str,
        listener: &ModelListener,
        routes: &[&CompiledRoute],
    ) -> GwHandled {
        let (raw_path, query) = path::split_target(&probe.target);
        let index = self.match_indexes.get(routes);
        let index = index.as_deref();
        let raw = rules::select(routes, index, probe, raw_path, query, self.implementation);
        let normal = path::normalise_encoded(raw_path);
        let decided = match normal {
            Some(n) if n != raw_path => {
                let normalised =
                    rules::select(routes, index, probe, &n, query, self.implementation);
                if normalised.decision() != raw.decision() {
                    return GwHandled::outcome(Outcome::ImplementationDefined {
                        reason: format!(
                            "path `{raw_path}` is not in normal form; Gateway API does not specify normalisation, and `{raw_path}` and `{n}` route differently"
                        ),
                    });
                }
                // A path rewrite or redirect computes its result from the path the
                // implementation matched, so normalising changes what it produces.
                if let Selection::Rule(m) = &raw
                    && m.rule.modifies_path()
                {
                    let from_raw = self.rule_outcome(m, probe, host, listener, raw_path, query);
                    let from_normal = self.rule_outcome(m, probe, host, listener, &n, query);
                    if from_raw != from_normal {
                        return GwHandled::outcome(Outcome::ImplementationDefined {
                            reason: format!(
                                "path `{raw_path}` is not in normal form; Gateway API does not specify normalisation, and the rule's path rewrite or redirect gives different results for `{raw_path}` and `{n}`"
                            ),
                        });
                    }
                }
                raw
            }
            _ => raw,
        };
        match decided {
            Selection::NoMatch => GwHandled::outcome(Outcome::Status { status: 404 }),
            Selection::Unknown(reason) => GwHandled::not_modelled(reason),
            Selection::Rule(m) => {
                let outcome = self.check_redirect_target(
                    host,
                    self.rule_outcome(&m, probe, host, listener, raw_path, query),
                );
                GwHandled {
                    outcome,
                    route: Some(m.id()),
                    alternatives: Vec::new(),
                }
            }
            Selection::Contenders(all) => {
                let outcomes: Vec<Outcome> = all
                    .iter()
                    .map(|m| {
                        self.check_redirect_target(
                            host,
                            self.rule_outcome(m, probe, host, listener, raw_path, query),
                        )
                    })
                    .collect();
                if outcomes.iter().all(|o| *o == outcomes[0]) {
                    return GwHandled {
                        outcome: outcomes[0].clone(),
                        route: Some(all[0].id()),
                        alternatives: Vec::new(),
                    };
                }
                let mut alternatives: Vec<(Outcome, (String, String, String))> = Vec::new();
                for (o, m) in outcomes.iter().zip(&all) {
                    if !alternatives.iter().any(|(a, _)| a == o) {
                        alternatives.push((o.clone(), m.id()));
                    }
                }
                let names: Vec<String> = all
                    .iter()
                    .map(|m| {
                        let (ns, name, rule) = m.id();
                        format!("{ns}/{name} {rule}")
                    })
                    .collect();
                GwHandled {
                    alternatives,
                    ..GwHandled::outcome(Outcome::ImplementationDefined {
                        reason: format!(
                            "RegularExpression precedence is implementation-specific and these rules match with different outcomes: {}",
                            names.join(", ")
                        ),
                    })
                }
            }
        }
    }
}

fn ns_of(meta: &gwapi::ObjectMeta) -> String {
    meta.namespace.clone().unwrap_or_else(|| "default".into())
}

#[cfg(test)]
mod tests;
