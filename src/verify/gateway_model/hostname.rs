//! Gateway API hostname matching: exact names, and `*.suffix` wildcards that
//! match **one or more** labels (unlike ingress-nginx, where `*` is one label).

/// Whether `pattern` (a listener or route hostname) matches the request `host`
/// (already lower-cased, without port or trailing dot).
pub fn matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty()),
        None => pattern == host,
    }
}

/// Whether two route or listener hostnames (`None`: no hostname, every host)
/// have a request host in common.
pub fn intersect(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    match (a.strip_prefix("*."), b.strip_prefix("*.")) {
        (None, None) => a == b,
        (Some(_), None) => matches(&a, &b),
        (None, Some(_)) => matches(&b, &a),
        // `x.<longer suffix>` matches both.
        (Some(sa), Some(sb)) => {
            sa == sb || sa.ends_with(&format!(".{sb}")) || sb.ends_with(&format!(".{sa}"))
        }
    }
}

/// How specific a hostname is, compared as the spec orders them: characters of a
/// non-wildcard hostname first, then characters of the hostname. `None` (no
/// hostname: matches everything) is the least specific.
pub fn specificity(pattern: Option<&str>) -> (usize, usize) {
    match pattern {
        None => (0, 0),
        Some(p) if p.starts_with('*') => (0, p.len()),
        Some(p) => (p.len(), p.len()),
    }
}

/// The request host as matched: lower-cased, port and trailing dot removed.
pub fn normalise_host(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            h.to_string()
        }
        _ => host,
    };
    host.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_matches_one_or_more_labels_but_not_the_parent() {
        assert!(matches("*.example.com", "a.example.com"));
        assert!(matches("*.example.com", "a.b.example.com"));
        assert!(!matches("*.example.com", "example.com"));
        assert!(!matches("*.example.com", "aexample.com"));
        assert!(matches("Foo.example.com", "foo.example.com"));
        assert!(!matches("foo.example.com", "bar.example.com"));
    }

    #[test]
    fn hostnames_intersect_through_wildcards_and_missing_hostnames() {
        assert!(intersect(None, Some("a.example.com")));
        assert!(intersect(Some("a.example.com"), Some("A.example.com")));
        assert!(!intersect(Some("a.example.com"), Some("b.example.com")));
        assert!(intersect(Some("*.example.com"), Some("a.b.example.com")));
        assert!(!intersect(Some("*.example.com"), Some("example.com")));
        assert!(intersect(Some("*.example.com"), Some("*.b.example.com")));
        assert!(!intersect(Some("*.example.com"), Some("*.example.org")));
        assert!(!intersect(Some("*.xample.com"), Some("*.example.com")));
    }

    #[test]
    fn exact_beats_longer_wildcard_beats_shorter_wildcard_beats_none() {
        let exact = specificity(Some("a.example.com"));
        let long = specificity(Some("*.b.example.com"));
        let short = specificity(Some("*.example.com"));
        assert!(exact > long && long > short && short > specificity(None));
    }

    #[test]
    fn host_is_normalised() {
        assert_eq!(normalise_host("Foo.Example.com.:8080"), "foo.example.com");
        assert_eq!(normalise_host("foo.example.com"), "foo.example.com");
    }
}
