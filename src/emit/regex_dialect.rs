//! `--regex-dialect re2|portable`: the syntax of the emitted regular expressions.
//!
//! Gateway API leaves `RegularExpression` matches to the implementation's
//! engine; ing2gw writes RE2 (Envoy Gateway, Istio and the other Envoy-based
//! implementations), `(?i)` case folding included. `portable` rewrites every
//! emitted pattern into the subset GEP-4359 proposes (POSIX ERE without flags,
//! see [`crate::paths::portable`]) after emission, so every target and every
//! pass benefits: HTTPRoute and GRPCRoute path, header, query parameter and
//! method matches, and Envoy Gateway HTTPRouteFilter `replaceRegexMatch`
//! patterns (whose substitution is renumbered with the groups).
//!
//! A pattern with no portable form (word boundaries, Unicode classes, …) is
//! kept in RE2 and named in a warning: the output never changes meaning.

use crate::gwapi::GatewayObject;
use crate::paths::portable::to_portable;
use crate::report::{Code, Notification, Report};

pub const REGEX_NOT_PORTABLE: Code = Code("regex-not-portable");

/// The regex syntax of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RegexDialect {
    /// RE2 (Envoy's engine): `(?i)`, `(?:…)`, `\d` as written by the passes.
    #[default]
    Re2,
    /// GEP-4359's portable subset: case folding as `[Uu][Ss][Ee][Rr]`, plain groups, no flags.
    Portable,
}

/// Rewrites the regular expressions of `objects` for `dialect`.
pub fn apply(objects: &mut [GatewayObject], dialect: RegexDialect, report: &mut Report) {
    if dialect == RegexDialect::Re2 {
        return;
    }
    for o in objects.iter_mut() {
        let (kind, ns, name) = o.identity();
        let mut convert = |value: &mut String, what: &str| match to_portable(value, false) {
            Ok(p) => *value = p.pattern,
            Err(why) => report.push(not_portable(&kind, &ns, &name, what, value, &why)),
        };
        match o {
            GatewayObject::HttpRoute(r) => {
                let mut paths: Vec<(usize, &mut String)> = Vec::new();
                for m in r.spec.rules.iter_mut().flat_map(|r| r.matches.iter_mut()) {
                    if let Some(p) = m.path.as_mut()
                        && p.match_type.as_deref() == Some("RegularExpression")
                        && let Some(v) = p.value.as_mut()
                    {
                        let before = v.len();
                        convert(v, "path match");
                        paths.push((before, v));
                    }
                    for h in m.headers.iter_mut().filter(|h| regex(&h.match_type)) {
                        convert(&mut h.value, "header match");
                    }
                    for q in m.query_params.iter_mut().filter(|q| regex(&q.match_type)) {
                        convert(&mut q.value, "query parameter match");
                    }
                }
                keep_length_order(&mut paths);
            }
            GatewayObject::GrpcRoute(r) => {
                for m in r.spec.rules.iter_mut().flat_map(|r| r.matches.iter_mut()) {
                    for h in m.headers.iter_mut().filter(|h| regex(&h.match_type)) {
                        convert(&mut h.value, "header match");
                    }
                    if let Some(method) = m.method.as_mut()
                        && regex(&method.match_type)
                    {
                        for v in [method.service.as_mut(), method.method.as_mut()]
                            .into_iter()
                            .flatten()
                        {
                            convert(v, "method match");
                        }
                    }
                }
            }
            GatewayObject::Other(v) if v["kind"] == "HTTPRouteFilter" => {
                let Some(rr) = v.pointer_mut("/spec/urlRewrite/path/replaceRegexMatch") else {
                    continue;
                };
                let Some(pattern) = rr["pattern"].as_str().map(str::to_string) else {
                    continue;
                };
                match to_portable(&pattern, true) {
                    Ok(p) => {
                        if let Some(sub) = rr["substitution"].as_str() {
                            rr["substitution"] = p.renumber(sub).into();
                        }
                        rr["pattern"] = p.pattern.into();
                    }
                    Err(why) => report.push(not_portable(
                        &kind,
                        &ns,
                        &name,
                        "rewrite pattern",
                        &pattern,
                        &why,
                    )),
                }
            }
            _ => {}
        }
    }
}

/// Envoy Gateway and Istio try longer path regexes first, and the passes
/// order (and pad, `regex_order`) the RE2 patterns of a route for that. The
/// rules come in ingress-nginx's order: every earlier pattern that was longer
/// than a later one in RE2 stays longer in portable form, padded where needed
/// (`/` → `[//]`, a bracket that matches the same one character).
fn keep_length_order(paths: &mut [(usize, &mut String)]) {
    for i in (0..paths.len()).rev() {
        let (before, _) = paths[i];
        let need = paths[i + 1..]
            .iter()
            .filter(|(b, _)| *b < before)
            .map(|(_, p)| p.len() + 1)
            .max();
        if let Some(need) = need
            && paths[i].1.len() < need
        {
            let current = paths[i].1.clone();
            *paths[i].1 = pad(&current, need);
        }
    }
}

