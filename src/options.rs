//! Translation options shared by every command (set from CLI flags).

/// Which Gateway API channel the output may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Channel {
    /// Standard channel only.
    #[default]
    Standard,
    /// Also experimental fields (retry, sessionPersistence, ExternalAuth filter).
    Experimental,
}

/// Options of a translation run.
#[derive(Debug, Clone)]
pub struct TranslateOptions {
    /// `--ingress-class`: the class ingress-nginx was started with.
    pub ingress_class: String,
    /// `--controller-class`: IngressClass `spec.controller` value.
    pub controller_class: String,
    /// `--watch-ingress-without-class`.
    pub watch_without_class: bool,
    /// `--ingress-class-by-name`.
    pub ingress_class_by_name: bool,
    /// Gateway name (default: the ingress class name).
    pub gateway_name: Option<String>,
    pub gateway_namespace: String,
    /// GatewayClass name (default: the ingress class name).
    pub gateway_class: Option<String>,
    /// ingress2gateway's layout: one Gateway in each Ingress namespace.
    pub gateway_per_namespace: bool,
    /// `--nginx-configmap NAMESPACE/NAME`: the controller ConfigMap.
    pub nginx_configmap: Option<(String, String)>,
    /// `--default-ssl-certificate NAMESPACE/NAME`: the controller's default certificate.
    pub default_ssl_certificate: Option<(String, String)>,
    /// `--annotations-prefix`.
    pub annotation_prefix: String,
    pub channel: Channel,
    /// `--channel` was given (cluster detection does not override it).
    pub channel_explicit: bool,
    /// `--gateway-api-version`: the Gateway API release the output is for (default:
    /// detected from the cluster's CRDs, else the one the implementation supports).
    pub gateway_api_version: Option<crate::target::gateway_api::GatewayApiVersion>,
    /// The Gateway API CRDs found in the cluster read (see `crate::cluster::crds`).
    pub detected_gateway_api: Option<crate::target::gateway_api::DetectedGatewayApi>,
    /// Emit routes whose access control cannot be expressed in their open form.
    pub allow_insecure_translation: bool,
    /// Emit ReferenceGrants in namespaces other than the source object's own (they let
    /// every route of the referring namespace use the named object).
    pub allow_cross_namespace_grants: bool,
    /// ingress-nginx quirks to preserve (see `crate::passes::quirks`).
    pub quirks: crate::passes::quirks::Quirks,
    /// Controller version whose behaviour is modelled, e.g. `v1.15.1`.
    pub controller_version: String,
    /// `--implementation`: the implementation the output is for.
    pub target: crate::target::Target,
    /// `--host-map`: hostnames rewritten after translation (see `crate::emit::host_map`).
    pub host_map: crate::emit::host_map::HostMap,
    /// `--regex-dialect`: the syntax of the emitted regular expressions.
    pub regex_dialect: crate::emit::regex_dialect::RegexDialect,
}

impl Default for TranslateOptions {
    fn default() -> Self {
        TranslateOptions {
            ingress_class: "nginx".into(),
            controller_class: "k8s.io/ingress-nginx".into(),
            watch_without_class: false,
            ingress_class_by_name: false,
            gateway_name: None,
            gateway_namespace: "gateway-system".into(),
            gateway_class: None,
            gateway_per_namespace: false,
            nginx_configmap: None,
            default_ssl_certificate: None,
            annotation_prefix: "nginx.ingress.kubernetes.io/".into(),
            channel: Channel::Standard,
            channel_explicit: false,
            gateway_api_version: None,
            detected_gateway_api: None,
            allow_insecure_translation: false,
            allow_cross_namespace_grants: false,
            quirks: crate::passes::quirks::Quirks::default(),
            controller_version: "v1.15.1".into(),
            target: crate::target::Target::default(),
            host_map: crate::emit::host_map::HostMap::default(),
            regex_dialect: crate::emit::regex_dialect::RegexDialect::Re2,
        }
    }
}

impl TranslateOptions {
    /// The Gateway API version and channel the output must fit: `--gateway-api-version`,
    /// else the cluster's CRDs, else the release the implementation is built on.
    pub fn gateway_api(&self) -> crate::target::gateway_api::GatewayApiProfile {
        let version = self
            .gateway_api_version
            .or_else(|| self.detected_gateway_api.as_ref().map(|d| d.version))
            .unwrap_or_else(|| {
                self.target
                    .implementation
                    .profile()
                    .resolve(self.target.version.as_deref())
                    .gateway_api
            });
        crate::target::gateway_api::GatewayApiProfile::new(version, self.channel)
    }

    /// The `gatewayClassName` of a Gateway for `ingress_class` when `--gateway-class`
    /// is not given: the implementation's usual class (see
    /// `crate::target::implementations`); an empty default means the ingress class name.
    pub fn gateway_class_for(&self, ingress_class: &str) -> String {
        if let Some(c) = &self.gateway_class {
            return c.clone();
        }
        match self.target.implementation.profile().default_gateway_class {
            "" => ingress_class.to_string(),
            class => class.to_string(),
        }
    }
}
