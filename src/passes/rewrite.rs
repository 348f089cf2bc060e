//! rewrite-target and x-forwarded-prefix.
//!
//! ## What ingress-nginx does
//! When `rewrite-target` is set and differs from the path, the location gets
//! `rewrite "(?i)<path>" <target> break;`: the **whole** URI is replaced by the
//! target (with `$1`…`$9` from the path's groups), the query string is kept. So
//! `rewrite-target: /` on `/foo` sends `/foo/bar` to `/`, not `/bar`. It also
//! switches the host to regex mode (see `regex_mode`). A target starting with
//! `http://`/`https://` makes nginx answer 302 instead of proxying.
//! `x-forwarded-prefix` adds `X-Forwarded-Prefix` only together with a rewrite.
//!
//! ## What Gateway API offers
//! `URLRewrite` with `ReplaceFullPath`, or `ReplacePrefixMatch` on a `PathPrefix`
//! match; `RequestHeaderModifier`.
//!
//! ## What we emit
//! Targets without captures → `ReplaceFullPath` (a `$N` the path has no group for
//! is empty, as in nginx). The capture idioms that are a prefix strip or swap
//! (`/something(/|$)(.*)` + `/$2`, `+ /new$1$2`, `/x/(.*)` + `/$1`), recognised on
//! the parsed pattern by `crate::paths::rewrite_idiom` → `PathPrefix /something` +
//! `ReplacePrefixMatch /`. Identity rewrites, whose target rebuilds the matched
//! URI (`/(x.*)` → `/$1`, `/()(.*)` → `/$2`), need no filter. Absolute-URL
//! targets → 302 `RequestRedirect`.
//! X-Forwarded-Prefix as a request header; nginx evaluates its value, so `$host`
//! and `$1`…`$9` are replaced where they have one value on the rule (an exact
//! hostname; a capture group of fixed text — digits or symbols only, since `~*`
//! captures the request's case).
//!
//! ## What we record (traffic-policy facts)
//! `RulePolicy.regex_rewrite` where standard Gateway API approximates the rewrite
//! (capture idioms read as a prefix swap, with their caveats and case
//! sensitivity) or cannot express it: the RE2 full-match pattern of the path
//! (caseless, groups as in nginx) and the substitution (`\1`…), exactly what
//! nginx's rewrite does ([`regex_rewrite`]; checked against the verify nginx
//! model in the tests). Not for identity rewrites, plain full-path rewrites
//! (exact already), absolute URLs, nginx variables or `$0`.
//!
//! ## What we warn
//! Rewrites standard Gateway API cannot express (error: pattern, target, and the
//! implementation filter that can); PathPrefix being case-sensitive where nginx was
//! not, and the one request shape where a prefix idiom differs (bare `/x` for
//! `/x/(.*)`); x-forwarded-prefix without a rewrite (ignored, as in nginx), and
//! with variables that have no fixed value (the header is then not sent, never
//! the literal `$…`).
//! A target with `$0` is an error of its own: nginx has no `$0` capture and
//! refuses the whole configuration (`unknown "0" variable`). The admission webhook
//! no longer runs `nginx -t` (CVE-2025-1974 mitigation), so the Ingress is admitted
//! and every reload fails from then on: the controller keeps its last good
//! configuration, and no later change of any Ingress goes live. The rules are
//! emitted without the rewrite, and the error says so.

use super::nginx_vars;
use super::quirks::Quirk;
use super::{Pass, PassContext};
use crate::ir::*;
use crate::paths::regex::{
    RegexOptions, RewriteTranslation, classify_rewrite, re2_substitution, translate_path_regex,
};
use crate::report::{Code, Notification, Report};

pub const REWRITE: Code = Code("rewrite-target");
pub const REWRITE_UNSUPPORTED: Code = Code("rewrite-unsupported");
pub const XFP_IGNORED: Code = Code("x-forwarded-prefix-ignored");
pub const XFP_VARIABLES: Code = Code("x-forwarded-prefix-variables");
pub const REWRITE_BREAKS_CONFIG: Code = Code("rewrite-target-breaks-config");

pub struct Rewrite;

