//! Envoy Gateway's own resources (`gateway.envoyproxy.io/v1alpha1`, API of
//! v1.9) in the Gateway API model, applied with `--implementation envoy-gateway`.
//!
//! What Envoy Gateway does (its HTTP filter chain, `internal/xds/translator/
//! httpfilters.go`): for a request a route rule takes, external authorization
//! (SecurityPolicy `extAuth`) runs first, then basic auth (`basicAuth`: 401
//! without credentials), then the IP authorization (`authorization`: the first
//! rule whose `principal.clientCIDRs` holds the client decides Allow/Deny, else
//! `defaultAction`, Deny when unset → 403); the router then answers as the rule
//! says; BackendTrafficPolicy `responseOverride` rewrites the status of the
//! answers it matches (the custom-response filter sees every response, local
//! replies included). An HTTPRoute rule's `ExtensionRef` to an
//! `HTTPRouteFilter` applies its `urlRewrite` (`ReplaceRegexMatch`: every match
//! of the RE2 pattern in the path replaced, `\N` captures) or `directResponse`
//! (`filters.rs`).
//!
//! Policies attach through `targetRefs` (and the older `targetRef`): a Gateway
//! (optionally one listener by `sectionName`) or an HTTPRoute (optionally one
//! rule by its `name`). For one request the most specific policy of a kind
//! applies — rule, then route, then listener, then Gateway; Envoy Gateway does
//! not merge them (without `mergeType`). Two of a kind on the same level:
//! not modelled (Envoy Gateway keeps the oldest, which manifests do not tell).
//! A SecurityPolicy referencing a Service (extAuth) or Secret (basicAuth) in
//! another namespace without a ReferenceGrant is refused, and the routes it
//! targets answer 500 (checked with Envoy Gateway v1.9.1's `egctl experimental
//! translate --to xds`: a direct 500 response).
//!
//! What stays "not modelled": JWT, OIDC, API keys, CSRF, CORS on preflights and
//! requests with `Origin`, authorization rules on anything but client CIDRs,
//! `mergeType`, `targetSelectors`, fault injection, EnvoyExtensionPolicy (Lua,
//! Wasm, ext-proc) and EnvoyPatchPolicy, HTTPRouteFilter `matches`, hostname
//! rewrites and credential injection, overrides of an external authorization's
//! denial. BackendTrafficPolicy `requestBuffer.limit` answers 413 for a probe
//! whose body ([`Probe::body`]) is larger (Envoy's buffer filter), before the
//! route's own answer and `responseOverride`; with a SecurityPolicy on the same
//! request the order of the two is not modelled, nor is a body under a
//! ClientTrafficPolicy `connection.bufferLimit` (a connection buffer, which
//! refuses nothing by itself). A probe's client address
//! ([`Probe::client`]) is the one the ingress-nginx side sees; timeouts, retries,
//! load balancing, rate limits (one request is under any limit) and
//! compression do not change an outcome.

mod route_filter;
mod security;
mod traffic;

use crate::gwapi::GatewayObject;
use crate::verify::request::{Outcome, Probe};
pub use route_filter::RouteFilter;
use security::SecurityPolicy;
use serde_json::Value;
use std::collections::BTreeMap;
use traffic::TrafficPolicy;

/// The API group of Envoy Gateway's resources.
pub const GROUP: &str = "gateway.envoyproxy.io";

/// What a policy's `targetRefs` entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TargetRef {
    Gateway {
        name: String,
        section: Option<String>,
    },
    Route {
        name: String,
        section: Option<String>,
    },
    /// Another kind (GRPCRoute, TCPRoute …): never one of the probed rules.
    Other,
}

/// How specific an attachment is (higher wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Gateway,
    Listener,
    Route,
    Rule,
}

/// A policy with the objects it attaches to.
#[derive(Debug, Clone)]
struct Attached<T> {
    namespace: String,
    name: String,
    targets: Vec<TargetRef>,
    /// Why the policy as a whole is not modelled (targetSelectors, mergeType).
    not_modelled: Option<String>,
    policy: T,
}

/// Where a probe was decided: the Gateway and listener that took it, the
/// HTTPRoute and rule that matched.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub gateway: (&'a str, &'a str),
    pub listener: &'a str,
    pub route: (&'a str, &'a str),
    pub rule: Option<&'a str>,
}

impl Attached<()> {
    fn with<T>(self, policy: T) -> Attached<T> {
        Attached {
            namespace: self.namespace,
            name: self.name,
            targets: self.targets,
            not_modelled: self.not_modelled,
            policy,
        }
    }
}

