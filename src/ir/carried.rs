//! Annotations of other controllers (cert-manager, external-dns) carried from the
//! Ingresses to the generated objects that those controllers read for Gateway API.

use super::{GatewayId, Provenance};
use crate::report::ObjectRef;
use std::collections::BTreeMap;

/// One carried annotation value and the Ingress annotation it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedValue {
    pub value: String,
    pub from: Provenance,
}

/// Carried annotations, by the object they go on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// Set on the Gateway (cert-manager issuer settings, external-dns target).
    pub gateway: BTreeMap<GatewayId, BTreeMap<String, CarriedValue>>,
    /// Set on every route generated from the Ingress (external-dns hostname, ttl…).
    pub routes: BTreeMap<ObjectRef, BTreeMap<String, CarriedValue>>,
}
