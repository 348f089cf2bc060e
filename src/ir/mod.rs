//! The intermediate representation: a typed, provider-neutral model of what the
//! Ingress set means, filled by the passes and read by the emitters.
//!
//! Layout: gateways (one per ingress class, or per namespace) own listeners;
//! virtual hosts (one per gateway and hostname, as ingress-nginx has one `server`
//! per host) own rules in ingress-nginx order. Every rule, filter and listener
//! carries its [`Provenance`]. Emitters decide how hosts become HTTPRoutes.

mod access;
mod carried;
mod grpc;
mod host;
mod hosts;
mod policy;
mod rule;

pub use access::*;
pub use carried::*;
pub use grpc::*;
pub use host::*;
pub use hosts::*;
pub use policy::*;
pub use rule::*;

use crate::input::SourceSpan;
use crate::report::ObjectRef;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where an IR element came from, shared by reference.
///
/// Every rule, filter, policy fact and listener carries one, and passes copy the
/// same origin into many elements (one HSTS filter per rule of a host, one
/// timeout fact per location of an Ingress): a reference-counted handle makes
/// each copy a pointer instead of a deep copy of the object name, annotation key
/// and span (issue 13: the IR was 86 MB at 10k Ingresses, mostly provenance).
/// Reads go through `Deref`; a write (`from.span = …`) copies the shared data
/// first (`Arc::make_mut`), so a change never leaks into another element.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Provenance(Arc<ProvenanceData>);

impl From<ProvenanceData> for Provenance {
    fn from(data: ProvenanceData) -> Self {
        Provenance(Arc::new(data))
    }
}

impl std::ops::Deref for Provenance {
    type Target = ProvenanceData;
    fn deref(&self) -> &ProvenanceData {
        &self.0
    }
}

impl std::ops::DerefMut for Provenance {
    fn deref_mut(&mut self) -> &mut ProvenanceData {
        Arc::make_mut(&mut self.0)
    }
}

impl std::fmt::Debug for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The data of a [`Provenance`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ProvenanceData {
    pub object: Option<ObjectRef>,
    /// Index in `spec.rules`.
    pub rule: Option<usize>,
    /// Index in `spec.rules[rule].http.paths`.
    pub path: Option<usize>,
    /// The annotation (full key) that produced this element, if any.
    pub annotation: Option<String>,
    pub span: Option<SourceSpan>,
}

impl Provenance {
    pub fn object(object: &ObjectRef) -> Self {
        Provenance::from(ProvenanceData {
            object: Some(object.clone()),
            ..Default::default()
        })
    }
    pub fn with_annotation(mut self, key: &str, span: Option<SourceSpan>) -> Self {
        self.annotation = Some(key.to_string());
        self.span = span;
        self
    }
}

/// Identity of a Gateway.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GatewayId {
    pub namespace: String,
    pub name: String,
}

/// Reference to a Secret holding a certificate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SecretRef {
    pub namespace: String,
    pub name: String,
}

/// A Gateway: the load balancer that replaces one ingress-nginx controller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    pub id: GatewayId,
    pub gateway_class: String,
    /// The ingress class this Gateway replaces.
    pub ingress_class: String,
    /// HTTPS listeners keyed by hostname (one certificate per host, first Ingress wins).
    pub https: BTreeMap<String, HttpsListener>,
    /// TLS passthrough listeners keyed by hostname (ssl-passthrough).
    pub passthrough: BTreeMap<String, Provenance>,
    /// Frontend client-certificate validation (auth-tls-*), per hostname.
    pub client_validation: BTreeMap<String, ClientValidation>,
    /// Controller-wide traffic-policy facts (see [`GatewayPolicy`]).
    pub policy: GatewayPolicy,
}

/// An HTTPS listener for one hostname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsListener {
    pub hostname: String,
    pub secret: SecretRef,
    pub from: Provenance,
}

/// Client-certificate validation for a hostname (Gateway `tls.frontend`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientValidation {
    pub ca_secret: SecretRef,
    pub optional: bool,
    pub from: Provenance,
}

/// Policies attached to backends or routes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// TLS from the gateway to a Service (BackendTLSPolicy).
    BackendTls(BackendTls),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendTls {
    pub namespace: String,
    pub service: String,
    pub hostname: String,
    /// CA bundle: a ConfigMap/Secret name in the same namespace, or None for system CAs.
    pub ca_certificate: Option<String>,
    pub from: Provenance,
}

/// The whole IR.
#[derive(Debug, Clone, Default)]
pub struct Ir {
    pub gateways: BTreeMap<GatewayId, Gateway>,
    /// Virtual hosts, with the index of their rules by source Ingress.
    pub hosts: Hosts,
    pub policies: Vec<Policy>,
    /// TLS passthrough routes (ssl-passthrough).
    pub tls_routes: Vec<TlsPassthroughRoute>,
    /// Rules (host, rule name) whose backends speak gRPC: emitted as GRPCRoute rules.
    pub grpc_rules: std::collections::BTreeSet<(HostId, String)>,
    /// Annotations of other controllers carried to the output (cert-manager, external-dns).
    pub carried: Carried,
}

/// A TLS passthrough route: SNI hostname to a Service port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsPassthroughRoute {
    pub gateway: GatewayId,
    pub namespace: String,
    pub hostname: String,
    pub backend: Backend,
    pub from: Provenance,
}

impl Ir {
    /// Where the rules of every host that came from the given Ingress are (host
    /// id order, then rule order), through the index by Ingress.
    pub fn rules_of(&self, ingress: &ObjectRef) -> Vec<RuleAt> {
        self.hosts.rules_of(ingress)
    }
    /// The rule at `at` (see [`Ir::rules_of`]), mutably.
    pub fn rule_mut(&mut self, at: &RuleAt) -> Option<&mut Rule> {
        self.hosts.rule_mut(at)
    }
}