impl Pass for Rewrite {
    fn name(&self) -> &'static str {
        "rewrite"
    }
    fn annotations(&self) -> &'static [&'static str] {
        &["rewrite-target", "x-forwarded-prefix"]
    }
    fn run(&self, cx: &PassContext, ir: &mut Ir, report: &mut Report) {
        let ci = cx.options.quirks.keeps(Quirk::RegexCaseInsensitive);
        let rt_key = cx.full_key("rewrite-target");
        let xfp_key = cx.full_key("x-forwarded-prefix");
        for ing in &cx.ingresses {
            let target = cx
                .annotation(ing, "rewrite-target")
                .unwrap_or("")
                .to_string();
            let xfp: String = cx
                .annotation(ing, "x-forwarded-prefix")
                .unwrap_or("")
                .chars()
                .filter(|c| *c != ' ')
                .collect();
            let rt_span = cx.annotation_span(ing, "rewrite-target");
            let mut rewrote_any = false;
            let breaks_config = uses_capture_zero(&target);
            // Most Ingresses have no rewrite: skip the scan of every rule for them.
            let rules = if target.is_empty() {
                Vec::new()
            } else {
                ir.rules_of(&ing.obj)
            };
            // Rules whose X-Forwarded-Prefix has variables without one known value.
            let mut xfp_unknown: Vec<String> = Vec::new();
            let mut xfp_vars: Vec<nginx_vars::NginxVar> = Vec::new();
            let mut xfp_expanded: Vec<String> = Vec::new();
            for at in rules {
                let host = at.host.host.hostname().map(String::from);
                let Some(rule) = ir.rule_mut(&at).filter(|r| r.from.path.is_some()) else {
                    continue;
                };
                let path = rule.source_path.path.clone();
                if target.is_empty() || target == path {
                    continue;
                }
                rewrote_any = true;
                if breaks_config {
                    continue;
                }
                let from = Provenance::from(ProvenanceData {
                    annotation: Some(rt_key.clone()),
                    span: rt_span.clone(),
                    ..ProvenanceData::clone(&rule.from)
                });
                if target.starts_with("http://") || target.starts_with("https://") {
                    match redirect_to_url(&target) {
                        Some(redirect) => {
                            rule.action = Action::Redirect(redirect);
                            report.push(
                                Notification::info(REWRITE, format!("rewrite-target `{target}` is an absolute URL: nginx answers 302 to it instead of proxying; emitted as a RequestRedirect"))
                                    .object(&ing.obj)
                                    .field(rt_key.clone())
                                    .span(rt_span.clone()),
                            );
                        }
                        None => unsupported(
                            report,
                            ing,
                            &rt_key,
                            &rt_span,
                            &path,
                            &target,
                            "an absolute URL with captures or variables",
                        ),
                    }
                    continue;
                }
                let translation = match classify_rewrite(&path, &target, ci) {
                    RewriteTranslation::FullPath(full)
                        if !super::ingress_rules::is_valid_gateway_path(&full) =>
                    {
                        RewriteTranslation::Unsupported {
                            reason: format!(
                                "nginx sends every matching request to `{full}`, which is not a valid Gateway API path"
                            ),
                        }
                    }
                    other => other,
                };
                // Where standard Gateway API approximates or cannot express the
                // rewrite, the exact regex rewrite is a fact for implementations.
                if matches!(
                    translation,
                    RewriteTranslation::PrefixStrip { .. } | RewriteTranslation::Unsupported { .. }
                ) && let Some(fact) = regex_rewrite_with(&path, &target, |p| {
                    cx.regex.translate(p, RegexOptions::default()).ok()
                }) {
                    rule.policy_mut().regex_rewrite = Some(Sourced::new(fact, from.clone()));
                }
                match translation {
                    RewriteTranslation::FullPath(full) => {
                        rule.filters.push(RuleFilter {
                            filter: Filter::UrlRewrite {
                                hostname: None,
                                path: Some(PathRewrite::Full(full.clone())),
                            },
                            from,
                        });
                        report.push(
                            Notification::info(REWRITE, format!("rewrite-target on `{path}`: every matching request is sent to exactly `{full}` (nginx replaces the whole URI, query kept) → URLRewrite ReplaceFullPath"))
                                .object(&ing.obj)
                                .field(rt_key.clone())
                                .span(rt_span.clone()),
                        );
                    }
                    RewriteTranslation::PrefixStrip {
                        prefix,
                        replacement,
                        caveat,
                    } => {
                        rule.matches = vec![Match {
                            path: Some(PathMatch::Prefix(prefix.clone())),
                            ..rule.matches.first().cloned().unwrap_or_default()
                        }];
                        rule.filters.push(RuleFilter {
                            filter: Filter::UrlRewrite {
                                hostname: None,
                                path: Some(PathRewrite::Prefix(replacement.clone())),
                            },
                            from,
                        });
                        let what = format!(
                            "rewrite-target `{target}` on `{path}` is a prefix rewrite: PathPrefix `{prefix}` + URLRewrite ReplacePrefixMatch `{replacement}`"
                        );
                        let case_differs = ci && prefix.chars().any(|c| c.is_ascii_alphabetic());
                        let n = match (&caveat, case_differs) {
                            (None, false) => Notification::info(REWRITE, what),
                            (caveat, _) => {
                                let mut parts = Vec::new();
                                if let Some(c) = caveat {
                                    parts.push(c.clone());
                                }
                                if case_differs {
                                    parts.push(format!(
                                        "PathPrefix is case-sensitive while nginx matched case-insensitively (`{}` reached this backend in ingress-nginx)",
                                        prefix.to_uppercase()
                                    ));
                                }
                                Notification::warning(REWRITE, format!("{what}; {}", parts.join("; ")))
                                    .suggest("keep it if clients never send those requests; an implementation-specific regex rewrite (Envoy Gateway HTTPRouteFilter spec.urlRewrite.path.replaceRegexMatch) reproduces nginx exactly")
                            }
                        };
                        report.push(
                            n.object(&ing.obj)
                                .field(rt_key.clone())
                                .span(rt_span.clone()),
                        );
                    }
                    // Not info: nginx's rewrite still replaces the raw URI by the
                    // normalised one, which the Gateway does not do.
                    RewriteTranslation::Identity => report.push(
                        Notification::warning(REWRITE, format!("rewrite-target `{target}` on `{path}` gives back the path it matched, so no rewrite is emitted; the one difference: after its rewrite nginx forwards the normalised, re-escaped URI (`/a/./b` and `/a/x/../b` → `/a/b`, `%48` → `H`), the Gateway the path as the client sent it"))
                            .suggest("harmless unless the backend relies on receiving normalised paths")
                            .object(&ing.obj)
                            .field(rt_key.clone())
                            .span(rt_span.clone()),
                    ),
                    RewriteTranslation::Unsupported { reason } => {
                        unsupported(report, ing, &rt_key, &rt_span, &path, &target, &reason)
                    }
                }
                // nginx evaluates the value (`proxy_set_header X-Forwarded-Prefix
                // "<v>"`) after the rewrite, so `$1` is a capture of the path.
                let value = if xfp.is_empty() {
                    None
                } else {
                    let vars = nginx_vars::VarContext::for_rule(host.as_deref(), &path, true, true);
                    match nginx_vars::expand(&xfp, &vars) {
                        Ok(v) => {
                            if v != xfp {
                                xfp_expanded.push(format!(
                                    "`{v}` on {} {path}",
                                    host.as_deref().unwrap_or("(any host)")
                                ));
                            }
                            Some(v)
                        }
                        Err(unknown) => {
                            xfp_unknown.push(format!(
                                "{} {path}",
                                host.as_deref().unwrap_or("(any host)")
                            ));
                            for u in unknown {
                                if !xfp_vars.contains(&u) {
                                    xfp_vars.push(u);
                                }
                            }
                            None
                        }
                    }
                };
                if let Some(value) = value {
                    rule.filters.push(RuleFilter {
                        filter: Filter::RequestHeaders(HeaderEdits {
                            set: vec![("X-Forwarded-Prefix".into(), value)],
                            ..Default::default()
                        }),
                        from: Provenance::from(ProvenanceData {
                            annotation: Some(xfp_key.clone()),
                            span: cx.annotation_span(ing, "x-forwarded-prefix"),
                            ..ProvenanceData::clone(&rule.from)
                        }),
                    });
                }
            }
            if breaks_config && rewrote_any {
                report.push(
                    Notification::error(REWRITE_BREAKS_CONFIG, format!("rewrite-target `{target}` uses `$0`, which nginx does not define: the controller admits the Ingress (its webhook no longer runs `nginx -t`), then every reload fails with `unknown \"0\" variable` and ingress-nginx keeps serving its last good configuration, so neither this Ingress nor any later change of any Ingress is live; the emitted rules forward the original path without a rewrite"))
                        .object(&ing.obj)
                        .field(rt_key.clone())
                        .span(rt_span.clone())
                        .suggest("fix the target before migrating: capture what you need in the path and use `$1`…`$9` (path `/foo(/|$)(.*)` + target `/$2`), then translate again"),
                );
            }
            if !xfp_expanded.is_empty() {
                report.push(
                    Notification::info(REWRITE, format!("x-forwarded-prefix `{xfp}` uses nginx variables with one value per rule: X-Forwarded-Prefix {}", xfp_expanded.join(", ")))
                        .object(&ing.obj)
                        .field(xfp_key.clone())
                        .span(cx.annotation_span(ing, "x-forwarded-prefix")),
                );
            }
            if !xfp_unknown.is_empty() {
                report.push(
                    Notification::warning(XFP_VARIABLES, format!("x-forwarded-prefix `{xfp}` uses nginx variables ({}) that have no single value on {}: nginx computes the header per request, Gateway API sets fixed values only, so X-Forwarded-Prefix is not sent there (never the literal `$…` text)", nginx_vars::list(&xfp_vars), xfp_unknown.join(", ")))
                        .object(&ing.obj)
                        .field(xfp_key.clone())
                        .span(cx.annotation_span(ing, "x-forwarded-prefix"))
                        .suggest("use a fixed prefix, or set the header with your implementation's extension (e.g. Envoy Gateway EnvoyPatchPolicy / Lua) if the backend needs it"),
                );
            }
            if !xfp.is_empty() && !rewrote_any {
                report.push(
                    Notification::info(XFP_IGNORED, "x-forwarded-prefix has no effect without a rewrite-target in ingress-nginx; nothing emitted")
                        .object(&ing.obj)
                        .field(xfp_key.clone())
                        .span(cx.annotation_span(ing, "x-forwarded-prefix")),
                );
            }
        }
    }
}

