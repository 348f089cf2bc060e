//! HTTPRouteFilter (`urlRewrite`, `directResponse`; Envoy Gateway v1.9
//! `api/v1alpha1/httproutefilter_types.go`), referenced by an HTTPRoute rule's
//! `ExtensionRef` filter.

use serde_json::Value;

/// What an HTTPRouteFilter does to a request.
#[derive(Debug, Clone)]
pub enum RouteFilter {
    /// `urlRewrite.path` `ReplaceRegexMatch`: every match of `pattern` in the
    /// path is replaced by `substitution` (Envoy's `regex_rewrite`, RE2
    /// global replace; `\N` is capture N). The query string is kept.
    RegexPath {
        pattern: regex::Regex,
        substitution: String,
    },
    /// `directResponse`: a fixed answer (default status 200).
    DirectResponse { status: u16 },
    /// Anything else, with why it is not modelled.
    NotModelled(String),
}

impl RouteFilter {
    pub fn read(spec: &Value) -> Self {
        let nm = |r: &str| RouteFilter::NotModelled(r.to_string());
        if spec.get("matches").is_some_and(|v| !v.is_null()) {
            return nm("HTTPRouteFilter matches");
        }
        if spec
            .get("credentialInjection")
            .is_some_and(|v| !v.is_null())
        {
            return nm("HTTPRouteFilter credentialInjection");
        }
        if let Some(d) = spec.get("directResponse").filter(|v| !v.is_null()) {
            let status = d.get("statusCode").and_then(Value::as_u64).unwrap_or(200);
            return RouteFilter::DirectResponse {
                status: status as u16,
            };
        }
        let Some(rewrite) = spec.get("urlRewrite").filter(|v| !v.is_null()) else {
            return nm("HTTPRouteFilter without urlRewrite or directResponse");
        };
        if rewrite.get("hostname").is_some_and(|v| !v.is_null()) {
            return nm("HTTPRouteFilter hostname rewrite");
        }
        let path = rewrite.get("path").cloned().unwrap_or(Value::Null);
        if path.get("type").and_then(Value::as_str) != Some("ReplaceRegexMatch") {
            return nm("HTTPRouteFilter path rewrite other than ReplaceRegexMatch");
        }
        let s = |p: &str| path.pointer(p).and_then(Value::as_str);
        let (Some(pattern), Some(substitution)) = (
            s("/replaceRegexMatch/pattern"),
            s("/replaceRegexMatch/substitution"),
        ) else {
            return nm("ReplaceRegexMatch without pattern or substitution");
        };
        match regex::Regex::new(pattern) {
            Ok(pattern) => RouteFilter::RegexPath {
                pattern,
                substitution: substitution.to_string(),
            },
            Err(e) => {
                RouteFilter::NotModelled(format!("ReplaceRegexMatch pattern `{pattern}`: {e}"))
            }
        }
    }

    /// The path after a `RegexPath` rewrite.
    pub fn rewrite(pattern: &regex::Regex, substitution: &str, path: &str) -> String {
        // RE2's `\N` → the regex crate's `${N}`; a literal `$` stays literal.
        let mut replacement = String::new();
        let mut chars = substitution.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek().is_some_and(char::is_ascii_digit) => {
                    let d = chars.next().unwrap_or('0');
                    replacement.push_str(&format!("${{{d}}}"));
                }
                '\\' if chars.peek() == Some(&'\\') => {
                    chars.next();
                    replacement.push('\\');
                }
                '$' => replacement.push_str("$$"),
                c => replacement.push(c),
            }
        }
        pattern.replace_all(path, replacement.as_str()).into_owned()
    }
}
