//! Which Gateway API the cluster has: the `gateway.networking.k8s.io` CRDs'
//! `gateway.networking.k8s.io/bundle-version` and `.../channel` annotations and
//! the versions they serve, and whether the target GatewayClass exists. The
//! translation defaults its Gateway API profile to what is found here.
//!
//! Reads by name (`get`), never a cluster-wide CRD list (CRDs carry their whole
//! schema: a list is megabytes): `customresourcedefinitions.apiextensions.k8s.io`
//! `get` on the names below, and `gatewayclasses.gateway.networking.k8s.io` `get`
//! on the class. A 403 leaves the defaults in place and says so; a 404 means not
//! installed.

use super::error::ClusterError;
use super::reader::{Outcome, Reader};
use super::resources::ResourceType;
use super::{ClusterObject, ClusterOptions};

const CRD: ResourceType = ResourceType {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
};

const GATEWAY_CLASS: ResourceType = ResourceType {
    group: "gateway.networking.k8s.io",
    version: "v1",
    kind: "GatewayClass",
    plural: "gatewayclasses",
};

/// The CRDs read: the Gateway one carries the bundle annotations; ReferenceGrant's
/// served versions decide whether `v1` may be emitted whatever the annotation says.
const GATEWAYS_CRD: &str = "gateways.gateway.networking.k8s.io";
const REFERENCE_GRANTS_CRD: &str = "referencegrants.gateway.networking.k8s.io";

pub const BUNDLE_VERSION_ANNOTATION: &str = "gateway.networking.k8s.io/bundle-version";
pub const CHANNEL_ANNOTATION: &str = "gateway.networking.k8s.io/channel";

/// What the cluster's Gateway API CRDs say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrdOutcome {
    Found {
        /// The bundle-version annotation (`v1.5.1`), if set.
        bundle_version: Option<String>,
        /// The channel annotation (`standard` / `experimental`), if set.
        channel: Option<String>,
        /// Versions the ReferenceGrant CRD serves (empty when it is not installed).
        reference_grant_served: Vec<String>,
    },
    /// No Gateway CRD: Gateway API is not installed.
    NotInstalled,
    /// Reading CRDs is not allowed (the message of the 403).
    Forbidden(String),
}

/// The detection result, with the GatewayClass check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayApiCrds {
    pub crds: CrdOutcome,
    pub gateway_class: String,
    /// `Some(exists)`, or `None` when it could not be read (403, or no CRD).
    pub gateway_class_exists: Option<bool>,
}

fn annotation(o: &ClusterObject, key: &str) -> Option<String> {
    o.value["metadata"]["annotations"][key]
        .as_str()
        .map(str::to_string)
}

fn served_versions(o: &ClusterObject) -> Vec<String> {
    o.value["spec"]["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["served"].as_bool().unwrap_or(false))
        .filter_map(|v| v["name"].as_str().map(str::to_string))
        .collect()
}

pub(crate) async fn detect(
    reader: &Reader,
    gateway_class: &str,
) -> Result<GatewayApiCrds, ClusterError> {
    reader.step(format!("reading CustomResourceDefinition {GATEWAYS_CRD}"));
    let crds = match reader.get(&CRD, None, GATEWAYS_CRD).await? {
        Outcome::Forbidden(m) => CrdOutcome::Forbidden(m),
        Outcome::NotFound(_) => CrdOutcome::NotInstalled,
        // A warning upstream (cli/input.rs): the defaults are used.
        Outcome::Unavailable(code, m) => return Err(reader.unavailable(code, m, GATEWAYS_CRD)),
        Outcome::Found(gw) => {
            let reference_grant_served = match reader.get(&CRD, None, REFERENCE_GRANTS_CRD).await? {
                Outcome::Found(rg) => served_versions(&rg),
                Outcome::NotFound(_) | Outcome::Forbidden(_) | Outcome::Unavailable(..) => {
                    Vec::new()
                }
            };
            CrdOutcome::Found {
                bundle_version: annotation(&gw, BUNDLE_VERSION_ANNOTATION),
                channel: annotation(&gw, CHANNEL_ANNOTATION),
                reference_grant_served,
            }
        }
    };
    let gateway_class_exists = if matches!(crds, CrdOutcome::Found { .. }) {
        reader.step(format!("reading GatewayClass {gateway_class}"));
        match reader.get(&GATEWAY_CLASS, None, gateway_class).await? {
            Outcome::Found(_) => Some(true),
            Outcome::NotFound(_) => Some(false),
            Outcome::Forbidden(_) | Outcome::Unavailable(..) => None,
        }
    } else {
        None
    };
    Ok(GatewayApiCrds {
        crds,
        gateway_class: gateway_class.to_string(),
        gateway_class_exists,
    })
}

/// Reads the cluster's Gateway API CRDs and the GatewayClass `gateway_class`.
pub async fn read_gateway_api_crds(
    opts: &ClusterOptions,
    gateway_class: &str,
) -> Result<GatewayApiCrds, ClusterError> {
    super::collected::check_object_name("--gateway-class", gateway_class)?;
    let reader = super::open(opts).await?;
    detect(&reader, gateway_class).await
}

/// [`read_gateway_api_crds`] for synchronous callers.
pub fn blocking_read_gateway_api_crds(
    opts: &ClusterOptions,
    gateway_class: &str,
) -> Result<GatewayApiCrds, ClusterError> {
    super::block_on(read_gateway_api_crds(opts, gateway_class))
}