impl<T> Attached<T> {
    /// The level at which this policy covers `place`, if it does.
    fn level(&self, place: &Place<'_>) -> Option<Level> {
        self.targets
            .iter()
            .filter_map(|t| match t {
                TargetRef::Gateway { name, section }
                    if self.namespace == place.gateway.0 && name == place.gateway.1 =>
                {
                    match section {
                        None => Some(Level::Gateway),
                        Some(s) if s == place.listener => Some(Level::Listener),
                        Some(_) => None,
                    }
                }
                TargetRef::Route { name, section }
                    if self.namespace == place.route.0 && name == place.route.1 =>
                {
                    match section {
                        None => Some(Level::Route),
                        Some(s) if Some(s.as_str()) == place.rule => Some(Level::Rule),
                        Some(_) => None,
                    }
                }
                _ => None,
            })
            .max()
    }
}

/// The most specific of `list` for `place`; `Err` when two share that level.
fn pick<'p, T>(
    list: &'p [Attached<T>],
    place: &Place<'_>,
    kind: &str,
) -> Result<Option<&'p Attached<T>>, String> {
    let mut best: Vec<(Level, &Attached<T>)> = list
        .iter()
        .filter_map(|a| a.level(place).map(|l| (l, a)))
        .collect();
    best.sort_by_key(|(l, _)| std::cmp::Reverse(*l));
    match best.as_slice() {
        [] => Ok(None),
        [(l, a), (m, b), ..] if l == m => Err(format!(
            "{kind}s {}/{} and {}/{} attach at the same level (Envoy Gateway keeps the older one)",
            a.namespace, a.name, b.namespace, b.name
        )),
        [(_, a), ..] => match &a.not_modelled {
            Some(r) => Err(format!("{kind} {}/{}: {r}", a.namespace, a.name)),
            None => Ok(Some(*a)),
        },
    }
}

/// Envoy Gateway's resources among the verified objects.
#[derive(Debug, Clone, Default)]
pub struct EnvoyGatewayPolicies {
    security: Vec<Attached<SecurityPolicy>>,
    traffic: Vec<Attached<TrafficPolicy>>,
    /// Resources whose effect is not modelled, with what they attach to.
    opaque: Vec<Attached<String>>,
    /// HTTPRouteFilters by (namespace, name).
    filters: BTreeMap<(String, String), RouteFilter>,
}

