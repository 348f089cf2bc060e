//! Emitters turn the IR into Gateway API objects.
//!
//! The standard emitter produces only standard-channel Gateway API (v1.5, plus the
//! experimental fields the IR carries when `--channel experimental`).
//! Implementation-specific emitters (Envoy Gateway, kgateway, …) plug in beside it:
//! they implement [`Emitter`], usually starting from the standard output and
//! adding their policy resources for what the IR holds but standard Gateway API
//! cannot express.

pub mod access;
pub mod filters;
pub mod grants;
pub mod grpc_conflict;
pub mod names;
pub mod standard;

use crate::gwapi::GatewayObject;
use crate::ir::Ir;
use crate::options::TranslateOptions;
use crate::report::Report;

/// An output flavour.
pub trait Emitter {
    fn name(&self) -> &'static str;
    fn emit(&self, ir: &Ir, options: &TranslateOptions, report: &mut Report) -> Vec<GatewayObject>;
}

/// Sorts objects into print order: kind rank, namespace, name.
pub fn sort_objects(objects: &mut [GatewayObject]) {
    // `identity` allocates: compute each key once, not four times per comparison.
    objects.sort_by_cached_key(|o| {
        let (_, namespace, name) = o.identity();
        (o.kind_rank(), namespace, name)
    });
}
