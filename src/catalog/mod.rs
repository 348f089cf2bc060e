//! The ingress-nginx annotation catalog: every annotation the controller knows, with
//! how ing2gw handles it. `ing2gw annotations`, `docs/annotations.md`, `ing2gw scan`
//! and the unhandled-annotation check all read this one table.

use serde::Serialize;

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

/// Where ingress-nginx applies an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Location,
    Server,
    Upstream,
    HostWide,
    Ingress,
}

/// One annotation of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnnotationInfo {
    /// Key without the `nginx.ingress.kubernetes.io/` prefix.
    pub name: &'static str,
    pub support: Support,
    pub scope: Scope,
    /// Security-relevant or risky (snippets, auth, allow-lists …).
    pub risky: bool,
    /// One line: what ing2gw does with it.
    pub note: &'static str,
}

/// The catalog, sorted by name. Filled from reference §1 (issue 5).
pub static ANNOTATIONS: &[AnnotationInfo] = &[];

/// Looks an annotation up by its name without prefix.
pub fn lookup(name: &str) -> Option<&'static AnnotationInfo> {
    ANNOTATIONS
        .binary_search_by(|a| a.name.cmp(name))
        .ok()
        .map(|i| &ANNOTATIONS[i])
}
