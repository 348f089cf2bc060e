//! The ingress-nginx annotation catalog: every annotation the controller knows, with
//! how ing2gw handles it. `ing2gw annotations`, `docs/annotations.md`, `ing2gw scan`,
//! controller validation and the unhandled-annotation check all read this one table.
//!
//! The data (reference §1 of `ingress-nginx-semantics.md`, controller v1.15.1) lives
//! in [`data`]; value syntax checks in [`validate`]; the rendered forms (table, JSON,
//! Markdown) in [`render`].

pub mod configmap;
pub mod coverage;
mod data;
pub mod render;
pub mod validate;

pub use data::ANNOTATIONS;
use serde::Serialize;
pub use validate::Validator;

/// How ing2gw handles an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Translated to standard Gateway API with the same behaviour.
    Translated,
    /// Translated with a difference that a notification explains.
    Approximated,
    /// Needs an implementation-specific resource (named in the notification).
    ImplementationSpecific,
    /// Not translatable; a notification says what to do instead.
    Unsupported,
}

impl Support {
    pub const ALL: [Support; 4] = [
        Support::Translated,
        Support::Approximated,
        Support::ImplementationSpecific,
        Support::Unsupported,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Translated => "translated",
            Support::Approximated => "approximated",
            Support::ImplementationSpecific => "implementation-specific",
            Support::Unsupported => "unsupported",
        }
    }
}

/// Where ingress-nginx applies an annotation (reference §1.0 "Level").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Every location generated from the Ingress.
    Location,
    /// The server (host): first Ingress in sorted order with a value wins.
    Server,
    /// The upstream (`ns-svc-port`): first Ingress referencing it wins.
    Upstream,
    /// Location, plus a side effect on every Ingress of the same host.
    HostWide,
    /// The Ingress as a whole (canary marks).
    Ingress,
    /// The whole controller (stream block).
    Global,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Location => "location",
            Scope::Server => "server",
            Scope::Upstream => "upstream",
            Scope::HostWide => "host-wide",
            Scope::Ingress => "ingress",
            Scope::Global => "global",
        }
    }
}

/// The controller's risk level of an annotation (`annotations-risk-level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "PascalCase")]
pub enum Risk {
    Low,
    Medium,
    High,
    Critical,
}

impl Risk {
    /// Parses a ConfigMap value the way the controller does (case-insensitive).
    pub fn parse(s: &str) -> Option<Risk> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Some(Risk::Low),
            "medium" => Some(Risk::Medium),
            "high" => Some(Risk::High),
            "critical" => Some(Risk::Critical),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "Low",
            Risk::Medium => "Medium",
            Risk::High => "High",
            Risk::Critical => "Critical",
        }
    }
}

/// What the controller does when the value fails validation (reference §1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnInvalid {
    /// The parser falls back to the default value.
    Default,
    /// `Extract` fails: the whole Ingress is ignored (the webhook denies it).
    RejectIngress,
    /// The annotation group is dropped as if absent (external auth: paths are open).
    DropGroup,
    /// Every location of the Ingress answers 503.
    DenyLocation,
}

/// Annotation family: one translation pass (or catalog-only notice) per family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Rewrite,
    Redirect,
    Cors,
    BasicAuth,
    ExternalAuth,
    ClientCert,
    RateLimit,
    AccessControl,
    Canary,
    Affinity,
    BackendProtocol,
    Fastcgi,
    Timeouts,
    Buffering,
    Headers,
    Tls,
    Mirror,
    Modsecurity,
    Opentelemetry,
    Logging,
    Snippets,
    ErrorPages,
    ServerAlias,
    LoadBalancing,
}

impl Family {
    /// Kebab-case name, also the folder under `testdata/annotations/`.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Rewrite => "rewrite",
            Family::Redirect => "redirect",
            Family::Cors => "cors",
            Family::BasicAuth => "basic-auth",
            Family::ExternalAuth => "external-auth",
            Family::ClientCert => "client-cert",
            Family::RateLimit => "rate-limit",
            Family::AccessControl => "access-control",
            Family::Canary => "canary",
            Family::Affinity => "affinity",
            Family::BackendProtocol => "backend-protocol",
            Family::Fastcgi => "fastcgi",
            Family::Timeouts => "timeouts",
            Family::Buffering => "buffering",
            Family::Headers => "headers",
            Family::Tls => "tls",
            Family::Mirror => "mirror",
            Family::Modsecurity => "modsecurity",
            Family::Opentelemetry => "opentelemetry",
            Family::Logging => "logging",
            Family::Snippets => "snippets",
            Family::ErrorPages => "error-pages",
            Family::ServerAlias => "server-alias",
            Family::LoadBalancing => "load-balancing",
        }
    }
}

