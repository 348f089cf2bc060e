//! Implementation profiles: per implementation, the versions ing2gw knows, the
//! Gateway API release each one is built on, the default version and the usual
//! `gatewayClassName`.
//!
//! Sources (see `docs/implementations/README.md`):
//! - Envoy Gateway: the `sigs.k8s.io/gateway-api` requirement in the `go.mod` of
//!   each release (read from the Go module proxy: v1.4.0 → v1.3.0, v1.5.0 → a
//!   v1.3.1 pre-release, v1.6.0 → v1.4.0, v1.7.0 → v1.4.1, v1.8.0 → v1.5.1,
//!   v1.9.0 → v1.6.1), which matches the project's compatibility matrix. Its docs
//!   and quickstart name the GatewayClass `eg`.
//! - Istio: not checked against a primary source in this version of ing2gw
//!   (`checked: false`); its GatewayClass is `istio`.
//! - standard: the versions are the Gateway API releases themselves.

use super::Implementation;
use super::gateway_api::{Fit, GatewayApiVersion};

/// One release of an implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownVersion {
    /// `MAJOR.MINOR`.
    pub version: &'static str,
    /// The Gateway API release it is built on (`MAJOR.MINOR`).
    pub gateway_api: &'static str,
    /// Whether `gateway_api` was read from a primary source (release go.mod or
    /// the project's compatibility matrix).
    pub checked: bool,
}

/// What ing2gw knows about an implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImplementationProfile {
    pub implementation: Implementation,
    /// Oldest first; the last one is the default.
    pub versions: &'static [KnownVersion],
    /// The `gatewayClassName` the implementation's docs and installs use.
    pub default_gateway_class: &'static str,
    /// Why that class (for docs and `--help`).
    pub class_note: &'static str,
}

const fn v(version: &'static str, gateway_api: &'static str, checked: bool) -> KnownVersion {
    KnownVersion {
        version,
        gateway_api,
        checked,
    }
}

/// Default class of `standard`: a name no implementation installs. The ingress
/// class name (the former default) is `nginx` in most clusters, which is also the
/// GatewayClass of NGINX Gateway Fabric: a Gateway of that class would be claimed
/// silently by NGF where it is installed, with its own support for each field.
/// With a class no controller owns, the Gateway stays unaccepted (serving
/// nothing) until `--gateway-class` names the implementation's class; when the
/// cluster is read, a warning says the class does not exist.
pub const STANDARD_GATEWAY_CLASS: &str = "ing2gw";

const STANDARD: ImplementationProfile = ImplementationProfile {
    implementation: Implementation::Standard,
    versions: &[
        v("1.4", "1.4", true),
        v("1.5", "1.5", true),
        v("1.6", "1.6", true),
    ],
    default_gateway_class: STANDARD_GATEWAY_CLASS,
    class_note: "no implementation installs a class of this name: set --gateway-class to your implementation's (the ingress class name `nginx` is NGINX Gateway Fabric's class)",
};

const ENVOY_GATEWAY: ImplementationProfile = ImplementationProfile {
    implementation: Implementation::EnvoyGateway,
    versions: &[
        v("1.4", "1.3", true),
        v("1.5", "1.3", true),
        v("1.6", "1.4", true),
        v("1.7", "1.4", true),
        v("1.8", "1.5", true),
        v("1.9", "1.6", true),
    ],
    default_gateway_class: "eg",
    class_note: "the GatewayClass of Envoy Gateway's quickstart and docs",
};

const ISTIO: ImplementationProfile = ImplementationProfile {
    implementation: Implementation::Istio,
    versions: &[
        v("1.26", "1.3", false),
        v("1.27", "1.3", false),
        v("1.28", "1.4", false),
    ],
    default_gateway_class: "istio",
    class_note: "the GatewayClass istiod creates",
};

impl Implementation {
    pub fn profile(self) -> &'static ImplementationProfile {
        match self {
            Implementation::Standard => &STANDARD,
            Implementation::EnvoyGateway => &ENVOY_GATEWAY,
            Implementation::Istio => &ISTIO,
        }
    }
}

/// How a requested implementation version was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedVersion {
    pub known: KnownVersion,
    /// The version asked for is not in the table (the nearest known one is used).
    pub requested_unknown: Option<String>,
    /// The Gateway API profile it supports, and how the release fits ing2gw's profiles.
    pub gateway_api: GatewayApiVersion,
    pub gateway_api_fit: Fit,
}

impl ImplementationProfile {
    pub fn default_version(&self) -> KnownVersion {
        // The tables above are never empty.
        self.versions[self.versions.len() - 1]
    }

