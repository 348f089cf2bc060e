//! The Kubernetes resource types ing2gw reads, as static group/version/kind/plural
//! records, and their conversion to kube's [`ApiResource`] (which builds the URLs).

use kube::Resource;
use kube::core::{ApiResource, DynamicObject, GroupVersionKind};

/// One served resource type: enough to build its REST path and to label
/// returned objects and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResourceType {
    /// API group; empty for the core group (`/api/v1`).
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// Lower-case plural as used in the URL and in RBAC rules.
    pub plural: &'static str,
}

impl ResourceType {
    /// `apiVersion` as written in manifests: `v1` for core, `group/version` otherwise.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The name RBAC and kubectl use in messages: `services`, `ingresses.networking.k8s.io`.
    pub fn display_name(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    pub fn api_resource(&self) -> ApiResource {
        ApiResource::from_gvk_with_plural(
            &GroupVersionKind::gvk(self.group, self.version, self.kind),
            self.plural,
        )
    }

    /// Collection URL path, namespaced when `namespace` is given, else cluster-wide
    /// (the cluster-wide form of a namespaced type lists across all namespaces).
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        DynamicObject::url_path(&self.api_resource(), namespace)
    }

    /// The same kind at another API version (used for version fallbacks).
    pub const fn at_version(self, version: &'static str) -> Self {
        Self { version, ..self }
    }
}

pub(crate) const INGRESS: ResourceType = ResourceType {
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    plural: "ingresses",
};

pub(crate) const INGRESS_CLASS: ResourceType = ResourceType {
    group: "networking.k8s.io",
    version: "v1",
    kind: "IngressClass",
    plural: "ingressclasses",
};

pub(crate) const SERVICE: ResourceType = ResourceType {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
};

pub(crate) const CONFIG_MAP: ResourceType = ResourceType {
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
};

pub(crate) const DEPLOYMENT: ResourceType = ResourceType {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
};

pub(crate) const DAEMON_SET: ResourceType = ResourceType {
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    plural: "daemonsets",
};

const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

const fn gateway_api(kind: &'static str, plural: &'static str) -> ResourceType {
    ResourceType {
        group: GATEWAY_GROUP,
        version: "v1",
        kind,
        plural,
    }
}

/// ReferenceGrant at v1 (served from Gateway API v1.5); clusters with older CRDs
/// only serve `v1beta1`, see [`REFERENCE_GRANT_FALLBACK_VERSION`].
pub(crate) const REFERENCE_GRANT: ResourceType = gateway_api("ReferenceGrant", "referencegrants");
pub(crate) const REFERENCE_GRANT_FALLBACK_VERSION: &str = "v1beta1";

/// Namespaced Gateway API kinds compared by `diff --against cluster`, all at `v1`
/// (Gateway API v1.5 standard channel: TLSRoute and ListenerSet became `v1` there).
pub(crate) const GATEWAY_KINDS: [ResourceType; 7] = [
    gateway_api("Gateway", "gateways"),
    gateway_api("HTTPRoute", "httproutes"),
    gateway_api("GRPCRoute", "grpcroutes"),
    gateway_api("TLSRoute", "tlsroutes"),
    REFERENCE_GRANT,
    gateway_api("ListenerSet", "listenersets"),
    gateway_api("BackendTLSPolicy", "backendtlspolicies"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_kubernetes_rest_layout() {
        assert_eq!(
            INGRESS.collection_path(Some("team-a")),
            "/apis/networking.k8s.io/v1/namespaces/team-a/ingresses"
        );
        assert_eq!(
            INGRESS.collection_path(None),
            "/apis/networking.k8s.io/v1/ingresses"
        );
        assert_eq!(
            SERVICE.collection_path(Some("default")),
            "/api/v1/namespaces/default/services"
        );
        assert_eq!(
            REFERENCE_GRANT
                .at_version(REFERENCE_GRANT_FALLBACK_VERSION)
                .collection_path(Some("x")),
            "/apis/gateway.networking.k8s.io/v1beta1/namespaces/x/referencegrants"
        );
    }

    #[test]
    fn names_match_kubectl_and_rbac_spelling() {
        assert_eq!(SERVICE.display_name(), "services");
        assert_eq!(INGRESS.display_name(), "ingresses.networking.k8s.io");
        assert_eq!(SERVICE.api_version(), "v1");
        assert_eq!(DEPLOYMENT.api_version(), "apps/v1");
    }
}
