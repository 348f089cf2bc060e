//! URL normalisation.
//!
//! ## What ingress-nginx does
//! nginx matches locations against the normalised URI: `%XX` decoded (even `%2F`),
//! `//` merged, `.`/`..` resolved, `..` above the root → 400. The backend still
//! receives the raw request URI unless a rewrite happened.
//!
//! ## What Gateway API offers
//! Nothing configurable; implementations normalise differently (Envoy-based ones
//! resolve `.`/`..` by default; slash merging and `%2F` handling vary).
//!
//! ## What we emit / warn
//! Nothing to emit; one info notification per run that explains what to check.
//! The normalisation itself is recorded as a Gateway fact
//! (`GatewayPolicy.path_normalisation`) by [`super::gateway_facts`].

use super::{Pass, PassContext};
use crate::ir::Ir;
use crate::report::{Code, Notification, Report};

pub const URL_NORMALIZATION: Code = Code("url-normalization");

pub struct UrlNormalization;

impl Pass for UrlNormalization {
    fn name(&self) -> &'static str {
        "url-normalization"
    }
    fn run(&self, _cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        if ir.hosts.values().all(|h| h.rules.is_empty()) {
            return;
        }
        report.push(
            Notification::info(
                URL_NORMALIZATION,
                "ingress-nginx matches paths after URL normalisation (`//` merged, `.`/`..` resolved, `%2F` and other %-escapes decoded; `/../x` → 400) and forwards the raw URI; Gateway API does not specify normalisation",
            )
            .suggest("check your implementation's path normalisation (e.g. Envoy Gateway ClientTrafficPolicy spec.path: escapedSlashesAction, disableMergeSlashes) and test requests with `//`, `/./`, `%2F`"),
        );
    }
}
