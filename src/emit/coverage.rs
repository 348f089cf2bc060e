//! Coverage as data: what a target does with each ingress-nginx annotation or
//! ConfigMap key. `ing2gw annotations --implementation`, `scan` and
//! `docs/implementations/` are generated from these answers, never written by hand.

use serde::Serialize;

/// How a target handles one annotation or ConfigMap key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageLevel {
    /// The behaviour is reproduced exactly by `kind`/`field`.
    Translated,
    /// Reproduced in part (`note` says what differs).
    Approximated,
    /// The target cannot express it (`note` says what happens instead).
    NotExpressible,
}

/// One row: the annotation (without prefix) or `configmap:<key>`, and the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoverageEntry {
    pub key: &'static str,
    pub level: CoverageLevel,
    /// The emitted kind, e.g. `SecurityPolicy` (empty when not expressible).
    pub kind: &'static str,
    /// The field path inside it, e.g. `spec.authorization.rules[].principal.clientCIDRs`.
    pub field: &'static str,
    pub note: &'static str,
}
