//! enable-cors and cors-*.
//!
//! ## What ingress-nginx does
//! With `enable-cors: "true"` every location of the Ingress adds the CORS response
//! headers and answers a preflight `OPTIONS` from an allowed origin with 204.
//! Defaults: origin `*`, methods `GET, PUT, POST, DELETE, PATCH, OPTIONS`, headers
//! `DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,
//! Content-Type,Range,Authorization`, no exposed headers, credentials **true**,
//! max-age 1728000 (20 days). Values are validated with spaces removed; an invalid
//! value falls back to the default. Each origin must look like
//! `scheme://[*.]host[:port]`, `null` or `*`; others are skipped, and with none
//! left the origin is `*`. `*.example.com` matches exactly one label. The cors-*
//! keys do nothing without enable-cors. With origin `*` nginx sends
//! `Access-Control-Allow-Origin: *` together with `Allow-Credentials: true`, a
//! combination browsers refuse for credentialed requests.
//!
//! ## What Gateway API offers
//! The standard `CORS` HTTPRoute filter (v1.5): allowOrigins (`http`/`https`
//! origins, `*` in the host matches any number of labels), allowMethods (RFC 9110
//! names, case-sensitive), allowHeaders, exposeHeaders, allowCredentials, maxAge.
//! With credentials and `*`, the gateway reflects the request's origin.
//!
//! ## What we emit
//! One CORS filter per rule of the Ingress with ingress-nginx's effective values
//! (defaults spelled out, methods upper-cased); `scheme://*.domain` becomes the
//! exact origins `scheme://<label>.domain` of the hosts in the translation.
//!
//! ## What we warn
//! Origins Gateway API cannot express (`null`, non-http schemes), wildcard origins
//! (Gateway API's `*.` matches any number of labels, nginx's one: the wildcard is
//! replaced by the exact origins of the input's hosts it matches, and the other
//! subdomains lose CORS access), invalid values replaced by their
//! defaults, cors-* keys without enable-cors, and `*` with credentials, where we
//! omit allowCredentials so the result is not more open than today.

use super::annotated::{self, note};
use super::{Pass, PassContext};
use crate::input::InputIngress;
use crate::ir::*;
use crate::report::{Code, Report, Severity};
use std::sync::LazyLock;

pub const CORS: Code = Code("cors");
pub const CORS_INVALID: Code = Code("cors-invalid-value");
pub const CORS_IGNORED: Code = Code("cors-ignored");

pub const DEFAULT_METHODS: &str = "GET, PUT, POST, DELETE, PATCH, OPTIONS";
pub const DEFAULT_HEADERS: &str = "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization";
pub const DEFAULT_MAX_AGE: u32 = 1_728_000;

const KEYS: &[&str] = &[
    "enable-cors",
    "cors-allow-origin",
    "cors-allow-methods",
    "cors-allow-headers",
    "cors-expose-headers",
    "cors-allow-credentials",
    "cors-max-age",
];

/// Compiles one of the CORS value validators (the patterns ingress-nginx checks with).
#[allow(
    clippy::expect_used,
    reason = "only called with the literal patterns below, each compiled by `cors_validators_compile`; no input reaches it"
)]
fn validator(pattern: &str) -> regex::Regex {
    // The patterns are literals; `cors_validators_compile` runs each one.
    regex::Regex::new(pattern).expect("hard-coded CORS validator pattern compiles")
}

static ORIGIN_LIST: LazyLock<regex::Regex> =
    LazyLock::new(|| validator(r"^((((([a-z]+://)?(\*\.)?[A-Za-z0-9\-.]*(:\d+)?,?)|null)+)|\*)?$"));
static ORIGIN: LazyLock<regex::Regex> =
    LazyLock::new(|| validator(r"^([a-z]+://(\*\.)?[A-Za-z0-9\-.]*(:\d+)?|\*|null)?$"));
static METHODS: LazyLock<regex::Regex> = LazyLock::new(|| validator(r"^([A-Za-z]+,?\s?)+$"));
static HEADERS: LazyLock<regex::Regex> = LazyLock::new(|| validator(r"^[A-Za-z0-9\-_, ]*$"));
static EXPOSE: LazyLock<regex::Regex> =
    LazyLock::new(|| validator(r"^(([A-Za-z0-9\-_]+|\*),?\s?)+$"));

/// Methods the Gateway API CORS filter accepts.
const GATEWAY_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// ingress-nginx's effective CORS configuration of an Ingress, and the problems
/// met on the way (each a message for a key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxCors {
    pub origins: Vec<String>,
    pub methods: Vec<String>,
    pub headers: Vec<String>,
    pub expose: Vec<String>,
    pub credentials: bool,
    pub max_age: i64,
}

