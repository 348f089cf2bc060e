//! Request-target handling for the Gateway API model.
//!
//! Gateway API does not say whether an implementation normalises the path
//! (`//` merged, `.`/`..` resolved, `%XX` of unreserved characters and `%2F`
//! decoded) before matching. The model therefore evaluates a non-normal path
//! twice, raw and normalised ([`normalise_encoded`]), and only answers when both
//! pick the same rule; otherwise the outcome is implementation-defined. Either
//! way it matches the path still percent-encoded: no implementation decodes
//! `%20` or `%C3%A9` before matching (RFC 3986 normalisation only upper-cases
//! their hex digits).

/// Splits a request target into path and optional query (without `?`).
pub fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    }
}

/// The normalised form of `path` (what nginx and most proxies match against):
/// `%XX` decoded, `//` merged, `.`/`..` segments resolved. `None` when `..`
/// climbs above the root or a decoded byte sequence is not UTF-8.
pub fn normalise(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let mut segments: Vec<&str> = Vec::new();
    let trailing = decoded.ends_with('/')
        || decoded.ends_with("/.")
        || decoded.ends_with("/..")
        || decoded == "/";
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    out.push_str(&segments.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

/// The path as a normalising implementation matches it (RFC 3986 §6.2.2):
/// `%XX` of unreserved characters and of `/` decoded, other escapes kept with
/// upper-case hex, `//` merged, `.`/`..` segments resolved. `None` when `..`
/// climbs above the root.
pub fn normalise_encoded(path: &str) -> Option<String> {
    let b = path.as_bytes();
    let mut partly = String::with_capacity(path.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            let v = h * 16 + l;
            if v.is_ascii_alphanumeric() || b"-._~/".contains(&v) {
                partly.push(v as char);
            } else {
                partly.push_str(&format!("%{v:02X}"));
            }
            i += 3;
            continue;
        }
        // Non-`%` bytes are copied whole characters at a time.
        let len = path
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .map_or(1, char::len_utf8);
        partly.push_str(path.get(i..i + len).unwrap_or_default());
        i += len;
    }
    // Only the `%` of the kept escapes is left to decode.
    normalise(&partly.replace('%', "%25"))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Parses `a=1&b=2` into pairs, in order (values not decoded).
pub fn query_pairs(query: &str) -> Vec<(&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_nginx() {
        assert_eq!(normalise("////uuid").as_deref(), Some("/uuid"));
        assert_eq!(normalise("/ip/abc/../../uuid").as_deref(), Some("/uuid"));
        assert_eq!(normalise("/a/./b/").as_deref(), Some("/a/b/"));
        assert_eq!(normalise("/a%2Fb").as_deref(), Some("/a/b"));
        assert_eq!(normalise("/%70ortal/x").as_deref(), Some("/portal/x"));
        assert_eq!(normalise("/").as_deref(), Some("/"));
        assert_eq!(normalise("/../x"), None);
    }

    #[test]
    fn normalises_keeping_what_clients_must_encode() {
        assert_eq!(
            normalise_encoded("/my%20docs").as_deref(),
            Some("/my%20docs")
        );
        assert_eq!(
            normalise_encoded("/caf%c3%a9").as_deref(),
            Some("/caf%C3%A9")
        );
        assert_eq!(
            normalise_encoded("/%70ortal//x").as_deref(),
            Some("/portal/x")
        );
        assert_eq!(normalise_encoded("/a%2Fb/%2e%2e").as_deref(), Some("/a/"));
        assert_eq!(normalise_encoded("/%2e%2e/x"), None);
    }

    #[test]
    fn splits_query() {
        assert_eq!(split_target("/a?x=1"), ("/a", Some("x=1")));
        assert_eq!(split_target("/a"), ("/a", None));
        assert_eq!(
            query_pairs("a=1&b&c=3"),
            vec![("a", "1"), ("b", ""), ("c", "3")]
        );
    }
}
