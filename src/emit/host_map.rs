//! `--host-map FROM=TO`: serve the translation on a parallel test domain.
//!
//! ## Why
//! During a cutover the Gateway runs beside ingress-nginx. Before DNS moves, it
//! can be tested on real traffic under other names (`shop.example.com` served as
//! `shop.canary.example.com`). The map rewrites the hostnames of the generated
//! objects *after* translation: every ingress-nginx semantic (which Ingress owns
//! a host, regex mode, canary, TLS) is computed on the original hosts, so the
//! mapped output behaves like the unmapped one under other names.
//!
//! ## Forms
//! * exact: `shop.example.com=shop.canary.example.com`;
//! * suffix (glob): `*.example.com=*.canary.example.com` maps every host under
//!   `example.com` (one or more labels, as a Gateway API wildcard matches), the
//!   wildcard host `*.example.com` itself included, never `example.com`.
//!
//! Both sides have the same form. Two entries that can match the same host
//! (the same exact host twice, an exact host under a suffix, nested suffixes)
//! are ambiguous: a usage error (exit 2). A mapped name is never mapped again.
//!
//! ## What is rewritten
//! Listener hostnames (Gateway and ListenerSet), route `hostnames` (HTTPRoute,
//! GRPCRoute, TLSRoute) and the `hostname` of RequestRedirect / URLRewrite
//! filters (a `www` redirect stays inside the test domain). Listener and route
//! names stay as they are (parentRefs keep working). Backend hostnames
//! (BackendTLSPolicy SNI) and implementation resources are left alone: they name
//! upstreams, not the names clients use.
//!
//! ## What we warn
//! * an entry that matches no host (`host-map-unused`, warning);
//! * two hosts that would end up with one name (`host-map-collision`, error:
//!   nothing is rewritten);
//! * an HTTPS listener whose certificate Secret was issued for the old name
//!   (`host-map-certificate`, warning): clients get a name mismatch. With
//!   cert-manager annotations on the Gateway and a Secret of the Gateway's
//!   namespace, the reference is renamed to a new Secret so cert-manager's
//!   Gateway support requests a new Certificate for the new name
//!   (`host-map-certificate-requested`, info) without touching the Secret the
//!   Ingress still uses;
//! * an external-dns `hostname` annotation naming a host the map does not cover
//!   (`host-map-dns-hostname`, warning): left out, or external-dns would move
//!   the production record to the Gateway during the test. Covered names, and
//!   cert-manager's `common-name`, follow the map.

use crate::gwapi::{GatewayObject, HttpRouteFilter, Listener, ObjectReference};
use crate::report::{Code, Notification, ObjectRef, Report};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

pub const HOST_MAP_UNUSED: Code = Code("host-map-unused");
pub const HOST_MAP_COLLISION: Code = Code("host-map-collision");
pub const HOST_MAP_CERTIFICATE: Code = Code("host-map-certificate");
pub const HOST_MAP_CERTIFICATE_REQUESTED: Code = Code("host-map-certificate-requested");
/// The hosts the map rewrote (one info; `verify` reports every pair).
pub const HOST_MAPPED: Code = Code("host-mapped");
/// An external-dns `hostname` the map does not cover, dropped from the output.
pub const HOST_MAP_DNS_NAME: Code = Code("host-map-dns-hostname");

/// Annotations carried from other controllers whose values are host names.
const DNS_HOSTNAME_KEYS: &[&str] = &[
    "external-dns.alpha.kubernetes.io/hostname",
    "external-dns.kubernetes.io/hostname",
];
const COMMON_NAME_KEY: &str = "cert-manager.io/common-name";

/// Suffix of the Secret a mapped listener asks cert-manager for.
const MAPPED_SECRET_SUFFIX: &str = "hostmap";

/// One side of an entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum HostPattern {
    /// One host name, lowercased.
    Exact(String),
    /// `*.example.com`: stored as the suffix `.example.com`.
    Suffix(String),
}