    /// The known release for `requested` (`MAJOR.MINOR[.PATCH]`), or the nearest.
    pub fn resolve(&self, requested: Option<&str>) -> ResolvedVersion {
        let minor = |s: &str| GatewayApiVersion::parse_minor(s);
        let (known, unknown) = match requested {
            None => (self.default_version(), None),
            Some(r) => {
                let want = minor(r);
                match self.versions.iter().find(|k| minor(k.version) == want) {
                    Some(k) => (*k, None),
                    None => {
                        let older = want.is_some_and(|w| {
                            minor(self.versions[0].version).is_some_and(|first| w < first)
                        });
                        let k = if older {
                            self.versions[0]
                        } else {
                            self.default_version()
                        };
                        (k, Some(r.to_string()))
                    }
                }
            }
        };
        let (ma, mi) = minor(known.gateway_api).unwrap_or((1, 6));
        let (gateway_api, gateway_api_fit) = GatewayApiVersion::nearest(ma, mi);
        ResolvedVersion {
            known,
            requested_unknown: unknown,
            gateway_api,
            gateway_api_fit,
        }
    }
}

/// The Markdown tables of `docs/implementations/README.md` (between its
/// `<!-- generated:targets -->` markers; `tests/implementations_doc.rs` keeps them
/// current): implementations with versions and classes, then the Gateway API
/// profiles.
pub fn markdown_tables() -> String {
    use super::gateway_api::{GatewayApiProfile, GatewayApiVersion};
    use crate::options::Channel;
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str("| Implementation | Version | Gateway API it is built on | Source checked | Default `gatewayClassName` |\n|---|---|---|---|---|\n");
    for imp in Implementation::ALL {
        let p = imp.profile();
        let default = p.default_version();
        for v in p.versions {
            let _ = writeln!(
                out,
                "| `{}` | {}{} | {} | {} | {} |",
                imp.name(),
                v.version,
                if *v == default { " (default)" } else { "" },
                v.gateway_api,
                if v.checked { "yes" } else { "no" },
                if p.default_gateway_class.is_empty() {
                    "the ingress class name".to_string()
                } else {
                    format!("`{}`", p.default_gateway_class)
                }
            );
        }
    }
    out.push_str("\n| Kind / field |");
    let profiles: Vec<GatewayApiProfile> = GatewayApiVersion::ALL
        .iter()
        .flat_map(|v| {
            [Channel::Standard, Channel::Experimental].map(|c| GatewayApiProfile::new(*v, c))
        })
        .collect();
    for p in &profiles {
        let _ = write!(
            out,
            " {} {} |",
            p.version,
            match p.channel {
                Channel::Standard => "std",
                Channel::Experimental => "exp",
            }
        );
    }
    out.push_str("\n|---|");
    for _ in &profiles {
        out.push_str("---|");
    }
    out.push('\n');
    let rows: Vec<Vec<(&str, String)>> = profiles.iter().map(|p| p.features()).collect();
    for (i, (name, _)) in rows[0].iter().enumerate() {
        let _ = write!(out, "| {name} |");
        for r in &rows {
            let _ = write!(out, " {} |", r[i].1);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envoy_gateway_versions_follow_their_go_mod() {
        let p = Implementation::EnvoyGateway.profile();
        assert_eq!(p.default_version().version, "1.9");
        let r = p.resolve(Some("1.6.2"));
        assert_eq!(r.known.version, "1.6");
        assert_eq!(r.gateway_api, GatewayApiVersion::V1_4);
        assert_eq!(r.requested_unknown, None);
        let r = p.resolve(Some("1.5"));
        assert_eq!(
            (r.gateway_api, r.gateway_api_fit),
            (GatewayApiVersion::V1_4, Fit::OlderThanKnown)
        );
        let r = p.resolve(None);
        assert_eq!(r.gateway_api, GatewayApiVersion::V1_6);
        let r = p.resolve(Some("2.0"));
        assert_eq!(
            (r.known.version, r.requested_unknown.as_deref()),
            ("1.9", Some("2.0"))
        );
        let r = p.resolve(Some("1.1"));
        assert_eq!(r.known.version, "1.4");
    }

    #[test]
    fn classes_do_not_collide() {
        let classes: Vec<_> = Implementation::ALL
            .iter()
            .map(|i| i.profile().default_gateway_class)
            .collect();
        assert_eq!(classes, [STANDARD_GATEWAY_CLASS, "eg", "istio"]);
        // `nginx` is NGINX Gateway Fabric's GatewayClass.
        assert!(!classes.contains(&"nginx"));
    }

    #[test]
    fn standard_versions_are_gateway_api_versions() {
        let p = Implementation::Standard.profile();
        for v in GatewayApiVersion::ALL {
            assert_eq!(p.resolve(Some(v.as_str())).gateway_api, v);
        }
    }
}
