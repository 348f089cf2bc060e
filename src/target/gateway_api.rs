//! Gateway API version profiles (`--gateway-api-version 1.4|1.5|1.6` with
//! `--channel standard|experimental`): which kinds, apiVersions and fields exist
//! in the CRDs of that version and channel.
//!
//! Facts (Gateway API CHANGELOG 1.4–1.6 and `config/crd` at the tags; see
//! `docs/implementations/README.md`):
//! - ReferenceGrant: `v1beta1` only before 1.5; `v1` served from 1.5.
//! - TLSRoute: `v1alpha2` in the 1.4 experimental channel, absent from 1.4
//!   standard; `v1` standard from 1.5 (v1alpha2/3 no longer served).
//! - ListenerSet: `XListenerSet` (`gateway.networking.x-k8s.io/v1alpha1`) in the
//!   1.4 experimental channel, absent from 1.4 standard; `ListenerSet` v1
//!   standard from 1.5 (XListenerSet dropped). Gateway `spec.allowedListeners`
//!   follows it.
//! - HTTPRoute CORS filter and Gateway `spec.tls.frontend` (client-certificate
//!   validation): experimental in 1.4, standard from 1.5.
//! - BackendTLSPolicy `v1`: standard from 1.4.
//! - HTTPRoute `retry`, `sessionPersistence` and the ExternalAuth filter:
//!   experimental in every known version; `sessionPersistence.idleTimeout` is gone
//!   in 1.6.
//! - TCPRoute/UDPRoute: `v1alpha2` experimental before 1.6, `v1` standard in 1.6.
//!
//! The emitters obey the profile (see `crate::emit::profile`): a kind or field the
//! profile lacks is never printed; a notification names it instead.

use crate::options::Channel;
use serde::Serialize;
use std::fmt;

/// A Gateway API release ing2gw has a profile for (minor versions; patches do
/// not change the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, Serialize)]
pub enum GatewayApiVersion {
    #[value(name = "1.4")]
    #[serde(rename = "1.4")]
    V1_4,
    #[value(name = "1.5")]
    #[serde(rename = "1.5")]
    V1_5,
    #[value(name = "1.6")]
    #[serde(rename = "1.6")]
    V1_6,
}

/// Where a version outside the known range lands (see [`GatewayApiVersion::nearest`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The version is one ing2gw knows.
    Exact,
    /// Older than the oldest profile: the oldest is used (the output may hold
    /// kinds or versions the real CRDs lack).
    OlderThanKnown,
    /// Newer than the newest profile: the newest is used (nothing newer is emitted).
    NewerThanKnown,
}

impl GatewayApiVersion {
    pub const ALL: [GatewayApiVersion; 3] = [
        GatewayApiVersion::V1_4,
        GatewayApiVersion::V1_5,
        GatewayApiVersion::V1_6,
    ];
    pub const NEWEST: GatewayApiVersion = GatewayApiVersion::V1_6;

    pub fn as_str(self) -> &'static str {
        match self {
            GatewayApiVersion::V1_4 => "1.4",
            GatewayApiVersion::V1_5 => "1.5",
            GatewayApiVersion::V1_6 => "1.6",
        }
    }

    /// `(major, minor)` of a version string such as `1.4`, `v1.5.1` or
    /// `1.3.1-0.2025…` (a Go pseudo-version).
    pub fn parse_minor(s: &str) -> Option<(u32, u32)> {
        let s = s.trim().trim_start_matches('v');
        let mut parts = s.split(['.', '-', '+']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some((major, minor))
    }

    /// The profile for `(major, minor)`, or the nearest one and how it fits.
    pub fn nearest(major: u32, minor: u32) -> (GatewayApiVersion, Fit) {
        match (major, minor) {
            (1, 4) => (GatewayApiVersion::V1_4, Fit::Exact),
            (1, 5) => (GatewayApiVersion::V1_5, Fit::Exact),
            (1, 6) => (GatewayApiVersion::V1_6, Fit::Exact),
            (0, _) | (1, 0..=3) => (GatewayApiVersion::V1_4, Fit::OlderThanKnown),
            _ => (GatewayApiVersion::V1_6, Fit::NewerThanKnown),
        }
    }
}

impl fmt::Display for GatewayApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// apiVersion group of the experimental-only `X*` kinds.
pub const X_GROUP: &str = "gateway.networking.x-k8s.io";

/// A kind as the target's CRDs serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServedKind {
    pub group: &'static str,
    pub api_version: &'static str,
    pub kind: &'static str,
}

/// What a Gateway API version and channel offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayApiProfile {
    pub version: GatewayApiVersion,
    pub channel: Channel,
}

