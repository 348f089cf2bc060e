//! Envoy Gateway (`gateway.envoyproxy.io/v1alpha1`): the standard output plus
//! the policies Envoy Gateway offers for what standard Gateway API cannot say.
//!
//! Starts from the standard emitter's objects, so a routing fix reaches every
//! target, then adds or replaces per resource family (one file each).

use super::Emitter;
use super::standard::StandardEmitter;
use crate::gwapi::GatewayObject;
use crate::ir::{AccessRequirement, Ir};
use crate::options::TranslateOptions;
use crate::report::Report;

pub struct EnvoyGatewayEmitter;

impl Emitter for EnvoyGatewayEmitter {
    fn name(&self) -> &'static str {
        "envoy-gateway"
    }
    fn emit(&self, ir: &Ir, options: &TranslateOptions, report: &mut Report) -> Vec<GatewayObject> {
        StandardEmitter.emit(ir, options, report)
    }
}

/// The access requirements this emitter enforces with a policy of its own (see
/// [`super::target_enforces`]). None yet.
pub fn enforces(_req: &AccessRequirement, _options: &TranslateOptions) -> bool {
    false
}