impl HostPattern {
    fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        let (suffix, name) = match s.strip_prefix("*.") {
            Some(rest) => (true, rest.to_string()),
            None => (false, s.clone()),
        };
        if name.is_empty() {
            return Err(format!("`{s}` is not a host name"));
        }
        for label in name.split('.') {
            let ok = !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-');
            if !ok {
                return Err(format!(
                    "`{s}` is not a host name (labels of letters, digits and `-`; a wildcard only as a leading `*.`)"
                ));
            }
        }
        if name.len() > 253 {
            return Err(format!("`{s}` is longer than 253 characters"));
        }
        Ok(if suffix {
            HostPattern::Suffix(format!(".{name}"))
        } else {
            HostPattern::Exact(name)
        })
    }

    /// Whether some host matches both patterns.
    fn overlaps(&self, other: &HostPattern) -> bool {
        use HostPattern::*;
        match (self, other) {
            (Exact(a), Exact(b)) => a == b,
            (Exact(h), Suffix(s)) | (Suffix(s), Exact(h)) => h.ends_with(s.as_str()),
            (Suffix(a), Suffix(b)) => a.ends_with(b.as_str()) || b.ends_with(a.as_str()),
        }
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostPattern::Exact(h) => f.write_str(h),
            HostPattern::Suffix(s) => write!(f, "*{s}"),
        }
    }
}

/// One `--host-map FROM=TO`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostMapEntry {
    pub from: HostPattern,
    pub to: HostPattern,
}

impl FromStr for HostMapEntry {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let Some((from, to)) = s.split_once('=') else {
            return Err(format!(
                "expected FROM=TO (e.g. shop.example.com=shop.canary.example.com or *.example.com=*.canary.example.com), got `{s}`"
            ));
        };
        let from = HostPattern::parse(from)?;
        let to = HostPattern::parse(to)?;
        match (&from, &to) {
            (HostPattern::Exact(_), HostPattern::Suffix(_))
            | (HostPattern::Suffix(_), HostPattern::Exact(_)) => {
                return Err(format!(
                    "`{s}`: both sides must be exact hosts, or both `*.` suffixes"
                ));
            }
            _ => {}
        }
        if from == to {
            return Err(format!("`{s}` maps a host to itself"));
        }
        Ok(HostMapEntry { from, to })
    }
}

impl fmt::Display for HostMapEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.from, self.to)
    }
}

/// A validated set of entries: no two of them can match the same host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostMap {
    entries: Vec<HostMapEntry>,
}

impl HostMap {
    /// Validates `entries`; the error names the two ambiguous entries.
    pub fn new(entries: &[HostMapEntry]) -> Result<Self, String> {
        for (i, a) in entries.iter().enumerate() {
            for b in &entries[i + 1..] {
                if a.from.overlaps(&b.from) {
                    return Err(format!(
                        "--host-map entries `{a}` and `{b}` can both match the same host: give one entry per host (an exact host under a `*.` suffix, or nested suffixes, are ambiguous)"
                    ));
                }
            }
        }
        let mut entries = entries.to_vec();
        entries.sort();
        Ok(HostMap { entries })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[HostMapEntry] {
        &self.entries
    }

    /// The entry that matches `host` and the name it gives, if any.
    fn lookup(&self, host: &str) -> Option<(usize, String)> {
        let host = host.to_ascii_lowercase();
        self.entries
            .iter()
            .enumerate()
            .find_map(|(i, e)| match (&e.from, &e.to) {
                (HostPattern::Exact(f), HostPattern::Exact(t)) if *f == host => {
                    Some((i, t.clone()))
                }
                (HostPattern::Suffix(f), HostPattern::Suffix(t))
                    if host.len() > f.len() && host.ends_with(f.as_str()) =>
                {
                    Some((i, format!("{}{t}", &host[..host.len() - f.len()])))
                }
                _ => None,
            })
    }

    /// The name a request for `original` is sent with: the mapped name, or
    /// `original` when no entry matches. The hook `verify --live` uses to probe
    /// the Gateway on the test domain.
    pub fn sent_host(&self, original: &str) -> String {
        self.lookup(original)
            .map(|(_, h)| h)
            .unwrap_or_else(|| original.to_string())
    }

    /// The inverse of [`HostMap::sent_host`]: the original name of a host the
    /// Gateway serves under the map (used to read a live `Location` back in the
    /// names the models speak), or `sent` itself.
    pub fn original_host(&self, sent: &str) -> String {
        let sent = sent.to_ascii_lowercase();
        self.entries
            .iter()
            .find_map(|e| match (&e.from, &e.to) {
                (HostPattern::Exact(f), HostPattern::Exact(t)) if *t == sent => Some(f.clone()),
                (HostPattern::Suffix(f), HostPattern::Suffix(t))
                    if sent.len() > t.len() && sent.ends_with(t.as_str()) =>
                {
                    Some(format!("{}{f}", &sent[..sent.len() - t.len()]))
                }
                _ => None,
            })
            .unwrap_or(sent)
    }
}

/// What [`apply`] did: original host → the name it is served under now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapped {
    pub hosts: BTreeMap<String, String>,
}

