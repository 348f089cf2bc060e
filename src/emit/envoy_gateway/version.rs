//! What each Envoy Gateway release accepts, for `--implementation
//! envoy-gateway@VERSION`.
//!
//! Read from the CRDs each release ships (`charts/gateway-helm/crds/generated`
//! of `github.com/envoyproxy/gateway` v1.4.0 … v1.9.1, from the Go module
//! proxy), for the fields ing2gw emits; every other field it emits exists in
//! all of them:
//!
//! | Field | First release |
//! |---|---|
//! | ClientTrafficPolicy `proxyProtocol` (1.4: `enableProxyProtocol: true`) | 1.5 |
//! | BackendTrafficPolicy `compressor` (before: `compression`) | 1.6 |
//! | BackendTrafficPolicy `routingType` (service-upstream) | 1.7 |
//! | BackendTrafficPolicy `loadBalancer.consistentHash.queryParams` | 1.7 |
//! | BackendTrafficPolicy `timeout.http.streamIdleTimeout` | 1.8 |
//! | SecurityPolicy `extAuth.http.pathOverride` (before: `path`, a prefix the request path is appended to) | 1.8 |
//! | ClientTrafficPolicy `timeout.http.requestHeadersReceivedTimeout` | 1.9 |
//!
//! A field the targeted release lacks is never emitted: the fact becomes a
//! notification for that target (or, for access control, the rule stays
//! fail-closed). `tests/crd_schema.rs` validates the output of every release
//! against that release's CRDs.

use crate::options::TranslateOptions;

/// The Envoy Gateway release the output is for (its minor version, 1.x).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    pub minor: u32,
}

impl Features {
    /// The newest release ing2gw knows (the default).
    pub const LATEST: Features = Features { minor: 9 };

    /// The release `--implementation envoy-gateway[@VERSION]` resolves to.
    pub fn of(options: &TranslateOptions) -> Self {
        let resolved = crate::target::Implementation::EnvoyGateway
            .profile()
            .resolve(options.target.version.as_deref());
        let minor = resolved
            .known
            .version
            .split('.')
            .nth(1)
            .and_then(|m| m.parse().ok())
            .unwrap_or(Self::LATEST.minor);
        Features { minor }
    }

    /// `v1.N` for messages.
    pub fn name(self) -> String {
        format!("v1.{}", self.minor)
    }

    pub fn proxy_protocol_settings(self) -> bool {
        self.minor >= 5
    }
    pub fn compressor(self) -> bool {
        self.minor >= 6
    }
    pub fn routing_type(self) -> bool {
        self.minor >= 7
    }
    pub fn hash_query_params(self) -> bool {
        self.minor >= 7
    }
    pub fn stream_idle_timeout(self) -> bool {
        self.minor >= 8
    }
    pub fn ext_auth_path_override(self) -> bool {
        self.minor >= 8
    }
    pub fn request_headers_received_timeout(self) -> bool {
        self.minor >= 9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(v: Option<&str>) -> Features {
        let o = TranslateOptions {
            target: crate::target::Target {
                implementation: crate::target::Implementation::EnvoyGateway,
                version: v.map(String::from),
            },
            ..Default::default()
        };
        Features::of(&o)
    }

    #[test]
    fn versions_resolve_to_their_minor() {
        assert_eq!(at(None), Features::LATEST);
        assert_eq!(at(Some("1.6.2")).minor, 6);
        assert_eq!(at(Some("1.1")).minor, 4);
        assert!(!at(Some("1.7")).ext_auth_path_override());
        assert!(at(Some("1.8")).ext_auth_path_override());
        assert!(!at(Some("1.4")).proxy_protocol_settings());
    }
}
