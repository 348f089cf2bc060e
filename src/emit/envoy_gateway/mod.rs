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
use crate::gwapi::GatewayObject;
use crate::ir::{AccessRequirement, ExternalAuth, Ir};
use crate::options::TranslateOptions;
use crate::report::Report;

pub struct EnvoyGatewayEmitter;

impl Emitter for EnvoyGatewayEmitter {
    fn name(&self) -> &'static str {
        "envoy-gateway"
    }
    fn emit(&self, ir: &Ir, options: &TranslateOptions, report: &mut Report) -> Vec<GatewayObject> {
        let mut rules = Vec::new();
        let mut out = StandardEmitter.emit_mapped(ir, options, report, Some(&mut rules));
        let mut extra = Vec::new();
        for gw in ir.gateways.values() {
            client_traffic_policy::emit(gw, report, &mut extra);
            backend_traffic_policy::emit_gateway(gw, report, &mut extra);
        }
        for e in &rules {
            security_policy::emit(e, report, &mut extra);
            let gateway = ir.gateways.get(&e.gateway).map(|g| &g.policy);
            backend_traffic_policy::emit(e, gateway, report, &mut extra);
            route_filter::emit(e, &mut out, report, &mut extra);
        }
        out.extend(extra);
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

/// The access requirements this emitter enforces with a policy of its own (see
/// [`super::target_enforces`]): exactly those its SecurityPolicy and
/// BackendTrafficPolicy families express.
pub fn enforces(req: &AccessRequirement, _options: &TranslateOptions) -> bool {
    security_policy::expresses(req) || backend_traffic_policy::expresses(req)
}

/// Whether an ExternalAuth filter on a rule of `route_namespace` is enforced by
/// a SecurityPolicy `extAuth` (Envoy Gateway v1.9 does not implement the
/// standard ExternalAuth filter, so it is never emitted for this target).
pub fn enforces_external_auth(a: &ExternalAuth, route_namespace: &str) -> bool {
    security_policy::expresses_external_auth(a, route_namespace)
}

#[cfg(test)]
mod tests;
