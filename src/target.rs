//! The implementation the output is for (`--implementation NAME[@VERSION]`).
//!
//! Passes never look at the target: they record what ingress-nginx does in the
//! IR. The target chooses the emitter (`crate::emit::emitter_for`), the route
//! precedence `verify` models, and (with its version) which Gateway API version
//! and extension resources the output may use.

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
