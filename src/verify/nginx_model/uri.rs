//! nginx's URI handling: normalisation before matching (`ngx_http_parse_complex_uri`
//! with `merge_slashes on`) and the escaping of URIs it writes itself.

/// Why a request path cannot be normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriError {
    /// nginx answers 400 (`..` above the root, `%00`).
    BadRequest,
    /// A case the model does not cover.
    NotModelled(String),
}

/// Splits a request target into path and query (without the `?`).
pub fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    }
}

/// The normalised URI (`$uri`): `%XX` decoded, `//` merged, `.`/`..` resolved.
pub fn normalise(path: &str) -> Result<String, UriError> {
    if !path.starts_with('/') {
        return Err(UriError::NotModelled(format!(
            "request path `{path}` does not start with `/`"
        )));
    }
    let decoded = decode(path)?;
    let raw_segments: Vec<&[u8]> = decoded[1..].split(|&b| b == b'/').collect();
    let mut out: Vec<&[u8]> = Vec::new();
    let last = raw_segments.len() - 1;
    let mut trailing = false;
    for (i, seg) in raw_segments.iter().enumerate() {
        match *seg {
            b"" | b"." => trailing = i == last,
            b".." => {
                if out.pop().is_none() {
                    return Err(UriError::BadRequest);
                }
                trailing = i == last;
            }
            s => {
                out.push(s);
                trailing = false;
            }
        }
    }
    let mut uri = Vec::with_capacity(decoded.len());
    for s in &out {
        uri.push(b'/');
        uri.extend_from_slice(s);
    }
    if trailing || out.is_empty() {
        uri.push(b'/');
    }
    // Non-ASCII is checked by the caller: literal locations compare bytes, but
    // PCRE (no UTF mode) matches bytes where the evaluator matches characters.
    String::from_utf8(uri).map_err(|_| UriError::NotModelled("decoded path is not UTF-8".into()))
}

fn decode(path: &str) -> Result<Vec<u8>, UriError> {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            let hex = |x: u8| (x as char).to_digit(16);
            let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) else {
                return Err(UriError::NotModelled(
                    "malformed percent-escape in the path".into(),
                ));
            };
            let v = (h * 16 + l) as u8;
            match v {
                0 => return Err(UriError::BadRequest),
                b'?' | b'#' | b'%' => {
                    return Err(UriError::NotModelled(format!(
                        "percent-encoded `{}` in the path",
                        v as char
                    )));
                }
                _ => out.push(v),
            }
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

/// nginx's `ngx_escape_uri(…, NGX_ESCAPE_URI)` (1.21.1+ table): space, `"`, `#`,
/// `%`, `<`, `>`, `?`, `\`, `^`, `` ` ``, `{`, `|`, `}`, controls and non-ASCII
/// bytes become `%XX` (upper-case hex).
pub fn escape_uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c <= 0x20 || c >= 0x7f || b"\"#%<>?\\^`{|}".contains(&c) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(c as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_nginx() {
        let n = |p| normalise(p).unwrap();
        assert_eq!(n("//portal//x"), "/portal/x");
        assert_eq!(n("/a/../portal/x"), "/portal/x");
        assert_eq!(n("/%70ortal/x"), "/portal/x");
        assert_eq!(n("/a%2Fb"), "/a/b");
        assert_eq!(n("/a/./b/"), "/a/b/");
        assert_eq!(n("/a/b/.."), "/a/");
        assert_eq!(n("/a/."), "/a/");
        assert_eq!(n("/"), "/");
        assert_eq!(n("//"), "/");
        assert_eq!(n("/..."), "/...");
        assert_eq!(normalise("/../x"), Err(UriError::BadRequest));
        assert_eq!(normalise("/a/../.."), Err(UriError::BadRequest));
    }

    #[test]
    fn escapes_like_nginx() {
        assert_eq!(escape_uri("/a b/%/x?y#"), "/a%20b/%25/x%3Fy%23");
        assert_eq!(escape_uri("/(/|$)(.*)"), "/(/%7C$)(.*)");
        assert_eq!(escape_uri("/files/"), "/files/");
    }
}