/// `pattern` made at least `len` bytes long without changing what it matches.
fn pad(pattern: &str, len: usize) -> String {
    let missing = len.saturating_sub(pattern.len());
    if missing == 0 {
        return pattern.to_string();
    }
    let (anchor, rest) = match pattern.strip_prefix('^') {
        Some(rest) => ("^", rest),
        None => ("", pattern),
    };
    if let Some(rest) = rest.strip_prefix('/') {
        // `[/…/]` adds one byte per extra slash beyond the brackets' two.
        let slashes = missing.saturating_sub(1).max(1);
        return format!("{anchor}[{}]{rest}", "/".repeat(slashes));
    }
    let mut out = pattern.to_string();
    while out.len() < len {
        out = format!("({out})");
    }
    out
}

fn regex(match_type: &Option<String>) -> bool {
    match_type.as_deref() == Some("RegularExpression")
}

fn not_portable(
    kind: &str,
    ns: &str,
    name: &str,
    what: &str,
    pattern: &str,
    why: &str,
) -> Notification {
    Notification::warning(
        REGEX_NOT_PORTABLE,
        format!(
            "{kind} {ns}/{name}: {what} `{pattern}` uses {why}, which the portable regex subset lacks; it is kept in RE2 syntax"
        ),
    )
    .suggest("check that your implementation's regex engine accepts it, or rewrite the Ingress path without it")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gwapi::HttpRoute;

    fn route(value: &str) -> GatewayObject {
        let r: HttpRoute = serde_json::from_value(serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r", "namespace": "n"},
            "spec": {"rules": [{"matches": [{"path": {"type": "RegularExpression", "value": value}}]}]}
        }))
        .unwrap();
        GatewayObject::HttpRoute(r)
    }

    fn path(o: &GatewayObject) -> String {
        let GatewayObject::HttpRoute(r) = o else {
            unreachable!()
        };
        r.spec.rules[0].matches[0]
            .path
            .as_ref()
            .unwrap()
            .value
            .clone()
            .unwrap()
    }

    #[test]
    fn portable_rewrites_paths_and_keeps_what_it_cannot() {
        let mut report = Report::default();
        let mut objects = vec![route("(?i)/admin.*"), route(r"/a\bb")];
        apply(&mut objects, RegexDialect::Re2, &mut report);
        assert_eq!(path(&objects[0]), "(?i)/admin.*");
        apply(&mut objects, RegexDialect::Portable, &mut report);
        assert_eq!(path(&objects[0]), "/[Aa][Dd][Mm][Ii][Nn].*");
        assert_eq!(path(&objects[1]), r"/a\bb");
        let notes: Vec<_> = report.iter().collect();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, REGEX_NOT_PORTABLE);
        assert!(
            notes[0].message.contains("word boundary"),
            "{}",
            notes[0].message
        );
    }

    #[test]
    fn padding_keeps_what_matches() {
        for (p, n) in [("/ab", 5), ("^/a", 9), ("a|b", 8), ("/x", 1)] {
            let padded = pad(p, n);
            assert!(padded.len() >= n, "{padded}");
            let (a, b) = (
                regex::Regex::new(&format!("^(?:{p})$")).unwrap(),
                regex::Regex::new(&format!("^(?:{padded})$")).unwrap(),
            );
            for s in ["/ab", "/a", "a", "b", "//ab", "/x", "x", "/abc"] {
                assert_eq!(a.is_match(s), b.is_match(s), "{p} vs {padded} on {s}");
            }
        }
        assert_eq!(pad("/ab", 5), "[/]ab");
        assert_eq!(pad("/ab", 6), "[//]ab");
    }

    #[test]
    fn rewrite_substitutions_follow_the_groups() {
        let mut report = Report::default();
        let mut objects = vec![GatewayObject::Other(serde_json::json!({
            "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "HTTPRouteFilter",
            "metadata": {"name": "f", "namespace": "n"},
            "spec": {"urlRewrite": {"path": {"type": "ReplaceRegexMatch", "replaceRegexMatch": {
                "pattern": "^(?:(?i)/a(?:b|c)(/|$)(.*))$", "substitution": "/x/\\2"}}}}
        }))];
        apply(&mut objects, RegexDialect::Portable, &mut report);
        let GatewayObject::Other(v) = &objects[0] else {
            unreachable!()
        };
        let rr = &v["spec"]["urlRewrite"]["path"]["replaceRegexMatch"];
        assert_eq!(rr["pattern"], "^/[Aa]([Bb]|[Cc])(/|$)(.*)$");
        assert_eq!(rr["substitution"], "/x/\\3");
        assert!(report.iter().next().is_none());
    }
}
