//! Deterministic, valid Kubernetes names that stay unique when truncated.

use sha2::{Digest, Sha256};

/// A DNS-1123 subdomain (dots allowed) of at most `max` characters. Invalid
/// characters become `-`; a name that had to be changed or shortened gets a short
/// hash of the original so two different inputs never collide.
pub fn dns_subdomain(raw: &str, max: usize) -> String {
    sanitize(raw, max, true)
}

/// A DNS-1123 label (no dots) of at most `max` (≤ 63) characters.
pub fn dns_label(raw: &str, max: usize) -> String {
    sanitize(raw, max.min(63), false)
}

fn sanitize(raw: &str, max: usize, dots: bool) -> String {
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
    s = s.trim_matches(|c| c == '-' || c == '.').to_string();
    if s.is_empty() {
        s = "x".into();
    }
    if s.len() <= max {
        return s;
    }
    let hash = short_hash(raw);
    let keep = max.saturating_sub(hash.len() + 1);
    let mut head: String = s.chars().take(keep).collect();
    head = head.trim_end_matches(['-', '.']).to_string();
    format!("{head}-{hash}")
}

/// First 8 hex digits of SHA-256.
pub fn short_hash(raw: &str) -> String {
    let digest = Sha256::digest(raw.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_valid_names() {
        assert_eq!(
            dns_subdomain("my-host.example.com", 253),
            "my-host.example.com"
        );
        assert_eq!(dns_subdomain("*.example.com", 253), "wildcard.example.com");
        assert_eq!(dns_label("Foo_Bar", 63), "foo-bar");
    }

    #[test]
    fn truncation_stays_unique() {
        let a = "a".repeat(70) + "-one";
        let b = "a".repeat(70) + "-two";
        let (na, nb) = (dns_label(&a, 63), dns_label(&b, 63));
        assert!(na.len() <= 63 && nb.len() <= 63);
        assert_ne!(na, nb);
    }
}
