//! Serde types for exactly the Gateway API objects ing2gw emits and reads back.
//!
//! Why not the `gateway-api` crate: its generated enums for integer fields
//! (e.g. `RequestRedirect.statusCode`) serialise as strings (`"301"`), which the
//! API server rejects, and its standard and experimental channels are two
//! separate type trees. These types are a superset (standard + the experimental
//! fields we may emit), serialise without nulls (`skip_serializing_if`), and keep
//! field order stable so output is byte-identical. See `docs/architecture.md`.

mod common;
mod decode;
pub mod envoy_gateway;
mod gateway;
mod httproute;
mod misc;

pub use common::*;
pub use decode::{DecodedGatewayApi, decode_documents, decode_gateway_objects};
pub use gateway::*;
pub use httproute::*;
pub use misc::*;

/// API group of every Gateway API object.
pub const GROUP: &str = "gateway.networking.k8s.io";
/// apiVersion of the standard-channel objects we emit.
pub const API_VERSION_V1: &str = "gateway.networking.k8s.io/v1";
/// Annotation that marks every object ing2gw generated.
pub const GENERATOR_ANNOTATION: &str = "gateway.networking.k8s.io/generator";

/// The value of [`GENERATOR_ANNOTATION`] for this build.
pub fn generator_value() -> String {
    format!("ing2gw-{}", env!("CARGO_PKG_VERSION"))
}

/// Every object kind ing2gw can emit, in the order they are printed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum GatewayObject {
    Gateway(Gateway),
    ListenerSet(ListenerSet),
    ReferenceGrant(ReferenceGrant),
    HttpRoute(HttpRoute),
    GrpcRoute(GrpcRoute),
    TlsRoute(TlsRoute),
    BackendTlsPolicy(BackendTlsPolicy),
    /// An implementation-specific resource from a later emitter, kept as JSON.
    Other(serde_json::Value),
}

impl GatewayObject {
    /// `(kind, namespace, name)`, the identity used for sorting and file names.
    pub fn identity(&self) -> (String, String, String) {
        let (kind, meta) = match self {
            GatewayObject::Gateway(o) => (o.kind.clone(), &o.metadata),
            GatewayObject::ListenerSet(o) => (o.kind.clone(), &o.metadata),
            GatewayObject::ReferenceGrant(o) => (o.kind.clone(), &o.metadata),
            GatewayObject::HttpRoute(o) => (o.kind.clone(), &o.metadata),
            GatewayObject::GrpcRoute(o) => (o.kind.clone(), &o.metadata),
            GatewayObject::TlsRoute(o) => (o.kind.clone(), &o.metadata),
            GatewayObject::BackendTlsPolicy(o) => (o.kind.clone(), &o.metadata),
            GatewayObject::Other(v) => {
                let s = |p: &str| {
                    v.pointer(p)
                        .and_then(|x| x.as_str())
                        .unwrap_or("")
                        .to_string()
                };
                return (s("/kind"), s("/metadata/namespace"), s("/metadata/name"));
            }
        };
        (
            kind,
            meta.namespace.clone().unwrap_or_default(),
            meta.name.clone(),
        )
    }

    /// The object's `apiVersion`.
    pub fn api_version(&self) -> &str {
        match self {
            GatewayObject::Gateway(o) => &o.api_version,
            GatewayObject::ListenerSet(o) => &o.api_version,
            GatewayObject::ReferenceGrant(o) => &o.api_version,
            GatewayObject::HttpRoute(o) => &o.api_version,
            GatewayObject::GrpcRoute(o) => &o.api_version,
            GatewayObject::TlsRoute(o) => &o.api_version,
            GatewayObject::BackendTlsPolicy(o) => &o.api_version,
            GatewayObject::Other(v) => v
                .get("apiVersion")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(""),
        }
    }

    /// Print order: gateways and listener sets first, then grants, routes, policies.
    pub fn kind_rank(&self) -> u8 {
        match self {
            GatewayObject::Gateway(_) => 0,
            GatewayObject::ListenerSet(_) => 1,
            GatewayObject::ReferenceGrant(_) => 2,
            GatewayObject::HttpRoute(_) => 3,
            GatewayObject::GrpcRoute(_) => 4,
            GatewayObject::TlsRoute(_) => 5,
            GatewayObject::BackendTlsPolicy(_) => 6,
            GatewayObject::Other(_) => 7,
        }
    }
}