/// Parses the cors-* values like `cors/main.go` (validation with spaces removed).
pub fn parse(get: impl Fn(&str) -> Option<String>) -> (NginxCors, Vec<(&'static str, String)>) {
    let mut problems = Vec::new();
    let validated = |key: &'static str,
                     re: &regex::Regex,
                     default: &str,
                     problems: &mut Vec<(&'static str, String)>| {
        match get(key) {
            Some(v) if !v.is_empty() => {
                let compact: String = v.chars().filter(|c| *c != ' ').collect();
                if re.is_match(&compact) && !compact.contains(['\r', '\n']) {
                    v
                } else {
                    problems.push((key, format!("`{v}` is not a valid {key} value: ingress-nginx uses the default `{default}`")));
                    default.to_string()
                }
            }
            _ => default.to_string(),
        }
    };
    let origin_raw = validated("cors-allow-origin", &ORIGIN_LIST, "*", &mut problems);
    let mut origins = Vec::new();
    for o in annotated::list(&origin_raw) {
        if ORIGIN.is_match(&o) {
            origins.push(o);
        } else {
            problems.push((
                "cors-allow-origin",
                format!("origin `{o}` has no scheme: ingress-nginx skips it"),
            ));
        }
    }
    if origins.is_empty() {
        origins.push("*".into());
    }
    let methods = annotated::list(&validated(
        "cors-allow-methods",
        &METHODS,
        DEFAULT_METHODS,
        &mut problems,
    ));
    let headers = annotated::list(&validated(
        "cors-allow-headers",
        &HEADERS,
        DEFAULT_HEADERS,
        &mut problems,
    ));
    let expose = annotated::list(&validated(
        "cors-expose-headers",
        &EXPOSE,
        "",
        &mut problems,
    ));
    let credentials = match get("cors-allow-credentials") {
        Some(v) if !v.is_empty() => super::parse_go_bool(&v).unwrap_or_else(|| {
            problems.push((
                "cors-allow-credentials",
                format!("`{v}` is not a boolean: ingress-nginx uses the default `true`"),
            ));
            true
        }),
        _ => true,
    };
    let max_age = match get("cors-max-age") {
        Some(v) if !v.is_empty() => v.trim().parse::<i64>().unwrap_or_else(|_| {
            problems.push((
                "cors-max-age",
                format!(
                    "`{v}` is not an integer: ingress-nginx uses the default {DEFAULT_MAX_AGE}"
                ),
            ));
            i64::from(DEFAULT_MAX_AGE)
        }),
        _ => i64::from(DEFAULT_MAX_AGE),
    };
    (
        NginxCors {
            origins,
            methods,
            headers,
            expose,
            credentials,
            max_age,
        },
        problems,
    )
}

/// The hosts among `known` that ingress-nginx's `*.domain` origin accepts: its
/// template turns the first `*` into `[A-Za-z0-9\-]+`, exactly one DNS label.
fn one_label_hosts<'k>(domain: &str, known: &'k [String]) -> Vec<&'k str> {
    let suffix = format!(".{}", domain.to_ascii_lowercase());
    known
        .iter()
        .filter_map(|h| {
            let label = h.strip_suffix(suffix.as_str())?;
            (!label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            .then_some(h.as_str())
        })
        .collect()
}

