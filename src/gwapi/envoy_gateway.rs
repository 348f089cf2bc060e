//! Serde types for the Envoy Gateway (`gateway.envoyproxy.io/v1alpha1`) objects
//! ing2gw emits: exactly the fields it writes, with the field names of Envoy
//! Gateway v1.9 (`api/v1alpha1/*_types.go`). Like the Gateway API types beside
//! them: no nulls, stable field order. They are printed through
//! [`super::GatewayObject::Other`].

use super::ObjectMeta;
use serde::Serialize;

pub const EG_API_VERSION: &str = "gateway.envoyproxy.io/v1alpha1";
pub const EG_GROUP: &str = "gateway.envoyproxy.io";

/// An Envoy Gateway object: apiVersion, kind, metadata and a typed spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EgObject<S> {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: S,
}

/// `targetRefs[]` (Gateway API `LocalPolicyTargetReferenceWithSectionName`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTargetRef {
    pub group: String,
    pub kind: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

/// A Secret (or other object) reference: `name`, optional `namespace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretObjectReference {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// A backend reference (`BackendRef`: Service or Envoy Gateway `Backend`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EgBackendRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

// ---------------------------------------------------------------- SecurityPolicy

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityPolicySpec {
    pub target_refs: Vec<PolicyTargetRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_auth: Option<ExtAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BasicAuth {
    /// A Secret whose key `.htpasswd` holds `user:{SHA}hash` lines.
    pub users: SecretObjectReference,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtAuth {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpExtAuthService>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc: Option<GrpcExtAuthService>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers_to_ext_auth: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpExtAuthService {
    pub backend_refs: Vec<EgBackendRef>,
    /// The fixed path of the auth call (nginx's `auth_request` subrequest URI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_override: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers_to_backend: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrpcExtAuthService {
    pub backend_refs: Vec<EgBackendRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    /// `Allow` or `Deny`: what requests matching no rule get.
    pub default_action: String,
    pub rules: Vec<AuthorizationRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationRule {
    pub name: String,
    pub action: String,
    pub principal: Principal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    #[serde(rename = "clientCIDRs")]
    pub client_cidrs: Vec<String>,
}

// --------------------------------------------------------- BackendTrafficPolicy

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendTrafficPolicySpec {
    pub target_refs: Vec<PolicyTargetRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<EgRetry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<EgTimeout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_buffer: Option<RequestBuffer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_override: Vec<ResponseOverride>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compressor: Vec<Compressor>,
    /// `Service`: proxy to the Service's cluster IP instead of its endpoints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_type: Option<String>,
}

impl BackendTrafficPolicySpec {
    /// Nothing but the target.
    pub fn is_empty(&self) -> bool {
        *self
            == BackendTrafficPolicySpec {
                target_refs: self.target_refs.clone(),
                ..Default::default()
            }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// `Local`: per Envoy replica.
    #[serde(rename = "type")]
    pub kind: String,
    pub local: LocalRateLimit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalRateLimit {
    pub rules: Vec<RateLimitRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitRule {
    pub client_selectors: Vec<ClientSelector>,
    pub limit: RateLimitValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientSelector {
    #[serde(rename = "sourceCIDR")]
    pub source_cidr: SourceMatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMatch {
    /// `Distinct`: one bucket per client address in `value`.
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitValue {
    pub requests: u32,
    /// `Second`, `Minute`, …
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancer {
    /// `RoundRobin`, `LeastRequest`, `Random`, `ConsistentHash`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_hash: Option<ConsistentHash>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsistentHash {
    /// `SourceIP`, `Header`, `Cookie`, `QueryParams`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<NamedKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cookie: Option<HashCookie>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub query_params: Vec<NamedKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedKey {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HashCookie {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EgRetry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_retries: Option<u32>,
    pub retry_on: RetryOn,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_retry: Option<PerRetry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryOn {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub http_status_codes: Vec<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PerRetry {
    pub timeout: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EgTimeout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpTimeout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpTimeout>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TcpTimeout {
    pub connect_timeout: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpTimeout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_idle_timeout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestBuffer {
    /// A Kubernetes quantity (bytes).
    pub limit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseOverride {
    #[serde(rename = "match")]
    pub matches: ResponseMatch,
    pub response: CustomResponse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseMatch {
    pub status_codes: Vec<StatusCodeMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCodeMatch {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomResponse {
    pub content_type: String,
    pub body: CustomResponseBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomResponseBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub inline: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Compressor {
    /// `Gzip`, `Brotli`.
    #[serde(rename = "type")]
    pub kind: String,
}

// ----------------------------------------------------------- ClientTrafficPolicy

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientTrafficPolicySpec {
    pub target_refs: Vec<PolicyTargetRef>,
    /// Present (empty): the PROXY protocol header is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_protocol: Option<ProxyProtocolSettings>,
    #[serde(rename = "clientIPDetection", skip_serializing_if = "Option::is_none")]
    pub client_ip_detection: Option<ClientIpDetection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ClientTls>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<ClientConnection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<ClientTimeout>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProxyProtocolSettings {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientIpDetection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_forwarded_for: Option<XForwardedFor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_header: Option<NamedKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XForwardedFor {
    #[serde(rename = "trustedCIDRs", skip_serializing_if = "Vec::is_empty")]
    pub trusted_cidrs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_trusted_hops: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientTls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_validation: Option<ClientValidation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_version: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ciphers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientValidation {
    /// Secrets (key `ca.crt`) holding the CAs client certificates must chain to.
    pub ca_certificate_refs: Vec<SecretObjectReference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathSettings {
    /// `KeepUnchanged`, `RejectRequest`, `UnescapeAndRedirect`, `UnescapeAndForward`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escaped_slashes_action: Option<String>,
    pub disable_merge_slashes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientConnection {
    /// A quantity: the per-connection buffer (caps header size too).
    pub buffer_limit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientTimeout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<ClientHttpTimeout>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientHttpTimeout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_headers_received_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<String>,
}

// --------------------------------------------------------------- HTTPRouteFilter

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteFilterSpec {
    pub url_rewrite: EgUrlRewrite,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EgUrlRewrite {
    pub path: EgPathModifier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EgPathModifier {
    /// `ReplaceRegexMatch`.
    #[serde(rename = "type")]
    pub kind: String,
    pub replace_regex_match: ReplaceRegexMatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceRegexMatch {
    pub pattern: String,
    pub substitution: String,
}

// ----------------------------------------------------------------------- Backend

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendSpec {
    pub endpoints: Vec<BackendEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<BackendTlsSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendEndpoint {
    pub fqdn: FqdnEndpoint,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FqdnEndpoint {
    pub hostname: String,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendTlsSettings {
    /// `System`: the proxy's trusted CAs, as nginx's `proxy_ssl_trusted_certificate` default.
    #[serde(rename = "wellKnownCACertificates")]
    pub well_known_ca_certificates: String,
    pub sni: String,
}
