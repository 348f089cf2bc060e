//! Deterministic, valid Kubernetes names that never collide.
//!
//! Two emitted objects may never share an identity (kind, namespace, name): the
//! second would silently replace the first at `kubectl apply`. Names are built so
//! that different inputs give different names, and readable inputs stay readable:
//!
//! * A name that is already a valid DNS-1123 subdomain is kept as it is.
//! * A name that had to be changed (upper case, `*`, other characters) or
//!   shortened gets `-` and 8 hex digits of SHA-256 of the *original* text, so
//!   `*.example.com` (`wildcard.example.com-1a2b3c4d`) and the real host
//!   `wildcard.example.com` stay apart.
//! * Names derived from a hostname ([`host_name`]) are extended with fixed
//!   suffixes (`-http`, `-grpc`, `-02` for split parts, a gateway hash). A
//!   hostname that itself ends like such a suffix (`a.com-http`, `node-2`, or 8
//!   hex digits) is hashed too, so a host can never take the name of another
//!   host's derived object. `catch-all` is reserved for host-less rules.
//!
//! `emit::sort_objects`'s caller checks the result once more
//! ([`duplicate_identities`]) and refuses to emit duplicates, so a hash
//! collision is reported rather than applied.

use crate::gwapi::GatewayObject;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Route name of host-less (catch-all) rules; no hostname maps to it.
pub const CATCH_ALL: &str = "catch-all";

/// A DNS-1123 subdomain (dots allowed) of at most `max` characters. A name that
/// had to be changed or shortened gets a short hash of the original, so two
/// different inputs never share a name.
pub fn dns_subdomain(raw: &str, max: usize) -> String {
    let s = sanitize(raw, true);
    if s == raw && s.len() <= max {
        return s;
    }
    with_hash(&s, raw, max)
}

/// A DNS-1123 label (no dots) of at most `max` (≤ 63) characters. Used for rule
/// names, which only need to be unique within their route (the emitter numbers
/// repeats): only a shortened name gets a hash.
pub fn dns_label(raw: &str, max: usize) -> String {
    let max = max.min(63);
    let s = sanitize(raw, false);
    if s.len() <= max {
        return s;
    }
    with_hash(&s, raw, max)
}

/// The base name of objects derived from a hostname (routes, listeners): the
/// hostname itself when it is a valid name of at most `max` characters that cannot
/// be mistaken for a derived name, else its sanitised form plus a hash.
pub fn host_name(raw: &str, max: usize) -> String {
    let s = sanitize(raw, true);
    if s == raw && s.len() <= max && !looks_derived(&s) {
        return s;
    }
    with_hash(&s, raw, max)
}

/// `base-suffix`, still a valid subdomain of at most 253 characters.
pub fn derived(base: &str, suffix: &str) -> String {
    dns_subdomain(&format!("{base}-{suffix}"), 253)
}

/// Whether a name ends the way the emitter's derived names end: a fixed suffix,
/// a part number, or a hash.
fn looks_derived(name: &str) -> bool {
    if name == CATCH_ALL || name.starts_with("catch-all-") {
        return true;
    }
    let Some((_, tail)) = name.rsplit_once('-') else {
        return false;
    };
    if tail.contains('.') {
        return false;
    }
    tail == "http"
        || tail == "grpc"
        || (!tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()))
        || (tail.len() == 8 && tail.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Lower case, `*` → `wildcard`, anything else invalid → `-`, no leading or
/// trailing `-`/`.`, never empty.
fn sanitize(raw: &str, dots: bool) -> String {
    let lowered = raw.to_ascii_lowercase().replace('*', "wildcard");
    let mut s: String = lowered
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || (dots && c == '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if dots {
        // Each label starts and ends alphanumeric; empty labels go.
        s = s
            .split('.')
            .map(|l| l.trim_matches('-'))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(".");
    }
    s = s.trim_matches(|c| c == '-' || c == '.').to_string();
    if s.is_empty() {
        s = "x".into();
    }
    s
}

/// `head-hash` of at most `max` characters, `hash` taken from `raw`.
fn with_hash(sanitized: &str, raw: &str, max: usize) -> String {
    let hash = short_hash(raw);
    let keep = max.saturating_sub(hash.len() + 1);
    let head: String = sanitized.chars().take(keep).collect();
    let head = head.trim_end_matches(['-', '.']);
    if head.is_empty() {
        return hash;
    }
    format!("{head}-{hash}")
}

/// First 8 hex digits of SHA-256.
pub fn short_hash(raw: &str) -> String {
    let digest = Sha256::digest(raw.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// Identities (kind, namespace, name) held by more than one object, with how
/// many objects hold each.
pub fn duplicate_identities(objects: &[GatewayObject]) -> Vec<((String, String, String), usize)> {
    let mut count: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for o in objects {
        *count.entry(o.identity()).or_default() += 1;
    }
    count.into_iter().filter(|(_, n)| *n > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_subdomain(s: &str) -> bool {
        !s.is_empty()
            && s.len() <= 253
            && s.split('.').all(|l| {
                !l.is_empty()
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            })
    }

    #[test]
    fn keeps_valid_names() {
        assert_eq!(
            dns_subdomain("my-host.example.com", 253),
            "my-host.example.com"
        );
        assert_eq!(host_name("my-host.example.com", 240), "my-host.example.com");
        assert_eq!(dns_label("Foo_Bar", 63), "foo-bar");
    }

    #[test]
    fn changed_names_get_a_hash() {
        let w = host_name("*.example.com", 240);
        assert!(w.starts_with("wildcard.example.com-"), "{w}");
        assert_ne!(w, host_name("wildcard.example.com", 240));
        assert_ne!(dns_subdomain("Foo", 253), dns_subdomain("foo", 253));
        assert!(valid_subdomain(&dns_subdomain("a..b_.-c", 253)));
    }

    #[test]
    fn hosts_never_take_derived_names() {
        for (host, derived_from) in [
            ("a.com-http", derived("a.com", "http")),
            ("a.com-grpc", derived("a.com", "grpc")),
            ("a.com-2", derived("a.com", "2")),
            ("catch-all", CATCH_ALL.to_string()),
            ("catch-all-grpc", derived(CATCH_ALL, "grpc")),
        ] {
            let name = host_name(host, 240);
            assert_ne!(name, derived_from, "{host}");
            assert!(valid_subdomain(&name), "{name}");
        }
        let gw = short_hash("gateway-system/nginx");
        assert_ne!(
            host_name(&format!("a.com-{gw}"), 240),
            derived("a.com", &gw)
        );
    }

    #[test]
    fn truncation_stays_unique() {
        let a = "a".repeat(70) + "-one";
        let b = "a".repeat(70) + "-two";
        let (na, nb) = (dns_label(&a, 63), dns_label(&b, 63));
        assert!(na.len() <= 63 && nb.len() <= 63);
        assert_ne!(na, nb);
        let long = format!("{}.example.com", "b".repeat(250));
        let n = host_name(&long, 240);
        assert!(n.len() <= 240 && valid_subdomain(&n), "{n}");
    }
}