/// The regex rewrite nginx performs for `rewrite "(?i)<path>" <target> break;`:
/// the path translated to an RE2 full-match pattern (caseless, open end, groups
/// numbered as in nginx) and the target with `\N` groups. Replacing the whole
/// match replaces the whole path, as nginx replaces the whole URI (the query is
/// kept by both). None when the pattern has no exact RE2 form, when a branch
/// after the first is unanchored (nginx searches it; a leading `.*` would take
/// other captures), or when the target uses nginx variables, `$0` or is not a
/// local path.
pub fn regex_rewrite(path: &str, target: &str) -> Option<RegexRewrite> {
    regex_rewrite_with(path, target, |p| {
        translate_path_regex(p, RegexOptions::default()).ok()
    })
}

/// [`regex_rewrite`] with the path's translation from `translate` (the run's
/// [`super::regex_memo::RegexMemo`]).
fn regex_rewrite_with(
    path: &str,
    target: &str,
    translate: impl FnOnce(&str) -> Option<crate::paths::regex::GatewayRegex>,
) -> Option<RegexRewrite> {
    if !target.starts_with('/') {
        return None;
    }
    let re = translate(path)?;
    if re.floating_branches {
        return None;
    }
    Some(RegexRewrite {
        substitution: re2_substitution(target, re.capture_groups)?,
        pattern: re.pattern,
    })
}