impl GatewayApiProfile {
    pub fn new(version: GatewayApiVersion, channel: Channel) -> Self {
        GatewayApiProfile { version, channel }
    }

    fn experimental(&self) -> bool {
        self.channel == Channel::Experimental
    }

    pub fn at_least(&self, v: GatewayApiVersion) -> bool {
        self.version >= v
    }

    /// "Gateway API 1.4 (standard channel)".
    pub fn describe(&self) -> String {
        let channel = match self.channel {
            Channel::Standard => "standard",
            Channel::Experimental => "experimental",
        };
        format!("Gateway API {} ({channel} channel)", self.version)
    }

    /// apiVersion of ReferenceGrant: `v1` is served from 1.5 only.
    pub fn reference_grant_api_version(&self) -> &'static str {
        if self.at_least(GatewayApiVersion::V1_5) {
            "gateway.networking.k8s.io/v1"
        } else {
            "gateway.networking.k8s.io/v1beta1"
        }
    }

    /// TLSRoute, if this profile has it.
    pub fn tls_route(&self) -> Option<ServedKind> {
        if self.at_least(GatewayApiVersion::V1_5) {
            Some(ServedKind {
                group: crate::gwapi::GROUP,
                api_version: "gateway.networking.k8s.io/v1",
                kind: "TLSRoute",
            })
        } else if self.experimental() {
            Some(ServedKind {
                group: crate::gwapi::GROUP,
                api_version: "gateway.networking.k8s.io/v1alpha2",
                kind: "TLSRoute",
            })
        } else {
            None
        }
    }

    /// ListenerSet (or 1.4's experimental XListenerSet), if this profile has it.
    pub fn listener_set(&self) -> Option<ServedKind> {
        if self.at_least(GatewayApiVersion::V1_5) {
            Some(ServedKind {
                group: crate::gwapi::GROUP,
                api_version: "gateway.networking.k8s.io/v1",
                kind: "ListenerSet",
            })
        } else if self.experimental() {
            Some(ServedKind {
                group: X_GROUP,
                api_version: "gateway.networking.x-k8s.io/v1alpha1",
                kind: "XListenerSet",
            })
        } else {
            None
        }
    }

    /// The HTTPRoute CORS filter (GEP-1767).
    pub fn cors_filter(&self) -> bool {
        self.at_least(GatewayApiVersion::V1_5) || self.experimental()
    }

    /// Gateway `spec.tls.frontend` client-certificate validation (GEP-91).
    pub fn frontend_client_validation(&self) -> bool {
        self.at_least(GatewayApiVersion::V1_5) || self.experimental()
    }

    /// BackendTLSPolicy `v1` (standard from 1.4, so in every profile).
    pub fn backend_tls_policy(&self) -> bool {
        true
    }

    /// HTTPRoute rule `retry` (GEP-1731): experimental in every known version.
    pub fn http_route_retry(&self) -> bool {
        self.experimental()
    }

    /// HTTPRoute rule `sessionPersistence` (GEP-1619): experimental.
    pub fn session_persistence(&self) -> bool {
        self.experimental()
    }

    /// `sessionPersistence.idleTimeout`: removed in 1.6.
    pub fn session_persistence_idle_timeout(&self) -> bool {
        self.experimental() && !self.at_least(GatewayApiVersion::V1_6)
    }

    /// The HTTPRoute ExternalAuth filter (GEP-1494): experimental.
    pub fn external_auth_filter(&self) -> bool {
        self.experimental()
    }

    /// apiVersion of TCPRoute/UDPRoute, if this profile has them.
    pub fn tcp_udp_route_api_version(&self) -> Option<&'static str> {
        if self.at_least(GatewayApiVersion::V1_6) {
            Some("gateway.networking.k8s.io/v1")
        } else if self.experimental() {
            Some("gateway.networking.k8s.io/v1alpha2")
        } else {
            None
        }
    }

    /// Every kind/field this profile answers for, as `(name, available)`: the
    /// table in `docs/implementations/README.md` and the tests read it.
    pub fn features(&self) -> Vec<(&'static str, String)> {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        let kind = |k: Option<ServedKind>| {
            k.map_or("absent".to_string(), |k| {
                format!("{} {}", k.kind, k.api_version)
            })
        };
        vec![
            (
                "ReferenceGrant",
                self.reference_grant_api_version().to_string(),
            ),
            ("TLSRoute", kind(self.tls_route())),
            ("ListenerSet", kind(self.listener_set())),
            ("HTTPRoute CORS filter", yes_no(self.cors_filter())),
            (
                "Gateway tls.frontend (client certificates)",
                yes_no(self.frontend_client_validation()),
            ),
            ("BackendTLSPolicy v1", yes_no(self.backend_tls_policy())),
            ("HTTPRoute retry", yes_no(self.http_route_retry())),
            (
                "HTTPRoute sessionPersistence",
                yes_no(self.session_persistence()),
            ),
            (
                "sessionPersistence.idleTimeout",
                yes_no(self.session_persistence_idle_timeout()),
            ),
            ("ExternalAuth filter", yes_no(self.external_auth_filter())),
            (
                "TCPRoute/UDPRoute",
                self.tcp_udp_route_api_version()
                    .unwrap_or("absent")
                    .to_string(),
            ),
        ]
    }
}