impl EnvoyGatewayPolicies {
    /// Reads the `gateway.envoyproxy.io` objects (kept as JSON by the decoder).
    pub fn collect(objects: &[GatewayObject]) -> Self {
        let mut out = EnvoyGatewayPolicies::default();
        let grants = super::acceptance::Grants::collect(objects);
        for o in objects {
            let GatewayObject::Other(v) = o else { continue };
            let api = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
            if api.split_once('/').map(|(g, _)| g) != Some(GROUP) {
                continue;
            }
            let s = |p: &str| {
                v.pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let namespace = match s("/metadata/namespace") {
                ns if ns.is_empty() => "default".to_string(),
                ns => ns,
            };
            let name = s("/metadata/name");
            let spec = v.get("spec").cloned().unwrap_or(Value::Null);
            let (targets, not_modelled) = targets(&spec);
            let attached = Attached {
                namespace: namespace.clone(),
                name: name.clone(),
                targets,
                not_modelled,
                policy: (),
            };
            match s("/kind").as_str() {
                "SecurityPolicy" => {
                    let mut policy = SecurityPolicy::read(&spec, &namespace);
                    policy.invalid = policy
                        .references
                        .iter()
                        .find(|(kind, ns, target)| {
                            !grants.permits(
                                "SecurityPolicy",
                                &namespace,
                                &crate::gwapi::HttpBackendRef {
                                    kind: Some(kind.to_string()),
                                    name: target.clone(),
                                    namespace: Some(ns.clone()),
                                    ..Default::default()
                                },
                            )
                        })
                        .map(|(kind, ns, target)| {
                            format!("{kind} {ns}/{target} without a ReferenceGrant")
                        });
                    out.security.push(attached.with(policy))
                }
                // ClientTrafficPolicy attaches to Gateways (listeners); what it
                // sets for a GET from one client changes no outcome (see the
                // module doc), so only its buffer limit is read (probes with a
                // body are not modelled under it).
                "BackendTrafficPolicy" | "ClientTrafficPolicy" => {
                    out.traffic.push(attached.with(TrafficPolicy::read(&spec)))
                }
                "HTTPRouteFilter" => {
                    out.filters
                        .insert((namespace.clone(), name.clone()), RouteFilter::read(&spec));
                }
                kind @ ("EnvoyExtensionPolicy" | "EnvoyPatchPolicy") => out
                    .opaque
                    .push(attached.with(format!("{kind} {namespace}/{name}"))),
                // Backend (a backendRef kind: `filters.rs` says not modelled),
                // EnvoyProxy (deployment settings).
                _ => {}
            }
        }
        out
    }

    /// The HTTPRouteFilter `namespace/name`, if the manifests have it.
    pub fn route_filter(&self, namespace: &str, name: &str) -> Option<&RouteFilter> {
        self.filters.get(&(namespace.to_string(), name.to_string()))
    }

    /// Applies the policies that cover `place` to the rule's `outcome`.
    pub fn apply(&self, place: &Place<'_>, probe: &Probe, outcome: Outcome) -> Outcome {
        if matches!(
            outcome,
            Outcome::NotModelled { .. } | Outcome::ImplementationDefined { .. }
        ) {
            return outcome;
        }
        let nm = |reason: String| Outcome::NotModelled { reason };
        if let Some(o) = self.opaque.iter().find(|o| o.level(place).is_some()) {
            return nm(format!("{} (its effect is not modelled)", o.policy));
        }
        let security = match pick(&self.security, place, "SecurityPolicy") {
            Ok(s) => s,
            Err(r) => return nm(r),
        };
        let traffic = match pick(&self.traffic, place, "BackendTrafficPolicy") {
            Ok(t) => t,
            Err(r) => return nm(r),
        };
        // The request buffer (BackendTrafficPolicy `requestBuffer`) answers
        // 413 for a larger body. Where it runs relative to the SecurityPolicy
        // filters, which may answer first, is not modelled.
        let refused = match traffic.map(|t| (t, t.policy.refuse_body(probe))) {
            Some((t, Err(r))) => {
                return nm(format!(
                    "BackendTrafficPolicy {}/{}: {r}",
                    t.namespace, t.name
                ));
            }
            Some((_, Ok(refused))) => refused,
            None => None,
        };
        if refused.is_some()
            && let Some(s) = security
        {
            return nm(format!(
                "a request body above the requestBuffer limit on a rule with SecurityPolicy {}/{} (which of the two answers first)",
                s.namespace, s.name
            ));
        }
        let outcome = match (refused, security) {
            (Some(refused), _) => refused,
            (None, Some(s)) => match s.policy.decide(probe, probe.client, outcome) {
                Ok(o) => o,
                Err(r) => return nm(format!("SecurityPolicy {}/{}: {r}", s.namespace, s.name)),
            },
            (None, None) => outcome,
        };
        match traffic {
            Some(t) => match t.policy.respond(outcome) {
                Ok(o) => o,
                Err(r) => nm(format!(
                    "BackendTrafficPolicy {}/{}: {r}",
                    t.namespace, t.name
                )),
            },
            None => outcome,
        }
    }
}

/// `targetRefs` (and `targetRef`); the reason when the attachment is not
/// modelled (`targetSelectors` pick objects by labels the manifests may not
/// carry; `mergeType` merges a Gateway's policy into a route's).
fn targets(spec: &Value) -> (Vec<TargetRef>, Option<String>) {
    let mut refs: Vec<&Value> = spec
        .get("targetRefs")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    refs.extend(spec.get("targetRef"));
    let out = refs
        .into_iter()
        .map(|r| {
            let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
            let name = s("name").unwrap_or_default();
            let section = s("sectionName");
            let group_ok = s("group").is_none_or(|g| g == crate::gwapi::GROUP);
            match s("kind").as_deref() {
                Some("Gateway") if group_ok => TargetRef::Gateway { name, section },
                Some("HTTPRoute") if group_ok => TargetRef::Route { name, section },
                _ => TargetRef::Other,
            }
        })
        .collect();
    let not_modelled = if spec.get("targetSelectors").is_some_and(|v| !v.is_null()) {
        Some("targetSelectors (label selection)".to_string())
    } else if spec.get("mergeType").is_some_and(|v| !v.is_null()) {
        Some("mergeType (merged policies)".to_string())
    } else {
        None
    };
    (out, not_modelled)
}

#[cfg(test)]
mod tests;
