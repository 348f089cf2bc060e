//! nginx server selection by Host (reference §2.4): exact names first, then the
//! wildcard servers (regex `^[\w-]+\.<suffix>$`: exactly one label) in hostname
//! order, else the catch-all `_` (`default_server`).

use super::Server;
use super::build::CATCH_ALL;

/// How nginx normalises the Host header before matching: lower case, no port,
/// no trailing dot.
pub fn normalise_host(host: &str) -> String {
    let h = host.rsplit_once(':').map_or(host, |(h, p)| {
        if p.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// True when `host` is one label followed by `.suffix`, the label made of `[\w-]`.
pub fn wildcard_matches(suffix: &str, host: &str) -> bool {
    host.strip_suffix(suffix)
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// Index of the server that handles `host` (already normalised); `None` only for
/// a model without the catch-all server (never built by `NginxModel::build`).
///
/// `servers` are in name order with unique names (as `NginxModel::build` makes
/// them), so the exact name and `_` are binary searches: verify selects a server
/// per probe, and a scan of every server made it quadratic in the hosts.
pub(crate) fn select(servers: &[Server], host: &str) -> Option<usize> {
    let named = |name: &str| servers.binary_search_by(|s| s.name.as_str().cmp(name)).ok();
    let exact = named(host).filter(|&i| {
        servers
            .get(i)
            .is_some_and(|s| s.wildcard.is_none() && s.name != CATCH_ALL)
    });
    let wildcard = |s: &Server| {
        s.wildcard
            .as_deref()
            .is_some_and(|w| wildcard_matches(w, host))
    };
    exact
        .or_else(|| servers.iter().position(wildcard))
        .or_else(|| named(CATCH_ALL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_is_one_label() {
        assert!(wildcard_matches("example.com", "a.example.com"));
        assert!(wildcard_matches("example.com", "a-b_c.example.com"));
        assert!(!wildcard_matches("example.com", "a.b.example.com"));
        assert!(!wildcard_matches("example.com", "example.com"));
        assert!(!wildcard_matches("example.com", "aexample.com"));
    }

    #[test]
    fn host_normalisation() {
        assert_eq!(normalise_host("Shop.Example.com:8080"), "shop.example.com");
        assert_eq!(normalise_host("shop.example.com."), "shop.example.com");
    }
}