/// The Gateway API filter for an ingress-nginx CORS configuration, with warnings.
///
/// `known_hosts` (lower-case hostnames served by the translation) stand in for a
/// wildcard origin: Gateway API's `https://*.example.com` also allows
/// `https://a.b.example.com`, which nginx refuses, so a wildcard becomes the exact
/// origins of the known hosts it matches in nginx (never more open than today).
pub fn to_gateway(
    c: &NginxCors,
    known_hosts: &[String],
) -> (Cors, Vec<(&'static str, Severity, String)>) {
    let mut notes = Vec::new();
    let mut origins = Vec::new();
    for o in &c.origins {
        if o == "*" {
            origins = vec!["*".to_string()];
            break;
        }
        if o == "null" {
            notes.push(("cors-allow-origin", Severity::Warning, "origin `null` cannot be listed in Gateway API; requests from opaque origins (sandboxed iframes, file://) lose CORS access".to_string()));
            continue;
        }
        let scheme = o.split("://").next().unwrap_or("");
        if scheme != "http" && scheme != "https" {
            notes.push((
                "cors-allow-origin",
                Severity::Warning,
                format!(
                    "origin `{o}`: Gateway API accepts only http and https origins; it was left out"
                ),
            ));
            continue;
        }
        if let Some((scheme, rest)) = o.split_once("://*.") {
            let (domain, port) = match rest.rsplit_once(':') {
                Some((d, p)) => (d, format!(":{p}")),
                None => (rest, String::new()),
            };
            let exact: Vec<String> = one_label_hosts(domain, known_hosts)
                .into_iter()
                .map(|h| format!("{scheme}://{h}{port}"))
                .collect();
            let what = format!(
                "origin `{o}`: ingress-nginx's `*.` matches exactly one DNS label, Gateway API's any number (`https://a.b.{domain}` too), so the wildcard is not emitted"
            );
            if exact.is_empty() {
                notes.push(("cors-allow-origin", Severity::Warning, format!("{what}; no host of the input matches it, so no origin replaces it and browsers on these subdomains lose CORS access")));
            } else {
                notes.push(("cors-allow-origin", Severity::Warning, format!("{what}; the hosts of the input it matches are listed instead ({}), other one-label subdomains lose CORS access", exact.join(", "))));
            }
            for e in exact {
                if !origins.contains(&e) {
                    origins.push(e);
                }
            }
            continue;
        }
        origins.push(o.clone());
    }
    let mut methods = Vec::new();
    for m in &c.methods {
        let up = m.to_ascii_uppercase();
        if GATEWAY_METHODS.contains(&up.as_str()) {
            if !methods.contains(&up) {
                methods.push(up);
            }
        } else {
            notes.push((
                "cors-allow-methods",
                Severity::Warning,
                format!("method `{m}` is not an RFC 9110 method Gateway API accepts; left out"),
            ));
        }
    }
    let mut credentials = c.credentials;
    if credentials && origins == ["*"] {
        credentials = false;
        notes.push(("cors-allow-credentials", Severity::Warning, "origin `*` with credentials: ingress-nginx answers `Access-Control-Allow-Origin: *`, so browsers refuse credentialed requests; a Gateway with `*` and allowCredentials would reflect any origin and allow them, so allowCredentials is left out (same effect as today)".to_string()));
    }
    let max_age = if c.max_age < 1 {
        notes.push(("cors-max-age", Severity::Info, format!("max-age {} is below Gateway API's minimum; 1 is used (browsers cache the preflight for a second)", c.max_age)));
        1
    } else {
        u32::try_from(c.max_age)
            .unwrap_or(i32::MAX as u32)
            .min(i32::MAX as u32)
    };
    (
        Cors {
            allow_origins: origins,
            allow_credentials: credentials.then_some(true),
            allow_methods: methods,
            allow_headers: c.headers.clone(),
            expose_headers: c.expose.clone(),
            max_age: Some(max_age),
        },
        notes,
    )
}

pub struct CorsPass;

impl Pass for CorsPass {
    fn name(&self) -> &'static str {
        "cors"
    }
    fn annotations(&self) -> &'static [&'static str] {
        KEYS
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        // The precise hostnames served: this pass adds no host, so they are
        // collected once (on the first CORS Ingress), not per Ingress.
        let mut known: Option<Vec<String>> = None;
        for (_, ing) in cx.primaries() {
            if !cx.annotation_bool(ing, "enable-cors", false) {
                let set: Vec<&str> = KEYS[1..]
                    .iter()
                    .copied()
                    .filter(|k| cx.annotation(ing, k).is_some())
                    .collect();
                if let Some(first) = set.first() {
                    report.push(note(cx, ing, first, Severity::Info, CORS_IGNORED, format!("{} set without `enable-cors: \"true\"`: ingress-nginx adds no CORS headers, so nothing is emitted", set.join(", "))));
                } else if let Some(v) = cx.annotation(ing, "enable-cors") {
                    report.push(note(
                        cx,
                        ing,
                        "enable-cors",
                        Severity::Info,
                        CORS_IGNORED,
                        format!(
                            "enable-cors `{v}` is not true: no CORS headers, nothing to translate"
                        ),
                    ));
                }
                continue;
            }
            let known = known.get_or_insert_with(|| {
                ir.hosts
                    .keys()
                    .filter_map(|h| h.host.hostname())
                    .filter(|h| super::headers::is_precise_hostname(h))
                    .map(String::from)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect()
            });
            apply(cx, ing, known, ir, report);
        }
    }
}