impl Mapped {
    /// Gives back the original names in `objects` (for the offline model, which
    /// probes the original hosts).
    pub fn unmap(&self, objects: &mut [GatewayObject]) {
        let back: BTreeMap<String, String> = self
            .hosts
            .iter()
            .map(|(o, m)| (m.clone(), o.clone()))
            .collect();
        rewrite_all(objects, &|h: &str| {
            back.get(&h.to_ascii_lowercase()).cloned()
        });
    }
}

/// Every hostname the objects serve (listeners and routes).
fn served_hosts(objects: &[GatewayObject]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let listeners = |ls: &[Listener], out: &mut BTreeSet<String>| {
        for l in ls {
            if let Some(h) = &l.hostname {
                out.insert(h.to_ascii_lowercase());
            }
        }
    };
    for o in objects {
        match o {
            GatewayObject::Gateway(g) => listeners(&g.spec.listeners, &mut out),
            GatewayObject::ListenerSet(s) => listeners(&s.spec.listeners, &mut out),
            GatewayObject::HttpRoute(r) => {
                out.extend(r.spec.hostnames.iter().map(|h| h.to_ascii_lowercase()))
            }
            GatewayObject::GrpcRoute(r) => {
                out.extend(r.spec.hostnames.iter().map(|h| h.to_ascii_lowercase()))
            }
            GatewayObject::TlsRoute(r) => {
                out.extend(r.spec.hostnames.iter().map(|h| h.to_ascii_lowercase()))
            }
            _ => {}
        }
    }
    out
}

/// Rewrites every served hostname (and redirect/rewrite hostname) `f` maps.
fn rewrite_all(objects: &mut [GatewayObject], f: &dyn Fn(&str) -> Option<String>) {
    let host = |h: &mut String| {
        if let Some(n) = f(h) {
            *h = n;
        }
    };
    let filters = |fs: &mut [HttpRouteFilter]| {
        for flt in fs {
            if let Some(h) = flt
                .request_redirect
                .as_mut()
                .and_then(|r| r.hostname.as_mut())
            {
                host(h);
            }
            if let Some(h) = flt.url_rewrite.as_mut().and_then(|r| r.hostname.as_mut()) {
                host(h);
            }
        }
    };
    for o in objects {
        match o {
            GatewayObject::Gateway(g) => g
                .spec
                .listeners
                .iter_mut()
                .filter_map(|l| l.hostname.as_mut())
                .for_each(host),
            GatewayObject::ListenerSet(s) => s
                .spec
                .listeners
                .iter_mut()
                .filter_map(|l| l.hostname.as_mut())
                .for_each(host),
            GatewayObject::HttpRoute(r) => {
                r.spec.hostnames.iter_mut().for_each(host);
                for rule in &mut r.spec.rules {
                    filters(&mut rule.filters);
                    for b in &mut rule.backend_refs {
                        filters(&mut b.filters);
                    }
                }
            }
            GatewayObject::GrpcRoute(r) => r.spec.hostnames.iter_mut().for_each(host),
            GatewayObject::TlsRoute(r) => r.spec.hostnames.iter_mut().for_each(host),
            _ => {}
        }
    }
}

/// Annotations that make cert-manager's Gateway support issue listener certificates.
fn cert_manager_on(annotations: &crate::gwapi::Annotations) -> bool {
    annotations.contains_key("cert-manager.io/issuer")
        || annotations.contains_key("cert-manager.io/cluster-issuer")
}

