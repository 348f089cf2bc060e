//! Emitters turn the IR into Gateway API objects.
//!
//! The standard emitter produces only standard-channel Gateway API (v1.5, plus the
//! experimental fields the IR carries when `--channel experimental`).
//! Implementation-specific emitters (Envoy Gateway, kgateway, …) plug in beside it:
//! they implement [`Emitter`], usually starting from the standard output and
//! adding their policy resources for what the IR holds but standard Gateway API
//! cannot express.

pub mod access;
pub mod carried;
pub mod coverage;
pub mod envoy_gateway;
pub mod filters;
pub mod grants;
pub mod grpc_conflict;
pub mod host_map;
pub mod names;
pub mod profile;
pub mod regex_dialect;
pub mod standard;

use crate::gwapi::GatewayObject;
use crate::ir::Ir;
use crate::options::TranslateOptions;
use crate::report::Report;

/// An output flavour.
pub trait Emitter {
    fn name(&self) -> &'static str;
    fn emit(&self, ir: &Ir, options: &TranslateOptions, report: &mut Report) -> Vec<GatewayObject>;
    /// [`Emitter::emit`] for a caller done with the IR's hosts: an emitter may
    /// free them as it goes (`ir.hosts` may be empty afterwards). Same output.
    fn emit_draining(
        &self,
        ir: &mut Ir,
        options: &TranslateOptions,
        report: &mut Report,
    ) -> Vec<GatewayObject> {
        self.emit(ir, options, report)
    }
    /// What this target does with each annotation it handles beyond the
    /// standard translation (see [`coverage`]).
    fn coverage(&self) -> Vec<coverage::CoverageEntry> {
        Vec::new()
    }
}

/// Whether the run's target enforces this access requirement with its own
/// resources (so the rule is emitted open with the policy attached instead of
/// fail-closed). The emitter of that target must then emit the policy: a
/// requirement answered `true` here and not emitted would open a route.
pub fn target_enforces(options: &TranslateOptions, req: &crate::ir::AccessRequirement) -> bool {
    use crate::target::Implementation;
    match options.target.implementation {
        Implementation::EnvoyGateway => envoy_gateway::enforces(req, options),
        Implementation::Standard | Implementation::Istio => false,
    }
}

/// [`target_enforces`] for a rule of `route_namespace`: some policies can
/// reference objects of the route's namespace only (e.g. Envoy Gateway's
/// client-certificate CA).
pub fn target_enforces_in(
    options: &TranslateOptions,
    req: &crate::ir::AccessRequirement,
    route_namespace: &str,
) -> bool {
    use crate::target::Implementation;
    target_enforces(options, req)
        || match options.target.implementation {
            Implementation::EnvoyGateway => envoy_gateway::enforces_in(req, route_namespace),
            Implementation::Standard | Implementation::Istio => false,
        }
}

/// The emitter for the run's `--implementation`. Implementations without
/// extension resources of their own get the standard output.
pub fn emitter_for(target: &crate::target::Target) -> Box<dyn Emitter + Sync> {
    use crate::target::Implementation;
    match target.implementation {
        Implementation::EnvoyGateway => Box::new(envoy_gateway::EnvoyGatewayEmitter),
        Implementation::Standard | Implementation::Istio => Box::new(standard::StandardEmitter),
    }
}

/// Sorts objects into print order: kind rank, namespace, name.
pub fn sort_objects(objects: &mut [GatewayObject]) {
    // `identity` allocates: compute each key once, not four times per comparison.
    objects.sort_by_cached_key(|o| {
        let (_, namespace, name) = o.identity();
        (o.kind_rank(), namespace, name)
    });
}