/// One annotation of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnnotationInfo {
    /// Key without the `nginx.ingress.kubernetes.io/` prefix.
    pub name: &'static str,
    /// For an alias (`whitelist-source-range`): the canonical name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<&'static str>,
    pub family: Family,
    pub support: Support,
    pub scope: Scope,
    /// The controller's risk level.
    pub risk: Risk,
    /// Security-relevant or risky (snippets, auth, allow-lists …): a translation
    /// must never be more open than the Ingress.
    pub risky: bool,
    /// Accepted value syntax (checked when annotation validation is on).
    pub syntax: Validator,
    /// Default value (and ConfigMap key) when absent; empty when none.
    pub default: &'static str,
    /// What the controller does with a value that fails validation.
    pub on_invalid: OnInvalid,
    /// One line: what the annotation does in ingress-nginx.
    pub nginx: &'static str,
    /// One line: what ing2gw does with it, naming the Gateway API feature or the
    /// implementation resource to use instead.
    pub note: &'static str,
}

impl AnnotationInfo {
    /// The canonical name (the alias target for an alias).
    pub fn canonical(&self) -> &'static str {
        self.alias_of.unwrap_or(self.name)
    }
}

/// Looks an annotation up by its name without prefix.
pub fn lookup(name: &str) -> Option<&'static AnnotationInfo> {
    ANNOTATIONS
        .binary_search_by(|a| a.name.cmp(name))
        .ok()
        .map(|i| &ANNOTATIONS[i])
}

/// Canonical annotations (aliases excluded).
pub fn canonical() -> impl Iterator<Item = &'static AnnotationInfo> {
    ANNOTATIONS.iter().filter(|a| a.alias_of.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_lists_136_annotations_and_2_aliases() {
        assert_eq!(canonical().count(), 136);
        assert_eq!(ANNOTATIONS.len(), 138);
    }

    #[test]
    fn sorted_and_unique() {
        for w in ANNOTATIONS.windows(2) {
            assert!(
                w[0].name < w[1].name,
                "catalog not sorted/unique at {} / {}",
                w[0].name,
                w[1].name
            );
        }
    }

    #[test]
    fn aliases_point_to_canonical_entries_with_the_same_data() {
        for a in ANNOTATIONS.iter().filter(|a| a.alias_of.is_some()) {
            let c = lookup(a.canonical()).expect("alias target exists");
            assert!(c.alias_of.is_none());
            assert_eq!(
                (c.family, c.support, c.risk, c.syntax),
                (a.family, a.support, a.risk, a.syntax)
            );
        }
    }

    #[test]
    fn lookup_finds_every_entry_and_nothing_else() {
        for a in ANNOTATIONS {
            assert_eq!(lookup(a.name).map(|x| x.name), Some(a.name));
        }
        assert!(lookup("no-such-annotation").is_none());
    }

    #[test]
    fn notes_are_single_lines() {
        for a in ANNOTATIONS {
            for text in [a.nginx, a.note] {
                assert!(!text.is_empty(), "{} has an empty text", a.name);
                assert!(!text.contains('\n') && !text.contains('|'), "{}", a.name);
            }
        }
    }

    #[test]
    fn implementation_specific_notes_name_a_resource() {
        const RESOURCES: &[&str] = &[
            "SecurityPolicy",
            "BackendTrafficPolicy",
            "ClientTrafficPolicy",
            "TrafficPolicy",
            "BackendConfigPolicy",
            "EnvoyExtensionPolicy",
            "EnvoyProxy",
            "AuthorizationPolicy",
            "DestinationRule",
            "WAFPolicy",
            "ClientSettingsPolicy",
            "ProxySettingsPolicy",
            "UpstreamSettingsPolicy",
            "RateLimitPolicy",
            "AuthenticationFilter",
            "ObservabilityPolicy",
            "Backend",
            "basicAuthentication",
        ];
        for a in ANNOTATIONS
            .iter()
            .filter(|a| a.support == Support::ImplementationSpecific)
        {
            assert!(
                RESOURCES.iter().any(|r| a.note.contains(r)),
                "{}: note names no implementation resource: {}",
                a.name,
                a.note
            );
        }
    }

    #[test]
    fn snippets_are_critical_and_risky() {
        for a in ANNOTATIONS.iter().filter(|a| a.name.ends_with("-snippet")) {
            assert_eq!(a.risk, Risk::Critical, "{}", a.name);
            assert!(a.risky);
        }
    }
}
