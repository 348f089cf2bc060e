//! Percent-encoding of Ingress paths for Gateway API matches.
//!
//! ## What ingress-nginx does
//! nginx matches locations against the decoded, normalised URI (`%XX`
//! decoded, reference §2.10): location `/my docs` takes a request sent as
//! `/my%20docs`, location `/café` one sent as `/caf%C3%A9` (or `%c3%a9`, or
//! with any other byte encoded). A `%` in the location is a literal `%`, so
//! location `/a%20b` takes `/a%2520b`.
//!
//! ## What Gateway API offers
//! Exact/PathPrefix values restricted to RFC 3986 path characters and `%XX`;
//! Envoy-based implementations match the path as sent, still percent-encoded
//! (their normalisation decodes at most unreserved characters and `%2F`).
//!
//! ## What we emit
//! Every character outside the Gateway API path set (space, non-ASCII, `%`,
//! `"`, `<`, `>`, `\`, `^`, backtick, `{`, `|`, `}`, `[`, `]`, `?`, `#`) as the
//! `%XX` of each UTF-8 byte, upper-case hex: what browsers and HTTP clients send.

/// Whether `c` may appear as is in a Gateway API Exact/PathPrefix value.
pub fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-/._~!$&'()*+,;=:@".contains(c)
}

/// `c` as a client sends it in a request path: itself or its `%XX` bytes.
pub fn encode_char(c: char, out: &mut String) {
    if is_path_char(c) {
        out.push(c);
        return;
    }
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
}

/// `path` with every character outside the Gateway API path set percent-encoded.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        encode_char(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_a_client_encodes() {
        assert_eq!(encode_path("/my docs"), "/my%20docs");
        assert_eq!(encode_path("/café"), "/caf%C3%A9");
        assert_eq!(encode_path("/a%20b"), "/a%2520b");
        assert_eq!(encode_path("/v1.0/~x@y:z"), "/v1.0/~x@y:z");
        assert_eq!(encode_path("/{id}"), "/%7Bid%7D");
    }
}