/// What a cluster's Gateway API CRDs say (read by `crate::cluster::crds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedGatewayApi {
    /// `gateway.networking.k8s.io/bundle-version` as found (e.g. `v1.5.1`).
    pub bundle_version: String,
    /// The profile it maps to, and how it fits ing2gw's known versions.
    pub version: GatewayApiVersion,
    pub fit: Fit,
    /// `gateway.networking.k8s.io/channel`.
    pub channel: Channel,
    /// Whether the target GatewayClass exists (`None`: not read).
    pub gateway_class_exists: Option<bool>,
    pub gateway_class: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: GatewayApiVersion, c: Channel) -> GatewayApiProfile {
        GatewayApiProfile::new(v, c)
    }

    #[test]
    fn reference_grant_is_v1_from_1_5() {
        use GatewayApiVersion::*;
        assert!(
            p(V1_4, Channel::Experimental)
                .reference_grant_api_version()
                .ends_with("/v1beta1")
        );
        assert!(
            p(V1_5, Channel::Standard)
                .reference_grant_api_version()
                .ends_with("/v1")
        );
        assert!(
            p(V1_6, Channel::Standard)
                .reference_grant_api_version()
                .ends_with("/v1")
        );
    }

    #[test]
    fn tls_route_and_listener_set_per_version_and_channel() {
        use GatewayApiVersion::*;
        assert_eq!(p(V1_4, Channel::Standard).tls_route(), None);
        assert_eq!(p(V1_4, Channel::Standard).listener_set(), None);
        let x = p(V1_4, Channel::Experimental);
        assert_eq!(
            x.tls_route().map(|k| k.api_version),
            Some("gateway.networking.k8s.io/v1alpha2")
        );
        assert_eq!(x.listener_set().map(|k| k.kind), Some("XListenerSet"));
        assert_eq!(x.listener_set().map(|k| k.group), Some(X_GROUP));
        let s = p(V1_5, Channel::Standard);
        assert_eq!(
            s.tls_route().map(|k| k.api_version),
            Some("gateway.networking.k8s.io/v1")
        );
        assert_eq!(s.listener_set().map(|k| k.kind), Some("ListenerSet"));
    }

    #[test]
    fn experimental_only_features() {
        use GatewayApiVersion::*;
        for v in GatewayApiVersion::ALL {
            assert!(!p(v, Channel::Standard).http_route_retry());
            assert!(!p(v, Channel::Standard).external_auth_filter());
            assert!(p(v, Channel::Experimental).session_persistence());
        }
        assert!(!p(V1_4, Channel::Standard).cors_filter());
        assert!(p(V1_4, Channel::Experimental).cors_filter());
        assert!(p(V1_5, Channel::Standard).cors_filter());
        assert!(!p(V1_4, Channel::Standard).frontend_client_validation());
        assert!(p(V1_5, Channel::Experimental).session_persistence_idle_timeout());
        assert!(!p(V1_6, Channel::Experimental).session_persistence_idle_timeout());
        assert_eq!(p(V1_5, Channel::Standard).tcp_udp_route_api_version(), None);
        assert_eq!(
            p(V1_6, Channel::Standard).tcp_udp_route_api_version(),
            Some("gateway.networking.k8s.io/v1")
        );
    }

    #[test]
    fn versions_parse_and_clamp() {
        assert_eq!(GatewayApiVersion::parse_minor("v1.5.1"), Some((1, 5)));
        assert_eq!(
            GatewayApiVersion::parse_minor("1.3.1-0.20250527223622-54df0a899c1c"),
            Some((1, 3))
        );
        assert_eq!(GatewayApiVersion::parse_minor("x"), None);
        assert_eq!(
            GatewayApiVersion::nearest(1, 3),
            (GatewayApiVersion::V1_4, Fit::OlderThanKnown)
        );
        assert_eq!(
            GatewayApiVersion::nearest(1, 7),
            (GatewayApiVersion::V1_6, Fit::NewerThanKnown)
        );
        assert_eq!(
            GatewayApiVersion::nearest(1, 5),
            (GatewayApiVersion::V1_5, Fit::Exact)
        );
    }
}