/// Applies `map` to `objects` (after translation); notifications go to `report`.
pub fn apply(map: &HostMap, objects: &mut [GatewayObject], report: &mut Report) -> Mapped {
    if map.is_empty() {
        return Mapped::default();
    }
    let served = served_hosts(objects);
    let mut used = vec![false; map.entries.len()];
    let mut table = BTreeMap::new();
    for h in &served {
        if let Some((i, to)) = map.lookup(h) {
            used[i] = true;
            table.insert(h.clone(), to);
        }
    }
    for (e, _) in map.entries.iter().zip(&used).filter(|(_, u)| !**u) {
        report.push(
            Notification::warning(
                HOST_MAP_UNUSED,
                format!("--host-map `{e}` matches no host of the translation: nothing was rewritten for it"),
            )
            .field("--host-map")
            .suggest("check the spelling; hosts are compared lowercased, and `*.example.com` does not match `example.com` itself"),
        );
    }
    // Two originals ending up with one name would merge two virtual hosts.
    let mut finals: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for h in &served {
        finals
            .entry(table.get(h).cloned().unwrap_or_else(|| h.clone()))
            .or_default()
            .push(h);
    }
    let collisions: Vec<_> = finals.iter().filter(|(_, o)| o.len() > 1).collect();
    if !collisions.is_empty() {
        for (name, originals) in collisions {
            let originals: Vec<&str> = originals.iter().map(|s| s.as_str()).collect();
            report.push(
                Notification::error(
                    HOST_MAP_COLLISION,
                    format!("--host-map gives {} the same name `{name}`: their routes would merge; no host was rewritten", originals.join(" and ")),
                )
                .field("--host-map")
                .suggest("map to names no other host uses (a test domain of its own)"),
            );
        }
        return Mapped::default();
    }
    // One line, not one per host: estates map thousands of hosts.
    const SHOWN: usize = 10;
    let mut list: Vec<String> = table
        .iter()
        .take(SHOWN)
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    if table.len() > SHOWN {
        list.push(format!("and {} more", table.len() - SHOWN));
    }
    report.push(
        Notification::info(
            HOST_MAPPED,
            format!(
                "{} host(s) served under new names: {}",
                table.len(),
                list.join(", ")
            ),
        )
        .field("--host-map"),
    );
    certificates(objects, &table, report);
    rewrite_all(objects, &|h: &str| {
        table.get(&h.to_ascii_lowercase()).cloned()
    });
    carried_names(map, objects, report);
    Mapped { hosts: table }
}

/// Host names in carried annotations follow the map: an external-dns `hostname`
/// left on the original name would publish the production name at the Gateway
/// during the test (dropped, with a warning, when the map does not cover it);
/// cert-manager's `common-name` must be one of the new names.
fn carried_names(map: &HostMap, objects: &mut [GatewayObject], report: &mut Report) {
    for o in objects.iter_mut() {
        let (kind, meta) = match o {
            GatewayObject::Gateway(g) => ("Gateway", &mut g.metadata),
            GatewayObject::HttpRoute(r) => ("HTTPRoute", &mut r.metadata),
            GatewayObject::GrpcRoute(r) => ("GRPCRoute", &mut r.metadata),
            GatewayObject::TlsRoute(r) => ("TLSRoute", &mut r.metadata),
            _ => continue,
        };
        let object = ObjectRef::new(kind, meta.namespace.as_deref(), &meta.name);
        if let Some(cn) = meta.annotations.get_mut(COMMON_NAME_KEY) {
            *cn = map.sent_host(cn.trim());
        }
        for key in DNS_HOSTNAME_KEYS {
            let Some(value) = meta.annotations.get(key) else {
                continue;
            };
            let mut kept = Vec::new();
            let mut dropped = Vec::new();
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match map.lookup(name) {
                    Some((_, to)) => kept.push(to),
                    None => dropped.push(name.to_string()),
                }
            }
            if !dropped.is_empty() {
                report.push(
                    Notification::warning(HOST_MAP_DNS_NAME, format!("`{key}` names {} that --host-map does not cover: external-dns would point the production name at the Gateway during the test, so it is left out of this output", dropped.join(", ")))
                        .object(&object)
                        .field(key.to_string())
                        .suggest("add a --host-map entry for it, or publish it once the test is over (output without --host-map)"),
                );
            }
            if kept.is_empty() {
                meta.annotations.remove(key);
            } else {
                meta.annotations.insert(key.to_string(), kept.join(","));
            }
        }
    }
}

