//! Redirects nginx answers itself: app-root (302), permanent/temporal redirects,
//! the ssl-redirect (reference §2.12, §2.14) and `Location` absolutisation.

/// nginx's header filter makes a `Location` starting with `/` absolute with the
/// connection scheme and the (lower-cased, port-less) Host; `port_in_redirect off`.
pub fn absolute(location: &str, scheme: &str, host: &str) -> String {
    if location.starts_with('/') {
        format!("{scheme}://{host}{location}")
    } else {
        location.to_string()
    }
}

/// The ssl-redirect target: `https://` + Host up to the first `:` + `$request_uri`
/// with one trailing `/` of the whole request URI removed (unless preserved).
pub fn https_location(
    host_header: &str,
    request_uri: &str,
    preserve_trailing_slash: bool,
) -> String {
    let host = host_header.split(':').next().unwrap_or(host_header);
    let uri = if preserve_trailing_slash {
        request_uri
    } else {
        request_uri.strip_suffix('/').unwrap_or(request_uri)
    };
    format!("https://{host}{uri}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_redirect_strips_one_slash_of_the_whole_uri() {
        assert_eq!(
            https_location("shop.example.com", "/api/", false),
            "https://shop.example.com/api"
        );
        assert_eq!(
            https_location("shop.example.com", "/api/?q=1", false),
            "https://shop.example.com/api/?q=1"
        );
        assert_eq!(
            https_location("shop.example.com:18080", "/", false),
            "https://shop.example.com"
        );
        assert_eq!(
            https_location("shop.example.com", "/x/", true),
            "https://shop.example.com/x/"
        );
    }
}
