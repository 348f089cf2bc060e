//! The implementation the output is for (`--implementation NAME[@VERSION]`).
//!
//! Passes never look at the target: they record what ingress-nginx does in the
//! IR. The target chooses the emitter (`crate::emit::emitter_for`), the route
//! precedence `verify` models, and (with its version) which Gateway API version
//! and extension resources the output may use.

pub mod gateway_api;
pub mod implementations;
pub mod notes;

use clap::ValueEnum;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A Gateway API implementation ing2gw knows; names as `docs/implementations`
/// spells them.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Implementation {
    /// Standard Gateway API only; any conformant implementation. For `verify`:
    /// every route order the spec allows.
    #[default]
    Standard,
    /// Envoy Gateway (`gateway.envoyproxy.io` policies).
    EnvoyGateway,
    /// Istio (standard Gateway API output; Istio's route sorting in `verify`).
    Istio,
}

impl Implementation {
    pub fn is_standard(&self) -> bool {
        *self == Implementation::Standard
    }
    pub fn name(self) -> &'static str {
        match self {
            Implementation::Standard => "standard",
            Implementation::EnvoyGateway => "envoy-gateway",
            Implementation::Istio => "istio",
        }
    }
    /// Every implementation, in the order help text and tables list them.
    pub const ALL: [Implementation; 3] = [
        Implementation::Standard,
        Implementation::EnvoyGateway,
        Implementation::Istio,
    ];
}

impl fmt::Display for Implementation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `--implementation NAME[@VERSION]`: the implementation and, optionally, the
/// version of it the output must be accepted by (e.g. `envoy-gateway@1.6`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Target {
    pub implementation: Implementation,
    /// As written after `@` (`1.6`, `v1.6.2`), without a leading `v`.
    pub version: Option<String>,
}

impl Target {
    pub fn new(implementation: Implementation) -> Self {
        Target {
            implementation,
            version: None,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{}@{v}", self.implementation),
            None => write!(f, "{}", self.implementation),
        }
    }
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, version) = match s.split_once('@') {
            Some((n, v)) => (n, Some(v)),
            None => (s, None),
        };
        let implementation = Implementation::from_str(name, true).map_err(|_| {
            let names: Vec<_> = Implementation::ALL.iter().map(|i| i.name()).collect();
            format!(
                "unknown implementation `{name}` (expected one of {}, optionally with @VERSION)",
                names.join(", ")
            )
        })?;
        let version = match version {
            None => None,
            Some(v) => {
                let v = v.strip_prefix('v').unwrap_or(v);
                let ok = !v.is_empty()
                    && v.split('.').count() <= 3
                    && v.split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    return Err(format!(
                        "invalid version `{v}` in `{s}` (expected MAJOR.MINOR or MAJOR.MINOR.PATCH)"
                    ));
                }
                Some(v.to_string())
            }
        };
        Ok(Target {
            implementation,
            version,
        })
    }
}

/// Notifications about the target profile of a run.
pub const TARGET_PROFILE: crate::report::Code = crate::report::Code("target-profile");

/// What the run says about its target profile: unknown implementation versions,
/// releases older than ing2gw's oldest Gateway API profile, an explicit
/// `--gateway-api-version` above what the implementation (or the cluster's CRDs)
/// supports, and what was detected in the cluster. Nothing for the defaults.
pub fn profile_notes(
    options: &crate::options::TranslateOptions,
) -> Vec<crate::report::Notification> {
    use crate::report::Notification;
    use gateway_api::Fit;
    let mut out = Vec::new();
    let target = &options.target;
    let profile = target.implementation.profile();
    let resolved = profile.resolve(target.version.as_deref());
    let chosen = options.gateway_api();
    if let Some(asked) = &resolved.requested_unknown {
        out.push(
            Notification::warning(
                TARGET_PROFILE,
                format!(
                    "{} {asked} is not a version ing2gw knows ({}); the output is for {} {}",
                    target.implementation,
                    profile
                        .versions
                        .iter()
                        .map(|v| v.version)
                        .collect::<Vec<_>>()
                        .join(", "),
                    target.implementation,
                    resolved.known.version
                ),
            )
            .suggest("see docs/implementations/README.md for the known versions"),
        );
    }
    if !target.implementation.is_standard() && resolved.gateway_api_fit == Fit::OlderThanKnown {
        out.push(
            Notification::warning(
                TARGET_PROFILE,
                format!(
                    "{} {} is built on Gateway API {}, older than ing2gw's oldest profile {}: the output fits Gateway API {}, whose kinds and versions (e.g. BackendTLSPolicy v1) that release may not serve",
                    target.implementation,
                    resolved.known.version,
                    resolved.known.gateway_api,
                    gateway_api::GatewayApiVersion::ALL[0],
                    chosen.version
                ),
            )
            .suggest("upgrade the implementation, or check the output against its CRDs before applying"),
        );
    }
    if let Some(explicit) = options.gateway_api_version {
        if !target.implementation.is_standard() && explicit > resolved.gateway_api {
            out.push(
                Notification::warning(
                    TARGET_PROFILE,
                    format!(
                        "--gateway-api-version {explicit} is newer than the Gateway API {} that {} {} is built on: it may reject or ignore kinds and fields of {explicit}",
                        resolved.known.gateway_api, target.implementation, resolved.known.version
                    ),
                )
                .suggest(format!("use --gateway-api-version {} or a newer {}", resolved.gateway_api, target.implementation)),
            );
        }
        if let Some(d) = &options.detected_gateway_api
            && explicit > d.version
        {
            out.push(
                Notification::warning(
                    TARGET_PROFILE,
                    format!(
                        "--gateway-api-version {explicit} is newer than the cluster's Gateway API CRDs ({}): the API server may reject what they do not define",
                        d.bundle_version
                    ),
                )
                .suggest("upgrade the Gateway API CRDs first, or drop --gateway-api-version to follow the cluster"),
            );
        }
    }
    if let Some(d) = &options.detected_gateway_api {
        let class = match d.gateway_class_exists {
            Some(true) => format!("; GatewayClass {} exists", d.gateway_class),
            Some(false) => format!("; GatewayClass {} does not exist", d.gateway_class),
            None => String::new(),
        };
        out.push(Notification::info(
            TARGET_PROFILE,
            format!(
                "cluster: Gateway API CRDs {} ({} channel){class}; output for {}",
                d.bundle_version,
                match d.channel {
                    crate::options::Channel::Standard => "standard",
                    crate::options::Channel::Experimental => "experimental",
                },
                chosen.describe()
            ),
        ));
        if d.gateway_class_exists == Some(false) {
            out.push(
                Notification::warning(
                    TARGET_PROFILE,
                    format!(
                        "GatewayClass {} does not exist in the cluster: the generated Gateways stay unaccepted until it does",
                        d.gateway_class
                    ),
                )
                .suggest("pass --gateway-class with the class your implementation installed (kubectl get gatewayclass)"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_and_version() {
        let t: Target = "envoy-gateway@v1.6".parse().unwrap();
        assert_eq!(t.implementation, Implementation::EnvoyGateway);
        assert_eq!(t.version.as_deref(), Some("1.6"));
        assert_eq!(t.to_string(), "envoy-gateway@1.6");
        let t: Target = "standard".parse().unwrap();
        assert_eq!(t, Target::default());
        assert!("envoy".parse::<Target>().is_err());
        assert!("istio@latest".parse::<Target>().is_err());
        assert!("istio@1..2".parse::<Target>().is_err());
    }
}