fn apply(cx: &PassContext, ing: &InputIngress, known: &[String], ir: &mut Ir, report: &mut Report) {
    let (nginx, problems) = parse(|k| cx.annotation(ing, k).map(str::to_string));
    for (key, msg) in problems {
        let value = cx.annotation(ing, key).unwrap_or("");
        if !annotated::invalid_reported(cx, key, value) {
            report.push(note(cx, ing, key, Severity::Warning, CORS_INVALID, msg));
        }
    }
    let (filter, notes) = to_gateway(&nginx, known);
    for (key, sev, msg) in notes {
        let key = if cx.annotation(ing, key).is_some() {
            key
        } else {
            "enable-cors"
        };
        report.push(note(cx, ing, key, sev, CORS, msg));
    }
    if filter.allow_origins.is_empty() {
        report.push(note(cx, ing, "cors-allow-origin", Severity::Warning, CORS, "no origin is left that Gateway API can express: no CORS filter is emitted, so browsers lose cross-origin access").suggest("use your implementation's CORS policy (e.g. Envoy Gateway SecurityPolicy spec.cors) for these origins"));
        return;
    }
    let key = cx.full_key("enable-cors");
    let span = cx.annotation_span(ing, "enable-cors");
    let mut count = 0;
    for at in annotated::location_rules(ir, ing) {
        let Some(rule) = ir.rule_mut(&at) else {
            continue;
        };
        let from = Provenance::from(ProvenanceData {
            annotation: Some(key.clone()),
            span: span.clone(),
            ..ProvenanceData::clone(&rule.from)
        });
        rule.filters.push(RuleFilter {
            filter: Filter::Cors(filter.clone()),
            from,
        });
        count += 1;
    }
    if count > 0 {
        report.push(note(cx, ing, "enable-cors", Severity::Info, CORS, format!("CORS filter on {count} rule(s): origins {}, credentials {}, max-age {}s (ingress-nginx defaults applied where unset)", filter.allow_origins.join(" "), filter.allow_credentials.unwrap_or(false), filter.max_age.unwrap_or(5))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_validators_compile() {
        for re in [&ORIGIN_LIST, &ORIGIN, &METHODS, &HEADERS, &EXPOSE] {
            LazyLock::force(re);
        }
    }
    use std::collections::BTreeMap;

    fn parse_map(pairs: &[(&str, &str)]) -> (NginxCors, Vec<(&'static str, String)>) {
        let m: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_are_ingress_nginx_defaults() {
        let (c, p) = parse_map(&[]);
        assert!(p.is_empty());
        assert_eq!(c.origins, vec!["*"]);
        assert_eq!(
            c.methods,
            vec!["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]
        );
        assert_eq!(c.headers.len(), 9);
        assert!(c.credentials);
        assert_eq!(c.max_age, 1_728_000);
    }

    #[test]
    fn star_with_credentials_is_not_made_more_open() {
        let (c, _) = parse_map(&[]);
        let (f, notes) = to_gateway(&c, &[]);
        assert_eq!(f.allow_origins, vec!["*"]);
        assert_eq!(f.allow_credentials, None);
        assert!(notes.iter().any(|n| n.0 == "cors-allow-credentials"));
    }

    #[test]
    fn origins_validated_like_ingress_nginx() {
        let (c, p) = parse_map(&[("cors-allow-origin", "https://a.example.com, example.org")]);
        assert_eq!(c.origins, vec!["https://a.example.com"]);
        assert_eq!(p.len(), 1);
        let (c, p) = parse_map(&[("cors-allow-origin", "https://a.example.com/$x")]);
        assert_eq!(c.origins, vec!["*"]);
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn wildcard_and_null_origins_warned() {
        let (c, _) = parse_map(&[
            ("cors-allow-origin", "https://*.example.com,null"),
            ("cors-allow-credentials", "false"),
        ]);
        let (f, notes) = to_gateway(&c, &[]);
        assert!(f.allow_origins.is_empty(), "never the broader wildcard");
        assert_eq!(notes.len(), 2);
        assert_eq!(f.allow_credentials, None);
    }

    #[test]
    fn wildcard_origin_becomes_the_one_label_hosts_it_matches() {
        let (c, _) = parse_map(&[(
            "cors-allow-origin",
            "https://*.example.com, http://*.example.com:8080",
        )]);
        let known: Vec<String> = [
            "app.example.com",
            "a.b.example.com",
            "example.com",
            "x.example.org",
        ]
        .map(String::from)
        .to_vec();
        let (f, notes) = to_gateway(&c, &known);
        assert_eq!(
            f.allow_origins,
            vec!["https://app.example.com", "http://app.example.com:8080"]
        );
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn methods_upper_cased_invalid_fall_back() {
        let (c, _) = parse_map(&[("cors-allow-methods", "get, post")]);
        let (f, _) = to_gateway(&c, &[]);
        assert_eq!(f.allow_methods, vec!["GET", "POST"]);
        let (c, p) = parse_map(&[("cors-allow-methods", "GET;DROP")]);
        assert_eq!(c.methods.len(), 6);
        assert_eq!(p.len(), 1);
    }
}