/// Flags (or, with cert-manager, re-requests) the certificates of mapped listeners.
fn certificates(
    objects: &mut [GatewayObject],
    table: &BTreeMap<String, String>,
    report: &mut Report,
) {
    for o in objects.iter_mut() {
        let (kind, meta, listeners, cert_manager) = match o {
            GatewayObject::Gateway(g) => {
                let cm = cert_manager_on(&g.metadata.annotations);
                ("Gateway", &g.metadata, &mut g.spec.listeners, cm)
            }
            // cert-manager's Gateway support does not read ListenerSets (before v1.20).
            GatewayObject::ListenerSet(s) => {
                ("ListenerSet", &s.metadata, &mut s.spec.listeners, false)
            }
            _ => continue,
        };
        let namespace = meta.namespace.clone().unwrap_or_default();
        let object = ObjectRef::new(kind, Some(&namespace), &meta.name);
        for l in listeners.iter_mut() {
            let Some(host) = l.hostname.as_deref().map(str::to_ascii_lowercase) else {
                continue;
            };
            let Some(new) = table.get(&host) else {
                continue;
            };
            let Some(tls) = l.tls.as_mut() else { continue };
            if tls.mode.as_deref() == Some("Passthrough") {
                continue;
            }
            for r in &mut tls.certificate_refs {
                let same_ns = r.namespace.as_deref().is_none_or(|n| n == namespace);
                if cert_manager && same_ns {
                    let old = r.name.clone();
                    r.name = crate::emit::names::derived(&old, MAPPED_SECRET_SUFFIX);
                    report.push(
                        Notification::info(HOST_MAP_CERTIFICATE_REQUESTED, format!("listener {} now serves {new} (was {host}): its certificate reference moved from Secret {old} to {} so cert-manager requests a new Certificate for {new}; the Secret the Ingress uses is left alone", l.name, r.name))
                            .object(&object)
                            .field(format!("spec.listeners[{}].tls.certificateRefs", l.name)),
                    );
                } else {
                    report.push(
                        Notification::warning(HOST_MAP_CERTIFICATE, format!("listener {} now serves {new} (was {host}) but its certificate Secret {} was issued for the old name: TLS clients of {new} get a name mismatch", l.name, secret_name(r, &namespace)))
                            .object(&object)
                            .field(format!("spec.listeners[{}].tls.certificateRefs", l.name))
                            .suggest(if cert_manager {
                                "cert-manager issues Gateway certificates only into the Gateway's namespace: use --gateway-per-namespace, or create a Certificate for the new name and point the listener at its Secret"
                            } else {
                                "issue a certificate for the new name (cert-manager.io annotations on the Ingress are carried to the Gateway), or probe with `verify --live --insecure-skip-verify`"
                            }),
                    );
                }
            }
        }
    }
}

fn secret_name(r: &ObjectReference, default_ns: &str) -> String {
    format!(
        "{}/{}",
        r.namespace.as_deref().unwrap_or(default_ns),
        r.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[&str]) -> Result<HostMap, String> {
        let e: Vec<HostMapEntry> = entries
            .iter()
            .map(|s| s.parse())
            .collect::<Result<_, _>>()?;
        HostMap::new(&e)
    }

    #[test]
    fn exact_and_suffix_entries_map_hosts() {
        let m = map(&["a.example.com=a.test.io", "*.shop.com=*.canary.shop.com"]).unwrap();
        assert_eq!(m.sent_host("a.example.com"), "a.test.io");
        assert_eq!(m.sent_host("A.Example.com"), "a.test.io");
        assert_eq!(m.sent_host("x.y.shop.com"), "x.y.canary.shop.com");
        assert_eq!(m.sent_host("*.shop.com"), "*.canary.shop.com");
        // The suffix form does not match the apex, nor other hosts.
        assert_eq!(m.sent_host("shop.com"), "shop.com");
        assert_eq!(m.sent_host("b.example.com"), "b.example.com");
    }

    #[test]
    fn malformed_entries_are_refused() {
        for bad in [
            "a.example.com",
            "a.example.com=",
            "=b",
            "*.a.com=b.com",
            "a.com=*.b.com",
            "a.com=a.com",
            "a_b.com=c.com",
            "a.*.com=b.com",
        ] {
            assert!(bad.parse::<HostMapEntry>().is_err(), "{bad}");
        }
    }

    #[test]
    fn overlapping_entries_are_ambiguous() {
        assert!(map(&["a.example.com=x.io", "a.example.com=y.io"]).is_err());
        assert!(map(&["*.example.com=*.x.io", "a.example.com=y.io"]).is_err());
        assert!(map(&["*.example.com=*.x.io", "*.b.example.com=*.y.io"]).is_err());
        let err = map(&["*.example.com=*.x.io", "*.b.example.com=*.y.io"]).unwrap_err();
        assert!(err.contains("*.example.com=*.x.io"), "{err}");
        assert!(map(&["a.example.com=x.io", "b.example.com=y.io"]).is_ok());
        assert!(map(&["*.example.com=*.x.io", "*.example.org=*.y.io"]).is_ok());
    }

    #[test]
    fn a_mapped_name_is_not_mapped_again() {
        // The example: the target suffix lies under the source suffix.
        let m = map(&["*.example.com=*.canary.example.com"]).unwrap();
        assert_eq!(m.sent_host("a.example.com"), "a.canary.example.com");
    }
}
