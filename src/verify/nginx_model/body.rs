//! Request body size limits: `proxy-body-size` becomes the location's
//! `client_max_body_size` (reference §1.9, §2.11).
//!
//! What ingress-nginx does: every Ingress location gets `client_max_body_size`
//! from the annotation when it passes the `Size` validator
//! (`^(?i)\d+[bkmg]?$`), else from the ConfigMap key `proxy-body-size`
//! (default `1m`). nginx compares a request's `Content-Length` with the value
//! of the location it selected, right after selecting it — before the
//! trailing-slash 301, redirects, access checks and the proxy — and answers
//! 413 when the length is larger; `0` means no limit. nginx reads the value
//! with its offset parser (`ngx_parse_offset`): decimal digits with an
//! optional `k`/`K`, `m`/`M` or `g`/`G` suffix (powers of 1024). The
//! validator also admits a `b` suffix, which nginx refuses (the whole
//! configuration would fail to load): such a value, and a ConfigMap value nginx
//! cannot read, leaves the body probes of those locations not modelled.

/// nginx's built-in and ingress-nginx's default `proxy-body-size` (`1m`).
pub const DEFAULT_LIMIT: u64 = 1 << 20;

/// Where a location's limit comes from (probes are generated only for limits
/// the translation carries as facts: annotation and ConfigMap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Annotation,
    ConfigMap,
    Default,
}

/// A location's `client_max_body_size`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLimit {
    /// Bytes (`0`: unlimited), or why the value is not modelled.
    pub bytes: Result<u64, String>,
    /// The value as ingress-nginx writes it into the directive (`8M`, `1m`).
    pub raw: String,
    pub source: Source,
}

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit {
            bytes: Ok(DEFAULT_LIMIT),
            raw: "1m".into(),
            source: Source::Default,
        }
    }
}

impl BodyLimit {
    /// The limit of the ConfigMap key `proxy-body-size` (`None`: unset or empty).
    pub fn configmap(value: Option<&str>) -> Self {
        match value.filter(|v| !v.trim().is_empty()) {
            None => BodyLimit::default(),
            Some(v) => BodyLimit {
                bytes: parse_offset(v).ok_or_else(|| {
                    format!("ConfigMap proxy-body-size `{v}` is not a size nginx reads")
                }),
                raw: v.to_string(),
                source: Source::ConfigMap,
            },
        }
    }

    /// The limit of a location whose Ingress has `annotation` (`None`: unset),
    /// falling back to `configmap` when it is unset, empty or fails validation.
    pub fn annotation(value: Option<&str>, configmap: &BodyLimit) -> Self {
        match value.filter(|v| valid_size(v)) {
            None => configmap.clone(),
            Some(v) => BodyLimit {
                bytes: parse_offset(v).ok_or_else(|| {
                    format!("proxy-body-size `{v}` passes ingress-nginx's validation but nginx cannot read it")
                }),
                raw: v.to_string(),
                source: Source::Annotation,
            },
        }
    }

    /// What nginx answers a body of `len` bytes: `Ok(true)` 413, `Ok(false)`
    /// the request goes on.
    pub fn refuses(&self, len: u64) -> Result<bool, String> {
        match &self.bytes {
            Ok(0) => Ok(false),
            Ok(limit) => Ok(len > *limit),
            Err(r) => Err(r.clone()),
        }
    }
}

/// ingress-nginx's `Size` validator, `^(?i)\d+[bkmg]?$`.
pub fn valid_size(v: &str) -> bool {
    let digits = v
        .strip_suffix(|c: char| "bkmgBKMG".contains(c))
        .unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// nginx's `ngx_parse_offset`: digits and an optional `k`/`m`/`g` suffix in
/// either case (×1024, ×1024², ×1024³); `None` for anything else or a value
/// above the largest file offset (2⁶³ − 1).
pub fn parse_offset(v: &str) -> Option<u64> {
    // The same grammar as `ngx_parse_size`, which the passes read the
    // annotation with; an offset is also bounded by `off_t`.
    crate::passes::annotated::size_bytes(v).filter(|b| *b <= i64::MAX as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_as_nginx_reads_them() {
        assert_eq!(parse_offset("0"), Some(0));
        assert_eq!(parse_offset("1000"), Some(1000));
        assert_eq!(parse_offset("8k"), Some(8 << 10));
        assert_eq!(parse_offset("8K"), Some(8 << 10));
        assert_eq!(parse_offset("1m"), Some(1 << 20));
        assert_eq!(parse_offset("25M"), Some(25 << 20));
        assert_eq!(parse_offset("5G"), Some(5 << 30));
        assert_eq!(parse_offset("2g"), Some(2 << 30));
        for bad in [
            "", "m", "10b", "10B", "10MB", "1.5m", " 8m", "8m ", "-1", "0x10", "1t",
        ] {
            assert_eq!(parse_offset(bad), None, "{bad:?}");
        }
        // Above the largest off_t.
        assert_eq!(parse_offset("9223372036854775807"), Some(i64::MAX as u64));
        assert_eq!(parse_offset("9223372036854775808"), None);
        assert_eq!(parse_offset("9999999999999g"), None);
    }

    #[test]
    fn validator_admits_a_b_suffix_that_nginx_refuses() {
        for ok in ["0", "8m", "8M", "10b", "10B", "3g", "12"] {
            assert!(valid_size(ok), "{ok}");
        }
        for bad in ["", "m", "10MB", "1.5m", " 8m", "8 m", "-1"] {
            assert!(!valid_size(bad), "{bad}");
        }
        let cm = BodyLimit::configmap(None);
        let b = BodyLimit::annotation(Some("10b"), &cm);
        assert_eq!(b.source, Source::Annotation);
        assert!(b.refuses(11).is_err());
    }

    #[test]
    fn annotation_then_configmap_then_default() {
        let default = BodyLimit::configmap(None);
        assert_eq!(default.bytes, Ok(DEFAULT_LIMIT));
        assert_eq!(default.source, Source::Default);
        assert_eq!(BodyLimit::configmap(Some("  ")), default);
        let cm = BodyLimit::configmap(Some("8m"));
        assert_eq!(
            (cm.bytes.clone(), cm.source),
            (Ok(8 << 20), Source::ConfigMap)
        );
        // Invalid annotations fall back to the ConfigMap value.
        assert_eq!(BodyLimit::annotation(Some("10MB"), &cm), cm);
        assert_eq!(BodyLimit::annotation(None, &cm), cm);
        let a = BodyLimit::annotation(Some("2k"), &cm);
        assert_eq!((a.bytes.clone(), a.source), (Ok(2048), Source::Annotation));
        assert!(BodyLimit::configmap(Some("8 m")).bytes.is_err());
    }

    #[test]
    fn refuses_above_the_limit_only_and_zero_is_unlimited() {
        let l = BodyLimit::annotation(Some("1k"), &BodyLimit::default());
        assert_eq!(l.refuses(1024), Ok(false));
        assert_eq!(l.refuses(1025), Ok(true));
        let zero = BodyLimit::annotation(Some("0"), &BodyLimit::default());
        assert_eq!(zero.refuses(u64::MAX), Ok(false));
        assert_eq!(BodyLimit::default().refuses(DEFAULT_LIMIT + 1), Ok(true));
    }
}
