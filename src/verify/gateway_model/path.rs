//! Request-target handling for the Gateway API model.
//!
//! Gateway API does not say whether an implementation normalises the path
//! (`//` merged, `.`/`..` resolved, `%XX` decoded) before matching. The model
//! therefore evaluates a non-normal path twice, raw and normalised, and only
//! answers when both pick the same rule; otherwise the outcome is
//! implementation-defined.

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
    fn splits_query() {
        assert_eq!(split_target("/a?x=1"), ("/a", Some("x=1")));
        assert_eq!(split_target("/a"), ("/a", None));
        assert_eq!(
            query_pairs("a=1&b&c=3"),
            vec![("a", "1"), ("b", ""), ("c", "3")]
        );
    }
}
