use super::{Backend, GatewayId, Provenance, Rules, SecretRef};
use crate::report::ObjectRef;
use std::fmt;

/// A hostname of a virtual host, or the catch-all server (`_`) of host-less rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HostKey {
    /// Rules without `host`: ingress-nginx's default server `_`.
    CatchAll,
    Named(String),
}

impl HostKey {
    /// The virtual host of an Ingress rule's `host` field: ingress-nginx lowercases
    /// names and serves a missing or empty host from the catch-all server.
    pub fn of_rule(host: Option<&str>) -> Self {
        match host {
            Some(h) if !h.is_empty() => HostKey::Named(h.to_ascii_lowercase()),
            _ => HostKey::CatchAll,
        }
    }
    pub fn hostname(&self) -> Option<&str> {
        match self {
            HostKey::CatchAll => None,
            HostKey::Named(h) => Some(h),
        }
    }
    /// The nginx `server_name` of the rule's virtual host: the lowercased host, or
    /// `_` for the catch-all server. Every command (print, scan, verify, diff) groups
    /// hosts through [`HostKey::of_rule`], so `Shop.Example.com` and
    /// `shop.example.com` are one host everywhere, as in ingress-nginx.
    pub fn server_name(host: Option<&str>) -> String {
        match Self::of_rule(host) {
            HostKey::CatchAll => CATCH_ALL_SERVER.to_string(),
            HostKey::Named(h) => h,
        }
    }
}

/// nginx's name for the catch-all server (rules without host).
pub const CATCH_ALL_SERVER: &str = "_";

impl fmt::Display for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostKey::CatchAll => f.write_str("(any host)"),
            HostKey::Named(h) => f.write_str(h),
        }
    }
}

/// Identity of a virtual host: its gateway and hostname.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostId {
    pub gateway: GatewayId,
    pub host: HostKey,
}

/// One ingress-nginx `server`: every rule for a hostname, across Ingresses and namespaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualHost {
    pub id: HostId,
    /// The first Ingress (sorted order) with a rule for this host: it created the
    /// server and owns the implicit `/` location.
    pub owner: ObjectRef,
    /// Rules in ingress-nginx insertion order (sorted Ingresses, then rule, then path).
    /// Added only through [`super::Hosts::push_rule`], which keeps the index by Ingress.
    pub rules: Rules,
    /// TLS: set when any Ingress with a rule for this host has a non-empty `spec.tls`.
    pub tls: Option<HostTls>,
    /// Regex mode (use-regex / rewrite-target on any Ingress of the host).
    pub regex_mode: Option<RegexMode>,
    pub implicit_root: ImplicitRoot,
}

/// Why a host is in regex mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexMode {
    /// The first Ingress that switched the host to regex mode, and the annotation.
    pub cause: ObjectRef,
    pub annotation: String,
}

/// TLS of a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostTls {
    /// None: ingress-nginx serves its default certificate for this host.
    pub secret: Option<SecretRef>,
    pub from: Provenance,
}

/// The implicit `/` location ingress-nginx creates with every server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplicitRoot {
    /// The owner Ingress's `spec.defaultBackend`, if any (else the controller's default backend, 404).
    pub backend: Option<Backend>,
    /// What plain HTTP requests to unmatched paths get (owner's ssl-redirect).
    pub https_redirect: Option<HttpsRedirect>,
    pub from: Provenance,
}

/// ingress-nginx's HTTP→HTTPS redirect for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpsRedirect {
    pub status: u16,
    /// True when ingress-nginx strips one trailing slash (no preserve-trailing-slash).
    pub strips_slash: bool,
}