/// True when `target` refers to `$0` (or `${0}`): nginx has no such capture and
/// refuses the whole configuration.
fn uses_capture_zero(target: &str) -> bool {
    target.contains("$0") || target.contains("${0}")
}

fn unsupported(
    report: &mut Report,
    ing: &crate::input::InputIngress,
    key: &str,
    span: &Option<crate::input::SourceSpan>,
    path: &str,
    target: &str,
    reason: &str,
) {
    report.push(
        Notification::error(
            REWRITE_UNSUPPORTED,
            format!("rewrite of `{path}` to `{target}` cannot be expressed in standard Gateway API ({reason}); the route forwards the original path"),
        )
        .object(&ing.obj)
        .field(key.to_string())
        .span(span.clone())
        .suggest("use an implementation-specific regex rewrite (Envoy Gateway HTTPRouteFilter spec.urlRewrite.path.replaceRegexMatch), or change the backend to accept the original path"),
    );
}

/// `http(s)://host[:port]/path` without nginx variables → a 302 redirect.
fn redirect_to_url(url: &str) -> Option<Redirect> {
    if url.contains('$') {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse().ok()?)),
        None => (authority, None),
    };
    Some(Redirect {
        scheme: Some(scheme.to_string()),
        hostname: Some(host.to_string()),
        path: Some(PathRewrite::Full(path.to_string())),
        port,
        status: 302,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_support::{ingress, ir_of, policy};
    use crate::verify::nginx_model::{pcre::Pcre, rewrite};

    /// Applies the fact as Envoy would: the full-match pattern replaced by the
    /// substitution (`\N` spelled `${N}` for the regex crate).
    fn apply_fact(f: &RegexRewrite, path: &str) -> Option<String> {
        let re = regex::Regex::new(&format!("^(?:{})$", f.pattern)).ok()?;
        let mut sub = String::new();
        let mut chars = f.substitution.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().copied()) {
                ('\\', Some(d)) if d.is_ascii_digit() => {
                    chars.next();
                    sub.push_str(&format!("${{{d}}}"));
                }
                ('\\', Some('\\')) => {
                    chars.next();
                    sub.push('\\');
                }
                ('$', _) => sub.push_str("$$"),
                (c, _) => sub.push(c),
            }
        }
        re.is_match(path)
            .then(|| re.replace(path, sub.as_str()).into_owned())
    }

    #[test]
    fn regex_rewrite_facts_rewrite_exactly_as_the_nginx_model() {
        let cases = [
            ("/something(/|$)(.*)", "/$2"),
            ("/api/v(\\d+)/(.*)", "/v$1/$2"),
            ("/x/(.*)", "/new/$1"),
            ("/Static/(.*)/(\\w+)\\.css", "/css/$2?v=$1"),
            ("/a(b)?c/(.*)", "/$1-$2-$3"),
            ("/foo", "/bar/$1"),
        ];
        let uris = [
            "/something",
            "/SOMETHING/new/x",
            "/somethingelse",
            "/api/v2/users/7",
            "/API/V10/a",
            "/x/",
            "/x/y/z",
            "/static/a/b/site.css",
            "/STATIC/q/main.css.map",
            "/abc/d",
            "/ac/",
            "/foo",
            "/foobar/x",
            "/other",
        ];
        let mut compared = 0;
        for (path, target) in cases {
            let fact = regex_rewrite(path, target).unwrap_or_else(|| panic!("no fact for {path}"));
            let nginx = Pcre::new(path, true);
            for uri in uris {
                let Ok(Some(expected)) = rewrite::apply(&nginx, target, uri) else {
                    continue;
                };
                assert_eq!(
                    apply_fact(&fact, uri).as_deref(),
                    Some(expected.as_str()),
                    "{path} → {target} on {uri} ({fact:?})"
                );
                compared += 1;
            }
        }
        assert!(compared >= 12, "only {compared} rewrites compared");
    }

    #[test]
    fn regex_rewrite_fact_shapes() {
        let f = regex_rewrite("/something(/|$)(.*)", "/$2").unwrap();
        assert_eq!(f.pattern, "(?i)/something(/|$)(.*)");
        assert_eq!(f.substitution, "/\\2");
        // A group the path lacks is empty in nginx.
        assert_eq!(
            regex_rewrite("/x/(.*)", "/$1/$2").unwrap().substitution,
            "/\\1/"
        );
        assert!(regex_rewrite("/x/(.*)", "/$host/$1").is_none());
        assert!(regex_rewrite("/x/(.*)", "/$0").is_none());
        assert!(regex_rewrite("/x/(.*)", "https://a/$1").is_none());
        assert!(regex_rewrite("/a|/b(.*)", "/$1").is_none());
        assert!(regex_rewrite("/(?=x)(.*)", "/$1").is_none());
    }

    #[test]
    fn the_pass_records_approximated_and_unsupported_rewrites_only() {
        let yaml = ingress(
            "strip",
            "s.example",
            "/something(/|$)(.*)",
            "s",
            &[("rewrite-target", "/$2"), ("use-regex", "true")],
        ) + &ingress(
            "swap",
            "w.example",
            "/api/(v\\d+)/(.*)",
            "w",
            &[("rewrite-target", "/$2/$1"), ("use-regex", "true")],
        ) + &ingress(
            "full",
            "f.example",
            "/old",
            "f",
            &[("rewrite-target", "/new")],
        );
        let ir = ir_of(&yaml);
        let s = policy(&ir, "s.example", "/something(/|$)(.*)")
            .unwrap()
            .regex_rewrite
            .as_ref()
            .unwrap();
        assert_eq!(s.value.substitution, "/\\2");
        assert_eq!(
            s.from.annotation.as_deref(),
            Some("nginx.ingress.kubernetes.io/rewrite-target")
        );
        assert_eq!(
            s.from.object.as_ref().map(|o| o.name.as_str()),
            Some("strip")
        );
        assert!(s.from.span.is_some());
        let w = policy(&ir, "w.example", "/api/(v\\d+)/(.*)")
            .unwrap()
            .regex_rewrite
            .as_ref()
            .unwrap();
        assert_eq!(
            w.value,
            RegexRewrite {
                pattern: "(?i)/api/(v\\d+)/(.*)".into(),
                substitution: "/\\2/\\1".into()
            }
        );
        // A rewrite without captures is exact in standard Gateway API already.
        assert!(policy(&ir, "f.example", "/old").is_none_or(|p| p.regex_rewrite.is_none()));
    }

    #[test]
    fn capture_zero_is_recognised() {
        assert!(uses_capture_zero("/new/$0"));
        assert!(uses_capture_zero("/${0}/x"));
        assert!(!uses_capture_zero("/new/$1"));
        assert!(!uses_capture_zero("/v10/$10"));
    }
}
